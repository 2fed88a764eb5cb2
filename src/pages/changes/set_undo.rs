//! "Undo this change set", from any tab, days later: each hunt the set wrote is read with its
//! own history; one written since by anyone is left as they wrote it (reported as conflicted);
//! the rest are previewed, then put back as the set found them, a few at a time and guarded,
//! as the list's bulk Undo does (`components::many_hunts`), with the same report.

use hunts_model::Hunt;
use hunts_model::history::{HistoryQuery, MOST_LIMIT, SetUndo, restoring_patch, undo_of_set};
use leptos::prelude::*;
use serde_json::Value;

use crate::api;
use crate::components::many_hunts::report::{Report, ResultLine, Running};
use crate::components::many_hunts::runner::{self, Line, Progress, Sent};
use crate::components::many_hunts::work::{self, UndoReport, use_work};

const RESULT_LINE: &str = "set-undo-result";

/// The preview is what the undo will do to each hunt, nothing sent yet.
type Stage = work::Stage<Vec<Line>, ()>;

#[component]
pub fn SetUndoWork(
    set: String,
    /// What the set did, in words ("changed 60 hunts (Blocked)").
    what: String,
    undoing: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let work = use_work::<Vec<Line>, ()>(None);
    let (stage, progress) = (work.stage, work.progress);
    {
        let set = set.clone();
        work.read("Reading", async move {
            match plan(&set, progress).await {
                Ok(lines) => Stage::Ready(lines),
                Err(error) => Stage::Failed(format!("The change set could not be read: {error}")),
            }
        });
    }
    // The hunts changed since by someone else are left alone, reported with the rest.
    let apply = move |lines: Vec<Line>| {
        let (asked, kept): (Vec<Line>, Vec<Line>) =
            lines.into_iter().partition(|line| line.sent.undoable());
        work.undo(asked, None, kept);
    };
    let undo = work.undo_callback();
    let close = Callback::new(move |()| undoing.set(None));
    let body = move || match stage.get() {
        Stage::Choosing | Stage::Sent(..) => ().into_any(),
        Stage::Running(verb) => view! { <Running verb=verb progress=progress/> }.into_any(),
        Stage::Failed(why) => view! {
            <ResultLine id=RESULT_LINE error=true text=why/>
            <button type="button" on:click=move |_| close.run(())>"Close"</button>
        }
        .into_any(),
        Stage::Ready(lines) => {
            let count =
                |test: fn(&Sent) -> bool| lines.iter().filter(|line| test(&line.sent)).count();
            let back = count(Sent::undoable);
            let since = count(|sent| matches!(sent, Sent::Conflicted));
            let summary = format!(
                "Preview: undo of the change set that {what}. {back} will be put back as the change set found them, \
                 {since} changed since by someone else (left as they wrote them), {} with nothing \
                 to undo or not read. Nothing is sent yet.",
                lines.len() - back - since
            );
            let shown: Vec<Line> = lines
                .iter()
                .filter(|line| !line.sent.undoable())
                .cloned()
                .collect();
            view! {
                <ResultLine id=RESULT_LINE testid="set-undo-summary" text=summary/>
                {(!shown.is_empty()).then(|| view! { <Report lines=shown/> })}
                <button type="button" class="primary" disabled=back == 0
                    on:click=move |_| apply(lines.clone())>{format!("Undo {}", crate::format::counted(back as u64, "hunt"))}</button>
                <button type="button" on:click=move |_| close.run(())>"Cancel"</button>
            }
            .into_any()
        }
        Stage::Undone { asked, lines } => view! {
            <UndoReport result_line=RESULT_LINE testid="set-undo-report" asked=asked lines=lines
                undo=undo on_close=close/>
        }
        .into_any(),
    };
    view! {
        <section class="bulk" aria-label="Undo a change set">
            <div class="bulk-stage" aria-live="polite">{body}</div>
        </section>
    }
}

/// Each hunt the set wrote, as its undo would leave it: read the set's revisions, then each
/// hunt's own newest ones (as many as the set wrote of it, and the one before).
async fn plan(set: &str, progress: Progress) -> Result<Vec<Line>, api::ApiError> {
    let mut revisions: Vec<Value> = Vec::new();
    loop {
        let query = HistoryQuery {
            change_set: Some(set.to_owned()),
            offset: revisions.len() as u64,
            limit: Some(MOST_LIMIT),
            ..Default::default()
        };
        let (page, total) = api::history(&query).await?.unwrap_or_default();
        let last = page.is_empty();
        revisions.extend(page);
        if last || revisions.len() as u64 >= total {
            break;
        }
    }
    // Each hunt once, with how many revisions of it the set holds, in the order first seen
    // (found by id: a set of thousands of hunts is not searched once per revision).
    let mut hunts: Vec<(String, String, u64)> = Vec::new();
    let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for revision in &revisions {
        let id = revision["id"].as_str().unwrap_or_default();
        match at.get(id) {
            Some(&index) => hunts[index].2 += 1,
            None => {
                at.insert(id, hunts.len());
                hunts.push((
                    id.to_owned(),
                    revision["code"].as_str().unwrap_or_default().to_owned(),
                    1,
                ));
            }
        }
    }
    let labels: Vec<(String, String)> = hunts
        .iter()
        .map(|(id, code, _)| (id.clone(), code.clone()))
        .collect();
    let set = set.to_owned();
    let results = runner::each(hunts, progress, move |(id, _, count)| {
        let set = set.clone();
        async move {
            match api::hunt_history(&id, count + 1).await {
                Ok(Some((own, _))) => sent_of(undo_of_set(&own, &set)),
                Ok(None) => Sent::Failed("the server keeps no history".to_owned()),
                Err(error) => Sent::Failed(error.to_string()),
            }
        }
    })
    .await;
    Ok(runner::labelled(labels, results))
}

/// What the bulk Undo is given for one hunt: the write it puts back.
fn sent_of(undo: Option<SetUndo>) -> Sent {
    let hunt = |value: Value| serde_json::from_value::<Hunt>(value).map(Box::new);
    let read = match undo {
        None => return Sent::Failed("its version before the change set was not read".to_owned()),
        Some(SetUndo::ChangedSince) => return Sent::Conflicted,
        Some(SetUndo::Nothing) => return Sent::Unchanged,
        Some(SetUndo::Change { before, after }) => {
            let patch = restoring_patch(&before, &after);
            hunt(before).and_then(|before| {
                hunt(after).map(|after| Sent::Changed {
                    before,
                    after,
                    patch,
                    // Guarded by a read just before the write (`api::guard`): the revisions
                    // carry no ETag.
                    etag: None,
                })
            })
        }
        Some(SetUndo::Delete { hunt: created }) => hunt(created).map(|hunt| Sent::Created {
            hunt,
            new_id: false,
        }),
        Some(SetUndo::Create { hunt: last }) => hunt(last).map(Sent::Deleted),
    };
    read.unwrap_or_else(|error| Sent::Failed(format!("its revision could not be read: {error}")))
}
