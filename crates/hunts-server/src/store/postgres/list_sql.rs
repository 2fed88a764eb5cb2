//! A list query in PostgreSQL's SQL: the `WHERE` of its filter (each path one `= ANY($n)`, or
//! for `resources.id` an overlap with the hunt's resource ids) and the `ORDER BY` of its order.

use hunts_model::{FieldPath, Filter, Kind, ListQuery};
use serde_json::Value;
use tokio_postgres::types::ToSql;

use super::schema::sort_key;
use crate::store::sql::columns::column;
use crate::store::sql::list;

/// `WHERE …` (or nothing) and its values, each path's bound as one array.
pub fn where_clause(filter: &Filter) -> (String, Vec<Bound>) {
    list::where_clause(filter, |path, allowed, values| {
        let n = values.len() + 1;
        if path == FieldPath::RESOURCE_ID {
            values.push(Bound::Texts(texts(allowed)));
            return format!("resource_ids && ${n}");
        }
        values.push(match path.kind() {
            Kind::Count => Bound::Wholes(allowed.iter().filter_map(Value::as_i64).collect()),
            Kind::Flag => Bound::Flags(allowed.iter().filter_map(Value::as_bool).collect()),
            _ => Bound::Texts(texts(allowed)),
        });
        format!("{} = ANY(${n})", column(path))
    })
}

fn texts(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .filter_map(|value| value.as_str().map(str::to_owned))
        .collect()
}

/// A filter's values, bound as one array parameter.
pub enum Bound {
    Texts(Vec<String>),
    Wholes(Vec<i64>),
    Flags(Vec<bool>),
}

impl Bound {
    pub fn as_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Bound::Texts(values) => values,
            Bound::Wholes(values) => values,
            Bound::Flags(values) => values,
        }
    }
}

/// `ORDER BY …`: the keys as the lists compare them, then creation order.
pub fn order_clause(query: &ListQuery) -> String {
    list::order_clause(&query.order, sort_key)
}
