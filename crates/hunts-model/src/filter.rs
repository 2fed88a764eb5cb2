//! `filter`: field = value conditions, as the JSON object of the query string:
//! `{"type":"sipuser","huntblock.enabled":true,"objmode":["spq","spqwfq"]}`.

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::fields::expected;
use crate::{FieldPath, ModelError};

/// Conditions that all must hold; each lists the values its field may equal (one, or "any of").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter(Vec<(FieldPath, Vec<Value>)>);

impl Filter {
    pub fn conditions(&self) -> &[(FieldPath, Vec<Value>)] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds or replaces the condition on `path`. The value must suit the field.
    pub fn with(mut self, path: FieldPath, values: Vec<Value>) -> Result<Filter, ModelError> {
        check_values(path, &values)?;
        self.0.retain(|(existing, _)| *existing != path);
        self.0.push((path, values));
        Ok(self)
    }

    pub fn without(mut self, path: FieldPath) -> Filter {
        self.0.retain(|(existing, _)| *existing != path);
        self
    }

    /// Whether a hunt, in its JSON form, meets every condition: the field equals one of the
    /// listed values (text exactly); for `resources.id`, one of its resources has a listed id.
    pub fn matches(&self, hunt: &Value) -> bool {
        self.0.iter().all(|(path, allowed)| {
            if *path == FieldPath::RESOURCE_ID {
                return hunt["resources"].as_array().is_some_and(|resources| {
                    resources
                        .iter()
                        .any(|resource| allowed.contains(&resource["id"]))
                });
            }
            let value = path
                .segments()
                .try_fold(hunt, |value, segment| value.get(segment));
            value.is_some_and(|value| allowed.contains(value))
        })
    }

    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        for (path, values) in &self.0 {
            let value = match values.as_slice() {
                [single] => single.clone(),
                many => Value::Array(many.to_vec()),
            };
            object.insert(path.as_str().to_owned(), value);
        }
        Value::Object(object)
    }
}

fn check_values(path: FieldPath, values: &[Value]) -> Result<(), ModelError> {
    if values.is_empty() {
        return Err(ModelError::BadParameter {
            param: "filter",
            reason: format!("{path} must list at least one value"),
        });
    }
    match values.iter().find(|value| !path.accepts(value)) {
        Some(value) => Err(ModelError::BadParameter {
            param: "filter",
            reason: format!("{path} must be {}, not {value}", expected(path.kind())),
        }),
        None => Ok(()),
    }
}

impl FromStr for Filter {
    type Err = ModelError;

    fn from_str(text: &str) -> Result<Filter, ModelError> {
        let mut value: Value =
            serde_json::from_str(text).map_err(|error| ModelError::BadParameter {
                param: "filter",
                reason: format!("not JSON ({error})"),
            })?;
        crate::strict_json::whole_numbers_as_integers(&mut value);
        let Value::Object(object) = value else {
            return Err(ModelError::BadParameter {
                param: "filter",
                reason: "it must be a JSON object of field path to value".to_owned(),
            });
        };
        let mut filter = Filter::default();
        for (path, value) in object {
            let path = FieldPath::parse_filter_param(&path)?;
            let values = match value {
                Value::Array(values) => values,
                single => vec![single],
            };
            filter = filter.with(path, values)?;
        }
        Ok(filter)
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_contract_example() {
        let text = r#"{"type":"sipuser","huntblock.enabled":true,"objmode":["spq","spqwfq"]}"#;
        let filter: Filter = text.parse().unwrap();
        assert_eq!(filter.conditions().len(), 3);
        assert_eq!(filter.conditions()[2].1.len(), 2);
        assert_eq!(filter.to_string(), text);
    }

    #[test]
    fn matches_by_exact_value_or_any_resource() {
        let hunt = serde_json::json!({
            "type": "Queue", "weight": 3, "huntblock": {"enabled": true},
            "resources": [{"id": "res-1", "priority": 1}, {"id": "res-2", "priority": 2}]
        });
        for (filter, expected) in [
            (r#"{}"#, true),
            (r#"{"type":"Queue"}"#, true),
            (r#"{"type":"queue"}"#, false),
            (r#"{"weight":[1,3]}"#, true),
            (r#"{"weight":2}"#, false),
            (r#"{"huntblock.enabled":true,"weight":3}"#, true),
            (r#"{"huntblock.enabled":false}"#, false),
            (r#"{"resources.id":["res-9","res-2"]}"#, true),
            (r#"{"resources.id":"res-3"}"#, false),
        ] {
            let filter: Filter = filter.parse().unwrap();
            assert_eq!(filter.matches(&hunt), expected, "{filter}");
        }
    }

    #[test]
    fn takes_resource_ids() {
        let text = r#"{"resources.id":["res-17","res-18"],"type":"sipuser"}"#;
        let filter: Filter = text.parse().unwrap();
        assert_eq!(filter.conditions()[0].0, FieldPath::RESOURCE_ID);
        assert_eq!(filter.to_string(), text);
    }

    #[test]
    fn refusals_name_what_is_wrong() {
        for (text, needle) in [
            (r#"["code"]"#, "JSON object"),
            (r#"{"nope":1}"#, "nope"),
            (r#"{"weight":"heavy"}"#, "whole number"),
            (r#"{"huntblock.enabled":1}"#, "true or false"),
            (r#"{"objmode":[]}"#, "at least one"),
            (r#"{"strategy":{"mode":"simple"}}"#, "single-valued"),
            ("{", "not JSON"),
            (r#"{"resources.id":5}"#, "text"),
            (r#"{"resources.priority":5}"#, "resources.priority"),
        ] {
            let error = text.parse::<Filter>().unwrap_err().to_string();
            assert!(error.contains(needle), "{text}: {error}");
        }
    }
}
