//! The resources a hunt rings, in ring order and grouped in tiers of equal priority, reordered by
//! pointer drag (`use_ring_drag`), by keyboard on the drag handle (`use_ring_keyboard`), or by the
//! move buttons; with add, remove, priority editing, a preview in words of the order calls will
//! try, a before/after view and Undo. Every move follows the model's priority rules
//! (`hunts_model::priorities`, through `RingEdits`), and nothing is sent until the form is saved.

mod add_resource;
mod edits;
mod resource_row;
mod tier_item;
mod use_ring_drag;
mod use_ring_keyboard;

use hunts_model::Resource;
use hunts_model::priorities::{self, Ties};
use leptos::prelude::*;

use add_resource::AddResource;
use edits::RingEdits;
use tier_item::{Gap, TierItem};
use use_ring_drag::use_ring_drag;
use use_ring_keyboard::use_ring_keyboard;

#[component]
pub fn ResourceEditor(
    resources: Signal<Vec<Resource>>,
    saved: Vec<Resource>,
    ties: Signal<Ties>,
    on_change: Callback<Vec<Resource>>,
) -> impl IntoView {
    let edits = RingEdits::new(resources, on_change);
    let ring = edits.ring;
    let keyboard = use_ring_keyboard(edits);
    let drag = use_ring_drag(
        ring,
        Callback::new(move |id: String| {
            edits.announce(format!("Resource {} lifted", priorities::short_id(&id)));
        }),
        Callback::new(move |(id, target): (String, _)| edits.drop_at(&id, target)),
    );
    provide_context(edits);
    provide_context(keyboard);
    provide_context(drag);

    // The tiers as shown, with the gaps between them. While a drag is on, the dragged
    // resource's own tier, if it is alone there, counts as a gap (`priorities::tiers_without`).
    let tiers = move || {
        let list = ring.get();
        let ties = ties.get();
        let tiers = priorities::tiers(&list);
        let others = match drag.dragging.get() {
            Some(id) => priorities::tiers_without(&list, &id),
            None => (0..tiers.len()).map(Some).collect(),
        };
        let mut items = Vec::new();
        let mut gaps_before = 0;
        for (shown, tier) in tiers.into_iter().enumerate() {
            items.push(view! { <Gap index=gaps_before/> }.into_any());
            let among_others = others.get(shown).copied().flatten();
            if let Some(index) = among_others {
                gaps_before = index + 1;
            }
            let members = list[tier.start..tier.start + tier.len].to_vec();
            items.push(
                view! { <TierItem shown=shown among_others=among_others priority=tier.priority members=members ties=ties/> }
                    .into_any(),
            );
        }
        items.push(view! { <Gap index=gaps_before/> }.into_any());
        items
    };
    let floating = move || {
        drag.floating.get().map(|row| {
            // Whole pixels: writing an `f64` would bring Rust's float formatting (about 8 kB
            // of the bundle, gzipped) for a position no one can tell from the rounded one.
            let px = |value: f64| value.round() as i64;
            let style = format!(
                "left: {}px; top: {}px; width: {}px",
                px(row.left),
                px(row.top),
                px(row.width)
            );
            view! {
                <div class="resource floating" style=style aria-hidden="true">
                    <span class="handle">"⠿"</span>
                    <code>{row.id}</code>
                </div>
            }
        })
    };

    let saved_ring = priorities::ring_order(&saved);
    let changed = {
        let saved_ring = saved_ring.clone();
        move || ring.with(|ring| *ring != saved_ring)
    };
    // The saved order is worded as the hunt was saved: ties at random, the platform's default.
    let saved_preview = priorities::ring_preview(&saved_ring, Ties::Random);
    let undo = move |_| {
        edits.restore(saved.clone());
        edits.announce("Order restored to the saved one");
    };

    view! {
        <div class="resource-editor">
            <p id="reorder-help" class="hint">
                "Drag a handle, or focus it and press Space, then the arrow keys, then Space again (Escape cancels). \
                 Dropping onto a tier joins it; dropping between tiers rings the resource between them."
            </p>
            <ol class="ring" class:dragging=move || drag.dragging.with(Option::is_some)>{tiers}</ol>
            {floating}
            <p class="preview" data-testid="ring-preview">
                <strong>"Calls will try: "</strong>
                {move || priorities::ring_preview(&ring.get(), ties.get())}
            </p>
            <Show when=changed>
                <div class="before-after">
                    <p class="subtle" data-testid="saved-preview">"Saved order: " {saved_preview.clone()}</p>
                    <button type="button" on:click=undo.clone()>"Undo: restore the saved order"</button>
                </div>
            </Show>
            <p class="status" role="status">{move || edits.status.get()}</p>
            <AddResource/>
            <p class="visually-hidden" aria-live="assertive" data-testid="announcer">{move || edits.announcement.get()}</p>
        </div>
    }
}
