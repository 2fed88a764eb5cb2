//! What both databases' SQL shares, written once: the columns a hunt is kept in, the versions
//! and timestamps a write gives it, the statements that read the same in both dialects (written
//! with PostgreSQL's `$n` placeholders; SQLite takes them as `?n`, see `for_sqlite`), the
//! skeleton of a list's `WHERE` and `ORDER BY`, and the cutting of a rendered list into chunks.

pub mod accounts;
pub mod chunks;
pub mod columns;
pub mod list;
pub mod revisions;
pub mod stamps;
pub mod statements;

/// A statement of this module as SQLite numbers its parameters (`$1` is `?1`). The statements
/// here hold no `$` but their placeholders.
pub fn for_sqlite(statement: &str) -> String {
    statement.replace('$', "?")
}
