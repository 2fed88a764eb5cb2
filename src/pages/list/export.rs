//! Export of the list as it is now (its filter and order, across all its pages): CSV of the
//! chosen columns (see `hunts_model::csv`), or JSON of whole hunts as the API returns them.
//! Pages of 1,000 are read one after another with a progress bar; each is added to a `Blob`,
//! which the browser keeps outside the page's heap, so a 100,000-hunt export never holds them
//! all in the tab at once. The file downloads at the end and stays offered for another click.

use hunts_model::{FIELDS, FieldPath, ListQuery, Mask, csv};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::api;
use crate::list_view::ListView;

const PAGE: u64 = 1_000;

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Csv,
    Json,
}

impl Format {
    fn mime(self) -> &'static str {
        match self {
            Format::Csv => "text/csv;charset=utf-8",
            Format::Json => "application/json",
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Format::Csv => "hunts.csv",
            Format::Json => "hunts.json",
        }
    }
}

/// A finished export: the file's address in this tab, its name and how many hunts it holds.
#[derive(Clone)]
struct Exported {
    url: String,
    file_name: &'static str,
    count: u64,
}

#[component]
pub fn Export(view: Signal<ListView>) -> impl IntoView {
    let progress = RwSignal::new(None::<(u64, Option<u64>)>);
    let last_url = StoredValue::new(None::<String>);
    // The last export's outcome. (A task and signals rather than an `Action`: the same in
    // less wasm, 360 kB being the budget; see docs/size.md. `try_`: the list may be gone.)
    let last_run = RwSignal::new(None::<Result<Exported, String>>);
    let busy = Signal::derive(move || progress.with(Option::is_some));
    let run = move |format: Format| {
        let view = view.get_untracked();
        // The file of the last export is let go when a new one starts.
        if let Some(url) = last_url.try_update_value(Option::take).flatten() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        progress.set(Some((0, None)));
        leptos::task::spawn_local(async move {
            let result = export(format, &view, |done, total| {
                progress.try_set(Some((done, total)));
            })
            .await;
            progress.try_set(None);
            let result = result
                .map_err(|error| error.to_string())
                .inspect(|exported| {
                    last_url.try_set_value(Some(exported.url.clone()));
                    download(&exported.url, exported.file_name);
                });
            last_run.try_set(Some(result));
        });
    };
    let progress_bar = move || {
        progress.get().map(|(done, total)| {
            let text = match total {
                Some(total) => format!("{done} of {total} hunts read"),
                None => format!("{done} hunts read"),
            };
            view! {
                <progress max=total.unwrap_or(0).max(done).max(1) value=done aria-label="Export progress"></progress>
                <span>{text}</span>
            }
        })
    };
    let outcome = move || {
        last_run.get().map(|result| match result {
            Ok(exported) => view! {
                <p role="status">
                    {format!("{} hunts exported. ", exported.count)}
                    <a class="export-file" href=exported.url download=exported.file_name>
                        {format!("Download {} again", exported.file_name)}
                    </a>
                </p>
            }
            .into_any(),
            Err(error) => view! { <p class="field-error" role="alert">{format!("The export stopped: {error}")}</p> }
                .into_any(),
        })
    };
    view! {
        <details class="export popover">
            <summary>"Export"</summary>
            <div class="panel">
                <p class="subtle">"Every hunt of this view, in its order, across all its pages."</p>
                <button type="button" disabled=busy on:click=move |_| run(Format::Csv)>"CSV (the columns on show)"</button>
                <button type="button" disabled=busy on:click=move |_| run(Format::Json)>"JSON (whole hunts)"</button>
                {progress_bar}
                {outcome}
            </div>
        </details>
    }
}

/// Reads the view's hunts page by page into a `Blob` of the format; its object URL.
async fn export(
    format: Format,
    view: &ListView,
    read: impl Fn(u64, Option<u64>),
) -> Result<Exported, api::ApiError> {
    // CSV: the id, then the columns on show; JSON: whole hunts.
    let columns: Vec<FieldPath> = FieldPath::lookup("id")
        .into_iter()
        .chain(
            view.columns
                .iter()
                .copied()
                .filter(|column| column.as_str() != "id"),
        )
        .collect();
    let mut query = match format {
        Format::Csv => ListQuery {
            flat: true,
            ..view.api_query()
        },
        // Every top-level field: a list without a mask leaves out the resources and notes.
        Format::Json => ListQuery {
            mask: Mask::new(
                FIELDS
                    .iter()
                    .filter(|field| !field.path.contains('.'))
                    .filter_map(|field| FieldPath::lookup(field.path)),
            ),
            flat: false,
            ..view.api_query()
        },
    };
    query.offset = 0;
    query.limit = Some(PAGE);
    let mut file = blob(&[match format {
        Format::Csv => csv::header(&columns),
        Format::Json => "[".to_owned(),
    }]);
    let mut count = 0;
    loop {
        // Whole hunts where the platform's list gives only some fields (see `api::whole_page`).
        let (rows, total) = match format {
            Format::Csv => {
                let page = api::list(&query).await?;
                (page.rows, page.total)
            }
            Format::Json => {
                let (rows, total) = api::whole_page(&query).await?;
                let rows = rows
                    .into_iter()
                    .filter_map(|row| match row {
                        serde_json::Value::Object(row) => Some(row),
                        _ => None,
                    })
                    .collect::<Vec<_>>();
                (rows, total)
            }
        };
        let shown = rows.len() as u64;
        let chunk: String = rows
            .iter()
            .enumerate()
            .map(|(index, row)| match format {
                // Asked for flat, so each row is in the flat form already.
                Format::Csv => csv::row(&columns, row),
                Format::Json => {
                    let separator = if count + index as u64 == 0 {
                        "\n"
                    } else {
                        ",\n"
                    };
                    let hunt = serde_json::to_string(row).unwrap_or_default();
                    format!("{separator}{hunt}")
                }
            })
            .collect();
        file = join(&file, &chunk);
        count += shown;
        query.offset += shown;
        read(count, total);
        if shown < PAGE {
            break;
        }
    }
    if format == Format::Json {
        file = join(&file, "\n]\n");
    }
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(format.mime());
    let typed =
        web_sys::Blob::new_with_blob_sequence_and_options(&js_sys::Array::of1(&file), &options)
            .map_err(js_error)?;
    let url = web_sys::Url::create_object_url_with_blob(&typed).map_err(js_error)?;
    Ok(Exported {
        url,
        file_name: format.file_name(),
        count,
    })
}

fn blob(parts: &[String]) -> web_sys::Blob {
    let array = js_sys::Array::new();
    for part in parts {
        array.push(&JsValue::from_str(part));
    }
    web_sys::Blob::new_with_str_sequence(&array).expect("a Blob of text")
}

/// The file so far with `chunk` after it: the browser keeps both parts, the page keeps neither.
fn join(file: &web_sys::Blob, chunk: &str) -> web_sys::Blob {
    let parts = js_sys::Array::of2(file, &JsValue::from_str(chunk));
    web_sys::Blob::new_with_blob_sequence(&parts).expect("a Blob of Blobs")
}

fn js_error(error: JsValue) -> api::ApiError {
    api::ApiError::Unreadable(format!("{error:?}"))
}

/// Starts the browser's download of `url` as `file_name`.
fn download(url: &str, file_name: &str) {
    use wasm_bindgen::JsCast;
    let Ok(link) = document().create_element("a") else {
        return;
    };
    let Ok(link) = link.dyn_into::<web_sys::HtmlAnchorElement>() else {
        return;
    };
    link.set_href(url);
    link.set_download(file_name);
    link.click();
}
