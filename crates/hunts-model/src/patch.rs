//! JSON Merge Patch (RFC 7396): applying one to a hunt, and computing the one that turns a hunt
//! as read into the hunt as edited, so the app sends only what the user changed.

use serde_json::{Map, Value};

use crate::{Hunt, ModelError};

/// Applies `patch` to `target` as RFC 7396 says: objects merge, `null` removes, anything else
/// (arrays included) replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let target = target.as_object_mut().expect("made an object above");
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
            continue;
        }
        merge_patch(target.entry(key.as_str()).or_insert(Value::Null), value);
    }
}

/// The smallest merge patch that turns `before` into `after`; `Value::Null` keys remove fields.
/// Returns an empty object when nothing changed.
pub fn merge_diff(before: &Value, after: &Value) -> Value {
    let (Value::Object(before), Value::Object(after)) = (before, after) else {
        return after.clone();
    };
    let mut patch = Map::new();
    for (key, after_value) in after {
        match before.get(key) {
            Some(before_value) if before_value == after_value => {}
            Some(before_value @ Value::Object(_)) if after_value.is_object() => {
                patch.insert(key.clone(), merge_diff(before_value, after_value));
            }
            _ => {
                patch.insert(key.clone(), after_value.clone());
            }
        }
    }
    for key in before.keys().filter(|key| !after.contains_key(*key)) {
        patch.insert(key.clone(), Value::Null);
    }
    Value::Object(patch)
}

/// The checks of a merge patch that hold whatever hunt it is applied to: it is an object, does
/// not change the id, and each field it sets has the right type and range. What depends on the
/// hunt (a timers strategy keeping its seconds) is left to `Hunt::patched`.
pub fn check_patch(id: &str, patch: &Value) -> Result<(), ModelError> {
    let Value::Object(fields) = patch else {
        return Err(ModelError::NotAnObject);
    };
    if fields
        .get("id")
        .is_some_and(|given| given.as_str() != Some(id))
    {
        return Err(ModelError::IdChanged);
    }
    // A field the entity lacks is refused even when the patch only removes it (`null`), which
    // merging alone would let pass as a change of nothing.
    known_fields(fields, "")?;
    // Any hunt will do as the base: the id was checked above (and an unknown one is a 404).
    let mut fields = fields.clone();
    fields.remove("id");
    let probe = Hunt {
        id: "00000000-0000-0000-0000-000000000000".to_owned(),
        code: "any".to_owned(),
        ..Hunt::default()
    };
    match probe.patched(&Value::Object(fields)) {
        Ok(_) => Ok(()),
        Err(ModelError::Required(field) | ModelError::Empty(field))
            if field == "strategy.seconds" =>
        {
            Ok(())
        }
        Err(error) => Err(error),
    }
}

fn known_fields(object: &Map<String, Value>, prefix: &str) -> Result<(), ModelError> {
    for (key, value) in object {
        if prefix.is_empty() && key == "ext" {
            continue;
        }
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let Some(field) = crate::FieldPath::lookup(&path) else {
            return Err(ModelError::UnknownField(path));
        };
        if let (crate::Kind::Group, Value::Object(inner)) = (field.kind(), value) {
            known_fields(inner, &path)?;
        }
    }
    Ok(())
}

impl Hunt {
    /// The hunt after a merge patch, parsed as strictly as a create. `id` cannot change and
    /// `ext` is left for the caller (the server) to set.
    pub fn patched(&self, patch: &Value) -> Result<Hunt, ModelError> {
        let Value::Object(fields) = patch else {
            return Err(ModelError::NotAnObject);
        };
        if let Some(id) = fields.get("id")
            && id.as_str() != Some(self.id.as_str())
        {
            return Err(ModelError::IdChanged);
        }
        let mut merged = self.to_json();
        merge_patch(&mut merged, patch);
        let mut hunt = Hunt::from_input(&merged)?;
        hunt.ext = self.ext.clone();
        Ok(hunt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc7396_examples() {
        // A selection of the RFC's own appendix A table.
        let rows = [
            (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": "b"}),
                json!({"b": "c"}),
                json!({"a": "b", "b": "c"}),
            ),
            (json!({"a": "b"}), json!({"a": null}), json!({})),
            (json!({"a": ["b"]}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": {"b": "c"}}),
                json!({"a": {"b": "d", "c": null}}),
                json!({"a": {"b": "d"}}),
            ),
            (
                json!({"a": [{"b": "c"}]}),
                json!({"a": [1]}),
                json!({"a": [1]}),
            ),
            (
                json!({"e": null}),
                json!({"a": 1}),
                json!({"e": null, "a": 1}),
            ),
            (
                json!([1, 2]),
                json!({"a": "b", "c": null}),
                json!({"a": "b"}),
            ),
            (
                json!({}),
                json!({"a": {"bb": {"ccc": null}}}),
                json!({"a": {"bb": {}}}),
            ),
        ];
        for (mut target, patch, expected) in rows {
            merge_patch(&mut target, &patch);
            assert_eq!(target, expected, "patch {patch}");
        }
    }

    #[test]
    fn diff_then_patch_gives_the_edit_back() {
        let before = json!({"code": "a", "weight": 1, "opts": {"title": "t", "comment": "c"}, "resources": [{"id": "r", "priority": 1}]});
        let after = json!({"code": "a", "weight": 2, "opts": {"title": "t", "comment": "d"}, "resources": []});
        let diff = merge_diff(&before, &after);
        assert_eq!(
            diff,
            json!({"weight": 2, "opts": {"comment": "d"}, "resources": []})
        );
        let mut patched = before.clone();
        merge_patch(&mut patched, &diff);
        assert_eq!(patched, after);
        assert_eq!(merge_diff(&after, &after), json!({}));
    }

    #[test]
    fn patched_hunt_keeps_id_and_refuses_a_new_one() {
        let hunt = Hunt {
            id: "a9667bcc-016c-cd71-6d06-50e54938780c".into(),
            code: "c".into(),
            ..Hunt::default()
        };
        assert_eq!(
            hunt.patched(&json!({"id": "0007f945-016c-b373-2772-50e54938780c"})),
            Err(ModelError::IdChanged)
        );
        let patched = hunt
            .patched(&json!({"id": hunt.id, "strategy": {"mode": "timers", "seconds": [5, 10]}}))
            .unwrap();
        assert_eq!(
            patched.strategy,
            crate::Strategy::Timers {
                seconds: vec![5, 10]
            }
        );
        assert_eq!(
            hunt.patched(&json!({"code": null})),
            Err(ModelError::Required("code".into()))
        );
    }
}
