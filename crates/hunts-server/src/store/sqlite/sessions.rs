//! Signed-in sessions in this server's memory (SQLite serves from one server): the digest of a
//! session's id to its user, ended by sign-out, by an idle timeout and by an absolute one.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use crate::store::Lifetimes;

struct Session {
    name: String,
    started: Instant,
    last_seen: Instant,
}

impl Session {
    fn lives(&self, lifetimes: Lifetimes, now: Instant) -> bool {
        now.duration_since(self.last_seen) < lifetimes.idle
            && now.duration_since(self.started) < lifetimes.absolute
    }
}

/// Sessions at most; a sign-in past it first forgets the expired ones, then the oldest.
const MAX_SESSIONS: usize = 10_000;

#[derive(Default)]
pub struct MemorySessions {
    live: Mutex<HashMap<String, Session>>,
}

impl MemorySessions {
    fn live(&self) -> MutexGuard<'_, HashMap<String, Session>> {
        self.live.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn start(&self, id_digest: String, name: String, lifetimes: Lifetimes) {
        let now = Instant::now();
        let mut live = self.live();
        if live.len() >= MAX_SESSIONS {
            live.retain(|_, session| session.lives(lifetimes, now));
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
            id_digest,
            Session {
                name,
                started: now,
                last_seen: now,
            },
        );
    }

    /// The user of a live session, which this request keeps alive; `None` when it has ended.
    pub fn touch(&self, id_digest: &str, lifetimes: Lifetimes) -> Option<String> {
        let now = Instant::now();
        let mut live = self.live();
        let session = live.get_mut(id_digest)?;
        if !session.lives(lifetimes, now) {
            live.remove(id_digest);
            return None;
        }
        session.last_seen = now;
        Some(session.name.clone())
    }

    pub fn end(&self, id_digest: &str) {
        self.live().remove(id_digest);
    }

    /// Ends every session of `name`.
    pub fn end_all_of(&self, name: &str) {
        self.live().retain(|_, session| session.name != name);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_session_lives_until_ended_or_idle() {
        let lifetimes = Lifetimes {
            idle: Duration::from_millis(200),
            absolute: Duration::from_secs(60),
        };
        let sessions = MemorySessions::default();
        sessions.start("d1".to_owned(), "ann".to_owned(), lifetimes);
        assert_eq!(sessions.touch("d1", lifetimes).as_deref(), Some("ann"));
        assert_eq!(sessions.touch("not-a-session", lifetimes), None);
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(sessions.touch("d1", lifetimes), None, "idle too long");
        sessions.start("d2".to_owned(), "ann".to_owned(), lifetimes);
        sessions.end("d2");
        assert_eq!(sessions.touch("d2", lifetimes), None, "signed out");
    }

    #[test]
    fn a_busy_session_still_ends_at_its_absolute_limit() {
        let lifetimes = Lifetimes {
            idle: Duration::from_secs(60),
            absolute: Duration::from_millis(200),
        };
        let sessions = MemorySessions::default();
        sessions.start("d".to_owned(), "bo".to_owned(), lifetimes);
        for _ in 0..3 {
            assert!(sessions.touch("d", lifetimes).is_some());
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(sessions.touch("d", lifetimes), None);
    }
}
