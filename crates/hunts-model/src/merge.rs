//! The three-way merge of an edit that meets someone else's change: the hunt as the form opened
//! it (`base`), as it is now (`theirs`), and as the form has it (`yours`). Every field only one
//! side changed takes that side's value; a field both changed alike takes it; a field both
//! changed differently is a `Clash`, left as yours until the admin chooses. Resources merge as a
//! ring, agent by agent: one added by them and another moved by you both survive, and only an
//! agent both sides changed differently makes the resources clash. Nothing either side changed
//! is dropped without being said.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::{FIELDS, FieldPath, Resource, flatten, merge_patch, priorities, unflatten};

/// A field (or the strategy, whose mode and seconds go together) both sides changed
/// differently: each side's value as a merge patch of the hunt, so either is taken with
/// `merge_patch`.
#[derive(Clone, Debug, PartialEq)]
pub struct Clash {
    pub path: FieldPath,
    pub theirs: Value,
    pub yours: Value,
}

/// What a merge gives: the hunt with yours kept where sides clash, what they changed (taken in
/// or clashing, in the catalog's order), and the clashes.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    pub hunt: Value,
    pub theirs_changed: Vec<FieldPath>,
    pub clashes: Vec<Clash>,
}

/// The merge of `yours` with `theirs`, both edits of `base` (whole hunts as JSON). The fields the
/// server writes (`id`, `ext`) are theirs.
pub fn merge_edits(base: &Value, theirs: &Value, yours: &Value) -> Merged {
    let (base, theirs, yours) = (flat(base), flat(theirs), flat(yours));
    let mut hunt = yours.clone();
    let mut theirs_changed = Vec::new();
    let mut clashes = Vec::new();
    for field in FIELDS.iter().filter(|field| field.server_set) {
        put(&mut hunt, field.path, theirs.get(field.path).cloned());
    }
    for path in units() {
        let (old, new, mine) = (part(&base, path), part(&theirs, path), part(&yours, path));
        if new == old {
            continue;
        }
        theirs_changed.push(path);
        if mine == old || mine == new {
            for (key, value) in new {
                put(&mut hunt, &key, value);
            }
            continue;
        }
        let ring = match path.as_str() {
            "resources" => merge_ring(&old, &new, &mine),
            _ => None,
        };
        match ring {
            Some(Ring {
                merged,
                clash: None,
            }) => put(&mut hunt, "resources", Some(merged)),
            Some(Ring {
                merged,
                clash: Some(theirs),
            }) => {
                put(&mut hunt, "resources", Some(merged.clone()));
                clashes.push(Clash {
                    path,
                    theirs: patch_of(vec![("resources".to_owned(), Some(theirs))]),
                    yours: patch_of(vec![("resources".to_owned(), Some(merged))]),
                });
            }
            None => clashes.push(Clash {
                path,
                theirs: patch_of(new),
                yours: patch_of(mine),
            }),
        }
    }
    theirs_changed.sort_by_key(|path| path.rank());
    Merged {
        hunt: unflatten(&hunt),
        theirs_changed,
        clashes,
    }
}

/// What the merge compares one at a time: every field an admin enters, but the strategy's mode
/// and seconds as one (a timers strategy without its seconds is no strategy).
fn units() -> impl Iterator<Item = FieldPath> {
    FieldPath::lookup("strategy")
        .into_iter()
        .chain(FieldPath::entered().filter(|path| !path.as_str().starts_with("strategy.")))
}

fn flat(hunt: &Value) -> Map<String, Value> {
    match flatten(hunt) {
        Value::Object(fields) => fields,
        _ => Map::new(),
    }
}

/// The flat keys of `path` (itself, or its members for a group) and their values, in key order.
type Part = Vec<(String, Option<Value>)>;

fn part(hunt: &Map<String, Value>, path: FieldPath) -> Part {
    let prefix = format!("{}.", path.as_str());
    let mut keys: Vec<String> = match path.kind() {
        crate::Kind::Group => FIELDS
            .iter()
            .filter(|field| field.path.starts_with(&prefix))
            .map(|field| field.path.to_owned())
            .collect(),
        _ => vec![path.as_str().to_owned()],
    };
    keys.extend(
        hunt.keys()
            .filter(|key| key.starts_with(&prefix) && !keys.contains(key))
            .cloned()
            .collect::<Vec<_>>(),
    );
    keys.sort();
    keys.into_iter()
        .map(|key| {
            let value = hunt.get(&key).cloned();
            (key, value)
        })
        .collect()
}

fn put(hunt: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    match value {
        Some(value) => hunt.insert(key.to_owned(), value),
        None => hunt.remove(key),
    };
}

/// A part as a merge patch (a key it lacks becomes `null`, removed).
fn patch_of(part: Part) -> Value {
    let mut patch = Value::Object(Map::new());
    for (key, value) in part {
        let mut one = Map::new();
        one.insert(key, value.unwrap_or(Value::Null));
        merge_into(&mut patch, &unflatten(&one));
    }
    patch
}

/// Like `merge_patch`, but keeping `null`s (a patch built of patches).
fn merge_into(target: &mut Value, patch: &Value) {
    match (target.as_object_mut(), patch) {
        (Some(target), Value::Object(patch)) => {
            for (key, value) in patch {
                match (target.get_mut(key), value) {
                    (Some(inner @ Value::Object(_)), Value::Object(_)) => merge_into(inner, value),
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        _ => *target = patch.clone(),
    }
}

/// The resources both sides changed, merged agent by agent: `merged` keeps yours where an
/// agent clashes, `clash` (if any agent does) is the ring with theirs kept instead.
struct Ring {
    merged: Value,
    clash: Option<Value>,
}

/// `None` when a side's resources are not a list of distinct agents (then the field clashes
/// whole).
fn merge_ring(base: &Part, theirs: &Part, yours: &Part) -> Option<Ring> {
    let agents = |part: &Part| -> Option<Vec<Resource>> {
        let value = part.first()?.1.clone().unwrap_or(Value::Array(Vec::new()));
        let list: Vec<Resource> = serde_json::from_value(value).ok()?;
        let mut seen = std::collections::HashSet::new();
        list.iter()
            .all(|agent| seen.insert(agent.id.clone()))
            .then_some(list)
    };
    let (base, theirs, yours) = (agents(base)?, agents(theirs)?, agents(yours)?);
    let priority = |list: &[Resource]| -> HashMap<String, i32> {
        list.iter()
            .map(|agent| (agent.id.clone(), agent.priority))
            .collect()
    };
    let (old, new, mine) = (priority(&base), priority(&theirs), priority(&yours));
    // Yours in your order, then the agents only they have, in theirs.
    let mut order: Vec<&str> = yours.iter().map(|agent| agent.id.as_str()).collect();
    for agent in &theirs {
        if !mine.contains_key(&agent.id) {
            order.push(&agent.id);
        }
    }
    order.extend(
        base.iter()
            .map(|agent| agent.id.as_str())
            .filter(|id| !mine.contains_key(*id) && !new.contains_key(*id)),
    );
    let (mut kept, mut theirs_kept, mut clashed) = (Vec::new(), Vec::new(), false);
    for id in order {
        let (was, now, mine) = (old.get(id), new.get(id), mine.get(id));
        let (one, other) = match (now == was, mine == was, now == mine) {
            (true, _, _) => (mine, mine),
            (_, true, _) | (_, _, true) => (now, now),
            _ => {
                clashed = true;
                (mine, now)
            }
        };
        let agent = |priority: Option<&i32>| {
            priority.map(|priority| Resource {
                id: id.to_owned(),
                priority: *priority,
            })
        };
        kept.extend(agent(one));
        theirs_kept.extend(agent(other));
    }
    let ring = |list: Vec<Resource>| {
        serde_json::to_value(priorities::ring_order(&list)).expect("resources serialize")
    };
    Some(Ring {
        merged: ring(kept),
        clash: clashed.then(|| ring(theirs_kept)),
    })
}

/// `hunt` with the clash settled on one side.
pub fn settle(hunt: &Value, clash: &Clash, theirs: bool) -> Value {
    let mut settled = hunt.clone();
    merge_patch(
        &mut settled,
        if theirs { &clash.theirs } else { &clash.yours },
    );
    settled
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hunt(fields: Value) -> Value {
        let mut hunt = crate::Hunt::default().to_json();
        merge_patch(&mut hunt, &fields);
        hunt
    }

    #[test]
    fn a_field_only_they_changed_is_taken_in_and_yours_kept() {
        let base = hunt(json!({"code": "q", "timeout": 30, "weight": 1}));
        let theirs = hunt(json!({"code": "q", "timeout": 60, "weight": 1}));
        let yours = hunt(json!({"code": "q", "timeout": 30, "weight": 5}));
        let merged = merge_edits(&base, &theirs, &yours);
        assert_eq!(merged.hunt["timeout"], 60);
        assert_eq!(merged.hunt["weight"], 5);
        assert!(merged.clashes.is_empty());
        let labels: Vec<&str> = merged.theirs_changed.iter().map(|p| p.label()).collect();
        assert_eq!(labels, ["Timeout"]);
    }

    #[test]
    fn a_field_both_changed_differently_clashes_with_both_values() {
        let base = hunt(json!({"huntblock": {"reason": "a"}}));
        let theirs = hunt(json!({"huntblock": {"reason": "b"}}));
        let yours = hunt(json!({"huntblock": {"reason": "c"}}));
        let merged = merge_edits(&base, &theirs, &yours);
        assert_eq!(merged.hunt["huntblock"]["reason"], "c");
        assert_eq!(merged.clashes.len(), 1);
        let clash = &merged.clashes[0];
        assert_eq!(clash.path.label(), "Block reason");
        assert_eq!(
            settle(&merged.hunt, clash, true)["huntblock"]["reason"],
            "b"
        );
        assert_eq!(
            settle(&merged.hunt, clash, false)["huntblock"]["reason"],
            "c"
        );
    }

    #[test]
    fn the_strategy_merges_as_one() {
        let base = hunt(json!({}));
        let theirs = hunt(json!({"strategy": {"mode": "timers", "seconds": [5, 10]}}));
        let yours = hunt(json!({"strategy": {"mode": "timers", "seconds": [7]}}));
        let merged = merge_edits(&base, &theirs, &yours);
        assert_eq!(merged.clashes.len(), 1);
        assert_eq!(merged.clashes[0].path.as_str(), "strategy");
        let settled = settle(&merged.hunt, &merged.clashes[0], true);
        assert_eq!(
            settled["strategy"],
            json!({"mode": "timers", "seconds": [5, 10]})
        );
        // Back to simple: the seconds go with the mode.
        let theirs = hunt(json!({"strategy": {"mode": "simple"}}));
        let base = yours.clone();
        let merged = merge_edits(&base, &theirs, &yours);
        assert_eq!(merged.hunt["strategy"], json!({"mode": "simple"}));
    }

    #[test]
    fn an_agent_added_by_them_and_another_moved_by_you_both_survive() {
        let base =
            hunt(json!({"resources": [{"id": "a", "priority": 20}, {"id": "b", "priority": 10}]}));
        let theirs = hunt(
            json!({"resources": [{"id": "a", "priority": 20}, {"id": "b", "priority": 10}, {"id": "c", "priority": 5}]}),
        );
        let yours =
            hunt(json!({"resources": [{"id": "b", "priority": 30}, {"id": "a", "priority": 20}]}));
        let merged = merge_edits(&base, &theirs, &yours);
        assert!(merged.clashes.is_empty());
        assert_eq!(
            merged.hunt["resources"],
            json!([{"id": "b", "priority": 30}, {"id": "a", "priority": 20}, {"id": "c", "priority": 5}])
        );
    }

    #[test]
    fn an_agent_both_moved_differently_makes_the_resources_clash() {
        let base =
            hunt(json!({"resources": [{"id": "a", "priority": 20}, {"id": "b", "priority": 10}]}));
        let theirs =
            hunt(json!({"resources": [{"id": "a", "priority": 5}, {"id": "b", "priority": 10}]}));
        let yours = hunt(
            json!({"resources": [{"id": "b", "priority": 10}, {"id": "a", "priority": 1}, {"id": "d", "priority": 0}]}),
        );
        let merged = merge_edits(&base, &theirs, &yours);
        assert_eq!(merged.clashes.len(), 1);
        let settled = settle(&merged.hunt, &merged.clashes[0], true);
        // Their move of a, and your new agent d.
        assert_eq!(
            settled["resources"],
            json!([{"id": "b", "priority": 10}, {"id": "a", "priority": 5}, {"id": "d", "priority": 0}])
        );
    }

    #[test]
    fn the_server_fields_are_theirs() {
        let base = hunt(json!({"id": "x", "ext": {"ct": "t0", "lwt": "t1"}}));
        let theirs = hunt(json!({"id": "x", "ext": {"ct": "t0", "lwt": "t2"}}));
        let merged = merge_edits(&base, &theirs, &base);
        assert_eq!(merged.hunt["ext"]["lwt"], "t2");
        assert!(merged.theirs_changed.is_empty());
    }
}
