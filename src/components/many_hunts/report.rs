//! What the bulk work and the import show while they run and when they end: the progress with
//! Cancel, the line that says what the work came to, and the report hunt by hunt with its
//! counts.

use leptos::prelude::*;

use super::runner::{Line, Progress, Sent};
use crate::components::notice::Notice;
use crate::dom;
use crate::format::{escaped, hunt_link_html};

/// "5 hunts: 2 created, 3 changed": each kind of result counted, the ones that happened; they
/// add up to the total.
pub fn report_counts(lines: &[Line]) -> String {
    let count = |test: fn(&Sent) -> bool| lines.iter().filter(|line| test(&line.sent)).count();
    let kinds: [(usize, &str); 9] = [
        (
            count(|sent| matches!(sent, Sent::Created { .. })),
            "created",
        ),
        (
            count(|sent| matches!(sent, Sent::Restored { .. })),
            "restored",
        ),
        (
            count(|sent| matches!(sent, Sent::Changed { .. })),
            "changed",
        ),
        (count(|sent| matches!(sent, Sent::Deleted(_))), "deleted"),
        (count(|sent| matches!(sent, Sent::Unchanged)), "unchanged"),
        (count(|sent| matches!(sent, Sent::Refused(_))), "refused"),
        (count(|sent| matches!(sent, Sent::Conflicted)), "conflicted"),
        (
            count(|sent| matches!(sent, Sent::Failed(_) | Sent::Unanswered { .. })),
            "failed",
        ),
        (
            count(|sent| matches!(sent, Sent::Cancelled)),
            "not sent (cancelled)",
        ),
    ];
    let counted: Vec<String> = kinds
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, words)| format!("{count} {words}"))
        .collect();
    let total = lines.len();
    let hunts = if total == 1 { "hunt" } else { "hunts" };
    match counted.is_empty() {
        true => format!("{total} {hunts}"),
        false => format!("{total} {hunts}: {}", counted.join(", ")),
    }
}

/// A run's last stage, or, when its panel is gone (the user left the page while it ran), what it
/// came to in the notice under the header: nobody is left guessing which hunts changed.
pub fn show_or_tell<Stage: Send + Sync + 'static>(
    notice: Notice,
    stage: RwSignal<Stage>,
    lines: Vec<Line>,
    next: impl FnOnce(Vec<Line>) -> Stage,
) {
    let counts = report_counts(&lines);
    if stage.try_set(next(lines)).is_some() {
        notice.show(format!(
            "You left the page while changes to many hunts were sent: {counts} (what was not \
             sent yet was not sent)."
        ));
    }
}

/// The id of the progress line.
const RUNNING: &str = "bulk-running";

/// Each hunt's result, its code a link to the hunt where it has an id. The rows are HTML text,
/// one string (a run may report thousands of hunts; less wasm than a `view!` per row, and the
/// budget is 360 kB, docs/size.md); the router takes the links' clicks.
#[component]
pub fn Report(lines: Vec<Line>) -> impl IntoView {
    let rows: String = lines
        .iter()
        .map(|Line { id, code, sent }| {
            // A deleted hunt's address is a 404: its code is not a link.
            let hunt = if id.is_empty() || matches!(sent, Sent::Deleted(_)) {
                escaped(code)
            } else {
                hunt_link_html(id, code)
            };
            format!(
                "<tr data-id=\"{}\"><td>{hunt}</td><td>{}</td></tr>",
                escaped(id),
                escaped(&sent.words())
            )
        })
        .collect();
    view! {
        <table class="bulk-report">
            <thead><tr><th scope="col">"Hunt"</th><th scope="col">"Result"</th></tr></thead>
            <tbody inner_html=rows></tbody>
        </table>
    }
}

/// "Reading 12 of 40…" with a progress bar and Cancel. It stays at the top of the window while
/// the run goes on (sticky) and takes focus when drawn, so Cancel is in view even when Apply was
/// pressed at the bottom of a long preview.
#[component]
pub fn Running(verb: &'static str, progress: Progress) -> impl IntoView {
    dom::focus_by_id(RUNNING.to_owned());
    let words = move || {
        let (done, total) = (progress.done.get(), progress.total.get());
        match progress.cancelled.get() {
            false => format!("{verb} {done} of {total}…"),
            true => {
                format!("{verb} {done} of {total}… Cancelled: finishing what was already sent.")
            }
        }
    };
    view! {
        <p id=RUNNING class="running" tabindex="-1">
            <label for="bulk-progress">{words}</label>
            " "
            <progress id="bulk-progress" max=move || progress.total.get() value=move || progress.done.get()></progress>
            " "
            <button on:click=move |_| progress.cancelled.set(true) disabled=move || progress.cancelled.get()>"Cancel"</button>
        </p>
    }
}

/// The line that says what a preview, a run or an undo came to (`error`: why it could not be
/// done). It takes keyboard focus when drawn: the button that started the work is gone by then,
/// and on a phone the line can be off screen, above a long preview; focus brings it into view
/// and has it read out.
#[component]
pub fn ResultLine(
    id: &'static str,
    text: String,
    #[prop(optional)] testid: Option<&'static str>,
    #[prop(optional)] error: bool,
) -> impl IntoView {
    // Focused once drawn: `focus_by_id` waits for the next frame, which has this line in it.
    dom::focus_by_id(id.to_owned());
    view! {
        <p id=id tabindex="-1" data-testid=testid
            class=error.then_some("field-error") role=error.then_some("alert")>{text}</p>
    }
}
