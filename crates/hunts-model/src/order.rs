//! `order`: the sort keys of a list, as the JSON array of the query string:
//! `["priority", {"code": "desc"}]`.

use std::fmt;
use std::str::FromStr;

use serde_json::{Value, json};

use crate::{FieldPath, ModelError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Asc,
    Desc,
}

/// Sort keys, most significant first; each path appears once. Empty means creation order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Order(Vec<(FieldPath, Direction)>);

impl Order {
    pub fn new(keys: Vec<(FieldPath, Direction)>) -> Order {
        let mut unique: Vec<(FieldPath, Direction)> = Vec::new();
        for (path, direction) in keys {
            if !unique.iter().any(|(seen, _)| *seen == path) {
                unique.push((path, direction));
            }
        }
        Order(unique)
    }

    pub fn keys(&self) -> &[(FieldPath, Direction)] {
        &self.0
    }

    /// A path's rank among the keys (1 is the most significant) and its direction, if it is one.
    pub fn rank_of(&self, path: FieldPath) -> Option<(usize, Direction)> {
        self.0
            .iter()
            .position(|(key, _)| *key == path)
            .map(|index| (index + 1, self.0[index].1))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn to_json(&self) -> Value {
        Value::Array(
            self.0
                .iter()
                .map(|(path, direction)| match direction {
                    Direction::Asc => json!(path.as_str()),
                    Direction::Desc => json!({ path.as_str(): "desc" }),
                })
                .collect(),
        )
    }
}

fn bad(reason: &str) -> ModelError {
    ModelError::BadParameter {
        param: "order",
        reason: reason.to_owned(),
    }
}

impl FromStr for Order {
    type Err = ModelError;

    fn from_str(text: &str) -> Result<Order, ModelError> {
        let value: Value =
            serde_json::from_str(text).map_err(|error| bad(&format!("not JSON ({error})")))?;
        let Value::Array(items) = value else {
            return Err(bad(
                "it must be a JSON array of field paths or {\"path\": \"asc\"|\"desc\"} objects",
            ));
        };
        let mut keys = Vec::with_capacity(items.len());
        for item in items {
            let key = match item {
                Value::String(path) => (
                    FieldPath::parse_scalar_param(&path, "order")?,
                    Direction::Asc,
                ),
                Value::Object(object) if object.len() == 1 => {
                    let (path, direction) = object.into_iter().next().expect("one key");
                    let direction = match direction.as_str() {
                        Some("asc") => Direction::Asc,
                        Some("desc") => Direction::Desc,
                        _ => {
                            return Err(bad(&format!(
                                "the direction of {path} must be \"asc\" or \"desc\""
                            )));
                        }
                    };
                    (FieldPath::parse_scalar_param(&path, "order")?, direction)
                }
                other => {
                    return Err(bad(&format!(
                        "{other} is neither a field path nor a one-key object"
                    )));
                }
            };
            // A path named again cannot change the order (rows it would sort already tie on
            // the same values), so the first mention stands and the others are dropped.
            if !keys.iter().any(|(seen, _)| *seen == key.0) {
                keys.push(key);
            }
        }
        Ok(Order(keys))
    }
}

impl fmt::Display for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_contract_example() {
        let order: Order = r#"["priority",{"code":"desc"}]"#.parse().unwrap();
        assert_eq!(order.keys().len(), 2);
        assert_eq!(order.keys()[1].1, Direction::Desc);
        assert_eq!(order.to_string(), r#"["priority",{"code":"desc"}]"#);
        assert_eq!(
            r#"[{"code":"asc"}]"#.parse::<Order>().unwrap().to_string(),
            r#"["code"]"#
        );
    }

    #[test]
    fn a_path_named_again_changes_nothing() {
        let order: Order = r#"["code", {"code": "desc"}, "priority", "code"]"#.parse().unwrap();
        assert_eq!(order.to_string(), r#"["code","priority"]"#);
    }

    #[test]
    fn refusals() {
        for bad in [
            r#"priority"#,
            r#"{"code":"desc"}"#,
            r#"[{"code":"up"}]"#,
            r#"["nope"]"#,
            r#"["resources"]"#,
            r#"[{"a":"asc","b":"asc"}]"#,
        ] {
            assert!(bad.parse::<Order>().is_err(), "{bad}");
        }
    }
}
