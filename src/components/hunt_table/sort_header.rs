//! A column's header cell: its label, and for a sortable column a button that sorts by it (with
//! Shift, adds it as another key), with the arrow and rank of the order the rows on show are in.
//!
//! Everything here is fixed for the page it heads (a new order loads a new page, which draws
//! new headers), so nothing in it watches a signal: effects made inside a `Suspend`'s view and
//! watching the list's state outlived the page they were drawn for, a few kB a change.

use hunts_model::{Direction, FieldPath};
use leptos::prelude::*;

use crate::list_view::SortClick;

#[component]
pub fn SortHeader(
    column: FieldPath,
    /// The column's rank (1-based) and direction among the sort keys, when it is one.
    sort: Option<(usize, Direction)>,
    /// Whether the order has several keys, so ranks are worth showing.
    several: bool,
    on_sort: Callback<(FieldPath, SortClick)>,
) -> impl IntoView {
    let aria_sort = match sort {
        Some((_, Direction::Asc)) => "ascending",
        Some((_, Direction::Desc)) => "descending",
        None => "none",
    };
    let marker = sort.map(|(rank, direction)| {
        let arrow = if direction == Direction::Asc {
            "▲"
        } else {
            "▼"
        };
        if several {
            format!(" {arrow}{rank}")
        } else {
            format!(" {arrow}")
        }
    });
    let label = if column.kind().is_scalar() {
        view! {
            <button
                class="sort"
                title="Sort; Shift-click to add as another key"
                on:click=move |event| {
                    let click = if event.shift_key() { SortClick::AddKey } else { SortClick::Only };
                    on_sort.run((column, click));
                }
            >
                {column.label()}
                <span class="sort-marker">{marker}</span>
            </button>
        }
        .into_any()
    } else {
        view! { <span>{column.label()}</span> }.into_any()
    };
    view! {
        <th scope="col" aria-sort=aria_sort data-column=column.as_str()>
            {label}
        </th>
    }
}
