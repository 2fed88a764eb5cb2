//! How fast the app shows hunts in a real headless Chromium, timed by the page's own clock:
//! from navigation start to a filled table (wasm download and compile, the first request, the
//! render), and from a header click to the re-sorted table. Prints figures; asserts nothing.
//! Needs the built app (`cargo xtask bench` builds it).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Duration;

use common::{Harness, hunt};

const RUNS: usize = 10;

/// Resolves, once the first row's code is `arguments[0]`, with the time since `arguments[1]`
/// (or since navigation start), checking on every animation frame.
const WAIT_FOR_FIRST_ROW: &str = "
    const [expected, since, done] = arguments;
    const start = since === null ? 0 : since;
    (function check() {
        const cell = document.querySelector('table.hunts tbody tr td a');
        if (cell && cell.textContent === expected) done(performance.now() - start);
        else requestAnimationFrame(check);
    })();";

fn summary(name: &str, mut samples: Vec<f64>) {
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    let worst = samples[samples.len() - 1];
    println!(
        "{name:<48} median {median:>6.1} ms   worst {worst:>6.1} ms   ({} runs)",
        samples.len()
    );
}

#[tokio::main]
async fn main() {
    let hunts = (0..200)
        .map(|index| {
            hunt(
                &format!("queue_{index:03}"),
                &format!("{}", 7000 + index),
                (index % 50) as u32,
            )
        })
        .collect();
    let harness = Harness::start(hunts).await;
    let ascending = format!(
        "/hunts?order={}",
        hunts_model::encode_component(r#"["priority"]"#)
    );

    let mut loads = Vec::new();
    let mut sorts = Vec::new();
    for _ in 0..RUNS {
        harness.open("/blank").await;
        harness.open(&ascending).await;
        let loaded = harness
            .browser
            .execute_async(
                WAIT_FOR_FIRST_ROW,
                vec!["queue_000".into(), serde_json::Value::Null],
            )
            .await
            .unwrap();
        loads.push(loaded.as_f64().unwrap_or_default());

        // Sorted by priority ascending (queue_000 first), a click reverses it (queue_049 first).
        let click = "const now = performance.now(); document.querySelector(\"th[data-column='priority'] button\").click(); return now;";
        let clicked = harness.browser.execute(click, vec![]).await.unwrap();
        let sorted = harness
            .browser
            .execute_async(WAIT_FOR_FIRST_ROW, vec!["queue_049".into(), clicked])
            .await
            .unwrap();
        sorts.push(sorted.as_f64().unwrap_or_default());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    summary("navigation start to a filled table (200 hunts)", loads);
    summary("header click to the re-sorted table", sorts);
    harness.stop().await;
}
