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

#[derive(Default)]
struct State {
    bytes: usize,
    pages: HashMap<String, (u64, CachedPage)>,
}

impl PageCache {
    /// The answer to `query` if it was made at `generation`, the store's current one.
    pub fn get(&self, query: &str, generation: u64) -> Option<CachedPage> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match state.pages.get(query) {
            Some((made_at, page)) if *made_at == generation => Some(page.clone()),
            _ => None,
        }
    }

    pub fn put(&self, query: String, generation: u64, page: CachedPage) {
        if page.body.len() > MAX_ANSWER_BYTES {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        // Answers from before the last write can never be served again.
        if state.bytes + page.body.len() > MAX_TOTAL_BYTES
            || state
                .pages
                .values()
                .any(|(made_at, _)| *made_at != generation)
        {
            state.pages.retain(|_, (made_at, _)| *made_at == generation);
            state.bytes = state.pages.values().map(|(_, page)| page.body.len()).sum();
            if state.bytes + page.body.len() > MAX_TOTAL_BYTES {
                state.pages.clear();
                state.bytes = 0;
            }
        }
        state.bytes += page.body.len();
        if let Some((_, replaced)) = state.pages.insert(query, (generation, page)) {
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
    }
}
