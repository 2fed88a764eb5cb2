//! Work on many hunts in a real headless Chromium against the reference server: a bulk change
//! (a resource added) applied to 1,000 hunts, from Apply to the report (goal: at most 10 s),
//! with the progress bar sampled as it moves; an import of a 1,000-hunt CSV; then an export of 100,000 hunts to JSON and to
//! CSV: time, and the tab's peak JS heap while it runs (goal: at most 300 MB). Prints figures;
//! asserts nothing. Needs the built app (`cargo xtask bench` builds it).

use browser_harness as common;

use std::time::{Duration, Instant};

use common::{Harness, hunt};
use futures::StreamExt;

/// Adds hunts `from..to`, 16 creates at a time.
async fn seed(harness: &Harness, from: usize, to: usize) {
    futures::stream::iter(from..to)
        .map(|index| {
            let store = harness.store.clone();
            async move {
                store
                    .create(hunt(
                        &format!("queue_{index:06}"),
                        &format!("{}", 100_000 + index),
                        1,
                    ))
                    .await
                    .unwrap();
            }
        })
        .buffer_unordered(16)
        .collect::<Vec<()>>()
        .await;
}

/// Samples the page's JS heap every 50 ms into `window.peakHeap` until stopped.
const WATCH_HEAP: &str = "window.peakHeap = performance.memory.usedJSHeapSize; \
    window.heapWatch = setInterval(() => { \
        window.peakHeap = Math.max(window.peakHeap, performance.memory.usedJSHeapSize); }, 50);";

async fn bulk_change(harness: &Harness) {
    harness.open("/hunts").await;
    harness.find("table.hunts").await;
    harness.click_text("Select all 1000 that match").await;
    harness
        .wait_for_text("[data-testid='selected-count']", "1000 selected")
        .await;
    harness.type_into("#bulk-resource", "newbie").await;
    let start = Instant::now();
    harness.click_text("Preview").await;
    harness
        .wait_for_text("[data-testid='bulk-summary']", "1000 will change")
        .await;
    let preview = start.elapsed();

    let start = Instant::now();
    harness.click_text("Apply to 1000 hunts").await;
    let mut seen = Vec::new();
    loop {
        let progress = harness
            .browser
            .execute(
                "const bar = document.querySelector('.bulk progress'); return bar ? bar.value : null;",
                vec![],
            )
            .await
            .unwrap();
        if let Some(value) = progress.as_f64()
            && seen.last() != Some(&value)
        {
            seen.push(value);
        }
        let report = harness
            .browser
            .execute(
                "const report = document.querySelector(\"[data-testid='bulk-report']\"); \
                 return report ? report.textContent : '';",
                vec![],
            )
            .await
            .unwrap();
        if report
            .as_str()
            .is_some_and(|text| text.contains("1000 changed"))
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the bulk change did not finish"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "bulk change, 1,000 hunts: preview {:.1} s, apply to the report {:.1} s (goal 10 s); the progress bar showed {} values on the way",
        preview.as_secs_f64(),
        start.elapsed().as_secs_f64(),
        seen.len()
    );
}

async fn export(harness: &Harness, button: &str, total: usize) {
    harness.open("/hunts").await;
    harness.find("table.hunts").await;
    harness.browser.execute(WATCH_HEAP, vec![]).await.unwrap();
    harness.click(".export summary").await;
    let start = Instant::now();
    harness.click_text(button).await;
    harness
        .browser
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(600)),
            None,
            None,
        ))
        .await
        .unwrap();
    loop {
        let done = harness
            .browser
            .execute(
                "const status = document.querySelector('.export [role=status]'); \
                 return status ? status.textContent : '';",
                vec![],
            )
            .await
            .unwrap();
        if done
            .as_str()
            .is_some_and(|text| text.contains(&format!("{total} hunts exported")))
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "the export did not finish"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let elapsed = start.elapsed();
    let peak = harness
        .browser
        .execute(
            "clearInterval(window.heapWatch); return window.peakHeap;",
            vec![],
        )
        .await
        .unwrap();
    println!(
        "export of {total} hunts, {button}: {:.1} s, the tab's peak JS heap {:.1} MB (goal 300 MB)",
        elapsed.as_secs_f64(),
        peak.as_f64().unwrap_or_default() / 1e6
    );
}

/// A CSV of 1,000 hunts, half of them changes to hunts the server has (matched by code) and
/// half new: from choosing the file to the dry run's table, and from Import to the report.
async fn import(harness: &Harness) {
    let mut csv = String::from("code,phonenumber,weight\r\n");
    for index in 0..500 {
        csv.push_str(&format!("queue_{index:06},{},5\r\n", 100_000 + index));
    }
    for index in 0..500 {
        csv.push_str(&format!("imported_{index:06},{},2\r\n", 900_000 + index));
    }
    harness.open("/hunts").await;
    harness.find("table.hunts").await;
    harness.click_text("Import").await;
    let start = Instant::now();
    harness
        .choose_file("#import-file", "import.csv", &csv)
        .await;
    harness
        .wait_for_text(
            "[data-testid='import-summary']",
            "500 to create, 500 to change",
        )
        .await;
    let dry_run = start.elapsed();
    let start = Instant::now();
    harness.click_text("Import 1000 hunts").await;
    harness
        .wait_for_text("[data-testid='import-report']", "500 created, 500 changed")
        .await;
    println!(
        "import, a CSV of 1,000 hunts (500 changes, 500 new): dry run {:.1} s, import to the report {:.1} s",
        dry_run.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let harness = Harness::start(Vec::new()).await;
    seed(&harness, 0, 1_000).await;
    bulk_change(&harness).await;
    import(&harness).await;

    let total: usize = std::env::var("HUNTS_BENCH_EXPORT_N")
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(100_000);
    let start = Instant::now();
    seed(&harness, 1_000, total).await;
    println!(
        "(seeded {total} hunts in {:.0} s)",
        start.elapsed().as_secs_f64()
    );
    // The import above made hunts of its own: the export counts every hunt on the server.
    let stored = harness.hunt_ids().await.len();
    export(&harness, "JSON (whole hunts)", stored).await;
    export(&harness, "CSV (the columns on show)", stored).await;
    harness.stop().await;
}
