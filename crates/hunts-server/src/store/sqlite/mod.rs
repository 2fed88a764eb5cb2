//! The hunts in one SQLite file. One writer thread takes the writes in arrival order and
//! commits those waiting together, each in its own savepoint (`writer.rs`); a pool of reader
//! connections serves reads beside it (WAL lets a read go on while a write commits). List
//! counts are remembered, exact across writes (`counts.rs`); sign-in sessions live in this
//! server's memory (`sessions.rs`).

mod accounts;
mod counts;
mod list_sql;
mod pool;
mod queries;
pub mod schema;
mod sessions;
mod writer;
mod writes;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hunts_model::history::HistoryQuery;
use hunts_model::{Hunt, ListQuery, ModelError, Role};
use rusqlite::{Connection, OpenFlags};
use tokio::sync::{mpsc, oneshot};

use super::{
    Account, AccountKind, HistoryPage, Lifetimes, Listing, Origin, Precondition, RenderRow,
    StoreError, Stored,
};
use counts::{Change, Counts};
use pool::Pool;
use sessions::MemorySessions;
use writer::Writer;

/// Reader connections: enough to keep both cores busy while some wait on the disk.
const READERS: usize = 3;
/// Each connection's page cache, in KiB (SQLite's negative `cache_size`): the small `hunts`
/// table and its indexes stay in memory, so a list reads no page twice from the file. Bounded,
/// so the server's memory stays bounded however much is read.
const CACHE_KIB: i64 = 16 * 1024;

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Database(error.to_string())
    }
}

struct Shared {
    writer: Writer,
    readers: Arc<Pool>,
    counts: Arc<Counts>,
    sessions: MemorySessions,
    /// The database file.
    path: PathBuf,
    /// Files removed when the store goes (a temporary store's).
    remove_on_drop: Option<PathBuf>,
    /// Each write records its revision (`false` only to measure what history costs).
    history: bool,
    /// See `queries::sparse_below`.
    sparse_below: Arc<std::sync::atomic::AtomicI64>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Some(path) = &self.remove_on_drop {
            for suffix in ["", "-wal", "-shm"] {
                let mut file = path.clone().into_os_string();
                file.push(suffix);
                let _ = std::fs::remove_file(file);
            }
        }
    }
}

/// The SQLite store: one file, a writer thread and a pool of readers.
#[derive(Clone)]
pub struct SqliteStore {
    shared: Arc<Shared>,
}

impl SqliteStore {
    /// Opens (creating if need be) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_with(path, "FULL", None, true)
    }

    /// As `open`, but writes record no revision: only to measure what history costs
    /// (`--without-history`, for `cargo xtask bench`).
    pub fn open_without_history(path: &Path) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_with(path, "FULL", None, false)
    }

    /// Whether writes record their revisions.
    pub fn keeps_history(&self) -> bool {
        self.shared.history
    }

    /// A private database in the temporary folder, removed when the store goes: for tests.
    pub fn open_temporary() -> Result<SqliteStore, StoreError> {
        let path = std::env::temp_dir().join(format!("hunts-{}.db", crate::secrets::new_uuid()));
        // Nothing of a temporary store must outlive a crash, so it skips the fsyncs.
        SqliteStore::open_with(&path, "OFF", Some(path.clone()), true)
    }

    fn open_with(
        path: &Path,
        synchronous: &str,
        remove_on_drop: Option<PathBuf>,
        history: bool,
    ) -> Result<SqliteStore, StoreError> {
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|error| {
                StoreError::Database(format!("cannot create {}: {error}", parent.display()))
            })?;
        }
        let mut writer = Connection::open(path)?;
        // WAL lets reads proceed beside a write; synchronous=FULL makes an acknowledged write durable.
        writer.pragma_update(None, "journal_mode", "WAL")?;
        writer.pragma_update(None, "synchronous", synchronous)?;
        configure(&writer)?;
        schema::migrate(&mut writer)?;
        queries::analyze(&writer)?;
        let sparse_below = Arc::new(std::sync::atomic::AtomicI64::new(queries::sparse_below(
            &writer,
        )?));
        let readers = (0..READERS)
            .map(|_| {
                let reader = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                reader.pragma_update(None, "query_only", true)?;
                configure(&reader)?;
                Ok(reader)
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let counts = Arc::new(Counts::default());
        Ok(SqliteStore {
            shared: Arc::new(Shared {
                writer: Writer::start(writer, counts.clone()),
                readers: Pool::new(readers),
                counts,
                sessions: MemorySessions::default(),
                path: path.to_owned(),
                remove_on_drop,
                history,
                sparse_below,
            }),
        })
    }

    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.shared.readers.run(work).await
    }

    /// Runs one write on the writer; answers once it is durable.
    async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<(T, Change), StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.shared.writer.write(work).await
    }

    /// A number that changes whenever a write commits: what was read at one value may be
    /// served again while it has not changed.
    pub fn write_generation(&self) -> u64 {
        self.shared.counts.generation()
    }

    /// The hunts `query` selects, each written out by `render`, with how many match in all.
    /// The count and the page come from one snapshot of the table.
    pub async fn list(&self, query: ListQuery, render: RenderRow) -> Result<Listing, StoreError> {
        let mut checkout = self.shared.readers.checkout().await?;
        let shared = self.shared.clone();
        let (total_sender, total) = oneshot::channel();
        let (chunk_sender, chunks) = mpsc::channel(2);
        tokio::task::spawn_blocking(move || {
            let outcome = queries::list(
                &mut checkout,
                &shared.counts,
                &query,
                render,
                total_sender,
                &chunk_sender,
            );
            if let Err(error) = outcome {
                let _ = chunk_sender.blocking_send(Err(error));
            }
        });
        match total.await {
            Ok(total) => Ok(Listing {
                total,
                chunks,
                made_at: None,
            }),
            // The task ended before it had a count: it sent its error as the first chunk.
            Err(_) => Err(first_error(chunks).await),
        }
    }

    pub async fn get(&self, id: String) -> Result<Stored, StoreError> {
        self.read(move |connection| queries::read(connection, &id)?.ok_or(StoreError::NotFound(id)))
            .await
    }

    pub async fn create(&self, hunt: Hunt, origin: Origin) -> Result<Stored, StoreError> {
        let history = self.shared.history;
        self.write(move |connection| writes::create(connection, hunt, &origin, history))
            .await
    }

    /// Applies `change` to the stored hunt, if `precondition` allows, in one transaction.
    pub async fn update(
        &self,
        id: String,
        precondition: Precondition,
        origin: Origin,
        change: impl FnOnce(&Hunt) -> Result<Hunt, ModelError> + Send + 'static,
    ) -> Result<Stored, StoreError> {
        let history = self.shared.history;
        self.write(move |connection| {
            writes::update(connection, &id, &precondition, &origin, history, change)
        })
        .await
    }

    pub async fn delete(
        &self,
        id: String,
        precondition: Precondition,
        origin: Origin,
    ) -> Result<(), StoreError> {
        let history = self.shared.history;
        self.write(move |connection| {
            writes::delete(connection, &id, &precondition, &origin, history)
        })
        .await
    }

    pub async fn history(&self, query: HistoryQuery) -> Result<HistoryPage, StoreError> {
        let (sparse_below, counts) = (self.shared.sparse_below.clone(), self.shared.counts.clone());
        self.read(move |connection| queries::history(connection, &query, &sparse_below, &counts))
            .await
    }

    pub async fn drop_history_before(&self, cutoff: String) -> Result<u64, StoreError> {
        let sparse_below = self.shared.sparse_below.clone();
        self.write(move |connection| {
            Ok((
                queries::drop_history_before(connection, &cutoff, &sparse_below)?,
                Change {
                    dropped_history: true,
                    ..Change::default()
                },
            ))
        })
        .await
    }

    /// The ids of the hunts whose id, code or phone number equals `key`, oldest first.
    pub async fn lookup(&self, key: String) -> Result<Vec<String>, StoreError> {
        self.read(move |connection| queries::lookup(connection, &key))
            .await
    }

    /// Whether anyone may sign in or call with a token: then sign-in is on.
    pub async fn has_accounts(&self) -> Result<bool, StoreError> {
        self.read(|connection| accounts::has_any(connection)).await
    }

    /// A user's role and password hash.
    pub async fn user(&self, name: String) -> Result<Option<(Role, String)>, StoreError> {
        self.read(move |connection| accounts::user(connection, &name))
            .await
    }

    /// The name and role of the token with this hash.
    pub async fn token(&self, token_hash: String) -> Result<Option<(String, Role)>, StoreError> {
        self.read(move |connection| accounts::token(connection, &token_hash))
            .await
    }

    pub async fn put_account(
        &self,
        kind: AccountKind,
        name: String,
        role: Role,
        secret_hash: String,
        created: String,
    ) -> Result<(), StoreError> {
        self.write(move |connection| {
            accounts::put(connection, kind, &name, role, &secret_hash, &created)?;
            Ok(((), Change::default()))
        })
        .await
    }

    /// Removes a user or a token; whether there was one.
    pub async fn remove_account(
        &self,
        kind: AccountKind,
        name: String,
    ) -> Result<bool, StoreError> {
        self.write(move |connection| {
            Ok((
                accounts::remove(connection, kind, &name)?,
                Change::default(),
            ))
        })
        .await
    }

    pub async fn accounts(&self, kind: AccountKind) -> Result<Vec<Account>, StoreError> {
        self.read(move |connection| accounts::list(connection, kind))
            .await
    }

    /// Whether the table is empty (the demo set only fills an empty database).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        self.read(|connection| queries::is_empty(connection)).await
    }

    /// A consistent copy of the database at `to` (a new file), made while writes go on: one
    /// read snapshot written out whole (`VACUUM INTO`), every hunt with its revisions as of one
    /// moment.
    pub async fn backup(&self, to: PathBuf) -> Result<(), StoreError> {
        if to.exists() {
            return Err(StoreError::Database(format!(
                "{} exists already: a backup is written to a new file",
                to.display()
            )));
        }
        let from = self.shared.path.clone();
        tokio::task::spawn_blocking(move || {
            let connection = Connection::open_with_flags(&from, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
            connection.busy_timeout(Duration::from_secs(30))?;
            connection.execute("VACUUM INTO ?1", [to.to_string_lossy()])?;
            Ok(())
        })
        .await
        .map_err(|error| StoreError::Database(error.to_string()))?
    }

    pub async fn start_session(
        &self,
        id_digest: String,
        name: String,
        lifetimes: Lifetimes,
    ) -> Result<(), StoreError> {
        self.shared.sessions.start(id_digest, name, lifetimes);
        Ok(())
    }

    pub async fn touch_session(
        &self,
        id_digest: String,
        lifetimes: Lifetimes,
    ) -> Result<Option<String>, StoreError> {
        Ok(self.shared.sessions.touch(&id_digest, lifetimes))
    }

    pub async fn end_session(&self, id_digest: String) -> Result<(), StoreError> {
        self.shared.sessions.end(&id_digest);
        Ok(())
    }

    pub async fn end_sessions_of(&self, name: String) -> Result<(), StoreError> {
        self.shared.sessions.end_all_of(&name);
        Ok(())
    }
}

/// What every connection of the store has: a wait for locks, its page cache, and room for the
/// statements the list builds (one per filter and order shape).
fn configure(connection: &Connection) -> Result<(), StoreError> {
    connection.busy_timeout(Duration::from_secs(5))?;
    connection.pragma_update(None, "cache_size", -CACHE_KIB)?;
    connection.set_prepared_statement_cache_capacity(64);
    Ok(())
}

async fn first_error(mut chunks: mpsc::Receiver<Result<Vec<u8>, StoreError>>) -> StoreError {
    match chunks.recv().await {
        Some(Err(error)) => error,
        _ => StoreError::Database("the list ended before it began".to_owned()),
    }
}
