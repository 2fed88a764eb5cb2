//! The statements about hunts on PostgreSQL: read, create, update, delete, lookup. A write that
//! reads first holds the row (`FOR UPDATE`) in its transaction, so a change through another
//! instance in between is a 412.

use hunts_model::history::HistoryQuery;
use hunts_model::{FieldPath, Hunt, Kind, ModelError};
use serde_json::Value;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, GenericClient, IsolationLevel, Row};

use super::PgStore;
use crate::store::sql::columns::{FIELD_COLUMNS, column, value_at};
use crate::store::sql::revisions::{self, Columns, Record};
use crate::store::sql::stamps::{advanced_timestamp, etag, now_timestamp};
use crate::store::sql::statements;
use crate::store::{HistoryPage, Origin, Precondition, StoreError, Stored};

impl PgStore {
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
    pub async fn create(&self, mut hunt: Hunt, origin: Origin) -> Result<Stored, StoreError> {
        if hunt.id.is_empty() {
            hunt.id = crate::secrets::new_uuid().to_string();
        }
        let mut client = self.pool.lease().await?;
        let transaction = client.transaction().await?;
        let place = match hunt.ext.ct.is_empty() {
            true => None,
            false => place_in_creation_order(&transaction, &hunt.ext.ct).await?,
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
        let columns: Vec<String> = FIELD_COLUMNS.iter().copied().map(column).collect();
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
        let seq: i64 = match transaction.query_one(&sql, &params).await {
            Ok(row) => row.get(0),
            Err(error) => {
                drop(transaction);
                return Err(taken_or(&client, error, &hunt, None).await);
            }
        };
        record(&transaction, Record::created(&hunt, body_text, &origin)).await?;
        transaction.commit().await?;
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
        origin: Origin,
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
        let assignments: Vec<String> = FIELD_COLUMNS
            .iter()
            .copied()
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
        let before = stored.hunt.to_json();
        let after = (&body, body_text);
        record(
            &transaction,
            Record::changed(&before, &hunt, after, &origin),
        )
        .await?;
        transaction.commit().await?;
        Ok(Stored {
            etag: etag(seq, row.get(1)),
            hunt,
        })
    }

    pub async fn delete(
        &self,
        id: String,
        precondition: Precondition,
        origin: Origin,
    ) -> Result<(), StoreError> {
        let mut client = self.pool.lease().await?;
        let transaction = client.transaction().await?;
        let stored = transaction
            .query_opt(
                "SELECT h.seq, h.version, b.body FROM hunts h JOIN hunt_bodies b USING (seq) \
                 WHERE h.id = $1 FOR UPDATE OF h",
                &[&id],
            )
            .await?
            .map(stored_of)
            .transpose()?
            .ok_or(StoreError::NotFound(id.clone()))?;
        if !precondition.allows(&stored.etag) {
            return Err(StoreError::PreconditionFailed);
        }
        transaction
            .execute("DELETE FROM hunts WHERE id = $1", &[&id])
            .await?;
        record(&transaction, Record::deleted(&stored.hunt, &origin)).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// The revisions `query` selects, newest first, and how many in all (one snapshot).
    pub async fn history(&self, query: HistoryQuery) -> Result<HistoryPage, StoreError> {
        let mut client = self.pool.lease().await?;
        let (clause, bound) = revisions::where_clause(&query);
        let params: Vec<&(dyn ToSql + Sync)> = bound
            .iter()
            .map(|value| match value {
                revisions::Bound::Text(text) => text as &(dyn ToSql + Sync),
                revisions::Bound::Seq(seq) => seq,
            })
            .collect();
        let transaction = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let total: i64 = transaction
            .query_one(&revisions::count_sql(&clause), &params)
            .await?
            .get(0);
        let rows = transaction
            .query(&revisions::page_sql(&clause, &query), &params)
            .await?;
        transaction.commit().await?;
        let revisions = rows
            .into_iter()
            .map(|row| {
                Columns {
                    seq: row.get(0),
                    id: row.get(1),
                    code: row.get(2),
                    revision: row.get(3),
                    at: row.get(4),
                    by: row.get(5),
                    action: row.get(6),
                    change_set: row.get(7),
                    patch: row.get(8),
                    hunt: row.get(9),
                }
                .into_revision()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(HistoryPage {
            total: u64::try_from(total).unwrap_or_default(),
            revisions,
        })
    }

    pub async fn drop_history_before(&self, cutoff: String) -> Result<u64, StoreError> {
        let client = self.pool.lease().await?;
        Ok(client.execute(revisions::DROP_BEFORE, &[&cutoff]).await?)
    }

    pub async fn lookup(&self, key: String) -> Result<Vec<String>, StoreError> {
        let client = self.pool.lease().await?;
        let rows = client.query(statements::LOOKUP, &[&key]).await?;
        Ok(rows.iter().map(|row| row.get(1)).collect())
    }

    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let client = self.pool.lease().await?;
        Ok(client.query_opt(statements::ANY_HUNT, &[]).await?.is_none())
    }
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
    FIELD_COLUMNS
        .iter()
        .copied()
        .map(|path| Cell::of(path, value_at(body, path)))
        .collect()
}

fn resource_ids(hunt: &Hunt) -> Vec<String> {
    hunt.resources
        .iter()
        .map(|resource| resource.id.clone())
        .collect()
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

/// Where in creation order a hunt created with a created time of its own goes
/// (`statements::place_in_creation_order`).
async fn place_in_creation_order(
    client: &impl GenericClient,
    created: &str,
) -> Result<Option<(i64, i64)>, StoreError> {
    let before: i64 = client
        .query_one(statements::LAST_CREATED_BY, &[&created])
        .await?
        .get(0);
    let next: Option<i64> = client
        .query_one(statements::NEXT_SEQ, &[&before])
        .await?
        .get(0);
    Ok(statements::place_in_creation_order(before, next))
}

/// A write refused by a unique constraint names the field taken (`statements::taken_checks`);
/// any other failure is a database error.
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
    for (field, sql, value) in statements::taken_checks(hunt) {
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

/// Records a write's revision in the write's own transaction.
async fn record(client: &impl GenericClient, record: Record<'_>) -> Result<(), StoreError> {
    static INSERT: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(revisions::insert_postgres);
    client
        .execute(
            INSERT.as_str(),
            &[
                &record.id,
                &record.code,
                &record.at,
                &record.origin.by,
                &record.action.as_str(),
                &record.origin.change_set,
                &record.patch,
                &record.hunt,
            ],
        )
        .await?;
    Ok(())
}
