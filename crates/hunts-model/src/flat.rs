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
    }
}
