//! A short notice after an action ("Saved sales_main"), shown under the header until dismissed
//! or replaced.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Notice(RwSignal<Option<String>>);

impl Notice {
    pub fn show(self, text: impl Into<String>) {
        self.0.set(Some(text.into()));
    }
}

pub fn provide_notice() {
    provide_context(Notice(RwSignal::new(None)));
}

pub fn use_notice() -> Notice {
    expect_context::<Notice>()
}

#[component]
pub fn NoticeBar() -> impl IntoView {
    let Notice(text) = use_notice();
    view! {
        <div class="notice-area" role="status" aria-live="polite">
            {move || {
                text.get()
                    .map(|message| {
                        view! {
                            <div class="notice">
                                <span>{message}</span>
                                <button class="link" aria-label="Dismiss" on:click=move |_| text.set(None)>
                                    "×"
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
