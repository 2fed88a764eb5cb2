//! The database's change counter, read once for every request waiting on it.
//!
//! A request may trust a read of the counter only if that read began after the request arrived:
//! then it sees every write committed before the request, through any instance. One read in
//! flight at a time serves every request that arrived before it began; the requests that arrive
//! while it runs wait for it to end and share the next one. At 32 connections that is a read or
//! two per round of requests instead of one each, and a free database connection for the rest.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::watch;

use super::pool::Pool;
use crate::store::StoreError;

/// The reads of the counter: how many have begun, and the last one that ended.
pub struct GenerationReads {
    /// Reads begun so far (each numbered by this count as it begins), and whether one runs.
    begun: Mutex<(u64, bool)>,
    /// The number of the last read that ended and what it read (`None`: it failed, and each
    /// request waiting on it reads for itself, to have the failure's own error).
    ended: watch::Sender<(u64, Option<u64>)>,
}

impl Default for GenerationReads {
    fn default() -> GenerationReads {
        GenerationReads {
            begun: Mutex::new((0, false)),
            ended: watch::Sender::new((0, None)),
        }
    }
}

impl GenerationReads {
    /// The counter as a read that began after this call read it.
    pub async fn now(self: &Arc<Self>, pool: &Arc<Pool>) -> Result<u64, StoreError> {
        let pool = Arc::clone(pool);
        self.shared(move || read(Arc::clone(&pool))).await
    }

    /// What `read` answers when begun after this call: one read in flight at a time, shared.
    async fn shared<R, F>(self: &Arc<Self>, read: R) -> Result<u64, StoreError>
    where
        R: Fn() -> F,
        F: Future<Output = Result<u64, StoreError>> + Send + 'static,
    {
        let first_usable = self.begun().0 + 1;
        let mut ended = self.ended.subscribe();
        loop {
            let (number, value) = *ended.borrow_and_update();
            if number >= first_usable {
                return match value {
                    Some(changes) => Ok(changes),
                    None => read().await,
                };
            }
            self.begin_unless_running(&read);
            // The sender lives as long as `self`, which this call holds.
            let _ = ended.changed().await;
        }
    }

    fn begun(&self) -> std::sync::MutexGuard<'_, (u64, bool)> {
        self.begun.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Begins a read unless one runs. It runs as a task of its own, so a request that goes away
    /// mid-read does not leave the others waiting.
    fn begin_unless_running<R, F>(self: &Arc<Self>, read: &R)
    where
        R: Fn() -> F,
        F: Future<Output = Result<u64, StoreError>> + Send + 'static,
    {
        let number = {
            let mut begun = self.begun();
            if begun.1 {
                return;
            }
            *begun = (begun.0 + 1, true);
            begun.0
        };
        let reads = Arc::clone(self);
        let reading = read();
        tokio::spawn(async move {
            let value = reading.await.ok();
            reads.begun().1 = false;
            reads.ended.send_replace((number, value));
        });
    }
}

/// One read of the counter: every write to the hunts, through any instance, moves it in its own
/// transaction (a statement trigger), so a read that begins after a write commits sees it.
async fn read(pool: Arc<Pool>) -> Result<u64, StoreError> {
    let client = pool.lease().await?;
    let changes: i64 = client
        .query_one("SELECT n FROM hunts_changes", &[])
        .await?
        .get(0);
    Ok(u64::try_from(changes).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering::SeqCst};

    use tokio::sync::{Semaphore, mpsc};

    use super::*;

    /// A database whose counter the test moves, and whose reads each take the counter as they
    /// begin (their snapshot) and answer when the test lets them.
    struct Database {
        counter: AtomicU64,
        reads_begun: mpsc::UnboundedSender<()>,
        answers: Semaphore,
    }

    impl Database {
        fn read(self: &Arc<Self>) -> impl Future<Output = Result<u64, StoreError>> + use<> {
            let database = Arc::clone(self);
            let snapshot = database.counter.load(SeqCst);
            let _ = database.reads_begun.send(());
            async move {
                database.answers.acquire().await.unwrap().forget();
                Ok(snapshot)
            }
        }
    }

    #[tokio::test]
    async fn a_request_after_a_write_never_takes_a_read_begun_before_it() {
        let (reads_begun, mut begun) = mpsc::unbounded_channel();
        let database = Arc::new(Database {
            counter: AtomicU64::new(0),
            reads_begun,
            answers: Semaphore::new(0),
        });
        let reads = Arc::new(GenerationReads::default());
        let ask = || {
            let (reads, database) = (Arc::clone(&reads), Arc::clone(&database));
            tokio::spawn(async move { reads.shared(|| database.read()).await.unwrap() })
        };

        // A request that takes the wrong read waits for a read nobody lets answer: a failure.
        let steps = async {
            let first = ask();
            begun.recv().await.unwrap();
            // Two requests arrive while the first's read runs: they share the next one.
            let (second, third) = (ask(), ask());
            tokio::task::yield_now().await;
            database.answers.add_permits(1);
            assert_eq!(first.await.unwrap(), 0);
            begun.recv().await.unwrap();
            // A write commits while that read runs, then a request arrives: it waits for the next.
            database.counter.store(1, SeqCst);
            let late = ask();
            tokio::task::yield_now().await;
            database.answers.add_permits(1);
            assert_eq!((second.await.unwrap(), third.await.unwrap()), (0, 0));
            begun.recv().await.unwrap();
            database.answers.add_permits(1);
            assert_eq!(late.await.unwrap(), 1, "the late request saw the write");
            assert!(begun.try_recv().is_err(), "four requests, three reads");
        };
        tokio::time::timeout(std::time::Duration::from_secs(10), steps)
            .await
            .expect("a request waited on the wrong read");
    }
}
