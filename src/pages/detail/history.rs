//! "History" on a hunt's page: its revisions, newest first, each as who, when, how (by hand, a
//! bulk change, an import, an undo) and what (each field by its label, before and after, the
//! ring in words); and "Restore this version", which shows first exactly which fields will go
//! back, then sends the one PATCH that puts them back, guarded as every write is. Where the
//! server keeps no history (the extension is missing), one line says so.

use hunts_model::Hunt;
use hunts_model::history::{field_changes, restoring_patch};
use leptos::prelude::*;
use serde_json::Value;

use crate::api;
use crate::components::hunt_loader::ReadAgain;
use crate::components::notice::use_notice;
use crate::components::sign_in::use_auth;
use crate::format::{self, escaped};

/// Revisions shown; one more is read, for the values before the oldest shown.
const SHOWN: u64 = 20;

/// The history as read: none yet, why not, none kept (`None`), or the revisions and their total.
type Read = Option<Result<Option<(Vec<Value>, u64)>, String>>;

#[component]
pub fn HuntHistory(hunt: Hunt, etag: Option<String>) -> impl IntoView {
    // A signal set by a task, not a `LocalResource`: read once, and each resource type costs
    // kilobytes of wasm (360 kB is the budget, docs/size.md). `try_set`: the page may be gone.
    let history = RwSignal::new(Read::None);
    let id = hunt.id.clone();
    leptos::task::spawn_local(async move {
        let read = api::hunt_history(&id, SHOWN + 1).await;
        history.try_set(Some(read.map_err(|error| error.to_string())));
    });
    let body = move || {
        match history.get() {
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
            let older = |at: usize| revisions.get(at + 1).map(|older| older["hunt"].clone());
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
    }
    };
    view! {
        <section class="history-section" aria-labelledby="history-title">
            <h2 id="history-title">"History"</h2>
            {body}
        </section>
    }
}

/// Each changed field between two versions, a line each (label, before, after), as HTML
/// text for a `<ul class="changes">` (one string: less wasm than a component per line, the
/// budget being 360 kB, docs/size.md).
fn change_lines(before: &Value, after: &Value) -> String {
    field_changes(before, after)
        .into_iter()
        .map(|change| {
            format!(
                "<li><span class=\"field-label\">{}</span>: {} → {}</li>",
                escaped(change.path.label()),
                escaped(&format::field_words(
                    change.path,
                    change.before.as_ref(),
                    before
                )),
                escaped(&format::field_words(
                    change.path,
                    change.after.as_ref(),
                    after
                ))
            )
        })
        .collect()
}

/// One revision: its line, what it changed, and (but for the newest) Restore.
#[component]
fn RevisionItem(
    /// A `hunts_model::history::Revision`, as JSON.
    revision: Value,
    /// The hunt as the revision before left it, if read.
    before: Option<Value>,
    newest: bool,
    now: Hunt,
    etag: Option<String>,
) -> impl IntoView {
    let text = |name: &str| revision[name].as_str().unwrap_or_default().to_owned();
    let (at, action) = (text("at"), text("action"));
    let number = revision["revision"].as_i64().unwrap_or_default();
    let when = format::when(&at);
    let ago = format::ago(&at).unwrap_or_else(|| at.clone());
    let did = match action.as_str() {
        "create" => "created it",
        "delete" => "deleted it",
        _ => "changed it",
    };
    let what = match (action.as_str(), &before) {
        ("change", Some(before)) => Some(change_lines(before, &revision["hunt"])),
        // The oldest read: only what it set.
        ("change", None) => Some(change_lines(
            &Value::Object(Default::default()),
            &revision["patch"],
        )),
        _ => None,
    };
    let restorable = !newest && action != "delete";
    view! {
        <li class="revision" data-revision=number>
            <p>
                <strong>{format::who(&revision)}</strong> " " {did} " · "
                <span title=when.map(|when| when.exact)>{ago}</span> " · " {format::how(revision["change_set"].as_str())}
                <span class="subtle">{format!(" · revision {number}")}</span>
            </p>
            {what.map(|lines| view! { <ul class="changes" inner_html=lines></ul> })}
            {restorable.then(|| view! { <RestoreVersion then=revision["hunt"].clone() number=number now=now etag=etag/> })}
        </li>
    }
}

/// "Restore this version": the fields that will go back, then one guarded PATCH. (A task and
/// two signals rather than an `Action` and `<Show/>`s: the same behaviour in less wasm, 360 kB
/// being the budget; see docs/size.md.)
#[component]
fn RestoreVersion(then: Value, number: i64, now: Hunt, etag: Option<String>) -> impl IntoView {
    let asking = RwSignal::new(false);
    // `Some(words)` once a restore was refused; the empty text while one is being sent.
    let refused = RwSignal::new(None::<String>);
    let notice = use_notice();
    let read_again = use_context::<ReadAgain>();
    let auth = use_auth();
    let now_json = now.to_json();
    let back = restoring_patch(&now_json, &then);
    let nothing = back.as_object().is_none_or(|fields| fields.is_empty());
    let restore = move || {
        let (id, patch, etag, read) = (now.id.clone(), back.clone(), etag.clone(), now.clone());
        refused.set(Some(String::new()));
        leptos::task::spawn_local(async move {
            match api::patch_if(&id, &patch, etag.as_deref(), &|hunt| *hunt == read).await {
                Ok(_) => {
                    notice.show(format!("Restored hunt {} to revision {number}", read.code));
                    // Drawn again from the hunt as it now is (this component goes with it).
                    if let Some(read_again) = read_again {
                        read_again.ask();
                    }
                }
                Err(error) => refused.set(Some(match error.status() {
                    Some(412) => "Not restored: someone changed the hunt since this page read \
                                  it. Reload the page to see their change."
                        .to_owned(),
                    _ => format!("Not restored: {error}"),
                })),
            }
        });
    };
    let preview = move || {
        asking.get().then(|| {
            let body = if nothing {
                view! { <p>"The hunt holds this version's values now: nothing to restore."</p> }
                    .into_any()
            } else {
                let restore = restore.clone();
                view! {
                    <p>"Restoring puts back:"</p>
                    <ul class="changes" inner_html=change_lines(&now_json, &then)></ul>
                    <button type="button" class="primary"
                        disabled=move || refused.with(|refused| refused.as_deref() == Some(""))
                        on:click=move |_| restore()>"Restore"</button>
                }
                .into_any()
            };
            let words = move || {
                refused.get().filter(|words| !words.is_empty()).map(|words| {
                    view! { <p class="field-error" role="alert">{words}</p> }
                })
            };
            view! {
                <div class="restore-preview" role="group" aria-label=format!("Restore revision {number}")>
                    {body} {words}
                </div>
            }
        })
    };
    move || {
        auth.can_write().then(|| {
            view! {
                <button type="button" aria-expanded=move || asking.get().to_string()
                    on:click=move |_| asking.update(|open| *open = !*open)>"Restore this version"</button>
                {preview.clone()}
            }
        })
    }
}
