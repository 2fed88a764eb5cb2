//! What the bulk work and the import show while they run and when they end: the progress with
//! Cancel, the line that says what the work came to, and the report hunt by hunt with its
//! counts.

use leptos::prelude::*;

use super::runner::{Progress, Sent};
use crate::components::notice::Notice;
use crate::dom;

/// "2 created, 3 changed, 1 unchanged, …": each kind of result counted.
pub fn report_counts(sent: &[(String, String, Sent)]) -> String {
    let count = |test: fn(&Sent) -> bool| sent.iter().filter(|(_, _, sent)| test(sent)).count();
    let created = count(|sent| matches!(sent, Sent::Created(_)));
    let created = if created > 0 {
        format!("{created} created, ")
    } else {
        String::new()
    };
    format!(
        "{created}{} changed, {} unchanged, {} refused, {} conflicted, {} failed",
        count(|sent| matches!(sent, Sent::Changed { .. } | Sent::Deleted(_))),
        count(|sent| matches!(sent, Sent::Unchanged)),
        count(|sent| matches!(sent, Sent::Refused(_))),
        count(|sent| matches!(sent, Sent::Conflicted)),
        count(|sent| matches!(sent, Sent::Failed(_) | Sent::Cancelled)),
    )
}

/// A run's last stage, or, when its panel is gone (the user left the list while it ran), what it
/// came to in the notice under the header: nobody is left guessing which hunts changed.
pub fn show_or_tell<Stage: Send + Sync + 'static>(
    notice: Notice,
    stage: RwSignal<Stage>,
    sent: Vec<(String, String, Sent)>,
    next: impl FnOnce(Vec<(String, String, Sent)>) -> Stage,
) {
    let counts = report_counts(&sent);
    if stage.try_set(next(sent)).is_some() {
        notice.show(format!(
            "You left the list while changes to many hunts were sent: {counts} (what was not \
             sent yet was not sent)."
        ));
    }
}

/// Each hunt's result, its code a link to the hunt where it has an id.
#[component]
pub fn Report(sent: Vec<(String, String, Sent)>) -> impl IntoView {
    view! {
        <table class="bulk-report">
            <thead><tr><th scope="col">"Hunt"</th><th scope="col">"Result"</th></tr></thead>
            <tbody>
                {sent.into_iter().map(|(id, code, sent)| {
                    let hunt = if id.is_empty() {
                        code.into_any()
                    } else {
                        view! { <a href=format!("/hunts/{id}")>{code}</a> }.into_any()
                    };
                    view! { <tr data-id=id><td>{hunt}</td><td>{sent.words()}</td></tr> }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// "Reading 12 of 40…" with a progress bar and Cancel.
#[component]
pub fn Running(verb: &'static str, progress: Progress) -> impl IntoView {
    view! {
        <p>
            <label for="bulk-progress">{move || format!("{verb} {} of {}…", progress.done.get(), progress.total.get())}</label>
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
