//! The hunts in PostgreSQL, for several server instances behind one address: the same interface
//! and the same rules as the SQLite store, with the database as the one place of truth. An
//! instance remembers list counts only under the database's own count of changes, read in the
//! list's snapshot, and no list pages at all, so a write through one instance is seen by the
//! next read through any.
//!
//! A hunt is a small row (a column per single-valued field for filters and orders, and its
//! resource ids in an array with a GIN index for the `resources.id` filter) and its body as
//! JSON text in a table of its own (kept as written, so answers keep the entity's field order). Text sorts as the SQLite store's
//! `NOCASE` does: ASCII letters folded, then byte order, then creation order.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hunts_model::{Direction, FIELDS, FieldPath, Filter, Hunt, Kind, ListQuery, ModelError, Role};
use serde_json::Value;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, IsolationLevel, NoTls, Row};

use super::queries::{advanced_timestamp, etag, now_timestamp};
use super::schema::{ORDER_INDEXES, column};
use super::{
    Account, AccountKind, Listing, Precondition, RenderRow, StoreError, Stored, UniqueField,
};
use crate::access::Lifetimes;

/// How the store reaches the database.
#[derive(Clone, Debug)]
pub struct PgOptions {
    /// Connections held at most by this instance.
    pub pool_size: usize,
    /// How long a request waits for a free connection before it is a 503.
    pub acquire_timeout: Duration,
    /// How long to keep trying at start while the database is not up yet.
    pub wait_for_database: Duration,
}

impl Default for PgOptions {
    fn default() -> PgOptions {
        PgOptions {
            pool_size: 8,
            acquire_timeout: Duration::from_secs(5),
            wait_for_database: Duration::from_secs(30),
        }
    }
}

/// Rows rendered before a chunk of a list goes out.
const CHUNK_BYTES: usize = 64 * 1024;

/// Migrations, in order; `hunts_schema.version` counts how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: hunts, with a column per single-valued field, and who may sign in or call.
    r#"CREATE TABLE hunts (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        code TEXT NOT NULL UNIQUE,
        phonenumber TEXT NOT NULL,
        version BIGINT NOT NULL,
        body TEXT NOT NULL,
        resource_ids TEXT[] NOT NULL,
        "priority" BIGINT NOT NULL,
        "type" TEXT NOT NULL,
        "strategy_mode" TEXT NOT NULL,
        "resmode" TEXT NOT NULL,
        "objmode" TEXT NOT NULL,
        "weight" BIGINT NOT NULL,
        "wivrscript" TEXT NOT NULL,
        "qivrscript" TEXT NOT NULL,
        "preivrscript" TEXT NOT NULL,
        "reslimit" BIGINT NOT NULL,
        "maxattempts" BIGINT NOT NULL,
        "maxattemptstrannumber" TEXT NOT NULL,
        "timeout" BIGINT NOT NULL,
        "timeouttrannumber" TEXT NOT NULL,
        "resdialtimeout" BIGINT NOT NULL,
        "displayname" TEXT NOT NULL,
        "huntblock_enabled" BOOLEAN NOT NULL,
        "huntblock_expires" BIGINT NOT NULL,
        "huntblock_reason" TEXT NOT NULL,
        "resbansec" BIGINT NOT NULL,
        "opts_title" TEXT NOT NULL,
        "opts_comment" TEXT NOT NULL,
        "opts_exit_no_resource" BOOLEAN NOT NULL,
        "ext_ct" TEXT NOT NULL,
        "ext_lwt" TEXT NOT NULL
    );
    CREATE UNIQUE INDEX hunts_phonenumber_unique ON hunts (phonenumber) WHERE phonenumber <> '';
    CREATE INDEX hunts_resource_ids ON hunts USING GIN (resource_ids);
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
        password_hash TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE tokens (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
        token_hash TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL
    );"#,
    // 2: sign-in sessions, shared by every instance; kept as digests of their ids.
    r#"CREATE TABLE sessions (
        id_digest TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        started TIMESTAMPTZ NOT NULL DEFAULT now(),
        last_seen TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE INDEX sessions_name ON sessions (name);"#,
    // 3: bodies in a table of their own, as on SQLite, so a count or a sort scans small rows.
    "CREATE TABLE hunt_bodies (
        seq BIGINT PRIMARY KEY REFERENCES hunts (seq) ON DELETE CASCADE,
        body TEXT NOT NULL
     );
     INSERT INTO hunt_bodies (seq, body) SELECT seq, body FROM hunts;
     ALTER TABLE hunts DROP COLUMN body;",
    // 4: a count of committed changes to the hunts, read in a list's own snapshot: an
    // instance may serve a count it remembers only while this number is the same, whichever
    // instance wrote since.
    "CREATE TABLE hunts_changes (n BIGINT NOT NULL);
     INSERT INTO hunts_changes (n) VALUES (0);
     CREATE FUNCTION hunts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
         UPDATE hunts_changes SET n = n + 1;
         RETURN NULL;
     END $$;
     CREATE TRIGGER hunts_changed AFTER INSERT OR UPDATE OR DELETE ON hunts
         FOR EACH STATEMENT EXECUTE FUNCTION hunts_changed();",
];

/// What a column sorts by: text with ASCII letters folded, in byte order (SQLite's `NOCASE`).
fn sort_key(path: FieldPath) -> String {
    match path.kind() {
        Kind::Text => format!(
            "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE \"C\"",
            column(path)
        ),
        _ => column(path),
    }
}

/// The indexes lists read through: one for each field the SQLite store sorts through an index
/// (`ORDER_INDEXES`), made at each start if missing.
fn index_statements() -> Vec<String> {
    ORDER_INDEXES
        .iter()
        .filter_map(|(path, _)| FieldPath::lookup(path))
        .map(|path| {
            format!(
                "CREATE INDEX IF NOT EXISTS hunts_sort_{} ON hunts (({}), seq)",
                path.as_str().replace('.', "_"),
                sort_key(path)
            )
        })
        .collect()
}

/// The single-valued fields with a column beside `id`, `code` and `phonenumber`.
fn field_columns() -> impl Iterator<Item = FieldPath> {
    FIELDS
        .iter()
        .filter_map(|field| FieldPath::lookup(field.path))
        .filter(|path| {
            path.kind().is_scalar() && !["id", "code", "phonenumber"].contains(&path.as_str())
        })
}

/// A field's value as its column holds it.
enum Cell {
    Text(String),
    Whole(i64),
    Flag(bool),
}

impl Cell {
    fn of(path: FieldPath, value: Option<&Value>) -> Cell {
        match path.kind() {
            Kind::Count => Cell::Whole(value.and_then(Value::as_i64).unwrap_or_default()),
            Kind::Flag => Cell::Flag(value.and_then(Value::as_bool).unwrap_or_default()),
            _ => Cell::Text(value.and_then(Value::as_str).unwrap_or_default().to_owned()),
        }
    }

    fn as_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Cell::Text(text) => text,
            Cell::Whole(whole) => whole,
            Cell::Flag(flag) => flag,
        }
    }
}

fn cells(body: &Value) -> Vec<Cell> {
    field_columns()
        .map(|path| {
            let value = path
                .segments()
                .try_fold(body, |value, segment| value.get(segment));
            Cell::of(path, value)
        })
        .collect()
}

fn resource_ids(hunt: &Hunt) -> Vec<String> {
    hunt.resources
        .iter()
        .map(|resource| resource.id.clone())
        .collect()
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> StoreError {
        StoreError::Database(match error.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => error.to_string(),
        })
    }
}

/// A bounded pool: at most `pool_size` connections, each made when first needed and kept.
struct Pool {
    url: String,
    options: PgOptions,
    permits: Arc<Semaphore>,
    idle: Mutex<Vec<Client>>,
}

struct Lease {
    client: Option<Client>,
    pool: Arc<Pool>,
    _permit: OwnedSemaphorePermit,
}

impl std::ops::Deref for Lease {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client.as_ref().expect("held until dropped")
    }
}

impl std::ops::DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut Client {
        self.client.as_mut().expect("held until dropped")
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(client) = self.client.take()
            && !client.is_closed()
        {
            self.pool
                .idle
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(client);
        }
    }
}

async fn connect(url: &str) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::warn!(%error, "a database connection ended");
        }
    });
    Ok(client)
}

impl Pool {
    async fn lease(self: &Arc<Pool>) -> Result<Lease, StoreError> {
        let permit = tokio::time::timeout(
            self.options.acquire_timeout,
            self.permits.clone().acquire_owned(),
        )
        .await
        .map_err(|_| StoreError::Busy)?
        .expect("the semaphore is never closed");
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop();
        let client = match idle {
            Some(client) => client,
            None => connect(&self.url).await?,
        };
        Ok(Lease {
            client: Some(client),
            pool: self.clone(),
            _permit: permit,
        })
    }
}

/// The PostgreSQL store: a pool of connections to one database.
#[derive(Clone)]
pub struct PgStore {
    pool: Arc<Pool>,
    counts: Arc<Mutex<Counts>>,
}

/// Counts of matching hunts this instance has made, each with the number of changes
/// (`hunts_changes.n`) it was counted at: good while that number holds.
#[derive(Default)]
struct Counts(std::collections::HashMap<String, (i64, i64)>);

/// Filters remembered at most; past it the memory is simply cleared.
const MAX_COUNTS: usize = 4096;

impl PgStore {
    /// Connects (waiting while the database is not up yet, saying so), brings the schema up to
    /// date, and refuses a database whose schema is newer than this server.
    pub async fn connect(url: &str, options: PgOptions) -> Result<PgStore, StoreError> {
        let started = Instant::now();
        let mut client = loop {
            match connect(url).await {
                Ok(client) => break client,
                Err(error) if started.elapsed() < options.wait_for_database => {
                    tracing::warn!(%error, "the database is not reachable yet; trying again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(error) => {
                    return Err(StoreError::Database(format!(
                        "cannot reach the database after {} s: {error}",
                        options.wait_for_database.as_secs()
                    )));
                }
            }
        };
        migrate(&mut client).await?;
        // Fresh statistics, so the planner knows which filters match most hunts.
        client.batch_execute("ANALYZE hunts").await?;
        let pool = Arc::new(Pool {
            url: url.to_owned(),
            permits: Arc::new(Semaphore::new(options.pool_size.max(1))),
            idle: Mutex::new(vec![client]),
            options,
        });
        Ok(PgStore {
            pool,
            counts: Arc::default(),
        })
    }

    pub async fn list(
        &self,
        query: ListQuery,
        mut render: RenderRow,
    ) -> Result<Listing, StoreError> {
        let mut client = self.pool.lease().await?;
        let (clause, values) = where_clause(&query.filter);
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|value| value.as_sql()).collect();
        // The count and the page from one snapshot.
        let transaction = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let changes: i64 = transaction
            .query_one("SELECT n FROM hunts_changes", &[])
            .await?
            .get(0);
        let key = query.filter.to_string();
        let remembered = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .0
            .get(&key)
            .filter(|(at, _)| *at == changes)
            .map(|(_, count)| *count);
        let total = match remembered {
            Some(count) => count,
            None => {
                let count: i64 = transaction
                    .query_one(&format!("SELECT count(*) FROM hunts {clause}"), &params)
                    .await?
                    .get(0);
                let mut counts = self
                    .counts
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if counts.0.len() >= MAX_COUNTS {
                    counts.0.clear();
                }
                counts.0.insert(key, (changes, count));
                count
            }
        };
        let limit = query.limit.map_or("ALL".to_owned(), |limit| {
            limit.min(i64::MAX as u64).to_string()
        });
        // The page's row numbers first, sorted on the keys alone; then their bodies, in
        // that order. Sorting whole rows would drag every body through the sort.
        let sql = format!(
            "SELECT b.body FROM unnest(ARRAY(SELECT seq FROM hunts {clause} {} LIMIT {limit} OFFSET {})) \
             WITH ORDINALITY AS page (seq, rank) JOIN hunt_bodies b ON b.seq = page.seq ORDER BY page.rank",
            order_clause(&query),
            query.offset.min(i64::MAX as u64)
        );
        let rows = transaction.query(&sql, &params).await?;
        transaction.commit().await?;
        drop(client);
        let (sender, chunks) = mpsc::channel(2);
        tokio::task::spawn_blocking(move || {
            let mut buffer = Vec::with_capacity(CHUNK_BYTES + 4096);
            for (index, row) in rows.iter().enumerate() {
                let body: &str = row.get(0);
                if let Err(error) = render(index, body, &mut buffer) {
                    let _ = sender.blocking_send(Err(StoreError::Database(error)));
                    return;
                }
                if buffer.len() >= CHUNK_BYTES {
                    let full =
                        std::mem::replace(&mut buffer, Vec::with_capacity(CHUNK_BYTES + 4096));
                    if sender.blocking_send(Ok(full)).is_err() {
                        return;
                    }
                }
            }
            if !buffer.is_empty() {
                let _ = sender.blocking_send(Ok(buffer));
            }
        });
        Ok(Listing {
            total: u64::try_from(total).unwrap_or_default(),
            chunks,
        })
    }

    pub async fn get(&self, id: String) -> Result<Stored, StoreError> {
        let client = self.pool.lease().await?;
        let row = client
            .query_opt(
                "SELECT h.seq, h.version, b.body FROM hunts h JOIN hunt_bodies b USING (seq) WHERE h.id = $1",
                &[&id],
            )
            .await?;
        row.map(stored_of)
            .transpose()?
            .ok_or(StoreError::NotFound(id))
    }

    /// Creates the hunt; one that comes with `ext.ct` (a restore) keeps it, and its place in
    /// creation order where it is free (see the SQLite store's `place_in_creation_order`).
    pub async fn create(&self, mut hunt: Hunt) -> Result<Stored, StoreError> {
        if hunt.id.is_empty() {
            hunt.id = crate::access::secrets::new_uuid().to_string();
        }
        let client = self.pool.lease().await?;
        let place = match hunt.ext.ct.is_empty() {
            true => None,
            false => place_in_creation_order(&client, &hunt.ext.ct).await?,
        };
        let now = now_timestamp();
        if hunt.ext.ct.is_empty() {
            hunt.ext.ct = now.clone();
        }
        hunt.ext.lwt = now;
        let body = hunt.to_json();
        let body_text = body.to_string();
        let cells = cells(&body);
        let ids = resource_ids(&hunt);
        let columns: Vec<String> = field_columns().map(column).collect();
        let placeholders: Vec<String> = (8..8 + columns.len()).map(|n| format!("${n}")).collect();
        // The row and its body in one statement: there is never one without the other. A `seq`
        // of NULL is the next of the sequence.
        let sql = format!(
            "WITH h AS (INSERT INTO hunts (seq, id, code, phonenumber, version, resource_ids, {}) \
             VALUES (coalesce($7, nextval(pg_get_serial_sequence('hunts', 'seq'))), $1, $2, $3, $4, $6, {}) RETURNING seq) \
             INSERT INTO hunt_bodies (seq, body) SELECT seq, $5 FROM h RETURNING seq",
            columns.join(", "),
            placeholders.join(", ")
        );
        let (seq_at, version): (Option<i64>, i64) = match place {
            Some((seq, version)) => (Some(seq), version),
            None => (None, 1),
        };
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![
            &hunt.id,
            &hunt.code,
            &hunt.phonenumber,
            &version,
            &body_text,
            &ids,
            &seq_at,
        ];
        params.extend(cells.iter().map(Cell::as_sql));
        let seq: i64 = match client.query_one(&sql, &params).await {
            Ok(row) => row.get(0),
            Err(error) => return Err(taken_or(&client, error, &hunt, None).await),
        };
        Ok(Stored {
            etag: etag(seq, version),
            hunt,
        })
    }

    /// The read, the check of `If-Match` and the write happen in one transaction that holds
    /// the row (`FOR UPDATE`), so a change through another instance in between is a 412.
    pub async fn update(
        &self,
        id: String,
        precondition: Precondition,
        change: impl FnOnce(&Hunt) -> Result<Hunt, ModelError> + Send + 'static,
    ) -> Result<Stored, StoreError> {
        let mut client = self.pool.lease().await?;
        let transaction = client.transaction().await?;
        let row = transaction
            .query_opt(
                "SELECT h.seq, h.version, b.body FROM hunts h JOIN hunt_bodies b USING (seq) \
                 WHERE h.id = $1 FOR UPDATE OF h",
                &[&id],
            )
            .await?;
        let stored = row
            .map(stored_of)
            .transpose()?
            .ok_or(StoreError::NotFound(id.clone()))?;
        if !precondition.allows(&stored.etag) {
            return Err(StoreError::PreconditionFailed);
        }
        let mut hunt = change(&stored.hunt)?;
        hunt.ext.lwt = advanced_timestamp(&stored.hunt.ext.lwt);
        let body = hunt.to_json();
        let body_text = body.to_string();
        let cells = cells(&body);
        let ids = resource_ids(&hunt);
        let assignments: Vec<String> = field_columns()
            .enumerate()
            .map(|(index, path)| format!("{} = ${}", column(path), index + 5))
            .collect();
        let sql = format!(
            "UPDATE hunts SET version = version + 1, code = $2, phonenumber = $3, \
             resource_ids = $4, {} WHERE id = $1 RETURNING seq, version",
            assignments.join(", ")
        );
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![&id, &hunt.code, &hunt.phonenumber, &ids];
        params.extend(cells.iter().map(Cell::as_sql));
        let row = match transaction.query_one(&sql, &params).await {
            Ok(row) => row,
            Err(error) => {
                drop(transaction);
                return Err(taken_or(&client, error, &hunt, Some(&id)).await);
            }
        };
        let seq: i64 = row.get(0);
        transaction
            .execute(
                "UPDATE hunt_bodies SET body = $2 WHERE seq = $1",
                &[&seq, &body_text],
            )
            .await?;
        transaction.commit().await?;
        Ok(Stored {
            etag: etag(seq, row.get(1)),
            hunt,
        })
    }

    pub async fn delete(&self, id: String, precondition: Precondition) -> Result<(), StoreError> {
        let mut client = self.pool.lease().await?;
        let transaction = client.transaction().await?;
        let row = transaction
            .query_opt(
                "SELECT seq, version FROM hunts WHERE id = $1 FOR UPDATE",
                &[&id],
            )
            .await?
            .ok_or(StoreError::NotFound(id.clone()))?;
        if !precondition.allows(&etag(row.get(0), row.get(1))) {
            return Err(StoreError::PreconditionFailed);
        }
        transaction
            .execute("DELETE FROM hunts WHERE id = $1", &[&id])
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    pub async fn lookup(&self, key: String) -> Result<Vec<String>, StoreError> {
        let client = self.pool.lease().await?;
        let rows = client
            .query(
                "SELECT seq, id FROM hunts WHERE id = $1
                 UNION SELECT seq, id FROM hunts WHERE code = $1 AND $1 <> ''
                 UNION SELECT seq, id FROM hunts WHERE phonenumber = $1 AND phonenumber <> ''
                 ORDER BY seq",
                &[&key],
            )
            .await?;
        Ok(rows.iter().map(|row| row.get(1)).collect())
    }

    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let client = self.pool.lease().await?;
        Ok(client
            .query_opt("SELECT 1 FROM hunts LIMIT 1", &[])
            .await?
            .is_none())
    }

    pub async fn has_accounts(&self) -> Result<bool, StoreError> {
        let client = self.pool.lease().await?;
        Ok(client
            .query_opt(
                "SELECT 1 FROM users UNION ALL SELECT 1 FROM tokens LIMIT 1",
                &[],
            )
            .await?
            .is_some())
    }

    pub async fn user(&self, name: String) -> Result<Option<(Role, String)>, StoreError> {
        let client = self.pool.lease().await?;
        let row = client
            .query_opt(
                "SELECT role, password_hash FROM users WHERE name = $1",
                &[&name],
            )
            .await?;
        row.map(|row| Ok((role(row.get(0))?, row.get(1))))
            .transpose()
    }

    pub async fn token(&self, token_hash: String) -> Result<Option<(String, Role)>, StoreError> {
        let client = self.pool.lease().await?;
        let row = client
            .query_opt(
                "SELECT name, role FROM tokens WHERE token_hash = $1",
                &[&token_hash],
            )
            .await?;
        row.map(|row| Ok((row.get(0), role(row.get(1))?)))
            .transpose()
    }

    pub async fn put_account(
        &self,
        kind: AccountKind,
        name: String,
        role: Role,
        secret_hash: String,
        created: String,
    ) -> Result<(), StoreError> {
        let (table, secret) = account_table(kind);
        let client = self.pool.lease().await?;
        client
            .execute(
                &format!(
                    "INSERT INTO {table} (name, role, {secret}, created) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (name) DO UPDATE SET role = excluded.role, {secret} = excluded.{secret}"
                ),
                &[&name, &role.as_str(), &secret_hash, &created],
            )
            .await?;
        Ok(())
    }

    pub async fn remove_account(
        &self,
        kind: AccountKind,
        name: String,
    ) -> Result<bool, StoreError> {
        let (table, _) = account_table(kind);
        let client = self.pool.lease().await?;
        Ok(client
            .execute(&format!("DELETE FROM {table} WHERE name = $1"), &[&name])
            .await?
            > 0)
    }

    pub async fn accounts(&self, kind: AccountKind) -> Result<Vec<Account>, StoreError> {
        let (table, _) = account_table(kind);
        let client = self.pool.lease().await?;
        let rows = client
            .query(
                &format!("SELECT name, role, created FROM {table} ORDER BY name"),
                &[],
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Account {
                    name: row.get(0),
                    role: role(row.get(1))?,
                    created: row.get(2),
                })
            })
            .collect()
    }
}

impl PgStore {
    /// A new session; sessions past their time are cleared on the way.
    pub async fn session_start(
        &self,
        id_digest: String,
        name: String,
        lifetimes: Lifetimes,
    ) -> Result<(), StoreError> {
        let client = self.pool.lease().await?;
        let (idle, absolute) = seconds(lifetimes);
        client
            .execute(
                "DELETE FROM sessions WHERE last_seen < now() - make_interval(secs => $1)
                 OR started < now() - make_interval(secs => $2)",
                &[&idle, &absolute],
            )
            .await?;
        client
            .execute(
                "INSERT INTO sessions (id_digest, name) VALUES ($1, $2)",
                &[&id_digest, &name],
            )
            .await?;
        Ok(())
    }

    /// The user of a live session, kept alive by this request, in one statement.
    pub async fn session_touch(
        &self,
        id_digest: String,
        lifetimes: Lifetimes,
    ) -> Result<Option<String>, StoreError> {
        let client = self.pool.lease().await?;
        let (idle, absolute) = seconds(lifetimes);
        let row = client
            .query_opt(
                "UPDATE sessions SET last_seen = now() WHERE id_digest = $1
                 AND last_seen >= now() - make_interval(secs => $2)
                 AND started >= now() - make_interval(secs => $3)
                 RETURNING name",
                &[&id_digest, &idle, &absolute],
            )
            .await?;
        Ok(row.map(|row| row.get(0)))
    }

    pub async fn session_end(&self, id_digest: String) -> Result<(), StoreError> {
        let client = self.pool.lease().await?;
        client
            .execute("DELETE FROM sessions WHERE id_digest = $1", &[&id_digest])
            .await?;
        Ok(())
    }

    pub async fn sessions_end_all(&self, name: String) -> Result<(), StoreError> {
        let client = self.pool.lease().await?;
        client
            .execute("DELETE FROM sessions WHERE name = $1", &[&name])
            .await?;
        Ok(())
    }
}

fn seconds(lifetimes: Lifetimes) -> (f64, f64) {
    (
        lifetimes.idle.as_secs_f64(),
        lifetimes.absolute.as_secs_f64(),
    )
}

fn account_table(kind: AccountKind) -> (&'static str, &'static str) {
    match kind {
        AccountKind::User => ("users", "password_hash"),
        AccountKind::Token => ("tokens", "token_hash"),
    }
}

fn role(text: String) -> Result<Role, StoreError> {
    text.parse()
        .map_err(|error: String| StoreError::Database(format!("stored role: {error}")))
}

fn stored_of(row: Row) -> Result<Stored, StoreError> {
    let body: &str = row.get(2);
    let hunt = serde_json::from_str(body)
        .map_err(|error| StoreError::Database(format!("stored hunt is not readable: {error}")))?;
    Ok(Stored {
        hunt,
        etag: etag(row.get(0), row.get(1)),
    })
}

/// `WHERE …` (or nothing) and its values: each filter path is one `= ANY($n)` (or, for
/// `resources.id`, an overlap with the hunt's resource ids).
fn where_clause(filter: &Filter) -> (String, Vec<Bound>) {
    let mut conditions = Vec::new();
    let mut values = Vec::new();
    for (path, allowed) in filter.conditions() {
        let n = values.len() + 1;
        if *path == FieldPath::RESOURCE_ID {
            conditions.push(format!("resource_ids && ${n}"));
            values.push(Bound::Texts(texts(allowed)));
            continue;
        }
        conditions.push(format!("{} = ANY(${n})", column(*path)));
        values.push(match path.kind() {
            Kind::Count => Bound::Wholes(allowed.iter().filter_map(Value::as_i64).collect()),
            Kind::Flag => Bound::Flags(allowed.iter().filter_map(Value::as_bool).collect()),
            _ => Bound::Texts(texts(allowed)),
        });
    }
    let clause = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    (clause, values)
}

fn texts(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .filter_map(|value| value.as_str().map(str::to_owned))
        .collect()
}

/// A filter's values, bound as one array parameter.
enum Bound {
    Texts(Vec<String>),
    Wholes(Vec<i64>),
    Flags(Vec<bool>),
}

impl Bound {
    fn as_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Bound::Texts(values) => values,
            Bound::Wholes(values) => values,
            Bound::Flags(values) => values,
        }
    }
}

/// Where in creation order a hunt created with a created time of its own goes: the `seq` just
/// after the last hunt created no later, when free, with a version no earlier ETag of that
/// `seq` carried. `None`: the end, as any new hunt.
async fn place_in_creation_order(
    client: &tokio_postgres::Client,
    created: &str,
) -> Result<Option<(i64, i64)>, StoreError> {
    let ct = column(FieldPath::lookup("ext.ct").expect("ext.ct is a field"));
    let row = client
        .query_one(
            &format!(
                "WITH b AS (SELECT coalesce(max(seq), 0) AS before FROM hunts WHERE {ct} <= $1) \
                 SELECT b.before, (SELECT min(seq) FROM hunts WHERE seq > b.before) FROM b"
            ),
            &[&created],
        )
        .await?;
    let (before, next): (i64, Option<i64>) = (row.get(0), row.get(1));
    Ok(match next {
        Some(next) if next > before + 1 => Some((before + 1, super::queries::millis_now())),
        _ => None,
    })
}

/// `ORDER BY …`: the keys, then creation order.
fn order_clause(query: &ListQuery) -> String {
    let mut terms: Vec<String> = query
        .order
        .keys()
        .iter()
        .map(|(path, direction)| {
            let direction = match direction {
                Direction::Asc => "ASC",
                Direction::Desc => "DESC",
            };
            format!("{} {direction}", sort_key(*path))
        })
        .collect();
    terms.push("seq ASC".to_owned());
    format!("ORDER BY {}", terms.join(", "))
}

/// Runs the migrations not yet run, one instance at a time (an advisory lock), and refuses a
/// database a newer server has migrated.
async fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let transaction = client.transaction().await?;
    transaction
        .execute("SELECT pg_advisory_xact_lock(746881120)", &[])
        .await?;
    transaction
        .batch_execute("CREATE TABLE IF NOT EXISTS hunts_schema (version INTEGER NOT NULL)")
        .await?;
    let applied: Option<i32> = transaction
        .query_opt("SELECT version FROM hunts_schema", &[])
        .await?
        .map(|row| row.get(0));
    let applied = usize::try_from(applied.unwrap_or(0)).unwrap_or(0);
    if applied > MIGRATIONS.len() {
        return Err(StoreError::TooNew {
            found: applied,
            known: MIGRATIONS.len(),
        });
    }
    for migration in &MIGRATIONS[applied..] {
        transaction.batch_execute(migration).await?;
    }
    for statement in index_statements() {
        transaction.batch_execute(&statement).await?;
    }
    let version = i32::try_from(MIGRATIONS.len()).expect("few migrations");
    transaction.execute("DELETE FROM hunts_schema", &[]).await?;
    transaction
        .execute(
            "INSERT INTO hunts_schema (version) VALUES ($1)",
            &[&version],
        )
        .await?;
    transaction.commit().await?;
    Ok(())
}

/// A write refused by a unique constraint names the field taken (asked of the table by value,
/// as the SQLite store does); any other failure is a database error.
async fn taken_or(
    client: &Client,
    error: tokio_postgres::Error,
    hunt: &Hunt,
    updating: Option<&str>,
) -> StoreError {
    let unique = error
        .as_db_error()
        .is_some_and(|db| *db.code() == tokio_postgres::error::SqlState::UNIQUE_VIOLATION);
    if !unique {
        return error.into();
    }
    let other = updating.unwrap_or("");
    let candidates = [
        (
            UniqueField::Id,
            "SELECT 1 FROM hunts WHERE id = $1 AND id <> $2",
            &hunt.id,
        ),
        (
            UniqueField::Code,
            "SELECT 1 FROM hunts WHERE code = $1 AND id <> $2",
            &hunt.code,
        ),
        (
            UniqueField::PhoneNumber,
            "SELECT 1 FROM hunts WHERE phonenumber = $1 AND phonenumber <> '' AND id <> $2",
            &hunt.phonenumber,
        ),
    ];
    for (field, sql, value) in candidates {
        match client.query_opt(sql, &[value, &other]).await {
            Ok(Some(_)) => {
                return StoreError::Taken {
                    field,
                    value: value.clone(),
                };
            }
            Ok(None) => {}
            Err(error) => return error.into(),
        }
    }
    error.into()
}
