//! List answers remembered until the next write: the same page asked for again (an admin going
//! back, several admins on the same view) is sent from memory. An answer is remembered with the
//! store's write generation read before it was made, and served only while that is still the
//! store's generation, so no answer outlives a write that could change it.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use axum::body::Bytes;

/// Answers larger than this are not kept (they are rare and would crowd out the rest).
const MAX_ANSWER_BYTES: usize = 256 * 1024;
/// All kept answers together; past it the memory is simply cleared.
const MAX_TOTAL_BYTES: usize = 16 * 1024 * 1024;

#[derive(Clone)]
pub struct CachedPage {
    pub total: u64,
    pub body: Bytes,
}

#[derive(Default)]
pub struct PageCache {
    state: Mutex<State>,
}

/// The answers kept, all made at one generation: the newest any answer was made at.
#[derive(Default)]
struct State {
    generation: u64,
    bytes: usize,
    pages: HashMap<String, CachedPage>,
}

impl PageCache {
    /// The answer to `query` if it was made at `generation`, the store's current one.
    pub fn get(&self, query: &str, generation: u64) -> Option<CachedPage> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.generation != generation {
            return None;
        }
        state.pages.get(query).cloned()
    }

    pub fn put(&self, query: String, generation: u64, page: CachedPage) {
        if page.body.len() > MAX_ANSWER_BYTES {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        // An answer older than those kept is never served again; a newer one means a write has
        // committed since they were made, so they never will be.
        if generation < state.generation {
            return;
        }
        if generation > state.generation || state.bytes + page.body.len() > MAX_TOTAL_BYTES {
            state.pages.clear();
            state.bytes = 0;
            state.generation = generation;
        }
        state.bytes += page.body.len();
        if let Some(replaced) = state.pages.insert(query, page) {
            state.bytes -= replaced.body.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_served_only_in_its_generation() {
        let cache = PageCache::default();
        let page = CachedPage {
            total: 3,
            body: Bytes::from_static(b"[1,2,3]"),
        };
        cache.put("limit=3".to_owned(), 7, page);
        assert_eq!(cache.get("limit=3", 7).map(|page| page.total), Some(3));
        assert!(cache.get("limit=3", 8).is_none());
        assert!(cache.get("limit=4", 7).is_none());
        // An answer made before a later one was kept is dropped, never served.
        cache.put(
            "limit=2".to_owned(),
            6,
            CachedPage {
                total: 2,
                body: Bytes::from_static(b"[1,2]"),
            },
        );
        assert!(cache.get("limit=2", 6).is_none());
        assert!(cache.get("limit=2", 7).is_none());
    }
}
