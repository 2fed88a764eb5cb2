//! Importing a file of hunts (the export's JSON or CSV): the file chosen, its dry run hunt by
//! hunt (create, change, unchanged, refused with the message), then the run with its progress
//! and Cancel, and the report with Undo, as for bulk changes.

use hunts_model::import::{self, Plan};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::bulk_work::ReloadList;
use super::importer::{self, Planned, RoutingFault};
use crate::components::many_hunts::report::{Report, ResultLine, Running, report_counts};
use crate::components::many_hunts::work::{self, UndoReport, use_work};
use crate::dom;
use crate::format::escaped;

/// The id of the line that says what a dry run, an import or an undo came to (see `ResultLine`).
const RESULT_LINE: &str = "import-result";

/// A dry run is the file's name, each hunt's plan and the routing faults it would leave; a
/// report is about the file.
type DryRun = (String, Vec<Planned>, Vec<RoutingFault>);
type Stage = work::Stage<DryRun, String>;

#[component]
pub fn ImportWork(on_close: Callback<()>) -> impl IntoView {
    let work = use_work::<DryRun, String>(ReloadList::from_context());
    let (stage, progress) = (work.stage, work.progress);
    let busy = work.busy();

    let on_file = move |event: web_sys::Event| {
        let Some(file) = chosen_file(&event) else {
            return;
        };
        work.read("Dry run: reading", async move {
            let name = file.name();
            match file_text(&file).await {
                Err(error) => Stage::Failed(format!("{name} could not be read: {error}")),
                Ok(text) => match import::read(&name, &text) {
                    Err(error) => Stage::Failed(format!("{name} cannot be imported: {error}.")),
                    Ok(records) => match checked_dry_run(records, progress).await {
                        Ok((rows, faults)) => Stage::Ready((name, rows, faults)),
                        Err(error) => Stage::Failed(format!("The dry run stopped: {error}")),
                    },
                },
            }
        });
    };
    let apply = move |name: String, rows: Vec<Planned>| {
        work.send("Importing", importer::apply(rows, progress), |sent| {
            Stage::Sent(name, sent)
        });
    };
    let undo = work.undo_callback();

    let body = move || {
        match stage.get() {
        Stage::Choosing => ().into_any(),
        Stage::Running(verb) => view! { <Running verb=verb progress=progress/> }.into_any(),
        Stage::Failed(why) => view! { <ResultLine id=RESULT_LINE error=true text=why/> }.into_any(),
        Stage::Ready((name, rows, faults)) => {
            let writes = rows.iter().filter(|row| row.plan.writes()).count();
            // Warnings, not refusals: the admin reads them and may still import.
            let routing = match faults.len() {
                0 => String::new(),
                count => format!(
                    " It would leave {} in the routing: {}.",
                    crate::format::counted(count as u64, "fault"),
                    faults.iter().map(|(words, _)| words.as_str()).collect::<Vec<_>>().join("; ")
                ),
            };
            let summary = format!(
                "Dry run of {name}: {}.{routing} Nothing is sent yet.",
                plan_counts(&rows)
            );
            let table: String = rows.iter().map(|row| planned_row(row, &faults)).collect();
            view! {
                <ResultLine id=RESULT_LINE testid="import-summary" text=summary/>
                <table class="bulk-preview">
                    <thead><tr><th scope="col">"#"</th><th scope="col">"Hunt"</th><th scope="col">"What happens"</th></tr></thead>
                    <tbody inner_html=table></tbody>
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
                    {undoable.then(|| view! { <button on:click=move |_| undo.run((for_undo.clone(), None))>"Undo this import"</button> })}
                }
                .into_any()
        }
        Stage::Undone { asked, lines } => view! {
            <UndoReport result_line=RESULT_LINE testid="import-report" asked=asked lines=lines undo=undo/>
        }
        .into_any(),
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

/// The dry run, then the routing faults the file's hunts would leave.
async fn checked_dry_run(
    records: Vec<import::Record>,
    progress: crate::components::many_hunts::runner::Progress,
) -> Result<(Vec<Planned>, Vec<RoutingFault>), crate::api::ApiError> {
    let rows = importer::dry_run(records, progress).await?;
    let faults = importer::routing_faults(&rows).await?;
    Ok((rows, faults))
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

/// A row of the dry run as HTML text: a file may hold thousands of hunts, and one string is far
/// less wasm and quicker to draw than a `view!` per row (the budget is 360 kB, docs/size.md).
fn planned_row(row: &Planned, faults: &[RoutingFault]) -> String {
    let (kind, words) = match &row.plan {
        Plan::Create { .. } => ("create", "will be created".to_owned()),
        Plan::Update { patch, .. } => (
            "update",
            format!("will change: {}", import::changed_labels(patch)),
        ),
        Plan::Unchanged => ("unchanged", "unchanged".to_owned()),
        Plan::Refused(refusal) => ("refused", format!("refused: {refusal}")),
    };
    let mut words = words;
    let mut routing = "";
    for (fault, records) in faults {
        if records.contains(&row.number) {
            words.push_str(&format!("; {fault}"));
            routing = " data-routing=\"fault\"";
        }
    }
    let changes = if row.plan.writes() {
        " class=\"changes\""
    } else {
        ""
    };
    format!(
        "<tr data-plan=\"{kind}\"{changes}{routing}><td>{}</td><td>{}</td><td>{}</td></tr>",
        row.number,
        escaped(&row.label()),
        escaped(&words)
    )
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
