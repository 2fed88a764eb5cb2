//! The form's inputs, each drawn from the field catalog: a text or number input with its hint,
//! unit and suggestions; a switch for a flag; the strategy's choice; the resources editor.

use hunts_model::priorities::Ties;
use hunts_model::{FieldPath, Kind, Resource, duration};
use leptos::prelude::*;
use serde_json::Value;

use super::form_state::{FormState, input_id, number_or_text, text_of};
use crate::components::resource_editor::ResourceEditor;

/// The input for one entered field, chosen by what the catalog says it holds.
#[component]
pub fn FieldInput(path: FieldPath) -> impl IntoView {
    match path.kind() {
        Kind::Flag => view! { <Toggle path=path/> }.into_any(),
        Kind::Resources => view! { <ResourcesField/> }.into_any(),
        _ if path.as_str() == "strategy.mode" => view! { <StrategyMode path=path/> }.into_any(),
        // Asked for by the strategy's choice, and only for timers.
        Kind::Seconds => ().into_any(),
        _ => view! { <TextField path=path/> }.into_any(),
    }
}

/// What the typed text stands for in the draft. Durations take units ("2 min").
fn typed_value(path: FieldPath, text: &str) -> Value {
    match path.kind() {
        Kind::Count if path.takes_units() => seconds_or_text(text),
        Kind::Count => number_or_text(text),
        Kind::Seconds => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(seconds_or_text)
                .collect(),
        ),
        _ => Value::String(text.to_owned()),
    }
}

fn seconds_or_text(text: &str) -> Value {
    duration::parse_seconds(text).map_or_else(|| number_or_text(text), Value::from)
}

#[component]
fn TextField(path: FieldPath) -> impl IntoView {
    let form = expect_context::<FormState>();
    let field = path.field();
    let id = input_id(path);
    let error_id = format!("{id}-error");
    let list_id = format!("{id}-choices");
    let hint = match (field.hint_text(), path.takes_units()) {
        (Some(hint), true) => Some(format!("{hint}; in seconds, or with units: 45 s, 2 min")),
        (None, true) => Some("In seconds, or with units: 45 s, 2 min".to_owned()),
        (hint, false) => hint,
    };
    // A screen reader reads the hint and any message with the input.
    let hint_id = format!("{id}-hint");
    let described_by = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    // What the user typed while it still stands for the draft's value, else that value as
    // text (someone else's change merged into the draft replaces it).
    let typed = RwSignal::new(None::<String>);
    let raw = Memo::new(move |_| {
        let value = form.value(path);
        typed.with(|typed| match (typed, &value) {
            (Some(text), _) if Some(typed_value(path, text)) == value => text.clone(),
            (_, Some(Value::Number(seconds))) if path.takes_units() && seconds.is_u64() => {
                duration::format_seconds(seconds.as_u64().unwrap_or_default())
            }
            _ => text_of(value.as_ref()),
        })
    });
    let message = Memo::new(move |_| form.message_for(path));
    let on_text = move |text: String| {
        form.set(path, typed_value(path, &text));
        typed.set(Some(text));
    };
    let numeric = path.kind() == Kind::Count && !path.takes_units();
    let input = if field.multiline {
        view! {
            <textarea
                id=id.clone()
                rows="3"
                aria-describedby=described_by.clone()
                aria-invalid=move || message.get().is_some().to_string()
                prop:value=raw
                on:input:target=move |event| on_text(event.target().value())
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                type="text"
                inputmode=if numeric { "numeric" } else { "text" }
                list=(!field.suggestions.is_empty()).then(|| list_id.clone())
                autocomplete="off"
                aria-describedby=described_by.clone()
                aria-invalid=move || message.get().is_some().to_string()
                prop:value=raw
                on:input:target=move |event| on_text(event.target().value())
            />
        }
        .into_any()
    };
    // Durations say their units in the text ("2 min"); other counts show theirs beside.
    let unit = (path.kind() == Kind::Count && !field.unit.is_empty() && !path.takes_units())
        .then(|| view! { <span class="unit">{field.unit}</span> });
    // The catalog's known values, offered (as text: one string, less wasm than a `view!` each).
    let options: String = field
        .suggestions
        .iter()
        .map(|option| format!("<option value=\"{option}\"></option>"))
        .collect();
    let suggestions = (!field.suggestions.is_empty())
        .then(|| view! { <datalist id=list_id.clone() inner_html=options></datalist> });
    // A value the catalog does not list is said, not refused: the platform may know more.
    let unknown = move || {
        let text = raw.get();
        let text = text.trim();
        (!field.suggestions.is_empty() && !text.is_empty() && !field.suggestions.contains(&text))
            .then(|| {
                format!(
                    "{text} is not a value this app knows ({}): the platform may still take it.",
                    field.suggestions.join(", ")
                )
            })
    };
    view! {
        <div class="field" class:invalid=move || message.get().is_some()>
            <label for=id>{path.label()}</label>
            <div class="control">{input}{unit}{suggestions}</div>
            {hint.map(|hint| view! { <small class="hint" id=hint_id>{hint}</small> })}
            {move || unknown().map(|words| view! { <small class="hint unknown-value">{words}</small> })}
            <p class="field-error" id=error_id role="alert">{move || message.get()}</p>
        </div>
    }
}

#[component]
fn Toggle(path: FieldPath) -> impl IntoView {
    let form = expect_context::<FormState>();
    let id = input_id(path);
    let hint = path.field().hint_text();
    let hint_id = format!("{id}-hint");
    let checked = move || {
        form.value(path)
            .and_then(|value| value.as_bool())
            .unwrap_or(false)
    };
    view! {
        <div class="field toggle">
            <label for=id.clone()>
                <input
                    type="checkbox"
                    role="switch"
                    id=id.clone()
                    aria-describedby=hint.is_some().then(|| hint_id.clone())
                    prop:checked=checked
                    on:change:target=move |event| form.set(path, Value::Bool(event.target().checked()))
                />
                {path.label()}
            </label>
            {hint.map(|hint| view! { <small class="hint" id=hint_id>{hint}</small> })}
        </div>
    }
}

#[component]
fn StrategyMode(path: FieldPath) -> impl IntoView {
    let form = expect_context::<FormState>();
    let seconds = FieldPath::lookup("strategy.seconds").expect("strategy.seconds is a field");
    let mode = move || {
        form.value(path)
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_else(|| "simple".to_owned())
    };
    view! {
        <fieldset class="field strategy">
            <legend>{path.label()}</legend>
            {[("simple", "Simple: ring once"), ("timers", "Timers: ring in rounds")]
                .into_iter()
                .map(|(choice, text)| {
                    let id = format!("f-strategy-{choice}");
                    view! {
                        <label for=id.clone()>
                            <input
                                type="radio"
                                name="strategy-mode"
                                id=id.clone()
                                value=choice
                                prop:checked=move || mode() == choice
                                on:change=move |_| form.set(path, Value::String(choice.to_owned()))
                            />
                            {text}
                        </label>
                    }
                })
                .collect_view()}
            <Show when=move || mode() == "timers">
                <TextField path=seconds/>
            </Show>
        </fieldset>
    }
}

/// The resources editor wired to the draft, with the model's and the server's messages about them.
#[component]
fn ResourcesField() -> impl IntoView {
    let form = expect_context::<FormState>();
    let path = FieldPath::lookup("resources").expect("resources is a field");
    let resmode = FieldPath::lookup("resmode").expect("resmode is a field");
    let saved = form
        .draft
        .with_untracked(|draft| resources_of(draft.get(path.as_str())));
    let resources = Signal::derive(move || resources_of(form.value(path).as_ref()));
    let ties = Signal::derive(move || {
        Ties::of_resmode(
            form.value(resmode)
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or_default(),
        )
    });
    let on_change = Callback::new(move |resources: Vec<Resource>| {
        form.set(
            path,
            serde_json::to_value(resources).expect("resources serialize"),
        );
    });
    let message = Memo::new(move |_| form.message_for(path));
    view! {
        <ResourceEditor resources=resources saved=saved ties=ties on_change=on_change/>
        <p class="field-error" id="f-resources-error" role="alert">{move || message.get()}</p>
    }
}

fn resources_of(value: Option<&Value>) -> Vec<Resource> {
    value
        .cloned()
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default()
}
