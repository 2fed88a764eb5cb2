//! The three-way merge of an edit that meets someone else's change: the hunt as the form opened
//! it (`base`), as it is now (`theirs`), and as the form has it (`yours`). Every field only one
//! side changed takes that side's value; a field both changed alike takes it; a field both
//! changed differently is a `Clash`, left as yours until the admin chooses. Resources merge as a
//! ring, agent by agent: one added by them and another moved by you both survive, and only an
//! agent both sides changed differently makes the resources clash. Nothing either side changed
//! is dropped without being said.

use serde_json::{Map, Value};

use crate::{FIELDS, FieldPath, Resource, priorities};

/// A hunt in the flat form (`flatten`), as the form's draft holds it.
pub type Flat = Map<String, Value>;

/// One side of a clash: the flat keys of its field (the strategy's two) and their values
/// (`None`: not set).
pub type Side = Vec<(&'static str, Option<Value>)>;

/// A field (or the strategy, whose mode and seconds go together) both sides changed
/// differently, with each side's value.
#[derive(Clone, Debug, PartialEq)]
pub struct Clash {
    pub path: FieldPath,
    pub theirs: Side,
    pub yours: Side,
}

/// What a merge gives: the hunt with yours kept where sides clash, what they changed (taken in
/// or clashing, in the catalog's order), and the clashes.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    pub hunt: Flat,
    pub theirs_changed: Vec<FieldPath>,
    pub clashes: Vec<Clash>,
}

/// The merge of `yours` with `theirs`, both edits of `base` (whole hunts in the flat form).
/// The fields the server writes (`id`, `ext`) are theirs.
pub fn merge_edits(base: &Flat, theirs: &Flat, yours: &Flat) -> Merged {
    let mut hunt = yours.clone();
    let mut theirs_changed = Vec::new();
    let mut clashes = Vec::new();
    for field in FIELDS.iter().filter(|field| field.server_set) {
        put(&mut hunt, field.path, theirs.get(field.path).cloned());
    }
    for path in units() {
        let (old, new, mine) = (part(base, path), part(theirs, path), part(yours, path));
        if new == old {
            continue;
        }
        theirs_changed.push(path);
        if mine == old || mine == new {
            settle(&mut hunt, &new);
            continue;
        }
        match merge_ring(&old, &new, &mine) {
            Some((merged, None)) => settle(&mut hunt, &merged),
            Some((merged, Some(theirs))) => {
                settle(&mut hunt, &merged);
                clashes.push(Clash {
                    path,
                    theirs,
                    yours: merged,
                });
            }
            None => clashes.push(Clash {
                path,
                theirs: new,
                yours: mine,
            }),
        }
    }
    Merged {
        hunt,
        theirs_changed,
        clashes,
    }
}

/// Puts one side's values into `hunt` (a clash settled, or a change taken in).
pub fn settle(hunt: &mut Flat, side: &Side) {
    for (key, value) in side {
        put(hunt, key, value.clone());
    }
}

/// What the merge compares one at a time, in the catalog's order: every field an admin enters,
/// but the strategy's mode and seconds as one (a timers strategy without its seconds is none).
fn units() -> impl Iterator<Item = FieldPath> {
    FIELDS
        .iter()
        .filter(|field| {
            field.path == "strategy"
                || (field.section.is_some()
                    && !field.server_set
                    && !field.path.starts_with("strategy."))
        })
        .filter_map(|field| FieldPath::lookup(field.path))
}

/// The flat keys of `path` (itself, or the strategy's members) and their values.
fn part(hunt: &Flat, path: FieldPath) -> Side {
    FIELDS
        .iter()
        .map(|field| field.path)
        .filter(|key| {
            *key == path.as_str()
                || (path.kind() == crate::Kind::Group
                    && key
                        .strip_prefix(path.as_str())
                        .is_some_and(|rest| rest.starts_with('.')))
        })
        .map(|key| (key, hunt.get(key).cloned()))
        .collect()
}

fn put(hunt: &mut Flat, key: &str, value: Option<Value>) {
    match value {
        Some(value) => hunt.insert(key.to_owned(), value),
        None => hunt.remove(key),
    };
}

/// The resources both sides changed, merged agent by agent: the ring with yours kept where an
/// agent clashes, and (if any agent does) the ring with theirs kept instead. `None` when the
/// part is not the resources, or a side's is not a list of distinct agents (then the field
/// clashes whole).
fn merge_ring(base: &Side, theirs: &Side, yours: &Side) -> Option<(Side, Option<Side>)> {
    let agents = |part: &Side| -> Option<Vec<Resource>> {
        let [("resources", value)] = part.as_slice() else {
            return None;
        };
        let list: Vec<Resource> =
            serde_json::from_value(value.clone().unwrap_or(Value::Array(Vec::new()))).ok()?;
        let distinct = list
            .iter()
            .enumerate()
            .all(|(at, agent)| list[..at].iter().all(|other| other.id != agent.id));
        distinct.then_some(list)
    };
    let (base, theirs, yours) = (agents(base)?, agents(theirs)?, agents(yours)?);
    let of = |list: &[Resource], id: &str| {
        list.iter()
            .find(|agent| agent.id == id)
            .map(|agent| agent.priority)
    };
    // Yours in your order, then the agents only they have, then those only the base had.
    let mut order: Vec<&str> = Vec::new();
    for agent in yours.iter().chain(&theirs).chain(&base) {
        if !order.contains(&agent.id.as_str()) {
            order.push(&agent.id);
        }
    }
    let (mut kept, mut theirs_kept, mut clashed) = (Vec::new(), Vec::new(), false);
    for id in order {
        let (was, now, mine) = (of(&base, id), of(&theirs, id), of(&yours, id));
        let (one, other) = match (now == was, mine == was, now == mine) {
            (true, _, _) => (mine, mine),
            (_, true, _) | (_, _, true) => (now, now),
            _ => {
                clashed = true;
                (mine, now)
            }
        };
        let agent = |priority: Option<i32>| {
            priority.map(|priority| Resource {
                id: id.to_owned(),
                priority,
            })
        };
        kept.extend(agent(one));
        theirs_kept.extend(agent(other));
    }
    let ring = |list: Vec<Resource>| -> Side {
        let value = serde_json::to_value(priorities::ring_order(&list)).ok();
        vec![("resources", value)]
    };
    Some((ring(kept), clashed.then(|| ring(theirs_kept))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{flatten, merge_patch};
    use serde_json::json;

    fn hunt(fields: Value) -> Flat {
        let mut hunt = crate::Hunt::default().to_json();
        merge_patch(&mut hunt, &fields);
        match flatten(&hunt) {
            Value::Object(flat) => flat,
            _ => unreachable!(),
        }
    }

    fn settled(merged: &Merged, at: usize, theirs: bool) -> Flat {
        let mut hunt = merged.hunt.clone();
        let clash = &merged.clashes[at];
        settle(&mut hunt, if theirs { &clash.theirs } else { &clash.yours });
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
        assert_eq!(merged.hunt["huntblock.reason"], "c");
        assert_eq!(merged.clashes.len(), 1);
        assert_eq!(merged.clashes[0].path.label(), "Block reason");
        assert_eq!(settled(&merged, 0, true)["huntblock.reason"], "b");
        assert_eq!(settled(&merged, 0, false)["huntblock.reason"], "c");
    }

    #[test]
    fn the_strategy_merges_as_one() {
        let base = hunt(json!({}));
        let theirs = hunt(json!({"strategy": {"mode": "timers", "seconds": [5, 10]}}));
        let yours = hunt(json!({"strategy": {"mode": "timers", "seconds": [7]}}));
        let merged = merge_edits(&base, &theirs, &yours);
        assert_eq!(merged.clashes.len(), 1);
        assert_eq!(merged.clashes[0].path.as_str(), "strategy");
        let chosen = settled(&merged, 0, true);
        assert_eq!(
            (&chosen["strategy.mode"], &chosen["strategy.seconds"]),
            (&json!("timers"), &json!([5, 10]))
        );
        // Back to simple: the seconds go with the mode.
        let theirs = hunt(json!({"strategy": {"mode": "simple"}}));
        let base = yours.clone();
        let merged = merge_edits(&base, &theirs, &yours);
        assert_eq!(merged.hunt["strategy.mode"], "simple");
        assert!(!merged.hunt.contains_key("strategy.seconds"));
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
        // Their move of a, and your new agent d.
        assert_eq!(
            settled(&merged, 0, true)["resources"],
            json!([{"id": "b", "priority": 10}, {"id": "a", "priority": 5}, {"id": "d", "priority": 0}])
        );
    }

    #[test]
    fn the_server_fields_are_theirs() {
        let base = hunt(json!({"id": "x", "ext": {"ct": "t0", "lwt": "t1"}}));
        let theirs = hunt(json!({"id": "x", "ext": {"ct": "t0", "lwt": "t2"}}));
        let merged = merge_edits(&base, &theirs, &base);
        assert_eq!(merged.hunt["ext.lwt"], "t2");
        assert!(merged.theirs_changed.is_empty());
    }
}
