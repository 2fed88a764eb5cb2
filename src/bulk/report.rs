//! What the bulk work and the import show while they run and when they end: the progress with
//! Cancel, and the report hunt by hunt with its counts.

use leptos::prelude::*;

use super::runner::{Progress, Sent};

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
