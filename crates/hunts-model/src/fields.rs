//! The catalog of a hunt's field paths: what each holds, how people call it, and where it may be
//! used. Masks, filters, orders, input checks and the app's columns all read this one table.

use std::fmt;

use crate::ModelError;

/// What a field holds, as far as input checks and queries care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A JSON string.
    Text,
    /// A whole number of 0 or more that fits in 32 bits.
    Count,
    /// `true` or `false`.
    Flag,
    /// An object with fields of its own: `strategy`, `huntblock`, `opts`, `ext`.
    Group,
    /// The `resources` array of `{id, priority}`.
    Resources,
    /// `strategy.seconds`: an array of counts.
    Seconds,
    /// An RFC 3339 UTC timestamp that the server sets.
    Timestamp,
    /// `resources.id`: the id of any one of a hunt's resources. A filter key only (the contract's
    /// extension): a hunt matches when any of its resources has one of the listed ids.
    ResourceId,
}

impl Kind {
    /// Scalars can be filtered and ordered on; groups and arrays cannot.
    pub fn is_scalar(self) -> bool {
        matches!(
            self,
            Kind::Text | Kind::Count | Kind::Flag | Kind::Timestamp
        )
    }
}

/// One field path of the hunt entity.
#[derive(Debug, PartialEq, Eq)]
pub struct Field {
    pub path: &'static str,
    pub kind: Kind,
    /// The column and form label an administrator reads.
    pub label: &'static str,
    /// Whether a list without `mask` returns it (the reference's list leaves out the two bulky ones).
    pub in_default_list: bool,
}

const fn field(path: &'static str, kind: Kind, label: &'static str) -> Field {
    Field {
        path,
        kind,
        label,
        in_default_list: true,
    }
}

const fn detail_only(path: &'static str, kind: Kind, label: &'static str) -> Field {
    Field {
        path,
        kind,
        label,
        in_default_list: false,
    }
}

/// Every field path, in the entity's own order (the order of the reference's examples).
pub const FIELDS: &[Field] = &[
    field("id", Kind::Text, "Id"),
    field("code", Kind::Text, "Code"),
    field("phonenumber", Kind::Text, "Phone number"),
    field("priority", Kind::Count, "Priority"),
    field("type", Kind::Text, "Type"),
    detail_only("resources", Kind::Resources, "Resources"),
    field("strategy", Kind::Group, "Strategy"),
    field("strategy.mode", Kind::Text, "Strategy mode"),
    field("strategy.seconds", Kind::Seconds, "Strategy seconds"),
    field("resmode", Kind::Text, "Resource mode"),
    field("objmode", Kind::Text, "Queue mode"),
    field("weight", Kind::Count, "Weight"),
    field("wivrscript", Kind::Text, "Welcome IVR"),
    field("qivrscript", Kind::Text, "In-queue IVR"),
    field("preivrscript", Kind::Text, "Pre-queue IVR"),
    field("reslimit", Kind::Count, "Resource limit"),
    field("maxattempts", Kind::Count, "Max attempts"),
    field(
        "maxattemptstrannumber",
        Kind::Text,
        "Transfer after max attempts",
    ),
    field("timeout", Kind::Count, "Timeout"),
    field("timeouttrannumber", Kind::Text, "Transfer on timeout"),
    field("resdialtimeout", Kind::Count, "Resource dial timeout"),
    field("displayname", Kind::Text, "Display name"),
    field("huntblock", Kind::Group, "Block"),
    field("huntblock.enabled", Kind::Flag, "Blocked"),
    field("huntblock.expires", Kind::Count, "Block expires"),
    field("huntblock.reason", Kind::Text, "Block reason"),
    field("resbansec", Kind::Count, "Resource ban (s)"),
    // Listed member by member in the default list, which leaves out `opts.comment`.
    detail_only("opts", Kind::Group, "Options"),
    field("opts.title", Kind::Text, "Title"),
    detail_only("opts.comment", Kind::Text, "Comment"),
    field("opts.exit_no_resource", Kind::Flag, "Exit when no resource"),
    field("ext", Kind::Group, "Timestamps"),
    field("ext.ct", Kind::Timestamp, "Created"),
    field("ext.lwt", Kind::Timestamp, "Last written"),
];

/// `resources.id`, which only `filter` accepts; not an entity path, so not in `FIELDS`.
static RESOURCE_ID: Field = Field {
    path: "resources.id",
    kind: Kind::ResourceId,
    label: "Resource",
    in_default_list: false,
};

/// A field path known to be one of the entity's: parsed once, then trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldPath(&'static Field);

impl FieldPath {
    /// Looks a dotted path up in the catalog.
    pub fn lookup(path: &str) -> Option<FieldPath> {
        FIELDS
            .iter()
            .find(|field| field.path == path)
            .map(FieldPath)
    }

    /// Like `lookup`, but for a path given in a query parameter: an unknown one is an error.
    pub fn parse_param(path: &str, param: &'static str) -> Result<FieldPath, ModelError> {
        FieldPath::lookup(path).ok_or_else(|| ModelError::NotAllowedIn {
            field: path.to_owned(),
            param,
            reason: "no such field",
        })
    }

    /// Like `parse_param`, for filters and orders, which compare single values.
    pub fn parse_scalar_param(path: &str, param: &'static str) -> Result<FieldPath, ModelError> {
        let field_path = FieldPath::parse_param(path, param)?;
        if !field_path.kind().is_scalar() {
            return Err(ModelError::NotAllowedIn {
                field: path.to_owned(),
                param,
                reason: "only single-valued fields can be compared",
            });
        }
        Ok(field_path)
    }

    /// The `resources.id` filter key.
    pub const RESOURCE_ID: FieldPath = FieldPath(&RESOURCE_ID);

    /// Like `parse_scalar_param`, for `filter`, which also takes `resources.id`.
    pub fn parse_filter_param(path: &str) -> Result<FieldPath, ModelError> {
        if path == RESOURCE_ID.path {
            return Ok(FieldPath::RESOURCE_ID);
        }
        FieldPath::parse_scalar_param(path, "filter")
    }

    pub fn field(self) -> &'static Field {
        self.0
    }

    pub fn as_str(self) -> &'static str {
        self.0.path
    }

    pub fn kind(self) -> Kind {
        self.0.kind
    }

    pub fn label(self) -> &'static str {
        self.0.label
    }

    /// The path's segments: `opts.title` is `["opts", "title"]`.
    pub fn segments(self) -> impl Iterator<Item = &'static str> {
        self.0.path.split('.')
    }

    /// Position in the entity's order, so masked output keeps the entity's field order.
    pub fn rank(self) -> usize {
        FIELDS
            .iter()
            .position(|field| std::ptr::eq(field, self.0))
            .unwrap_or(usize::MAX)
    }

    /// Whether a value has the type this field holds (used for filter values).
    pub fn accepts(self, value: &serde_json::Value) -> bool {
        match self.kind() {
            Kind::Text | Kind::Timestamp | Kind::ResourceId => value.is_string(),
            Kind::Count => is_count(value),
            Kind::Flag => value.is_boolean(),
            Kind::Group => value.is_object(),
            Kind::Resources | Kind::Seconds => value.is_array(),
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A whole number of 0 or more that fits the 32 bits the platform stores.
pub(crate) fn is_count(value: &serde_json::Value) -> bool {
    value.as_u64().is_some_and(|n| n <= u64::from(u32::MAX))
}

/// What a value of this kind must be, worded to complete "weight must be …".
pub(crate) fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Timestamp | Kind::ResourceId => "text",
        Kind::Count => "a whole number of 0 or more",
        Kind::Flag => "true or false",
        Kind::Group => "an object",
        Kind::Resources => "a list of resources",
        Kind::Seconds => "a list of whole numbers of seconds",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_member_follows_its_group() {
        for field in FIELDS {
            if let Some((group, _)) = field.path.split_once('.') {
                let group = FieldPath::lookup(group).expect("group is in the catalog");
                assert_eq!(group.kind(), Kind::Group, "{}", field.path);
                assert!(group.rank() < FieldPath::lookup(field.path).unwrap().rank());
            }
        }
    }

    #[test]
    fn scalar_params_refuse_groups_and_arrays() {
        for path in ["strategy", "resources", "strategy.seconds", "opts"] {
            assert!(
                FieldPath::parse_scalar_param(path, "order").is_err(),
                "{path}"
            );
        }
        assert!(FieldPath::parse_scalar_param("huntblock.enabled", "filter").is_ok());
        assert!(FieldPath::parse_param("nope", "mask").is_err());
        // `resources.id` is a filter key, nothing else.
        assert_eq!(
            FieldPath::parse_filter_param("resources.id"),
            Ok(FieldPath::RESOURCE_ID)
        );
        assert!(FieldPath::parse_param("resources.id", "mask").is_err());
        assert!(FieldPath::parse_scalar_param("resources.id", "order").is_err());
    }
}
