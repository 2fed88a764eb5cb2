//! The quick lookup box in the header: `/` focuses it; a code, phone number or id opens the hunt
//! (one match), the list of matches (several), or says plainly that nothing matched. A resource
//! id is found too: alone it opens where the resource is used; beside hunts that match, both
//! are offered ("res-17: in 12 hunts"). A number no hunt has leads to the hunts that transfer calls
//! to it: the hunts whose transfer numbers name it.

use hunts_model::{FieldPath, Filter, Hunt};
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use serde_json::Value;

use crate::components::unsaved::use_unsaved;
use crate::dom;
use crate::list_view::ListView;
use crate::router::use_router;
use crate::{api, routing};

/// What a lookup found when it does not simply go somewhere.
#[derive(Clone)]
enum Found {
    Nothing(String),
    /// Hunts matched (their page) and the key is also a resource in `count` hunts.
    Both {
        hunts: String,
        resource: String,
        count: u64,
    },
    /// No hunt has the number, but these hunts transfer calls to it (the list of them).
    SentTo {
        number: String,
        hunts: String,
        count: usize,
    },
}

fn resource_url(id: &str) -> String {
    format!("/resources/{}", hunts_model::encode_component(id))
}

/// Where a lookup that found `ids` leads: the hunt itself, or the list of the matches.
fn destination(ids: Vec<String>) -> String {
    if let [id] = ids.as_slice() {
        return format!("/hunts/{id}");
    }
    let id = FieldPath::lookup("id").expect("id is a field");
    let filter = Filter::default()
        .with(id, ids.into_iter().map(Value::String).collect())
        .expect("ids are text");
    ListView::from_query(Default::default(), crate::list_view::remembered_columns())
        .with_filter(filter)
        .to_url()
}

/// `/` anywhere but in a text field focuses `input`, as in most admin tools.
fn use_slash_to_focus(input: NodeRef<html::Input>) {
    let handle = window_event_listener(ev::keydown, move |event| {
        if event.key() != "/" || event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let typing = dom::target_element(&event).is_some_and(|element| dom::is_field(&element));
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
}

#[component]
pub fn Lookup() -> impl IntoView {
    let input: NodeRef<html::Input> = NodeRef::new();
    use_slash_to_focus(input);
    let (key, set_key) = signal(String::new());
    let (typed_problem, set_typed_problem) = signal(None::<String>);
    let router = use_router();
    let unsaved = use_unsaved();

    // What to say (or offer) when the key leads to nothing, or to both hunts and a resource;
    // and whether a search is on its way. (A task and two signals rather than an `Action`: the
    // same in less wasm, 360 kB being the budget; see docs/size.md.)
    let found = RwSignal::new(None::<Found>);
    let pending = RwSignal::new(false);
    // Goes where the key leads, or says why not.
    let search = move |key: String| {
        pending.set(true);
        let lookup = async move {
            let (hunts, resource) = futures::join!(api::lookup(&key), api::resource_use(&key));
            let (ids, used_in) = match (hunts, resource) {
                (Err(error), _) => return Some(Found::Nothing(error.to_string())),
                // A platform that cannot say is simply not asked about resources.
                (Ok(ids), resource) => (ids, resource.ok().flatten()),
            };
            let to = match (ids.is_empty(), used_in) {
                // A platform without the `resources.id` filter: the resource page finds the
                // hunts that ring it by reading them all, with a progress bar.
                (true, None) if !api::finds_resources_by_filter() => resource_url(&key),
                (true, None) => {
                    // An outside number: the hunts whose transfers send calls there.
                    let number = Hunt {
                        code: key.clone(),
                        phonenumber: key.clone(),
                        ..Hunt::default()
                    };
                    let senders = routing::senders_to(&[number]).await.unwrap_or_default();
                    if !senders.is_empty() {
                        let count = senders.len();
                        let ids = senders.into_iter().map(|hunt| hunt.id).collect();
                        return Some(Found::SentTo {
                            number: key,
                            hunts: destination(ids),
                            count,
                        });
                    }
                    return Some(Found::Nothing(format!(
                        "No hunt with code or number {key}, and no resource {key}"
                    )));
                }
                (false, Some(count)) => {
                    return Some(Found::Both {
                        hunts: destination(ids),
                        resource: key,
                        count,
                    });
                }
                (true, Some(_)) => resource_url(&key),
                (false, None) => destination(ids),
            };
            if unsaved.confirm_leave() {
                set_key.set(String::new());
                router.navigate(&to);
            }
            None
        };
        leptos::task::spawn_local(async move {
            let said = lookup.await;
            // The header outlives every page, but `try_`: nothing may write a disposed signal.
            found.try_set(said);
            pending.try_set(false);
        });
    };
    let message = move || {
        match (typed_problem.get(), found.get()) {
        (Some(problem), _) | (None, Some(Found::Nothing(problem))) => problem.into_any(),
        (None, Some(Found::Both { hunts, resource, count })) => view! {
            <a href=hunts on:click=move |_| set_key.set(String::new())>"Hunts with this code or number"</a>
            " · "
            <a href=resource_url(&resource) on:click=move |_| set_key.set(String::new())>
                {format!("{resource}: in {count} hunt{}", if count == 1 { "" } else { "s" })}
            </a>
        }
        .into_any(),
        (None, Some(Found::SentTo { number, hunts, count })) => view! {
            {format!("No hunt has {number}; ")}
            <a href=hunts on:click=move |_| set_key.set(String::new())>
                {format!("{count} {} to it", if count == 1 { "hunt transfers" } else { "hunts transfer" })}
            </a>
        }
        .into_any(),
        (None, None) => ().into_any(),
    }
    };
    let clear_message = move || {
        set_typed_problem.set(None);
        found.set(None);
    };

    let submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        let key = key.get_untracked().trim().to_owned();
        if key.is_empty() {
            set_typed_problem.set(Some("Type a code, a phone number or an id".to_owned()));
            return;
        }
        clear_message();
        search(key);
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
                    clear_message();
                }
                on:keydown=move |event| {
                    if event.key() == "Escape" {
                        clear_message();
                        if let Some(input) = input.get() {
                            let _ = input.blur();
                        }
                    }
                }
            />
            <button type="submit" disabled=move || pending.get()>
                {move || if pending.get() { "…" } else { "Go" }}
            </button>
            <p class="lookup-message" role="status" aria-live="polite">{message}</p>
        </form>
    }
}
