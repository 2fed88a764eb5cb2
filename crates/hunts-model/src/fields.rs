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

/// Where an administrator finds a field: the groups of the detail page and the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Identity,
    Routing,
    Resources,
    Attempts,
    Scripts,
    Block,
    Notes,
    History,
}

impl Section {
    /// Every section, in the order the pages show them.
    pub const ALL: [Section; 8] = [
        Section::Identity,
        Section::Routing,
        Section::Resources,
        Section::Attempts,
        Section::Scripts,
        Section::Block,
        Section::Notes,
        Section::History,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Identity => "Identity",
            Section::Routing => "Routing",
            Section::Resources => "Resources in ring order",
            Section::Attempts => "Attempts and timeouts",
            Section::Scripts => "IVR scripts",
            Section::Block => "Block",
            Section::Notes => "Notes",
            Section::History => "History",
        }
    }
}

/// One field path of the hunt entity: the one place its name, label, kind and wording live.
#[derive(Debug, PartialEq, Eq)]
pub struct Field {
    pub path: &'static str,
    pub kind: Kind,
    /// The column, form and detail label an administrator reads.
    pub label: &'static str,
    /// A line under the input saying what to enter, or "" (see `Field::hint_text`).
    pub hint: &'static str,
    /// The unit of a count ("s"), or "".
    pub unit: &'static str,
    /// What 0 means for a count where 0 switches something off ("no limit"), if it does.
    pub zero_means: Option<&'static str>,
    /// The values the platform is known to take, offered as suggestions (others are allowed).
    pub suggestions: &'static [&'static str],
    /// Whether the text is long enough to want several lines.
    pub multiline: bool,
    /// Whether the server sets it (`id`, the timestamps): shown, never entered.
    pub server_set: bool,
    /// Where the pages show it; `None` for groups, which are shown member by member.
    pub section: Option<Section>,
    /// Whether a list without `mask` returns it (the reference's list leaves out the two bulky ones).
    pub in_default_list: bool,
}

const fn field(path: &'static str, kind: Kind, label: &'static str, section: Section) -> Field {
    Field {
        path,
        kind,
        label,
        hint: "",
        unit: "",
        zero_means: None,
        suggestions: &[],
        multiline: false,
        server_set: false,
        section: Some(section),
        in_default_list: true,
    }
}

const fn group(path: &'static str, label: &'static str) -> Field {
    Field {
        section: None,
        ..field(path, Kind::Group, label, Section::Identity)
    }
}

impl Field {
    /// The line under the field's input: its hint, else what 0 means ("0 = no limit"), if either.
    pub fn hint_text(&self) -> Option<String> {
        match (self.hint, self.zero_means) {
            ("", Some(meaning)) => Some(format!("0 = {meaning}")),
            ("", None) => None,
            (hint, _) => Some(hint.to_owned()),
        }
    }

    const fn hint(self, hint: &'static str) -> Field {
        Field { hint, ..self }
    }

    const fn seconds(self) -> Field {
        Field { unit: "s", ..self }
    }

    /// A count where 0 switches the thing off (the form's hint says "0 = off").
    const fn zero_means(self, meaning: &'static str) -> Field {
        Field {
            zero_means: Some(meaning),
            ..self
        }
    }

    const fn suggest(self, suggestions: &'static [&'static str]) -> Field {
        Field {
            suggestions,
            ..self
        }
    }

    const fn multiline(self) -> Field {
        Field {
            multiline: true,
            ..self
        }
    }

    const fn server_set(self) -> Field {
        Field {
            server_set: true,
            ..self
        }
    }

    const fn detail_only(self) -> Field {
        Field {
            in_default_list: false,
            ..self
        }
    }
}

use Section::{Attempts, Block, History, Identity, Notes, Resources, Routing, Scripts};

/// Every field path, in the entity's own order (the order of the reference's examples).
pub const FIELDS: &[Field] = &[
    field("id", Kind::Text, "Id", Identity).server_set(),
    field("code", Kind::Text, "Code", Identity).hint("Unique; how the platform names this queue"),
    field("phonenumber", Kind::Text, "Phone number", Identity).hint("Unique when set"),
    field("priority", Kind::Count, "Priority", Routing),
    field("type", Kind::Text, "Type", Identity).suggest(&["sipuser"]),
    field("resources", Kind::Resources, "Resources", Resources).detail_only(),
    group("strategy", "Strategy"),
    field("strategy.mode", Kind::Text, "Strategy", Routing),
    field(
        "strategy.seconds",
        Kind::Seconds,
        "Seconds per round",
        Routing,
    )
    .seconds()
    .hint("Comma-separated, e.g. 5, 10, 20"),
    field("resmode", Kind::Text, "Resource mode", Routing).suggest(&["priorityrandom"]),
    field("objmode", Kind::Text, "Queue mode", Routing)
        .suggest(&["spq", "spqwfq"])
        .hint("spq: strict priority; spqwfq: with weighted fair queuing"),
    field("weight", Kind::Count, "Weight", Routing).hint("Share under weighted fair queuing"),
    field("wivrscript", Kind::Text, "Welcome IVR", Scripts),
    field("qivrscript", Kind::Text, "In-queue IVR", Scripts),
    field("preivrscript", Kind::Text, "Pre-queue IVR", Scripts),
    field("reslimit", Kind::Count, "Resource limit", Routing).zero_means("no limit"),
    field("maxattempts", Kind::Count, "Max attempts", Attempts).zero_means("no limit"),
    field(
        "maxattemptstrannumber",
        Kind::Text,
        "Transfer after max attempts",
        Attempts,
    ),
    field("timeout", Kind::Count, "Timeout", Attempts)
        .seconds()
        .zero_means("off"),
    field(
        "timeouttrannumber",
        Kind::Text,
        "Transfer on timeout",
        Attempts,
    ),
    field(
        "resdialtimeout",
        Kind::Count,
        "Resource dial timeout",
        Attempts,
    )
    .seconds()
    .zero_means("off"),
    field("displayname", Kind::Text, "Display name", Identity),
    group("huntblock", "Block"),
    field("huntblock.enabled", Kind::Flag, "Blocked", Block).hint("Calls are not queued"),
    field(
        "huntblock.expires",
        Kind::Count,
        "Block expires after",
        Block,
    )
    .seconds()
    .zero_means("until unblocked"),
    field("huntblock.reason", Kind::Text, "Block reason", Block),
    field("resbansec", Kind::Count, "Resource ban", Attempts)
        .seconds()
        .zero_means("off"),
    // Listed member by member in the default list, which leaves out `opts.comment`.
    group("opts", "Options").detail_only(),
    field("opts.title", Kind::Text, "Title", Identity),
    field("opts.comment", Kind::Text, "Comment", Notes)
        .multiline()
        .detail_only(),
    field(
        "opts.exit_no_resource",
        Kind::Flag,
        "Exit when no resource",
        Routing,
    )
    .hint("Leave the queue when no resource is available"),
    group("ext", "Timestamps"),
    field("ext.ct", Kind::Timestamp, "Created", History).server_set(),
    field("ext.lwt", Kind::Timestamp, "Last written", History).server_set(),
];

/// `resources.id`, which only `filter` accepts; not an entity path, so not in `FIELDS`.
static RESOURCE_ID: Field = Field {
    section: None,
    ..field("resources.id", Kind::ResourceId, "Resource", Resources).detail_only()
};

/// A field path known to be one of the entity's: parsed once, then trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldPath(&'static Field);

impl FieldPath {
    /// Whether it is a count of seconds, shown and typed with units (`duration`).
    pub fn takes_units(self) -> bool {
        self.kind() == Kind::Count && self.field().unit == "s"
    }

    /// A count as an administrator types it anywhere (form, bulk change, filter, import): a
    /// seconds field with units ("8 h", "90 s", or a bare number, `duration::parse_seconds`),
    /// any other as a whole number. The refusal names the field by its label and says what it
    /// takes.
    pub fn typed_count(self, text: &str) -> Result<u32, String> {
        let text = text.trim();
        if self.takes_units() {
            crate::duration::parse_seconds(text)
                .and_then(|seconds| u32::try_from(seconds).ok())
                .ok_or_else(|| format!("{} takes {}", self.label(), crate::duration::ACCEPTED))
        } else {
            text.parse()
                .map_err(|_| format!("{} takes a whole number of 0 or more", self.label()))
        }
    }

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

    /// The fields a section shows, in the entity's order.
    pub fn in_section(section: Section) -> impl Iterator<Item = FieldPath> {
        FIELDS
            .iter()
            .filter(move |field| field.section == Some(section))
            .map(FieldPath)
    }

    /// Every field an administrator enters (not a group, not set by the server).
    pub fn entered() -> impl Iterator<Item = FieldPath> {
        FIELDS
            .iter()
            .filter(|field| field.section.is_some() && !field.server_set)
            .map(FieldPath)
    }

    /// The path's segments: `opts.title` is `["opts", "title"]`.
    pub fn segments(self) -> impl Iterator<Item = &'static str> {
        self.0.path.split('.')
    }

    /// The paths given, each once, in the entity's order (so masked output keeps the entity's
    /// field order); one outside the catalog (the `resources.id` filter key) comes last. Read
    /// off the catalog rather than sorted: a sort is compiled again for each caller's key.
    pub fn in_entity_order(paths: impl IntoIterator<Item = FieldPath>) -> Vec<FieldPath> {
        let given: Vec<FieldPath> = paths.into_iter().collect();
        let mut ordered: Vec<FieldPath> = FIELDS
            .iter()
            .map(FieldPath)
            .filter(|path| given.contains(path))
            .collect();
        for path in given {
            if !ordered.contains(&path) {
                ordered.push(path);
            }
        }
        ordered
    }

    /// Position in the entity's order, so masked output keeps the entity's field order.
    pub fn rank(self) -> usize {
        FIELDS
            .iter()
            .position(|field| field.path == self.0.path)
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

// By path, which names a field uniquely (equality compares the same catalog entry).
impl std::hash::Hash for FieldPath {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.path.hash(state);
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

    /// A count typed anywhere: a duration with units, any other count a whole number; a refusal
    /// names the field by its label and says what it takes.
    #[test]
    fn typed_counts_take_units_only_where_the_field_is_seconds() {
        let expires = FieldPath::lookup("huntblock.expires").unwrap();
        assert_eq!(expires.typed_count("8 h"), Ok(28_800));
        assert_eq!(expires.typed_count(" 90 "), Ok(90));
        assert_eq!(
            expires.typed_count("8 parsecs"),
            Err(
                "Block expires after takes a number of seconds, or 90 s, 2 min, 1 h 30 min"
                    .to_owned()
            )
        );
        let weight = FieldPath::lookup("weight").unwrap();
        assert_eq!(weight.typed_count("5"), Ok(5));
        assert_eq!(
            weight.typed_count("5 s"),
            Err("Weight takes a whole number of 0 or more".to_owned())
        );
        assert!(expires.takes_units() && !weight.takes_units());
    }

    proptest::proptest! {
        /// Read off the catalog, the order is the one a sort by rank (then dropping repeats)
        /// gives, with the `resources.id` key after every catalog field.
        #[test]
        fn entity_order_is_the_sort_by_rank(
            picks in proptest::collection::vec(0..=FIELDS.len(), 0..20)
        ) {
            let paths: Vec<FieldPath> = picks
                .iter()
                .map(|&pick| FIELDS.get(pick).map_or(FieldPath::RESOURCE_ID, FieldPath))
                .collect();
            let mut sorted = paths.clone();
            sorted.sort_by_key(|path| path.rank());
            sorted.dedup();
            proptest::prop_assert_eq!(FieldPath::in_entity_order(paths), sorted);
        }
    }

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
    fn every_entered_field_has_a_section_and_groups_have_none() {
        for field in FIELDS {
            assert_eq!(
                field.section.is_none(),
                field.kind == Kind::Group,
                "{}",
                field.path
            );
            assert!(
                field.zero_means.is_none() || field.kind == Kind::Count,
                "{}",
                field.path
            );
        }
        let shown: usize = Section::ALL
            .iter()
            .map(|section| FieldPath::in_section(*section).count())
            .sum();
        let groups = FIELDS.iter().filter(|f| f.kind == Kind::Group).count();
        assert_eq!(shown + groups, FIELDS.len());
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
