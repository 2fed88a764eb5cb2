//! The three-way merge of an edit with someone else's change, held to the rule it promises over
//! random edits of random hunts: every change only one side made is kept, every field both
//! changed differently is reported with both values, and nothing else is.

use std::collections::BTreeMap;

use hunts_model::merge::{Flat, Merged, merge_edits, settle};
use hunts_model::{FieldPath, Hunt, Resource, flatten};
use proptest::prelude::*;
use serde_json::Value;

/// The fields the edits below touch (few values each, so both sides often agree or clash).
#[derive(Clone, Debug)]
struct Edit {
    timeout: Option<u32>,
    reason: Option<&'static str>,
    strategy: Option<Option<Vec<u32>>>,
    /// Per agent of `a`..`e`: `Some(None)` removes it, `Some(Some(p))` puts it at priority p.
    agents: BTreeMap<char, Option<i32>>,
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        prop::option::of(prop_oneof![Just(0u32), Just(30), Just(60)]),
        prop::option::of(prop_oneof![Just(""), Just("night"), Just("storm")]),
        prop::option::of(prop::option::of(prop_oneof![
            Just(vec![5u32]),
            Just(vec![5, 10])
        ])),
        prop::collection::btree_map(
            prop_oneof![Just('a'), Just('b'), Just('c'), Just('d'), Just('e')],
            prop::option::of(prop_oneof![Just(1i32), Just(10), Just(20)]),
            0..4,
        ),
    )
        .prop_map(|(timeout, reason, strategy, agents)| Edit {
            timeout,
            reason,
            strategy,
            agents,
        })
}

fn base() -> impl Strategy<Value = Hunt> {
    (
        prop_oneof![Just(0u32), Just(30)],
        prop::collection::btree_map(
            prop_oneof![Just('a'), Just('b'), Just('c')],
            prop_oneof![Just(1i32), Just(10), Just(20)],
            0..3,
        ),
    )
        .prop_map(|(timeout, agents)| Hunt {
            code: "q".to_owned(),
            timeout,
            resources: ring(&agents),
            ..Hunt::default()
        })
}

fn ring(agents: &BTreeMap<char, i32>) -> Vec<Resource> {
    let list: Vec<Resource> = agents
        .iter()
        .map(|(id, priority)| Resource {
            id: id.to_string(),
            priority: *priority,
        })
        .collect();
    hunts_model::priorities::ring_order(&list)
}

fn applied(base: &Hunt, edit: &Edit) -> Flat {
    let mut hunt = base.clone();
    if let Some(timeout) = edit.timeout {
        hunt.timeout = timeout;
    }
    if let Some(reason) = edit.reason {
        hunt.huntblock.reason = reason.to_owned();
    }
    if let Some(strategy) = &edit.strategy {
        hunt.strategy = match strategy {
            Some(seconds) => hunts_model::Strategy::Timers {
                seconds: seconds.clone(),
            },
            None => hunts_model::Strategy::Simple,
        };
    }
    let mut agents = agents_of(&flat(&hunt.to_json()));
    for (id, priority) in &edit.agents {
        match priority {
            Some(priority) => agents.insert(*id, *priority),
            None => agents.remove(id),
        };
    }
    hunt.resources = ring(&agents);
    flat(&hunt.to_json())
}

fn flat(hunt: &Value) -> Flat {
    match flatten(hunt) {
        Value::Object(flat) => flat,
        _ => unreachable!("a hunt flattens to an object"),
    }
}

/// The value of a unit the merge compares (the strategy as one).
fn unit(hunt: &Flat, path: &str) -> Value {
    match path {
        "strategy" => Value::from(vec![
            hunt.get("strategy.mode").cloned().unwrap_or_default(),
            hunt.get("strategy.seconds").cloned().unwrap_or_default(),
        ]),
        _ => hunt[path].clone(),
    }
}

/// `merged` with its clash on `path` settled on their side or on yours.
fn settled(merged: &Merged, path: &str, theirs: bool) -> Flat {
    let clash = merged
        .clashes
        .iter()
        .find(|clash| clash.path.as_str() == path)
        .expect("a clash");
    let mut hunt = merged.hunt.clone();
    settle(&mut hunt, if theirs { &clash.theirs } else { &clash.yours });
    hunt
}

fn agents_of(hunt: &Flat) -> BTreeMap<char, i32> {
    let list: Vec<Resource> = serde_json::from_value(hunt["resources"].clone()).unwrap();
    list.iter()
        .map(|agent| (agent.id.chars().next().unwrap(), agent.priority))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn only_one_sides_changes_are_kept_and_every_clash_is_said(base in base(), theirs in edit(), yours in edit()) {
        let (old, new, mine) = (flat(&base.to_json()), applied(&base, &theirs), applied(&base, &yours));
        let merged = merge_edits(&old, &new, &mine);
        let clashing: Vec<&str> = merged.clashes.iter().map(|clash| clash.path.as_str()).collect();
        let changed: Vec<&str> = merged.theirs_changed.iter().map(|path| path.as_str()).collect();
        for path in ["timeout", "huntblock.reason", "strategy"] {
            let (b, t, y, m) = (unit(&old, path), unit(&new, path), unit(&mine, path), unit(&merged.hunt, path));
            prop_assert_eq!(changed.contains(&path), t != b, "{} in what they changed", path);
            if t == b {
                prop_assert_eq!(&m, &y, "{}: only yours changed", path);
            } else if y == b || y == t {
                prop_assert_eq!(&m, &t, "{}: only theirs changed", path);
            } else {
                prop_assert_eq!(&m, &y, "{}: a clash keeps yours until chosen", path);
                prop_assert_eq!(unit(&settled(&merged, path, true), path), t);
                prop_assert_eq!(unit(&settled(&merged, path, false), path), y);
                continue;
            }
            prop_assert!(!clashing.contains(&path), "{} clashes though one side kept it", path);
        }
        // Agent by agent: absent is a state like any priority.
        let (b, t, y, m) = (agents_of(&old), agents_of(&new), agents_of(&mine), agents_of(&merged.hunt));
        let settled = merged.clashes.iter().any(|clash| clash.path.as_str() == "resources")
            .then(|| agents_of(&settled(&merged, "resources", true)));
        prop_assert_eq!(settled.is_some(), clashing.contains(&"resources"));
        let mut clashed = false;
        for id in ['a', 'b', 'c', 'd', 'e'] {
            let (b, t, y, m) = (b.get(&id), t.get(&id), y.get(&id), m.get(&id));
            if t == b {
                prop_assert_eq!(m, y, "agent {}: only yours changed", id);
            } else if y == b || y == t {
                prop_assert_eq!(m, t, "agent {}: only theirs changed", id);
            } else {
                clashed = true;
                prop_assert_eq!(m, y, "agent {}: a clash keeps yours until chosen", id);
                let settled = settled.as_ref().expect("the resources clash");
                prop_assert_eq!(settled.get(&id), t, "agent {}: theirs chosen", id);
            }
            if let Some(settled) = &settled {
                // Choosing theirs changes only the agents that clashed.
                if !(t != b && y != b && y != t) {
                    prop_assert_eq!(settled.get(&id), m, "agent {}: unclashed, so unchanged by the choice", id);
                }
            }
        }
        prop_assert_eq!(clashed, clashing.contains(&"resources"));
        let list: Vec<Resource> = serde_json::from_value(merged.hunt["resources"].clone()).unwrap();
        prop_assert_eq!(&list, &hunts_model::priorities::ring_order(&list), "the merged ring is in ring order");
        prop_assert!(merged.clashes.iter().all(|clash| FieldPath::lookup(clash.path.as_str()).is_some()));
    }

    /// Merging in either order clashes on the same fields, with the values swapped.
    #[test]
    fn the_merge_is_symmetric_in_its_clashes(base in base(), theirs in edit(), yours in edit()) {
        let (old, new, mine) = (flat(&base.to_json()), applied(&base, &theirs), applied(&base, &yours));
        let one = merge_edits(&old, &new, &mine);
        let other = merge_edits(&old, &mine, &new);
        prop_assert_eq!(one.clashes.len(), other.clashes.len());
        for (a, b) in one.clashes.iter().zip(&other.clashes) {
            prop_assert_eq!(a.path, b.path);
            if a.path.as_str() != "resources" {
                prop_assert_eq!(&a.theirs, &b.yours);
                prop_assert_eq!(&a.yours, &b.theirs);
            }
        }
    }
}
