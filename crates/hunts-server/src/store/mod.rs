//! Where the hunts, the accounts and the sign-in sessions are kept, behind one interface that
//! speaks the model's types and its own error type: the embedded SQLite file (`sqlite/`) or a
//! PostgreSQL database several instances share (`postgres/`), side by side and split the same
//! way, with what their SQL shares written once (`sql/`). Nothing above this module names
//! either database, and only the two backends speak SQL.

mod postgres;
mod sql;
mod sqlite;

use std::path::Path;
use std::time::Duration;

use hunts_model::history::{HistoryQuery, Revision};
use hunts_model::{Hunt, ListQuery, ModelError, Role};
use tokio::sync::mpsc;

use postgres::PgStore;
pub use postgres::{Nudges, PgOptions};
pub use sql::accounts::{Account, AccountKind};
pub use sql::columns::ORDER_INDEXES;
use sqlite::SqliteStore;
/// The SQLite file's schema version (its `user_version`) this server writes.
pub use sqlite::schema::SCHEMA_VERSION;

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
    /// The generation (`Store::generation_now`) of the snapshot the answer was read in, where
    /// the store knows it (PostgreSQL); else the one read before asking is as good.
    pub made_at: Option<u64>,
}

/// Who made a write, and the change it belongs to: what its revision records.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    /// The user or token; `None` with sign-in off (or the server's own writes: demo, tools).
    pub by: Option<String>,
    /// `X-Change-Set`, as given.
    pub change_set: Option<String>,
}

/// A page of revisions, newest first, and how many the query selects in all.
pub struct HistoryPage {
    pub total: u64,
    pub revisions: Vec<Revision>,
}

/// How long sign-in sessions last.
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

    /// Opens the SQLite file at `path` with writes recording no revision and no history served:
    /// only to measure what history costs (`--without-history`, `cargo xtask bench`).
    pub fn open_without_history(path: &Path) -> Result<Store, StoreError> {
        SqliteStore::open_without_history(path).map(|store| Store(Backend::Sqlite(store)))
    }

    /// Whether writes record revisions and the history is served (always, but where opened
    /// `without_history`).
    pub fn keeps_history(&self) -> bool {
        match &self.0 {
            Backend::Sqlite(store) => store.keeps_history(),
            Backend::Postgres(_) => true,
        }
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

    /// A number that changes whenever a write commits, so what was read at one value may be
    /// served again while it holds; `None` when writes can come from elsewhere (another
    /// instance on the same PostgreSQL), so nothing read may be served again.
    pub fn write_generation(&self) -> Option<u64> {
        match &self.0 {
            Backend::Sqlite(store) => Some(store.write_generation()),
            Backend::Postgres(_) => None,
        }
    }

    /// Nudged whenever a revision commits elsewhere too (another instance): PostgreSQL's
    /// `LISTEN`, held while the `Nudges` are; `None` on SQLite, where `write_generation` says it.
    pub fn revision_nudges(&self) -> Option<Nudges> {
        match &self.0 {
            Backend::Sqlite(_) => None,
            Backend::Postgres(store) => Some(store.revision_nudges()),
        }
    }

    /// A number that moves with every committed write to the hunts, whichever instance made
    /// it: an answer made at this generation is still the answer while it holds. SQLite: the
    /// writer's counter (every write passes through this server); PostgreSQL: the database's
    /// own change counter, one indexed read.
    pub async fn generation_now(&self) -> Result<u64, StoreError> {
        match &self.0 {
            Backend::Sqlite(store) => Ok(store.write_generation()),
            Backend::Postgres(store) => store.generation_now().await,
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

    /// Creates the hunt, as the server itself (no one's name, no change set).
    pub async fn create(&self, hunt: Hunt) -> Result<Stored, StoreError> {
        self.create_as(Origin::default(), hunt).await
    }

    /// Creates the hunt, and records its first revision, in one transaction.
    pub async fn create_as(&self, origin: Origin, hunt: Hunt) -> Result<Stored, StoreError> {
        either!(self, store => store.create(hunt, origin).await)
    }

    /// Changes the hunt as the server itself (see `update_as`).
    pub async fn update(
        &self,
        id: String,
        precondition: Precondition,
        change: impl FnOnce(&Hunt) -> Result<Hunt, ModelError> + Send + 'static,
    ) -> Result<Stored, StoreError> {
        self.update_as(Origin::default(), id, precondition, change)
            .await
    }

    /// Applies `change` to the stored hunt, if `precondition` allows, and records the revision,
    /// in one transaction.
    pub async fn update_as(
        &self,
        origin: Origin,
        id: String,
        precondition: Precondition,
        change: impl FnOnce(&Hunt) -> Result<Hunt, ModelError> + Send + 'static,
    ) -> Result<Stored, StoreError> {
        either!(self, store => store.update(id, precondition, origin, change).await)
    }

    /// Deletes the hunt as the server itself (see `delete_as`).
    pub async fn delete(&self, id: String, precondition: Precondition) -> Result<(), StoreError> {
        self.delete_as(Origin::default(), id, precondition).await
    }

    /// Deletes the hunt, if `precondition` allows, and records the revision, in one transaction.
    pub async fn delete_as(
        &self,
        origin: Origin,
        id: String,
        precondition: Precondition,
    ) -> Result<(), StoreError> {
        either!(self, store => store.delete(id, precondition, origin).await)
    }

    /// The revisions `query` selects, newest first, with how many it selects in all.
    pub async fn history(&self, query: HistoryQuery) -> Result<HistoryPage, StoreError> {
        either!(self, store => store.history(query).await)
    }

    /// Drops the revisions written before `cutoff` (an `at` timestamp), never a live hunt's
    /// latest; how many went.
    pub async fn drop_history_before(&self, cutoff: String) -> Result<u64, StoreError> {
        either!(self, store => store.drop_history_before(cutoff).await)
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

    /// A consistent copy of the SQLite database at `to`, made while the server runs; PostgreSQL
    /// is backed up by its own tools (`pg_dump`), said in the error.
    pub async fn backup(&self, to: std::path::PathBuf) -> Result<(), StoreError> {
        match &self.0 {
            Backend::Sqlite(store) => store.backup(to).await,
            Backend::Postgres(_) => Err(StoreError::Database(
                "a PostgreSQL database is backed up with pg_dump (see the README)".to_owned(),
            )),
        }
    }

    /// A new sign-in session for `name`, kept by the digest of its id (the cookie's value):
    /// in this server's memory on SQLite (one server; a restart signs everyone out, and the app
    /// keeps what was typed), in the database on PostgreSQL, so every instance knows it.
    /// Sessions past their time are cleared on the way.
    pub async fn start_session(
        &self,
        id_digest: String,
        name: String,
        lifetimes: Lifetimes,
    ) -> Result<(), StoreError> {
        either!(self, store => store.start_session(id_digest, name, lifetimes).await)
    }

    /// The user of a live session, which this request keeps alive; `None` when it has ended.
    pub async fn touch_session(
        &self,
        id_digest: String,
        lifetimes: Lifetimes,
    ) -> Result<Option<String>, StoreError> {
        either!(self, store => store.touch_session(id_digest, lifetimes).await)
    }

    pub async fn end_session(&self, id_digest: String) -> Result<(), StoreError> {
        either!(self, store => store.end_session(id_digest).await)
    }

    /// Ends every session of `name` (the user was removed, or is to sign in again).
    pub async fn end_sessions_of(&self, name: String) -> Result<(), StoreError> {
        either!(self, store => store.end_sessions_of(name).await)
    }
}
