//! The create and edit pages: both are the one hunt form, differing in what Save sends.

use std::future::Future;

use hunts_model::{FieldPath, Filter, Hunt, ListQuery};
use leptos::prelude::*;
use serde_json::Value;

use crate::api::{self, ApiError, Fetched};
use crate::components::hunt_form::{HuntForm, Submission};
use crate::components::hunt_loader::{HuntLoader, Newest, ReadAgain};
use crate::components::notice::use_notice;
use crate::components::sign_in::use_auth;
use crate::components::unguarded_note::UnguardedNote;
use crate::dom;
use crate::router::use_router;

/// Save as the form sees it: whether one is on its way, the last one's refusals, and the
/// callback that sends one.
#[derive(Clone, Copy)]
struct Save {
    pending: RwSignal<bool>,
    refusals: RwSignal<Refusals>,
    send: Callback<Submission>,
}

/// Save: `send` the submission; once the server has it, a short notice and then the saved hunt
/// (after the task is over: leaving disposes the page that owns the signals, see
/// `dom::after_this_task`). The refusals, if any, are kept for the form to show; a code or
/// phone number taken (the server names one) is looked up for both, so every taken field is
/// named at once. `own` is the id of the hunt edited (none for a new one). (A task and two
/// signals rather than an `Action`: the same in less wasm, 360 kB being the budget; see
/// docs/size.md.)
fn use_save<Sent>(
    verb: &'static str,
    own: Option<String>,
    send: impl Fn(&Submission) -> Sent + Send + Sync + 'static,
) -> Save
where
    Sent: Future<Output = Result<Hunt, ApiError>> + 'static,
{
    let notice = use_notice();
    let router = use_router();
    let pending = RwSignal::new(false);
    let refusals = RwSignal::new(Refusals::new());
    let send = Callback::new(move |submission: Submission| {
        let (sent, entered, own) = (send(&submission), submission.hunt.clone(), own.clone());
        pending.set(true);
        leptos::task::spawn_local(async move {
            match sent.await {
                Ok(hunt) => {
                    notice.show(format!("{verb} hunt {}", hunt.code));
                    let saved = format!("/hunts/{}", hunt.id);
                    dom::after_this_task(move || router.navigate(&saved));
                }
                Err(error) => {
                    let refused = every_taken(error, &entered, own.as_deref()).await;
                    refusals.try_set(refused);
                    pending.try_set(false);
                }
            }
        });
    });
    Save {
        pending,
        refusals,
        send,
    }
}

/// A save's refusals: one, or for a 409 one per unique field another hunt holds.
pub type Refusals = Vec<ApiError>;

/// The refusal `error`, or, where it says a unique field is taken, one refusal for each of the
/// entered hunt's code and phone number that another hunt holds (the server names only the
/// first it met). What cannot be looked up leaves the server's own refusal.
async fn every_taken(error: ApiError, entered: &Value, own: Option<&str>) -> Refusals {
    if error.status() != Some(409) {
        return vec![error];
    }
    let mut taken = Vec::new();
    for (name, words) in [("code", "code"), ("phonenumber", "phone number")] {
        let Some(value) = entered
            .get(name)
            .and_then(Value::as_str)
            .filter(|value| !value.is_empty())
        else {
            continue;
        };
        let path = FieldPath::lookup(name).expect("a field of the catalog");
        let Ok(filter) = Filter::default().with(path, vec![Value::from(value)]) else {
            continue;
        };
        let query = ListQuery {
            filter,
            ..ListQuery::default()
        };
        match api::matching_ids(&query).await {
            Ok(ids) if ids.iter().any(|id| Some(id.as_str()) != own) => {
                taken.push(ApiError::Server {
                    status: 409,
                    message: format!("a hunt with {words} {value} exists already"),
                    field: Some(name.to_owned()),
                });
            }
            Ok(_) => {}
            Err(_) => return vec![error],
        }
    }
    if taken.is_empty() { vec![error] } else { taken }
}

/// What a viewer sees instead of a form.
#[component]
fn NotForViewers() -> impl IntoView {
    view! {
        <p class="error-state" role="alert">
            "Viewers cannot create or change hunts. " <a href="/hunts">"Back to the hunts"</a>
        </p>
    }
}

/// `/hunts/new`, or `/hunts/new?from=<id>` to start from a copy of that hunt.
#[component]
pub fn HuntCreate() -> impl IntoView {
    let from = use_router().query_value_untracked("from");
    // Read here, not in the closure: a closure that runs as the page goes (the session ended)
    // finds no context there.
    let auth = use_auth();
    let body = move || match from.clone() {
        None => view! { <CreateForm initial=Hunt::default()/> }.into_any(),
        Some(id) => view! { <DuplicateOf id=id/> }.into_any(),
    };
    view! {
        <section class="form-page">
            <h1>"New hunt"</h1>
            <Show when=move || auth.can_write() fallback=NotForViewers>
                {body.clone()}
            </Show>
        </section>
    }
}

/// The create form filled from an existing hunt: everything but its id, its phone number
/// (unique, so left for the new one) and its code (`<code>_copy`, or the next free one).
#[component]
fn DuplicateOf(id: String) -> impl IntoView {
    // Read once: a task's signal rather than a `LocalResource`, less wasm for the same (360 kB
    // is the budget, docs/size.md).
    let source = RwSignal::new(None::<Result<Fetched, ApiError>>);
    leptos::task::spawn_local(async move {
        let copy = async move {
            let fetched = api::get(&id).await?;
            let mut code = format!("{}_copy", fetched.hunt.code);
            for n in 2.. {
                if api::lookup(&code).await?.is_empty() {
                    break;
                }
                code = format!("{}_copy{n}", fetched.hunt.code);
            }
            // A `Fetched`, like every other hunt read: one kind of resource, less code.
            Ok::<Fetched, ApiError>(Fetched {
                hunt: Hunt {
                    id: String::new(),
                    code,
                    phonenumber: String::new(),
                    ext: Default::default(),
                    ..fetched.hunt
                },
                etag: None,
            })
        };
        source.try_set(Some(copy.await));
    });
    move || {
        source.get().map(|copy| match copy {
            Ok(copy) => view! { <CreateForm initial=copy.hunt/> }.into_any(),
            Err(error) => view! { <p class="error-state" role="alert">{format!("The hunt to copy could not be read: {error}")}</p> }.into_any(),
        })
    }
}

#[component]
fn CreateForm(initial: Hunt) -> impl IntoView {
    let save = use_save("Created", None, |submission| {
        let hunt = submission.hunt.clone();
        async move { api::create(&hunt).await }
    });
    let router = use_router();
    // A new hunt starts with its code: focus is there, however the page was reached (`n`, the
    // New hunt link, Duplicate).
    crate::dom::focus_by_id("f-code".to_owned());
    view! {
        <HuntForm
            initial=initial
            submit_label="Create hunt"
            pending=save.pending.into()
            server_errors=save.refusals.into()
            on_submit=save.send
            on_cancel=Callback::new(move |()| router.navigate("/hunts"))
        />
    }
}

#[component]
pub fn HuntEdit() -> impl IntoView {
    view! { <HuntLoader page_class="form-page" merge_live=true render=|fetched| view! { <EditLoaded fetched=fetched/> }.into_any()/> }
}

#[component]
fn EditLoaded(fetched: Fetched) -> impl IntoView {
    let id = fetched.hunt.id.clone();
    let code = fetched.hunt.code.clone();
    // Without an ETag the app guards the save itself (see `api::guard`), and says so once.
    let unguarded = fetched.etag.is_none();
    // Someone else's change, heard on the live stream or met by a refused save (412): the
    // loader reads the hunt again, the form merges it, and Save is guarded by it from then on.
    let Newest { read, .. } = expect_context::<Newest>();
    let read_again = expect_context::<ReadAgain>();
    let opened = fetched.clone();
    let save = use_save("Saved", Some(id.clone()), move |submission| {
        let (id, patch) = (id.clone(), submission.patch.clone());
        let newest = read.get_untracked();
        let Fetched { hunt: opened, etag } = newest.unwrap_or_else(|| opened.clone());
        async move {
            let still = |now: &Hunt| *now == opened;
            let saved = api::patch_if(&id, &patch, etag.as_deref(), &still).await;
            if matches!(&saved, Err(error) if error.status() == Some(412)) {
                read_again.ask();
            }
            Ok(saved?.hunt)
        }
    });
    let router = use_router();
    let hunt = fetched.hunt;
    let back = format!("/hunts/{}", hunt.id);
    let auth = use_auth();
    // Whether the form is offered follows the session's answer, which may come after the hunt.
    view! {
        <h1>"Edit " {code}</h1>
        <Show when=move || auth.can_write() fallback=NotForViewers>
            {unguarded.then(|| view! { <UnguardedNote/> })}
            <HuntForm
                initial=hunt.clone()
                submit_label="Save changes"
                pending=save.pending.into()
                server_errors=save.refusals.into()
                on_submit=save.send
                on_cancel=Callback::new({
                    let back = back.clone();
                    move |()| router.navigate(&back)
                })
            />
        </Show>
    }
    .into_any()
}
