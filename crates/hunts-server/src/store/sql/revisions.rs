//! Revisions (the contract's History): the one each write records in its own transaction, and
//! the reads of them, in statements both dialects run (PostgreSQL numbers `seq` itself, from a
//! counter row every write locks until it commits, so `seq` follows commit order across
//! instances; SQLite's one writer takes the next row number).

use hunts_model::history::{Action, HistoryQuery, Revision};
use hunts_model::{Hunt, merge_diff};
use serde_json::Value;

use crate::store::{Origin, StoreError};

/// What a write records: its action, the merge patch from the hunt before (the whole hunt for
/// a create, null for a delete) and the whole hunt after (null after a delete), as JSON text.
pub struct Record<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub at: String,
    pub action: Action,
    pub patch: String,
    pub hunt: String,
    pub origin: &'a Origin,
}

impl<'a> Record<'a> {
    /// A create of `hunt`, whose JSON text the write made already.
    pub fn created(hunt: &'a Hunt, body: String, origin: &'a Origin) -> Record<'a> {
        Record {
            id: &hunt.id,
            code: &hunt.code,
            at: hunt.ext.lwt.clone(),
            action: Action::Create,
            patch: body.clone(),
            hunt: body,
            origin,
        }
    }

    /// A change from `before` (as JSON) to `after`, whose JSON and text the write made already.
    pub fn changed(
        before: &Value,
        after: &'a Hunt,
        (after_json, after_text): (&Value, String),
        origin: &'a Origin,
    ) -> Record<'a> {
        Record {
            id: &after.id,
            code: &after.code,
            at: after.ext.lwt.clone(),
            action: Action::Change,
            patch: merge_diff(before, after_json).to_string(),
            hunt: after_text,
            origin,
        }
    }

    pub fn deleted(hunt: &'a Hunt, origin: &'a Origin) -> Record<'a> {
        Record {
            id: &hunt.id,
            code: &hunt.code,
            at: super::stamps::now_timestamp(),
            action: Action::Delete,
            patch: "null".to_owned(),
            hunt: "null".to_owned(),
            origin,
        }
    }
}

/// PostgreSQL's insert of a `Record`, its `seq` the next of the counter, whose row stays locked
/// until the write commits.
pub fn insert_postgres() -> String {
    // After `seq`: id, code, then the revision number (the hunt's last plus one), at, by,
    // action, change set, patch, hunt.
    const RECORD_VALUES: &str = "CAST($1 AS TEXT), CAST($2 AS TEXT), \
         coalesce((SELECT revision FROM revisions WHERE id = $1 ORDER BY seq DESC LIMIT 1), 0) + 1, \
         CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS TEXT), CAST($6 AS TEXT), CAST($7 AS TEXT), \
         CAST($8 AS TEXT)";
    format!(
        "WITH next AS (UPDATE history_seq SET n = n + 1 RETURNING n) \
         INSERT INTO revisions (seq, id, code, revision, at, by, action, change_set, patch, hunt) \
         SELECT next.n, {RECORD_VALUES} FROM next"
    )
}

/// A value a history read binds.
pub enum Bound {
    Text(String),
    Seq(i64),
}

/// The `WHERE` (or nothing) of a history query, and its values.
pub fn where_clause(query: &HistoryQuery) -> (String, Vec<Bound>) {
    let mut conditions = Vec::new();
    let mut values = Vec::new();
    let mut condition = |sql: &str, value: Bound| {
        values.push(value);
        conditions.push(format!("{sql} ${}", values.len()));
    };
    if let Some(id) = &query.id {
        condition("id =", Bound::Text(id.clone()));
    }
    if let Some(by) = &query.by {
        condition("by =", Bound::Text(by.clone()));
    }
    if let Some(change_set) = &query.change_set {
        condition("change_set =", Bound::Text(change_set.clone()));
    }
    if let Some(after) = query.after {
        condition("seq >", Bound::Seq(after));
    }
    if let Some(before) = query.before {
        condition("seq <", Bound::Seq(before));
    }
    let clause = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    (clause, values)
}

/// How many revisions the query selects.
pub fn count_sql(clause: &str) -> String {
    format!("SELECT count(*) FROM revisions {clause}")
}

/// The query's page of revisions, newest first, in `revision_of`'s columns.
pub fn page_sql(clause: &str, query: &HistoryQuery) -> String {
    format!(
        "SELECT seq, id, code, revision, at, by, action, change_set, patch, hunt FROM revisions \
         {clause} ORDER BY seq DESC LIMIT {} OFFSET {}",
        query.limit(),
        query.offset.min(i64::MAX as u64)
    )
}

/// PostgreSQL's retention: drops the revisions written before `$1`, but never a live hunt's
/// latest.
pub const DROP_BEFORE: &str = "DELETE FROM revisions WHERE at < $1 AND seq NOT IN \
     (SELECT max(seq) FROM revisions WHERE id IN (SELECT id FROM hunts) GROUP BY id)";

/// The columns `page_sql` selects, as read.
pub struct Columns {
    pub seq: i64,
    pub id: String,
    pub code: String,
    pub revision: i64,
    pub at: String,
    pub by: Option<String>,
    pub action: String,
    pub change_set: Option<String>,
    pub patch: String,
    pub hunt: String,
}

impl Columns {
    pub fn into_revision(self) -> Result<Revision, StoreError> {
        let unreadable =
            |what: &str| StoreError::Database(format!("stored revision {}: {what}", self.seq));
        let json = |text: &str| serde_json::from_str::<Value>(text);
        Ok(Revision {
            seq: self.seq,
            action: Action::parse(&self.action).ok_or_else(|| unreadable("its action"))?,
            patch: json(&self.patch).map_err(|_| unreadable("its patch"))?,
            hunt: json(&self.hunt).map_err(|_| unreadable("its hunt"))?,
            id: self.id,
            code: self.code,
            revision: self.revision,
            at: self.at,
            by: self.by,
            change_set: self.change_set,
        })
    }
}
