//! `/routing`: the routing check across all hunts. The server's routing check answers where it
//! has one; else every hunt's routing fields are read (with a progress bar) and the model's
//! rules (`hunts_model::routing`) run here. Either way the page lists every loop, dead end,
//! transfer that never fires and way out of the hunts, grouped by kind with counts, each hunt a
//! link.

use hunts_model::routing::{Finding, MOST_LOOPS, Reported};
use leptos::prelude::*;

use crate::format::{escaped, hunt_link_html};
use crate::routing;

/// The kinds, in the order the page lists them: name, what it means, whether it is a fault.
const KINDS: [(&str, &str, &str); 4] = [
    (
        "loops",
        "Loops",
        "Calls go round these hunts until the caller hangs up.",
    ),
    (
        "dead-ends",
        "Dead ends",
        "Calls are sent to a hunt that is blocked or has no resources.",
    ),
    (
        "never-fires",
        "Transfers that never fire",
        "A transfer number is set, but its timer or attempt limit is 0, so it is never used.",
    ),
    (
        "leaves",
        "Ways out of the hunts",
        "Calls are sent to a number no hunt has: an outside number, or a typo.",
    ),
];

#[component]
pub fn RoutingCheck() -> impl IntoView {
    let read = RwSignal::new((0usize, None::<u64>));
    // Read once: a task's signal rather than a `LocalResource`, less wasm for the same (360 kB
    // is the budget, docs/size.md). `try_`: the page may be gone when it answers.
    let report = RwSignal::new(None::<Result<routing::Checked, String>>);
    leptos::task::spawn_local(async move {
        let checked = routing::whole_report(move |done, total| {
            read.try_set((done, total));
        });
        report.try_set(Some(checked.await.map_err(|error| error.to_string())));
    });
    let body = move || {
        report.get().map(|report| match report {
            Err(error) => view! {
                <p class="error-state" role="alert">{format!("The hunts could not be read: {error}")}</p>
            }
            .into_any(),
            Ok((checked, findings)) => found(checked, &findings).into_any(),
        })
    };
    view! {
        <section class="routing-page">
            <h1>"Routing check"</h1>
            <p class="subtle">"Where calls go when nobody answers, across every hunt: what loops, what ends nowhere, and every way out."</p>
            <Show when=move || report.with(Option::is_none)>
                <p class="loading-block">
                    <label for="routing-progress">{move || match read.get() {
                        (0, _) => "Checking the hunts…".to_owned(),
                        (done, Some(total)) => format!("Read {done} of {total} hunts…"),
                        (done, None) => format!("Read {done} hunts…"),
                    }}</label>
                    " "
                    <progress id="routing-progress" max=move || read.get().1.unwrap_or(0) value=move || read.get().0></progress>
                </p>
            </Show>
            {body}
        </section>
    }
}

/// The findings of one kind as HTML text: a long loop names thousands of hunts, and one string
/// is far less wasm, and far quicker to draw, than a `view!` per link (the router takes the
/// links' clicks).
fn items_html(findings: &[&Reported]) -> String {
    let mut html = String::new();
    for finding in findings {
        html.push_str(&format!(
            "<li>{}<span class=\"subtle\"> · ",
            escaped(&finding.words)
        ));
        for (id, code) in &finding.hunts {
            html.push_str(&hunt_link_html(id, code));
            html.push(' ');
        }
        html.push_str("</span></li>");
    }
    html
}

/// What the check found, grouped by kind with counts.
fn found(checked: u64, findings: &[Reported]) -> impl IntoView + use<> {
    let of_kind = |kind: usize| -> Vec<&Reported> {
        findings
            .iter()
            .filter(|finding| finding.kind == Finding::KINDS[kind])
            .collect()
    };
    let ways_out = of_kind(3).len();
    let summary = format!(
        "{checked} hunts checked: {} to fix, {ways_out} ways out of the hunts.",
        findings.len() - ways_out
    );
    let groups = KINDS
        .iter()
        .enumerate()
        .map(|(kind, (id, title, meaning))| {
            let listed = of_kind(kind);
            let more = (kind == 0 && listed.len() >= MOST_LOOPS)
                .then_some(" (the first ones: more loops go through the same hunts)");
            view! {
                <section data-kind=*id aria-labelledby=format!("routing-{id}")>
                    <h2 id=format!("routing-{id}")>{format!("{title}: {}", listed.len())}{more}</h2>
                    <p class="subtle">{*meaning}</p>
                    {(!listed.is_empty()).then(|| view! { <ul inner_html=items_html(&listed)></ul> })}
                </section>
            }
        })
        .collect_view();
    view! {
        <p data-testid="routing-summary" role="status">{summary}</p>
        {groups}
    }
}
