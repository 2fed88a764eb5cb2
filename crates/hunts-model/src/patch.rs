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

/// The merge patch that undoes `patch` once it has been applied to `before`: each field the
/// patch touched gets `before`'s value back (`null`, removed, where `before` had none), and no
/// other field is named. So an Undo puts back only what its change wrote, never a field someone
/// else changed since, nor one the server sets (`ext`).
pub fn reverse_patch(patch: &Value, before: &Value) -> Value {
    let Value::Object(patch) = patch else {
        return before.clone();
    };
    let reversed = patch
        .iter()
        .map(|(key, value)| {
            let was = before.get(key);
            let back = match (value, was) {
                (Value::Object(_), Some(was @ Value::Object(_))) => reverse_patch(value, was),
                (_, Some(was)) => was.clone(),
                (_, None) => Value::Null,
            };
            (key.clone(), back)
        })
        .collect();
    Value::Object(reversed)
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
    use proptest::prelude::*;
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

    /// JSON of a few keys and levels, with nulls, arrays and objects: what merge patches hold.
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (0i64..4).prop_map(Value::from),
            "[ab]{0,2}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                proptest::collection::btree_map("[abc]", inner, 0..4)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    /// Objects without nulls, as a stored hunt is (a merge patch cannot store a null).
    fn stored_object() -> impl Strategy<Value = Value> {
        json_value().prop_map(|value| {
            let mut object = json!({});
            if value.is_object() {
                merge_patch(&mut object, &value);
            }
            object
        })
    }

    proptest! {
        #[test]
        fn a_reversed_patch_gives_the_object_back(before in stored_object(), patch in json_value(), other in stored_object()) {
            let patch = if patch.is_object() { patch } else { json!({"a": patch}) };
            let mut after = before.clone();
            merge_patch(&mut after, &patch);
            let reverse = reverse_patch(&patch, &before);
            let mut back = after.clone();
            merge_patch(&mut back, &reverse);
            prop_assert_eq!(&back, &before);
            // A field the patch did not touch, changed by someone else meanwhile, stays theirs.
            if let (Value::Object(other), Value::Object(touched)) = (&other, &patch) {
                let mut theirs = after.clone();
                let untouched: serde_json::Map<String, Value> = other
                    .iter()
                    .filter(|(key, _)| !touched.contains_key(*key))
                    .map(|(key, value)| (key.clone(), value.clone()))
                    .collect();
                merge_patch(&mut theirs, &Value::Object(untouched.clone()));
                let before_undo = theirs.clone();
                merge_patch(&mut theirs, &reverse);
                for key in untouched.keys() {
                    prop_assert_eq!(theirs.get(key), before_undo.get(key));
                }
            }
        }
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
