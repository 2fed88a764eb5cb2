//! The router and the page frame: header with navigation, the lookup box and who is signed in;
//! the notice bar; the pages; and the sign-in dialog over them when a session is needed.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::components::lookup::Lookup;
use crate::components::notice::{NoticeBar, provide_notice};
use crate::components::shortcuts::Shortcuts;
use crate::components::sign_in::{
    PlatformSignIn, ReadOnlyNote, SignInDialog, SignedInAs, provide_auth, use_auth,
};
use crate::components::theme_toggle::ThemeToggle;
use crate::components::unsaved::{provide_unsaved_guard, use_unsaved};
use crate::pages::detail::HuntDetail;
use crate::pages::edit::{HuntCreate, HuntEdit};
use crate::pages::list::HuntList;
use crate::pages::resource::ResourceView;

#[component]
pub fn App() -> impl IntoView {
    provide_notice();
    provide_unsaved_guard();
    provide_auth();
    let unsaved = use_unsaved();
    let auth = use_auth();
    // While the sign-in dialog is open, the page under it can be neither reached nor read.
    let inert = move || auth.asking();
    view! {
        <Router>
            <header class="topbar" inert=inert on:click=move |event| unsaved.guard_link_click(&event)>
                <A href="/hunts">
                    <span class="brand">"Hunts Admin"</span>
                </A>
                <nav>
                    <A href="/hunts">"Hunts"</A>
                    <Show when=move || auth.can_write()>
                        <A href="/hunts/new" attr:aria-keyshortcuts="n">"New hunt"</A>
                    </Show>
                </nav>
                <Lookup/>
                <ThemeToggle/>
                <SignedInAs/>
            </header>
            <NoticeBar/>
            <PlatformSignIn/>
            <ReadOnlyNote/>
            <main inert=inert>
                <Routes fallback=|| view! { <p class="empty">"There is no page here. " <a href="/hunts">"Back to the hunts"</a></p> }>
                    <Route path=path!("/") view=HuntList/>
                    <Route path=path!("/hunts") view=HuntList/>
                    <Route path=path!("/hunts/new") view=HuntCreate/>
                    <Route path=path!("/hunts/:id") view=HuntDetail/>
                    <Route path=path!("/hunts/:id/edit") view=HuntEdit/>
                    <Route path=path!("/resources/:id") view=ResourceView/>
                </Routes>
            </main>
            <SignInDialog/>
            <Shortcuts/>
        </Router>
    }
}
