//! The schema, its migrations, and where each field path of the model lives in it.
//!
//! A hunt is kept whole as JSON in `hunts.body`. `id`, `code` and `phonenumber` are real columns,
//! so the database itself keeps them unique. Every other single-valued field is a virtual column
//! generated from the body: it takes no space, can never disagree with the body, and the fields
//! that lists filter and sort on are indexed. `hunt_resources` indexes the ids of each hunt's
//! resources for the `resources.id` filter; triggers keep it in step with the bodies.

use hunts_model::{FieldPath, Kind};
use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

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
    // 2: a generated column for every other single-valued field; indexes for the fields that
    // lists filter and sort on, in both directions so ties keep creation order either way;
    // the resource ids of every hunt.
    r#"ALTER TABLE hunts ADD COLUMN "priority" GENERATED ALWAYS AS (json_extract(body, '$.priority')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "type" GENERATED ALWAYS AS (json_extract(body, '$.type')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "strategy_mode" GENERATED ALWAYS AS (json_extract(body, '$.strategy.mode')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "resmode" GENERATED ALWAYS AS (json_extract(body, '$.resmode')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "objmode" GENERATED ALWAYS AS (json_extract(body, '$.objmode')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "weight" GENERATED ALWAYS AS (json_extract(body, '$.weight')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "wivrscript" GENERATED ALWAYS AS (json_extract(body, '$.wivrscript')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "qivrscript" GENERATED ALWAYS AS (json_extract(body, '$.qivrscript')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "preivrscript" GENERATED ALWAYS AS (json_extract(body, '$.preivrscript')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "reslimit" GENERATED ALWAYS AS (json_extract(body, '$.reslimit')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "maxattempts" GENERATED ALWAYS AS (json_extract(body, '$.maxattempts')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "maxattemptstrannumber" GENERATED ALWAYS AS (json_extract(body, '$.maxattemptstrannumber')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "timeout" GENERATED ALWAYS AS (json_extract(body, '$.timeout')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "timeouttrannumber" GENERATED ALWAYS AS (json_extract(body, '$.timeouttrannumber')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "resdialtimeout" GENERATED ALWAYS AS (json_extract(body, '$.resdialtimeout')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "displayname" GENERATED ALWAYS AS (json_extract(body, '$.displayname')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "huntblock_enabled" GENERATED ALWAYS AS (json_extract(body, '$.huntblock.enabled')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "huntblock_expires" GENERATED ALWAYS AS (json_extract(body, '$.huntblock.expires')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "huntblock_reason" GENERATED ALWAYS AS (json_extract(body, '$.huntblock.reason')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "resbansec" GENERATED ALWAYS AS (json_extract(body, '$.resbansec')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "opts_title" GENERATED ALWAYS AS (json_extract(body, '$.opts.title')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "opts_comment" GENERATED ALWAYS AS (json_extract(body, '$.opts.comment')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "opts_exit_no_resource" GENERATED ALWAYS AS (json_extract(body, '$.opts.exit_no_resource')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "ext_ct" GENERATED ALWAYS AS (json_extract(body, '$.ext.ct')) VIRTUAL;
    ALTER TABLE hunts ADD COLUMN "ext_lwt" GENERATED ALWAYS AS (json_extract(body, '$.ext.lwt')) VIRTUAL;

    CREATE INDEX hunts_code_asc ON hunts (code COLLATE NOCASE);
    CREATE INDEX hunts_code_desc ON hunts (code COLLATE NOCASE DESC);
    CREATE INDEX hunts_phonenumber_asc ON hunts (phonenumber COLLATE NOCASE);
    CREATE INDEX hunts_phonenumber_desc ON hunts (phonenumber COLLATE NOCASE DESC);
    CREATE INDEX hunts_priority_asc ON hunts ("priority");
    CREATE INDEX hunts_priority_desc ON hunts ("priority" DESC);
    CREATE INDEX hunts_weight_asc ON hunts ("weight");
    CREATE INDEX hunts_weight_desc ON hunts ("weight" DESC);
    CREATE INDEX hunts_displayname_asc ON hunts ("displayname" COLLATE NOCASE);
    CREATE INDEX hunts_displayname_desc ON hunts ("displayname" COLLATE NOCASE DESC);
    CREATE INDEX hunts_type_asc ON hunts ("type" COLLATE NOCASE);
    CREATE INDEX hunts_type_desc ON hunts ("type" COLLATE NOCASE DESC);
    CREATE INDEX hunts_objmode_asc ON hunts ("objmode" COLLATE NOCASE);
    CREATE INDEX hunts_objmode_desc ON hunts ("objmode" COLLATE NOCASE DESC);
    CREATE INDEX hunts_resmode_asc ON hunts ("resmode" COLLATE NOCASE);
    CREATE INDEX hunts_resmode_desc ON hunts ("resmode" COLLATE NOCASE DESC);
    CREATE INDEX hunts_huntblock_enabled_asc ON hunts ("huntblock_enabled");
    CREATE INDEX hunts_huntblock_enabled_desc ON hunts ("huntblock_enabled" DESC);
    CREATE INDEX hunts_ext_ct_asc ON hunts ("ext_ct");
    CREATE INDEX hunts_ext_ct_desc ON hunts ("ext_ct" DESC);
    CREATE INDEX hunts_ext_lwt_asc ON hunts ("ext_lwt");
    CREATE INDEX hunts_ext_lwt_desc ON hunts ("ext_lwt" DESC);
    CREATE INDEX hunts_strategy_mode ON hunts ("strategy_mode" COLLATE NOCASE);
    -- The list the app opens most: most important first, then by code.
    CREATE INDEX hunts_priority_desc_code ON hunts ("priority" DESC, code COLLATE NOCASE);

    CREATE TABLE hunt_resources (
        resource_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (resource_id, seq)
    ) WITHOUT ROWID;
    CREATE INDEX hunt_resources_seq ON hunt_resources (seq);
    INSERT INTO hunt_resources (resource_id, seq)
        SELECT json_extract(value, '$.id'), hunts.seq FROM hunts, json_each(hunts.body, '$.resources');
    CREATE TRIGGER hunts_resources_insert AFTER INSERT ON hunts BEGIN
        INSERT INTO hunt_resources (resource_id, seq)
            SELECT json_extract(value, '$.id'), NEW.seq FROM json_each(NEW.body, '$.resources');
    END;
    CREATE TRIGGER hunts_resources_update AFTER UPDATE OF body ON hunts BEGIN
        DELETE FROM hunt_resources WHERE seq = OLD.seq;
        INSERT INTO hunt_resources (resource_id, seq)
            SELECT json_extract(value, '$.id'), NEW.seq FROM json_each(NEW.body, '$.resources');
    END;
    CREATE TRIGGER hunts_resources_delete AFTER DELETE ON hunts BEGIN
        DELETE FROM hunt_resources WHERE seq = OLD.seq;
    END;"#,
];

/// The schema version this server writes: the number of migrations.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// The column that holds a single-valued field path (`huntblock.enabled` is `huntblock_enabled`),
/// quoted for SQL. Paths come from the model's catalog, never from request text.
pub fn column(path: FieldPath) -> String {
    format!("\"{}\"", path.as_str().replace('.', "_"))
}

/// How a column of this kind compares in lists: text ignores ASCII case.
pub fn collation(kind: Kind) -> &'static str {
    if kind == Kind::Text {
        " COLLATE NOCASE"
    } else {
        ""
    }
}

/// Brings the schema up to date in one transaction; refuses a database newer than this server.
pub fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let applied: usize = transaction.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if applied > MIGRATIONS.len() {
        return Err(StoreError::TooNew {
            found: applied,
            known: MIGRATIONS.len(),
        });
    }
    for migration in &MIGRATIONS[applied..] {
        transaction.execute_batch(migration)?;
    }
    transaction.pragma_update(None, "user_version", MIGRATIONS.len())?;
    transaction.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use hunts_model::FIELDS;

    use super::*;

    #[test]
    fn every_single_valued_field_has_a_column() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate(&mut connection).unwrap();
        let mut statement = connection
            .prepare("SELECT name FROM pragma_table_xinfo('hunts')")
            .unwrap();
        let columns: Vec<String> = statement
            .query_map([], |row| row.get::<_, String>(0))
            .unwrap()
            .map(|name| format!("\"{}\"", name.unwrap()))
            .collect();
        for field in FIELDS {
            let path = FieldPath::lookup(field.path).unwrap();
            if path.kind().is_scalar() {
                assert!(columns.contains(&column(path)), "{}", field.path);
            }
        }
    }
}
