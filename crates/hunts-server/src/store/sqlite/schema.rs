//! The schema, its migrations, and where each field path of the model lives in it.
//!
//! A hunt is kept whole as JSON in its newest revision (`revisions.hunt`, named by
//! `hunts.head`), which answers are made from. `hunts` has a small row per hunt: every
//! single-valued field in a column of its own (the store writes them from the same hunt as the
//! revision, in the same transaction), so the database keeps `id`, `code` and `phonenumber`
//! unique, and lists filter and sort on columns and indexes without reading a body.
//! `hunt_resources` indexes the ids of each hunt's resources for the `resources.id` filter; the
//! writes keep it in step with the resources.

use hunts_model::{FieldPath, Kind};
use rusqlite::{Connection, TransactionBehavior};

use crate::store::StoreError;
use crate::store::sql::accounts::ACCOUNTS_TABLES;
use crate::store::sql::columns::ORDER_INDEXES;

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
    // 2: lists at 100,000 hunts. The body moves to a table of its own, so `hunts` keeps small
    // rows that a scan or a sort reads quickly; every single-valued field gets a column of its
    // own, written by the store from the same hunt as the body; indexes for the fields lists
    // sort on (both directions where a value repeats often, so ties keep creation order without
    // sorting a large group) and filter on; the resource ids of every hunt.
    r#"CREATE TABLE hunt_bodies (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
    INSERT INTO hunt_bodies (seq, body) SELECT seq, body FROM hunts;
    CREATE TABLE hunts_v2 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        code TEXT NOT NULL UNIQUE,
        phonenumber TEXT NOT NULL,
        version INTEGER NOT NULL,
        "priority" INTEGER NOT NULL,
        "type" TEXT NOT NULL,
        "strategy_mode" TEXT NOT NULL,
        "resmode" TEXT NOT NULL,
        "objmode" TEXT NOT NULL,
        "weight" INTEGER NOT NULL,
        "wivrscript" TEXT NOT NULL,
        "qivrscript" TEXT NOT NULL,
        "preivrscript" TEXT NOT NULL,
        "reslimit" INTEGER NOT NULL,
        "maxattempts" INTEGER NOT NULL,
        "maxattemptstrannumber" TEXT NOT NULL,
        "timeout" INTEGER NOT NULL,
        "timeouttrannumber" TEXT NOT NULL,
        "resdialtimeout" INTEGER NOT NULL,
        "displayname" TEXT NOT NULL,
        "huntblock_enabled" INTEGER NOT NULL,
        "huntblock_expires" INTEGER NOT NULL,
        "huntblock_reason" TEXT NOT NULL,
        "resbansec" INTEGER NOT NULL,
        "opts_title" TEXT NOT NULL,
        "opts_comment" TEXT NOT NULL,
        "opts_exit_no_resource" INTEGER NOT NULL,
        "ext_ct" TEXT NOT NULL,
        "ext_lwt" TEXT NOT NULL
    );
    INSERT INTO hunts_v2 SELECT seq, id, code, phonenumber, version,
            json_extract(body, '$.priority'),
            json_extract(body, '$.type'),
            json_extract(body, '$.strategy.mode'),
            json_extract(body, '$.resmode'),
            json_extract(body, '$.objmode'),
            json_extract(body, '$.weight'),
            json_extract(body, '$.wivrscript'),
            json_extract(body, '$.qivrscript'),
            json_extract(body, '$.preivrscript'),
            json_extract(body, '$.reslimit'),
            json_extract(body, '$.maxattempts'),
            json_extract(body, '$.maxattemptstrannumber'),
            json_extract(body, '$.timeout'),
            json_extract(body, '$.timeouttrannumber'),
            json_extract(body, '$.resdialtimeout'),
            json_extract(body, '$.displayname'),
            json_extract(body, '$.huntblock.enabled'),
            json_extract(body, '$.huntblock.expires'),
            json_extract(body, '$.huntblock.reason'),
            json_extract(body, '$.resbansec'),
            json_extract(body, '$.opts.title'),
            json_extract(body, '$.opts.comment'),
            json_extract(body, '$.opts.exit_no_resource'),
            json_extract(body, '$.ext.ct'),
            json_extract(body, '$.ext.lwt')
        FROM hunts;
    DELETE FROM sqlite_sequence WHERE name = 'hunts_v2';
    INSERT INTO sqlite_sequence (name, seq) SELECT 'hunts_v2', seq FROM sqlite_sequence WHERE name = 'hunts';
    DROP TABLE hunts;
    ALTER TABLE hunts_v2 RENAME TO hunts;
    CREATE UNIQUE INDEX hunts_phonenumber ON hunts (phonenumber) WHERE phonenumber <> '';
    CREATE INDEX hunts_code_asc ON hunts ("code" COLLATE NOCASE);
    CREATE INDEX hunts_phonenumber_asc ON hunts ("phonenumber" COLLATE NOCASE);
    CREATE INDEX hunts_displayname_asc ON hunts ("displayname" COLLATE NOCASE);
    CREATE INDEX hunts_ext_ct_asc ON hunts ("ext_ct");
    CREATE INDEX hunts_ext_lwt_asc ON hunts ("ext_lwt");
    CREATE INDEX hunts_priority_asc ON hunts ("priority");
    CREATE INDEX hunts_priority_desc ON hunts ("priority" DESC);
    CREATE INDEX hunts_weight_asc ON hunts ("weight");
    CREATE INDEX hunts_weight_desc ON hunts ("weight" DESC);
    CREATE INDEX hunts_type_asc ON hunts ("type" COLLATE NOCASE);
    CREATE INDEX hunts_type_desc ON hunts ("type" COLLATE NOCASE DESC);
    CREATE INDEX hunts_objmode_asc ON hunts ("objmode" COLLATE NOCASE);
    CREATE INDEX hunts_objmode_desc ON hunts ("objmode" COLLATE NOCASE DESC);
    CREATE INDEX hunts_resmode_asc ON hunts ("resmode" COLLATE NOCASE);
    CREATE INDEX hunts_resmode_desc ON hunts ("resmode" COLLATE NOCASE DESC);
    CREATE INDEX hunts_huntblock_enabled_asc ON hunts ("huntblock_enabled");
    CREATE INDEX hunts_huntblock_enabled_desc ON hunts ("huntblock_enabled" DESC);
    CREATE INDEX hunts_strategy_mode ON hunts ("strategy_mode" COLLATE NOCASE);
    -- Creation order, small enough that a deep page of the plain list skips quickly.
    CREATE INDEX hunts_creation ON hunts (seq);

    CREATE TABLE hunt_resources (
        resource_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (resource_id, seq)
    ) WITHOUT ROWID;
    CREATE INDEX hunt_resources_seq ON hunt_resources (seq);
    INSERT INTO hunt_resources (resource_id, seq)
        SELECT json_extract(value, '$.id'), hunt_bodies.seq
        FROM hunt_bodies, json_each(hunt_bodies.body, '$.resources');
    CREATE TRIGGER hunt_resources_insert AFTER INSERT ON hunt_bodies BEGIN
        INSERT INTO hunt_resources (resource_id, seq)
            SELECT json_extract(value, '$.id'), NEW.seq FROM json_each(NEW.body, '$.resources');
    END;
    CREATE TRIGGER hunt_resources_update AFTER UPDATE OF body ON hunt_bodies
    WHEN json_extract(OLD.body, '$.resources') IS NOT json_extract(NEW.body, '$.resources') BEGIN
        DELETE FROM hunt_resources WHERE seq = OLD.seq;
        INSERT INTO hunt_resources (resource_id, seq)
            SELECT json_extract(value, '$.id'), NEW.seq FROM json_each(NEW.body, '$.resources');
    END;
    CREATE TRIGGER hunt_resources_delete AFTER DELETE ON hunt_bodies BEGIN
        DELETE FROM hunt_resources WHERE seq = OLD.seq;
    END;"#,
    // 3: who may sign in (users) and which scripts may call (tokens), each with a role. Both
    // keep only a hash of their secret: an argon2id string for a password, a BLAKE2b digest for
    // a token (random and long, so a fast hash suffices and finds it by value).
    ACCOUNTS_TABLES,
    // 4: history. Each committed write of a hunt records a revision in its own transaction
    // (`sql::revisions`); the hunts already here get one first revision each, in creation
    // order, as the contract says.
    "CREATE TABLE revisions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL,
        code TEXT NOT NULL,
        revision INTEGER NOT NULL,
        at TEXT NOT NULL,
        by TEXT,
        action TEXT NOT NULL,
        change_set TEXT,
        patch TEXT NOT NULL,
        hunt TEXT NOT NULL
    );
    CREATE INDEX revisions_id ON revisions (id, seq);
    CREATE INDEX revisions_by ON revisions (by, seq);
    CREATE INDEX revisions_change_set ON revisions (change_set, seq);
    CREATE INDEX revisions_at ON revisions (at);
    INSERT INTO revisions (id, code, revision, at, by, action, change_set, patch, hunt)
        SELECT h.id, h.code, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NULL, 'create',
            'before-history', b.body, b.body
        FROM hunts h JOIN hunt_bodies b ON b.seq = h.seq ORDER BY h.seq;",
    // 5: the transfer numbers, filtered on to find the hunts that send calls to a number (the
    // routing check, the lookup of a number); case-blind, as a text filter reads through them.
    r#"CREATE INDEX IF NOT EXISTS hunts_timeouttrannumber ON hunts ("timeouttrannumber" COLLATE NOCASE);
    CREATE INDEX IF NOT EXISTS hunts_maxattemptstrannumber ON hunts ("maxattemptstrannumber" COLLATE NOCASE);"#,
    // 6: a hunt is written whole once, as its newest revision, which `hunts.head` names
    // (`writes.rs`); `hunt_bodies` goes, and the store keeps `hunt_resources` itself. A hunt
    // whose newest revision does not hold it as it is (written with `--without-history`, or
    // with no revision at all) first gets one that does, from this migration
    // (`change_set` "before-history"; its patch the whole hunt, which a merge patch may be).
    // A revision's write touches fewer pages: `seq` is the row number without AUTOINCREMENT's
    // counter row (retention never drops the newest revision, so no `seq` comes twice), who
    // and change set are indexed only where set, and retention finds its bound in `seq`
    // order rather than through an index on `at`.
    r#"INSERT INTO revisions (id, code, revision, at, by, action, change_set, patch, hunt)
        SELECT h.id, h.code, coalesce(newest.revision, 0) + 1,
            strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NULL,
            CASE WHEN newest.action IS NULL OR newest.action = 'delete' THEN 'create' ELSE 'change' END,
            'before-history', b.body, b.body
        FROM hunts h JOIN hunt_bodies b ON b.seq = h.seq
        LEFT JOIN revisions newest ON newest.seq =
            (SELECT max(seq) FROM revisions r WHERE r.id = h.id)
        WHERE newest.hunt IS NOT b.body
        ORDER BY h.seq;
    CREATE TABLE revisions_v6 (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        code TEXT NOT NULL,
        revision INTEGER NOT NULL,
        at TEXT NOT NULL,
        by TEXT,
        action TEXT NOT NULL,
        change_set TEXT,
        patch TEXT NOT NULL,
        hunt TEXT NOT NULL
    );
    INSERT INTO revisions_v6 SELECT seq, id, code, revision, at, by, action, change_set, patch, hunt
        FROM revisions ORDER BY seq;
    DROP TABLE revisions;
    ALTER TABLE revisions_v6 RENAME TO revisions;
    DELETE FROM sqlite_sequence WHERE name = 'revisions';
    CREATE INDEX revisions_id ON revisions (id, seq);
    CREATE INDEX revisions_by ON revisions (by, seq) WHERE by IS NOT NULL;
    CREATE INDEX revisions_change_set ON revisions (change_set, seq) WHERE change_set IS NOT NULL;
    ALTER TABLE hunts ADD COLUMN head INTEGER NOT NULL DEFAULT 0;
    UPDATE hunts SET head = (SELECT max(seq) FROM revisions r WHERE r.id = hunts.id);
    DROP TRIGGER hunt_resources_insert;
    DROP TRIGGER hunt_resources_update;
    DROP TRIGGER hunt_resources_delete;
    DROP TABLE hunt_bodies;"#,
];

/// The schema version this server writes: the number of migrations.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// The index that sorts on `path` in one direction.
pub fn index_name(path: FieldPath, descending: bool) -> String {
    let direction = if descending { "desc" } else { "asc" };
    format!("hunts_{}_{direction}", path.as_str().replace('.', "_"))
}

/// The index to read a list through to sort on `path` in one direction, if there is one.
pub fn order_index(path: FieldPath, descending: bool) -> Option<String> {
    let (_, has_descending) = ORDER_INDEXES
        .iter()
        .find(|(indexed, _)| *indexed == path.as_str())?;
    Some(index_name(path, descending && *has_descending))
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
    use hunts_model::{FIELDS, Hunt};

    use super::*;
    use crate::store::sql::columns::column;

    #[test]
    fn a_first_version_database_keeps_every_hunt_and_its_numbering() {
        let mut connection = Connection::open_in_memory().unwrap();
        connection.execute_batch(MIGRATIONS[0]).unwrap();
        connection
            .execute_batch(
                r#"INSERT INTO hunts (id, code, phonenumber, version, body) VALUES
                ('a', 'first', '100', 3, '{"id":"a","code":"first","phonenumber":"100","priority":7,"type":"sipuser","resources":[{"id":"res-1","priority":10}],"strategy":{"mode":"simple"},"resmode":"priorityrandom","objmode":"spq","weight":1,"wivrscript":"","qivrscript":"","preivrscript":"","reslimit":0,"maxattempts":0,"maxattemptstrannumber":"","timeout":0,"timeouttrannumber":"","resdialtimeout":0,"displayname":"","huntblock":{"enabled":true,"expires":0,"reason":""},"resbansec":0,"opts":{"title":"","comment":"","exit_no_resource":false},"ext":{"ct":"2026-01-01T00:00:00.000Z","lwt":"2026-01-01T00:00:00.000Z"}}');
                INSERT INTO hunts (id, code, phonenumber, version, body) VALUES ('b', 'gone', '', 1, '{}');
                DELETE FROM hunts WHERE id = 'b';
                PRAGMA user_version = 1;"#,
            )
            .unwrap();
        migrate(&mut connection).unwrap();
        let row: (i64, i64, i64, i64, String) = connection
            .query_row(
                "SELECT h.seq, h.version, h.priority, h.huntblock_enabled, r.hunt \
                 FROM hunts h JOIN revisions r ON r.seq = h.head",
                [],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!((row.0, row.1, row.2, row.3), (1, 3, 7, 1));
        assert!(row.4.contains("res-1"));
        let resource: i64 = connection
            .query_row(
                "SELECT seq FROM hunt_resources WHERE resource_id = 'res-1'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(resource, 1);
        // Row numbers are never reused, so an old ETag never matches a new hunt.
        let next: i64 = connection
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = 'hunts'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(next, 2);
    }

    /// Before migration 6 a hunt's body was its own row: each hunt comes out of it held by its
    /// newest revision, one that a write without history left behind gets a revision that
    /// holds it as it is, and `seq`s go on from the last.
    #[test]
    fn every_hunt_is_held_by_its_newest_revision_after_the_bodies_move() {
        let mut connection = Connection::open_in_memory().unwrap();
        for migration in &MIGRATIONS[..5] {
            connection.execute_batch(migration).unwrap();
        }
        let hunt = |code: &str, weight: u32| {
            let hunt = Hunt {
                id: format!("id-{code}"),
                code: code.to_owned(),
                weight,
                ..Hunt::default()
            };
            hunt.to_json().to_string()
        };
        let (kept, behind, unrecorded) = (hunt("kept", 1), hunt("behind", 2), hunt("new", 3));
        let stale = hunt("behind", 1);
        connection
            .execute_batch("PRAGMA user_version = 5;")
            .unwrap();
        for (seq, code, body) in [
            (1, "kept", &kept),
            (2, "behind", &behind),
            (3, "new", &unrecorded),
        ] {
            connection
                .execute(
                    "INSERT INTO hunts (seq, id, code, phonenumber, version, priority, type, \
                     strategy_mode, resmode, objmode, weight, wivrscript, qivrscript, \
                     preivrscript, reslimit, maxattempts, maxattemptstrannumber, timeout, \
                     timeouttrannumber, resdialtimeout, displayname, huntblock_enabled, \
                     huntblock_expires, huntblock_reason, resbansec, opts_title, opts_comment, \
                     opts_exit_no_resource, ext_ct, ext_lwt) VALUES (?1, 'id-' || ?2, ?2, '', 1, \
                     0, '', '', '', '', 0, '', '', '', 0, 0, '', 0, '', 0, '', 0, 0, '', 0, '', '', \
                     0, '', '')",
                    rusqlite::params![seq, code],
                )
                .unwrap();
            connection
                .execute(
                    "INSERT INTO hunt_bodies (seq, body) VALUES (?1, ?2)",
                    rusqlite::params![seq, body],
                )
                .unwrap();
        }
        // "kept" was recorded as it is; "behind" was changed without history since its
        // revision; "new" was created without history.
        for (id, body) in [("id-kept", &kept), ("id-behind", &stale)] {
            connection
                .execute(
                    "INSERT INTO revisions (id, code, revision, at, action, patch, hunt) \
                     VALUES (?1, 'x', 1, '2026-01-01T00:00:00.000Z', 'create', ?2, ?2)",
                    rusqlite::params![id, body],
                )
                .unwrap();
        }
        migrate(&mut connection).unwrap();
        let held = |id: &str| -> (String, i64, i64, String) {
            connection
                .query_row(
                    "SELECT r.hunt, r.seq, r.revision, r.action FROM hunts h \
                     JOIN revisions r ON r.seq = h.head WHERE h.id = ?1",
                    [id],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
                )
                .unwrap()
        };
        assert_eq!(held("id-kept"), (kept.clone(), 1, 1, "create".to_owned()));
        assert_eq!(
            held("id-behind"),
            (behind.clone(), 3, 2, "change".to_owned())
        );
        assert_eq!(
            held("id-new"),
            (unrecorded.clone(), 4, 1, "create".to_owned())
        );
        let tables: i64 = connection
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('hunt_bodies', 'revisions_at')",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0);
    }

    #[test]
    fn every_order_index_exists() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate(&mut connection).unwrap();
        let mut statement = connection
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index'")
            .unwrap();
        let indexes: Vec<String> = statement
            .query_map([], |row| row.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for (path, descending) in ORDER_INDEXES {
            let path = FieldPath::lookup(path).unwrap();
            assert!(indexes.contains(&index_name(path, false)), "{path}");
            assert_eq!(
                indexes.contains(&index_name(path, true)),
                *descending,
                "{path}"
            );
        }
    }

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
