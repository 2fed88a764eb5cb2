//! Loads the hunt named by the route's `:id` for a page, with the loading, error and retry
//! states every such page shares.

use leptos::prelude::*;

use crate::api::{self, Fetched};
use crate::components::load_error::LoadError;
use crate::components::sign_in::use_auth;
use crate::live::{Heard, use_heard};
use crate::newest::newest_answer;
use crate::router::use_router;

/// The hunt as read, with the count of reads the page asked for when it was read.
type Shown = (u32, Result<Fetched, api::ApiError>);

/// Asks the page's loader to read its hunt again and draw it afresh.
#[derive(Clone, Copy)]
pub struct ReadAgain(RwSignal<u32>);

impl ReadAgain {
    pub fn ask(self) {
        self.0.update(|count| *count += 1);
    }
}

/// For a page that merges newer versions of its hunt itself (`merge_live`): the newest read,
/// the changes heard to it (who changed it last, in words: "ann changed q1"), and where each
/// newer read is handed as it comes (the form's merge, set by the form).
#[derive(Clone, Copy)]
pub struct Newest {
    pub read: RwSignal<Option<Fetched>>,
    pub heard: Memo<Heard>,
    pub merge_into: StoredValue<Option<Callback<Fetched>>>,
}

#[component]
pub fn HuntLoader(
    page_class: &'static str,
    render: fn(Fetched) -> AnyView,
    /// Read again when someone changes the hunt, and drawn afresh (the hunt's page).
    #[prop(optional)]
    follow_live: bool,
    /// Read again when someone changes the hunt, but not drawn afresh (a form would lose what
    /// was typed): the page merges each newer read itself (`Newest`).
    #[prop(optional)]
    merge_live: bool,
) -> impl IntoView {
    let follow_live = follow_live || merge_live;
    let router = use_router();
    let auth = use_auth();
    let id = move || router.page_id();
    let heard = use_heard(move |change| follow_live && change.concerns(&router.page_id()));
    // A sign-in loads again what a lost session refused; a page that wrote the hunt itself
    // (a restored version) asks for it again (`ReadAgain`).
    let rereads = RwSignal::new(0u32);
    provide_context(ReadAgain(rereads));
    let newest = RwSignal::new(None::<Fetched>);
    let merge_into = StoredValue::new(None::<Callback<Fetched>>);
    // A hunt deleted is not read again (it is gone): the line says who did it. (A memo, so
    // that the delete, which changes what was heard, asks for no read.)
    let still_there = Memo::new(move |_| heard.with(|heard| heard.still_there));
    let hunt = newest_answer(
        move || (id(), auth.sign_ins.get(), rereads.get() + still_there.get()),
        move |(id, _, asked), _| async move {
            let read = api::get(&id).await;
            if let Ok(fetched) = &read {
                newest.try_set(Some(fetched.clone()));
                // Handed to the form from this task (no effect writes the form's signals).
                if let Some(Some(merge)) = merge_into.try_get_value() {
                    merge.try_run(fetched.clone());
                }
            }
            (asked, read)
        },
    );
    if merge_live {
        provide_context(Newest {
            read: newest,
            heard,
            merge_into,
        });
    }
    // A hunt on show stays on show when the same one is read again after a sign-in: an edit
    // form drawn from it must not be drawn afresh, which would lose what was typed. One read
    // again because the page asked is drawn afresh.
    let shown = Memo::new(move |previous: Option<&Option<Shown>>| {
        let next = hunt.get();
        match (previous, &next) {
            (Some(Some((shown_at, Ok(on_show)))), Some((asked, Ok(read))))
                if on_show.hunt.id == read.hunt.id && (shown_at == asked || merge_live) =>
            {
                Some((*shown_at, Ok(on_show.clone())))
            }
            _ => next,
        }
    });
    // Drawn from the loaded value (the last one stays while another loads), not from a
    // `Suspend` in a `Transition`, which kept a little of every view it drew alive, and its
    // error drawn here too, not by an `<ErrorBoundary/>` (see `load_error.rs`).
    // "ann changed sales_main just now": said politely, where the page follows changes.
    let news = move || {
        let words = heard.with(|heard| heard.words.clone());
        words.filter(|_| !merge_live).map(|words| {
            view! { <p class="subtle live-news" role="status" data-testid="live-news">{words}" just now"</p> }
        })
    };
    view! {
        <section class=page_class>
            {news}
            <Show when=move || shown.with(Option::is_none)>
                <p class="loading-block">"Loading the hunt…"</p>
            </Show>
            <Show when=move || shown.with(Option::is_some)>
                {move || shown.get().map(|(_, fetched)| match fetched {
                    Ok(fetched) => render(fetched),
                    Err(error) => view! {
                        <LoadError reason=error.to_string() lead="" on_retry=Callback::new(move |()| ReadAgain(rereads).ask())>
                            " "
                            <a href="/hunts">"Back to the list"</a>
                        </LoadError>
                    }
                    .into_any(),
                })}
            </Show>
        </section>
    }
}
