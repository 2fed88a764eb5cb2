//! Choosing the change to make to the selected hunts: add, remove or replace a resource, block
//! or unblock, set a field, or delete them. What is typed is checked here; what the change does to each hunt
//! is the preview's to show.

use hunts_model::bulk::{BulkChange, Placement};
use hunts_model::{FieldPath, Kind};
use leptos::ev;
use leptos::prelude::*;
use serde_json::Value;

/// The fields a bulk change may set: the ones admins set across many queues.
const SETTABLE: &[&str] = &[
    "priority",
    "weight",
    "type",
    "objmode",
    "resmode",
    "reslimit",
    "maxattempts",
    "maxattemptstrannumber",
    "timeout",
    "timeouttrannumber",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum ChangeKind {
    AddResource,
    RemoveResource,
    ReplaceResource,
    Block,
    Unblock,
    SetField,
    Delete,
}

const KINDS: [(ChangeKind, &str, &str); 7] = [
    (ChangeKind::AddResource, "add-resource", "Add a resource"),
    (
        ChangeKind::RemoveResource,
        "remove-resource",
        "Remove a resource",
    ),
    (
        ChangeKind::ReplaceResource,
        "replace-resource",
        "Replace a resource",
    ),
    (ChangeKind::Block, "block", "Block"),
    (ChangeKind::Unblock, "unblock", "Unblock"),
    (ChangeKind::SetField, "set-field", "Set a field"),
    (ChangeKind::Delete, "delete", "Delete the hunts"),
];

/// What the inputs hold, read when Preview is pressed.
#[derive(Clone, Copy)]
struct Inputs {
    resource: RwSignal<String>,
    other: RwSignal<String>,
    placement: RwSignal<String>,
    priority: RwSignal<String>,
    reason: RwSignal<String>,
    expires: RwSignal<String>,
    field: RwSignal<String>,
    value: RwSignal<String>,
}

fn whole(text: &str, what: &str) -> Result<i64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{what} must be a whole number"))
}

fn resource_id(text: &str, what: &str) -> Result<String, String> {
    let id = text.trim();
    if id.is_empty() {
        return Err(format!("Type the {what}"));
    }
    Ok(id.to_owned())
}

fn build(kind: ChangeKind, inputs: Inputs) -> Result<BulkChange, String> {
    let read = |signal: RwSignal<String>| signal.get_untracked();
    Ok(match kind {
        ChangeKind::AddResource => {
            let placement = match read(inputs.placement).as_str() {
                "top" => Placement::Top,
                "bottom" => Placement::Bottom,
                _ => {
                    let priority = whole(&read(inputs.priority), "The priority")?;
                    Placement::Priority(
                        i32::try_from(priority)
                            .map_err(|_| "The priority is too large".to_owned())?,
                    )
                }
            };
            BulkChange::AddResource {
                id: resource_id(&read(inputs.resource), "resource's id")?,
                placement,
            }
        }
        ChangeKind::RemoveResource => BulkChange::RemoveResource {
            id: resource_id(&read(inputs.resource), "resource's id")?,
        },
        ChangeKind::ReplaceResource => BulkChange::ReplaceResource {
            from: resource_id(&read(inputs.resource), "id of the resource to replace")?,
            to: resource_id(
                &read(inputs.other),
                "id of the resource that takes its place",
            )?,
        },
        ChangeKind::Block => {
            let expires = read(inputs.expires);
            let expires = if expires.trim().is_empty() {
                0
            } else {
                FieldPath::lookup("huntblock.expires")
                    .expect("a field of the catalog")
                    .typed_count(&expires)?
            };
            BulkChange::Block {
                reason: read(inputs.reason).trim().to_owned(),
                expires,
            }
        }
        ChangeKind::Unblock => BulkChange::Unblock,
        ChangeKind::Delete => BulkChange::Delete,
        ChangeKind::SetField => {
            let path = FieldPath::lookup(&read(inputs.field)).ok_or("Choose a field")?;
            let text = read(inputs.value);
            let value = match path.kind() {
                Kind::Count => Value::from(path.typed_count(&text)?),
                _ => Value::String(text.trim().to_owned()),
            };
            BulkChange::SetField { path, value }
        }
    })
}

/// `on_edit` hears of every edit of the change and of every refusal of what is typed: a preview
/// on show no longer matches the change, and is withdrawn before anything else can be clicked.
#[component]
pub fn ChangeForm(
    on_preview: Callback<BulkChange>,
    on_edit: Callback<()>,
    disabled: Signal<bool>,
) -> impl IntoView {
    let (kind, set_kind) = signal(ChangeKind::AddResource);
    let inputs = Inputs {
        resource: RwSignal::new(String::new()),
        other: RwSignal::new(String::new()),
        placement: RwSignal::new("bottom".to_owned()),
        priority: RwSignal::new(String::new()),
        reason: RwSignal::new(String::new()),
        expires: RwSignal::new(String::new()),
        field: RwSignal::new(SETTABLE[0].to_owned()),
        value: RwSignal::new(String::new()),
    };
    let (problem, set_problem) = signal(None::<String>);
    let submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        match build(kind.get_untracked(), inputs) {
            Ok(change) => {
                set_problem.set(None);
                on_preview.run(change);
            }
            Err(message) => {
                set_problem.set(Some(message));
                on_edit.run(());
            }
        }
    };
    let edited = move |signal: RwSignal<String>, value: String| {
        signal.set(value);
        on_edit.run(());
    };
    let text_input = move |id: &'static str, label: &'static str, signal: RwSignal<String>| {
        view! {
            <label for=id>{label}</label>
            <input id=id autocomplete="off" prop:value=signal on:input:target=move |event| edited(signal, event.target().value())/>
        }
    };
    let fields = move || {
        match kind.get() {
        ChangeKind::AddResource => view! {
            {text_input("bulk-resource", "Resource id", inputs.resource)}
            <label for="bulk-placement">"Where"</label>
            <select id="bulk-placement" on:change:target=move |event| edited(inputs.placement, event.target().value())>
                <option value="bottom" selected=move || inputs.placement.get() == "bottom">"at the bottom of each ring"</option>
                <option value="top" selected=move || inputs.placement.get() == "top">"at the top of each ring"</option>
                <option value="priority" selected=move || inputs.placement.get() == "priority">"at a priority"</option>
            </select>
            <Show when=move || inputs.placement.get() == "priority">
                {text_input("bulk-priority", "Priority", inputs.priority)}
            </Show>
        }
        .into_any(),
        ChangeKind::RemoveResource => text_input("bulk-resource", "Resource id", inputs.resource).into_any(),
        ChangeKind::ReplaceResource => view! {
            {text_input("bulk-resource", "Replace resource", inputs.resource)}
            {text_input("bulk-other", "by resource", inputs.other)}
        }
        .into_any(),
        ChangeKind::Block => view! {
            {text_input("bulk-reason", "Reason", inputs.reason)}
            {text_input("bulk-expires", "Expires after (8 h, 90 min; 0 = until unblocked)", inputs.expires)}
        }
        .into_any(),
        ChangeKind::Unblock => ().into_any(),
        ChangeKind::Delete => view! {
            <span class="subtle" data-testid="delete-note">{match crate::api::keeps_ids() {
                true => "Each hunt is deleted; Undo creates them again, ids and all.",
                false => "Each hunt is deleted; Undo creates them again, but under new ids: this \
                          platform does not keep ids, so links and references to the old ids break.",
            }}</span>
        }
        .into_any(),
        ChangeKind::SetField => view! {
            <label for="bulk-field">"Field"</label>
            <select id="bulk-field" on:change:target=move |event| edited(inputs.field, event.target().value())>
                {SETTABLE
                    .iter()
                    .filter_map(|name| FieldPath::lookup(name))
                    .map(|path| view! { <option value=path.as_str()>{path.label()}</option> })
                    .collect_view()}
            </select>
            {text_input("bulk-value", "Value", inputs.value)}
        }
        .into_any(),
    }
    };
    view! {
        <form class="bulk-change" on:submit=submit>
            <label for="bulk-kind">"Change"</label>
            <select
                id="bulk-kind"
                on:change:target=move |event| {
                    let chosen = event.target().value();
                    if let Some((kind, _, _)) = KINDS.iter().find(|(_, value, _)| *value == chosen) {
                        set_kind.set(*kind);
                        set_problem.set(None);
                        on_edit.run(());
                    }
                }
            >
                {KINDS.iter().map(|(_, value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
            </select>
            {fields}
            <button type="submit" disabled=move || disabled.get()>"Preview"</button>
            <span class="field-error" role="alert">{move || problem.get()}</span>
        </form>
    }
}
