//! The quick lookup box in the header: `/` focuses it; a code, phone number or id opens the hunt
//! (one match), the list of matches (several), or says plainly that nothing matched.

use hunts_model::{FieldPath, Filter};
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use serde_json::Value;

use crate::api;
use crate::list_view::ListView;

#[component]
pub fn Lookup() -> impl IntoView {
    let input: NodeRef<html::Input> = NodeRef::new();
    let (key, set_key) = signal(String::new());
    let (message, set_message) = signal(None::<String>);
    let navigate = use_navigate();
    let unsaved = crate::components::unsaved::use_unsaved();

    // `/` anywhere but in a text field jumps to the box, as in most admin tools.
    let handle = window_event_listener(ev::keydown, move |event| {
        if event.key() != "/" || event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let typing = event
            .target()
            .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target).ok())
            .is_some_and(|element| {
                matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            });
        if typing {
            return;
        }
        if let Some(input) = input.get() {
            event.prevent_default();
            let _ = input.focus();
            input.select();
        }
    });
    on_cleanup(move || handle.remove());

    let search = Action::new_local(|key: &String| {
        let key = key.clone();
        async move { (key.clone(), api::lookup(&key).await) }
    });

    Effect::new(move |_| {
        let Some((key, result)) = search.value().get() else {
            return;
        };
        if result.as_ref().is_ok_and(|ids| !ids.is_empty()) && !unsaved.confirm_leave() {
            return;
        }
        match result {
            Err(error) => set_message.set(Some(error.to_string())),
            Ok(ids) if ids.is_empty() => {
                set_message.set(Some(format!("No hunt with code or number {key}")))
            }
            Ok(ids) if ids.len() == 1 => {
                set_message.set(None);
                set_key.set(String::new());
                navigate(&format!("/hunts/{}", ids[0]), NavigateOptions::default());
            }
            Ok(ids) => {
                set_message.set(None);
                let id = FieldPath::lookup("id").expect("id is a field");
                let filter = Filter::default()
                    .with(id, ids.into_iter().map(Value::String).collect())
                    .expect("ids are text");
                let view = ListView::from_query(
                    Default::default(),
                    crate::components::column_chooser::remembered(),
                );
                navigate(
                    &view.with_filter(filter).to_url(),
                    NavigateOptions::default(),
                );
            }
        }
    });

    let submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        let key = key.get_untracked().trim().to_owned();
        if key.is_empty() {
            set_message.set(Some("Type a code, a phone number or an id".to_owned()));
            return;
        }
        search.dispatch(key);
    };

    view! {
        <form class="lookup" role="search" on:submit=submit>
            <label for="lookup-key" class="visually-hidden">"Go to hunt by code, phone number or id"</label>
            <input
                id="lookup-key"
                type="search"
                placeholder="Go to code or number  /"
                autocomplete="off"
                node_ref=input
                prop:value=key
                on:input:target=move |event| {
                    set_key.set(event.target().value());
                    set_message.set(None);
                }
                on:keydown=move |event| {
                    if event.key() == "Escape" {
                        set_message.set(None);
                        if let Some(input) = input.get() {
                            let _ = input.blur();
                        }
                    }
                }
            />
            <button type="submit" disabled=move || search.pending().get()>
                {move || if search.pending().get() { "…" } else { "Go" }}
            </button>
            <p class="lookup-message" role="status" aria-live="polite">{move || message.get()}</p>
        </form>
    }
}
