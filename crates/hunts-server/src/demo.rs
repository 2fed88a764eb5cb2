//! The demo set `--demo` puts into an empty database: three dozen queues of a plausible call
//! center, with both strategy modes, blocked and open queues, and resources in tiers. Calls
//! that nobody answers go from a team's day queue to its overflow queue, and from there (or
//! after too many tries) to the answering service outside; the night lines keep theirs. A
//! small corner, its codes starting `check_`, holds one of each thing the routing check finds.

use hunts_model::{Hunt, HuntBlock, Opts, Resource, Strategy};
use uuid::Uuid;

use crate::store::{Store, StoreError};

const TEAMS: &[(&str, &str)] = &[
    ("sales", "Sales"),
    ("support", "Customer support"),
    ("billing", "Billing"),
    ("onboarding", "Onboarding"),
    ("returns", "Returns"),
    ("vip", "VIP customers"),
    ("tech", "Technical help desk"),
    ("dispatch", "Dispatch"),
    ("reception", "Reception"),
    ("claims", "Claims"),
    ("renewals", "Renewals"),
    ("partners", "Partner line"),
];

const SHIFTS: &[(&str, &str)] = &[
    ("main", "day shift"),
    ("overflow", "overflow"),
    ("night", "night line"),
];

/// Stores the demo set and says how many hunts it stored.
pub async fn seed(store: &Store) -> Result<usize, StoreError> {
    let hunts = demo_hunts();
    let count = hunts.len();
    for hunt in hunts {
        store.create(hunt).await?;
    }
    Ok(count)
}

/// The demo hunts. Ids are derived from the position, so every demo database looks the same.
pub fn demo_hunts() -> Vec<Hunt> {
    let mut hunts = Vec::new();
    for (team_index, (team, team_title)) in TEAMS.iter().enumerate() {
        for (shift_index, (shift, shift_title)) in SHIFTS.iter().enumerate() {
            let index = team_index * SHIFTS.len() + shift_index;
            let night = *shift == "night";
            let timers = index % 3 != 1;
            hunts.push(Hunt {
                id: demo_uuid(index as u64, 0).to_string(),
                code: format!("{team}_{shift}"),
                // Overflow queues are reached by transfer only, so they have no number of their own.
                phonenumber: if *shift == "overflow" {
                    String::new()
                } else {
                    (4001 + index).to_string()
                },
                priority: (5 + (index * 7) % 50) as u32,
                strategy: if timers {
                    Strategy::Timers {
                        seconds: (0..=(index % 3)).map(|step| 5 + 5 * step as u32).collect(),
                    }
                } else {
                    Strategy::Simple
                },
                resources: demo_resources(index),
                resmode: "priorityrandom".to_owned(),
                objmode: if index.is_multiple_of(2) {
                    "spqwfq"
                } else {
                    "spq"
                }
                .to_owned(),
                weight: (5 + index % 4 * 5) as u32,
                wivrscript: "welcome".to_owned(),
                qivrscript: if index.is_multiple_of(4) {
                    "play_long"
                } else {
                    "queue_music"
                }
                .to_owned(),
                preivrscript: "notify".to_owned(),
                maxattempts: if night { 0 } else { 10 },
                maxattemptstrannumber: if night {
                    String::new()
                } else {
                    ANSWERING_SERVICE.to_owned()
                },
                timeout: if night { 0 } else { 300 },
                timeouttrannumber: match *shift {
                    "main" => format!("{team}_overflow"),
                    "overflow" => ANSWERING_SERVICE.to_owned(),
                    _ => String::new(),
                },
                resdialtimeout: 20,
                displayname: format!("{team_title} ({shift_title})"),
                huntblock: HuntBlock {
                    enabled: night && team_index.is_multiple_of(2),
                    expires: if night { 28_800 } else { 0 },
                    reason: if night {
                        "after_hours".to_owned()
                    } else {
                        String::new()
                    },
                },
                resbansec: 20,
                opts: Opts {
                    title: format!("{team_title}, {shift_title}"),
                    comment: if index.is_multiple_of(5) {
                        "Reviewed with the team lead in March.".to_owned()
                    } else {
                        String::new()
                    },
                    exit_no_resource: night,
                },
                ..Hunt::default()
            });
        }
    }
    hunts.extend(routing_corner(hunts.len()));
    hunts
}

/// The answering service outside the hunts, where unanswered calls end.
const ANSWERING_SERVICE: &str = "+15550100";

/// One of each thing the routing check finds, labelled as such: a loop of two queues, a
/// transfer into a blocked night line (`sales_night`), and a transfer number whose timer is off.
fn routing_corner(first: usize) -> Vec<Hunt> {
    let hunt = |offset: usize, code: &str, title: &str| Hunt {
        id: demo_uuid((first + offset) as u64, 0).to_string(),
        code: code.to_owned(),
        phonenumber: (4901 + offset).to_string(),
        resources: demo_resources(first + offset),
        displayname: format!("Routing check example: {title}"),
        ..Hunt::default()
    };
    vec![
        Hunt {
            timeout: 120,
            timeouttrannumber: "check_loop_b".to_owned(),
            ..hunt(0, "check_loop_a", "a loop (with check_loop_b)")
        },
        Hunt {
            timeout: 120,
            timeouttrannumber: "check_loop_a".to_owned(),
            ..hunt(1, "check_loop_b", "a loop (with check_loop_a)")
        },
        Hunt {
            maxattempts: 3,
            maxattemptstrannumber: "sales_night".to_owned(),
            ..hunt(2, "check_dead_end", "gives up into a blocked night line")
        },
        Hunt {
            timeouttrannumber: ANSWERING_SERVICE.to_owned(),
            ..hunt(
                3,
                "check_never_fires",
                "a transfer number with its timer off",
            )
        },
    ]
}

/// Two to six agents in tiers: pairs share a priority, so `priorityrandom` picks between them.
fn demo_resources(index: usize) -> Vec<Resource> {
    let count = 2 + index % 5;
    (0..count)
        .map(|position| Resource {
            id: demo_uuid(index as u64, position as u64 + 1).to_string(),
            priority: 100 - (position as i32 / 2) * 5,
        })
        .collect()
}

/// A stable, well-formed UUID for a demo hunt or resource (a splitmix64 of its position).
fn demo_uuid(hunt: u64, slot: u64) -> Uuid {
    let mut state = hunt.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ slot.wrapping_add(1).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let high = u128::from(next());
    let low = u128::from(next());
    uuid::Builder::from_random_bytes(((high << 64) | low).to_be_bytes()).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_hunts_pass_the_model_and_are_unique() {
        let hunts = demo_hunts();
        assert_eq!(hunts.len(), 40);
        for hunt in &hunts {
            Hunt::from_input(&hunt.to_json())
                .unwrap_or_else(|error| panic!("{}: {error}", hunt.code));
        }
        let mut codes: Vec<&str> = hunts.iter().map(|hunt| hunt.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), hunts.len());
        // Every kind of routing finding, once each in the corner; the rest routes cleanly.
        let graph = hunts_model::routing::Graph::new(hunts.clone());
        let faults: Vec<String> = graph
            .findings()
            .iter()
            .filter(|finding| finding.is_fault())
            .map(|finding| graph.describe(finding))
            .collect();
        assert_eq!(
            faults,
            [
                "Calls loop: check_loop_a -> check_loop_b -> check_loop_a",
                "Dead end: check_dead_end sends calls after 3 attempts to sales_night, which is blocked",
                "Never fires: check_never_fires has the transfer number +15550100, but its timeout is 0 (off)",
            ]
        );
        assert!(
            hunts.iter().any(|hunt| hunt.huntblock.enabled)
                && hunts.iter().any(|hunt| !hunt.huntblock.enabled)
        );
        assert!(hunts.iter().any(|hunt| hunt.strategy == Strategy::Simple));
    }
}
