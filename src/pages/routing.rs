//! `/routing`: the routing check across all hunts. Every hunt's routing fields are read (with a
//! progress bar) and the model's rules (`hunts_model::routing`) list every loop, dead end,
//! transfer that never fires and way out of the hunts, grouped by kind with counts, each hunt a
//! link.

use hunts_model::routing::{Finding, Graph, MOST_LOOPS};
use leptos::prelude::*;

use crate::components::routing_findings::Routing;
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

fn kind_of(finding: &Finding) -> usize {
    match finding {
        Finding::Loop(_) => 0,
        Finding::DeadEnd { .. } => 1,
        Finding::NeverFires { .. } => 2,
        Finding::Leaves(_) => 3,
    }
}

#[component]
pub fn RoutingCheck() -> impl IntoView {
    let read = RwSignal::new((0usize, None::<u64>));
    // Read once: a task's signal rather than a `LocalResource`, less wasm for the same (360 kB
    // is the budget, docs/size.md). `try_`: the page may be gone when it answers.
    let graph: Routing = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        let read_all = routing::whole_graph(move |done, total| {
            read.try_set((done, total));
        });
        graph.try_set(Some(read_all.await.map_err(|error| error.to_string())));
    });
    let body = move || {
        graph.get().map(|graph| match graph {
            Err(error) => view! {
                <p class="error-state" role="alert">{format!("The hunts could not be read: {error}")}</p>
            }
            .into_any(),
            Ok(graph) => view! { <Report graph=graph/> }.into_any(),
        })
    };
    view! {
        <section class="routing-page">
            <h1>"Routing check"</h1>
            <p class="subtle">"Where calls go when nobody answers, across every hunt: what loops, what ends nowhere, and every way out."</p>
            <Show when=move || graph.with(Option::is_none)>
                <p class="loading-block">
                    <label for="routing-progress">{move || match read.get() {
                        (0, _) => "Reading the hunts…".to_owned(),
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

#[component]
fn Report(graph: Graph) -> impl IntoView {
    let findings = graph.findings();
    let faults = findings.iter().filter(|finding| finding.is_fault()).count();
    let summary = format!(
        "{} hunts checked: {faults} to fix, {} ways out of the hunts.",
        graph.hunts.len(),
        findings.len() - faults
    );
    let groups = KINDS
        .iter()
        .enumerate()
        .map(|(kind, (id, title, meaning))| {
            let of_kind: Vec<&Finding> = findings
                .iter()
                .filter(|finding| kind_of(finding) == kind)
                .collect();
            let more = (kind == 0 && of_kind.len() >= MOST_LOOPS)
                .then_some(" (the first ones: more loops go through the same hunts)");
            let items = of_kind
                .iter()
                .map(|finding| {
                    let links = finding
                        .hunts()
                        .into_iter()
                        .map(|index| {
                            let hunt = &graph.hunts[index];
                            view! { <a href=format!("/hunts/{}", hunt.id)>{hunt.code.clone()}</a>" " }
                        })
                        .collect_view();
                    view! { <li>{graph.describe(finding)}<span class="subtle">" · "{links}</span></li> }
                })
                .collect_view();
            view! {
                <section data-kind=*id aria-labelledby=format!("routing-{id}")>
                    <h2 id=format!("routing-{id}")>{format!("{title}: {}", of_kind.len())}{more}</h2>
                    <p class="subtle">{*meaning}</p>
                    {(!of_kind.is_empty()).then(|| view! { <ul>{items}</ul> })}
                </section>
            }
        })
        .collect_view();
    view! {
        <p data-testid="routing-summary" role="status">{summary}</p>
        {groups}
    }
}
