//! The hunts in PostgreSQL, for several server instances behind one address: the same interface
//! and the same rules as the SQLite store, with the database as the one place of truth. An
//! instance remembers list counts only under the database's own count of changes, read in the
//! list's snapshot, and no list pages at all, so a write through one instance is seen by the
//! next read through any.
//!
//! A hunt is a small row (a column per single-valued field for filters and orders, and its
//! resource ids in an array with a GIN index for the `resources.id` filter) and its body as
//! JSON text in a table of its own (kept as written, so answers keep the entity's field order).
//! Text sorts as the SQLite store's `NOCASE` does: ASCII letters folded, then byte order, then
//! creation order. Sign-in sessions live in the database too (`sessions.rs`), so every instance
//! knows every session.

mod accounts;
mod counts;
mod generation;
mod list_sql;
mod listen;

pub use listen::Nudges;
mod pool;
mod queries;
mod schema;
mod sessions;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hunts_model::ListQuery;
use tokio::sync::{Semaphore, mpsc};
use tokio_postgres::IsolationLevel;
use tokio_postgres::types::ToSql;

use super::sql::chunks::Chunks;
use super::{Listing, RenderRow, StoreError};
use counts::{Counts, MAX_COUNTS};
use generation::GenerationReads;
use pool::{Pool, connect};

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

impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> StoreError {
        StoreError::Database(match error.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => error.to_string(),
        })
    }
}

/// The PostgreSQL store: a pool of connections to one database.
#[derive(Clone)]
pub struct PgStore {
    pool: Arc<Pool>,
    counts: Arc<Mutex<Counts>>,
    generation: Arc<GenerationReads>,
}

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
        schema::migrate(&mut client).await?;
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
            generation: Arc::default(),
        })
    }

    /// The database's change counter as read after this call began: every write to the hunts,
    /// through any instance, moves it in its own transaction, so it has moved for every write
    /// committed before. One read serves every request waiting on it (`generation.rs`).
    pub async fn generation_now(&self) -> Result<u64, StoreError> {
        self.generation.now(&self.pool).await
    }

    /// A nudge for every revision committed through any instance (`listen.rs`), from a
    /// connection of its own, held while the `Nudges` are.
    pub fn revision_nudges(&self) -> Nudges {
        listen::listen(self.pool.url.clone())
    }

    pub async fn list(&self, query: ListQuery, render: RenderRow) -> Result<Listing, StoreError> {
        let mut client = self.pool.lease().await?;
        let (clause, values) = list_sql::where_clause(&query.filter);
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
            list_sql::order_clause(&query),
            query.offset.min(i64::MAX as u64)
        );
        let rows = transaction.query(&sql, &params).await?;
        transaction.commit().await?;
        drop(client);
        let (sender, chunks) = mpsc::channel(2);
        tokio::task::spawn_blocking(move || {
            let mut chunks = Chunks::new(render, &sender);
            for (index, row) in rows.iter().enumerate() {
                if let Err(error) = chunks.render(index, row.get(0)) {
                    let _ = sender.blocking_send(Err(error));
                    return;
                }
                if !chunks.send_if_full() {
                    return;
                }
            }
            chunks.finish();
        });
        Ok(Listing {
            total: u64::try_from(total).unwrap_or_default(),
            chunks,
            made_at: u64::try_from(changes).ok(),
        })
    }
}
