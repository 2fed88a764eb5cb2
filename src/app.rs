//! The router and the page frame: header with navigation and the lookup box, the notice bar,
//! and the pages.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::components::lookup::Lookup;
use crate::components::notice::{NoticeBar, provide_notice};
use crate::components::unsaved::{provide_unsaved_guard, use_unsaved};
use crate::pages::detail::HuntDetail;
use crate::pages::edit::{HuntCreate, HuntEdit};
use crate::pages::list::HuntList;

#[component]
pub fn App() -> impl IntoView {
    provide_notice();
    provide_unsaved_guard();
    let unsaved = use_unsaved();
    view! {
        <Router>
            <header class="topbar" on:click=move |event| unsaved.guard_link_click(&event)>
                <A href="/hunts">
                    <span class="brand">"Hunts Admin"</span>
                </A>
                <nav>
                    <A href="/hunts">"Hunts"</A>
                    <A href="/hunts/new">"New hunt"</A>
                </nav>
                <Lookup/>
            </header>
            <NoticeBar/>
            <main>
                <Routes fallback=|| view! { <p class="empty">"There is no page here. " <a href="/hunts">"Back to the hunts"</a></p> }>
                    <Route path=path!("/") view=HuntList/>
                    <Route path=path!("/hunts") view=HuntList/>
                    <Route path=path!("/hunts/new") view=HuntCreate/>
                    <Route path=path!("/hunts/:id") view=HuntDetail/>
                    <Route path=path!("/hunts/:id/edit") view=HuntEdit/>
                </Routes>
            </main>
        </Router>
    }
}
