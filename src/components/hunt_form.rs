//! The one form for creating and editing a hunt. It keeps a draft in the flat form, checks it
//! with the shared model as the user types (so the app and the server word every mistake the
//! same), puts a server error on its field, and never resets what the user typed.

use std::collections::HashSet;

use hunts_model::{
    Hunt, ModelError, Resource, Strategy, flatten, merge_diff, unflatten, validate_input,
};
use leptos::ev;
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::api::ApiError;
use crate::components::resource_editor::ResourceEditor;
use crate::components::unsaved::use_unsaved;

/// What the form hands back on Save: the whole hunt as entered, and for an edit the merge patch
/// of just the changed fields.
#[derive(Clone, Debug)]
pub struct Submission {
    pub hunt: Value,
    pub patch: Value,
}

#[derive(Clone, Copy)]
struct FormState {
    draft: RwSignal<Map<String, Value>>,
    touched: RwSignal<HashSet<&'static str>>,
    submitted: RwSignal<bool>,
    errors: Memo<Vec<ModelError>>,
    server_error: RwSignal<Option<ApiError>>,
}

pub fn input_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// Whether an error about `field` (`resources[2].id`, say) belongs under the input for `path`.
fn concerns(field: &str, path: &str) -> bool {
    field == path
        || field
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('['))
}

impl FormState {
    fn message_for(self, path: &'static str) -> Option<String> {
        if let Some(error) = self.server_error.get()
            && error.field().is_some_and(|field| concerns(field, path))
        {
            return Some(error.to_string());
        }
        if !self.submitted.get() && !self.touched.with(|touched| touched.contains(path)) {
            return None;
        }
        self.errors.with(|errors| {
            errors
                .iter()
                .find(|error| error.field().is_some_and(|field| concerns(field, path)))
                .map(ToString::to_string)
        })
    }

    fn set(self, path: &'static str, value: Value) {
        self.draft.update(|draft| {
            draft.insert(path.to_owned(), value);
        });
        self.touched.update(|touched| {
            touched.insert(path);
        });
        if self.server_error.with_untracked(|error| {
            error
                .as_ref()
                .and_then(ApiError::field)
                .is_some_and(|field| concerns(field, path))
        }) {
            self.server_error.set(None);
        }
    }

    fn text(self, path: &str) -> String {
        self.draft.with_untracked(|draft| match draft.get(path) {
            Some(Value::String(text)) => text.clone(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        })
    }
}

/// A number as typed: a JSON number when it reads as one, else the text itself, which the model
/// then refuses with its own message ("weight must be a whole number of 0 or more").
fn number_or_text(text: &str) -> Value {
    let trimmed = text.trim();
    if let Ok(whole) = trimmed.parse::<i64>() {
        return Value::from(whole);
    }
    match trimmed.parse::<f64>() {
        Ok(real) if real.is_finite() => Value::from(real),
        _ => Value::String(text.to_owned()),
    }
}

/// The draft (flat form) as the hunt JSON it stands for. A simple strategy has no seconds.
fn draft_to_hunt(draft: &Map<String, Value>) -> Value {
    let mut flat = draft.clone();
    if flat.get("strategy.mode").and_then(Value::as_str) != Some("timers") {
        flat.remove("strategy.seconds");
    }
    unflatten(&flat)
}

fn hunt_to_draft(hunt: &Hunt) -> Map<String, Value> {
    let Value::Object(mut draft) = flatten(&hunt.to_json()) else {
        unreachable!("a hunt flattens to an object")
    };
    for server_field in ["id", "ext.ct", "ext.lwt"] {
        draft.remove(server_field);
    }
    if let Strategy::Simple = hunt.strategy {
        draft.insert("strategy.seconds".to_owned(), Value::Array(Vec::new()));
    }
    draft
}

#[derive(Clone, Copy)]
enum Control {
    Text,
    Count(&'static str),
    Seconds,
    Suggest(&'static [&'static str]),
    LongText,
}

#[component]
fn Field(
    path: &'static str,
    label: &'static str,
    control: Control,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let form = expect_context::<FormState>();
    let id = input_id(path);
    let error_id = format!("{id}-error");
    let (raw, set_raw) = signal(form.text(path));
    let message = Memo::new(move |_| form.message_for(path));
    let on_text = move |text: String| {
        let value = match control {
            Control::Count(_) => number_or_text(&text),
            Control::Seconds => Value::Array(
                text.split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(number_or_text)
                    .collect(),
            ),
            Control::Text | Control::Suggest(_) | Control::LongText => Value::String(text.clone()),
        };
        set_raw.set(text);
        form.set(path, value);
    };
    let list_id = format!("{id}-choices");
    let input = match control {
        Control::LongText => view! {
            <textarea
                id=id.clone()
                rows="3"
                aria-describedby=error_id.clone()
                aria-invalid=move || message.get().is_some().to_string()
                prop:value=raw
                on:input:target=move |event| on_text(event.target().value())
            ></textarea>
        }
        .into_any(),
        _ => view! {
            <input
                id=id.clone()
                type="text"
                inputmode=match control { Control::Count(_) | Control::Seconds => "numeric", _ => "text" }
                list=match control { Control::Suggest(_) => Some(list_id.clone()), _ => None }
                autocomplete="off"
                aria-describedby=error_id.clone()
                aria-invalid=move || message.get().is_some().to_string()
                prop:value=raw
                on:input:target=move |event| on_text(event.target().value())
            />
        }
        .into_any(),
    };
    let suffix = match control {
        Control::Count(unit) if !unit.is_empty() => {
            Some(view! { <span class="unit">{unit}</span> })
        }
        _ => None,
    };
    let choices = match control {
        Control::Suggest(options) => Some(view! {
            <datalist id=list_id.clone()>{options.iter().map(|option| view! { <option value=*option></option> }).collect_view()}</datalist>
        }),
        _ => None,
    };
    view! {
        <div class="field" class:invalid=move || message.get().is_some()>
            <label for=id>{label}</label>
            <div class="control">{input}{suffix}{choices}</div>
            {(!hint.is_empty()).then(|| view! { <small class="hint">{hint}</small> })}
            <p class="field-error" id=error_id role="alert">{move || message.get()}</p>
        </div>
    }
}

#[component]
fn Toggle(path: &'static str, label: &'static str) -> impl IntoView {
    let form = expect_context::<FormState>();
    let id = input_id(path);
    let checked = move || {
        form.draft
            .with(|draft| draft.get(path).and_then(Value::as_bool).unwrap_or(false))
    };
    view! {
        <div class="field toggle">
            <label for=id.clone()>
                <input
                    type="checkbox"
                    role="switch"
                    id=id.clone()
                    prop:checked=checked
                    on:change:target=move |event| form.set(path, Value::Bool(event.target().checked()))
                />
                {label}
            </label>
        </div>
    }
}

#[component]
fn StrategyMode() -> impl IntoView {
    let form = expect_context::<FormState>();
    let path = "strategy.mode";
    let mode = move || {
        form.draft.with(|draft| {
            draft
                .get(path)
                .and_then(Value::as_str)
                .unwrap_or("simple")
                .to_owned()
        })
    };
    view! {
        <fieldset class="field strategy">
            <legend>"Strategy"</legend>
            {["simple", "timers"]
                .into_iter()
                .map(|choice| {
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
                            {if choice == "simple" { "Simple: ring once" } else { "Timers: ring in rounds" }}
                        </label>
                    }
                })
                .collect_view()}
            <Show when=move || mode() == "timers">
                <Field path="strategy.seconds" label="Seconds per round" control=Control::Seconds hint="Comma-separated, e.g. 5, 10, 20"/>
            </Show>
        </fieldset>
    }
}

/// The resources editor wired to the draft, with the model's and the server's messages about them.
#[component]
fn ResourcesField(saved: Vec<Resource>) -> impl IntoView {
    let form = expect_context::<FormState>();
    let resources = Signal::derive(move || {
        form.draft.with(|draft| {
            draft
                .get("resources")
                .cloned()
                .and_then(|value| serde_json::from_value(value).ok())
                .unwrap_or_default()
        })
    });
    let random_ties = Signal::derive(move || {
        form.draft
            .with(|draft| draft.get("resmode").and_then(Value::as_str) == Some("priorityrandom"))
    });
    let on_change = Callback::new(move |resources: Vec<Resource>| {
        form.set(
            "resources",
            serde_json::to_value(resources).expect("resources serialize"),
        );
    });
    let message = Memo::new(move |_| form.message_for("resources"));
    view! {
        <ResourceEditor resources=resources saved=saved random_ties=random_ties on_change=on_change/>
        <p class="field-error" id="f-resources-error" role="alert">{move || message.get()}</p>
    }
}

/// The form. `initial` is the hunt being edited (or the defaults, to create); `on_submit` gets the
/// entered hunt once the model accepts it; `server_error` is where the page puts a refusal.
#[component]
pub fn HuntForm(
    initial: Hunt,
    submit_label: &'static str,
    pending: Signal<bool>,
    server_error: RwSignal<Option<ApiError>>,
    on_submit: Callback<Submission>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let initial_hunt = draft_to_hunt(&hunt_to_draft(&initial));
    let draft = RwSignal::new(hunt_to_draft(&initial));
    let entered = Memo::new(move |_| draft.with(draft_to_hunt));
    let errors = Memo::new(move |_| entered.with(validate_input));
    let form = FormState {
        draft,
        touched: RwSignal::new(HashSet::new()),
        submitted: RwSignal::new(false),
        errors,
        server_error,
    };
    provide_context(form);

    let initial_for_dirty = initial_hunt.clone();
    let dirty = Memo::new(move |_| entered.with(|entered| *entered != initial_for_dirty));

    // Leaving with unsaved changes asks first (see `unsaved`); a save in flight is not "unsaved".
    let unsaved = use_unsaved();
    Effect::new(move |_| unsaved.set(dirty.get() && !pending.get()));
    on_cleanup(move || unsaved.set(false));

    let submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        form.submitted.set(true);
        if let Some(first) = errors.with_untracked(|errors| {
            errors
                .iter()
                .find_map(|error| error.field().map(str::to_owned))
        }) {
            focus_field(&first);
            return;
        }
        let hunt = entered.get_untracked();
        let patch = merge_diff(&initial_hunt, &hunt);
        on_submit.run(Submission { hunt, patch });
    };
    let cancel = move |_| {
        let discard = !dirty.get_untracked()
            || window()
                .confirm_with_message("Discard your unsaved changes?")
                .unwrap_or(false);
        if discard {
            on_cancel.run(());
        }
    };
    let general_error = move || {
        server_error.get().filter(|error| error.field().is_none_or(|field| !FORM_FIELDS.iter().any(|path| concerns(field, path))))
            .map(|error| match error.status() {
                Some(412) => "Someone else changed this hunt since you opened it. Your edits are still here; \
                              copy what you need, then reload to see their version."
                    .to_owned(),
                _ => error.to_string(),
            })
    };
    let error_count = move || {
        let count = errors.with(Vec::len);
        (form.submitted.get() && count > 0)
            .then(|| format!("{count} field(s) need attention before saving."))
    };

    view! {
        <form class="hunt-form" novalidate on:submit=submit>
            <p class="form-error" role="alert">{general_error}</p>
            <p class="form-error" role="status">{error_count}</p>
            <fieldset>
                <legend>"Identity"</legend>
                <Field path="code" label="Code" control=Control::Text hint="Unique; how the platform names this queue"/>
                <Field path="phonenumber" label="Phone number" control=Control::Text hint="Unique when set"/>
                <Field path="displayname" label="Display name" control=Control::Text/>
                <Field path="opts.title" label="Title" control=Control::Text/>
                <Field path="type" label="Type" control=Control::Suggest(&["sipuser"])/>
            </fieldset>
            <fieldset>
                <legend>"Routing"</legend>
                <StrategyMode/>
                <Field path="resmode" label="Resource mode" control=Control::Suggest(&["priorityrandom"])/>
                <Field path="objmode" label="Queue mode" control=Control::Suggest(&["spq", "spqwfq"]) hint="spq: strict priority; spqwfq: with weighted fair queuing"/>
                <Field path="priority" label="Priority" control=Control::Count("")/>
                <Field path="weight" label="Weight" control=Control::Count("") hint="Share under weighted fair queuing"/>
                <Field path="reslimit" label="Resource limit" control=Control::Count("") hint="0 = no limit"/>
                <Toggle path="opts.exit_no_resource" label="Leave the queue when no resource is available"/>
            </fieldset>
            <fieldset class="resources-fieldset">
                <legend>"Resources in ring order"</legend>
                <ResourcesField saved=initial.resources.clone()/>
            </fieldset>
            <fieldset>
                <legend>"Attempts and timeouts"</legend>
                <Field path="maxattempts" label="Max attempts" control=Control::Count("") hint="0 = no limit"/>
                <Field path="maxattemptstrannumber" label="Then transfer to" control=Control::Text/>
                <Field path="timeout" label="Timeout" control=Control::Count("s") hint="0 = off"/>
                <Field path="timeouttrannumber" label="On timeout transfer to" control=Control::Text/>
                <Field path="resdialtimeout" label="Resource dial timeout" control=Control::Count("s") hint="0 = off"/>
                <Field path="resbansec" label="Resource ban" control=Control::Count("s") hint="0 = off"/>
            </fieldset>
            <fieldset>
                <legend>"IVR scripts"</legend>
                <Field path="wivrscript" label="Welcome" control=Control::Text/>
                <Field path="preivrscript" label="Before queue" control=Control::Text/>
                <Field path="qivrscript" label="In queue" control=Control::Text/>
            </fieldset>
            <fieldset>
                <legend>"Block"</legend>
                <Toggle path="huntblock.enabled" label="Blocked: calls are not queued"/>
                <Field path="huntblock.expires" label="Block expires after" control=Control::Count("s") hint="0 = until unblocked"/>
                <Field path="huntblock.reason" label="Reason" control=Control::Text/>
            </fieldset>
            <fieldset>
                <legend>"Notes"</legend>
                <Field path="opts.comment" label="Comment" control=Control::LongText/>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Saving…" } else { submit_label }}
                </button>
                <button type="button" on:click=cancel>"Cancel"</button>
                <span class="subtle">{move || dirty.get().then_some("Unsaved changes")}</span>
            </div>
        </form>
    }
}

/// The paths the form has an input for: a server error about another field shows at the top.
const FORM_FIELDS: &[&str] = &[
    "code",
    "phonenumber",
    "displayname",
    "opts.title",
    "type",
    "strategy.seconds",
    "resmode",
    "objmode",
    "priority",
    "weight",
    "reslimit",
    "maxattempts",
    "maxattemptstrannumber",
    "timeout",
    "timeouttrannumber",
    "resdialtimeout",
    "resbansec",
    "wivrscript",
    "preivrscript",
    "qivrscript",
    "huntblock.expires",
    "huntblock.reason",
    "opts.comment",
    "resources",
];

fn focus_field(field: &str) {
    let path = FORM_FIELDS
        .iter()
        .find(|path| concerns(field, path))
        .copied()
        .unwrap_or(field);
    if let Some(element) = document().get_element_by_id(&input_id(path))
        && let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element)
    {
        let _ = element.focus();
    }
}
