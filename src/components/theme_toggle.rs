//! Light or dark: the system's choice until the user picks one here, which is remembered in the
//! browser. The stylesheet reads `html[data-theme]`.

use leptos::prelude::*;

use crate::dom;

const STORAGE_KEY: &str = "hunts-admin.theme";

fn system_is_dark() -> bool {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}

fn show(dark: bool) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
    }
}

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let remembered =
        dom::local_storage().and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
    let dark_at_start = match remembered.as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => system_is_dark(),
    };
    if remembered.is_some() {
        show(dark_at_start);
    }
    let (dark, set_dark) = signal(dark_at_start);
    let toggle = move |_| {
        let now_dark = !dark.get_untracked();
        show(now_dark);
        if let Some(storage) = dom::local_storage() {
            // Storage can be full or disabled; the choice then lasts as long as the tab.
            let _ = storage.set_item(STORAGE_KEY, if now_dark { "dark" } else { "light" });
        }
        set_dark.set(now_dark);
    };
    view! {
        <button type="button" class="link theme-toggle" aria-pressed=move || dark.get().to_string() on:click=toggle>
            "Dark theme"
        </button>
    }
}
