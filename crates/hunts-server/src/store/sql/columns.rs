//! The columns a hunt is kept in, beside its body: `id`, `code`, `phonenumber`, and one for each
//! single-valued field of the catalog, named after its path; and the fields lists sort on
//! through an index of their own.

use std::sync::LazyLock;

use hunts_model::{FIELDS, FieldPath};
use serde_json::Value;

/// The single-valued fields kept in columns of their own beside `id`, `code` and `phonenumber`.
pub static FIELD_COLUMNS: LazyLock<Vec<FieldPath>> = LazyLock::new(|| {
    FIELDS
        .iter()
        .filter_map(|field| FieldPath::lookup(field.path))
        .filter(|path| {
            path.kind().is_scalar() && !["id", "code", "phonenumber"].contains(&path.as_str())
        })
        .collect()
});

/// The column that holds a single-valued field path (`huntblock.enabled` is `huntblock_enabled`),
/// quoted for SQL. Paths come from the model's catalog, never from request text.
pub fn column(path: FieldPath) -> String {
    format!("\"{}\"", path.as_str().replace('.', "_"))
}

/// The value at `path` in a hunt's body, if any.
pub fn value_at(body: &Value, path: FieldPath) -> Option<&Value> {
    path.segments()
        .try_fold(body, |value, segment| value.get(segment))
}

/// The fields lists sort on through an index: `(path, also descending)`. A field whose values
/// repeat often has a descending index too (on SQLite), so a descending sort keeps ties in
/// creation order without sorting a large group; one whose values rarely repeat is read
/// backwards instead.
pub const ORDER_INDEXES: &[(&str, bool)] = &[
    ("code", false),
    ("phonenumber", false),
    ("displayname", false),
    ("ext.ct", false),
    ("ext.lwt", false),
    ("priority", true),
    ("weight", true),
    ("type", true),
    ("objmode", true),
    ("resmode", true),
    ("huntblock.enabled", true),
];
