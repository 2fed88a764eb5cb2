//! The writes of hunts: create, change and delete, each run by the writer inside a savepoint of
//! its own, so a refused write leaves the tables as they were.
//!
//! A hunt is written whole once: as the `hunt` of a revision, which its row's `head` names. With
//! history, each write adds a revision and moves `head` to it (the revision is the body); without
//! (`--without-history`, only to measure what history costs) a change rewrites the head
//! revision's hunt in place. `hunt_resources` follows the resources where they change.

use std::sync::LazyLock;

use hunts_model::{Hunt, ModelError};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params, params_from_iter};
use serde_json::Value;

use super::counts::{Change, Recorded};
use super::list_sql;
use super::queries::{Head, read_head};
use crate::store::sql::columns::{FIELD_COLUMNS, column, value_at};
use crate::store::sql::revisions::Record;
use crate::store::sql::stamps::{advanced_timestamp, etag, now_timestamp};
use crate::store::sql::{for_sqlite, statements};
use crate::store::{Origin, Precondition, StoreError, Stored};

static INSERT_HUNT: LazyLock<String> = LazyLock::new(|| {
    let columns: Vec<String> = FIELD_COLUMNS.iter().map(|path| column(*path)).collect();
    format!(
        "INSERT INTO hunts (seq, id, code, phonenumber, version, head, {}) \
         VALUES (?, ?, ?, ?, ?, ?{})",
        columns.join(", "),
        ", ?".repeat(columns.len())
    )
});

/// Where in creation order a hunt created with a created time of its own goes
/// (`statements::place_in_creation_order`).
fn place_in_creation_order(
    connection: &Connection,
    created: &str,
) -> Result<Option<(i64, i64)>, StoreError> {
    let before: i64 = connection
        .prepare_cached(&for_sqlite(statements::LAST_CREATED_BY))?
        .query_row([created], |row| row.get(0))?;
    let next: Option<i64> = connection
        .prepare_cached(&for_sqlite(statements::NEXT_SEQ))?
        .query_row([before], |row| row.get(0))?;
    Ok(statements::place_in_creation_order(before, next))
}

/// The values of the field columns, in `FIELD_COLUMNS` order, from the hunt as it is stored.
fn field_values(body: &Value) -> Vec<SqlValue> {
    FIELD_COLUMNS
        .iter()
        .map(|path| value_at(body, *path).map_or(SqlValue::Null, list_sql::sql_value))
        .collect()
}

/// Creates the hunt; one that comes with `ext.ct` (a restore) keeps it, and its place in
/// creation order where it is free.
pub fn create(
    connection: &Connection,
    mut hunt: Hunt,
    origin: &Origin,
    history: bool,
) -> Result<(Stored, Change), StoreError> {
    if hunt.id.is_empty() {
        hunt.id = crate::secrets::new_uuid().to_string();
    }
    let now = now_timestamp();
    let place = match hunt.ext.ct.is_empty() {
        true => None,
        false => place_in_creation_order(connection, &hunt.ext.ct)?,
    };
    if hunt.ext.ct.is_empty() {
        hunt.ext.ct = now.clone();
    }
    hunt.ext.lwt = now;
    let body = hunt.to_json();
    // The revision first: the hunt's row names it. A hunt created again under an id it had
    // before goes on with that id's revision numbers.
    let revision: i64 = connection
        .prepare_cached(
            "SELECT coalesce((SELECT revision FROM revisions WHERE id = ? \
             ORDER BY seq DESC LIMIT 1), 0) + 1",
        )?
        .query_row([&hunt.id], |row| row.get(0))?;
    let recorded = record(
        connection,
        Record::created(&hunt, body.to_string(), origin),
        revision,
    )?;
    let (seq, version) = match place {
        Some((seq, version)) => (SqlValue::Integer(seq), version),
        None => (SqlValue::Null, 1),
    };
    let mut values = vec![
        seq,
        SqlValue::Text(hunt.id.clone()),
        SqlValue::Text(hunt.code.clone()),
        SqlValue::Text(hunt.phonenumber.clone()),
        SqlValue::Integer(version),
        SqlValue::Integer(recorded.seq),
    ];
    values.extend(field_values(&body));
    let inserted = connection
        .prepare_cached(&INSERT_HUNT)?
        .execute(params_from_iter(&values));
    if let Err(error) = inserted {
        return Err(taken_or(connection, error, &hunt, None));
    }
    let seq = connection.last_insert_rowid();
    add_resources(connection, seq, &hunt)?;
    let change = Change {
        before: None,
        after: Some(body),
        recorded: history.then_some(recorded),
        ..Change::default()
    };
    let stored = Stored {
        hunt,
        etag: etag(seq, version),
    };
    Ok((stored, change))
}

pub fn update(
    connection: &Connection,
    id: &str,
    precondition: &Precondition,
    origin: &Origin,
    history: bool,
    change: impl FnOnce(&Hunt) -> Result<Hunt, ModelError>,
) -> Result<(Stored, Change), StoreError> {
    let (stored, head) = held(connection, id, precondition)?;
    let mut hunt = change(&stored.hunt)?;
    hunt.ext.lwt = advanced_timestamp(&stored.hunt.ext.lwt);
    let body = hunt.to_json();
    let stored_body = stored.hunt.to_json();
    let body_text = body.to_string();
    let recorded = match history {
        true => Some(record(
            connection,
            Record::changed(&stored_body, &hunt, (&body, body_text), origin),
            head.revision + 1,
        )?),
        false => {
            connection
                .prepare_cached("UPDATE revisions SET hunt = ? WHERE seq = ?")?
                .execute(params![body_text, head.seq])?;
            None
        }
    };
    // Only the columns whose value changes are written, so a PATCH of one field updates only
    // that field's indexes.
    let before = field_values(&stored_body);
    let after = field_values(&body);
    let mut assignments = vec!["version = version + 1".to_owned()];
    let mut values = Vec::new();
    if let Some(recorded) = &recorded {
        assignments.push("head = ?".to_owned());
        values.push(SqlValue::Integer(recorded.seq));
    }
    for (column, value, changed) in [
        ("code", &hunt.code, hunt.code != stored.hunt.code),
        (
            "phonenumber",
            &hunt.phonenumber,
            hunt.phonenumber != stored.hunt.phonenumber,
        ),
    ] {
        if changed {
            assignments.push(format!("{column} = ?"));
            values.push(SqlValue::Text(value.clone()));
        }
    }
    for ((path, old), new) in FIELD_COLUMNS.iter().zip(before).zip(after) {
        if old != new {
            assignments.push(format!("{} = ?", column(*path)));
            values.push(new);
        }
    }
    values.push(SqlValue::Text(id.to_owned()));
    let sql = format!(
        "UPDATE hunts SET {} WHERE id = ? RETURNING seq, version",
        assignments.join(", ")
    );
    let updated = connection
        .prepare_cached(&sql)?
        .query_row(params_from_iter(&values), |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
        });
    let (seq, version) = match updated {
        Ok(row) => row,
        Err(error) => return Err(taken_or(connection, error, &hunt, Some(id))),
    };
    if hunt.resources != stored.hunt.resources {
        remove_resources(connection, seq)?;
        add_resources(connection, seq, &hunt)?;
    }
    let change = Change {
        before: Some(stored_body),
        after: Some(body),
        recorded,
        ..Change::default()
    };
    let stored = Stored {
        hunt,
        etag: etag(seq, version),
    };
    Ok((stored, change))
}

pub fn delete(
    connection: &Connection,
    id: &str,
    precondition: &Precondition,
    origin: &Origin,
    history: bool,
) -> Result<((), Change), StoreError> {
    let (stored, head) = held(connection, id, precondition)?;
    let seq: i64 = connection
        .prepare_cached("DELETE FROM hunts WHERE id = ? RETURNING seq")?
        .query_row([id], |row| row.get(0))?;
    remove_resources(connection, seq)?;
    // Without history the head revision stays, as the hunt's last version.
    let recorded = match history {
        true => Some(record(
            connection,
            Record::deleted(&stored.hunt, origin),
            head.revision + 1,
        )?),
        false => None,
    };
    let change = Change {
        before: Some(stored.hunt.to_json()),
        after: None,
        recorded,
        ..Change::default()
    };
    Ok(((), change))
}

/// The hunt a change or a delete is about, and the revision that holds it: a 404 where there
/// is none, a 412 where `If-Match` names another version.
fn held(
    connection: &Connection,
    id: &str,
    precondition: &Precondition,
) -> Result<(Stored, Head), StoreError> {
    let (stored, head) =
        read_head(connection, id)?.ok_or_else(|| StoreError::NotFound(id.to_owned()))?;
    if !precondition.allows(&stored.etag) {
        return Err(StoreError::PreconditionFailed);
    }
    Ok((stored, head))
}

/// Records a write's revision, numbered `revision`, inside the write's own savepoint; its `seq`
/// is the next row number.
fn record(connection: &Connection, record: Record, revision: i64) -> Result<Recorded, StoreError> {
    connection
        .prepare_cached(
            "INSERT INTO revisions (id, code, revision, at, by, action, change_set, patch, hunt) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![
            record.id,
            record.code,
            revision,
            record.at,
            record.origin.by,
            record.action.as_str(),
            record.origin.change_set,
            record.patch,
            record.hunt,
        ])?;
    Ok(Recorded {
        seq: connection.last_insert_rowid(),
        id: record.id.to_owned(),
        by: record.origin.by.clone(),
        change_set: record.origin.change_set.clone(),
    })
}

/// Indexes the hunt's resource ids under its row (`resources.id` filters read them).
fn add_resources(connection: &Connection, seq: i64, hunt: &Hunt) -> Result<(), StoreError> {
    let mut insert = connection
        .prepare_cached("INSERT OR IGNORE INTO hunt_resources (resource_id, seq) VALUES (?, ?)")?;
    for resource in &hunt.resources {
        insert.execute(params![resource.id, seq])?;
    }
    Ok(())
}

fn remove_resources(connection: &Connection, seq: i64) -> Result<(), StoreError> {
    connection
        .prepare_cached("DELETE FROM hunt_resources WHERE seq = ?")?
        .execute([seq])?;
    Ok(())
}

/// A write refused by a unique constraint names the field taken. Which one is asked of the
/// table itself, by value, rather than read out of SQLite's message text.
fn taken_or(
    connection: &Connection,
    error: rusqlite::Error,
    hunt: &Hunt,
    updating: Option<&str>,
) -> StoreError {
    if error.sqlite_error_code() != Some(ErrorCode::ConstraintViolation) {
        return error.into();
    }
    let other = updating.unwrap_or("");
    let holder = |sql: &str, value: &str| -> Result<bool, rusqlite::Error> {
        connection
            .query_row(&for_sqlite(sql), params![value, other], |_| Ok(()))
            .optional()
            .map(|row| row.is_some())
    };
    for (field, sql, value) in statements::taken_checks(hunt) {
        match holder(sql, value) {
            Ok(true) => {
                return StoreError::Taken {
                    field,
                    value: value.clone(),
                };
            }
            Ok(false) => {}
            Err(error) => return error.into(),
        }
    }
    error.into()
}
