//! Adding a resource: its id and a priority (by default just below the last tier). The id is
//! refused on the spot when empty or already listed.

use hunts_model::Resource;
use hunts_model::priorities::STEP;
use leptos::prelude::*;

use super::edits::RingEdits;

#[component]
pub fn AddResource() -> impl IntoView {
    let edits = expect_context::<RingEdits>();
    let (new_id, set_new_id) = signal(String::new());
    let (new_priority, set_new_priority) = signal(String::new());
    let (problem, set_problem) = signal(None::<String>);
    let suggested_priority = move || {
        edits
            .ring
            .with(|ring| {
                ring.last()
                    .map_or(100, |last| (last.priority - STEP).max(0))
            })
            .to_string()
    };
    let parsed = move || -> Result<Resource, String> {
        let id = new_id.get_untracked().trim().to_owned();
        if id.is_empty() {
            return Err("Type the resource's id".to_owned());
        }
        let text = new_priority.get_untracked();
        let text = if text.trim().is_empty() {
            suggested_priority()
        } else {
            text
        };
        let priority = text
            .trim()
            .parse::<i32>()
            .map_err(|_| "Priority must be a whole number".to_owned())?;
        Ok(Resource { id, priority })
    };
    let add = move |_| match parsed().and_then(|resource| edits.add(resource)) {
        Ok(()) => {
            set_problem.set(None);
            set_new_id.set(String::new());
            set_new_priority.set(String::new());
        }
        Err(message) => set_problem.set(Some(message)),
    };
    view! {
        <div class="add-resource">
            <label for="new-resource-id">"Add resource"</label>
            <input id="new-resource-id" placeholder="resource id" autocomplete="off" prop:value=new_id
                on:input:target=move |event| { set_new_id.set(event.target().value()); set_problem.set(None); } />
            <label for="new-resource-priority" class="visually-hidden">"Priority of the new resource"</label>
            <input id="new-resource-priority" inputmode="numeric" class="priority-input" placeholder=suggested_priority prop:value=new_priority
                on:input:target=move |event| set_new_priority.set(event.target().value()) />
            <button type="button" on:click=add>"Add"</button>
            <span class="field-error" role="alert">{problem}</span>
        </div>
    }
}
