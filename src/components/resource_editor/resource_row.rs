//! One resource in the ring: its drag handle, id, priority input, move buttons and remove.

use hunts_model::Resource;
use hunts_model::priorities::{self, Step};
use leptos::prelude::*;

use super::edits::{RingEdits, handle_id};
use super::use_ring_drag::UseRingDragReturn;
use super::use_ring_keyboard::UseRingKeyboardReturn;

#[component]
pub fn ResourceRow(resource: Resource) -> impl IntoView {
    let edits = expect_context::<RingEdits>();
    let keyboard = expect_context::<UseRingKeyboardReturn>();
    let drag = expect_context::<UseRingDragReturn>();
    let Resource { id, priority } = resource;
    let name = priorities::short_id(&id);
    let (priority_problem, set_priority_problem) = signal(None::<String>);

    let is_lifted = {
        let id = id.clone();
        Memo::new(move |_| {
            keyboard
                .lifted
                .with(|lifted| lifted.as_deref() == Some(id.as_str()))
        })
    };
    let is_dragged = {
        let id = id.clone();
        move || {
            drag.dragging
                .with(|dragging| dragging.as_deref() == Some(id.as_str()))
        }
    };
    let can_step = |way: Step| {
        let id = id.clone();
        Memo::new(move |_| edits.can_step(&id, way))
    };
    let (can_move_up, can_move_down) = (can_step(Step::Up), can_step(Step::Down));
    let on_priority = {
        let id = id.clone();
        move |text: String| match text.trim().parse::<i32>() {
            Ok(priority) => {
                set_priority_problem.set(None);
                edits.set_priority(&id, priority);
            }
            Err(_) => set_priority_problem.set(Some("Priority must be a whole number".to_owned())),
        }
    };
    let with_id = |act: fn(RingEdits, &str)| {
        let id = id.clone();
        move |_| act(edits, &id)
    };

    view! {
        <li class="resource" class:lifted=is_lifted class:placeholder=is_dragged data-resource=id.clone()>
            <button
                type="button"
                class="handle"
                id=handle_id(&id)
                aria-label=format!("Reorder resource {name}")
                aria-describedby="reorder-help"
                aria-pressed=move || is_lifted.get().to_string()
                on:keydown={
                    let id = id.clone();
                    move |event| keyboard.on_key.run((id.clone(), event))
                }
                on:pointerdown={
                    let id = id.clone();
                    move |event| drag.start.run((id.clone(), event))
                }
            >
                "⠿"
            </button>
            // Where else it rings, in a new tab: the form and its edits stay as they are.
            <a
                class="resource-id"
                href=format!("/resources/{}", hunts_model::encode_component(&id))
                target="_blank"
                title=format!("Where {id} is used (opens in a new tab)")
            >
                <code>{id.clone()}</code>
            </a>
            <label class="priority">
                <span class="visually-hidden">{format!("Priority of {name}")}</span>
                <input
                    type="text"
                    inputmode="numeric"
                    class="priority-input"
                    prop:value=priority.to_string()
                    on:change:target=move |event| on_priority(event.target().value())
                />
            </label>
            <button type="button" class="move" aria-label=format!("Move {name} up") disabled=move || !can_move_up.get()
                on:click=with_id(|edits, id| edits.step(id, Step::Up))>"↑"</button>
            <button type="button" class="move" aria-label=format!("Move {name} down") disabled=move || !can_move_down.get()
                on:click=with_id(|edits, id| edits.step(id, Step::Down))>"↓"</button>
            <button type="button" class="remove" aria-label=format!("Remove resource {name}")
                on:click=with_id(RingEdits::remove)>"×"</button>
            <span class="field-error">{priority_problem}</span>
        </li>
    }
}
