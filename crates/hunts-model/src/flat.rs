//! The flat form (`flat=true`): composite objects become dotted keys, arrays stay arrays.

use serde_json::{Map, Value};

/// `{"huntblock": {"enabled": true}}` becomes `{"huntblock.enabled": true}`.
pub fn flatten(value: &Value) -> Value {
    let Value::Object(object) = value else {
        return value.clone();
    };
    let mut flat = Map::new();
    flatten_into(object, "", &mut flat);
    Value::Object(flat)
}

fn flatten_into(object: &Map<String, Value>, prefix: &str, flat: &mut Map<String, Value>) {
    for (key, value) in object {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) => flatten_into(inner, &path, flat),
            other => {
                flat.insert(path, other.clone());
            }
        }
    }
}

/// The inverse of `flatten`: `{"huntblock.enabled": true}` becomes `{"huntblock": {"enabled": true}}`.
pub fn unflatten(flat: &Map<String, Value>) -> Value {
    let mut nested = Map::new();
    for (path, value) in flat {
        let mut segments: Vec<&str> = path.split('.').collect();
        let last = segments.pop().expect("split yields a segment");
        let mut target = &mut nested;
        for segment in segments {
            let entry = target
                .entry(segment)
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            target = entry.as_object_mut().expect("made an object above");
        }
        target.insert(last.to_owned(), value.clone());
    }
    Value::Object(nested)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_objects_become_dotted_keys_and_arrays_stay() {
        let hunt = json!({"code": "c", "strategy": {"mode": "timers", "seconds": [5]}, "resources": [{"id": "r", "priority": 1}]});
        assert_eq!(
            flatten(&hunt),
            json!({"code": "c", "strategy.mode": "timers", "strategy.seconds": [5], "resources": [{"id": "r", "priority": 1}]})
        );
        let Value::Object(flat) = flatten(&hunt) else {
            unreachable!()
        };
        assert_eq!(unflatten(&flat), hunt);
    }
}
