//! Filters as removable chips ("Queue mode = spq or spqwfq ×"), and a small form to add one.
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
    let common = COMMON.iter().filter_map(|name| FieldPath::lookup(name));
    let others = FIELDS
        .iter()
        .filter_map(|field| FieldPath::lookup(field.path))
        .filter(|path| path.kind().is_scalar() && !COMMON.contains(&path.as_str()));
    common.chain(others).collect()
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
        Kind::Count => path.typed_count(text).map(Value::from),
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// `filter` with `value` as one more accepted value of `path`.
fn widened(filter: Filter, path: FieldPath, value: Value) -> Result<Filter, String> {
    let mut values: Vec<Value> = filter
        .conditions()
        .iter()
        .find(|(existing, _)| *existing == path)
        .map(|(_, values)| values.clone())
        .unwrap_or_default();
    if !values.contains(&value) {
        values.push(value);
    }
    filter.with(path, values).map_err(|error| error.to_string())
}

#[component]
pub fn FilterBar(
    filter: Signal<Filter>,
    /// Asked to show the new filter; answers whether it did.
    on_change: Callback<Filter, bool>,
) -> impl IntoView {
    let fields = filterable();
    let (field, set_field) = signal(fields[0]);
    let (value, set_value) = signal(String::new());
    let (problem, set_problem) = signal(None::<String>);

    let choose_field = move |path: FieldPath| {
        // A flag's value is a choice, yes by default; other fields start from an empty box.
        let was_flag = field.get_untracked().kind() == Kind::Flag;
        if path.kind() == Kind::Flag {
            set_value.set("true".to_owned());
        } else if was_flag {
            set_value.set(String::new());
        }
        set_field.set(path);
        set_problem.set(None);
    };
    let add = move |event: ev::SubmitEvent| {
        event.prevent_default();
        let path = field.get_untracked();
        let updated = parse_value(path, &value.get_untracked())
            .and_then(|parsed| widened(filter.get_untracked(), path, parsed));
        match updated {
            Ok(updated) => {
                set_problem.set(None);
                // Kept where the list did not take it (the user kept their selection).
                if on_change.run(updated) {
                    set_value.set(String::new());
                }
            }
            Err(message) => set_problem.set(Some(message)),
        }
    };
    let chips = move || {
        filter
            .get()
            .conditions()
            .iter()
            .map(|(path, values)| {
                view! { <FilterChip path=*path values=values.clone() on_remove=Callback::new(move |path| { on_change.run(filter.get_untracked().without(path)); })/> }
            })
            .collect_view()
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
                            choose_field(path);
                        }
                    }
                >
                    {fields
                        .iter()
                        .map(|path| view! { <option value=path.as_str()>{path.label()}</option> })
                        .collect_view()}
                </select>
                <span>"="</span>
                {move || view! { <ValueInput kind=field.get().kind() value=value set_value=set_value/> }}
                <button type="submit">"Add filter"</button>
                <span class="field-error" role="alert">{move || problem.get()}</span>
            </form>
        </div>
    }
}

/// One filter as a chip: "Queue mode = spq or spqwfq", and × to remove it.
#[component]
fn FilterChip(
    path: FieldPath,
    values: Vec<Value>,
    on_remove: Callback<FieldPath>,
) -> impl IntoView {
    let shown: Vec<String> = values
        .iter()
        .map(|value| match value {
            Value::String(text) if text.is_empty() => "(empty)".to_owned(),
            other => format::cell(path, Some(other)),
        })
        .collect();
    let text = format!("{} = {}", path.label(), shown.join(" or "));
    view! {
        <li class="chip">
            <span>{text.clone()}</span>
            <button class="chip-remove" aria-label=format!("Remove filter {text}") on:click=move |_| on_remove.run(path)>
                "×"
            </button>
        </li>
    }
}

/// The value box: yes/no for a flag, a text box (numeric keyboard for counts) otherwise.
#[component]
fn ValueInput(
    kind: Kind,
    value: ReadSignal<String>,
    set_value: WriteSignal<String>,
) -> impl IntoView {
    if kind == Kind::Flag {
        return view! {
            <select id="filter-value" aria-label="Value" on:change:target=move |event| set_value.set(event.target().value())>
                <option value="true" selected=move || value.get() == "true">"yes"</option>
                <option value="false" selected=move || value.get() == "false">"no"</option>
            </select>
        }
        .into_any();
    }
    view! {
        <input
            id="filter-value"
            aria-label="Value"
            placeholder="value"
            inputmode=if kind == Kind::Count { "numeric" } else { "text" }
            prop:value=value
            on:input:target=move |event| set_value.set(event.target().value())
        />
    }
    .into_any()
}
