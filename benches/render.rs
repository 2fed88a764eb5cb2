//! How fast the list shows hunts in a real headless Chromium, beside a hand-written JavaScript
//! page (`benches/vanilla/list.js`) served from the same origin, which makes the same API request
//! and draws the same table markup with the same stylesheet. Timed by each page's own clock:
//! from navigation start to the filled table (for the app: wasm download and compile, the first
//! request, the render), and from a header click to the re-sorted table. 1,000 hunts, a page of
//! 100 rows and a page of all 1,000; the runs of the two pages take turns. Prints medians and
//! the ratio; asserts nothing. Needs the built app (`cargo xtask bench` builds it).

use browser_harness as common;

use std::time::Duration;

use axum::response::Html;
use axum::routing::get;
use common::{Harness, hunt};
use hunts_model::{FieldPath, Kind, encode_component};
use serde_json::json;

const RUNS: usize = 31;
const HUNTS: usize = 1_000;
/// The app's default columns, as its list asks for them (the groups it asks for whole).
const COLUMNS: [&str; 9] = [
    "code",
    "phonenumber",
    "priority",
    "type",
    "strategy.mode",
    "objmode",
    "displayname",
    "huntblock.enabled",
    "ext.lwt",
];
const MASK: &str =
    "code,phonenumber,priority,type,strategy,objmode,displayname,huntblock,ext.lwt,id";

/// Resolves, once the first row's code is `arguments[0]` and that frame has been drawn, with the
/// time since `arguments[1]` (or since navigation start). It checks on every animation frame;
/// the timeout after the frame that shows the row runs once its layout and paint are done, so
/// the figure is what a user waits for, whichever way each page changes the DOM.
const WAIT_FOR_FIRST_ROW: &str = "
    const [expected, since, done] = arguments;
    const start = since === null ? 0 : since;
    (function check() {
        const cell = document.querySelector('table.hunts tbody tr td a');
        if (cell && cell.textContent === expected) setTimeout(() => done(performance.now() - start), 0);
        else requestAnimationFrame(check);
    })();";

const CLICK_PRIORITY: &str = "const now = performance.now(); \
    document.querySelector(\"th[data-column='priority'] button\").click(); return now;";

fn code(index: usize) -> String {
    format!("queue_{index:04}")
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// The hand-written page for a page size: the app's stylesheet, the columns and the queries.
fn vanilla_page(stylesheet: &str, limit: usize) -> String {
    let columns: Vec<_> = COLUMNS
        .iter()
        .map(|path| {
            let field = FieldPath::lookup(path).expect("a catalog field");
            json!({
                "path": path,
                "label": field.label(),
                "numeric": field.kind() == Kind::Count,
                "timestamp": field.kind() == Kind::Timestamp,
            })
        })
        .collect();
    let query = |order: &str| {
        format!(
            "mask={}&flat=true&limit={limit}&order={}",
            encode_component(MASK),
            encode_component(order)
        )
    };
    let bench = json!({
        "columns": columns,
        "queries": {
            "initial": query(r#"["priority"]"#),
            "resorted": query(r#"[{"priority":"desc"}]"#),
        },
    });
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Hand-written list</title>\
         <link rel=\"stylesheet\" href=\"/{stylesheet}\"></head><body><main><section class=\"list-page\">\
         <div class=\"table-wrap\"><table class=\"hunts\"></table></div></section></main>\
         <script>window.BENCH = {bench};</script><script>{}</script></body></html>",
        include_str!("vanilla/list.js")
    )
}

/// The built app's stylesheet, as trunk named it.
fn stylesheet() -> String {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    std::fs::read_dir(dist)
        .expect("the built app")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .find(|name| name.starts_with("main-") && name.ends_with(".css"))
        .expect("the app's stylesheet in dist/")
}

struct Timings {
    load: Vec<f64>,
    sort: Vec<f64>,
}

/// Opens `path`, waits for the first row (ascending priority), clicks the priority header and
/// waits for the reversed order.
async fn measure(harness: &Harness, path: &str, into: &mut Timings) {
    harness.open("/blank").await;
    harness.open(path).await;
    let loaded = harness
        .browser
        .execute_async(
            WAIT_FOR_FIRST_ROW,
            vec![code(0).into(), serde_json::Value::Null],
        )
        .await
        .unwrap();
    into.load.push(loaded.as_f64().unwrap_or_default());
    let clicked = harness
        .browser
        .execute(CLICK_PRIORITY, vec![])
        .await
        .unwrap();
    let sorted = harness
        .browser
        .execute_async(WAIT_FOR_FIRST_ROW, vec![code(HUNTS - 1).into(), clicked])
        .await
        .unwrap();
    into.sort.push(sorted.as_f64().unwrap_or_default());
    tokio::time::sleep(Duration::from_millis(50)).await;
}

#[tokio::main]
async fn main() {
    let hunts = (0..HUNTS)
        .map(|index| hunt(&code(index), &format!("{}", 70_000 + index), index as u32))
        .collect();
    let stylesheet = stylesheet();
    let pages = [100, HUNTS].map(|limit| (limit, vanilla_page(&stylesheet, limit)));
    let routes = pages.clone();
    let harness = Harness::start_with(hunts, move |router| {
        routes.into_iter().fold(router, |router, (limit, page)| {
            router.route(
                &format!("/vanilla-{limit}"),
                get(move || async move { Html(page) }),
            )
        })
    })
    .await;

    // For profiling by hand: `RENDER_HOLD=1` keeps this server (its hunts, the built app and the
    // hand-written pages) up for an hour instead of measuring.
    if std::env::var("RENDER_HOLD").is_ok() {
        println!("HOLD {}", harness.base);
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    println!(
        "{:<44} {:>10} {:>14} {:>7}",
        "", "the app", "hand-written", "ratio"
    );
    for (limit, _) in pages {
        let app_path = format!(
            "/hunts?order={}&limit={limit}",
            encode_component(r#"["priority"]"#)
        );
        let (mut app, mut vanilla) = (
            Timings {
                load: vec![],
                sort: vec![],
            },
            Timings {
                load: vec![],
                sort: vec![],
            },
        );
        for _ in 0..RUNS {
            measure(&harness, &app_path, &mut app).await;
            measure(&harness, &format!("/vanilla-{limit}"), &mut vanilla).await;
        }
        for (what, app, vanilla) in [
            (
                "navigation start to the filled table",
                app.load,
                vanilla.load,
            ),
            (
                "header click to the re-sorted table",
                app.sort,
                vanilla.sort,
            ),
        ] {
            let (app, vanilla) = (median(app), median(vanilla));
            println!(
                "{:<44} {app:>7.1} ms {vanilla:>11.1} ms {:>6.2}x",
                format!("{what} ({limit} rows)"),
                app / vanilla
            );
        }
    }
    println!("(medians of {RUNS} runs each, {HUNTS} hunts on the server)");
    harness.stop().await;
}
