//! The skeleton of a list's SQL in both dialects: the `WHERE` of its filter, one condition per
//! filtered path joined by `AND`, and the `ORDER BY` of its order, ending in creation order so
//! ties never repeat or skip a hunt across pages. How one condition or one sort key reads is
//! each dialect's.

use hunts_model::{Direction, FieldPath, Filter, Order};
use serde_json::Value;

/// `WHERE …` (or nothing) and the values it binds, in order: `condition` writes the condition
/// of one path and its allowed values, pushing what it binds.
pub fn where_clause<Bound>(
    filter: &Filter,
    mut condition: impl FnMut(FieldPath, &[Value], &mut Vec<Bound>) -> String,
) -> (String, Vec<Bound>) {
    let mut values = Vec::new();
    let conditions: Vec<String> = filter
        .conditions()
        .iter()
        .map(|(path, allowed)| condition(*path, allowed, &mut values))
        .collect();
    let clause = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    (clause, values)
}

/// `ORDER BY …`: each key as `sort_key` has its column compare, then creation order.
pub fn order_clause(order: &Order, sort_key: impl Fn(FieldPath) -> String) -> String {
    let mut terms: Vec<String> = order
        .keys()
        .iter()
        .map(|(path, direction)| {
            let direction = match direction {
                Direction::Asc => "ASC",
                Direction::Desc => "DESC",
            };
            format!("{} {direction}", sort_key(*path))
        })
        .collect();
    terms.push("seq ASC".to_owned());
    format!("ORDER BY {}", terms.join(", "))
}
