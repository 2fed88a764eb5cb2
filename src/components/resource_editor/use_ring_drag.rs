//! Dragging a resource by its handle with a pointer (mouse, touch and pen alike, through Pointer
//! Events), as leptos-use's `use_draggable` does it: the hook follows the pointer and returns
//! what to draw as signals; the editor draws them and decides what a drop does.

use hunts_model::Resource;
use hunts_model::priorities::{self, Band, Target};
use leptos::ev;
use leptos::prelude::*;

use crate::dom;

/// A pointer drag in progress. Targets are hit-tested against the tiers as they were when the
/// drag started (in page coordinates), so the list making room never moves a target away from
/// under the pointer.
#[derive(Clone, Debug, PartialEq)]
struct Drag {
    id: String,
    pointer_id: i32,
    bands: Vec<Band>,
    /// Where the row was grabbed, so the floating copy stays under the pointer.
    grab_offset: f64,
    left: f64,
    width: f64,
    client_y: f64,
    target: Option<Target>,
}

/// The copy of the dragged row that floats under the pointer, in viewport pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Floating {
    pub id: String,
    pub left: f64,
    pub top: f64,
    pub width: f64,
}

/// What the drag hook gives the editor.
#[derive(Clone, Copy)]
pub struct UseRingDragReturn {
    /// The resource being dragged. Changes only when a drag starts or ends, not on every move.
    pub dragging: Memo<Option<String>>,
    /// Where it would land if dropped now; changes only when the target does.
    pub target: Memo<Option<Target>>,
    pub floating: Memo<Option<Floating>>,
    /// The handles' `pointerdown`.
    pub start: Callback<(String, ev::PointerEvent)>,
}

/// `ring` is the ring as shown; `on_lift` hears of a drag's start, `on_drop` of its end with
/// the target under the pointer (`None`: cancelled).
pub fn use_ring_drag(
    ring: Memo<Vec<Resource>>,
    on_lift: Callback<String>,
    on_drop: Callback<(String, Option<Target>)>,
) -> UseRingDragReturn {
    let drag = RwSignal::new(None::<Drag>);

    let start = Callback::new(move |(id, event): (String, ev::PointerEvent)| {
        if event.button() != 0 {
            return;
        }
        event.prevent_default();
        let Some(row) = dom::target_element(&event)
            .and_then(|element| element.closest(".resource").ok().flatten())
        else {
            return;
        };
        // The row is lifted out of the list (and so out of the page) while it is dragged; a
        // touch's events would follow it there. Capturing them on the editor, which stays, keeps
        // them coming to the window's listeners for mouse, touch and pen alike.
        if let Ok(Some(editor)) = row.closest(".resource-editor") {
            let _ = editor.set_pointer_capture(event.pointer_id());
        }
        let rect = row.get_bounding_client_rect();
        let client_y = f64::from(event.client_y());
        let current = ring.get_untracked();
        on_lift.run(id.clone());
        drag.set(Some(Drag {
            bands: measure_bands(&current, &id),
            target: priorities::current_target(&current, &id),
            id,
            pointer_id: event.pointer_id(),
            grab_offset: client_y - rect.top(),
            left: rect.left(),
            width: rect.width(),
            client_y,
        }));
    });

    // The window follows the pointer, so the drag survives the row being lifted out of the list.
    let moving = window_event_listener(ev::pointermove, move |event| {
        let Some(current) = drag.get_untracked() else {
            return;
        };
        if current.pointer_id != event.pointer_id() {
            return;
        }
        event.prevent_default();
        let target = Some(priorities::target_at(
            &current.bands,
            f64::from(event.page_y()),
        ));
        drag.set(Some(Drag {
            client_y: f64::from(event.client_y()),
            target,
            ..current
        }));
    });
    let dropping = window_event_listener(ev::pointerup, move |event| {
        let Some(current) = drag.get_untracked() else {
            return;
        };
        if current.pointer_id != event.pointer_id() {
            return;
        }
        drag.set(None);
        on_drop.run((current.id, current.target));
    });
    let cancelling = window_event_listener(ev::pointercancel, move |_| {
        if let Some(current) = drag.get_untracked() {
            drag.set(None);
            on_drop.run((current.id, None));
        }
    });
    on_cleanup(move || {
        moving.remove();
        dropping.remove();
        cancelling.remove();
    });

    UseRingDragReturn {
        dragging: Memo::new(move |_| drag.with(|drag| drag.as_ref().map(|drag| drag.id.clone()))),
        target: Memo::new(move |_| drag.with(|drag| drag.as_ref().and_then(|drag| drag.target))),
        floating: Memo::new(move |_| {
            drag.with(|drag| {
                drag.as_ref().map(|drag| Floating {
                    id: drag.id.clone(),
                    left: drag.left,
                    top: drag.client_y - drag.grab_offset,
                    width: drag.width,
                })
            })
        }),
        start,
    }
}

/// The shown tiers' extents in page coordinates, with their indices among the other tiers.
fn measure_bands(ring: &[Resource], dragged: &str) -> Vec<Band> {
    let scroll_y = window().scroll_y().unwrap_or(0.0);
    priorities::tiers_without(ring, dragged)
        .into_iter()
        .enumerate()
        .filter_map(|(shown, tier)| {
            let element = document()
                .query_selector(&format!(".ring [data-tier='{shown}']"))
                .ok()??;
            let rect = element.get_bounding_client_rect();
            Some(Band {
                top: rect.top() + scroll_y,
                bottom: rect.bottom() + scroll_y,
                tier,
            })
        })
        .collect()
}
