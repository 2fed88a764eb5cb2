//! `/changes/deleted`: Recently deleted. The history is read newest first, a thousand revisions
//! at a time; a hunt whose newest revision is its delete is gone, and listed with who deleted
//! it and when. Restore creates it again with its id and its last fields (the revision before
//! the delete); a code or phone number taken since is refused with the field's message, and
//! nothing is written.

use std::collections::HashSet;

use hunts_model::history::{HistoryQuery, MOST_LIMIT};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::entry_html;
use crate::api;
use crate::components::notice::use_notice;
use crate::components::sign_in::use_auth;
use crate::dom;

/// Pages of revisions read per step (each `MOST_LIMIT` long).
const PAGES_A_STEP: usize = 5;

/// How far the reading has come: the deletes found, the ids whose newest revision was read,
/// how many revisions were read, where to go on from, and whether the start was reached.
#[derive(Clone, Default)]
struct Scan {
    deleted: Vec<Value>,
    seen: HashSet<String>,
    read: u64,
    before: Option<i64>,
    done: bool,
}

/// Where reading stands: going on (`None`), why it stopped, or no history kept (`Ok(false)`).
type State = Option<Result<bool, String>>;

#[component]
pub fn RecentlyDeleted() -> impl IntoView {
    let auth = use_auth();
    let notice = use_notice();
    // Task signals, not resources: see `RecentChanges`.
    let scan = RwSignal::new(Scan::default());
    let state = RwSignal::new(State::None);
    // What each restore came to, by hunt id.
    let outcomes = RwSignal::new(Vec::<(String, Result<String, String>)>::new());
    let step = move || {
        state.set(None);
        let from = scan.get_untracked();
        spawn_local(async move {
            let next = match read_on(from).await {
                Ok(Some(next)) => {
                    scan.try_set(next);
                    Ok(true)
                }
                Ok(None) => Ok(false),
                Err(error) => Err(error.to_string()),
            };
            state.try_set(Some(next));
        });
    };
    step();
    let on_click = move |event: leptos::ev::MouseEvent| {
        let Some(button) = dom::target_element(&event)
            .and_then(|at| at.closest("button[data-restore]").ok().flatten())
        else {
            return;
        };
        button.set_attribute("disabled", "").ok();
        let id = button.get_attribute("data-restore").unwrap_or_default();
        spawn_local(async move {
            let result = restore(&id).await;
            let code = scan.with_untracked(|scan| {
                scan.deleted
                    .iter()
                    .position(|revision| revision["id"] == id.as_str())
                    .map(|at| {
                        (
                            at,
                            scan.deleted[at]["code"]
                                .as_str()
                                .unwrap_or_default()
                                .to_owned(),
                        )
                    })
            });
            if let (Ok(_), Some((_, code))) = (&result, &code) {
                notice.show(format!("Restored hunt {code}"));
            }
            outcomes.try_update(|outcomes| outcomes.push((id, result)));
            // The line is drawn again, its button gone: focus goes to what came of it.
            if let Some((at, _)) = code {
                dom::focus_by_id(format!("deleted-{at}"));
            }
        });
    };
    let list = move || {
        let can_restore = auth.can_write();
        outcomes.with(|outcomes| {
            scan.with(|scan| {
                scan.deleted
                    .iter()
                    .enumerate()
                    .map(|(at, revision)| {
                        let outcome = outcomes
                            .iter()
                            .rev()
                            .find(|(id, _)| revision["id"] == id.as_str())
                            .map(|(_, outcome)| outcome);
                        entry_html::deleted(revision, at, outcome, can_restore)
                    })
                    .collect::<String>()
            })
        })
    };
    let status = move || match state.get() {
        None => "Reading the history…".to_owned(),
        Some(Err(error)) => format!("The history could not be read: {error}"),
        Some(Ok(false)) => "This server keeps no history of changes.".to_owned(),
        Some(Ok(true)) => scan.with(|scan| {
            let found = scan.deleted.len();
            match scan.done {
                true => format!(
                    "{} in the whole history ({} changes).",
                    crate::format::counted(found as u64, "deleted hunt"),
                    scan.read
                ),
                false => format!(
                    "{} among the last {} changes.",
                    crate::format::counted(found as u64, "deleted hunt"),
                    scan.read
                ),
            }
        }),
    };
    let further = move || state.get() == Some(Ok(true)) && !scan.with(|scan| scan.done);
    view! {
        <section class="changes-page">
            <h1>"Recently deleted"</h1>
            <p class="subtle">
                "Deleted hunts, newest first, each with who deleted it and when. Restore brings one back with its id and its last fields. "
                <a href="/changes">"All recent changes"</a>
            </p>
            <p role="status" data-testid="deleted-status">{status}</p>
            <ul class="history deleted" data-testid="deleted" inner_html=list on:click=on_click></ul>
            <button type="button" hidden=move || !further() on:click=move |_| step()>"Look further back"</button>
        </section>
    }
}

/// The scan taken `PAGES_A_STEP` pages further back; `None` where the server keeps no history.
async fn read_on(mut scan: Scan) -> Result<Option<Scan>, api::ApiError> {
    for _ in 0..PAGES_A_STEP {
        let query = HistoryQuery {
            before: scan.before,
            limit: Some(MOST_LIMIT),
            ..Default::default()
        };
        let Some((page, total)) = api::history(&query).await? else {
            return Ok(None);
        };
        scan.read += page.len() as u64;
        scan.before = page.last().and_then(|last| last["seq"].as_i64());
        scan.done = page.len() as u64 >= total;
        for revision in page {
            let id = revision["id"].as_str().unwrap_or_default().to_owned();
            if scan.seen.insert(id) && revision["action"] == "delete" {
                scan.deleted.push(revision);
            }
        }
        if scan.done {
            break;
        }
    }
    Ok(Some(scan))
}

/// Creates the hunt `id` again from the revision before its delete; its id where it came back.
async fn restore(id: &str) -> Result<String, String> {
    let (own, _) = api::hunt_history(id, 2)
        .await
        .map_err(|error| error.to_string())?
        .unwrap_or_default();
    let last = match own.as_slice() {
        [delete, last, ..] if delete["action"] == "delete" => last["hunt"].clone(),
        [newest, ..] if newest["action"] != "delete" => {
            return Err("it is no longer deleted (someone restored it)".to_owned());
        }
        _ => return Err("its last fields are no longer in the history".to_owned()),
    };
    match api::create_with_its_id(last).await {
        Ok(restored) => Ok(restored.hunt.id),
        Err(error) => Err(error.to_string()),
    }
}
