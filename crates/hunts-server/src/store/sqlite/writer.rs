//! The one writer: a thread of its own that takes the writes in arrival order and commits those
//! waiting together in one transaction, each inside a savepoint of its own (group commit). A
//! write that fails is rolled back to its savepoint alone; each is acknowledged only after the
//! commit that made it durable, so many writers share one fsync instead of queueing for one each.

use std::sync::Arc;
use std::sync::mpsc;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::StoreError;
use super::counts::{Change, Counts};
use super::queries;

/// Writes committed together at most.
const MAX_BATCH: usize = 64;
/// Writes between refreshes of the planner's statistics.
const WRITES_PER_ANALYZE: u64 = 4096;

/// One write: run inside the open transaction, it says what it changed (nothing when it failed)
/// and how to answer once the commit is known.
type Job = Box<dyn FnOnce(&Connection) -> Done + Send>;

struct Done {
    change: Option<Change>,
    answer: Box<dyn FnOnce(Result<(), String>) + Send>,
}

pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread on `connection`; it ends when the last `Writer` handle is gone.
    pub fn start(connection: Connection, counts: Arc<Counts>) -> Writer {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("hunts-writer".to_owned())
            .spawn(move || run(&connection, &queue, &counts))
            .expect("the writer thread starts");
        Writer { jobs }
    }

    /// Runs `work` in the next transaction; answers once that transaction has committed.
    pub async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<(T, Change), StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |connection| match work(connection) {
            Ok((value, change)) => Done {
                change: Some(change),
                answer: Box::new(move |committed| {
                    let _ = answer.send(committed.map(|()| value).map_err(StoreError::Database));
                }),
            },
            Err(error) => Done {
                change: None,
                answer: Box::new(move |_| {
                    let _ = answer.send(Err(error));
                }),
            },
        });
        self.jobs
            .send(job)
            .map_err(|_| StoreError::Database("the writer has stopped".to_owned()))?;
        answered.await.map_err(|_| {
            StoreError::Database("the write was not committed (the database was busy)".to_owned())
        })?
    }
}

fn run(connection: &Connection, queue: &mpsc::Receiver<Job>, counts: &Counts) {
    let mut written = 0u64;
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // Dropping a job unanswered tells its caller the write did not happen.
        if connection.execute_batch("BEGIN IMMEDIATE").is_err() {
            continue;
        }
        let mut done = Vec::with_capacity(batch.len());
        for job in batch {
            if connection.execute_batch("SAVEPOINT write").is_err() {
                continue;
            }
            // A write that panics is a failed write, not a dead writer: its caller, whose answer
            // went down with it, hears that the write did not happen.
            let Ok(outcome) =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(connection)))
            else {
                let _ = connection.execute_batch("ROLLBACK TO write; RELEASE write");
                continue;
            };
            let closed = if outcome.change.is_some() {
                connection.execute_batch("RELEASE write")
            } else {
                connection.execute_batch("ROLLBACK TO write; RELEASE write")
            };
            if closed.is_ok() {
                done.push(outcome);
            }
        }
        let committed = connection
            .execute_batch("COMMIT")
            .map_err(|error| error.to_string());
        if committed.is_err() {
            let _ = connection.execute_batch("ROLLBACK");
        } else {
            let changes: Vec<Change> = done
                .iter_mut()
                .filter_map(|outcome| outcome.change.take())
                .collect();
            counts.written(&changes);
            let before = written;
            written += changes.len() as u64;
            if before / WRITES_PER_ANALYZE != written / WRITES_PER_ANALYZE {
                let _ = queries::analyze(connection);
            }
        }
        for outcome in done {
            (outcome.answer)(committed.clone());
        }
    }
}
