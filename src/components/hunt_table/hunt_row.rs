//! One hunt as a table row: a cell per column, the code linking to the hunt.

use hunts_model::{FieldPath, Kind};
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::format;

#[component]
pub fn HuntRow(row: Map<String, Value>, columns: Vec<FieldPath>) -> impl IntoView {
    let id = row
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let href = format!("/hunts/{id}");
    let cells = columns
        .into_iter()
        .map(|column| {
            let text = format::cell(column, row.get(column.as_str()));
            let class = if column.kind() == Kind::Count {
                "num"
            } else {
                ""
            };
            if column.as_str() == "code" {
                // A plain link: the router still takes its click, and, unlike `<A/>`, it keeps no
                // effect watching the location after its page is gone.
                view! { <td class=class><a href=href.clone()>{text}</a></td> }.into_any()
            } else {
                view! { <td class=class>{text}</td> }.into_any()
            }
        })
        .collect_view();
    view! { <tr data-id=id>{cells}</tr> }
}
