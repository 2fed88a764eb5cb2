//! The hunts table in SQLite: schema and migrations, and every read and write the API makes.
//!
//! Each hunt is kept whole as JSON in `body`, with `id`, `code` and `phonenumber` copied into
//! columns so the database itself enforces their uniqueness. Every write is one transaction:
//! a refused request leaves the table as it was.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use hunts_model::{Direction, Hunt, Kind, ListQuery};
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};

use crate::error::ApiError;
use crate::extract::IfMatch;

/// Migrations, in order: the database's `user_version` counts how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: the hunts table. `seq` gives creation order, `version` the ETag.
    "CREATE TABLE hunts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        code TEXT NOT NULL UNIQUE,
        phonenumber TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL
    );
    CREATE UNIQUE INDEX hunts_phonenumber ON hunts (phonenumber) WHERE phonenumber <> '';",
];

/// A hunt as stored, with the ETag of this version of it.
#[derive(Debug)]
pub struct Stored {
    pub hunt: Hunt,
    pub etag: String,
}

/// One page of a list, and how many hunts match in all.
#[derive(Debug)]
pub struct Page {
    pub hunts: Vec<Hunt>,
    pub total: u64,
}

/// A handle on the database, cheap to clone. SQLite calls block, so they run on tokio's blocking
/// pool, one at a time on the one connection.
#[derive(Clone)]
pub struct Store {
    connection: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (creating if need be) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, ApiError> {
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|error| {
                ApiError::Internal(format!("cannot create {}: {error}", parent.display()))
            })?;
        }
        let connection = Connection::open(path)?;
        // WAL lets reads proceed beside a write; synchronous=FULL makes an acknowledged write durable.
        connection.pragma_update(None, "journal_mode", "WAL")?;
        Store::with_connection(connection)
    }

    /// A private database that lives as long as the store: for tests.
    pub fn open_in_memory() -> Result<Store, ApiError> {
        Store::with_connection(Connection::open_in_memory()?)
    }

    fn with_connection(mut connection: Connection) -> Result<Store, ApiError> {
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.busy_timeout(Duration::from_secs(5))?;
        migrate(&mut connection)?;
        Ok(Store {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    async fn call<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let connection = self.connection.clone();
        tokio::task::spawn_blocking(move || {
            let mut connection = connection.lock().unwrap_or_else(PoisonError::into_inner);
            work(&mut connection)
        })
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?
    }

    pub async fn list(&self, query: ListQuery) -> Result<Page, ApiError> {
        self.call(move |connection| list(connection, &query)).await
    }

    pub async fn get(&self, id: String) -> Result<Stored, ApiError> {
        self.call(move |connection| read(connection, &id)?.ok_or(ApiError::NotFound(id)))
            .await
    }

    pub async fn create(&self, hunt: Hunt) -> Result<Stored, ApiError> {
        self.call(move |connection| create(connection, hunt)).await
    }

    /// Applies `change` to the stored hunt, if `if_match` allows, in one transaction.
    pub async fn update(
        &self,
        id: String,
        if_match: IfMatch,
        change: impl FnOnce(&Hunt) -> Result<Hunt, ApiError> + Send + 'static,
    ) -> Result<Stored, ApiError> {
        self.call(move |connection| update(connection, &id, &if_match, change))
            .await
    }

    pub async fn delete(&self, id: String, if_match: IfMatch) -> Result<(), ApiError> {
        self.call(move |connection| delete(connection, &id, &if_match))
            .await
    }

    /// The ids of the hunts whose id, code or phone number equals `key`, oldest first.
    pub async fn lookup(&self, key: String) -> Result<Vec<String>, ApiError> {
        self.call(move |connection| lookup(connection, &key)).await
    }

    /// Whether the table is empty (the demo set only fills an empty database).
    pub async fn is_empty(&self) -> Result<bool, ApiError> {
        self.call(|connection| {
            let count: i64 =
                connection.query_row("SELECT count(*) FROM hunts", [], |row| row.get(0))?;
            Ok(count == 0)
        })
        .await
    }
}

fn migrate(connection: &mut Connection) -> Result<(), ApiError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let applied: usize = transaction.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if applied > MIGRATIONS.len() {
        return Err(ApiError::Internal(format!(
            "the database has schema version {applied}, newer than this server's {}",
            MIGRATIONS.len()
        )));
    }
    for migration in &MIGRATIONS[applied..] {
        transaction.execute_batch(migration)?;
    }
    transaction.pragma_update(None, "user_version", MIGRATIONS.len())?;
    transaction.commit()?;
    Ok(())
}

fn list(connection: &Connection, query: &ListQuery) -> Result<Page, ApiError> {
    // Paths come from the model's catalog, never from the request text, so they are safe to
    // splice into SQL; the values to compare are bound as parameters.
    let mut conditions = Vec::new();
    let mut values = Vec::new();
    for (path, allowed) in query.filter.conditions() {
        conditions.push(format!(
            "json_extract(body, '$.{path}') IN (SELECT value FROM json_each(?))"
        ));
        values.push(serde_json::Value::Array(allowed.clone()).to_string());
    }
    let where_clause = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let mut order_terms: Vec<String> = query
        .order
        .keys()
        .iter()
        .map(|(path, direction)| {
            let collation = if path.kind() == Kind::Text {
                " COLLATE NOCASE"
            } else {
                ""
            };
            let direction = match direction {
                Direction::Asc => "ASC",
                Direction::Desc => "DESC",
            };
            format!("json_extract(body, '$.{path}'){collation} {direction}")
        })
        .collect();
    // Ties keep creation order, so paging through a sorted list never repeats or skips a hunt.
    order_terms.push("seq ASC".to_owned());

    let total: u64 = connection.query_row(
        &format!("SELECT count(*) FROM hunts {where_clause}"),
        rusqlite::params_from_iter(&values),
        |row| row.get(0),
    )?;
    let limit = query
        .limit
        .map_or(-1, |limit| i64::try_from(limit).unwrap_or(i64::MAX));
    let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
    let sql = format!(
        "SELECT body FROM hunts {where_clause} ORDER BY {} LIMIT {limit} OFFSET {offset}",
        order_terms.join(", ")
    );
    let mut statement = connection.prepare(&sql)?;
    let hunts = statement
        .query_map(rusqlite::params_from_iter(&values), |row| {
            row.get::<_, String>(0)
        })?
        .map(|body| parse_body(&body?))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page { hunts, total })
}

fn read(connection: &Connection, id: &str) -> Result<Option<Stored>, ApiError> {
    let row = connection
        .query_row(
            "SELECT seq, version, body FROM hunts WHERE id = ?",
            [id],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?;
    let Some((seq, version, body)) = row else {
        return Ok(None);
    };
    Ok(Some(Stored {
        hunt: parse_body(&body)?,
        etag: etag(seq, version),
    }))
}

fn create(connection: &mut Connection, mut hunt: Hunt) -> Result<Stored, ApiError> {
    if hunt.id.is_empty() {
        hunt.id = uuid::Uuid::new_v4().to_string();
    }
    let now = humantime::format_rfc3339_millis(SystemTime::now()).to_string();
    hunt.ext.ct = now.clone();
    hunt.ext.lwt = now;
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    transaction
        .execute(
            "INSERT INTO hunts (id, code, phonenumber, version, body) VALUES (?, ?, ?, 1, ?)",
            params![
                hunt.id,
                hunt.code,
                hunt.phonenumber,
                hunt.to_json().to_string()
            ],
        )
        .map_err(|error| conflict_or(error, &hunt))?;
    let seq = transaction.last_insert_rowid();
    transaction.commit()?;
    Ok(Stored {
        hunt,
        etag: etag(seq, 1),
    })
}

fn update(
    connection: &mut Connection,
    id: &str,
    if_match: &IfMatch,
    change: impl FnOnce(&Hunt) -> Result<Hunt, ApiError>,
) -> Result<Stored, ApiError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored = read(&transaction, id)?.ok_or_else(|| ApiError::NotFound(id.to_owned()))?;
    if !if_match.allows(&stored.etag) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut hunt = change(&stored.hunt)?;
    hunt.ext.lwt = advanced_timestamp(&stored.hunt.ext.lwt);
    let (seq, version): (i64, i64) = transaction
        .query_row(
            "UPDATE hunts SET code = ?, phonenumber = ?, body = ?, version = version + 1 WHERE id = ?
             RETURNING seq, version",
            params![hunt.code, hunt.phonenumber, hunt.to_json().to_string(), id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .map_err(|error| conflict_or(error, &hunt))?;
    transaction.commit()?;
    Ok(Stored {
        hunt,
        etag: etag(seq, version),
    })
}

fn delete(connection: &mut Connection, id: &str, if_match: &IfMatch) -> Result<(), ApiError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored = read(&transaction, id)?.ok_or_else(|| ApiError::NotFound(id.to_owned()))?;
    if !if_match.allows(&stored.etag) {
        return Err(ApiError::PreconditionFailed);
    }
    transaction.execute("DELETE FROM hunts WHERE id = ?", [id])?;
    transaction.commit()?;
    Ok(())
}

fn lookup(connection: &Connection, key: &str) -> Result<Vec<String>, ApiError> {
    // An empty key would match every hunt without a phone number: it matches nothing instead.
    let mut statement = connection.prepare(
        "SELECT id FROM hunts WHERE ?1 <> '' AND (id = ?1 OR code = ?1 OR phonenumber = ?1) ORDER BY seq",
    )?;
    let ids = statement
        .query_map([key], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(ids)
}

fn parse_body(body: &str) -> Result<Hunt, ApiError> {
    serde_json::from_str(body)
        .map_err(|error| ApiError::Internal(format!("stored hunt is not readable: {error}")))
}

fn etag(seq: i64, version: i64) -> String {
    format!("\"{seq}.{version}\"")
}

/// Now, or a millisecond past the previous write when the clock has not moved on by a whole
/// millisecond (timestamps keep milliseconds) or went back, so `ext.lwt` always advances.
fn advanced_timestamp(previous: &str) -> String {
    let now = whole_millis(SystemTime::now());
    let next = match humantime::parse_rfc3339(previous) {
        Ok(previous) if previous >= now => whole_millis(previous) + Duration::from_millis(1),
        _ => now,
    };
    humantime::format_rfc3339_millis(next).to_string()
}

fn whole_millis(time: SystemTime) -> SystemTime {
    let since_epoch = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    SystemTime::UNIX_EPOCH + Duration::from_millis(since_epoch.as_millis() as u64)
}

/// Turns a unique-constraint failure into a 409 naming the field that is taken.
fn conflict_or(error: rusqlite::Error, hunt: &Hunt) -> ApiError {
    let rusqlite::Error::SqliteFailure(failure, Some(message)) = &error else {
        return error.into();
    };
    if failure.code != ErrorCode::ConstraintViolation {
        return error.into();
    }
    if message.contains("hunts.code") {
        return ApiError::Conflict {
            field: "code",
            message: format!("a hunt with code {} exists already", hunt.code),
        };
    }
    if message.contains("hunts.phonenumber") {
        return ApiError::Conflict {
            field: "phonenumber",
            message: format!(
                "a hunt with phone number {} exists already",
                hunt.phonenumber
            ),
        };
    }
    if message.contains("hunts.id") {
        return ApiError::Conflict {
            field: "id",
            message: format!("a hunt with id {} exists already", hunt.id),
        };
    }
    error.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_written_always_advances_by_at_least_a_millisecond() {
        // Within the same millisecond, in the future (clock went back), and in the past.
        let now = humantime::format_rfc3339_millis(SystemTime::now()).to_string();
        let future =
            humantime::format_rfc3339_millis(SystemTime::now() + Duration::from_secs(3600))
                .to_string();
        for previous in [now.as_str(), future.as_str(), "2019-08-26T10:20:58.50Z"] {
            for _ in 0..1000 {
                let next = advanced_timestamp(previous);
                assert!(next.as_str() > previous, "{next} after {previous}");
            }
        }
    }
}
