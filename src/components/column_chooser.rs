//! The column chooser: which fields the list shows (and so asks the API for), remembered in the
//! browser for the next visit.

use hunts_model::{FieldPath, Mask};
use leptos::prelude::*;

use crate::dom;
use crate::list_view::{ALWAYS_SHOWN, column_choices};

const STORAGE_KEY: &str = "hunts-admin.columns";

/// The columns chosen last time in this browser, if any.
pub fn remembered() -> Option<Vec<FieldPath>> {
    let text = dom::local_storage()?.get_item(STORAGE_KEY).ok()??;
    text.parse::<Mask>().ok().map(|mask| mask.paths().to_vec())
}

fn remember(columns: &[FieldPath]) {
    if let (Some(storage), Some(mask)) = (dom::local_storage(), Mask::new(columns.iter().copied()))
    {
        // Storage can be full or disabled; the choice then lasts as long as the URL does.
        let _ = storage.set_item(STORAGE_KEY, &mask.to_string());
    }
}

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
        remember(&chosen);
        on_change.run(chosen);
    };
    view! {
        <details class="column-chooser">
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
