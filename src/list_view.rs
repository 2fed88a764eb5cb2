//! The list page's state as it lives in the URL (columns, filter, order, page) and the pure rules
//! that change it: which header click gives which order, which columns ask for which fields.
//!
//! The URL uses the model's own list query form, with `mask` naming the visible columns, so the
//! app and the server parse it with the same code.

use hunts_model::{Direction, FIELDS, FieldPath, Filter, Kind, ListQuery, Mask, Order};

pub const PAGE_SIZES: [u64; 3] = [25, 50, 100];
pub const DEFAULT_PAGE_SIZE: u64 = 25;

/// Columns that cannot be hidden: an administrator finds a hunt by them.
pub const ALWAYS_SHOWN: [&str; 2] = ["code", "phonenumber"];

/// The columns the chooser offers: every field the plain list returns, groups split into
/// their members (the catalog's own order).
pub fn column_choices() -> impl Iterator<Item = FieldPath> {
    FIELDS
        .iter()
        .filter(|field| {
            field.in_default_list && !matches!(field.kind, Kind::Group | Kind::Resources)
        })
        .filter_map(|field| FieldPath::lookup(field.path))
}

pub const DEFAULT_COLUMNS: &[&str] = &[
    "code",
    "phonenumber",
    "priority",
    "type",
    "strategy.mode",
    "objmode",
    "displayname",
    "huntblock.enabled",
    "ext.lwt",
];

/// The groups the platform's reference masks only whole: a column of one of their members asks
/// for the group, and the flat form splits it into columns again.
const WHOLE_GROUPS: [&str; 2] = ["strategy", "huntblock"];

/// A click on a sortable header: plain (sort by this column alone) or with Shift (one more key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortClick {
    Only,
    AddKey,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListView {
    pub columns: Vec<FieldPath>,
    pub filter: Filter,
    pub order: Order,
    pub offset: u64,
    pub limit: u64,
}

fn paths(names: &[&str]) -> Vec<FieldPath> {
    names
        .iter()
        .filter_map(|name| FieldPath::lookup(name))
        .collect()
}

const COLUMNS_KEY: &str = "hunts-admin.columns";

/// The columns chosen last time in this browser, if any (the list's and the lookup's start).
pub fn remembered_columns() -> Option<Vec<FieldPath>> {
    let text = crate::dom::local_storage()?.get_item(COLUMNS_KEY).ok()??;
    text.parse::<Mask>().ok().map(|mask| mask.paths().to_vec())
}

/// Keeps the columns chosen in this browser for the next visit.
pub fn remember_columns(columns: &[FieldPath]) {
    if let (Some(storage), Some(mask)) = (
        crate::dom::local_storage(),
        Mask::new(columns.iter().copied()),
    ) {
        // Storage can be full or disabled; the choice then lasts as long as the URL does.
        let _ = storage.set_item(COLUMNS_KEY, &mask.to_string());
    }
}

pub fn default_columns() -> Vec<FieldPath> {
    paths(DEFAULT_COLUMNS)
}

impl ListView {
    /// The view a URL's query describes; without `mask`, the columns the user last chose.
    pub fn from_query(query: ListQuery, remembered: Option<Vec<FieldPath>>) -> ListView {
        let columns = match query.mask {
            Some(mask) => mask.paths().to_vec(),
            None => remembered.unwrap_or_else(default_columns),
        };
        ListView {
            columns: with_always_shown(columns),
            filter: query.filter,
            order: query.order,
            offset: query.offset,
            // A page of no hunts shows nothing: such an address gets the usual page size.
            limit: query
                .limit
                .filter(|limit| *limit > 0)
                .unwrap_or(DEFAULT_PAGE_SIZE),
        }
    }

    /// The app's own URL for this view; what equals the default is left out.
    pub fn to_url(&self) -> String {
        let query = ListQuery {
            mask: (self.columns != with_always_shown(default_columns()))
                .then(|| self.mask())
                .flatten(),
            filter: self.filter.clone(),
            order: self.order.clone(),
            offset: self.offset,
            limit: (self.limit != DEFAULT_PAGE_SIZE).then_some(self.limit),
            flat: false,
        };
        match query.to_query_string() {
            text if text.is_empty() => "/hunts".to_owned(),
            text => format!("/hunts?{text}"),
        }
    }

    fn mask(&self) -> Option<Mask> {
        Mask::new(self.columns.iter().copied())
    }

    /// The API request for this view: the visible columns (and `id`, to link each row), flat.
    pub fn api_query(&self) -> ListQuery {
        let requested = self
            .columns
            .iter()
            .copied()
            .chain(FieldPath::lookup("id"))
            .map(|column| {
                match WHOLE_GROUPS
                    .iter()
                    .find(|group| column.as_str().starts_with(&format!("{group}.")))
                {
                    Some(group) => FieldPath::lookup(group).expect("groups are in the catalog"),
                    None => column,
                }
            });
        ListQuery {
            mask: Mask::new(requested),
            filter: self.filter.clone(),
            order: self.order.clone(),
            offset: self.offset,
            // One more row than the page shows: whether a next page exists is known without
            // `X-Total-Count` (an extension), so Next never leads to an empty page.
            limit: Some(self.limit + 1),
            flat: true,
        }
    }

    /// A header click: alone it sorts by the column, then reverses, then removes the sort; with
    /// Shift it adds, reverses or removes the column as one more key. Either goes back to page one.
    pub fn sorted_by(&self, column: FieldPath, click: SortClick) -> ListView {
        let keys = self.order.keys();
        let current = keys
            .iter()
            .find(|(path, _)| *path == column)
            .map(|(_, direction)| *direction);
        let new_keys = if click == SortClick::AddKey {
            match current {
                None => keys
                    .iter()
                    .copied()
                    .chain([(column, Direction::Asc)])
                    .collect(),
                Some(Direction::Asc) => keys
                    .iter()
                    .map(|&(path, direction)| {
                        if path == column {
                            (path, Direction::Desc)
                        } else {
                            (path, direction)
                        }
                    })
                    .collect(),
                Some(Direction::Desc) => keys
                    .iter()
                    .copied()
                    .filter(|(path, _)| *path != column)
                    .collect(),
            }
        } else {
            match (keys, current) {
                ([_], Some(Direction::Asc)) => vec![(column, Direction::Desc)],
                ([_], Some(Direction::Desc)) => Vec::new(),
                _ => vec![(column, Direction::Asc)],
            }
        };
        ListView {
            order: Order::new(new_keys),
            offset: 0,
            ..self.clone()
        }
    }

    pub fn with_filter(&self, filter: Filter) -> ListView {
        ListView {
            filter,
            offset: 0,
            ..self.clone()
        }
    }

    pub fn with_columns(&self, columns: Vec<FieldPath>) -> ListView {
        ListView {
            columns: with_always_shown(columns),
            ..self.clone()
        }
    }

    pub fn at_offset(&self, offset: u64) -> ListView {
        ListView {
            offset,
            ..self.clone()
        }
    }

    pub fn with_page_size(&self, limit: u64) -> ListView {
        ListView {
            limit,
            offset: self.offset / limit * limit,
            ..self.clone()
        }
    }
}

fn with_always_shown(columns: Vec<FieldPath>) -> Vec<FieldPath> {
    FieldPath::in_entity_order(columns.into_iter().chain(paths(&ALWAYS_SHOWN)))
}

/// "41–60 of 312" (or "41–60" when the server does not say the total).
pub fn range_text(offset: u64, shown: usize, total: Option<u64>) -> String {
    if shown == 0 {
        return match total {
            Some(total) => format!("0 of {total}"),
            None => "0".to_owned(),
        };
    }
    let range = format!("{}–{}", offset + 1, offset + shown as u64);
    match total {
        Some(total) => format!("{range} of {total}"),
        None => range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(order: &str) -> ListView {
        let query = ListQuery::from_pairs([("order", order)]).unwrap();
        ListView::from_query(query, None)
    }

    fn path(name: &str) -> FieldPath {
        FieldPath::lookup(name).unwrap()
    }

    #[test]
    fn header_clicks_cycle_and_shift_adds_keys() {
        // (order before, column clicked, shift held, order after)
        let rows = [
            ("[]", "code", SortClick::Only, r#"["code"]"#),
            (
                r#"["code"]"#,
                "code",
                SortClick::Only,
                r#"[{"code":"desc"}]"#,
            ),
            (r#"[{"code":"desc"}]"#, "code", SortClick::Only, "[]"),
            (
                r#"["code"]"#,
                "priority",
                SortClick::Only,
                r#"["priority"]"#,
            ),
            (
                r#"["code","priority"]"#,
                "code",
                SortClick::Only,
                r#"["code"]"#,
            ),
            (
                r#"["code"]"#,
                "priority",
                SortClick::AddKey,
                r#"["code","priority"]"#,
            ),
            (
                r#"["code","priority"]"#,
                "priority",
                SortClick::AddKey,
                r#"["code",{"priority":"desc"}]"#,
            ),
            (
                r#"["code",{"priority":"desc"}]"#,
                "priority",
                SortClick::AddKey,
                r#"["code"]"#,
            ),
            (
                r#"["code",{"priority":"desc"}]"#,
                "code",
                SortClick::AddKey,
                r#"[{"code":"desc"},{"priority":"desc"}]"#,
            ),
        ];
        for (before, column, click, after) in rows {
            let sorted = view(before).sorted_by(path(column), click);
            assert_eq!(
                sorted.order.to_string(),
                after,
                "{before} + {column} ({click:?})"
            );
        }
    }

    #[test]
    fn member_columns_ask_for_their_whole_group_plus_id() {
        let query = ListQuery::from_pairs([("mask", "code,huntblock.enabled,opts.title")]).unwrap();
        let api = ListView::from_query(query, None).api_query();
        assert_eq!(
            api.mask.unwrap().to_string(),
            "id,code,phonenumber,huntblock,opts.title"
        );
        assert!(api.flat);
        assert_eq!(
            api.limit,
            Some(DEFAULT_PAGE_SIZE + 1),
            "one more: is there a next page"
        );
    }

    #[test]
    fn url_round_trips_and_leaves_out_defaults() {
        let plain = ListView::from_query(ListQuery::default(), None);
        assert_eq!(plain.to_url(), "/hunts");
        let changed = plain
            .sorted_by(path("priority"), SortClick::Only)
            .with_page_size(50)
            .at_offset(100);
        let url = changed.to_url();
        let query_text = url.strip_prefix("/hunts?").unwrap();
        let pairs: Vec<(String, String)> = query_text
            .split('&')
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap();
                (key.to_owned(), js_free_decode(value))
            })
            .collect();
        let query = ListQuery::from_pairs(pairs).unwrap();
        assert_eq!(ListView::from_query(query, None), changed);
    }

    #[test]
    fn code_and_phone_number_are_always_shown() {
        let view =
            ListView::from_query(ListQuery::default(), None).with_columns(vec![path("weight")]);
        let names: Vec<&str> = view.columns.iter().map(|column| column.as_str()).collect();
        assert_eq!(names, ["code", "phonenumber", "weight"]);
    }

    #[test]
    fn range_text_with_and_without_total() {
        assert_eq!(range_text(40, 20, Some(312)), "41–60 of 312");
        assert_eq!(range_text(40, 20, None), "41–60");
        assert_eq!(range_text(0, 0, Some(0)), "0 of 0");
    }

    /// Percent-decoding for the round-trip test (the browser does this for the app).
    fn js_free_decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut index = 0;
        while index < bytes.len() {
            if bytes[index] == b'%' {
                out.push(u8::from_str_radix(&text[index + 1..index + 3], 16).unwrap());
                index += 3;
            } else {
                out.push(bytes[index]);
                index += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
}
