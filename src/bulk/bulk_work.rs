//! The bar over the list while hunts are selected: the change to make, its preview hunt by
//! hunt, the run with its progress and Cancel, and the report with Retry and Undo.

use hunts_model::Hunt;
use hunts_model::bulk::{BulkChange, Outcome};
use hunts_model::priorities::Ties;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::change_form::ChangeForm;
use super::report::{Report, ResultLine, Running, report_counts, show_or_tell};
use super::runner::{self, Previewed, Progress, Sent};
use super::selection::use_selection;
use crate::components::hunt_table::SELECT_PAGE;
use crate::components::notice::use_notice;
use crate::components::ring_words::RingWords;
use crate::dom;

/// The id of the line that says what a preview, a run or an undo came to (see `ResultLine`).
const RESULT_LINE: &str = "bulk-result";
/// Where focus goes back to when the work is closed: the choice of change.
const START: &str = "bulk-kind";

/// Where the work stands.
#[derive(Clone)]
enum Stage {
    Choosing,
    Reading,
    Previewed(BulkChange, Vec<Previewed>),
    Sending,
    Sent(BulkChange, Vec<(String, String, Sent)>),
    Undoing,
    Undone(Vec<(String, String, Sent)>),
}

/// What a change shows of a hunt, before and after: the ring in words for resource changes
/// (each resource a link to where else it rings), the block for blocks, the field for a field.
fn shown(change: &BulkChange, hunt: &Hunt) -> AnyView {
    match change {
        BulkChange::AddResource { .. }
        | BulkChange::RemoveResource { .. }
        | BulkChange::ReplaceResource { .. } => view! {
            <RingWords ring=hunt.resources.clone() ties=Ties::of_resmode(&hunt.resmode)/>
        }
        .into_any(),
        BulkChange::Block { .. } | BulkChange::Unblock => {
            let block = &hunt.huntblock;
            match (block.enabled, block.reason.is_empty()) {
                (false, _) => "open".to_owned(),
                (true, true) => "blocked".to_owned(),
                (true, false) => format!("blocked ({})", block.reason),
            }
            .into_any()
        }
        BulkChange::Delete => hunt.code.clone().into_any(),
        BulkChange::SetField { path, .. } => {
            let json = hunt.to_json();
            let value = path
                .segments()
                .try_fold(&json, |value, segment| value.get(segment));
            crate::format::detail_value(*path, value).into_any()
        }
    }
}

/// Given by the list page: loads the page on show again.
#[derive(Clone, Copy)]
pub struct ReloadList(pub WriteSignal<u32>);

impl ReloadList {
    /// Loads the list page's page again, when called under the list page; else does nothing.
    pub fn from_context() -> impl Fn() + Copy + 'static {
        let reload = use_context::<ReloadList>();
        move || {
            // Once the list is gone (left while a run went on) there is nothing to load.
            if let Some(ReloadList(attempt)) = reload {
                attempt.try_update(|attempt| *attempt += 1);
            }
        }
    }
}

#[component]
pub fn BulkWork() -> impl IntoView {
    let selection = use_selection();
    let stage = RwSignal::new(Stage::Choosing);
    let progress = Progress::new();
    let notice = use_notice();
    let busy = Signal::derive(move || {
        stage.with(|stage| matches!(stage, Stage::Reading | Stage::Sending | Stage::Undoing))
    });

    let start_preview = move |change: BulkChange, ids: Vec<String>| {
        stage.set(Stage::Reading);
        spawn_local(async move {
            let rows = runner::preview(ids, change.clone(), progress).await;
            stage.set(Stage::Previewed(change, rows));
        });
    };
    let on_preview =
        Callback::new(move |change: BulkChange| start_preview(change, selection.ids()));
    // The list under the bar shows what was written once a run ends.
    let reload = ReloadList::from_context();
    let apply = move |rows: Vec<Previewed>, change: BulkChange| {
        stage.set(Stage::Sending);
        spawn_local(async move {
            let sent = runner::apply(rows, progress).await;
            // Deleted hunts stay selected: the report (and its Undo) is about them.
            show_or_tell(notice, stage, sent, |sent| Stage::Sent(change, sent));
            reload();
        });
    };
    let undo = move |sent: Vec<(String, String, Sent)>| {
        stage.set(Stage::Undoing);
        spawn_local(async move {
            let undone = runner::undo(sent, progress).await;
            show_or_tell(notice, stage, undone, Stage::Undone);
            reload();
        });
    };

    let close = move |_| {
        stage.set(Stage::Choosing);
        dom::focus_by_id(START.to_owned());
    };

    let body = move || {
        match stage.get() {
            Stage::Choosing => ().into_any(),
            Stage::Reading => view! { <Running verb="Reading" progress=progress/> }.into_any(),
            Stage::Sending => view! { <Running verb="Changing" progress=progress/> }.into_any(),
            Stage::Undoing => view! { <Running verb="Undoing" progress=progress/> }.into_any(),
            Stage::Previewed(change, rows) => {
                let changing = rows.iter().filter(|row| row.will_change()).count();
                let summary = summary_of(&rows);
                let table = rows
                    .iter()
                    .map(|row| {
                        let (before, after, status) = match (&row.read, &row.outcome) {
                            (Err(error), _) => {
                                (().into_any(), ().into_any(), format!("not read: {error}"))
                            }
                            (Ok((hunt, _)), Some(Outcome::Changes { after, .. })) => (
                                shown(&change, hunt),
                                shown(&change, after),
                                "will change".to_owned(),
                            ),
                            (Ok((hunt, _)), Some(Outcome::Deletes)) => (
                                shown(&change, hunt),
                                "(deleted)".into_any(),
                                "will be deleted".to_owned(),
                            ),
                            (Ok((hunt, _)), Some(Outcome::Refused(error))) => (
                                shown(&change, hunt),
                                ().into_any(),
                                format!("refused: {error}"),
                            ),
                            (Ok((hunt, _)), _) => (
                                shown(&change, hunt),
                                ().into_any(),
                                "nothing to change".to_owned(),
                            ),
                        };
                        view! {
                            <tr data-id=row.id.clone() class:changes=row.will_change()>
                                <td>{row.code()}</td><td>{before}</td><td>{after}</td><td>{status}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let to_send = rows.clone();
                let change_again = change.clone();
                view! {
                    <ResultLine id=RESULT_LINE testid="bulk-summary" text=format!("Preview: {}. {summary}. Nothing is sent yet.", change.describe())/>
                    <table class="bulk-preview">
                        <thead><tr><th scope="col">"Hunt"</th><th scope="col">"Now"</th><th scope="col">"After"</th><th scope="col">"What happens"</th></tr></thead>
                        <tbody>{table}</tbody>
                    </table>
                    <button class="primary" disabled=changing == 0 on:click=move |_| apply(to_send.clone(), change_again.clone())>
                        {format!("Apply to {changing} hunt(s)")}
                    </button>
                    <button on:click=close>"Cancel"</button>
                }
                .into_any()
            }
            Stage::Sent(change, sent) => {
                let retry: Vec<String> = sent
                    .iter()
                    .filter(|(_, _, sent)| sent.may_retry())
                    .map(|(id, _, _)| id.clone())
                    .collect();
                let any_changed = sent.iter().any(|(_, _, sent)| sent.undoable());
                let for_undo = sent.clone();
                let retry_change = change.clone();
                view! {
                    <ResultLine id=RESULT_LINE testid="bulk-report" text=format!("Done: {}. {}.", change.describe(), report_counts(&sent))/>
                    <Report sent=sent/>
                    {(!retry.is_empty()).then(|| {
                        let count = retry.len();
                        view! {
                            <button on:click=move |_| start_preview(retry_change.clone(), retry.clone())>
                                {format!("Preview again the {count} not changed")}
                            </button>
                        }
                    })}
                    {any_changed.then(|| view! { <button on:click=move |_| undo(for_undo.clone())>"Undo this change"</button> })}
                    <button on:click=close>"Close"</button>
                }
                .into_any()
            }
            Stage::Undone(sent) => view! {
                <ResultLine id=RESULT_LINE testid="bulk-report" text=format!("Undone: {}.", report_counts(&sent))/>
                <Report sent=sent/>
                <button on:click=close>"Close"</button>
            }
            .into_any(),
        }
    };

    view! {
        <section class="bulk" aria-label="Work on the selected hunts">
            <div class="bulk-bar">
                <strong data-testid="selected-count">{move || format!("{} selected", selection.count())}</strong>
                <ChangeForm on_preview=on_preview disabled=busy/>
                <button type="button" class="link" disabled=busy on:click=move |_| {
                    selection.clear();
                    stage.set(Stage::Choosing);
                    // This bar goes with the selection: focus goes to where one starts again.
                    dom::focus_by_id(SELECT_PAGE.to_owned());
                }>
                    "Clear selection"
                </button>
            </div>
            <div class="bulk-stage" aria-live="polite">{body}</div>
        </section>
    }
}

fn summary_of(rows: &[Previewed]) -> String {
    let count = |test: fn(&Previewed) -> bool| rows.iter().filter(|row| test(row)).count();
    let changing = count(Previewed::will_change);
    let refused = count(|row| matches!(row.outcome, Some(Outcome::Refused(_))));
    let unread = count(|row| row.read.is_err());
    let unchanged = rows.len() - changing - refused - unread;
    format!("{changing} will change, {unchanged} unchanged, {refused} refused, {unread} not read")
}
