//! Signed-in sessions as sign-in sees them: a random id (the cookie's value) to the user's
//! name, ended by sign-out, by an idle timeout and by an absolute one. The store keeps each by
//! the digest of its id (see `Store::start_session`), so an id is never stored.

use crate::secrets;
use crate::store::{Lifetimes, Store, StoreError};

pub struct Sessions {
    store: Store,
    lifetimes: Lifetimes,
}

impl Sessions {
    pub fn new(store: Store, lifetimes: Lifetimes) -> Sessions {
        Sessions { store, lifetimes }
    }

    /// A new session for `name`; its id, for the cookie.
    pub async fn start(&self, name: String) -> Result<String, StoreError> {
        let id = secrets::new_secret();
        self.store
            .start_session(secrets::token_digest(&id), name, self.lifetimes)
            .await?;
        Ok(id)
    }

    /// The user of a live session, which this request keeps alive; `None` when it has ended.
    pub async fn touch(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.store
            .touch_session(secrets::token_digest(id), self.lifetimes)
            .await
    }

    pub async fn end(&self, id: &str) -> Result<(), StoreError> {
        self.store.end_session(secrets::token_digest(id)).await
    }

    /// Ends every session of `name` (the user was removed).
    pub async fn end_all_of(&self, name: &str) -> Result<(), StoreError> {
        self.store.end_sessions_of(name.to_owned()).await
    }
}
