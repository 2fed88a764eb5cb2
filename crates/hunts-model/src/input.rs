//! Strict parsing of a hunt that is about to be stored: every field of the right type and range,
//! no field the entity lacks, and the rules the contract adds (code required, unique resource ids,
//! a timers strategy with seconds). Errors name the field path, so forms and the server agree.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::fields::{FieldPath, Kind, expected, is_count};
use crate::{Hunt, ModelError};

impl Hunt {
    /// Parses a hunt from untrusted JSON (a create body, or a stored hunt with a patch merged in).
    /// `ext` is the server's to set and is ignored; a `simple` strategy drops any `seconds`.
    pub fn from_input(input: &Value) -> Result<Hunt, ModelError> {
        if let Some(error) = validate_input(input).into_iter().next() {
            return Err(error);
        }
        let mut object = input.as_object().cloned().unwrap_or_default();
        object.remove("ext");
        if let Some(Value::Object(strategy)) = object.get_mut("strategy")
            && strategy.get("mode").and_then(Value::as_str) == Some("simple")
        {
            strategy.remove("seconds");
        }
        serde_json::from_value(Value::Object(object)).map_err(|error| ModelError::WrongType {
            field: "hunt".to_owned(),
            expected: if error.is_data() {
                "a hunt"
            } else {
                "valid JSON"
            },
        })
    }
}

/// Every problem with a hunt given as JSON, in field order; empty when `Hunt::from_input` accepts it.
/// A form shows all of them at once; the server reports the first.
pub fn validate_input(input: &Value) -> Vec<ModelError> {
    let Some(object) = input.as_object() else {
        return vec![ModelError::NotAnObject];
    };
    let mut errors = Vec::new();
    check_object(object, "", &mut errors);
    match object.get("code") {
        None => errors.push(ModelError::Required("code".to_owned())),
        Some(Value::String(code)) => check_name("code", code, Presence::Required, &mut errors),
        Some(_) => {}
    }
    if let Some(Value::String(phonenumber)) = object.get("phonenumber") {
        check_name("phonenumber", phonenumber, Presence::Optional, &mut errors);
    }
    if let Some(Value::String(id)) = object.get("id")
        && !is_uuid(id)
    {
        errors.push(ModelError::NotUuid("id".to_owned()));
    }
    if let Some(Value::Object(strategy)) = object.get("strategy") {
        check_strategy(strategy, &mut errors);
    }
    errors
}

fn check_object(object: &Map<String, Value>, prefix: &str, errors: &mut Vec<ModelError>) {
    for (key, value) in object {
        // The server sets the timestamps; whatever a client sends there is ignored, not refused.
        if prefix.is_empty() && key == "ext" {
            continue;
        }
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let Some(field_path) = FieldPath::lookup(&path) else {
            errors.push(ModelError::UnknownField(path));
            continue;
        };
        match field_path.kind() {
            Kind::Group => match value.as_object() {
                Some(inner) => check_object(inner, &path, errors),
                None => errors.push(wrong_type(path, Kind::Group)),
            },
            Kind::Resources => check_resources(value, errors),
            Kind::Seconds => check_seconds(value, errors),
            kind if !field_path.accepts(value) => errors.push(wrong_type(path, kind)),
            _ => {}
        }
    }
}

/// Whether a name field may be left empty.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Presence {
    Required,
    Optional,
}

fn check_name(field: &str, value: &str, presence: Presence, errors: &mut Vec<ModelError>) {
    if value.trim().is_empty() {
        if presence == Presence::Required {
            errors.push(ModelError::Empty(field.to_owned()));
        }
        return;
    }
    if value.trim() != value {
        errors.push(ModelError::Untrimmed(field.to_owned()));
    }
    if value.chars().any(is_bad_char) {
        errors.push(ModelError::BadText(field.to_owned()));
    }
}

/// The contract's "bad text": control characters (C0, DEL and C1) and bidirectional controls,
/// which would make two codes that look alike, or one that reads backwards, on an admin's screen.
fn is_bad_char(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

fn check_strategy(strategy: &Map<String, Value>, errors: &mut Vec<ModelError>) {
    match strategy.get("mode") {
        None => errors.push(ModelError::Required("strategy.mode".to_owned())),
        Some(Value::String(mode)) if mode == "simple" => {}
        Some(Value::String(mode)) if mode == "timers" => match strategy.get("seconds") {
            None => errors.push(ModelError::Required("strategy.seconds".to_owned())),
            Some(Value::Array(seconds)) if seconds.is_empty() => {
                errors.push(ModelError::Empty("strategy.seconds".to_owned()));
            }
            Some(_) => {}
        },
        Some(Value::String(_)) => errors.push(ModelError::NotOneOf {
            field: "strategy.mode".to_owned(),
            allowed: crate::Strategy::MODES,
        }),
        // A mode of the wrong type was reported by check_object already.
        Some(_) => {}
    }
}

fn check_resources(value: &Value, errors: &mut Vec<ModelError>) {
    let Some(items) = value.as_array() else {
        errors.push(wrong_type("resources".to_owned(), Kind::Resources));
        return;
    };
    let mut seen = HashSet::new();
    for (index, item) in items.iter().enumerate() {
        let path = format!("resources[{index}]");
        let Some(resource) = item.as_object() else {
            errors.push(ModelError::WrongType {
                field: path,
                expected: "an object with id and priority",
            });
            continue;
        };
        for key in resource
            .keys()
            .filter(|key| !matches!(key.as_str(), "id" | "priority"))
        {
            errors.push(ModelError::UnknownField(format!("{path}.{key}")));
        }
        match resource.get("id") {
            None => errors.push(ModelError::Required(format!("{path}.id"))),
            Some(Value::String(id)) if id.trim().is_empty() => {
                errors.push(ModelError::Empty(format!("{path}.id")));
            }
            Some(Value::String(id)) => {
                if !seen.insert(id.as_str()) {
                    errors.push(ModelError::DuplicateResource {
                        field: format!("{path}.id"),
                        id: id.clone(),
                    });
                }
            }
            Some(_) => errors.push(wrong_type(format!("{path}.id"), Kind::Text)),
        }
        match resource.get("priority") {
            None => errors.push(ModelError::Required(format!("{path}.priority"))),
            Some(priority) if priority.as_i64().is_some_and(|p| i32::try_from(p).is_ok()) => {}
            Some(_) => errors.push(ModelError::WrongType {
                field: format!("{path}.priority"),
                expected: "a whole number",
            }),
        }
    }
}

fn check_seconds(value: &Value, errors: &mut Vec<ModelError>) {
    let Some(items) = value.as_array() else {
        errors.push(wrong_type("strategy.seconds".to_owned(), Kind::Seconds));
        return;
    };
    for (index, item) in items.iter().enumerate() {
        if !is_count(item) {
            errors.push(wrong_type(
                format!("strategy.seconds[{index}]"),
                Kind::Count,
            ));
        }
    }
}

fn wrong_type(field: String, kind: Kind) -> ModelError {
    ModelError::WrongType {
        field,
        expected: expected(kind),
    }
}

/// The hyphenated form (`8-4-4-4-12` hex digits, either case), the one the contract's examples
/// use. Checked by hand: the uuid crate's parser (which also reads braced, URN and simple
/// forms) cost the app's bundle more than this whole rule.
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(at, byte)| match at {
            8 | 13 | 18 | 23 => byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_hyphenated_uuids_only() {
        assert!(is_uuid("67e55044-10b1-426f-9247-bb680e5fe0c8"));
        assert!(is_uuid("67E55044-10B1-426F-9247-BB680E5FE0C8"));
        for other in [
            "67e5504410b1426f9247bb680e5fe0c8",
            "{67e55044-10b1-426f-9247-bb680e5fe0c8}",
            "urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8",
            "67e55044-10b1-426f-9247-bb680e5fe0cg",
            "67e55044-10b1-426f-9247bbb680e5fe0c8",
            "",
        ] {
            assert!(!is_uuid(other), "{other}");
        }
    }

    proptest::proptest! {
        /// The hand-written rule reads 36 characters as the uuid crate does.
        #[test]
        fn is_uuid_agrees_with_the_uuid_crate(text in "[0-9a-fA-F\\-g]{36}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9A-F]{4}-[0-9a-f]{4}-[0-9a-fG]{12}") {
            proptest::prop_assert_eq!(is_uuid(&text), uuid::Uuid::try_parse(&text).is_ok());
        }
    }

    /// Each row: an input and the errors it must produce, as (field, message).
    fn check(input: Value, expected: &[(&str, &str)]) {
        let errors = validate_input(&input);
        let got: Vec<(String, String)> = errors
            .iter()
            .map(|e| (e.field().unwrap_or("").to_owned(), e.to_string()))
            .collect();
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|(f, m)| (f.to_string(), m.to_string()))
            .collect();
        assert_eq!(got, want, "input: {input}");
    }

    #[test]
    fn refusals_name_the_field() {
        check(json!({"code": "a"}), &[]);
        check(json!({}), &[("code", "code is required")]);
        check(json!({"code": "  "}), &[("code", "code must not be empty")]);
        check(
            json!({"code": "a "}),
            &[("code", "code must not start or end with a space")],
        );
        check(json!({"code": 4}), &[("code", "code must be text")]);
        let bad_text = "must not hold control characters or bidirectional controls";
        for code in [
            "a\u{0}b",
            "a\u{1b}[31mred",
            "\u{202e}lanoitan",
            "a\u{2066}b",
            "a\u{85}b",
        ] {
            check(
                json!({"code": code}),
                &[("code", &format!("code {bad_text}"))],
            );
        }
        check(
            json!({"code": "a", "phonenumber": "\u{200f}4021"}),
            &[("phonenumber", &format!("phonenumber {bad_text}"))],
        );
        // Other scripts and ordinary punctuation are text like any other.
        check(
            json!({"code": "ventes_été-№4 (日本)", "phonenumber": "+49 30 1234"}),
            &[],
        );
        check(
            json!({"code": "a", "weight": -1}),
            &[("weight", "weight must be a whole number of 0 or more")],
        );
        check(
            json!({"code": "a", "weight": 1.5}),
            &[("weight", "weight must be a whole number of 0 or more")],
        );
        check(
            json!({"code": "a", "weight": 4294967296u64}),
            &[("weight", "weight must be a whole number of 0 or more")],
        );
        check(
            json!({"code": "a", "colour": "red"}),
            &[("colour", "colour is not a field of a hunt")],
        );
        check(
            json!({"code": "a", "opts": {"titel": ""}}),
            &[("opts.titel", "opts.titel is not a field of a hunt")],
        );
        check(
            json!({"code": "a", "huntblock": {"enabled": "yes"}}),
            &[(
                "huntblock.enabled",
                "huntblock.enabled must be true or false",
            )],
        );
        check(
            json!({"code": "a", "huntblock": true}),
            &[("huntblock", "huntblock must be an object")],
        );
        check(
            json!({"code": "a", "strategy": {"mode": "timers"}}),
            &[("strategy.seconds", "strategy.seconds is required")],
        );
        check(
            json!({"code": "a", "strategy": {"mode": "timers", "seconds": []}}),
            &[("strategy.seconds", "strategy.seconds must not be empty")],
        );
        check(
            json!({"code": "a", "strategy": {"mode": "timers", "seconds": [5, -2]}}),
            &[(
                "strategy.seconds[1]",
                "strategy.seconds[1] must be a whole number of 0 or more",
            )],
        );
        check(
            json!({"code": "a", "strategy": {"mode": "random"}}),
            &[(
                "strategy.mode",
                "strategy.mode must be one of: simple, timers",
            )],
        );
        check(
            json!({"code": "a", "id": "nope"}),
            &[(
                "id",
                "id must be a well-formed UUID such as 142e6187-016c-cd70-0da4-50e54938780c",
            )],
        );
        check(
            json!({"code": "a", "ext": {"ct": 5, "anything": true}}),
            &[],
        );
        check(
            json!({"code": "a", "resources": [{"id": "r1", "priority": 1}, {"id": "r1", "priority": 2}, {"id": "", "priority": 1}, {"priority": "high"}]}),
            &[
                ("resources[1].id", "resource r1 is listed twice"),
                ("resources[2].id", "resources[2].id must not be empty"),
                ("resources[3].id", "resources[3].id is required"),
                (
                    "resources[3].priority",
                    "resources[3].priority must be a whole number",
                ),
            ],
        );
        check(json!([1]), &[("", "a hunt must be a JSON object")]);
    }

    #[test]
    fn accepted_input_fills_defaults_and_ignores_ext() {
        let hunt = Hunt::from_input(&json!({"code": "q1", "ext": {"ct": "1999"}})).unwrap();
        assert_eq!(
            hunt,
            Hunt {
                code: "q1".to_owned(),
                ..Hunt::default()
            }
        );
    }

    #[test]
    fn simple_strategy_drops_leftover_seconds() {
        let hunt =
            Hunt::from_input(&json!({"code": "q", "strategy": {"mode": "simple", "seconds": [5]}}))
                .unwrap();
        assert_eq!(hunt.strategy, crate::Strategy::Simple);
    }
}
