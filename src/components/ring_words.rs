//! A ring in words ("1st: agent-a; then agent-b or agent-c at random") with each resource a
//! link to where else it rings, opened in a new tab so that the page it is on stays as it is.

use hunts_model::Resource;
use hunts_model::priorities::{self, Ties, Words};
use leptos::prelude::*;

#[component]
pub fn RingWords(ring: Vec<Resource>, ties: Ties) -> impl IntoView {
    let ring = priorities::ring_order(&ring);
    priorities::ring_words(&ring, ties)
        .into_iter()
        .map(|words| match words {
            Words::Text(text) => text.into_any(),
            Words::Resource { id, shown } => view! {
                <a href=format!("/resources/{}", hunts_model::encode_component(&id))
                    target="_blank" rel="noopener" title=format!("Where {id} rings")>{shown}</a>
            }
            .into_any(),
        })
        .collect_view()
}
