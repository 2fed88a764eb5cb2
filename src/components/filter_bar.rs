//! Filters as removable chips ("objmode = spq or spqwfq ×"), and a small form to add one.
//! Adding a second value for the same field widens it to "any of".

use hunts_model::{FIELDS, FieldPath, Filter, Kind};
use leptos::ev;
use leptos::prelude::*;
use serde_json::Value;

use crate::format;

/// The fields offered first: the ones administrators filter by every day.
const COMMON: [&str; 6] = [
    "type",
    "objmode",
    "resmode",
    "huntblock.enabled",
    "strategy.mode",
    "code",
];

fn filterable() -> Vec<FieldPath> {
    let mut fields: Vec<FieldPath> = COMMON
        .iter()
        .filter_map(|name| FieldPath::lookup(name))
        .collect();
    let others: Vec<FieldPath> = FIELDS
        .iter()
        .filter_map(|field| FieldPath::lookup(field.path))
        .filter(|path| path.kind().is_scalar() && !fields.contains(path))
        .collect();
    fields.extend(others);
    fields
}

/// The value typed for a field, as the JSON the filter compares with.
fn parse_value(path: FieldPath, text: &str) -> Result<Value, String> {
    let text = text.trim();
    match path.kind() {
        Kind::Flag => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err("Choose yes or no".to_owned()),
        },
        Kind::Count => text
            .parse::<u32>()
            .map(Value::from)
            .map_err(|_| format!("{} is a whole number of 0 or more", path.label())),
        _ => Ok(Value::String(text.to_owned())),
    }
}

#[component]
pub fn FilterBar(filter: Signal<Filter>, on_change: Callback<Filter>) -> impl IntoView {
    let fields = filterable();
    let (field, set_field) = signal(fields[0]);
    let (value, set_value) = signal(String::new());
    let (problem, set_problem) = signal(None::<String>);

    let add = move |event: ev::SubmitEvent| {
        event.prevent_default();
        let path = field.get_untracked();
        let parsed = match parse_value(path, &value.get_untracked()) {
            Ok(parsed) => parsed,
            Err(message) => return set_problem.set(Some(message)),
        };
        let current = filter.get_untracked();
        let mut values: Vec<Value> = current
            .conditions()
            .iter()
            .find(|(existing, _)| *existing == path)
            .map(|(_, values)| values.clone())
            .unwrap_or_default();
        if !values.contains(&parsed) {
            values.push(parsed);
        }
        match current.with(path, values) {
            Ok(updated) => {
                set_problem.set(None);
                set_value.set(String::new());
                on_change.run(updated);
            }
            Err(error) => set_problem.set(Some(error.to_string())),
        }
    };

    let chips = move || {
        filter
            .get()
            .conditions()
            .iter()
            .map(|(path, values)| {
                let path = *path;
                let shown: Vec<String> = values
                    .iter()
                    .map(|value| match value {
                        Value::String(text) if text.is_empty() => "(empty)".to_owned(),
                        other => format::cell(path.as_str(), Some(other)),
                    })
                    .collect();
                let text = format!("{} = {}", path.label(), shown.join(" or "));
                view! {
                    <li class="chip">
                        <span>{text.clone()}</span>
                        <button
                            class="chip-remove"
                            aria-label=format!("Remove filter {text}")
                            on:click=move |_| on_change.run(filter.get_untracked().without(path))
                        >
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    let value_input = move || {
        let path = field.get();
        if path.kind() == Kind::Flag {
            if !matches!(value.get_untracked().as_str(), "true" | "false") {
                set_value.set("true".to_owned());
            }
            view! {
                <select id="filter-value" aria-label="Value" on:change:target=move |event| set_value.set(event.target().value())>
                    <option value="true" selected=move || value.get() == "true">"yes"</option>
                    <option value="false" selected=move || value.get() == "false">"no"</option>
                </select>
            }
            .into_any()
        } else {
            view! {
                <input
                    id="filter-value"
                    aria-label="Value"
                    placeholder="value"
                    inputmode=if path.kind() == Kind::Count { "numeric" } else { "text" }
                    prop:value=value
                    on:input:target=move |event| set_value.set(event.target().value())
                />
            }
            .into_any()
        }
    };

    view! {
        <div class="filter-bar">
            <ul class="chips" aria-label="Filters">{chips}</ul>
            <form class="add-filter" on:submit=add>
                <label for="filter-field" class="visually-hidden">"Filter field"</label>
                <select
                    id="filter-field"
                    on:change:target=move |event| {
                        if let Some(path) = FieldPath::lookup(&event.target().value()) {
                            set_field.set(path);
                            set_problem.set(None);
                        }
                    }
                >
                    {fields
                        .iter()
                        .map(|path| view! { <option value=path.as_str()>{path.label()}</option> })
                        .collect_view()}
                </select>
                <span>"="</span>
                {value_input}
                <button type="submit">"Add filter"</button>
                <span class="field-error" role="alert">{move || problem.get()}</span>
            </form>
        </div>
    }
}
