//! Reading a request body as JSON, strictly: an object that names the same key twice is refused
//! (naming the key's path), where a lenient reader would silently keep the last value.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::ModelError;

/// Why a body could not be read.
#[derive(Debug)]
pub enum BodyError {
    /// Not JSON at all (or nested too deep); the message says where.
    Malformed(String),
    /// JSON, but refused: a key given twice.
    Refused(ModelError),
}

/// Parses `bytes` as JSON, refusing an object with a duplicate key.
pub fn parse_strict_json(bytes: &[u8]) -> Result<Value, BodyError> {
    let duplicate = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = Strict {
        path: String::new(),
        duplicate: &duplicate,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    match (parsed, duplicate.into_inner()) {
        (_, Some(path)) => Err(BodyError::Refused(ModelError::DuplicateKey(path))),
        (Ok(mut value), None) => {
            whole_numbers_as_integers(&mut value);
            Ok(value)
        }
        (Err(error), None) => Err(BodyError::Malformed(error.to_string())),
    }
}

/// JSON does not tell `5.0` from `5` (nor does JSON Schema's "integer"): a number with no
/// fraction is read as the integer it is, so `"weight": 5.0` is a weight of 5. A fraction
/// (`1.5`) stays a fraction, which a whole-number field refuses.
pub fn whole_numbers_as_integers(value: &mut Value) {
    match value {
        Value::Number(number) if !number.is_i64() && !number.is_u64() => {
            // 2^53: beyond it a float no longer holds every whole number exactly.
            const EXACT: f64 = 9_007_199_254_740_992.0;
            if let Some(real) = number.as_f64()
                && real.fract() == 0.0
                && real.abs() <= EXACT
            {
                #[allow(clippy::cast_possible_truncation)]
                let whole = real as i64;
                *value = Value::from(whole);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(object) => object.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// Builds a `Value` as serde_json would, knowing the path it is at, and stopping at the first
/// key an object repeats (recorded in `duplicate`).
struct Strict<'a> {
    path: String,
    duplicate: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut array = Vec::new();
        while let Some(item) = items.next_element_seed(Strict {
            path: format!("{}[{}]", self.path, array.len()),
            duplicate: self.duplicate,
        })? {
            array.push(item);
        }
        Ok(Value::Array(array))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = entries.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            if object.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some(path.clone());
                return Err(de::Error::custom(format!("{path} is given twice")));
            }
            let value = entries.next_value_seed(Strict {
                path,
                duplicate: self.duplicate,
            })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_json_as_serde_json_does() {
        let text = r#"{"code":"a","weight":3,"x":-1.5,"ok":true,"n":null,"resources":[{"id":"r","priority":-2}]}"#;
        assert_eq!(
            parse_strict_json(text.as_bytes()).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
        assert_eq!(parse_strict_json(b"\"key\"").unwrap(), json!("key"));
    }

    #[test]
    fn a_repeated_key_is_refused_by_its_path() {
        for (text, path) in [
            (r#"{"code":"a","code":"b"}"#, "code"),
            (
                r#"{"code":"a","huntblock":{"reason":"x","reason":"y"}}"#,
                "huntblock.reason",
            ),
            (
                r#"{"resources":[{"id":"a"},{"id":"b","id":"c"}]}"#,
                "resources[1].id",
            ),
        ] {
            match parse_strict_json(text.as_bytes()) {
                Err(BodyError::Refused(error)) => {
                    assert_eq!(error.field(), Some(path), "{text}");
                    assert_eq!(error.to_string(), format!("{path} is given twice"));
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn malformed_json_is_not_a_refusal() {
        for text in ["{", r#"{"code":}"#, "[1,]", "1 2"] {
            assert!(
                matches!(
                    parse_strict_json(text.as_bytes()),
                    Err(BodyError::Malformed(_))
                ),
                "{text}"
            );
        }
    }
}
