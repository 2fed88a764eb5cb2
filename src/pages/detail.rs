//! The detail page: every field of one hunt, grouped as an administrator thinks of them, with
//! edit and delete (delete asks first, naming the hunt's code).

use hunts_model::{Hunt, Strategy};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api::{self, Fetched};
use crate::components::hunt_loader::HuntLoader;
use crate::components::notice::use_notice;
use crate::format::local_time;

fn dash_if_empty(text: &str) -> String {
    if text.is_empty() {
        "—".to_owned()
    } else {
        text.to_owned()
    }
}

fn limit(value: u32, unit: &str) -> String {
    if value == 0 {
        "no limit".to_owned()
    } else {
        format!("{value}{unit}")
    }
}

#[component]
pub fn HuntDetail() -> impl IntoView {
    view! { <HuntLoader page_class="detail-page" render=|fetched| view! { <HuntView fetched=fetched/> }.into_any()/> }
}

#[component]
fn HuntView(fetched: Fetched) -> impl IntoView {
    let Fetched { hunt, etag } = fetched;
    let navigate = use_navigate();
    let notice = use_notice();
    let (confirming, set_confirming) = signal(false);

    let remove = Action::new_local(move |(id, etag): &(String, Option<String>)| {
        let (id, etag) = (id.clone(), etag.clone());
        async move { api::delete(&id, etag.as_deref()).await }
    });
    let code = hunt.code.clone();
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            notice.show(format!("Deleted hunt {code}"));
            navigate("/hunts", NavigateOptions::default());
        }
    });
    let delete_error = move || {
        remove
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| error.to_string())
    };

    let Hunt { id, code, .. } = hunt.clone();
    let strategy = match &hunt.strategy {
        Strategy::Simple => "simple".to_owned(),
        Strategy::Timers { seconds } => {
            let seconds: Vec<String> = seconds.iter().map(|s| format!("{s} s")).collect();
            format!("timers: {}", seconds.join(", "))
        }
    };
    let block = if hunt.huntblock.enabled {
        let expires = if hunt.huntblock.expires == 0 {
            "until unblocked".to_owned()
        } else {
            format!("for {} s", hunt.huntblock.expires)
        };
        format!(
            "Blocked {expires}{}",
            if hunt.huntblock.reason.is_empty() {
                String::new()
            } else {
                format!(" ({})", hunt.huntblock.reason)
            }
        )
    } else {
        "Not blocked".to_owned()
    };
    let rows = |items: Vec<(&'static str, String)>| {
        items
            .into_iter()
            .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
            .collect_view()
    };

    view! {
        <div class="detail-head">
            <h1>
                {code.clone()}
                {(!hunt.displayname.is_empty()).then(|| view! { <span class="subtle">" " {hunt.displayname.clone()}</span> })}
            </h1>
            <div class="actions">
                <A href=format!("/hunts/{id}/edit")>"Edit"</A>
                <button class="danger" on:click=move |_| set_confirming.set(true)>"Delete…"</button>
            </div>
        </div>
        <Show when=move || confirming.get()>
            {
                let (id, etag, code) = (id.clone(), etag.clone(), code.clone());
                view! {
                    <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
                        <p id="confirm-text">"Delete hunt " <strong>{code.clone()}</strong> "? Calls to it will no longer queue."</p>
                        <button
                            class="danger"
                            id="confirm-delete"
                            disabled=move || remove.pending().get()
                            on:click=move |_| { remove.dispatch((id.clone(), etag.clone())); }
                        >
                            {format!("Delete {code}")}
                        </button>
                        <button on:click=move |_| set_confirming.set(false)>"Cancel"</button>
                        <p class="field-error">{delete_error}</p>
                    </div>
                }
            }
        </Show>
        <div class="groups">
            <section>
                <h2>"Identity"</h2>
                <dl>{rows(vec![
                    ("Code", hunt.code.clone()),
                    ("Phone number", dash_if_empty(&hunt.phonenumber)),
                    ("Display name", dash_if_empty(&hunt.displayname)),
                    ("Title", dash_if_empty(&hunt.opts.title)),
                    ("Type", hunt.kind.clone()),
                    ("Id", hunt.id.clone()),
                ])}</dl>
            </section>
            <section>
                <h2>"Routing"</h2>
                <dl>{rows(vec![
                    ("Strategy", strategy),
                    ("Resource mode", hunt.resmode.clone()),
                    ("Queue mode", hunt.objmode.clone()),
                    ("Priority", hunt.priority.to_string()),
                    ("Weight", hunt.weight.to_string()),
                    ("Resource limit", limit(hunt.reslimit, "")),
                    ("Exit when no resource", if hunt.opts.exit_no_resource { "yes" } else { "no" }.to_owned()),
                ])}</dl>
            </section>
            <section>
                <h2>"Attempts and timeouts"</h2>
                <dl>{rows(vec![
                    ("Max attempts", limit(hunt.maxattempts, "")),
                    ("Then transfer to", dash_if_empty(&hunt.maxattemptstrannumber)),
                    ("Timeout", limit(hunt.timeout, " s")),
                    ("Then transfer to", dash_if_empty(&hunt.timeouttrannumber)),
                    ("Resource dial timeout", limit(hunt.resdialtimeout, " s")),
                    ("Resource ban", limit(hunt.resbansec, " s")),
                ])}</dl>
            </section>
            <section>
                <h2>"IVR scripts"</h2>
                <dl>{rows(vec![
                    ("Welcome", dash_if_empty(&hunt.wivrscript)),
                    ("Before queue", dash_if_empty(&hunt.preivrscript)),
                    ("In queue", dash_if_empty(&hunt.qivrscript)),
                ])}</dl>
            </section>
            <section>
                <h2>"Block"</h2>
                <p data-testid="block">{block}</p>
                <h2>"Notes"</h2>
                <p class="notes">{dash_if_empty(&hunt.opts.comment)}</p>
            </section>
            <section>
                <h2>"Resources in ring order"</h2>
                {if hunt.resources.is_empty() {
                    view! { <p class="subtle">"No resources: calls wait until one is added."</p> }.into_any()
                } else {
                    view! {
                        <ol class="resources">
                            {hunt.resources.iter().map(|resource| view! {
                                <li><code>{resource.id.clone()}</code> <span class="subtle">" priority " {resource.priority}</span></li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
            <section>
                <h2>"History"</h2>
                <dl>{rows(vec![
                    ("Created", local_time(&hunt.ext.ct)),
                    ("Last written", local_time(&hunt.ext.lwt)),
                ])}</dl>
            </section>
        </div>
    }
}
