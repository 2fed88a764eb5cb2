//! The hunts in SQLite, behind an interface that speaks the model's types and its own error
//! type: nothing above this module knows which database holds them, and every line of SQL is
//! in here.
//!
//! One writer thread takes the writes in arrival order and commits those waiting together, each
//! in its own savepoint (`writer.rs`); a pool of reader connections serves reads beside it (WAL
//! lets a read go on while a write commits).

mod accounts;
mod counts;
mod list_sql;
mod pool;
mod postgres;
mod queries;
pub mod schema;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hunts_model::{Hunt, ListQuery, ModelError, Role};
use rusqlite::{Connection, OpenFlags};
use tokio::sync::{mpsc, oneshot};

pub use accounts::{Account, AccountKind};
use counts::{Change, Counts};
use pool::Pool;
pub use postgres::{PgOptions, PgStore};
pub use schema::SCHEMA_VERSION;
use writer::Writer;

/// Reader connections: enough to keep both cores busy while some wait on the disk.
const READERS: usize = 3;
/// Each connection's page cache, in KiB (SQLite's negative `cache_size`): the small `hunts`
/// table and its indexes stay in memory, so a list reads no page twice from the file. Bounded,
/// so the server's memory stays bounded however much is read.
const CACHE_KIB: i64 = 16 * 1024;
/// Rows rendered before a chunk of a list goes out.
const CHUNK_BYTES: usize = 64 * 1024;

/// Why the store did not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no hunt with id {0}")]
    NotFound(String),
    #[error("the hunt has changed since it was read")]
    PreconditionFailed,
    /// A unique field already held by another hunt.
    #[error("{field} {value} is taken")]
    Taken { field: UniqueField, value: String },
    /// The change asked of `update` refused the stored hunt.
    #[error(transparent)]
    Refused(#[from] ModelError),
    #[error("the database has schema version {found}, newer than this server's {known}")]
    TooNew { found: usize, known: usize },
    /// No database connection came free in time (PostgreSQL's pool is bounded).
    #[error("the database is busy")]
    Busy,
    #[error("{0}")]
    Database(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Database(error.to_string())
    }
}

/// The fields the store keeps unique.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UniqueField {
    Id,
    Code,
    PhoneNumber,
}

impl UniqueField {
    pub fn path(self) -> &'static str {
        match self {
            UniqueField::Id => "id",
            UniqueField::Code => "code",
            UniqueField::PhoneNumber => "phonenumber",
        }
    }
}

impl std::fmt::Display for UniqueField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.path())
    }
}

/// Which versions of a hunt a write may replace: any, or those whose ETag is listed (`*` is any
/// existing version).
#[derive(Clone, Debug, Default)]
pub struct Precondition(Option<Vec<String>>);

impl Precondition {
    pub fn any() -> Precondition {
        Precondition(None)
    }

    pub fn one_of(tags: Vec<String>) -> Precondition {
        Precondition(Some(tags))
    }

    pub fn allows(&self, etag: &str) -> bool {
        match &self.0 {
            None => true,
            Some(tags) => tags.iter().any(|tag| tag == "*" || tag == etag),
        }
    }
}

/// A hunt as stored, with the ETag of this version of it.
#[derive(Debug)]
pub struct Stored {
    pub hunt: Hunt,
    pub etag: String,
}

/// How each stored hunt of a list is written out: its index in the page, its stored JSON text,
/// and the buffer to append to.
pub type RenderRow = Box<dyn FnMut(usize, &str, &mut Vec<u8>) -> Result<(), String> + Send>;

/// A list as it is read: how many hunts match, and the rendered page in chunks.
pub struct Listing {
    pub total: u64,
    pub chunks: mpsc::Receiver<Result<Vec<u8>, StoreError>>,
}

struct Shared {
    writer: Writer,
    readers: Arc<Pool>,
    counts: Arc<Counts>,
    /// Files removed when the store goes (a temporary store's).
    remove_on_drop: Option<PathBuf>,
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
        SqliteStore::open_with(path, "FULL", None)
    }

    /// A private database in the temporary folder, removed when the store goes: for tests.
    pub fn open_temporary() -> Result<SqliteStore, StoreError> {
        let path =
            std::env::temp_dir().join(format!("hunts-{}.db", crate::access::secrets::new_uuid()));
        // Nothing of a temporary store must outlive a crash, so it skips the fsyncs.
        SqliteStore::open_with(&path, "OFF", Some(path.clone()))
    }

    fn open_with(
        path: &Path,
        synchronous: &str,
        remove_on_drop: Option<PathBuf>,
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
                remove_on_drop,
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
                CHUNK_BYTES,
                total_sender,
                &chunk_sender,
            );
            if let Err(error) = outcome {
                let _ = chunk_sender.blocking_send(Err(error));
            }
        });
        match total.await {
            Ok(total) => Ok(Listing { total, chunks }),
            // The task ended before it had a count: it sent its error as the first chunk.
            Err(_) => Err(first_error(chunks).await),
        }
    }

    pub async fn get(&self, id: String) -> Result<Stored, StoreError> {
        self.read(move |connection| queries::read(connection, &id)?.ok_or(StoreError::NotFound(id)))
            .await
    }

    pub async fn create(&self, hunt: Hunt) -> Result<Stored, StoreError> {
        self.write(move |connection| queries::create(connection, hunt))
            .await
    }

    /// Applies `change` to the stored hunt, if `precondition` allows, in one transaction.
    pub async fn update(
        &self,
        id: String,
        precondition: Precondition,
        change: impl FnOnce(&Hunt) -> Result<Hunt, ModelError> + Send + 'static,
    ) -> Result<Stored, StoreError> {
        self.write(move |connection| queries::update(connection, &id, &precondition, change))
            .await
    }

    pub async fn delete(&self, id: String, precondition: Precondition) -> Result<(), StoreError> {
        self.write(move |connection| queries::delete(connection, &id, &precondition))
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

    /// The role a user has now, if the user still exists.
    pub async fn user_role(&self, name: String) -> Result<Option<Role>, StoreError> {
        self.read(move |connection| accounts::user_role(connection, &name))
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

/// The store the server runs on: the embedded SQLite file, or a PostgreSQL database shared by
/// several instances. Nothing above this module knows which.
#[derive(Clone)]
pub struct Store(Backend);

#[derive(Clone)]
enum Backend {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// Calls the same method on whichever store this is.
macro_rules! either {
    ($store:expr, $backend:ident => $call:expr) => {
        match &$store.0 {
            Backend::Sqlite($backend) => $call,
            Backend::Postgres($backend) => $call,
        }
    };
}

impl Store {
    /// Opens the SQLite file at `path` (created if need be).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        SqliteStore::open(path).map(|store| Store(Backend::Sqlite(store)))
    }

    /// A private SQLite database in the temporary folder, removed when the store goes: for tests.
    pub fn open_temporary() -> Result<Store, StoreError> {
        SqliteStore::open_temporary().map(|store| Store(Backend::Sqlite(store)))
    }

    /// Connects to PostgreSQL at `url` (`postgres://user@host:port/dbname`).
    pub async fn connect(url: &str, options: PgOptions) -> Result<Store, StoreError> {
        PgStore::connect(url, options)
            .await
            .map(|store| Store(Backend::Postgres(store)))
    }

    /// `--db`: a `postgres://` or `postgresql://` URL, or else a SQLite file's path.
    pub async fn open_any(db: &str, options: PgOptions) -> Result<Store, StoreError> {
        if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            Store::connect(db, options).await
        } else {
            Store::open(Path::new(db))
        }
    }

    /// The PostgreSQL store, when this is one (for what every instance must share).
    pub fn postgres(&self) -> Option<&PgStore> {
        match &self.0 {
            Backend::Postgres(store) => Some(store),
            Backend::Sqlite(_) => None,
        }
    }

    /// A number that changes whenever a write commits, so what was read at one value may be
    /// served again while it holds; `None` when writes can come from elsewhere (another
    /// instance on the same PostgreSQL), so nothing read may be served again.
    pub fn write_generation(&self) -> Option<u64> {
        match &self.0 {
            Backend::Sqlite(store) => Some(store.write_generation()),
            Backend::Postgres(_) => None,
        }
    }

    /// The hunts `query` selects, each written out by `render`, with how many match in all.
    /// The count and the page come from one snapshot.
    pub async fn list(&self, query: ListQuery, render: RenderRow) -> Result<Listing, StoreError> {
        either!(self, store => store.list(query, render).await)
    }

    /// The hunts `query` selects, read whole, with how many match in all: for callers that want
    /// the hunts themselves rather than an answer to send (tests, tools).
    pub async fn list_hunts(&self, query: ListQuery) -> Result<(u64, Vec<Hunt>), StoreError> {
        // Stored bodies are compact JSON, so one a line.
        let render: RenderRow = Box::new(|_, body, out| {
            out.extend_from_slice(body.as_bytes());
            out.push(b'\n');
            Ok(())
        });
        let mut listing = self.list(query, render).await?;
        let mut hunts = Vec::new();
        while let Some(chunk) = listing.chunks.recv().await {
            for line in chunk?
                .split(|byte| *byte == b'\n')
                .filter(|line| !line.is_empty())
            {
                let hunt = serde_json::from_slice(line).map_err(|error| {
                    StoreError::Database(format!("stored hunt is not readable: {error}"))
                })?;
                hunts.push(hunt);
            }
        }
        Ok((listing.total, hunts))
    }

    pub async fn get(&self, id: String) -> Result<Stored, StoreError> {
        either!(self, store => store.get(id).await)
    }

    pub async fn create(&self, hunt: Hunt) -> Result<Stored, StoreError> {
        either!(self, store => store.create(hunt).await)
    }

    /// Applies `change` to the stored hunt, if `precondition` allows, in one transaction.
    pub async fn update(
        &self,
        id: String,
        precondition: Precondition,
        change: impl FnOnce(&Hunt) -> Result<Hunt, ModelError> + Send + 'static,
    ) -> Result<Stored, StoreError> {
        either!(self, store => store.update(id, precondition, change).await)
    }

    pub async fn delete(&self, id: String, precondition: Precondition) -> Result<(), StoreError> {
        either!(self, store => store.delete(id, precondition).await)
    }

    /// The ids of the hunts whose id, code or phone number equals `key`, oldest first.
    pub async fn lookup(&self, key: String) -> Result<Vec<String>, StoreError> {
        either!(self, store => store.lookup(key).await)
    }

    /// Whether there are no hunts (the demo set only fills an empty database).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        either!(self, store => store.is_empty().await)
    }

    /// Whether anyone may sign in or call with a token: then sign-in is on.
    pub async fn has_accounts(&self) -> Result<bool, StoreError> {
        either!(self, store => store.has_accounts().await)
    }

    /// A user's role and password hash.
    pub async fn user(&self, name: String) -> Result<Option<(Role, String)>, StoreError> {
        either!(self, store => store.user(name).await)
    }

    /// The role a user has now, if the user still exists.
    pub async fn user_role(&self, name: String) -> Result<Option<Role>, StoreError> {
        Ok(self.user(name).await?.map(|(role, _)| role))
    }

    /// The name and role of the token with this hash.
    pub async fn token(&self, token_hash: String) -> Result<Option<(String, Role)>, StoreError> {
        either!(self, store => store.token(token_hash).await)
    }

    /// Adds a user or a token (or gives one of that name a new role and secret).
    pub async fn put_account(
        &self,
        kind: AccountKind,
        name: String,
        role: Role,
        secret_hash: String,
    ) -> Result<(), StoreError> {
        let created = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        either!(self, store => store.put_account(kind, name, role, secret_hash, created).await)
    }

    /// Removes a user or a token; whether there was one.
    pub async fn remove_account(
        &self,
        kind: AccountKind,
        name: String,
    ) -> Result<bool, StoreError> {
        either!(self, store => store.remove_account(kind, name).await)
    }

    pub async fn accounts(&self, kind: AccountKind) -> Result<Vec<Account>, StoreError> {
        either!(self, store => store.accounts(kind).await)
    }
}
