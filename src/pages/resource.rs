//! Where a resource is used: every hunt that rings it, with its priority there and its place
//! in that hunt's ring, each linking to the hunt. Served by the `resources.id` filter, or read
//! page by page where the platform lacks it (with a progress bar).

use hunts_model::Hunt;
use hunts_model::priorities;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format::{escaped, hunt_link_html};
use crate::router::use_router;

#[component]
pub fn ResourceView() -> impl IntoView {
    let router = use_router();
    let id = move || router.page_id();
    let read = RwSignal::new((0usize, None::<u64>));
    // Read once (the page is made again for another resource): a task's signal rather than a
    // `LocalResource`, less wasm for the same (360 kB is the budget, docs/size.md).
    let hunts = RwSignal::new(None::<Result<Vec<Hunt>, ApiError>>);
    let resource = id();
    leptos::task::spawn_local(async move {
        let found = api::hunts_with_resource(&resource, move |done, total| {
            read.try_set((done, total));
        })
        .await;
        hunts.try_set(Some(found));
    });
    let body = move || {
        hunts.get().map(|found| match found {
            Ok(found) => view! { <UsedIn id=id() hunts=found/> }.into_any(),
            Err(error) => view! {
                <p class="error-state" role="alert">{format!("The hunts could not be read: {error}")}</p>
            }
            .into_any(),
        })
    };
    view! {
        <section class="resource-page">
            <h1>"Resource " <code>{id}</code></h1>
            <Show when=move || hunts.with(Option::is_none)>
                <p class="loading-block">
                    {move || match read.get() {
                        (0, _) => "Looking for the hunts that ring it…".to_owned(),
                        (done, Some(total)) => format!("Read {done} of {total} hunts…"),
                        (done, None) => format!("Read {done} hunts…"),
                    }}
                </p>
            </Show>
            {body}
        </section>
    }
}

#[component]
fn UsedIn(id: String, hunts: Vec<Hunt>) -> impl IntoView {
    if hunts.is_empty() {
        return view! { <p class="empty" data-testid="used-in">"No hunt rings this resource."</p> }
            .into_any();
    }
    let count = hunts.len();
    // HTML text, one string (a resource may ring in thousands of hunts; less wasm than a
    // `view!` per row, the budget being 360 kB, docs/size.md); the router takes the links.
    let rows: String = hunts
        .iter()
        .filter_map(|hunt| {
            let place = priorities::place_of(&hunt.resources, &id)?;
            Some(format!(
                "<tr data-id=\"{}\"><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                escaped(&hunt.id),
                hunt_link_html(&hunt.id, &hunt.code),
                place.priority,
                escaped(&place.describe())
            ))
        })
        .collect();
    view! {
        <p data-testid="used-in">{format!("In {}.", crate::format::counted(count as u64, "hunt"))}</p>
        <div class="table-wrap">
            <table class="hunts">
                <thead>
                    <tr><th scope="col">"Hunt"</th><th scope="col">"Priority there"</th><th scope="col">"Place in its ring"</th></tr>
                </thead>
                <tbody inner_html=rows></tbody>
            </table>
        </div>
    }
    .into_any()
}
