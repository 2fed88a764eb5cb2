//! The create and edit pages: both are the one hunt form, differing in what Save sends.

use hunts_model::Hunt;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError, Fetched};
use crate::components::hunt_form::{HuntForm, Submission};
use crate::components::hunt_loader::HuntLoader;
use crate::components::notice::use_notice;

/// After a save: a short notice, then the saved hunt.
fn after_save(
    result: Option<Result<Hunt, ApiError>>,
    verb: &str,
    server_error: RwSignal<Option<ApiError>>,
) {
    let notice = use_notice();
    let navigate = use_navigate();
    match result {
        Some(Ok(hunt)) => {
            notice.show(format!("{verb} hunt {}", hunt.code));
            navigate(&format!("/hunts/{}", hunt.id), NavigateOptions::default());
        }
        Some(Err(error)) => server_error.set(Some(error)),
        None => {}
    }
}

#[component]
pub fn HuntCreate() -> impl IntoView {
    let server_error = RwSignal::new(None);
    let save = Action::new_local(|submission: &Submission| {
        let hunt = submission.hunt.clone();
        async move { api::create(&hunt).await }
    });
    Effect::new(move |_| after_save(save.value().get(), "Created", server_error));
    let navigate = use_navigate();
    view! {
        <section class="form-page">
            <h1>"New hunt"</h1>
            <HuntForm
                initial=Hunt::default()
                submit_label="Create hunt"
                pending=save.pending().into()
                server_error=server_error
                on_submit=Callback::new(move |submission| { save.dispatch(submission); })
                on_cancel=Callback::new(move |()| navigate("/hunts", NavigateOptions::default()))
            />
        </section>
    }
}

#[component]
pub fn HuntEdit() -> impl IntoView {
    view! { <HuntLoader page_class="form-page" render=|fetched| view! { <EditLoaded fetched=fetched/> }.into_any()/> }
}

#[component]
fn EditLoaded(fetched: Fetched) -> impl IntoView {
    let Fetched { hunt, etag } = fetched;
    let server_error = RwSignal::new(None);
    let id = hunt.id.clone();
    let save = Action::new_local(move |submission: &Submission| {
        let (id, patch, etag) = (id.clone(), submission.patch.clone(), etag.clone());
        async move { api::patch(&id, &patch, etag.as_deref()).await }
    });
    Effect::new(move |_| after_save(save.value().get(), "Saved", server_error));
    let navigate = use_navigate();
    let back = format!("/hunts/{}", hunt.id);
    view! {
        <h1>"Edit " {hunt.code.clone()}</h1>
        <HuntForm
            initial=hunt
            submit_label="Save changes"
            pending=save.pending().into()
            server_error=server_error
            on_submit=Callback::new(move |submission| { save.dispatch(submission); })
            on_cancel=Callback::new(move |()| navigate(&back, NavigateOptions::default()))
        />
    }
}
