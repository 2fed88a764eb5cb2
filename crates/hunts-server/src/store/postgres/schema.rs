//! The schema and its migrations, and the indexes lists read through.

use hunts_model::{FieldPath, Kind};
use tokio_postgres::Client;

use crate::store::StoreError;
use crate::store::sql::accounts::ACCOUNTS_TABLES;
use crate::store::sql::columns::{ORDER_INDEXES, column};

/// Migrations, in order, each of one or more parts; `hunts_schema.version` counts how many
/// have run.
const MIGRATIONS: &[&[&str]] = &[
    // 1: hunts, with a column per single-valued field, and who may sign in or call.
    &[
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
    CREATE INDEX hunts_resource_ids ON hunts USING GIN (resource_ids);"#,
        ACCOUNTS_TABLES,
    ],
    // 2: sign-in sessions, shared by every instance; kept as digests of their ids.
    &[r#"CREATE TABLE sessions (
        id_digest TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        started TIMESTAMPTZ NOT NULL DEFAULT now(),
        last_seen TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE INDEX sessions_name ON sessions (name);"#],
    // 3: bodies in a table of their own, as on SQLite, so a count or a sort scans small rows.
    &["CREATE TABLE hunt_bodies (
        seq BIGINT PRIMARY KEY REFERENCES hunts (seq) ON DELETE CASCADE,
        body TEXT NOT NULL
     );
     INSERT INTO hunt_bodies (seq, body) SELECT seq, body FROM hunts;
     ALTER TABLE hunts DROP COLUMN body;"],
    // 4: a count of committed changes to the hunts, read in a list's own snapshot: an
    &[
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
    ],
    // 5: history, as on SQLite (`sql::revisions`). `seq` comes from `history_seq`, whose row
    // each write locks until it commits: it rises by one in commit order across instances.
    &["CREATE TABLE revisions (
        seq BIGINT PRIMARY KEY,
        id TEXT NOT NULL,
        code TEXT NOT NULL,
        revision BIGINT NOT NULL,
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
     INSERT INTO revisions (seq, id, code, revision, at, by, action, change_set, patch, hunt)
         SELECT row_number() OVER (ORDER BY h.seq), h.id, h.code, 1,
             to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), NULL,
             'create', 'before-history', b.body, b.body
         FROM hunts h JOIN hunt_bodies b ON b.seq = h.seq;
     CREATE TABLE history_seq (n BIGINT NOT NULL);
     INSERT INTO history_seq (n) SELECT count(*) FROM revisions;"],
    // 6: the transfer numbers, filtered on to find the hunts that send calls to a number (the
    // routing check, the lookup of a number), each in creation order within a value.
    &[
        r#"CREATE INDEX IF NOT EXISTS hunts_timeouttrannumber ON hunts ("timeouttrannumber", seq);
     CREATE INDEX IF NOT EXISTS hunts_maxattemptstrannumber ON hunts ("maxattemptstrannumber", seq);"#,
    ],
    // 7: live changes' fast path: each revision's `seq` announced on `hunt_revisions` (sent at
    // commit, so never for a write that did not commit); every instance's follower reads the
    // history at once rather than at its next poll (`listen.rs`). `OR REPLACE`: a rewound
    // database may still have them.
    &[
        "CREATE OR REPLACE FUNCTION revision_added() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
         PERFORM pg_notify('hunt_revisions', NEW.seq::text);
         RETURN NULL;
     END $$;
     CREATE OR REPLACE TRIGGER revision_added AFTER INSERT ON revisions
         FOR EACH ROW EXECUTE FUNCTION revision_added();",
    ],
];

/// What a column sorts by: text with ASCII letters folded, in byte order (SQLite's `NOCASE`).
pub fn sort_key(path: FieldPath) -> String {
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

/// Runs the migrations not yet run, one instance at a time (an advisory lock), and refuses a
/// database a newer server has migrated.
pub async fn migrate(client: &mut Client) -> Result<(), StoreError> {
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
        for part in *migration {
            transaction.batch_execute(part).await?;
        }
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
