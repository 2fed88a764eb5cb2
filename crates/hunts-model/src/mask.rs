//! `mask`: which field paths a read returns, as the comma-separated list of the query string.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
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

impl Mask {
    /// `apply` to a hunt given as JSON text, reading into values only the top-level fields the
    /// mask reaches: the rest is skipped as text (a list of masked hunts reads a little of each
    /// whole stored hunt).
    pub fn apply_to_text(&self, text: &str) -> serde_json::Result<Value> {
        let reached: Vec<&str> = self
            .0
            .iter()
            .filter_map(|path| path.segments().next())
            .collect();
        let mut reader = serde_json::Deserializer::from_str(text);
        let partial = Reached(&reached).deserialize(&mut reader)?;
        reader.end()?;
        Ok(self.apply(&partial))
    }
}

/// Reads a JSON object keeping only the members named.
struct Reached<'a>(&'a [&'a str]);

impl<'de> DeserializeSeed<'de> for Reached<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Reached<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a hunt as a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Value, A::Error> {
        let mut kept = Map::new();
        while let Some(key) = members.next_key::<Key<'de>>()? {
            if self.0.contains(&key.0.as_ref()) {
                kept.insert(key.0.into_owned(), members.next_value()?);
            } else {
                members.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Value::Object(kept))
    }
}

/// A member's name, borrowed from the text where it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key<'de>, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a member's name")
            }

            fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(name)))
            }

            fn visit_str<E>(self, name: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(name.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
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

    /// Hunts whose text members need escapes and nest: codes and titles of any characters,
    /// a few resources, a block.
    fn any_hunt() -> impl proptest::strategy::Strategy<Value = crate::Hunt> {
        use proptest::prelude::*;
        (
            any::<String>(),
            any::<String>(),
            proptest::collection::vec((any::<String>(), any::<i32>()), 0..4),
            any::<bool>(),
            any::<u32>(),
        )
            .prop_map(|(code, title, resources, blocked, weight)| {
                let mut hunt = crate::Hunt {
                    code,
                    weight,
                    resources: resources
                        .into_iter()
                        .map(|(id, priority)| crate::hunt::Resource { id, priority })
                        .collect(),
                    ..crate::Hunt::default()
                };
                hunt.opts.title = title;
                hunt.huntblock.enabled = blocked;
                hunt
            })
    }

    proptest::proptest! {
        /// Reading only the reached members of a hunt's text gives what masking the whole
        /// hunt gives, for any hunt and any mask.
        #[test]
        fn a_mask_applied_to_text_matches_one_applied_to_the_hunt(
            hunt in any_hunt(),
            picks in proptest::collection::vec(proptest::bool::ANY, FIELDS.len()),
        ) {
            let paths = FIELDS
                .iter()
                .zip(&picks)
                .filter(|(_, picked)| **picked)
                .filter_map(|(field, _)| FieldPath::lookup(field.path));
            if let Some(mask) = Mask::new(paths) {
                let json = hunt.to_json();
                let text = json.to_string();
                proptest::prop_assert_eq!(mask.apply_to_text(&text).unwrap(), mask.apply(&json));
            }
        }
    }

    #[test]
    fn a_mask_applied_to_text_refuses_what_is_not_one_json_object() {
        let mask: Mask = "code".parse().unwrap();
        for text in ["[1]", "{\"code\": \"c\"} {}", "{\"code\": }", "\"code\""] {
            assert!(mask.apply_to_text(text).is_err(), "{text}");
        }
        assert_eq!(
            mask.apply_to_text(r#"{"c\u006fde": "c", "weight": [1, {"x": 2}]}"#)
                .unwrap(),
            json!({"code": "c"})
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
