//! A tier of the ring (resources of one priority), and the gaps between tiers that a drag can
//! drop into. While a drag is on, the tier under the pointer is marked and the tiers below the
//! gap under it slide down to make room.

use hunts_model::Resource;
use hunts_model::priorities::{Target, Ties};
use leptos::prelude::*;

use super::resource_row::ResourceRow;
use super::use_ring_drag::UseRingDragReturn;

/// The drop gap with this index among the other tiers.
#[component]
pub fn Gap(index: usize) -> impl IntoView {
    let drag = expect_context::<UseRingDragReturn>();
    view! {
        <li class="gap" class:active=move || drag.target.get() == Some(Target::Gap(index)) aria-hidden="true"></li>
    }
}

/// `shown` is the tier's place on screen; `among_others` its index among the tiers other than
/// the dragged resource's own (`None` for a tier that is the dragged resource alone).
#[component]
pub fn TierItem(
    shown: usize,
    among_others: Option<usize>,
    priority: i32,
    members: Vec<Resource>,
    ties: Ties,
) -> impl IntoView {
    let drag = expect_context::<UseRingDragReturn>();
    let together = (members.len() > 1).then_some(match ties {
        Ties::Random => "rung together, at random",
        Ties::InOrder => "same priority",
    });
    let is_target =
        move || among_others.is_some() && drag.target.get() == among_others.map(Target::Tier);
    let makes_room = move || match (drag.target.get(), among_others) {
        (Some(Target::Gap(gap)), Some(index)) => index >= gap,
        _ => false,
    };
    view! {
        <li class="tier" class:together=together.is_some() class:target=is_target class:room=makes_room data-tier=shown>
            <div class="tier-label">
                <span>{format!("priority {priority}")}</span>
                {together.map(|text| view! { <span class="together-label">{text}</span> })}
            </div>
            <ul>
                <For each=move || members.clone() key=|resource| resource.id.clone() let:resource>
                    <ResourceRow resource=resource/>
                </For>
            </ul>
        </li>
    }
}
