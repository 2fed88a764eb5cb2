//! A ring in words ("1st: agent-a; then agent-b or agent-c at random") with each resource a
//! link to where else it rings, opened in a new tab so that the page it is on stays as it is.
//! HTML text, for tables drawn as one string (the bulk preview's rows).

use hunts_model::Resource;
use hunts_model::priorities::{self, Ties, Words};

use crate::format::escaped;

pub fn ring_words_html(ring: &[Resource], ties: Ties) -> String {
    let ring = priorities::ring_order(ring);
    priorities::ring_words(&ring, ties)
        .into_iter()
        .map(|words| match words {
            Words::Text(text) => escaped(&text),
            Words::Resource { id, shown } => format!(
                "<a href=\"/resources/{}\" target=\"_blank\" rel=\"noopener\" title=\"Where {} rings\">{}</a>",
                escaped(&hunts_model::encode_component(&id)),
                escaped(&id),
                escaped(&shown)
            ),
        })
        .collect()
}
