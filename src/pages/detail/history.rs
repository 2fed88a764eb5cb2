//! "History" on a hunt's page: its revisions, newest first, each as who, when, how (by hand, a
//! bulk change, an import, an undo) and what (each field by its label, before and after, the
//! ring in words); and "Restore this version", which shows first exactly which fields will go
//! back, then sends the one PATCH that puts them back, guarded as every write is. Where the
//! server keeps no history (the extension is missing), one line says so.

use hunts_model::history::{Action as Did, FieldChange, Revision, field_changes, restoring_patch};
use hunts_model::priorities::{Ties, ring_preview};
use hunts_model::{FieldPath, Hunt, Resource};
use leptos::prelude::*;
use serde_json::Value;

use crate::api::{self, ApiError};
use crate::components::hunt_loader::ReadAgain;
use crate::components::notice::use_notice;
use crate::components::sign_in::use_auth;
use crate::format;

/// Revisions shown; one more is read, for the values before the oldest shown.
const SHOWN: u64 = 20;

#[component]
pub fn HuntHistory(hunt: Hunt, etag: Option<String>) -> impl IntoView {
    let id = hunt.id.clone();
    let history = LocalResource::new(move || {
        let id = id.clone();
        async move { api::hunt_history(&id, SHOWN + 1).await }
    });
    let body = move || match history.get() {
        None => view! { <p class="subtle">"Reading the history…"</p> }.into_any(),
        Some(Err(error)) => view! {
            <p class="field-error" role="alert">{format!("The history could not be read: {error}")}</p>
        }
        .into_any(),
        Some(Ok(None)) => view! {
            <p class="subtle" data-testid="no-history">"This server keeps no history of changes."</p>
        }
        .into_any(),
        Some(Ok(Some((revisions, total)))) => {
            let older = |at: usize| revisions.get(at + 1).map(|older| older.hunt.clone());
            let items = revisions
                .iter()
                .take(SHOWN as usize)
                .enumerate()
                .map(|(at, revision)| {
                    view! {
                        <RevisionItem revision=revision.clone() before=older(at) newest={at == 0}
                            now=hunt.clone() etag=etag.clone()/>
                    }
                })
                .collect_view();
            let more = (total > SHOWN).then(|| {
                view! { <p class="subtle">{format!("The newest {SHOWN} of {total} revisions.")}</p> }
            });
            view! { <ol class="history" data-testid="history">{items}</ol> {more} }.into_any()
        }
    };
    view! {
        <section class="history-section" aria-labelledby="history-title">
            <h2 id="history-title">"History"</h2>
            {body}
        </section>
    }
}

/// Who wrote a revision, in words.
fn who(revision: &Revision) -> String {
    revision
        .by
        .clone()
        .unwrap_or_else(|| "Someone (sign-in off)".to_owned())
}

/// How a revision was written, from its change set.
fn how(change_set: Option<&str>) -> String {
    match change_set {
        None => "by hand".to_owned(),
        Some(hunts_model::history::BEFORE_HISTORY) => "before history was kept".to_owned(),
        Some(set) if set.starts_with("bulk ") => "in a bulk change".to_owned(),
        Some(set) if set.starts_with("import ") => "by an import".to_owned(),
        Some(set) if set.starts_with("undo ") => "by an undo".to_owned(),
        Some(set) => format!("in change set {set}"),
    }
}

/// A field's value as the detail page shows it; a ring in words.
fn shown(path: FieldPath, value: Option<&Value>, hunt: &Value) -> String {
    if path.as_str() != "resources" {
        return format::detail_value(path, value);
    }
    let ring: Vec<Resource> = value
        .and_then(|ring| serde_json::from_value(ring.clone()).ok())
        .unwrap_or_default();
    if ring.is_empty() {
        return "none".to_owned();
    }
    let resmode = hunt.get("resmode").and_then(Value::as_str).unwrap_or("");
    ring_preview(&ring, Ties::of_resmode(resmode))
}

/// One changed field: its label, before and after.
#[component]
fn ChangeLine(change: FieldChange, before: Value, after: Value) -> impl IntoView {
    let label = change.path.label();
    let old = shown(change.path, change.before.as_ref(), &before);
    let new = shown(change.path, change.after.as_ref(), &after);
    view! { <li><span class="field-label">{label}</span>": " {old} " → " {new}</li> }
}

fn change_lines(before: &Value, after: &Value) -> impl IntoView + use<> {
    field_changes(before, after)
        .into_iter()
        .map(|change| view! { <ChangeLine change=change before=before.clone() after=after.clone()/> })
        .collect_view()
}

/// One revision: its line, what it changed, and (but for the newest) Restore.
#[component]
fn RevisionItem(
    revision: Revision,
    /// The hunt as the revision before left it, if read.
    before: Option<Value>,
    newest: bool,
    now: Hunt,
    etag: Option<String>,
) -> impl IntoView {
    let when = format::when(&revision.at);
    let ago = format::ago(&revision.at).unwrap_or_else(|| revision.at.clone());
    let action = match revision.action {
        Did::Create => "created it",
        Did::Change => "changed it",
        Did::Delete => "deleted it",
    };
    let what = match (revision.action, &before) {
        (Did::Change, Some(before)) => Some(change_lines(before, &revision.hunt).into_any()),
        // The oldest read: only what it set.
        (Did::Change, None) => Some(
            change_lines(&Value::Object(Default::default()), &revision.patch).into_any(),
        ),
        _ => None,
    };
    let restorable = !newest && revision.action != Did::Delete;
    view! {
        <li class="revision" data-revision=revision.revision>
            <p>
                <strong>{who(&revision)}</strong> " " {action} " · "
                <span title=when.map(|when| when.exact)>{ago}</span> " · " {how(revision.change_set.as_deref())}
                <span class="subtle">{format!(" · revision {}", revision.revision)}</span>
            </p>
            {what.map(|lines| view! { <ul class="changes">{lines}</ul> })}
            {restorable.then(|| view! { <RestoreVersion then=revision.hunt.clone() number=revision.revision now=now etag=etag/> })}
        </li>
    }
}

/// "Restore this version": the fields that will go back, then one guarded PATCH.
#[component]
fn RestoreVersion(then: Value, number: i64, now: Hunt, etag: Option<String>) -> impl IntoView {
    let (asking, set_asking) = signal(false);
    let notice = use_notice();
    let read_again = use_context::<ReadAgain>();
    let auth = use_auth();
    let now_json = now.to_json();
    let back = restoring_patch(&now_json, &then);
    let (now_for_lines, then_for_lines) = (now_json.clone(), then.clone());
    let nothing = back.as_object().is_none_or(|fields| fields.is_empty());
    let restore = Action::new_local(move |(): &()| {
        let (id, patch, etag, read) = (now.id.clone(), back.clone(), etag.clone(), now.clone());
        let code = read.code.clone();
        async move {
            api::patch_if(&id, &patch, etag.as_deref(), &|hunt| *hunt == read).await?;
            notice.show(format!("Restored hunt {code} to revision {number}"));
            if let Some(read_again) = read_again {
                read_again.ask();
            }
            Ok::<(), ApiError>(())
        }
    });
    let (outcome, pending) = (restore.value(), restore.pending());
    let refusal = move || {
        outcome.get().and_then(Result::err).map(|error| {
            let words = match error.status() {
                Some(412) => "Not restored: someone changed the hunt since this page read it. Reload the page to see their change.".to_owned(),
                _ => format!("Not restored: {error}"),
            };
            view! { <p class="field-error" role="alert">{words}</p> }
        })
    };
    view! {
        <Show when=move || auth.can_write()>
            <button type="button" aria-expanded=move || asking.get().to_string()
                on:click=move |_| set_asking.update(|open| *open = !*open)>"Restore this version"</button>
        </Show>
        <Show when=move || asking.get()>
            <div class="restore-preview" role="group" aria-label=format!("Restore revision {number}")>
                {if nothing {
                    view! { <p>"The hunt holds this version's values now: nothing to restore."</p> }.into_any()
                } else {
                    view! {
                        <p>"Restoring puts back:"</p>
                        <ul class="changes">{change_lines(&now_for_lines, &then_for_lines)}</ul>
                        <button type="button" class="primary" disabled=move || pending.get()
                            on:click=move |_| { restore.dispatch(()); }>"Restore"</button>
                    }
                    .into_any()
                }}
                {refusal}
            </div>
        </Show>
    }
}
