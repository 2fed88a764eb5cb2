//! Loads the hunt named by the route's `:id` for a page, with the loading, error and retry
//! states every such page shares.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, Fetched};
use crate::components::load_error::LoadError;

#[component]
pub fn HuntLoader(page_class: &'static str, render: fn(Fetched) -> AnyView) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let hunt = LocalResource::new(move || {
        let id = id();
        async move { api::get(&id).await }
    });
    // Drawn from the loaded value (the last one stays while another loads), not from a
    // `Suspend` in a `Transition`, which kept a little of every view it drew alive.
    view! {
        <section class=page_class>
            <Show when=move || hunt.with(Option::is_none)>
                <p class="loading-block">"Loading the hunt…"</p>
            </Show>
            <Show when=move || hunt.with(Option::is_some)>
                <ErrorBoundary fallback=move |errors| view! {
                    <LoadError errors=errors lead="" on_retry=Callback::new(move |()| hunt.refetch())>
                        " "
                        <A href="/hunts">"Back to the list"</A>
                    </LoadError>
                }>{move || hunt.get().map(|fetched| fetched.map(render))}</ErrorBoundary>
            </Show>
        </section>
    }
}
