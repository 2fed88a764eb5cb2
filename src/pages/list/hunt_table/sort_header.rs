//! A column's header cell: its label, and for a sortable column a button that sorts by it (with
//! Shift, adds it as another key), with the arrow and rank of the order the rows on show are in.
//! The cell stays while pages change (so a sort keeps the focus on its button); its arrow and
//! `aria-sort` follow the order of the page on show.

use hunts_model::{Direction, FieldPath, Order};
use leptos::either::Either;
use leptos::prelude::*;

use crate::list_view::SortClick;

#[component]
pub fn SortHeader(
    column: FieldPath,
    /// The order the rows on show are in.
    order: Signal<Order>,
    on_sort: Callback<(FieldPath, SortClick)>,
) -> impl IntoView {
    // The column's rank (1-based) and direction among the sort keys, when it is one.
    let sort = Memo::new(move |_| order.with(|order| order.rank_of(column)));
    let several = Memo::new(move |_| order.with(|order| order.keys().len() > 1));
    let aria_sort = move || match sort.get() {
        Some((_, Direction::Asc)) => "ascending",
        Some((_, Direction::Desc)) => "descending",
        None => "none",
    };
    let marker = move || {
        sort.get().map(|(rank, direction)| {
            let arrow = if direction == Direction::Asc {
                "▲"
            } else {
                "▼"
            };
            if several.get() {
                format!(" {arrow}{rank}")
            } else {
                format!(" {arrow}")
            }
        })
    };
    let label = if column.kind().is_scalar() {
        Either::Left(view! {
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
        })
    } else {
        Either::Right(view! { <span>{column.label()}</span> })
    };
    view! {
        <th scope="col" aria-sort=aria_sort data-column=column.as_str()>
            {label}
        </th>
    }
}
