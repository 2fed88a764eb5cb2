//! Changes made to many hunts at once: each is a rule that turns one hunt into its changed
//! self, or says it would not change, or refuses with the model's own message. The app
//! previews a change on every selected hunt with this, then sends each hunt's merge patch.

use serde_json::Value;

use crate::priorities::{self, STEP};
use crate::{FieldPath, Hunt, ModelError, Resource, merge_diff};

/// Where an added resource rings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// At this priority (joining a tier of equal priority, if there is one).
    Priority(i32),
    /// Above every other resource of the hunt.
    Top,
    /// Below every other resource of the hunt.
    Bottom,
}

/// One change for many hunts.
#[derive(Clone, Debug, PartialEq)]
pub enum BulkChange {
    AddResource {
        id: String,
        placement: Placement,
    },
    RemoveResource {
        id: String,
    },
    /// B takes A's place (its priority); a hunt without A does not change.
    ReplaceResource {
        from: String,
        to: String,
    },
    Block {
        reason: String,
        expires: u32,
    },
    Unblock,
    /// A single-valued field set to a value (checked as any input is).
    SetField {
        path: FieldPath,
        value: Value,
    },
    /// Each hunt deleted (and, on Undo, created again with its id and every field).
    Delete,
}

/// What a change does to one hunt.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The hunt after the change, and the merge patch that makes it.
    Changes {
        after: Box<Hunt>,
        patch: Value,
    },
    Unchanged,
    Refused(ModelError),
    /// The hunt goes.
    Deletes,
}

impl BulkChange {
    /// The change applied to `hunt`, checked by the model's rules.
    pub fn apply(&self, hunt: &Hunt) -> Outcome {
        if *self == BulkChange::Delete {
            return Outcome::Deletes;
        }
        let changed = match self.changed(hunt) {
            Ok(Some(changed)) => changed,
            Ok(None) => return Outcome::Unchanged,
            Err(error) => return Outcome::Refused(error),
        };
        let patch = merge_diff(&hunt.to_json(), &changed);
        if patch.as_object().is_some_and(|fields| fields.is_empty()) {
            return Outcome::Unchanged;
        }
        match hunt.patched(&patch) {
            Ok(after) => Outcome::Changes {
                after: Box::new(after),
                patch,
            },
            Err(error) => Outcome::Refused(error),
        }
    }

    /// The hunt as JSON after the change, or `None` where it does not apply.
    fn changed(&self, hunt: &Hunt) -> Result<Option<Value>, ModelError> {
        let mut json = hunt.to_json();
        match self {
            BulkChange::AddResource { id, placement } => {
                if hunt.resources.iter().any(|resource| resource.id == *id) {
                    return Ok(None);
                }
                let ring = priorities::ring_order(&hunt.resources);
                let priority = match placement {
                    Placement::Priority(priority) => *priority,
                    Placement::Top => ring.first().map_or(100, |top| top.priority + STEP),
                    Placement::Bottom => ring.last().map_or(100, |last| last.priority - STEP),
                };
                let mut resources = hunt.resources.clone();
                resources.push(Resource {
                    id: id.clone(),
                    priority,
                });
                json["resources"] = resources_json(&priorities::ring_order(&resources));
            }
            BulkChange::RemoveResource { id } => {
                if !hunt.resources.iter().any(|resource| resource.id == *id) {
                    return Ok(None);
                }
                let kept: Vec<Resource> = hunt
                    .resources
                    .iter()
                    .filter(|resource| resource.id != *id)
                    .cloned()
                    .collect();
                json["resources"] = resources_json(&kept);
            }
            BulkChange::ReplaceResource { from, to } => {
                if !hunt.resources.iter().any(|resource| resource.id == *from) {
                    return Ok(None);
                }
                let replaced: Vec<Resource> = hunt
                    .resources
                    .iter()
                    .filter(|resource| resource.id != *to)
                    .map(|resource| Resource {
                        id: if resource.id == *from {
                            to.clone()
                        } else {
                            resource.id.clone()
                        },
                        priority: resource.priority,
                    })
                    .collect();
                json["resources"] = resources_json(&replaced);
            }
            // No reason given: each hunt keeps its own (a block does not wipe why a hunt
            // already blocked is closed).
            BulkChange::Block { reason, expires } => {
                json["huntblock"]["enabled"] = Value::Bool(true);
                json["huntblock"]["expires"] = Value::from(*expires);
                if !reason.is_empty() {
                    json["huntblock"]["reason"] = Value::from(reason.as_str());
                }
            }
            BulkChange::Unblock => {
                json["huntblock"]["enabled"] = Value::Bool(false);
            }
            BulkChange::SetField { path, value } => {
                let mut target = &mut json;
                for segment in path.segments() {
                    target = &mut target[segment];
                }
                *target = value.clone();
            }
            // Taken before any JSON is made (see `apply`).
            BulkChange::Delete => return Ok(None),
        }
        Ok(Some(json))
    }

    /// The change in words: "add res-9 at the top", for the preview and the report.
    pub fn describe(&self) -> String {
        match self {
            BulkChange::AddResource { id, placement } => match placement {
                Placement::Priority(priority) => format!("add {id} at priority {priority}"),
                Placement::Top => format!("add {id} at the top of each ring"),
                Placement::Bottom => format!("add {id} at the bottom of each ring"),
            },
            BulkChange::RemoveResource { id } => format!("remove {id}"),
            BulkChange::ReplaceResource { from, to } => format!("replace {from} by {to}"),
            BulkChange::Block { reason, expires } => {
                let until = if *expires == 0 {
                    "until unblocked".to_owned()
                } else {
                    format!(
                        "for {}",
                        crate::duration::format_seconds(u64::from(*expires))
                    )
                };
                if reason.is_empty() {
                    format!("block {until}, each keeping its reason")
                } else {
                    format!("block {until} ({reason})")
                }
            }
            BulkChange::Unblock => "unblock".to_owned(),
            BulkChange::SetField { path, value } => format!("set {} to {value}", path.label()),
            BulkChange::Delete => "delete each hunt".to_owned(),
        }
    }
}

fn resources_json(resources: &[Resource]) -> Value {
    serde_json::to_value(resources).expect("resources serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::priorities::Ties;

    #[test]
    fn delete_takes_every_hunt_whatever_it_holds() {
        for ring in [&[][..], &[("a", 10), ("b", 5)][..]] {
            assert_eq!(BulkChange::Delete.apply(&hunt(ring)), Outcome::Deletes);
        }
        assert_eq!(BulkChange::Delete.describe(), "delete each hunt");
    }

    fn hunt(ring: &[(&str, i32)]) -> Hunt {
        Hunt {
            id: "00000000-0000-0000-0000-000000000001".to_owned(),
            code: "q".to_owned(),
            resources: ring
                .iter()
                .map(|(id, priority)| Resource {
                    id: (*id).to_owned(),
                    priority: *priority,
                })
                .collect(),
            ..Hunt::default()
        }
    }

    fn ring_after(outcome: &Outcome) -> String {
        match outcome {
            Outcome::Changes { after, .. } => {
                priorities::ring_preview(&priorities::ring_order(&after.resources), Ties::InOrder)
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn resource_changes_ring_where_asked() {
        let base = hunt(&[("a", 100), ("b", 90)]);
        let add = |placement| BulkChange::AddResource {
            id: "n".to_owned(),
            placement,
        };
        // (change, the ring after, in words)
        let rows = [
            (add(Placement::Top), "1st: n; then a; then b"),
            (add(Placement::Bottom), "1st: a; then b; then n"),
            (add(Placement::Priority(90)), "1st: a; then b, then n"),
            (BulkChange::RemoveResource { id: "a".to_owned() }, "1st: b"),
            (
                BulkChange::ReplaceResource {
                    from: "b".to_owned(),
                    to: "z".to_owned(),
                },
                "1st: a; then z",
            ),
        ];
        for (change, expected) in rows {
            assert_eq!(ring_after(&change.apply(&base)), expected, "{change:?}");
        }
    }

    #[test]
    fn what_would_not_change_says_so() {
        let base = hunt(&[("a", 100)]);
        for change in [
            BulkChange::AddResource {
                id: "a".to_owned(),
                placement: Placement::Top,
            },
            BulkChange::RemoveResource { id: "x".to_owned() },
            BulkChange::ReplaceResource {
                from: "x".to_owned(),
                to: "y".to_owned(),
            },
            BulkChange::Unblock,
        ] {
            assert_eq!(change.apply(&base), Outcome::Unchanged, "{change:?}");
        }
    }

    #[test]
    fn blocks_and_fields_are_checked_by_the_model() {
        let base = hunt(&[]);
        let block = BulkChange::Block {
            reason: "holiday".to_owned(),
            expires: 3600,
        };
        let Outcome::Changes { after, patch } = block.apply(&base) else {
            panic!("a block changes an open hunt")
        };
        assert!(after.huntblock.enabled);
        assert_eq!(
            patch,
            serde_json::json!({"huntblock": {"enabled": true, "reason": "holiday", "expires": 3600}})
        );
        assert_eq!(block.describe(), "block for 1 h (holiday)");
        // Blocked again with no reason given: the hunt keeps its reason, the expiry is the new.
        let again = BulkChange::Block {
            reason: String::new(),
            expires: 60,
        };
        let Outcome::Changes { after, patch } = again.apply(&after) else {
            panic!("a new expiry changes the hunt")
        };
        assert_eq!(after.huntblock.reason, "holiday");
        assert_eq!(patch, serde_json::json!({"huntblock": {"expires": 60}}));
        assert_eq!(again.describe(), "block for 1 min, each keeping its reason");
        let weight = FieldPath::lookup("weight").unwrap();
        let refused = BulkChange::SetField {
            path: weight,
            value: Value::from(-1),
        };
        assert!(matches!(refused.apply(&base), Outcome::Refused(_)));
        let set = BulkChange::SetField {
            path: weight,
            value: Value::from(7),
        };
        assert!(matches!(set.apply(&base), Outcome::Changes { .. }));
        assert_eq!(set.describe(), "set Weight to 7");
    }
}
