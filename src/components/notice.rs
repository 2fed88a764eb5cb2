//! A short notice after an action ("Saved sales_main"), shown under the header until dismissed
//! or replaced; after a delete it offers Undo for ten seconds.

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

/// How long Undo is offered.
const UNDO_FOR: Duration = Duration::from_secs(10);

/// What Undo does. Kept by the notice itself, not by the page that offered it: that page is
/// usually gone (a deleted hunt's page) by the time Undo is pressed.
type Undo = Rc<dyn Fn()>;

#[derive(Clone)]
struct Message {
    text: String,
    undo: Option<Undo>,
    /// Tells a notice from the next one, so a timer only takes Undo off its own.
    serial: u64,
}

#[derive(Clone, Copy)]
pub struct Notice(RwSignal<Option<Message>, LocalStorage>);

impl Notice {
    pub fn show(self, text: impl Into<String>) {
        self.put(text.into(), None);
    }

    /// A notice with an Undo button, offered for ten seconds.
    pub fn show_with_undo(self, text: impl Into<String>, undo: impl Fn() + 'static) {
        let undo: Undo = Rc::new(undo);
        let serial = self.put(text.into(), Some(undo));
        set_timeout(
            move || {
                self.0.update(|message| {
                    if let Some(message) =
                        message.as_mut().filter(|message| message.serial == serial)
                    {
                        message.undo = None;
                    }
                });
            },
            UNDO_FOR,
        );
    }

    /// Takes the notice (and its Undo, which holds a hunt) away: the session is over.
    pub fn clear(self) {
        self.0.set(None);
    }

    fn put(self, text: String, undo: Option<Undo>) -> u64 {
        let serial = self
            .0
            .with_untracked(|message| message.as_ref().map_or(0, |m| m.serial + 1));
        self.0.set(Some(Message { text, undo, serial }));
        serial
    }
}

pub fn provide_notice() {
    provide_context(Notice(RwSignal::new_local(None)));
}

pub fn use_notice() -> Notice {
    expect_context::<Notice>()
}

#[component]
pub fn NoticeBar() -> impl IntoView {
    let Notice(message) = use_notice();
    view! {
        <div class="notice-area" role="status" aria-live="polite">
            {move || {
                message.get().map(|Message { text, undo, .. }| {
                    view! {
                        <div class="notice">
                            <span>{text}</span>
                            {undo.map(|undo| view! {
                                <button class="link" on:click=move |_| { message.update(|m| if let Some(m) = m { m.undo = None }); undo(); }>
                                    "Undo"
                                </button>
                            })}
                            <button class="link" aria-label="Dismiss" on:click=move |_| message.set(None)>
                                "×"
                            </button>
                        </div>
                    }
                })
            }}
        </div>
    }
}
