//! A hunt's past (the contract's History extension): the revision every committed write
//! records, the `X-Change-Set` a write may carry, and the history request's query string,
//! read by the server and written by the app.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ModelError;
use crate::query::parse_count;

/// `GET` revisions across all hunts.
pub const HISTORY_PATH: &str = "/rest/v1/uc/history";
/// The last segment of a hunt's own history: `/rest/v1/uc/hunts/<id>/history`.
pub const HUNT_HISTORY_SEGMENT: &str = "history";
/// Names the change a write belongs to (a bulk run, an import, an undo).
pub const CHANGE_SET_HEADER: &str = "x-change-set";
/// The change set of the first revision of each hunt a database held before it kept history.
pub const BEFORE_HISTORY: &str = "before-history";
/// Revisions in one answer when the request names no limit, and the most it may name.
pub const DEFAULT_LIMIT: u64 = 50;
pub const MOST_LIMIT: u64 = 1000;

/// What a write did to a hunt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Change,
    Delete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Change => "change",
            Action::Delete => "delete",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        [Action::Create, Action::Change, Action::Delete]
            .into_iter()
            .find(|action| action.as_str() == text)
    }
}

/// One revision, as the history paths answer it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// Rises by one across all hunts, in commit order.
    pub seq: i64,
    pub id: String,
    /// The hunt's code at the time.
    pub code: String,
    /// The hunt's own count of revisions, from 1 (its create).
    pub revision: i64,
    pub at: String,
    /// The user or token that wrote it; `None` with sign-in off.
    pub by: Option<String>,
    pub action: Action,
    pub change_set: Option<String>,
    /// The merge patch from the previous revision (the whole hunt for a create, null for a
    /// delete).
    pub patch: Value,
    /// The whole hunt after the write (null after a delete).
    pub hunt: Value,
}

/// An `X-Change-Set` value as given: 1 to 64 printable ASCII characters.
pub fn parse_change_set(value: &str) -> Result<String, ModelError> {
    let printable = value.bytes().all(|byte| (0x20..0x7f).contains(&byte));
    if printable && (1..=64).contains(&value.len()) {
        Ok(value.to_owned())
    } else {
        Err(ModelError::BadParameter {
            param: CHANGE_SET_HEADER,
            reason: "it must be 1 to 64 printable ASCII characters".to_owned(),
        })
    }
}

/// The history request: which revisions, newest first. `Default` is the newest page of all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryQuery {
    /// Only revisions after this `seq` (exclusive).
    pub after: Option<i64>,
    /// Only revisions before this `seq` (exclusive).
    pub before: Option<i64>,
    pub by: Option<String>,
    pub change_set: Option<String>,
    pub id: Option<String>,
    pub offset: u64,
    pub limit: Option<u64>,
}

impl HistoryQuery {
    /// Parses decoded query pairs; an unknown parameter is refused. `id` is not taken here on
    /// a hunt's own history (`own`), whose path names it.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
        own: bool,
    ) -> Result<HistoryQuery, ModelError> {
        let mut query = HistoryQuery::default();
        for (key, value) in pairs {
            let value = value.as_ref();
            match key.as_ref() {
                "after" if !own => query.after = Some(parse_seq("after", value)?),
                "before" if !own => query.before = Some(parse_seq("before", value)?),
                "by" if !own => query.by = Some(value.to_owned()),
                "change_set" if !own => query.change_set = Some(value.to_owned()),
                "id" if !own => query.id = Some(value.to_owned()),
                "offset" => query.offset = parse_count("offset", value)?,
                "limit" => {
                    let limit = parse_count("limit", value)?;
                    if !(1..=MOST_LIMIT).contains(&limit) {
                        return Err(ModelError::BadParameter {
                            param: "limit",
                            reason: format!("it must be 1 to {MOST_LIMIT}"),
                        });
                    }
                    query.limit = Some(limit);
                }
                other => return Err(ModelError::UnknownParameter(other.to_owned())),
            }
        }
        Ok(query)
    }

    /// The limit the answer keeps to.
    pub fn limit(&self) -> u64 {
        self.limit.unwrap_or(DEFAULT_LIMIT)
    }

    /// The query string (without `?`); `id` left out when `own`.
    pub fn to_query_string(&self, own: bool) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(after) = self.after {
            pairs.push(("after", after.to_string()));
        }
        if let Some(before) = self.before {
            pairs.push(("before", before.to_string()));
        }
        if let Some(by) = &self.by {
            pairs.push(("by", by.clone()));
        }
        if let Some(change_set) = &self.change_set {
            pairs.push(("change_set", change_set.clone()));
        }
        if let (Some(id), false) = (&self.id, own) {
            pairs.push(("id", id.clone()));
        }
        if self.offset != 0 {
            pairs.push(("offset", self.offset.to_string()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", crate::encode_component(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One field a change touched: its value before and after (`None` where it had none).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    pub path: crate::FieldPath,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The fields that differ between two versions of a hunt (whole hunts, nested), in the
/// catalog's order; `id` and `ext` (written by the server on every write) left out.
pub fn field_changes(before: &Value, after: &Value) -> Vec<FieldChange> {
    let (before, after) = (crate::flatten(before), crate::flatten(after));
    crate::FIELDS
        .iter()
        .filter_map(|field| crate::FieldPath::lookup(field.path))
        .filter(|path| path.as_str() != "id" && !path.as_str().starts_with("ext."))
        .filter_map(|path| {
            let (old, new) = (before.get(path.as_str()), after.get(path.as_str()));
            (old != new).then(|| FieldChange {
                path,
                before: old.cloned(),
                after: new.cloned(),
            })
        })
        .collect()
}

/// The merge patch that puts `now` back as `then` was, its server-written fields (`id`, `ext`)
/// left as they are: what "Restore this version" sends.
pub fn restoring_patch(now: &Value, then: &Value) -> Value {
    let mut patch = crate::merge_diff(now, then);
    if let Value::Object(fields) = &mut patch {
        fields.remove("id");
        fields.remove("ext");
    }
    patch
}

fn parse_seq(param: &'static str, value: &str) -> Result<i64, ModelError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|seq| *seq >= 0)
        .ok_or_else(|| ModelError::BadParameter {
            param,
            reason: format!("{value:?} is not a revision's seq (a whole number of 0 or more)"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_set_is_one_to_sixty_four_printable_characters() {
        assert!(parse_change_set("bulk 2026-12-04 ann").is_ok());
        assert!(parse_change_set(&"x".repeat(64)).is_ok());
        for bad in ["", "tab\there", "é", &"x".repeat(65)] {
            assert!(parse_change_set(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_query_string_reads_back_as_written() {
        let query = HistoryQuery {
            after: Some(3),
            before: Some(90),
            by: Some("ann smith".to_owned()),
            change_set: Some("run&1".to_owned()),
            id: Some("h1".to_owned()),
            offset: 50,
            limit: Some(10),
        };
        let text = query.to_query_string(false);
        let pairs = text.split('&').map(|pair| {
            let (key, value) = pair.split_once('=').unwrap();
            (key.to_owned(), crate::decode_component(value))
        });
        assert_eq!(HistoryQuery::from_pairs(pairs, false).unwrap(), query);
    }

    #[test]
    fn a_restore_puts_back_what_changed_and_leaves_the_server_s_fields() {
        let then = serde_json::json!({"id": "h", "code": "a", "weight": 1,
            "huntblock": {"enabled": false, "expires": 0, "reason": ""}, "ext": {"lwt": "1"}});
        let now = serde_json::json!({"id": "h", "code": "a", "weight": 5,
            "huntblock": {"enabled": true, "expires": 0, "reason": ""}, "ext": {"lwt": "2"}});
        let changes: Vec<&str> = field_changes(&then, &now)
            .iter()
            .map(|change| change.path.as_str())
            .collect();
        assert_eq!(changes, ["weight", "huntblock.enabled"]);
        let patch = restoring_patch(&now, &then);
        assert_eq!(
            patch,
            serde_json::json!({"weight": 1, "huntblock": {"enabled": false}})
        );
        let mut restored = now.clone();
        crate::merge_patch(&mut restored, &patch);
        assert_eq!(restored["weight"], serde_json::json!(1));
    }

    #[test]
    fn bad_parameters_are_refused_by_name() {
        for (key, value) in [
            ("limit", "0"),
            ("limit", "1001"),
            ("after", "-1"),
            ("order", "x"),
        ] {
            let refused = HistoryQuery::from_pairs([(key, value)], false).unwrap_err();
            assert!(refused.to_string().contains(key), "{refused}");
        }
        assert!(HistoryQuery::from_pairs([("id", "h1")], true).is_err());
    }
}
