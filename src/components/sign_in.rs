//! Who is signed in, and signing in again without losing anything: on any 401 the sign-in
//! dialog opens over the page, which stays as it was (a half-typed form keeps every value);
//! signed in, the page carries on and Save works. Where the server has no sign-in of its own
//! (404 on the session), a 401 is the platform's, and the app says to sign in there.

use hunts_model::Role;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Session};
use crate::components::unsaved::use_unsaved;
use crate::dom;

#[derive(Clone, Copy)]
pub struct Auth {
    /// `None` until the server has said.
    session: RwSignal<Option<Session>>,
    /// A 401 came where the platform, not this server, signs people in.
    platform_signed_out: RwSignal<bool>,
    /// Counts sign-ins, so what failed to load before one loads again.
    pub sign_ins: RwSignal<u32>,
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
    };
    provide_context(auth);
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
        _ => auth.session.set(Some(Session::SignedOut)),
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
}

/// The header's corner: who is signed in, with their role, and Sign out.
#[component]
pub fn SignedInAs() -> impl IntoView {
    let auth = use_auth();
    let unsaved = use_unsaved();
    let sign_out = Action::new_local(move |(): &()| async move {
        // Signed out here even if the server cannot be told: the dialog then asks again.
        let _ = api::sign_out().await;
        auth.session.set(Some(Session::SignedOut));
    });
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
                                    sign_out.dispatch(());
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
    let attempt = Action::new_local(move |(name, password): &(String, String)| {
        let (name, password) = (name.clone(), password.clone());
        async move {
            let session = api::sign_in(&name, &password).await?;
            // Once the action is over: a session closes the dialog, which owns the action.
            dom::after_this_task(move || {
                if matches!(session, Session::SignedIn(_)) {
                    auth.sign_ins.update(|count| *count += 1);
                }
                auth.session.set(Some(session));
            });
            Ok::<(), api::ApiError>(())
        }
    });
    // Read once here: `value()` and `pending()` each make a new signal in the calling owner.
    let (outcome, pending) = (attempt.value(), attempt.pending());
    let problem = move || {
        outcome
            .get()
            .and_then(Result::err)
            .map(|error| error.to_string())
    };
    let submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        attempt.dispatch((
            name.get_untracked().trim().to_owned(),
            password.get_untracked(),
        ));
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
