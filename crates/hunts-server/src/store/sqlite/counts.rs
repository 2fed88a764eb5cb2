//! `X-Total-Count` without counting on every request: the count of each filter, kept exact
//! across writes. A write tells what it changed (the hunt before and after); every remembered
//! count is then moved by what that change did to its filter, in the model's own terms, so a
//! filter is counted by the database once, not after every write.
//!
//! Each count is tagged with the generation read before the snapshot it came from began, and is
//! served only while that is still the current generation: a count taken from a snapshot that a
//! write overtook is dropped, never served.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hunts_model::history::HistoryQuery;
use hunts_model::{Filter, Order};
use rusqlite::types::Value as SqlValue;
use serde_json::Value;

/// Filters remembered at most; past it the memory is simply cleared.
const MAX_ENTRIES: usize = 4096;

/// What one write did: the hunt before (none for a create) and after (none for a delete);
/// neither for a write that touches no hunt (an account). With the revision it recorded, and
/// whether it dropped revisions (retention).
#[derive(Default)]
pub struct Change {
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub recorded: Option<Recorded>,
    pub dropped_history: bool,
}

/// What a revision's totals are kept by: its `seq` and the fields the history filters on.
pub struct Recorded {
    pub seq: i64,
    pub id: String,
    pub by: Option<String>,
    pub change_set: Option<String>,
}

/// A history total kept: the query it counts (offset and limit aside).
struct HistoryEntry {
    query: HistoryQuery,
    generation: u64,
    count: u64,
}

fn history_key(query: &HistoryQuery) -> String {
    let counted = HistoryQuery {
        offset: 0,
        limit: None,
        ..query.clone()
    };
    counted.to_query_string(false)
}

struct Entry {
    filter: Filter,
    generation: u64,
    count: u64,
}

#[derive(Default)]
pub struct Counts {
    state: Mutex<State>,
}

/// The groups of one or two fields of few values among a filter's hunts: each group's values
/// and how many hunts hold them, in the list's order (see `list_sql::GroupedOrder`).
pub type Groups = Arc<[(Vec<SqlValue>, u64)]>;

#[derive(Default)]
struct State {
    generation: u64,
    known: HashMap<String, Entry>,
    /// Groups by filter and order, each with the generation it was counted at: unlike the
    /// counts they are not moved by writes, only dropped (the next such list counts again).
    groups: HashMap<String, (u64, Groups)>,
    /// History totals (`X-Total-Count` of a history read), moved by each revision recorded as
    /// the list's counts are by each write; all dropped when retention drops revisions.
    history: HashMap<String, HistoryEntry>,
}

impl Counts {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The generation to tag a count with: read it before the read transaction starts.
    pub fn generation(&self) -> u64 {
        self.state().generation
    }

    /// Every write that committed calls this with what it changed.
    pub fn written(&self, changes: &[Change]) {
        let mut state = self.state();
        let current = state.generation;
        state.known.retain(|_, entry| entry.generation == current);
        state.groups.clear();
        state.history.retain(|_, entry| entry.generation == current);
        if changes.iter().any(|change| change.dropped_history) {
            state.history.clear();
        }
        for entry in state.history.values_mut() {
            for revision in changes.iter().filter_map(|change| change.recorded.as_ref()) {
                let Recorded {
                    seq,
                    id,
                    by,
                    change_set,
                } = revision;
                if entry
                    .query
                    .selects(*seq, id, by.as_deref(), change_set.as_deref())
                {
                    entry.count += 1;
                }
            }
            entry.generation = current + 1;
        }
        for entry in state.known.values_mut() {
            for change in changes {
                let was = change
                    .before
                    .as_ref()
                    .is_some_and(|hunt| entry.filter.matches(hunt));
                let is = change
                    .after
                    .as_ref()
                    .is_some_and(|hunt| entry.filter.matches(hunt));
                match (was, is) {
                    (false, true) => entry.count += 1,
                    (true, false) => entry.count = entry.count.saturating_sub(1),
                    _ => {}
                }
            }
            entry.generation = current + 1;
        }
        state.generation = current + 1;
    }

    pub fn get(&self, filter: &Filter) -> Option<u64> {
        let state = self.state();
        let entry = state.known.get(&filter.to_string())?;
        (entry.generation == state.generation).then_some(entry.count)
    }

    pub fn groups(&self, filter: &Filter, order: &Order) -> Option<Groups> {
        let state = self.state();
        let (generation, groups) = state.groups.get(&groups_key(filter, order))?;
        (*generation == state.generation).then(|| groups.clone())
    }

    /// Remembers groups counted in a snapshot that began after `generation` was read.
    pub fn put_groups(&self, filter: &Filter, order: &Order, generation: u64, groups: Groups) {
        let mut state = self.state();
        if generation != state.generation {
            return;
        }
        if state.groups.len() >= MAX_ENTRIES {
            state.groups.clear();
        }
        state
            .groups
            .insert(groups_key(filter, order), (generation, groups));
    }

    /// Remembers a count made from a snapshot that began after `generation` was read.
    pub fn put(&self, filter: &Filter, generation: u64, count: u64) {
        let mut state = self.state();
        if generation != state.generation {
            return;
        }
        if state.known.len() >= MAX_ENTRIES {
            state.known.clear();
        }
        state.known.insert(
            filter.to_string(),
            Entry {
                filter: filter.clone(),
                generation,
                count,
            },
        );
    }

    /// The kept total of a history query, if still exact.
    pub fn history(&self, query: &HistoryQuery) -> Option<u64> {
        let state = self.state();
        let entry = state.history.get(&history_key(query))?;
        (entry.generation == state.generation).then_some(entry.count)
    }

    /// Keeps a history total counted in a snapshot that began after `generation` was read.
    pub fn put_history(&self, query: &HistoryQuery, generation: u64, count: u64) {
        let mut state = self.state();
        if generation != state.generation {
            return;
        }
        if state.history.len() >= MAX_ENTRIES {
            state.history.clear();
        }
        state.history.insert(
            history_key(query),
            HistoryEntry {
                query: query.clone(),
                generation,
                count,
            },
        );
    }
}

fn groups_key(filter: &Filter, order: &Order) -> String {
    format!("{filter}\n{order}")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn writes_move_the_counts_they_touch() {
        let counts = Counts::default();
        let queues: Filter = r#"{"type":"queue"}"#.parse().unwrap();
        let everything = Filter::default();
        let start = counts.generation();
        counts.put(&queues, start, 2);
        counts.put(&everything, start, 5);
        counts.written(&[
            // A new queue, a queue that becomes a sipuser, a sipuser deleted.
            Change {
                before: None,
                after: Some(json!({"type": "queue"})),
                ..Change::default()
            },
            Change {
                before: Some(json!({"type": "queue"})),
                after: Some(json!({"type": "sipuser"})),
                ..Change::default()
            },
            Change {
                before: Some(json!({"type": "sipuser"})),
                after: None,
                ..Change::default()
            },
        ]);
        assert_eq!(counts.get(&queues), Some(2));
        assert_eq!(counts.get(&everything), Some(5));
        counts.written(&[Change {
            before: None,
            after: Some(json!({"type": "queue"})),
            ..Change::default()
        }]);
        assert_eq!(counts.get(&queues), Some(3));
        assert_eq!(counts.get(&everything), Some(6));
    }

    #[test]
    fn a_count_from_an_overtaken_snapshot_is_never_served() {
        let counts = Counts::default();
        let filter = Filter::default();
        let before = counts.generation();
        counts.written(&[Change {
            before: None,
            after: Some(json!({})),
            ..Change::default()
        }]);
        counts.put(&filter, before, 7);
        assert_eq!(counts.get(&filter), None);
    }
}
