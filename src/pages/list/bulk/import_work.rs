//! Importing a file of hunts (the export's JSON or CSV): the file chosen, its dry run hunt by
//! hunt (create, change, unchanged, refused with the message), then the run with its progress
//! and Cancel, and the report with Undo, as for bulk changes.

use hunts_model::import::{self, Plan};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::bulk_work::ReloadList;
use super::importer::{self, Planned};
use crate::components::many_hunts::report::{
    Report, ResultLine, Running, report_counts, show_or_tell,
};
use crate::components::many_hunts::runner::{self, Line, Progress};
use crate::components::notice::use_notice;
use crate::dom;

/// The id of the line that says what a dry run, an import or an undo came to (see `ResultLine`).
const RESULT_LINE: &str = "import-result";

#[derive(Clone)]
enum Stage {
    Choosing,
    Reading,
    /// The file or the server could not be read: why.
    Failed(String),
    Planned(String, Vec<Planned>),
    Sending,
    Sent(String, Vec<Line>),
    Undoing,
    /// An undo of `asked`, which came to `lines`.
    Undone {
        asked: Vec<Line>,
        lines: Vec<Line>,
    },
}

#[component]
pub fn ImportWork(on_close: Callback<()>) -> impl IntoView {
    let stage = RwSignal::new(Stage::Choosing);
    let progress = Progress::new();
    let notice = use_notice();
    let busy = Signal::derive(move || {
        stage.with(|stage| matches!(stage, Stage::Reading | Stage::Sending | Stage::Undoing))
    });
    let reload = ReloadList::from_context();

    let on_file = move |event: web_sys::Event| {
        let Some(file) = chosen_file(&event) else {
            return;
        };
        stage.set(Stage::Reading);
        spawn_local(async move {
            let name = file.name();
            let next = match file_text(&file).await {
                Err(error) => Stage::Failed(format!("{name} could not be read: {error}")),
                Ok(text) => match import::read(&name, &text) {
                    Err(error) => Stage::Failed(format!("{name} cannot be imported: {error}.")),
                    Ok(records) => match importer::dry_run(records, progress).await {
                        Ok(rows) => Stage::Planned(name, rows),
                        Err(error) => Stage::Failed(format!("The dry run stopped: {error}")),
                    },
                },
            };
            stage.set(next);
        });
    };
    let apply = move |name: String, rows: Vec<Planned>| {
        stage.set(Stage::Sending);
        spawn_local(async move {
            let sent = importer::apply(rows, progress).await;
            show_or_tell(notice, stage, sent, |sent| Stage::Sent(name, sent));
            reload();
        });
    };
    // `asked` is what to undo; `earlier`, an undo of it that got part of the way (retried).
    let undo = move |asked: Vec<Line>, earlier: Option<Vec<Line>>| {
        stage.set(Stage::Undoing);
        spawn_local(async move {
            let lines = runner::undo_again(&asked, earlier, progress).await;
            show_or_tell(notice, stage, lines, |lines| Stage::Undone { asked, lines });
            reload();
        });
    };

    let body = move || match stage.get() {
        Stage::Choosing => ().into_any(),
        Stage::Reading => view! { <Running verb="Dry run: reading" progress=progress/> }.into_any(),
        Stage::Sending => view! { <Running verb="Importing" progress=progress/> }.into_any(),
        Stage::Undoing => view! { <Running verb="Undoing" progress=progress/> }.into_any(),
        Stage::Failed(why) => view! { <ResultLine id=RESULT_LINE error=true text=why/> }.into_any(),
        Stage::Planned(name, rows) => {
            let writes = rows.iter().filter(|row| row.plan.writes()).count();
            let summary = format!(
                "Dry run of {name}: {}. Nothing is sent yet.",
                plan_counts(&rows)
            );
            let table = rows.iter().map(planned_row).collect_view();
            view! {
                    <ResultLine id=RESULT_LINE testid="import-summary" text=summary/>
                    <table class="bulk-preview">
                        <thead><tr><th scope="col">"#"</th><th scope="col">"Hunt"</th><th scope="col">"What happens"</th></tr></thead>
                        <tbody>{table}</tbody>
                    </table>
                    <button class="primary" disabled=writes == 0 aria-describedby=(writes == 0).then_some("import-nothing")
                        on:click=move |_| apply(name.clone(), rows.clone())>
                        {format!("Import {}", crate::format::counted(writes as u64, "hunt"))}
                    </button>
                    {(writes == 0).then(|| view! { <span id="import-nothing" class="subtle">"The file would change no hunt: there is nothing to import."</span> })}
                    <button on:click=move |_| {
                        stage.set(Stage::Choosing);
                        dom::focus_by_id("import-file".to_owned());
                    }>"Cancel"</button>
                }
                .into_any()
        }
        Stage::Sent(name, lines) => {
            let undoable = lines.iter().any(|line| line.sent.undoable());
            let for_undo = lines.clone();
            view! {
                    <ResultLine id=RESULT_LINE testid="import-report" text=format!("Imported {name}: {}.", report_counts(&lines))/>
                    <Report lines=lines/>
                    {undoable.then(|| view! { <button on:click=move |_| undo(for_undo.clone(), None)>"Undo this import"</button> })}
                }
                .into_any()
        }
        Stage::Undone { asked, lines } => {
            let again = runner::to_resend(&asked, &lines).len();
            let any_undone = lines.iter().any(|line| line.sent.undoable());
            let (done_so_far, for_redo) = (lines.clone(), lines.clone());
            view! {
                    <ResultLine id=RESULT_LINE testid="import-report" text=format!("Undone: {}.", report_counts(&lines))/>
                    <Report lines=lines/>
                    {(again > 0).then(|| view! {
                        <button on:click=move |_| undo(asked.clone(), Some(done_so_far.clone()))>
                            {format!("Undo again the {again} not undone")}
                        </button>
                    })}
                    {any_undone.then(|| view! { <button on:click=move |_| undo(for_redo.clone(), None)>"Undo the undo"</button> })}
                }
                .into_any()
        }
    };

    view! {
        <section class="bulk import" aria-label="Import hunts">
            <div class="bulk-bar">
                <strong>"Import hunts"</strong>
                <label for="import-file">"A file as the export writes it (JSON or CSV):"</label>
                // Choosing the same file again after a change to it must read it again.
                <input id="import-file" type="file" accept=".json,.csv,application/json,text/csv"
                    disabled=busy on:change=on_file on:click=|event| clear_choice(&event)/>
                <button type="button" class="link" disabled=busy on:click=move |_| on_close.run(())>"Close"</button>
            </div>
            <p class="subtle">
                "Hunts are matched by code: a code the server has updates that hunt with the fields the file gives; "
                "a new code creates a hunt (with the file's id, if it gives one). A dry run shows what each hunt "
                "would become before anything is sent."
            </p>
            <div class="bulk-stage" aria-live="polite">{body}</div>
        </section>
    }
}

fn plan_counts(rows: &[Planned]) -> String {
    let count = |test: fn(&Plan) -> bool| rows.iter().filter(|row| test(&row.plan)).count();
    format!(
        "{} to create, {} to change, {} unchanged, {} refused",
        count(|plan| matches!(plan, Plan::Create { .. })),
        count(|plan| matches!(plan, Plan::Update { .. })),
        count(|plan| matches!(plan, Plan::Unchanged)),
        count(|plan| matches!(plan, Plan::Refused(_))),
    )
}

fn planned_row(row: &Planned) -> impl IntoView + use<> {
    let (kind, words) = match &row.plan {
        Plan::Create { .. } => ("create", "will be created".to_owned()),
        Plan::Update { patch, .. } => (
            "update",
            format!("will change: {}", import::changed_labels(patch)),
        ),
        Plan::Unchanged => ("unchanged", "unchanged".to_owned()),
        Plan::Refused(refusal) => ("refused", format!("refused: {refusal}")),
    };
    view! {
        <tr data-plan=kind class:changes=row.plan.writes()>
            <td>{row.number}</td><td>{row.label()}</td><td>{words}</td>
        </tr>
    }
}

fn chosen_file(event: &web_sys::Event) -> Option<web_sys::File> {
    let input = event
        .target()?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?;
    input.files()?.get(0)
}

fn clear_choice(event: &web_sys::MouseEvent) {
    if let Some(input) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.set_value("");
    }
}

async fn file_text(file: &web_sys::File) -> Result<String, String> {
    wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|error| format!("{error:?}"))?
        .as_string()
        .ok_or_else(|| "not text".to_owned())
}
