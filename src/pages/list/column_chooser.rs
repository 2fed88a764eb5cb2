//! The column chooser: which fields the list shows (and so asks the API for), remembered in the
//! browser for the next visit.

use hunts_model::FieldPath;
use leptos::prelude::*;

use crate::list_view::{ALWAYS_SHOWN, column_choices, remember_columns};

#[component]
pub fn ColumnChooser(
    columns: Signal<Vec<FieldPath>>,
    on_change: Callback<Vec<FieldPath>>,
) -> impl IntoView {
    let toggle = move |column: FieldPath, shown: bool| {
        let mut chosen = columns.get_untracked();
        chosen.retain(|existing| *existing != column);
        if shown {
            chosen.push(column);
        }
        remember_columns(&chosen);
        on_change.run(chosen);
    };
    view! {
        <details class="column-chooser popover">
            <summary>"Columns"</summary>
            <fieldset>
                <legend class="visually-hidden">"Columns to show"</legend>
                {column_choices()
                    .map(|column| {
                        let fixed = ALWAYS_SHOWN.contains(&column.as_str());
                        let id = format!("column-{}", column.as_str().replace('.', "-"));
                        view! {
                            <label for=id.clone()>
                                <input
                                    type="checkbox"
                                    id=id.clone()
                                    disabled=fixed
                                    prop:checked=move || columns.get().contains(&column)
                                    on:change:target=move |event| toggle(column, event.target().checked())
                                />
                                {column.label()}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        </details>
    }
}
