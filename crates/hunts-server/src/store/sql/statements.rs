//! The statements about hunts that read the same in both dialects.

use hunts_model::Hunt;

use crate::store::UniqueField;

/// The ids of the hunts whose id, code or phone number is `$1`, oldest first: three lookups,
/// each through its own unique index. An empty key would match every hunt without a phone
/// number: it matches nothing instead.
pub const LOOKUP: &str = "SELECT seq, id FROM hunts WHERE id = $1
     UNION SELECT seq, id FROM hunts WHERE code = $1 AND $1 <> ''
     UNION SELECT seq, id FROM hunts WHERE phonenumber = $1 AND phonenumber <> ''
     ORDER BY seq";

/// Whether there is any hunt.
pub const ANY_HUNT: &str = "SELECT 1 FROM hunts LIMIT 1";

/// The last `seq` of the hunts created no later than `$1` (0 if none).
pub const LAST_CREATED_BY: &str = "SELECT coalesce(max(seq), 0) FROM hunts WHERE \"ext_ct\" <= $1";

/// The first `seq` after `$1`, if any.
pub const NEXT_SEQ: &str = "SELECT min(seq) FROM hunts WHERE seq > $1";

/// Where in creation order a hunt created with a created time of its own goes (a restore,
/// which the contract lets keep `ext.ct`): the `seq` just after `before` (the last hunt created
/// no later, `LAST_CREATED_BY`) when it is free (as its delete left it, `next` being the first
/// `seq` after `before`), with a version no earlier ETag of that `seq` carried (the time in
/// milliseconds). `None`: the end, as any new hunt.
pub fn place_in_creation_order(before: i64, next: Option<i64>) -> Option<(i64, i64)> {
    match next {
        Some(next) if next > before + 1 => Some((before + 1, super::stamps::millis_now())),
        _ => None,
    }
}

/// For a write a unique constraint refused: each unique field with the statement that finds
/// another hunt holding the entered value (`$1`, the hunt's value; `$2`, the id of the hunt
/// written, or "" for a new one). Which field is taken is asked of the table by value, not read
/// out of a database's message text.
pub fn taken_checks(hunt: &Hunt) -> [(UniqueField, &'static str, &String); 3] {
    [
        (
            UniqueField::Id,
            "SELECT 1 FROM hunts WHERE id = $1 AND id <> $2",
            &hunt.id,
        ),
        (
            UniqueField::Code,
            "SELECT 1 FROM hunts WHERE code = $1 AND id <> $2",
            &hunt.code,
        ),
        (
            UniqueField::PhoneNumber,
            "SELECT 1 FROM hunts WHERE phonenumber = $1 AND phonenumber <> '' AND id <> $2",
            &hunt.phonenumber,
        ),
    ]
}
