//! Saved views: the list as it is now (filter, order, columns, page size) under a name, picked
//! again from a menu. Kept in this browser; each is the view's own URL, so it is a link that can
//! be bookmarked or shared as well.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::dom;

const STORAGE_KEY: &str = "hunts-admin.views";

#[derive(Clone, PartialEq, Serialize, Deserialize)]
struct SavedView {
    name: String,
    url: String,
}

fn load() -> Vec<SavedView> {
    dom::local_storage()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default()
}

/// Whether the views could be kept (storage can be full or switched off).
fn keep(views: &[SavedView]) -> bool {
    let text = serde_json::to_value(views).map(|value| value.to_string());
    match (dom::local_storage(), text) {
        (Some(storage), Ok(text)) => storage.set_item(STORAGE_KEY, &text).is_ok(),
        _ => false,
    }
}

#[component]
pub fn SavedViews(
    /// The URL of the list as it is now.
    current: Signal<String>,
) -> impl IntoView {
    let menu: NodeRef<leptos::html::Details> = NodeRef::new();
    // Picking a view closes the menu, as a menu does.
    let close = move || {
        if let Some(menu) = menu.get_untracked() {
            menu.set_open(false);
        }
    };
    let views = RwSignal::new(load());
    let (name, set_name) = signal(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let update = move |change: &dyn Fn(&mut Vec<SavedView>)| {
        let mut next = views.get_untracked();
        change(&mut next);
        if keep(&next) {
            views.set(next);
            problem.set(None);
        } else {
            problem.set(Some(
                "This browser would not keep the view (its storage is full or off).",
            ));
        }
    };
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = name.get_untracked().trim().to_owned();
        if typed.is_empty() {
            problem.set(Some("Give the view a name."));
            return;
        }
        let view = SavedView {
            name: typed,
            url: current.get_untracked(),
        };
        // A name saved again takes the view as it is now.
        update(
            &|views| match views.iter_mut().find(|saved| saved.name == view.name) {
                Some(saved) => saved.url = view.url.clone(),
                None => views.push(view.clone()),
            },
        );
        if problem.get_untracked().is_none() {
            set_name.set(String::new());
        }
    };
    let listed = move || {
        let saved = views.get();
        if saved.is_empty() {
            return view! { <p class="subtle">"No saved views yet."</p> }.into_any();
        }
        view! {
            <ul>
                {saved
                    .into_iter()
                    .map(|view| {
                        let name = view.name.clone();
                        view! {
                            <li>
                                <a href=view.url on:click=move |_| close()>{view.name.clone()}</a>
                                <button
                                    type="button"
                                    class="link"
                                    aria-label=format!("Remove the view {name}")
                                    on:click=move |_| update(&|views| views.retain(|saved| saved.name != name))
                                >
                                    "Remove"
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <details class="saved-views popover" node_ref=menu>
            <summary>"Views"</summary>
            <div class="panel">
            {listed}
            <form on:submit=save>
                <label for="view-name">"Save this view as"</label>
                <input
                    id="view-name"
                    type="text"
                    autocomplete="off"
                    prop:value=name
                    on:input:target=move |event| set_name.set(event.target().value())
                />
                <button type="submit">"Save view"</button>
                <p class="field-error" role="alert">{move || problem.get()}</p>
            </form>
            </div>
        </details>
    }
}
