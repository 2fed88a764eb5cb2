//! What a page shows when what it loads cannot be had: why, in words, and a way to try again.
//! The fallback of the pages' `<ErrorBoundary/>`s.

use leptos::prelude::*;

#[component]
pub fn LoadError(
    errors: ArcRwSignal<Errors>,
    /// Put before the reasons ("The hunts could not be loaded: "), or "".
    lead: &'static str,
    on_retry: Callback<()>,
    /// More ways out, after Retry.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let reasons = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| error.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    };
    view! {
        <div class="error-state" role="alert">
            <p>{lead} {reasons}</p>
            <button on:click=move |_| on_retry.run(())>"Retry"</button>
            {children.map(|children| children())}
        </div>
    }
}
