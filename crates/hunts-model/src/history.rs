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
    /// Whether the query selects a revision with these `seq`, hunt id, author and change set
    /// (offset and limit aside): the store's WHERE clause, in Rust, for totals kept across writes.
    pub fn selects(&self, seq: i64, id: &str, by: Option<&str>, change_set: Option<&str>) -> bool {
        self.id.as_deref().is_none_or(|wanted| wanted == id)
            && self.by.as_deref().is_none_or(|wanted| Some(wanted) == by)
            && self
                .change_set
                .as_deref()
                .is_none_or(|wanted| Some(wanted) == change_set)
            && self.after.is_none_or(|after| seq > after)
            && self.before.is_none_or(|before| seq < before)
    }

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
    without_server_fields(crate::merge_diff(now, then))
}

/// `patch` without what the server writes on every write itself (`id`, `ext`'s timestamps):
/// what a person changed.
pub fn without_server_fields(mut patch: Value) -> Value {
    if let Value::Object(fields) = &mut patch {
        fields.remove("id");
        fields.remove("ext");
    }
    patch
}

/// A change set's revisions gathered: where the newest of them stands in `revisions` (newest
/// first, as the history paths give them), and the indexes of all of them. A revision of no
/// change set (a change by hand) is an entry alone. Recent changes shows each entry as one line:
/// a bulk run of 60 hunts reads as one change, not 60, even where other writes came between.
pub fn entries(revisions: &[Value]) -> Vec<Vec<usize>> {
    let mut entries: Vec<Vec<usize>> = Vec::new();
    let mut of_set: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (at, revision) in revisions.iter().enumerate() {
        match revision["change_set"].as_str() {
            Some(set) => match of_set.get(set) {
                Some(&entry) => entries[entry].push(at),
                None => {
                    of_set.insert(set, entries.len());
                    entries.push(vec![at]);
                }
            },
            None => entries.push(vec![at]),
        }
    }
    entries
}

/// What undoing a change set does to one hunt.
#[derive(Clone, Debug, PartialEq)]
pub enum SetUndo {
    /// Someone wrote the hunt after the change set: left as they wrote it (a conflict).
    ChangedSince,
    /// The set changed it: put back `before` (the hunt the set found) where it is `after`.
    Change { before: Value, after: Value },
    /// The set created it: deleted again, if still as the set left it.
    Delete { hunt: Value },
    /// The set deleted it: created again with its id and these last fields.
    Create { hunt: Value },
    /// The set created and deleted it: nothing to put back.
    Nothing,
}

/// What undoing `set` does to one hunt, from the hunt's own revisions, newest first (as
/// `GET hunts/<id>/history` gives them): the set's revisions of it must be the newest, else
/// someone changed it since. `own` must reach one revision past the set's oldest (the version
/// to put back), unless the set created the hunt; `None` when it does not.
pub fn undo_of_set(own: &[Value], set: &str) -> Option<SetUndo> {
    let in_set = own
        .iter()
        .take_while(|revision| revision["change_set"].as_str() == Some(set))
        .count();
    if in_set == 0 {
        return Some(SetUndo::ChangedSince);
    }
    let (newest, oldest) = (&own[0], &own[in_set - 1]);
    let action = |revision: &Value| Action::parse(revision["action"].as_str().unwrap_or(""));
    if action(oldest) == Some(Action::Create) {
        return Some(match action(newest) {
            Some(Action::Delete) => SetUndo::Nothing,
            _ => SetUndo::Delete {
                hunt: newest["hunt"].clone(),
            },
        });
    }
    let before = own.get(in_set)?["hunt"].clone();
    if before.is_null() {
        return None;
    }
    Some(match action(newest) {
        Some(Action::Delete) => SetUndo::Create { hunt: before },
        _ => SetUndo::Change {
            before,
            after: newest["hunt"].clone(),
        },
    })
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
    fn a_query_selects_what_its_filters_and_bounds_name() {
        let query = HistoryQuery {
            by: Some("ann".to_owned()),
            after: Some(10),
            before: Some(20),
            ..HistoryQuery::default()
        };
        assert!(query.selects(15, "h1", Some("ann"), None));
        assert!(!query.selects(15, "h1", Some("bob"), None));
        assert!(!query.selects(15, "h1", None, None));
        assert!(!query.selects(10, "h1", Some("ann"), None));
        assert!(!query.selects(20, "h1", Some("ann"), None));
        let of_set = HistoryQuery {
            change_set: Some("bulk 1".to_owned()),
            id: Some("h2".to_owned()),
            ..HistoryQuery::default()
        };
        assert!(of_set.selects(3, "h2", None, Some("bulk 1")));
        assert!(!of_set.selects(3, "h1", None, Some("bulk 1")));
        assert!(!of_set.selects(3, "h2", None, None));
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

    fn revision(set: Option<&str>, action: &str, weight: i64) -> Value {
        let hunt = match action {
            "delete" => Value::Null,
            _ => serde_json::json!({"id": "h", "code": "a", "weight": weight}),
        };
        serde_json::json!({"change_set": set, "action": action, "hunt": hunt})
    }

    #[test]
    fn a_change_set_is_one_entry_wherever_its_revisions_fall() {
        let revisions = [
            revision(Some("bulk 1"), "change", 1),
            revision(None, "change", 2),
            revision(Some("bulk 1"), "change", 3),
            revision(None, "change", 4),
            revision(Some("import 2"), "create", 5),
        ];
        assert_eq!(entries(&revisions), [vec![0, 2], vec![1], vec![3], vec![4]]);
        assert!(entries(&[]).is_empty());
    }

    #[test]
    fn undoing_a_set_puts_back_the_version_it_found_unless_written_since() {
        let set = Some("bulk 1");
        let changed = [revision(set, "change", 2), revision(None, "create", 1)];
        assert_eq!(
            undo_of_set(&changed, "bulk 1"),
            Some(SetUndo::Change {
                before: changed[1]["hunt"].clone(),
                after: changed[0]["hunt"].clone()
            })
        );
        let since = [
            revision(None, "change", 3),
            revision(set, "change", 2),
            revision(None, "create", 1),
        ];
        assert_eq!(undo_of_set(&since, "bulk 1"), Some(SetUndo::ChangedSince));
        let deleted = [revision(set, "delete", 0), revision(None, "change", 7)];
        assert_eq!(
            undo_of_set(&deleted, "bulk 1"),
            Some(SetUndo::Create {
                hunt: deleted[1]["hunt"].clone()
            })
        );
        let created = [revision(set, "change", 2), revision(set, "create", 1)];
        assert_eq!(
            undo_of_set(&created, "bulk 1"),
            Some(SetUndo::Delete {
                hunt: created[0]["hunt"].clone()
            })
        );
        let came_and_went = [revision(set, "delete", 0), revision(set, "create", 1)];
        assert_eq!(
            undo_of_set(&came_and_went, "bulk 1"),
            Some(SetUndo::Nothing)
        );
        // The version before the set was not read: nothing is guessed.
        assert_eq!(undo_of_set(&changed[..1], "bulk 1"), None);
    }

    proptest::proptest! {
        /// Every revision is in exactly one entry, in order, and an entry holds one change set.
        #[test]
        fn entries_part_the_revisions(sets in proptest::collection::vec(proptest::option::of(0u8..4), 0..40)) {
            let revisions: Vec<Value> = sets
                .iter()
                .map(|set| serde_json::json!({"change_set": set.map(|set| format!("s{set}"))}))
                .collect();
            let entries = entries(&revisions);
            let mut all: Vec<usize> = entries.iter().flatten().copied().collect();
            all.sort_unstable();
            proptest::prop_assert_eq!(all, (0..revisions.len()).collect::<Vec<_>>());
            for entry in &entries {
                proptest::prop_assert!(entry.windows(2).all(|pair| pair[0] < pair[1]));
                let set = &revisions[entry[0]]["change_set"];
                proptest::prop_assert!(entry.iter().all(|at| &revisions[*at]["change_set"] == set));
                proptest::prop_assert!(set.is_string() || entry.len() == 1);
            }
        }
    }
}
