//! Failed sign-ins, counted per name and per address over the last minute: past the limit, a
//! sign-in is refused before its password is checked, with how long to wait.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Failures a minute for one name: a person mistyping, not a guesser.
pub const PER_NAME: usize = 5;
/// Failures a minute from one address: several people behind one office router.
pub const PER_ADDRESS: usize = 20;
/// Keys remembered at most; past it, the quiet ones are forgotten.
const MAX_KEYS: usize = 100_000;

#[derive(Default)]
pub struct Limiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Limiter {
    fn failures(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `None` when a sign-in as `name` from `address` may be tried now, else how long to wait.
    pub fn wait(&self, name: &str, address: &str) -> Option<Duration> {
        let now = Instant::now();
        let mut failures = self.failures();
        [
            (name_key(name), PER_NAME),
            (address_key(address), PER_ADDRESS),
        ]
        .into_iter()
        .filter_map(|(key, limit)| {
            let times = failures.get_mut(&key)?;
            forget_old(times, now);
            (times.len() >= limit).then(|| WINDOW - now.duration_since(times[0]))
        })
        .max()
    }

    pub fn failed(&self, name: &str, address: &str) {
        let now = Instant::now();
        let mut failures = self.failures();
        if failures.len() >= MAX_KEYS {
            failures.retain(|_, times| {
                forget_old(times, now);
                !times.is_empty()
            });
        }
        for key in [name_key(name), address_key(address)] {
            let times = failures.entry(key).or_default();
            forget_old(times, now);
            times.push_back(now);
        }
    }

    /// A success clears the name's failures (not the address's).
    pub fn succeeded(&self, name: &str) {
        self.failures().remove(&name_key(name));
    }
}

fn name_key(name: &str) -> String {
    format!("name:{}", name.to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

fn forget_old(times: &mut VecDeque<Instant>, now: Instant) {
    while times
        .front()
        .is_some_and(|time| now.duration_since(*time) >= WINDOW)
    {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_failure_for_a_name_waits() {
        let limiter = Limiter::default();
        for n in 0..PER_NAME {
            assert_eq!(limiter.wait("ann", &format!("10.0.0.{n}")), None);
            limiter.failed("ann", &format!("10.0.0.{n}"));
        }
        let wait = limiter.wait("ANN", "10.0.0.99").expect("limited by name");
        assert!(wait > Duration::from_secs(55) && wait <= WINDOW, "{wait:?}");
        // Another name from a fresh address is not held up.
        assert_eq!(limiter.wait("bo", "10.0.0.98"), None);
        limiter.succeeded("ann");
        assert_eq!(limiter.wait("ann", "10.0.0.97"), None);
    }

    #[test]
    fn one_address_trying_many_names_waits_too() {
        let limiter = Limiter::default();
        for n in 0..PER_ADDRESS {
            limiter.failed(&format!("user{n}"), "192.0.2.1");
        }
        assert!(limiter.wait("someone-new", "192.0.2.1").is_some());
        assert_eq!(limiter.wait("someone-new", "192.0.2.2"), None);
    }
}
