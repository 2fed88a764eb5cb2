//! The one form for creating and editing a hunt. It keeps a draft in the flat form, checks it
//! with the shared model as the user types (so the app and the server word every mistake the
//! same), puts a server error on its field, and never resets what the user typed. Its sections
//! and inputs come from the model's field catalog.

mod form_state;
mod inputs;
mod merge_in;
mod routing_warning;

use std::collections::HashSet;

use hunts_model::{FieldPath, Hunt, Section, merge_diff, validate_input};
use leptos::ev;
use leptos::prelude::*;
use serde_json::Value;

use crate::api::ApiError;
use crate::components::unsaved::use_unsaved;
use crate::{dom, fault};
use form_state::{FormState, draft_to_hunt, field_of, hunt_to_draft, input_id};
use inputs::FieldInput;
use merge_in::{CLASHES, MergeNews, use_merge_in};
use routing_warning::RoutingWarning;

/// What the form hands back on Save: the whole hunt as entered, and for an edit the merge patch
/// of just the changed fields.
#[derive(Clone, Debug)]
pub struct Submission {
    pub hunt: Value,
    pub patch: Value,
}

/// The form. `initial` is the hunt being edited (or the defaults, to create); `on_submit` gets the
/// entered hunt once the model accepts it; `server_errors` are the last save's refusals.
#[component]
pub fn HuntForm(
    initial: Hunt,
    submit_label: &'static str,
    pending: Signal<bool>,
    server_errors: Signal<Vec<ApiError>>,
    on_submit: Callback<Submission>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    // After a fault, or a sign-in after the session ended, the form starts from the draft the
    // user had, over the hunt they had it from: Save sends only what they changed (see `fault.rs`).
    let (initial_hunt, draft) = match fault::take_kept_draft() {
        Some(kept) => (kept.base, kept.draft),
        None => (
            draft_to_hunt(&hunt_to_draft(&initial)),
            hunt_to_draft(&initial),
        ),
    };
    let draft = RwSignal::new(draft);
    let entered = Memo::new(move |_| draft.with(draft_to_hunt));
    let errors = Memo::new(move |_| entered.with(validate_input));
    let form = FormState {
        draft,
        touched: RwSignal::new(HashSet::new()),
        edited_since_save: RwSignal::new(HashSet::new()),
        submitted: RwSignal::new(false),
        errors,
        server_errors,
    };
    provide_context(form);
    // Save sends what changed since `merge.base`: the hunt as opened, then each newer version
    // of it merged in (on the edit page).
    let merge = use_merge_in(initial_hunt, draft, pending);
    let base = merge.base;

    let dirty = Memo::new(move |_| base.with(|base| entered.with(|entered| entered != base)));
    // Leaving with unsaved changes asks first; a save in flight is not "unsaved".
    let unsaved = use_unsaved();
    unsaved.watch(Signal::derive(move || dirty.get() && !pending.get()));
    // The draft waits in the tab's storage while it has changes, for a reload after a fault.
    Effect::new(move |_| {
        base.with(|base| {
            draft.with(|draft| fault::remember_draft(dirty.get().then_some((draft, base))));
        });
    });
    on_cleanup(|| fault::remember_draft(None));

    let submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        form.submitted.set(true);
        form.edited_since_save.set(HashSet::new());
        let first_problem = errors.with_untracked(|errors| {
            errors
                .iter()
                .find_map(|error| error.field().and_then(field_of))
        });
        if let Some(path) = first_problem {
            return dom::focus_by_id(input_id(path));
        }
        if errors.with_untracked(|errors| !errors.is_empty()) {
            return;
        }
        // Each field both this admin and someone else changed is chosen first.
        if merge.clashes.with_untracked(|clashes| !clashes.is_empty()) {
            return dom::focus_by_id(CLASHES.to_owned());
        }
        let hunt = entered.get_untracked();
        let patch = base.with_untracked(|base| merge_diff(base, &hunt));
        on_submit.run(Submission { hunt, patch });
    };
    let cancel = move |_| {
        if unsaved.confirm_leave() {
            on_cancel.run(());
        }
    };
    // Every refusal of a save is said by the Save button, where the user is, in a summary that
    // takes focus (and so is read out); each one about a field is also under that field, and
    // its line in the summary leads there. A lost session is the sign-in dialog's to say.
    let refusals = Memo::new(move |_| {
        server_errors.with(|errors| {
            errors
                .iter()
                .filter(|error| error.status() != Some(401))
                .map(|error| (error.field().and_then(field_of), refusal_words(error)))
                .collect::<Vec<_>>()
        })
    });
    Effect::new(move |_| {
        if refusals.with(|refusals| !refusals.is_empty()) {
            dom::focus_by_id(REFUSALS.to_owned());
        }
    });
    let refusal_summary = move || {
        let refusals = refusals.get();
        (!refusals.is_empty()).then(|| {
            let lines = refusals
                .into_iter()
                .map(|(path, words)| match path {
                    Some(path) => view! {
                        <li><a href=format!("#{}", input_id(path)) on:click=move |event| {
                            event.prevent_default();
                            dom::focus_by_id(input_id(path));
                        }>{path.label()}</a>": "{words}</li>
                    }
                    .into_any(),
                    None => view! { <li>{words}</li> }.into_any(),
                })
                .collect_view();
            view! {
                <div id=REFUSALS class="form-error refusals" role="alert" tabindex="-1">
                    <p>"Not saved:"</p>
                    <ul>{lines}</ul>
                </div>
            }
        })
    };
    let error_count = move || {
        let count = errors.with(Vec::len);
        (form.submitted.get() && count > 0).then(|| {
            let need = if count == 1 { "needs" } else { "need" };
            format!(
                "{} {need} attention before saving.",
                crate::format::counted(count as u64, "field")
            )
        })
    };

    view! {
        <form class="hunt-form" novalidate on:submit=submit>
            <MergeNews merge=merge/>
            <p class="form-error" role="status">{error_count}</p>
            {Section::ALL
                .into_iter()
                .filter(|section| FieldPath::in_section(*section).any(|path| !path.field().server_set))
                .map(|section| view! { <FormSection section=section/> })
                .collect_view()}
            <RoutingWarning entered=entered id=initial.id.clone()/>
            <div class="form-actions">
                <button type="submit" class="primary" aria-keyshortcuts="Control+S" disabled=move || pending.get()>
                    {move || if pending.get() { "Saving…" } else { submit_label }}
                </button>
                <button type="button" aria-keyshortcuts="Escape" on:click=cancel>"Cancel"</button>
                <span class="subtle">{move || dirty.get().then_some("Unsaved changes")}</span>
            </div>
            {refusal_summary}
        </form>
    }
}

/// The id of the summary of a save's refusals.
const REFUSALS: &str = "form-refusals";

/// A refusal as the summary words it.
fn refusal_words(error: &ApiError) -> String {
    match error.status() {
        Some(412) => "Someone else changed this hunt since you opened it. Their version is read \
                      and merged with your edits above: check it, then save again."
            .to_owned(),
        _ => error.to_string(),
    }
}

/// One section's inputs, in the catalog's order.
#[component]
fn FormSection(section: Section) -> impl IntoView {
    view! {
        <fieldset class:resources-fieldset=section == Section::Resources>
            <legend>{section.title()}</legend>
            {FieldPath::in_section(section)
                .filter(|path| !path.field().server_set)
                .map(|path| view! { <FieldInput path=path/> })
                .collect_view()}
        </fieldset>
    }
}
