//! Signed-in sessions, in the server's memory: a random id (the cookie's value) to the user's
//! name, ended by sign-out, by an idle timeout and by an absolute one. A restart signs everyone
//! out; the app keeps what was typed, so nothing is lost but a sign-in.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::secrets;

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

pub struct Sessions {
    lifetimes: Lifetimes,
    live: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    pub fn new(lifetimes: Lifetimes) -> Sessions {
        Sessions {
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
        let sessions = Sessions::new(Lifetimes {
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
        let sessions = Sessions::new(Lifetimes {
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
