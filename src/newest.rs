//! The answer to the newest of a changing request, as a signal: what `LocalResource` gives,
//! in far less wasm. The app has no `LocalResource` or `Action` at all: their machinery
//! (async-derived signals, one copy per value type) cost 22 kB of the 360 kB budget
//! (docs/size.md); a task writing a signal does the same here. Every such write is a `try_`
//! one: the page that owns the signal may be gone when the answer comes.

use std::future::Future;

use leptos::prelude::*;

/// One request's turn: whether it is still the newest (a read overtaken while it waits may
/// stop before it sends anything).
#[derive(Clone, Copy)]
pub struct Turn {
    newest: StoredValue<u64>,
    this: u64,
}

impl Turn {
    pub fn is_newest(self) -> bool {
        self.newest.try_get_value() == Some(self.this)
    }
}

/// `fetch`'s answer to the newest `request`: `request` is read in an effect, so each change
/// to what it reads sends another; an answer to an older one, coming late, is dropped. `None`
/// until the first answer; the last answer stays while the next is on its way.
pub fn newest_answer<R, T, F>(
    request: impl Fn() -> R + 'static,
    fetch: impl Fn(R, Turn) -> F + 'static,
) -> RwSignal<Option<T>>
where
    R: 'static,
    T: Send + Sync + 'static,
    F: Future<Output = T> + 'static,
{
    let answer = RwSignal::new(None);
    newest_answer_into(answer, request, fetch);
    answer
}

/// As `newest_answer`, into a signal made before (for a request that reads the answer).
pub fn newest_answer_into<R, T, F>(
    answer: RwSignal<Option<T>>,
    request: impl Fn() -> R + 'static,
    fetch: impl Fn(R, Turn) -> F + 'static,
) where
    R: 'static,
    T: Send + Sync + 'static,
    F: Future<Output = T> + 'static,
{
    let newest = StoredValue::new(0u64);
    Effect::new(move |_| {
        let request = request();
        let this = newest.get_value() + 1;
        newest.set_value(this);
        let turn = Turn { newest, this };
        let work = fetch(request, turn);
        leptos::task::spawn_local(async move {
            let value = work.await;
            if turn.is_newest() {
                answer.try_set(Some(value));
            }
        });
    });
}
