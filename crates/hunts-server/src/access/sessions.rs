//! Signed-in sessions: a random id (the cookie's value) to the user's name, ended by sign-out,
//! by an idle timeout and by an absolute one. On SQLite (one server) they live in the server's
//! memory, and a restart signs everyone out (the app keeps what was typed, so nothing is lost
//! but a sign-in); on PostgreSQL they live in the database, kept as digests of their ids, so any
//! instance behind the same address knows every session.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::secrets;
use crate::store::{PgStore, Store, StoreError};

/// How long sessions last.
#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    /// Ended after this long without a request.
    pub idle: Duration,
    /// Ended this long after sign-in, however busy.
    pub absolute: Duration,
}

impl Default for Lifetimes {
    fn default() -> Lifetimes {
        Lifetimes {
            idle: Duration::from_secs(30 * 60),
            absolute: Duration::from_secs(12 * 60 * 60),
        }
    }
}

struct Session {
    name: String,
    started: Instant,
    last_seen: Instant,
}

/// Sessions at most; a sign-in past it first forgets the expired ones, then the oldest.
const MAX_SESSIONS: usize = 10_000;

/// Where sessions are kept: in this server's memory, or in the database every instance shares.
pub enum Sessions {
    Memory(MemorySessions),
    Shared {
        store: PgStore,
        lifetimes: Lifetimes,
    },
}

impl Sessions {
    pub fn for_store(store: &Store, lifetimes: Lifetimes) -> Sessions {
        match store.postgres() {
            Some(store) => Sessions::Shared {
                store: store.clone(),
                lifetimes,
            },
            None => Sessions::Memory(MemorySessions::new(lifetimes)),
        }
    }

    /// A new session for `name`; its id, for the cookie.
    pub async fn start(&self, name: String) -> Result<String, StoreError> {
        match self {
            Sessions::Memory(sessions) => Ok(sessions.start(name)),
            Sessions::Shared { store, lifetimes } => {
                let id = secrets::new_secret();
                store
                    .session_start(secrets::token_digest(&id), name, *lifetimes)
                    .await?;
                Ok(id)
            }
        }
    }

    /// The user of a live session, which this request keeps alive; `None` when it has ended.
    pub async fn touch(&self, id: &str) -> Result<Option<String>, StoreError> {
        match self {
            Sessions::Memory(sessions) => Ok(sessions.touch(id)),
            Sessions::Shared { store, lifetimes } => {
                store
                    .session_touch(secrets::token_digest(id), *lifetimes)
                    .await
            }
        }
    }

    pub async fn end(&self, id: &str) -> Result<(), StoreError> {
        match self {
            Sessions::Memory(sessions) => {
                sessions.end(id);
                Ok(())
            }
            Sessions::Shared { store, .. } => store.session_end(secrets::token_digest(id)).await,
        }
    }

    /// Ends every session of `name` (the user was removed).
    pub async fn end_all_of(&self, name: &str) -> Result<(), StoreError> {
        match self {
            Sessions::Memory(sessions) => {
                sessions.end_all_of(name);
                Ok(())
            }
            Sessions::Shared { store, .. } => store.sessions_end_all(name.to_owned()).await,
        }
    }
}

/// Sessions in this server's memory.
pub struct MemorySessions {
    lifetimes: Lifetimes,
    live: Mutex<HashMap<String, Session>>,
}

impl MemorySessions {
    pub fn new(lifetimes: Lifetimes) -> MemorySessions {
        MemorySessions {
            lifetimes,
            live: Mutex::default(),
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A new session for `name`; its id, for the cookie.
    pub fn start(&self, name: String) -> String {
        let id = secrets::new_secret();
        let now = Instant::now();
        let mut live = self.live();
        if live.len() >= MAX_SESSIONS {
            let lifetimes = self.lifetimes;
            live.retain(|_, session| lifetimes.allow(session, now));
            if live.len() >= MAX_SESSIONS
                && let Some(oldest) = live
                    .iter()
                    .min_by_key(|(_, session)| session.started)
                    .map(|(id, _)| id.clone())
            {
                live.remove(&oldest);
            }
        }
        live.insert(
            id.clone(),
            Session {
                name,
                started: now,
                last_seen: now,
            },
        );
        id
    }

    /// The user of a live session, which this request keeps alive; `None` when it has ended.
    pub fn touch(&self, id: &str) -> Option<String> {
        let now = Instant::now();
        let mut live = self.live();
        let session = live.get_mut(id)?;
        if !self.lifetimes.allow(session, now) {
            live.remove(id);
            return None;
        }
        session.last_seen = now;
        Some(session.name.clone())
    }

    pub fn end(&self, id: &str) {
        self.live().remove(id);
    }

    /// Ends every session of `name` (the user was removed).
    pub fn end_all_of(&self, name: &str) {
        self.live().retain(|_, session| session.name != name);
    }
}

impl Lifetimes {
    fn allow(self, session: &Session, now: Instant) -> bool {
        now.duration_since(session.last_seen) < self.idle
            && now.duration_since(session.started) < self.absolute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_lives_until_ended_or_idle() {
        let sessions = MemorySessions::new(Lifetimes {
            idle: Duration::from_millis(200),
            absolute: Duration::from_secs(60),
        });
        let id = sessions.start("ann".to_owned());
        assert_eq!(sessions.touch(&id).as_deref(), Some("ann"));
        assert_eq!(sessions.touch("not-a-session"), None);
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(sessions.touch(&id), None, "idle too long");
        let id = sessions.start("ann".to_owned());
        sessions.end(&id);
        assert_eq!(sessions.touch(&id), None, "signed out");
    }

    #[test]
    fn a_busy_session_still_ends_at_its_absolute_limit() {
        let sessions = MemorySessions::new(Lifetimes {
            idle: Duration::from_secs(60),
            absolute: Duration::from_millis(200),
        });
        let id = sessions.start("bo".to_owned());
        for _ in 0..3 {
            assert!(sessions.touch(&id).is_some());
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(sessions.touch(&id), None);
    }
}
