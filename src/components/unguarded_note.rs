//! The line said once where the platform gives hunts no version (no `ETag`): it cannot refuse
//! a change written over someone else's, so the app guards its writes itself (`api::guard`),
//! with a window of one round trip.

use leptos::prelude::*;

#[component]
pub fn UnguardedNote() -> impl IntoView {
    view! {
        <p class="subtle unguarded" role="note" data-testid="unguarded">
            "This platform does not version hunts, so it cannot refuse a change written over \
             someone else's. The app reads each hunt again just before writing it and stops if it \
             changed; a change made in that instant can still be overwritten."
        </p>
    }
}
