//! The router and the page frame: header with navigation, the lookup box and who is signed in;
//! the notice bar; the pages; and the sign-in dialog over them when a session is needed.

use leptos::prelude::*;

use crate::components::lookup::Lookup;
use crate::components::notice::{NoticeBar, provide_notice};
use crate::components::popovers::close_popovers_on_outside_clicks;
use crate::components::shortcuts::Shortcuts;
use crate::components::sign_in::{
    PlatformSignIn, ReadOnlyNote, SignInDialog, SignedInAs, provide_auth, use_auth,
};
use crate::components::theme_toggle::ThemeToggle;
use crate::components::unsaved::{provide_unsaved_guard, use_unsaved};
use crate::live::provide_live;
use crate::pages::changes::{RecentChanges, RecentlyDeleted};
use crate::pages::detail::HuntDetail;
use crate::pages::edit::{HuntCreate, HuntEdit};
use crate::pages::list::HuntList;
use crate::pages::resource::ResourceView;
use crate::pages::routing::RoutingCheck;
use crate::router::{Page, provide_router, use_router};

#[component]
pub fn App() -> impl IntoView {
    provide_notice();
    provide_unsaved_guard();
    provide_auth();
    provide_live(use_auth().session());
    close_popovers_on_outside_clicks();
    let router = provide_router();
    let unsaved = use_unsaved();
    let auth = use_auth();
    // While the sign-in dialog is open, the page under it can be neither reached nor read.
    let inert = move || auth.asking();
    // A page's component is made when the page changes, not when its query does. While nobody
    // is signed in there is no page at all: nothing of the last one can be read, or come back.
    // (A memo: the page is made again only when that changes, not when the session's answer
    // comes in.)
    let hidden = Memo::new(move |_| auth.hides_page());
    // Each page has its own title, so a page change is announced and its tab says where it is.
    // (An effect: the title is outside the app's view.)
    Effect::new(move |_| {
        let title = match router.page().get() {
            _ if hidden.get() => "Sign in · Hunts Admin",
            Page::List => "Hunts · Hunts Admin",
            Page::New => "New hunt · Hunts Admin",
            Page::Detail(_) => "Hunt · Hunts Admin",
            Page::Edit(_) => "Edit hunt · Hunts Admin",
            Page::Resource(_) => "Resource · Hunts Admin",
            Page::Routing => "Routing check · Hunts Admin",
            Page::Changes => "Recent changes · Hunts Admin",
            Page::Deleted => "Recently deleted · Hunts Admin",
            Page::NotFound => "No such page · Hunts Admin",
        };
        document().set_title(title);
    });
    let page = move || match router.page().get() {
        _ if hidden.get() => ().into_any(),
        Page::List => view! { <HuntList/> }.into_any(),
        Page::New => view! { <HuntCreate/> }.into_any(),
        Page::Detail(_) => view! { <HuntDetail/> }.into_any(),
        Page::Edit(_) => view! { <HuntEdit/> }.into_any(),
        Page::Resource(_) => view! { <ResourceView/> }.into_any(),
        Page::Routing => view! { <RoutingCheck/> }.into_any(),
        Page::Changes => view! { <RecentChanges/> }.into_any(),
        Page::Deleted => view! { <RecentlyDeleted/> }.into_any(),
        Page::NotFound => view! {
            <p class="empty">"There is no page here. " <a href="/hunts">"Back to the hunts"</a></p>
        }
        .into_any(),
    };
    view! {
        <header class="topbar" inert=inert on:click=move |event| unsaved.guard_link_click(&event)>
            <a href="/hunts">
                <span class="brand">"Hunts Admin"</span>
            </a>
            <nav>
                <NavLink href="/hunts">"Hunts"</NavLink>
                <NavLink href="/routing">"Routing check"</NavLink>
                // Where the server is known to keep no history, there is nothing to show there
                // (learnt from its first 404 for history; asked again on each page change).
                {move || {
                    router.page().with(|_| ());
                    (!crate::api::keeps_no_history()).then(|| view! { <NavLink href="/changes">"Recent changes"</NavLink> })
                }}
                <Show when=move || auth.can_write()>
                    <NavLink href="/hunts/new" shortcut="n">"New hunt"</NavLink>
                </Show>
            </nav>
            <Lookup/>
            <ThemeToggle/>
            <SignedInAs/>
        </header>
        <NoticeBar/>
        <PlatformSignIn/>
        <ReadOnlyNote/>
        <main inert=inert>{page}</main>
        <SignInDialog/>
        <Shortcuts/>
    }
}

/// A link of the header's navigation, marked as the current page while the address is there.
#[component]
fn NavLink(
    href: &'static str,
    #[prop(optional)] shortcut: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let router = use_router();
    let current = move || router.is_at(href).then_some("page");
    view! { <a href=href aria-current=current aria-keyshortcuts=shortcut>{children()}</a> }
}
