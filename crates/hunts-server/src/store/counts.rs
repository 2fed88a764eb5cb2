//! `X-Total-Count` without counting on every request: the count of each filter, remembered
//! until the next write. A count is stored with the write generation read before its snapshot
//! began, and served only while no write has committed since.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

/// Filters remembered at most; past it the memory is simply cleared.
const MAX_ENTRIES: usize = 4096;

#[derive(Default)]
pub struct Counts {
    generation: AtomicU64,
    known: Mutex<HashMap<String, (u64, u64)>>,
}

impl Counts {
    /// The generation to tag a count with: read it before the read transaction starts.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Every write calls this after it commits; returns the new generation.
    pub fn written(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::AcqRel) + 1
    }

    pub fn get(&self, filter: &str) -> Option<u64> {
        let known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        let (generation, count) = known.get(filter)?;
        (*generation == self.generation()).then_some(*count)
    }

    pub fn put(&self, filter: String, generation: u64, count: u64) {
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        if known.len() >= MAX_ENTRIES {
            known.retain(|_, (seen, _)| *seen == generation);
            if known.len() >= MAX_ENTRIES {
                known.clear();
            }
        }
        known.insert(filter, (generation, count));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_drops_every_count() {
        let counts = Counts::default();
        let before = counts.generation();
        counts.put("{}".to_owned(), before, 7);
        assert_eq!(counts.get("{}"), Some(7));
        counts.written();
        assert_eq!(counts.get("{}"), None);
        // A count taken from a snapshot older than the last write is never served.
        counts.put("{}".to_owned(), before, 7);
        assert_eq!(counts.get("{}"), None);
    }
}
