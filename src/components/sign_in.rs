//! Who is signed in, and signing in again without losing anything: on any 401 the page goes (no
//! hunt is left on the screen, in the page or in memory, for whoever comes to it next) and the
//! sign-in dialog opens; a half-typed form's draft waits in the tab for the same user, and
//! signed in again they are where they were, every value kept, and Save works. Sign out forgets
//! everything. A page the browser brings back from its back-forward cache shows nothing until
//! the server has said who is signed in. Where the server has no sign-in of its own (404 on the
//! session), a 401 is the platform's, and the app says to sign in there.

use hunts_model::Role;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Session};
use crate::components::notice::{Notice, use_notice};
use crate::components::unsaved::use_unsaved;
use crate::{dom, fault};

#[derive(Clone, Copy)]
pub struct Auth {
    /// `None` until the server has said.
    session: RwSignal<Option<Session>>,
    /// A 401 came where the platform, not this server, signs people in.
    platform_signed_out: RwSignal<bool>,
    /// Counts sign-ins, so what failed to load before one loads again.
    pub sign_ins: RwSignal<u32>,
    /// The page came back from the browser's back-forward cache and the server has not yet
    /// said whether its session is still on.
    checking: RwSignal<bool>,
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Called once by the app: asks the server who is signed in, and hears of every 401.
pub fn provide_auth() {
    let auth = Auth {
        session: RwSignal::new(None),
        platform_signed_out: RwSignal::new(false),
        sign_ins: RwSignal::new(0),
        checking: RwSignal::new(false),
    };
    provide_context(auth);
    let notice = use_notice();
    // A 401 that comes before the server has said whether sign-in is its own (the list asks
    // for its first page at once) is answered once it has.
    let refused_early = StoredValue::new(false);
    spawn_local(async move {
        // A server that cannot be reached says so on the page's own requests; here it is
        // simply not known to have sign-in.
        let session = api::session().await.unwrap_or(Session::NotHere);
        if session == Session::NotHere && refused_early.get_value() {
            auth.platform_signed_out.set(true);
        }
        auth.session.set(Some(session));
    });
    api::on_unauthorized(move || match auth.session.get_untracked() {
        None => refused_early.set_value(true),
        Some(Session::NotHere) => auth.platform_signed_out.set(true),
        Some(Session::SignedIn(info)) => {
            fault::keep_draft_for(&info.name);
            auth.end(notice);
        }
        Some(Session::SignedOut) => {}
    });
    dom::on_page_restored(move || {
        let before = auth.session.get_untracked();
        if !matches!(before, Some(Session::SignedIn(_))) {
            return;
        }
        auth.checking.set(true);
        spawn_local(async move {
            match api::session().await {
                // Someone else signed in meanwhile, in another tab: this page was theirs to
                // leave; it starts again.
                Ok(Session::SignedIn(info)) if Some(Session::SignedIn(info.clone())) != before => {
                    dom::reload();
                }
                Ok(Session::SignedIn(_)) => {}
                // Ended, or not known: nothing is shown until someone signs in.
                _ => auth.end(notice),
            }
            auth.checking.set(false);
        });
    });
}

impl Auth {
    /// Whether the one signed in may change hunts. Where sign-in is not this server's, the
    /// platform decides, and says so with a 403 if not.
    pub fn can_write(self) -> bool {
        self.session.with(|session| match session {
            Some(Session::SignedIn(info)) => info.role.may_write(),
            _ => true,
        })
    }

    /// What the server said of the session (`None` until it has).
    pub fn session(self) -> Signal<Option<Session>> {
        self.session.into()
    }

    fn is_viewer(self) -> bool {
        self.session.with(
            |session| matches!(session, Some(Session::SignedIn(info)) if info.role == Role::Viewer),
        )
    }

    /// Whether the sign-in dialog is open (the page under it is inert).
    pub fn asking(self) -> bool {
        self.session
            .with(|session| matches!(session, Some(Session::SignedOut)))
    }

    /// Whether the page is kept off the screen: nobody is signed in, or a page brought back by
    /// the browser waits to hear whether anyone still is.
    pub fn hides_page(self) -> bool {
        self.asking() || self.checking.get()
    }

    /// The session is over: every hunt the app holds goes (the page, the notice and its Undo,
    /// a list answer sent ahead), and the dialog asks who is there.
    fn end(self, notice: Notice) {
        notice.clear();
        api::forget_answers();
        self.session.set(Some(Session::SignedOut));
    }
}

/// The header's corner: who is signed in, with their role, and Sign out.
#[component]
pub fn SignedInAs() -> impl IntoView {
    let auth = use_auth();
    let unsaved = use_unsaved();
    let notice = use_notice();
    // (A task rather than an `Action`: less wasm, 360 kB being the budget, docs/size.md.)
    let sign_out = move || {
        leptos::task::spawn_local(async move {
            // Signed out here even if the server cannot be told: the dialog then asks again.
            let _ = api::sign_out().await;
            fault::forget_drafts();
            // Once this task is over: the page that goes may hold what the task reads.
            dom::after_this_task(move || auth.end(notice));
        });
    };
    move || {
        auth.session.with(|session| match session {
            Some(Session::SignedIn(info)) => {
                let text = format!("{} ({})", info.name, info.role.as_str());
                Some(view! {
                    <div class="signed-in">
                        <span data-testid="signed-in-as">{text}</span>
                        <button
                            type="button"
                            class="link"
                            on:click=move |_| {
                                if unsaved.confirm_leave() {
                                    sign_out();
                                }
                            }
                        >
                            "Sign out"
                        </button>
                    </div>
                })
            }
            _ => None,
        })
    }
}

/// The line a viewer reads on every page, saying why nothing can be changed.
#[component]
pub fn ReadOnlyNote() -> impl IntoView {
    let auth = use_auth();
    move || {
        auth.is_viewer().then(|| view! {
            <p class="read-only-note" role="note" data-testid="read-only">
                "You are signed in as a viewer: you can see every hunt, but changing one needs an admin."
            </p>
        })
    }
}

/// Where a 401 was the platform's: a line saying to sign in there, with its link when the page
/// names one (`<meta name="hunts-sign-in" content="…">`). It opens in a new tab, so this page,
/// and whatever was typed in it, stays.
#[component]
pub fn PlatformSignIn() -> impl IntoView {
    let auth = use_auth();
    move || {
        auth.platform_signed_out.get().then(|| {
            let link = api::page_meta("hunts-sign-in");
            view! {
                <div class="notice warning" role="alert">
                    <span>"Your sign-in to the platform has ended. "</span>
                    {match link {
                        Some(href) => view! { <a href=href target="_blank" rel="noopener">"Sign in to the platform"</a> }.into_any(),
                        None => view! { <span>"Sign in to the platform"</span> }.into_any(),
                    }}
                    <span>", then try again here: nothing you typed is lost."</span>
                    <button class="link" aria-label="Dismiss" on:click=move |_| auth.platform_signed_out.set(false)>"×"</button>
                </div>
            }
        })
    }
}

/// The sign-in dialog, over the page while nobody is signed in.
#[component]
pub fn SignInDialog() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Show when=move || auth.asking()>
            <SignInForm/>
        </Show>
    }
}

#[component]
fn SignInForm() -> impl IntoView {
    let auth = use_auth();
    let (name, set_name) = signal(String::new());
    let (password, set_password) = signal(String::new());
    // Why the last attempt failed; whether one is on its way. (A task and two signals rather
    // than an `Action`: the same in less wasm, 360 kB being the budget, docs/size.md.)
    let problem = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        let (name, password) = (
            name.get_untracked().trim().to_owned(),
            password.get_untracked(),
        );
        pending.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match api::sign_in(&name, &password).await {
                // Once this task is over: a session closes the dialog, which owns the signals.
                Ok(session) => dom::after_this_task(move || {
                    if let Session::SignedIn(info) = &session {
                        // A draft kept for someone else is not this user's to see.
                        fault::keep_only_for(&info.name);
                        auth.sign_ins.update(|count| *count += 1);
                    }
                    auth.session.set(Some(session));
                }),
                Err(error) => {
                    problem.try_set(Some(error.to_string()));
                    // The button focus was on is disabled while it asked, which drops focus:
                    // it goes to the password, to type again (the reason is read out).
                    dom::focus_by_id("sign-in-password".to_owned());
                }
            }
            pending.try_set(false);
        });
    };
    view! {
        <div class="dialog-backdrop">
            <div class="dialog sign-in" role="dialog" aria-modal="true" aria-labelledby="sign-in-title">
                <form class="sign-in-form" on:submit=submit>
                    <h2 id="sign-in-title">"Sign in"</h2>
                    <p class="subtle">"Your page stays as it is: sign in, then carry on where you were."</p>
                    <label for="sign-in-name">"Name"</label>
                    <input id="sign-in-name" autocomplete="username" autofocus prop:value=name
                        on:input:target=move |event| set_name.set(event.target().value()) />
                    <label for="sign-in-password">"Password"</label>
                    <input id="sign-in-password" type="password" autocomplete="current-password" prop:value=password
                        on:input:target=move |event| set_password.set(event.target().value()) />
                    <p class="field-error" role="alert">{problem}</p>
                    <button type="submit" class="primary" disabled=move || pending.get()>
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
            </div>
        </div>
    }
}
