//! The resources a hunt rings, in ring order and grouped in tiers of equal priority, reordered by
//! pointer drag (mouse, touch and pen alike, through Pointer Events), by keyboard on the drag
//! handle, or by the move buttons; with add, remove, priority editing, a preview in words of the
//! order calls will try, a before/after view and Undo. Every move follows the model's priority
//! rules (`hunts_model::priorities`), and nothing is sent until the form is saved.

use hunts_model::Resource;
use hunts_model::priorities::{self, Band, Moved, STEP, Target};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

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

fn handle_id(id: &str) -> String {
    format!(
        "handle-{}",
        id.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    )
}

fn focus_handle(id: &str) {
    let id = handle_id(id);
    request_animation_frame(move || {
        if let Some(element) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
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

/// "position 2 of 3": where resource `id` stands in a ring-ordered list, for announcements.
fn position_text(ring: &[Resource], id: &str) -> String {
    let position = ring
        .iter()
        .position(|resource| resource.id == id)
        .map_or(0, |index| index + 1);
    format!("position {position} of {}", ring.len())
}

#[component]
pub fn ResourceEditor(
    resources: Signal<Vec<Resource>>,
    saved: Vec<Resource>,
    random_ties: Signal<bool>,
    on_change: Callback<Vec<Resource>>,
) -> impl IntoView {
    let ring = Memo::new(move |_| priorities::ring_order(&resources.get()));
    let saved_ring = priorities::ring_order(&saved);
    let (announcement, announce) = signal(String::new());
    let (status, set_status) = signal(None::<String>);
    let lifted = RwSignal::new(None::<(String, Vec<Resource>)>);
    let drag = RwSignal::new(None::<Drag>);

    let apply = move |moved: Moved| {
        set_status.set(moved.respaced.then(|| {
            "There was no whole number between those priorities, so every tier was respaced by \
             10, keeping the order and the ties."
                .to_owned()
        }));
        on_change.run(moved.resources);
    };
    let step = move |id: String, up: bool| {
        let Some(moved) = priorities::step(&ring.get_untracked(), &id, up) else {
            return;
        };
        let text = format!(
            "Resource {} moved to {}",
            priorities::short_id(&id),
            position_text(&moved.resources, &id)
        );
        apply(moved);
        announce.set(text);
        focus_handle(&id);
    };

    // Keyboard: Space or Enter lifts and drops, arrows move, Escape cancels.
    let on_handle_key = move |id: String, event: ev::KeyboardEvent| {
        let name = priorities::short_id(&id);
        let current = ring.get_untracked();
        let position = position_text(&current, &id);
        let is_lifted = lifted.with_untracked(|lifted| {
            lifted
                .as_ref()
                .is_some_and(|(lifted_id, _)| *lifted_id == id)
        });
        match event.key().as_str() {
            " " | "Enter" if !is_lifted => {
                event.prevent_default();
                lifted.set(Some((id.clone(), resources.get_untracked())));
                announce.set(format!(
                    "Resource {name} lifted, {position}. Arrow keys move it, Space drops it, Escape cancels."
                ));
            }
            " " | "Enter" => {
                event.prevent_default();
                lifted.set(None);
                announce.set(format!("Resource {name} dropped, {position}"));
            }
            "ArrowUp" | "ArrowDown" if is_lifted => {
                event.prevent_default();
                step(id, event.key() == "ArrowUp");
            }
            "Escape" if is_lifted => {
                event.prevent_default();
                let Some((_, before)) = lifted.get_untracked() else {
                    return;
                };
                let back = position_text(&priorities::ring_order(&before), &id);
                lifted.set(None);
                set_status.set(None);
                on_change.run(before);
                announce.set(format!("Move cancelled. Resource {name} is back at {back}"));
                focus_handle(&id);
            }
            _ => {}
        }
    };

    // Pointer: the handle starts a drag; the window follows it, so the drag survives the row
    // being lifted out of the list.
    let on_pointer_down = move |id: String, event: ev::PointerEvent| {
        if event.button() != 0 {
            return;
        }
        event.prevent_default();
        let row = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest(".resource").ok().flatten());
        let Some(row) = row else {
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
        announce.set(format!("Resource {} lifted", priorities::short_id(&id)));
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
    };
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
        let moved = current
            .target
            .and_then(|target| priorities::move_to(&ring.get_untracked(), &current.id, target));
        match moved {
            Some(moved) => {
                let text = format!(
                    "Resource {} dropped, {}",
                    priorities::short_id(&current.id),
                    position_text(&moved.resources, &current.id)
                );
                apply(moved);
                announce.set(text);
            }
            None => announce.set("Move cancelled".to_owned()),
        }
    });
    let cancelling = window_event_listener(ev::pointercancel, move |_| {
        if drag.get_untracked().is_some() {
            drag.set(None);
            announce.set("Move cancelled".to_owned());
        }
    });
    on_cleanup(move || {
        moving.remove();
        dropping.remove();
        cancelling.remove();
    });

    // While dragging, the dragged row stays as a placeholder and a copy floats under the pointer;
    // these change only when a drag starts or ends, or the target changes, not on every move.
    let dragging = Memo::new(move |_| drag.with(|drag| drag.as_ref().map(|drag| drag.id.clone())));
    let target = Memo::new(move |_| drag.with(|drag| drag.as_ref().and_then(|drag| drag.target)));

    let row = move |resource: Resource| {
        let id = resource.id.clone();
        let name = priorities::short_id(&id);
        let (priority_problem, set_priority_problem) = signal(None::<String>);
        let can_move = |up: bool| {
            let id = id.clone();
            Memo::new(move |_| priorities::step(&ring.get(), &id, up).is_some())
        };
        let (can_move_up, can_move_down) = (can_move(true), can_move(false));
        let is_lifted = {
            let id = id.clone();
            Memo::new(move |_| {
                lifted.with(|lifted| {
                    lifted
                        .as_ref()
                        .is_some_and(|(lifted_id, _)| *lifted_id == id)
                })
            })
        };
        view! {
            <li
                class="resource"
                class:lifted=is_lifted
                class:placeholder={
                    let id = id.clone();
                    move || dragging.with(|dragging| dragging.as_deref() == Some(id.as_str()))
                }
                data-resource=id.clone()
            >
                <button
                    type="button"
                    class="handle"
                    id=handle_id(&id)
                    aria-label=format!("Reorder resource {name}")
                    aria-describedby="reorder-help"
                    aria-pressed=move || is_lifted.get().to_string()
                    on:keydown={
                        let id = id.clone();
                        move |event| on_handle_key(id.clone(), event)
                    }
                    on:pointerdown={
                        let id = id.clone();
                        move |event| on_pointer_down(id.clone(), event)
                    }
                >
                    "⠿"
                </button>
                <code class="resource-id" title=id.clone()>{id.clone()}</code>
                <label class="priority">
                    <span class="visually-hidden">{format!("Priority of {name}")}</span>
                    <input
                        type="text"
                        inputmode="numeric"
                        class="priority-input"
                        prop:value=resource.priority.to_string()
                        on:change:target={
                            let id = id.clone();
                            move |event| {
                                let text = event.target().value();
                                let Ok(priority) = text.trim().parse::<i32>() else {
                                    set_priority_problem.set(Some("Priority must be a whole number".to_owned()));
                                    return;
                                };
                                set_priority_problem.set(None);
                                let mut updated = resources.get_untracked();
                                if let Some(resource) = updated.iter_mut().find(|r| r.id == id) {
                                    resource.priority = priority;
                                }
                                on_change.run(priorities::ring_order(&updated));
                            }
                        }
                    />
                </label>
                <button type="button" class="move" aria-label=format!("Move {name} up") disabled=move || !can_move_up.get() on:click={
                    let id = id.clone();
                    move |_| step(id.clone(), true)
                }>"↑"</button>
                <button type="button" class="move" aria-label=format!("Move {name} down") disabled=move || !can_move_down.get() on:click={
                    let id = id.clone();
                    move |_| step(id.clone(), false)
                }>"↓"</button>
                <button type="button" class="remove" aria-label=format!("Remove resource {name}") on:click={
                    let id = id.clone();
                    move |_| {
                        on_change.run(resources.get_untracked().into_iter().filter(|r| r.id != id).collect());
                        announce.set(format!("Resource {} removed", priorities::short_id(&id)));
                    }
                }>"×"</button>
                <span class="field-error">{priority_problem}</span>
            </li>
        }
    };

    let tiers_view = move || {
        let list = ring.get();
        let random = random_ties.get();
        let tiers = priorities::tiers(&list);
        // Indices among the other tiers while a drag is on (see `priorities::tiers_without`).
        let others = match dragging.get() {
            Some(id) => priorities::tiers_without(&list, &id),
            None => (0..tiers.len()).map(Some).collect(),
        };
        let gap = move |index: usize| {
            view! { <li class="gap" class:active=move || target.get() == Some(Target::Gap(index)) aria-hidden="true"></li> }
        };
        let mut items = Vec::new();
        let mut gaps_before = 0;
        for (shown, tier) in tiers.into_iter().enumerate() {
            items.push(gap(gaps_before).into_any());
            let members: Vec<Resource> = list[tier.start..tier.start + tier.len].to_vec();
            let together = (tier.len > 1).then_some(if random {
                "rung together, at random"
            } else {
                "same priority"
            });
            let among_others = others.get(shown).copied().flatten();
            if let Some(index) = among_others {
                gaps_before = index + 1;
            }
            // Tiers below the gap the pointer is over slide down: the list making room.
            let makes_room = move || match (target.get(), among_others) {
                (Some(Target::Gap(gap)), Some(index)) => index >= gap,
                _ => false,
            };
            items.push(
                view! {
                    <li
                        class="tier"
                        class:together=together.is_some()
                        class:target=move || among_others.is_some() && target.get() == among_others.map(Target::Tier)
                        class:room=makes_room
                        data-tier=shown
                    >
                        <div class="tier-label">
                            <span>{format!("priority {}", tier.priority)}</span>
                            {together.map(|text| view! { <span class="together-label">{text}</span> })}
                        </div>
                        <ul>
                            <For each=move || members.clone() key=|resource| resource.id.clone() let:resource>
                                {row(resource)}
                            </For>
                        </ul>
                    </li>
                }
                .into_any(),
            );
        }
        items.push(gap(gaps_before).into_any());
        items
    };

    let floating = move || {
        drag.get().map(|drag| {
            let style = format!(
                "left: {}px; top: {}px; width: {}px",
                drag.left,
                drag.client_y - drag.grab_offset,
                drag.width
            );
            view! {
                <div class="resource floating" style=style aria-hidden="true">
                    <span class="handle">"⠿"</span>
                    <code>{drag.id.clone()}</code>
                </div>
            }
        })
    };

    // Add a resource: the id is refused on the spot when empty or already listed.
    let (new_id, set_new_id) = signal(String::new());
    let (new_priority, set_new_priority) = signal(String::new());
    let (add_problem, set_add_problem) = signal(None::<String>);
    let suggested_priority = move || {
        ring.with(|ring| {
            ring.last()
                .map_or(100, |last| (last.priority - STEP).max(0))
        })
        .to_string()
    };
    let add = move |_| {
        let id = new_id.get_untracked().trim().to_owned();
        if id.is_empty() {
            return set_add_problem.set(Some("Type the resource's id".to_owned()));
        }
        if ring.with_untracked(|ring| ring.iter().any(|r| r.id == id)) {
            return set_add_problem.set(Some(format!("Resource {id} is already in this hunt")));
        }
        let text = new_priority.get_untracked();
        let text = if text.trim().is_empty() {
            suggested_priority()
        } else {
            text
        };
        let Ok(priority) = text.trim().parse::<i32>() else {
            return set_add_problem.set(Some("Priority must be a whole number".to_owned()));
        };
        let mut updated = resources.get_untracked();
        updated.push(Resource {
            id: id.clone(),
            priority,
        });
        let updated = priorities::ring_order(&updated);
        announce.set(format!(
            "Resource {} added at {}",
            priorities::short_id(&id),
            position_text(&updated, &id)
        ));
        on_change.run(updated);
        set_add_problem.set(None);
        set_new_id.set(String::new());
        set_new_priority.set(String::new());
    };

    let saved_for_preview = saved_ring.clone();
    let changed = move || ring.get() != saved_for_preview;
    let saved_preview = priorities::ring_preview(&saved_ring, true);
    let saved_for_undo = saved.clone();

    view! {
        <div class="resource-editor">
            <p id="reorder-help" class="hint">
                "Drag a handle, or focus it and press Space, then the arrow keys, then Space again (Escape cancels). \
                 Dropping onto a tier joins it; dropping between tiers rings the resource between them."
            </p>
            <ol class="ring" class:dragging=move || dragging.with(Option::is_some)>{tiers_view}</ol>
            {floating}
            <p class="preview" data-testid="ring-preview">
                <strong>"Calls will try: "</strong>
                {move || priorities::ring_preview(&ring.get(), random_ties.get())}
            </p>
            <Show when=changed.clone()>
                <div class="before-after">
                    <p class="subtle" data-testid="saved-preview">"Saved order: " {saved_preview.clone()}</p>
                    <button type="button" on:click={
                        let saved = saved_for_undo.clone();
                        move |_| {
                            on_change.run(saved.clone());
                            set_status.set(None);
                            announce.set("Order restored to the saved one".to_owned());
                        }
                    }>"Undo: restore the saved order"</button>
                </div>
            </Show>
            <p class="status" role="status">{status}</p>
            <div class="add-resource">
                <label for="new-resource-id">"Add resource"</label>
                <input id="new-resource-id" placeholder="resource id" autocomplete="off" prop:value=new_id
                    on:input:target=move |event| { set_new_id.set(event.target().value()); set_add_problem.set(None); } />
                <label for="new-resource-priority" class="visually-hidden">"Priority of the new resource"</label>
                <input id="new-resource-priority" inputmode="numeric" class="priority-input" placeholder=suggested_priority prop:value=new_priority
                    on:input:target=move |event| set_new_priority.set(event.target().value()) />
                <button type="button" on:click=add>"Add"</button>
                <span class="field-error" role="alert">{add_problem}</span>
            </div>
            <p class="visually-hidden" aria-live="assertive" data-testid="announcer">{announcement}</p>
        </div>
    }
}
