//! Every statement the store runs, each a plain function of a connection. A write runs inside
//! the transaction (and its own savepoint) that the writer opens for it, so a refused request
//! leaves the tables as they were.

use std::collections::HashMap;
use std::sync::LazyLock;

use hunts_model::history::HistoryQuery;
use hunts_model::{Hunt, ListQuery, ModelError};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params, params_from_iter};
use serde_json::Value;
use tokio::sync::oneshot;

use super::counts::{Change, Counts, Groups, Recorded};
use super::list_sql;
use crate::store::sql::chunks::{ChunkSender, Chunks};
use crate::store::sql::columns::{FIELD_COLUMNS, column, value_at};
use crate::store::sql::revisions::{self, Columns, Record};
use crate::store::sql::stamps::{advanced_timestamp, etag, now_timestamp};
use crate::store::sql::{for_sqlite, statements};
use crate::store::{HistoryPage, Origin, Precondition, RenderRow, StoreError, Stored};

static INSERT_HUNT: LazyLock<String> = LazyLock::new(|| {
    let columns: Vec<String> = FIELD_COLUMNS.iter().map(|path| column(*path)).collect();
    format!(
        "INSERT INTO hunts (seq, id, code, phonenumber, version, {}) VALUES (?, ?, ?, ?, ?{})",
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

/// Refreshes the statistics the query planner uses to pick an index (a filter that matches most
/// hunts should not be read through its own index). Sampled, so it takes milliseconds.
pub fn analyze(connection: &Connection) -> Result<(), StoreError> {
    connection.execute_batch("PRAGMA analysis_limit = 1000; ANALYZE;")?;
    Ok(())
}

pub fn is_empty(connection: &Connection) -> Result<bool, StoreError> {
    let any: Option<i64> = connection
        .query_row(statements::ANY_HUNT, [], |row| row.get(0))
        .optional()?;
    Ok(any.is_none())
}

/// One snapshot: the count (remembered per filter, kept exact across writes) goes to `total`,
/// then the page, rendered row by row, in chunks (`sql::chunks`).
pub fn list(
    connection: &mut Connection,
    counts: &Counts,
    query: &ListQuery,
    render: RenderRow,
    total: oneshot::Sender<u64>,
    sender: &ChunkSender,
) -> Result<(), StoreError> {
    let filter = list_sql::where_clause(&query.filter);
    let generation = counts.generation();
    let transaction = connection.transaction()?;
    let count = match counts.get(&query.filter) {
        Some(count) => count,
        None => {
            let count: u64 = transaction
                .prepare_cached(&format!("SELECT count(*) FROM hunts {}", filter.clause))?
                .query_row(params_from_iter(&filter.values), |row| row.get(0))?;
            counts.put(&query.filter, generation, count);
            count
        }
    };
    if total.send(count).is_err() {
        return Ok(());
    }
    let limit = query
        .limit
        .map_or(-1, |limit| i64::try_from(limit).unwrap_or(i64::MAX));
    let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
    // First the page's rows from the small table (skipping the offset touches no body), then
    // each body by its row number.
    let page = match list_sql::grouped_order(&query.filter, &query.order, &filter.clause) {
        Some(grouped) => {
            let groups = match counts.groups(&query.filter, &query.order) {
                Some(groups) => groups,
                None => {
                    let width = grouped.fields.len();
                    let groups: Groups = transaction
                        .prepare_cached(&grouped.groups_sql)?
                        .query_map(params_from_iter(&filter.values), |row| {
                            let values = (0..width)
                                .map(|at| row.get::<_, SqlValue>(at))
                                .collect::<Result<Vec<_>, _>>()?;
                            Ok((values, row.get::<_, u64>(width)?))
                        })?
                        .collect::<Result<_, _>>()?;
                    counts.put_groups(&query.filter, &query.order, generation, groups.clone());
                    groups
                }
            };
            grouped_page(&transaction, &grouped, &groups, &filter.values, query)?
        }
        None => {
            let sql = format!(
                "SELECT seq FROM hunts {} {} {} LIMIT {limit} OFFSET {offset}",
                list_sql::index_hint(&query.filter, &query.order),
                filter.clause,
                list_sql::order_clause(&query.order)
            );
            transaction
                .prepare_cached(&sql)?
                .query_map(params_from_iter(&filter.values), |row| row.get::<_, i64>(0))?
                .collect::<Result<Vec<i64>, _>>()?
        }
    };
    let mut body_of = transaction.prepare_cached("SELECT body FROM hunt_bodies WHERE seq = ?")?;
    let mut chunks = Chunks::new(render, sender);
    for (index, seq) in page.into_iter().enumerate() {
        // The body is rendered straight from SQLite's row, without a copy.
        body_of.query_row([seq], |row| {
            Ok(chunks.render(index, row.get_ref(0)?.as_str()?))
        })??;
        if !chunks.send_if_full() {
            // The client went away: stop reading.
            return Ok(());
        }
    }
    chunks.finish();
    Ok(())
}

/// The page of a list ordered by a field of few values and then another key, group by group
/// (see `list_sql::GroupedOrder`): whole groups before the offset are skipped by their sizes;
/// each group the page reaches is read by itself, through whichever index reads fewer rows.
fn grouped_page(
    transaction: &rusqlite::Transaction<'_>,
    grouped: &list_sql::GroupedOrder,
    groups: &Groups,
    filter_values: &[SqlValue],
    query: &ListQuery,
) -> Result<Vec<i64>, StoreError> {
    let matching: u64 = groups.iter().map(|(_, size)| size).sum();
    // With two fields: how many hunts hold each value of each, to read a group through the
    // index of its rarer value.
    let mut holding: HashMap<(usize, String), u64> = HashMap::new();
    if grouped.fields.len() == 2 {
        for (values, size) in groups.iter() {
            for (at, value) in values.iter().enumerate() {
                *holding.entry((at, group_key(value))).or_default() += size;
            }
        }
    }
    let mut skip = query.offset;
    let mut wanted = query.limit.unwrap_or(u64::MAX);
    let mut page = Vec::new();
    for (values, size) in groups.iter() {
        if wanted == 0 {
            break;
        }
        if skip >= *size {
            skip -= size;
            continue;
        }
        let take = wanted.min(size - skip);
        let through = if let [first, second] = values.as_slice() {
            let held = |at: usize, value: &SqlValue| holding[&(at, group_key(value))];
            usize::from(held(1, second) < held(0, first))
        } else {
            // Walking the second index reads about (skip + take) * matching / size hunts;
            // sorting the group costs a few times its size.
            let walk = (*size as f64).powi(2) * 3.0 > (skip + take) as f64 * matching as f64;
            usize::from(!walk)
        };
        let mut bound = filter_values.to_vec();
        bound.extend(values.iter().cloned());
        bound.push(SqlValue::Integer(i64::try_from(take).unwrap_or(i64::MAX)));
        bound.push(SqlValue::Integer(i64::try_from(skip).unwrap_or(i64::MAX)));
        let rows = transaction
            .prepare_cached(&grouped.page_sql[through])?
            .query_map(params_from_iter(&bound), |row| row.get::<_, i64>(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        wanted -= rows.len() as u64;
        page.extend(rows);
        skip = 0;
    }
    Ok(page)
}

/// A group's value as its group knows it: text without ASCII case (the lists' collation).
fn group_key(value: &SqlValue) -> String {
    match value {
        SqlValue::Text(text) => text.to_ascii_lowercase(),
        other => format!("{other:?}"),
    }
}

pub fn read(connection: &Connection, id: &str) -> Result<Option<Stored>, StoreError> {
    let row = connection
        .prepare_cached(
            "SELECT hunts.seq, version, body FROM hunts JOIN hunt_bodies USING (seq) WHERE id = ?",
        )?
        .query_row([id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
            ))
        })
        .optional()?;
    let Some((seq, version, body)) = row else {
        return Ok(None);
    };
    Ok(Some(Stored {
        hunt: parse_body(&body)?,
        etag: etag(seq, version),
    }))
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
    ];
    values.extend(field_values(&body));
    let inserted = connection
        .prepare_cached(&INSERT_HUNT)?
        .execute(params_from_iter(&values));
    if let Err(error) = inserted {
        return Err(taken_or(connection, error, &hunt, None));
    }
    let seq = connection.last_insert_rowid();
    connection
        .prepare_cached("INSERT INTO hunt_bodies (seq, body) VALUES (?, ?)")?
        .execute(params![seq, body.to_string()])?;
    let recorded = match history {
        true => Some(record(connection, Record::created(&hunt, origin))?),
        false => None,
    };
    let change = Change {
        before: None,
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

pub fn update(
    connection: &Connection,
    id: &str,
    precondition: &Precondition,
    origin: &Origin,
    history: bool,
    change: impl FnOnce(&Hunt) -> Result<Hunt, ModelError>,
) -> Result<(Stored, Change), StoreError> {
    let stored = read(connection, id)?.ok_or_else(|| StoreError::NotFound(id.to_owned()))?;
    if !precondition.allows(&stored.etag) {
        return Err(StoreError::PreconditionFailed);
    }
    let mut hunt = change(&stored.hunt)?;
    hunt.ext.lwt = advanced_timestamp(&stored.hunt.ext.lwt);
    // Only the columns whose value changes are written, so a PATCH of one field updates only
    // that field's indexes.
    let body = hunt.to_json();
    let stored_body = stored.hunt.to_json();
    let before = field_values(&stored_body);
    let after = field_values(&body);
    let mut assignments = vec!["version = version + 1".to_owned()];
    let mut values = Vec::new();
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
    let body_text = body.to_string();
    connection
        .prepare_cached("UPDATE hunt_bodies SET body = ? WHERE seq = ?")?
        .execute(params![body_text, seq])?;
    let recorded = match history {
        true => Some(record(
            connection,
            Record::changed(&stored_body, &hunt, (&body, body_text), origin),
        )?),
        false => None,
    };
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
    let stored = read(connection, id)?.ok_or_else(|| StoreError::NotFound(id.to_owned()))?;
    if !precondition.allows(&stored.etag) {
        return Err(StoreError::PreconditionFailed);
    }
    let seq: i64 = connection
        .prepare_cached("DELETE FROM hunts WHERE id = ? RETURNING seq")?
        .query_row([id], |row| row.get(0))?;
    connection
        .prepare_cached("DELETE FROM hunt_bodies WHERE seq = ?")?
        .execute([seq])?;
    let recorded = match history {
        true => Some(record(connection, Record::deleted(&stored.hunt, origin))?),
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

/// Records a write's revision, inside the write's own savepoint (`history`: the store keeps it).
fn record(connection: &Connection, record: Record) -> Result<Recorded, StoreError> {
    static INSERT: LazyLock<String> = LazyLock::new(revisions::insert_sqlite);
    connection.prepare_cached(&INSERT)?.execute(params![
        record.id,
        record.code,
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

/// Where the revisions' `seq`s may have gaps: only below this one, where retention dropped
/// revisions (every `seq` from it to the newest exists: a write's revision takes the next one
/// in its own savepoint, and nothing but retention deletes). Only ever raised, and raised
/// before a drop commits, so a count that trusts it is never wrong.
pub fn sparse_below(connection: &Connection) -> Result<i64, StoreError> {
    let (count, first, last): (i64, Option<i64>, Option<i64>) = connection.query_row(
        "SELECT count(*), min(seq), max(seq) FROM revisions",
        [],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    Ok(match (first, last) {
        (Some(first), Some(last)) if last - first + 1 != count => last + 1,
        _ => 0,
    })
}

/// How many revisions have a `seq` between `after` and `before` (both excluded): counted where
/// gaps may be (below `sparse_below`), worked out from the first and newest `seq` above it. A
/// count of a page of Recent changes in the middle of a million revisions was 285 ms.
fn count_in_range(
    connection: &Connection,
    after: Option<i64>,
    before: Option<i64>,
    sparse_below: i64,
) -> Result<u64, StoreError> {
    let low = after.map_or(i64::MIN, |after| after.saturating_add(1));
    let high = before.map_or(i64::MAX, |before| before.saturating_sub(1));
    let sparse: i64 = if low < sparse_below {
        connection
            .prepare_cached("SELECT count(*) FROM revisions WHERE seq >= ?1 AND seq <= ?2")?
            .query_row([low, high.min(sparse_below - 1)], |row| row.get(0))?
    } else {
        0
    };
    let (first, last): (Option<i64>, Option<i64>) = connection
        // Each its own subquery: so each is one step down the table's b-tree (together in one
        // select, SQLite scans the table for them).
        .prepare_cached(
            "SELECT (SELECT min(seq) FROM revisions WHERE seq >= ?1), \
             (SELECT max(seq) FROM revisions)",
        )?
        .query_row([sparse_below], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let dense = match (first, last) {
        (Some(first), Some(last)) => {
            let (from, to) = (low.max(first), high.min(last));
            (to - from + 1).max(0)
        }
        _ => 0,
    };
    Ok((sparse + dense) as u64)
}

/// The revisions `query` selects, newest first, and how many in all (one snapshot).
pub fn history(
    connection: &mut Connection,
    query: &HistoryQuery,
    sparse_below: &std::sync::atomic::AtomicI64,
    counts: &Counts,
) -> Result<HistoryPage, StoreError> {
    // Read before the snapshot begins: a total counted in it is kept only if no write came
    // between (see `counts.rs`).
    let generation = counts.generation();
    let (clause, bound) = revisions::where_clause(query);
    let values: Vec<SqlValue> = bound
        .into_iter()
        .map(|value| match value {
            revisions::Bound::Text(text) => SqlValue::Text(text),
            revisions::Bound::Seq(seq) => SqlValue::Integer(seq),
        })
        .collect();
    let clause = for_sqlite(&clause);
    let transaction = connection.transaction()?;
    let only_seq = query.id.is_none() && query.by.is_none() && query.change_set.is_none();
    let total: u64 = if only_seq {
        // Read after the snapshot begins (its first read), so that a drop the snapshot sees
        // was made under the raised bound.
        transaction.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
        let sparse_below = sparse_below.load(std::sync::atomic::Ordering::SeqCst);
        count_in_range(&transaction, query.after, query.before, sparse_below)?
    } else if let Some(kept) = counts.history(query) {
        kept
    } else {
        let counted = transaction
            .prepare_cached(&revisions::count_sql(&clause))?
            .query_row(params_from_iter(&values), |row| row.get(0))?;
        counts.put_history(query, generation, counted);
        counted
    };
    let mut statement = transaction.prepare_cached(&revisions::page_sql(&clause, query))?;
    let rows = statement.query_map(params_from_iter(&values), |row| {
        Ok(Columns {
            seq: row.get(0)?,
            id: row.get(1)?,
            code: row.get(2)?,
            revision: row.get(3)?,
            at: row.get(4)?,
            by: row.get(5)?,
            action: row.get(6)?,
            change_set: row.get(7)?,
            patch: row.get(8)?,
            hunt: row.get(9)?,
        })
    })?;
    let revisions = rows
        .map(|row| row.map_err(StoreError::from)?.into_revision())
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HistoryPage { total, revisions })
}

/// Drops the revisions written before `cutoff`, never a live hunt's latest.
/// Drops the revisions written before `cutoff`, never a live hunt's latest. `sparse_below` is
/// raised first to the first `seq` written at or after `cutoff` (every dropped one is below it).
pub fn drop_history_before(
    connection: &Connection,
    cutoff: &str,
    sparse_below: &std::sync::atomic::AtomicI64,
) -> Result<u64, StoreError> {
    let kept_from: Option<i64> = connection.query_row(
        "SELECT min(seq) FROM revisions WHERE at >= ?1",
        [cutoff],
        |row| row.get(0),
    )?;
    let newest: Option<i64> =
        connection.query_row("SELECT max(seq) FROM revisions", [], |row| row.get(0))?;
    let bound = kept_from.unwrap_or(newest.unwrap_or(0) + 1);
    sparse_below.fetch_max(bound, std::sync::atomic::Ordering::SeqCst);
    let dropped = connection.execute(&for_sqlite(revisions::DROP_BEFORE), [cutoff])?;
    Ok(dropped as u64)
}

pub fn lookup(connection: &Connection, key: &str) -> Result<Vec<String>, StoreError> {
    static LOOKUP: LazyLock<String> = LazyLock::new(|| for_sqlite(statements::LOOKUP));
    let mut statement = connection.prepare_cached(&LOOKUP)?;
    let ids = statement
        .query_map([key], |row| row.get(1))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(ids)
}

fn parse_body(body: &str) -> Result<Hunt, StoreError> {
    serde_json::from_str(body)
        .map_err(|error| StoreError::Database(format!("stored hunt is not readable: {error}")))
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
