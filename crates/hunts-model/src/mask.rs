//! `mask`: which field paths a read returns, as the comma-separated list of the query string.

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::{FIELDS, FieldPath, ModelError};

/// A non-empty set of field paths, kept in the entity's order whatever order they were given in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mask(Vec<FieldPath>);

impl Mask {
    /// What a list returns without `mask`: everything but `resources` and `opts.comment`.
    /// A group is taken whole where all of it is listed, else member by member.
    pub fn list_default() -> Mask {
        let listed =
            |path: &str| FieldPath::lookup(path).is_some_and(|path| path.field().in_default_list);
        let paths = FIELDS.iter().filter(|field| {
            let group_listed = field
                .path
                .split_once('.')
                .is_some_and(|(group, _)| listed(group));
            field.in_default_list && !group_listed
        });
        Mask(
            paths
                .filter_map(|field| FieldPath::lookup(field.path))
                .collect(),
        )
    }

    pub fn new(paths: impl IntoIterator<Item = FieldPath>) -> Option<Mask> {
        let paths = FieldPath::in_entity_order(paths);
        if paths.is_empty() {
            return None;
        }
        Some(Mask(paths))
    }

    pub fn paths(&self) -> &[FieldPath] {
        &self.0
    }

    /// Copies the masked paths out of a full hunt, nested as in the hunt.
    pub fn apply(&self, hunt: &Value) -> Value {
        let mut out = Map::new();
        for path in &self.0 {
            let segments: Vec<&str> = path.segments().collect();
            let Some(value) = segments
                .iter()
                .try_fold(hunt, |value, segment| value.get(segment))
            else {
                continue;
            };
            let (last, parents) = segments.split_last().expect("a path has a segment");
            let mut target = &mut out;
            for parent in parents {
                let entry = target
                    .entry(*parent)
                    .or_insert_with(|| Value::Object(Map::new()));
                target = entry.as_object_mut().expect("masked groups are objects");
            }
            target.insert((*last).to_owned(), value.clone());
        }
        Value::Object(out)
    }
}

impl FromStr for Mask {
    type Err = ModelError;

    fn from_str(text: &str) -> Result<Mask, ModelError> {
        let paths = text
            .split(',')
            .map(|path| FieldPath::parse_param(path.trim(), "mask"))
            .collect::<Result<Vec<_>, _>>()?;
        Mask::new(paths).ok_or(ModelError::BadParameter {
            param: "mask",
            reason: "it names no field".to_owned(),
        })
    }
}

impl fmt::Display for Mask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let paths: Vec<&str> = self.0.iter().map(|path| path.as_str()).collect();
        f.write_str(&paths.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_sorts_and_prints() {
        let mask: Mask = "opts.title, code,id,code".parse().unwrap();
        assert_eq!(mask.to_string(), "id,code,opts.title");
        assert!(
            "id,bogus"
                .parse::<Mask>()
                .unwrap_err()
                .to_string()
                .contains("bogus")
        );
        assert!("".parse::<Mask>().is_err());
    }

    #[test]
    fn apply_keeps_nesting() {
        let hunt = json!({"id": "1", "code": "c", "opts": {"title": "t", "comment": "secret"}, "weight": 3});
        let mask: Mask = "code,opts.title".parse().unwrap();
        assert_eq!(
            mask.apply(&hunt),
            json!({"code": "c", "opts": {"title": "t"}})
        );
    }

    #[test]
    fn default_list_mask_leaves_out_resources_and_comment() {
        let text = Mask::list_default().to_string();
        assert!(
            !text.contains("resources") && !text.contains("opts.comment"),
            "{text}"
        );
        assert!(
            text.contains("opts.title") && text.contains("huntblock") && text.contains("ext"),
            "{text}"
        );
    }
}
