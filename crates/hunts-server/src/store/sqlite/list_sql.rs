//! A list query in SQL: the `WHERE` of its filter, the `ORDER BY` of its order and the index to
//! read it through, over the columns and indexes of `schema`. Values are bound as parameters.

use hunts_model::{Direction, FieldPath, Filter, Kind, Order};
use rusqlite::types::Value as SqlValue;
use serde_json::Value;

use super::schema::{collation, order_index};
use crate::store::sql::columns::column;
use crate::store::sql::list;

/// `WHERE …` (or nothing) and the values it binds, in order.
pub struct Where {
    pub clause: String,
    pub values: Vec<SqlValue>,
}

pub fn where_clause(filter: &Filter) -> Where {
    let (clause, values) = list::where_clause(filter, |path, allowed, values| {
        let placeholders = vec!["?"; allowed.len()].join(", ");
        let bound = allowed.iter().map(sql_value);
        if path == FieldPath::RESOURCE_ID {
            values.extend(bound);
            format!("seq IN (SELECT seq FROM hunt_resources WHERE resource_id IN ({placeholders}))")
        } else if path.kind() == Kind::Text {
            // Equality is exact, but the case-blind comparison beside it lets the same index
            // that sorts the column find the rows; within it the rows keep creation order.
            let column = column(path);
            let bound: Vec<SqlValue> = bound.collect();
            values.extend(bound.iter().cloned());
            values.extend(bound);
            format!(
                "({column} COLLATE NOCASE IN ({placeholders}) AND {column} IN ({placeholders}))"
            )
        } else {
            values.extend(bound);
            format!("{} IN ({placeholders})", column(path))
        }
    });
    Where { clause, values }
}

/// `ORDER BY …`: the keys as the lists compare them, then creation order.
pub fn order_clause(order: &Order) -> String {
    list::order_clause(order, |path| {
        format!("{}{}", column(path), collation(path.kind()))
    })
}

/// Paths whose filter picks out a few hunts: their own index beats any other plan.
const SELECTIVE: &[&str] = &["id", "code", "phonenumber", "resources.id"];

/// Fields of few values. Sorting on one of them and then on a second key, the index of the
/// first gives groups of tens of thousands of hunts that SQLite would sort whole to find one
/// page; such a list is read group by group instead (`GroupedOrder`).
const FEW_VALUES: &[&str] = &["weight", "type", "objmode", "resmode", "huntblock.enabled"];

/// How to read a list ordered first by a field of few values and then by an indexed key: the
/// size of each group (cached, see `Counts::groups`), then, for the groups the page falls in,
/// each group by itself. With one grouping field, through the second key's index (a big group:
/// the page is found after reading a little more than its offset) or the first key's (a small
/// group: sorting it is cheaper than walking the whole second index for its few hunts). When
/// the second key is of few values too, the groups are of both fields (`type` and `objmode`),
/// each read in creation order through the index of whichever of its two values is rarer.
pub struct GroupedOrder {
    /// The fields whose values make the groups: the first key, and the second when it too is
    /// of few values.
    pub fields: Vec<FieldPath>,
    /// `SELECT value[, value], count(*) …` of each group, in the list's order.
    pub groups_sql: String,
    /// The page of one group (its values bound after the filter's, then the limit and offset),
    /// through two indexes: with one field, the second key's (walk) and the first key's (sort);
    /// with two, the first field's and the second field's.
    pub page_sql: [String; 2],
}

pub fn grouped_order(filter: &Filter, order: &Order, filter_clause: &str) -> Option<GroupedOrder> {
    let [(first, direction), (second, second_direction), ..] = order.keys() else {
        return None;
    };
    if !FEW_VALUES.contains(&first.as_str()) || is_selective(filter) {
        return None;
    }
    let first_index = order_index(*first, *direction == Direction::Desc)?;
    let second_index = order_index(*second, *second_direction == Direction::Desc)?;
    let fields = if FEW_VALUES.contains(&second.as_str()) {
        vec![*first, *second]
    } else {
        vec![*first]
    };
    let value = |path: FieldPath| format!("{}{}", column(path), collation(path.kind()));
    let conditions: Vec<String> = fields
        .iter()
        .map(|path| format!("{} IS ?", value(*path)))
        .collect();
    let in_group = if filter_clause.is_empty() {
        format!("WHERE {}", conditions.join(" AND "))
    } else {
        format!("{filter_clause} AND {}", conditions.join(" AND "))
    };
    let page = |index: &str| {
        format!(
            "SELECT seq FROM hunts INDEXED BY {index} {in_group} {} LIMIT ? OFFSET ?",
            order_clause(order)
        )
    };
    let keys = [(*first, *direction), (*second, *second_direction)];
    let grouped_by: Vec<String> = keys[..fields.len()]
        .iter()
        .map(|(path, _)| value(*path))
        .collect();
    let sorted_by: Vec<String> = keys[..fields.len()]
        .iter()
        .map(|(path, direction)| match direction {
            Direction::Asc => format!("{} ASC", value(*path)),
            Direction::Desc => format!("{} DESC", value(*path)),
        })
        .collect();
    let columns: Vec<String> = fields.iter().map(|path| column(*path)).collect();
    let groups_sql = format!(
        "SELECT {}, count(*) FROM hunts INDEXED BY {first_index} {filter_clause} \
         GROUP BY {} ORDER BY {}",
        columns.join(", "),
        grouped_by.join(", "),
        sorted_by.join(", ")
    );
    let page_sql = if fields.len() == 1 {
        [page(&second_index), page(&first_index)]
    } else {
        [page(&first_index), page(&second_index)]
    };
    Some(GroupedOrder {
        fields,
        groups_sql,
        page_sql,
    })
}

fn is_selective(filter: &Filter) -> bool {
    filter
        .conditions()
        .iter()
        .any(|(path, _)| SELECTIVE.contains(&path.as_str()))
}

/// `INDEXED BY …` (or nothing): a sorted list is read through the index of its first key, so a
/// page costs its offset plus its length, not a sort of every hunt that matches. The planner
/// would otherwise take a filter's index when the filter matches most hunts (`type=sipuser`).
/// A filter that picks out a few hunts is left to the planner: reading them all is cheaper.
pub fn index_hint(filter: &Filter, order: &Order) -> String {
    let selective = is_selective(filter);
    let Some((path, direction)) = order.keys().first() else {
        // The plain list in creation order skips its offset in the smallest index there is.
        return if filter.is_empty() {
            "INDEXED BY hunts_creation".to_owned()
        } else {
            String::new()
        };
    };
    if selective {
        return String::new();
    }
    order_index(*path, *direction == Direction::Desc)
        .map(|index| format!("INDEXED BY {index}"))
        .unwrap_or_default()
}

/// A filter value as SQLite holds it in the columns (JSON true is 1).
pub fn sql_value(value: &Value) -> SqlValue {
    match value {
        Value::Bool(flag) => SqlValue::Integer(i64::from(*flag)),
        Value::Number(number) => number
            .as_i64()
            .map(SqlValue::Integer)
            .or_else(|| number.as_f64().map(SqlValue::Real))
            .unwrap_or(SqlValue::Null),
        Value::String(text) => SqlValue::Text(text.clone()),
        Value::Null | Value::Array(_) | Value::Object(_) => SqlValue::Null,
    }
}
