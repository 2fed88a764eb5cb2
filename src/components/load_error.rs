//! What a page shows when what it loads cannot be had: why, in words, and a way to try again.
//!
//! Drawn by the pages from the loaded `Result` itself, not as an `<ErrorBoundary/>`'s fallback:
//! an ErrorBoundary keeps its children's view in its own render effect's value, which Leptos
//! (0.8) frees only when that effect's task next runs. Until then the children's effects stay
//! alive after their page is disposed, and one woken in that turn (a resource answered by the
//! 401 that ended the session) ran once more and read its disposed resource: a panic
//! (`tests/sign_in.rs`, `a_session_lost_mid_edit_loses_nothing`, one run in six).

use leptos::prelude::*;

#[component]
pub fn LoadError(
    /// Why, in words.
    reason: String,
    /// Put before the reasons ("The hunts could not be loaded: "), or "".
    lead: &'static str,
    on_retry: Callback<()>,
    /// More ways out, after Retry.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="error-state" role="alert">
            <p>{lead} {reason}</p>
            <button on:click=move |_| on_retry.run(())>"Retry"</button>
            {children.map(|children| children())}
        </div>
    }
}
