//! Every statement the store runs, each a plain function of a connection. A write runs inside
//! the transaction (and its own savepoint) that the writer opens for it, so a refused request
//! leaves the tables as they were.

use std::collections::HashMap;
use std::sync::LazyLock;

use hunts_model::history::HistoryQuery;
use hunts_model::{Hunt, ListQuery};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use tokio::sync::oneshot;

use super::counts::{Counts, Groups};
use super::list_sql;
use crate::store::sql::chunks::{ChunkSender, Chunks};
use crate::store::sql::revisions::{self, Columns};
use crate::store::sql::stamps::etag;
use crate::store::sql::{for_sqlite, statements};
use crate::store::{HistoryPage, RenderRow, StoreError, Stored};

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
    // each hunt whole from the revision its row names.
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
    let mut body_of = transaction.prepare_cached(
        "SELECT r.hunt FROM hunts h JOIN revisions r ON r.seq = h.head WHERE h.seq = ?",
    )?;
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

/// What a write needs of the revision that holds a hunt whole (its row's `head`).
pub struct Head {
    pub seq: i64,
    pub revision: i64,
}

pub fn read(connection: &Connection, id: &str) -> Result<Option<Stored>, StoreError> {
    Ok(read_head(connection, id)?.map(|(stored, _)| stored))
}

/// The hunt, and the revision that holds it.
pub fn read_head(connection: &Connection, id: &str) -> Result<Option<(Stored, Head)>, StoreError> {
    let row = connection
        .prepare_cached(
            "SELECT h.seq, h.version, r.hunt, r.seq, r.revision \
             FROM hunts h JOIN revisions r ON r.seq = h.head WHERE h.id = ?",
        )?
        .query_row([id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
                Head {
                    seq: row.get(3)?,
                    revision: row.get(4)?,
                },
            ))
        })
        .optional()?;
    let Some((seq, version, body, head)) = row else {
        return Ok(None);
    };
    let stored = Stored {
        hunt: parse_body(&body)?,
        etag: etag(seq, version),
    };
    Ok(Some((stored, head)))
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

/// Drops the revisions written before `cutoff`, never a hunt's head (its latest) nor the newest
/// of all (a `seq` is the row number, so the newest must stay for none to come twice): every
/// one below the first written at or after `cutoff`, found in `seq` order (reading only what
/// goes). `sparse_below` is raised to that bound first.
pub fn drop_history_before(
    connection: &Connection,
    cutoff: &str,
    sparse_below: &std::sync::atomic::AtomicI64,
) -> Result<u64, StoreError> {
    let kept_from: Option<i64> = connection
        .query_row(
            "SELECT seq FROM revisions WHERE at >= ?1 ORDER BY seq LIMIT 1",
            [cutoff],
            |row| row.get(0),
        )
        .optional()?;
    let newest: Option<i64> =
        connection.query_row("SELECT max(seq) FROM revisions", [], |row| row.get(0))?;
    let bound = kept_from.or(newest).unwrap_or(0);
    sparse_below.fetch_max(bound, std::sync::atomic::Ordering::SeqCst);
    let dropped = connection.execute(
        "DELETE FROM revisions WHERE seq < ?1 AND seq NOT IN (SELECT head FROM hunts)",
        [bound],
    )?;
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
