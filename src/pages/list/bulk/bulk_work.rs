//! The bar over the list while hunts are selected: the change to make, its preview hunt by
//! hunt, the run with its progress and Cancel, and the report with Retry and Undo.

use std::collections::{BTreeSet, HashMap};

use hunts_model::Hunt;
use hunts_model::bulk::{BulkChange, Outcome};
use hunts_model::priorities::Ties;
use leptos::prelude::*;

use super::bulk_run::{self, Previewed};
use super::change_form::ChangeForm;
use super::overflow_check;
use crate::components::many_hunts::report::{Report, ResultLine, Running, report_counts};
use crate::components::many_hunts::runner::{self, Line, Sent};
use crate::components::many_hunts::work::{self, UndoReport, use_work};
use crate::components::ring_words::ring_words_html;
use crate::components::unguarded_note::UnguardedNote;
use crate::dom;
use crate::format::escaped;
use crate::pages::list::selection::SELECT_PAGE;
use crate::pages::list::selection::use_selection;

/// The id of the line that says what a preview, a run or an undo came to (see `ResultLine`).
const RESULT_LINE: &str = "bulk-result";
/// Where focus goes back to when the work is closed: the choice of change.
const START: &str = "bulk-kind";

/// What a bulk change shows before anything is sent: the preview, hunt by hunt.
#[derive(Clone)]
struct Preview {
    change: BulkChange,
    rows: Vec<Previewed>,
    /// The run this preview retries part of: applied, the two are one run, with one report
    /// and one Undo; withdrawn, that run's report is on show again.
    earlier: Option<Vec<Line>>,
    /// The selection when Preview was pressed: once it changes, the preview is withdrawn.
    selected: BTreeSet<String>,
    /// The hunts the change closes that others overflow into: id -> the senders' codes.
    overflow: HashMap<String, Vec<String>>,
}

type Stage = work::Stage<Preview, BulkChange>;

/// What a preview gives way to when withdrawn: the report of the run it would have retried
/// part of (with that run's Undo), or nothing. `None` for any other stage.
fn withdrawn(stage: &Stage) -> Option<Stage> {
    match stage {
        Stage::Ready(Preview {
            change, earlier, ..
        }) => Some(match earlier {
            Some(lines) => Stage::Sent(change.clone(), lines.clone()),
            None => Stage::Choosing,
        }),
        _ => None,
    }
}

/// What a change shows of a hunt, before and after, as HTML text: the ring in words for
/// resource changes (each resource a link to where else it rings), the block for blocks, the
/// field for a field.
fn shown(change: &BulkChange, hunt: &Hunt) -> String {
    let text = match change {
        BulkChange::AddResource { .. }
        | BulkChange::RemoveResource { .. }
        | BulkChange::ReplaceResource { .. } => {
            return ring_words_html(&hunt.resources, Ties::of_resmode(&hunt.resmode));
        }
        BulkChange::Block { .. } | BulkChange::Unblock => {
            let block = &hunt.huntblock;
            match (block.enabled, block.reason.is_empty()) {
                (false, _) => "open".to_owned(),
                (true, true) => "blocked".to_owned(),
                (true, false) => format!("blocked ({})", block.reason),
            }
        }
        BulkChange::Delete => hunt.code.clone(),
        BulkChange::SetField { path, .. } => {
            let json = hunt.to_json();
            let value = path
                .segments()
                .try_fold(&json, |value, segment| value.get(segment));
            crate::format::detail_value(*path, value)
        }
    };
    escaped(&text)
}

/// Given by the list page: loads the page on show again.
#[derive(Clone, Copy)]
pub struct ReloadList(pub WriteSignal<u32>);

impl ReloadList {
    /// What a work panel bumps after its writes (see `use_work`), when under the list page.
    pub fn from_context() -> Option<WriteSignal<u32>> {
        use_context::<ReloadList>().map(|ReloadList(attempt)| attempt)
    }
}

#[component]
pub fn BulkWork() -> impl IntoView {
    let selection = use_selection();
    // The list under the bar shows what was written once a run ends.
    let work = use_work::<Preview, BulkChange>(ReloadList::from_context());
    let (stage, progress) = (work.stage, work.progress);
    let busy = work.busy();

    let start_preview = move |change: BulkChange, ids: Vec<String>, earlier: Option<Vec<Line>>| {
        let selected = selection.snapshot();
        work.read("Reading", async move {
            let rows = bulk_run::preview(ids, change.clone(), progress).await;
            let overflow = overflow_check::overflowing_into(&rows).await;
            Stage::Ready(Preview {
                change,
                rows,
                earlier,
                selected,
                overflow,
            })
        });
    };
    let on_preview =
        Callback::new(move |change: BulkChange| start_preview(change, selection.ids(), None));
    // A preview that no longer matches the change on screen goes at once; the report of the
    // run it would have retried part of (and that run's Undo) comes back.
    let withdraw = move || {
        if let Some(back) = stage.with_untracked(withdrawn) {
            stage.set(back);
        }
    };
    let on_edit = Callback::new(move |()| withdraw());
    let apply = move |rows: Vec<Previewed>, change: BulkChange, earlier: Option<Vec<Line>>| {
        let sending = async move {
            let sent = bulk_run::apply(rows, progress).await;
            let sent = match earlier {
                Some(earlier) => runner::merged(earlier, sent),
                None => sent,
            };
            // Deleted hunts leave the selection; the report (and its Undo) is about them.
            let deleted: Vec<String> = sent
                .iter()
                .filter(|line| matches!(line.sent, Sent::Deleted(_)))
                .map(|line| line.id.clone())
                .collect();
            selection.try_set_many(&deleted, false);
            sent
        };
        work.send("Changing", sending, |sent| Stage::Sent(change, sent));
    };
    let undo = work.undo_callback();
    let close = Callback::new(move |()| {
        stage.set(Stage::Choosing);
        dom::focus_by_id(START.to_owned());
    });

    // What is on show: a preview of another selection than the one on screen is withdrawn.
    // Only the preview reads the selection; each new stage is news.
    let on_show = Memo::new_with_compare(
        move |_| {
            stage.with(|stage| match stage {
                Stage::Ready(Preview { selected, .. }) if !selection.is(selected) => {
                    withdrawn(stage).unwrap_or(Stage::Choosing)
                }
                stage => stage.clone(),
            })
        },
        |_, _| true,
    );
    // The work stays on show while it has something to say, even once nothing is selected.
    let visible =
        move || !selection.is_empty() || on_show.with(|stage| !matches!(stage, Stage::Choosing));

    let body = move || match on_show.get() {
        Stage::Choosing | Stage::Failed(_) => ().into_any(),
        Stage::Running(verb) => view! { <Running verb=verb progress=progress/> }.into_any(),
        Stage::Ready(preview) => view! {
            <PreviewStage preview=preview on_apply=apply on_cancel=withdraw/>
        }
        .into_any(),
        Stage::Sent(change, lines) => view! {
            <SentStage change=change lines=lines undo=undo on_close=close
                on_retry=move |change, ids, earlier| start_preview(change, ids, Some(earlier))/>
        }
        .into_any(),
        Stage::Undone { asked, lines } => view! {
            <UndoReport result_line=RESULT_LINE testid="bulk-report" asked=asked lines=lines
                undo=undo on_close=close/>
        }
        .into_any(),
    };

    view! {
        <Show when=visible>
            <section class="bulk" aria-label="Work on the selected hunts">
                <Show when=move || !selection.is_empty()>
                    <div class="bulk-bar">
                        <strong data-testid="selected-count">{move || format!("{} selected", selection.count())}</strong>
                        <ChangeForm on_preview=on_preview on_edit=on_edit disabled=busy/>
                        <button type="button" class="link" disabled=busy on:click=move |_| {
                            // A report on show stays, with its Undo; a preview goes with the selection.
                            selection.clear();
                            // This bar goes with the selection: focus goes to where one starts again.
                            dom::focus_by_id(SELECT_PAGE.to_owned());
                        }>
                            "Clear selection"
                        </button>
                    </div>
                </Show>
                <div class="bulk-stage" aria-live="polite">{body}</div>
            </section>
        </Show>
    }
}

/// The preview, hunt by hunt, with Apply and Cancel.
#[component]
fn PreviewStage(
    preview: Preview,
    on_apply: impl Fn(Vec<Previewed>, BulkChange, Option<Vec<Line>>) + Copy + 'static,
    on_cancel: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let Preview {
        change,
        rows,
        earlier,
        overflow,
        ..
    } = preview;
    let changing = rows.iter().filter(|row| row.will_change()).count();
    let mut summary = summary_of(&rows);
    let mut senders: Vec<&String> = overflow.values().flatten().collect();
    senders.sort_unstable();
    senders.dedup();
    if !senders.is_empty() {
        let overflow = if senders.len() == 1 {
            "overflows"
        } else {
            "overflow"
        };
        summary.push_str(&format!(
            ". {} {overflow} into these: their calls would reach a dead end",
            crate::format::counted(senders.len() as u64, "other hunt")
        ));
    }
    let table: String = rows
        .iter()
        .map(|row| preview_row(&change, row, overflow.get(&row.id)))
        .collect();
    let retry_of = earlier.as_ref().map(|earlier| {
        format!(
            " Applied, it joins the run before it: one report, one Undo for all {} hunts.",
            earlier.len()
        )
    });
    let unguarded = rows
        .iter()
        .any(|row| matches!(&row.read, Ok((_, None))))
        .then(|| view! { <UnguardedNote/> });
    let summary = format!(
        "Preview: {}. {summary}. Nothing is sent yet.{}",
        change.describe(),
        retry_of.unwrap_or_default()
    );
    view! {
        {unguarded}
        <ResultLine id=RESULT_LINE testid="bulk-summary" text=summary/>
        <table class="bulk-preview">
            <thead><tr><th scope="col">"Hunt"</th><th scope="col">"Now"</th><th scope="col">"After"</th><th scope="col">"What happens"</th></tr></thead>
            <tbody inner_html=table></tbody>
        </table>
        <button class="primary" disabled=changing == 0 aria-describedby=(changing == 0).then_some("bulk-nothing")
            on:click=move |_| on_apply(rows.clone(), change.clone(), earlier.clone())>
            {format!("Apply to {}", crate::format::counted(changing as u64, "hunt"))}
        </button>
        {(changing == 0).then(|| view! { <span id="bulk-nothing" class="subtle">"No hunt would change: there is nothing to apply."</span> })}
        <button on:click=move |_| on_cancel()>"Cancel"</button>
    }
}

/// What a run came to, hunt by hunt, with a fresh preview of the hunts it did not change, its
/// Undo and Close.
#[component]
fn SentStage(
    change: BulkChange,
    lines: Vec<Line>,
    on_retry: impl Fn(BulkChange, Vec<String>, Vec<Line>) + Copy + 'static,
    undo: Callback<(Vec<Line>, Option<Vec<Line>>)>,
    on_close: Callback<()>,
) -> impl IntoView {
    let retry: Vec<String> = lines
        .iter()
        .filter(|line| line.sent.may_retry())
        .map(|line| line.id.clone())
        .collect();
    let any_changed = lines.iter().any(|line| line.sent.undoable());
    let (for_undo, for_retry) = (lines.clone(), lines.clone());
    let done = format!("Done: {}. {}.", change.describe(), report_counts(&lines));
    view! {
        <ResultLine id=RESULT_LINE testid="bulk-report" text=done/>
        <Report lines=lines/>
        {(!retry.is_empty()).then(|| {
            let count = retry.len();
            view! {
                <button on:click=move |_| on_retry(change.clone(), retry.clone(), for_retry.clone())>
                    {format!("Preview again the {count} not changed")}
                </button>
            }
        })}
        {any_changed.then(|| view! { <button on:click=move |_| undo.run((for_undo.clone(), None))>"Undo this change"</button> })}
        <button on:click=move |_| on_close.run(())>"Close"</button>
    }
}

/// One hunt of the preview as HTML text (a preview may hold thousands of hunts: one string is
/// less wasm and quicker to draw than a `view!` per row): its code, before and after, and what
/// will happen to it.
fn preview_row(change: &BulkChange, row: &Previewed, overflow: Option<&Vec<String>>) -> String {
    let (before, after, status) = match (&row.read, &row.outcome) {
        (Err(error), _) => (String::new(), String::new(), format!("not read: {error}")),
        (Ok((hunt, _)), Some(Outcome::Changes { after, .. })) => (
            shown(change, hunt),
            shown(change, after),
            "will change".to_owned(),
        ),
        (Ok((hunt, _)), Some(Outcome::Deletes)) => (
            shown(change, hunt),
            "(deleted)".to_owned(),
            "will be deleted".to_owned(),
        ),
        (Ok((hunt, _)), Some(Outcome::Refused(error))) => (
            shown(change, hunt),
            String::new(),
            format!("refused: {}", error.in_words()),
        ),
        (Ok((hunt, _)), _) => (
            shown(change, hunt),
            String::new(),
            "nothing to change".to_owned(),
        ),
    };
    let status = match overflow {
        Some(senders) => format!(
            "{status}; {} overflow into it ({}): a dead end after this change",
            senders.len(),
            senders.join(", ")
        ),
        None => status,
    };
    let classes = match (row.will_change(), overflow.is_some()) {
        (true, true) => " class=\"changes dead-end\"",
        (true, false) => " class=\"changes\"",
        (false, true) => " class=\"dead-end\"",
        (false, false) => "",
    };
    format!(
        "<tr data-id=\"{}\"{classes}><td>{}</td><td>{before}</td><td>{after}</td><td>{}</td></tr>",
        escaped(&row.id),
        escaped(&row.code()),
        escaped(&status)
    )
}

fn summary_of(rows: &[Previewed]) -> String {
    let count = |test: fn(&Previewed) -> bool| rows.iter().filter(|row| test(row)).count();
    let changing = count(Previewed::will_change);
    let refused = count(|row| matches!(row.outcome, Some(Outcome::Refused(_))));
    let unread = count(|row| row.read.is_err());
    let unchanged = rows.len() - changing - refused - unread;
    format!("{changing} will change, {unchanged} unchanged, {refused} refused, {unread} not read")
}
