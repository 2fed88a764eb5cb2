//! Loads the hunt named by the route's `:id` for a page, with the loading, error and retry
//! states every such page shares.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, Fetched};

#[component]
pub fn HuntLoader(page_class: &'static str, render: fn(Fetched) -> AnyView) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let hunt = LocalResource::new(move || {
        let id = id();
        async move { api::get(&id).await }
    });
    view! {
        <section class=page_class>
            <Transition fallback=|| view! { <p class="loading-block">"Loading the hunt…"</p> }>
                <ErrorBoundary fallback=move |errors| {
                    view! {
                        <div class="error-state" role="alert">
                            <p>{move || errors.get().into_iter().map(|(_, error)| error.to_string()).collect::<Vec<_>>().join("; ")}</p>
                            <button on:click=move |_| hunt.refetch()>"Retry"</button>
                            " "
                            <A href="/hunts">"Back to the list"</A>
                        </div>
                    }
                }>{move || Suspend::new(async move { hunt.await.map(render) })}</ErrorBoundary>
            </Transition>
        </section>
    }
}
