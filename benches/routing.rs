//! Where calls go, at 100,000 hunts, in a real headless Chromium against the reference server
//! (issue 31's figures): the routing check from the click on its link to the full report (the
//! server's check, then the app's own as next to a platform without it), with the server's
//! share (its answers) and the app's (the rest: the rules and the report drawn), and the form's check before Save of one hunt's change, from the
//! change to the warning redrawn (after the form's 300 ms pause for typing, which is taken
//! off). Prints figures beside their goals; asserts nothing. Needs the built app (`cargo xtask
//! bench` builds it).
//!
//! The hunts' shape: 8,000 chains of 10 hunts (each overflows to the next after 30 s; the last
//! gives up after 3 attempts into one of 100 hubs, so 80 chains fan in to each hub); 95 hubs
//! overflow to an outside number and 5 are blocked (dead ends for the 400 chains that end in
//! them); one cycle of 10,000 hunts (each overflows to the next, the last to the first); 9,900
//! hunts on their own, 1,000 of them with a transfer number whose timer is off.

use browser_harness as common;

use std::time::Duration;

use common::{Harness, hunt};
use futures::StreamExt;
use hunts_model::{Hunt, HuntBlock, Resource};

const CHAINS: usize = 8_000;
const CHAIN: usize = 10;
const HUBS: usize = 100;
const BLOCKED_HUBS: usize = 5;
const CYCLE: usize = 10_000;
const ALONE: usize = 9_900;
const NEVER_FIRES: usize = 1_000;
/// Changes timed of the form's check.
const CHECKS: usize = 100;

fn phone(index: usize) -> String {
    format!("{}", 1_000_000 + index)
}

fn ringing(code: String, index: usize) -> Hunt {
    Hunt {
        resources: vec![Resource {
            id: "agent".to_owned(),
            priority: 1,
        }],
        ..hunt(&code, &phone(index), 1)
    }
}

/// Every hunt of the shape above, each with its index (its phone number's).
fn shaped() -> Vec<Hunt> {
    let mut hunts = Vec::new();
    let hub_index = |hub: usize| CHAINS * CHAIN + hub;
    for chain in 0..CHAINS {
        for step in 0..CHAIN {
            let index = chain * CHAIN + step;
            let mut hunt = ringing(format!("chain_{chain:04}_{step}"), index);
            if step + 1 < CHAIN {
                hunt.timeout = 30;
                hunt.timeouttrannumber = phone(index + 1);
            } else {
                hunt.maxattempts = 3;
                hunt.maxattemptstrannumber = phone(hub_index(chain % HUBS));
            }
            hunts.push(hunt);
        }
    }
    for hub in 0..HUBS {
        let mut hunt = ringing(format!("hub_{hub:02}"), hub_index(hub));
        if hub < BLOCKED_HUBS {
            hunt.huntblock = HuntBlock {
                enabled: true,
                ..HuntBlock::default()
            };
        } else {
            hunt.timeout = 60;
            hunt.timeouttrannumber = "+15550100".to_owned();
        }
        hunts.push(hunt);
    }
    let first_of_cycle = CHAINS * CHAIN + HUBS;
    for step in 0..CYCLE {
        let index = first_of_cycle + step;
        let mut hunt = ringing(format!("cycle_{step:05}"), index);
        hunt.timeout = 20;
        hunt.timeouttrannumber = phone(first_of_cycle + (step + 1) % CYCLE);
        hunts.push(hunt);
    }
    let first_alone = first_of_cycle + CYCLE;
    for step in 0..ALONE {
        let mut hunt = ringing(format!("alone_{step:04}"), first_alone + step);
        if step < NEVER_FIRES {
            hunt.timeouttrannumber = "+15550199".to_owned();
        }
        hunts.push(hunt);
    }
    hunts
}

async fn seed(harness: &Harness, hunts: Vec<Hunt>) {
    futures::stream::iter(hunts)
        .map(|hunt| {
            let store = harness.store.clone();
            async move {
                store.create(hunt).await.unwrap();
            }
        })
        .buffer_unordered(16)
        .collect::<Vec<()>>()
        .await;
}

/// Clicks the header's "Routing check" link and resolves, once the report's summary is drawn,
/// with the time since the click and the time the page's reads of hunts took (one after
/// another, each from its request to its last byte, by the browser's Resource Timing).
const TIME_THE_CHECK: &str = "
    const done = arguments[0];
    performance.clearResourceTimings();
    performance.setResourceTimingBufferSize(10000);
    const link = [...document.querySelectorAll('a')].find(a => a.textContent.trim() === 'Routing check');
    const start = performance.now();
    link.click();
    (function check() {
        const summary = document.querySelector(\"[data-testid='routing-summary']\");
        if (summary) {
            setTimeout(() => {
                const total = performance.now() - start;
                const reads = performance.getEntriesByType('resource')
                    .filter(entry => entry.name.includes('/rest/v1/uc/hunts?') || entry.name.includes('/rest/v1/uc/routing'))
                    .reduce((sum, entry) => sum + (entry.responseEnd - entry.startTime), 0);
                done([total, reads, summary.textContent]);
            }, 0);
        } else requestAnimationFrame(check);
    })();";

/// Sets the transfer number field to `arguments[0]` as typing would, and resolves, once the
/// routing warning says `arguments[1]`, with the time since.
const TIME_THE_FORM_CHECK: &str = "
    const [value, expected, done] = arguments;
    const field = document.querySelector('#f-timeouttrannumber');
    const start = performance.now();
    field.value = value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
    (function check() {
        const warning = document.querySelector(\"[data-testid='routing-warning']\");
        if (warning && warning.textContent.includes(expected))
            setTimeout(() => done(performance.now() - start), 0);
        else requestAnimationFrame(check);
    })();";

fn percentile(samples: &mut [f64], share: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let at = ((samples.len() as f64 * share).ceil() as usize).clamp(1, samples.len()) - 1;
    samples[at]
}

/// The routing check from the click to the full report; `how` says whose check it is.
async fn routing_check(harness: &Harness, how: &str) {
    harness.open("/hunts").await;
    harness.find("table.hunts").await;
    let answer = harness
        .browser
        .execute_async(TIME_THE_CHECK, vec![])
        .await
        .unwrap();
    let total = answer[0].as_f64().unwrap();
    let reads = answer[1].as_f64().unwrap();
    let verdict = if total <= 3_000.0 { "ok" } else { "MISSED" };
    println!(
        "routing check, 100,000 hunts, {how}, click to full report: {:.2} s (goal 3 s) \
         {verdict}; the server's share (its answers, one after another) {:.2} s, the app's \
         {:.2} s; it said: {}",
        total / 1e3,
        reads / 1e3,
        (total - reads) / 1e3,
        answer[2].as_str().unwrap_or_default()
    );
}

/// This process's peak resident memory (`VmHWM`): the server's, with the bench's own few MB.
fn peak_memory_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The form's check of one hunt's change: a chain's fifth hunt sent alternately back to its
/// chain's first (a loop of five) and into a blocked hub (a dead end): the warning says only
/// what is to fix, so each change redraws it.
async fn form_check(harness: &Harness) {
    let id = harness.id_of("chain_0000_4").await;
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness.find("#f-timeouttrannumber").await;
    let mut samples = Vec::new();
    for round in 0..CHECKS {
        let (value, expected) = match round % 2 {
            0 => (phone(0), "Calls loop"),
            _ => (phone(CHAINS * CHAIN), "hub_00"),
        };
        let answer = harness
            .browser
            .execute_async(TIME_THE_FORM_CHECK, vec![value.into(), expected.into()])
            .await
            .unwrap();
        // The form waits 300 ms after the last keystroke before it checks.
        samples.push(answer.as_f64().unwrap() - 300.0);
    }
    let p50 = percentile(&mut samples, 0.5);
    let p99 = percentile(&mut samples, 0.99);
    let verdict = if p99 <= 50.0 { "ok" } else { "MISSED" };
    println!(
        "the form's routing check of one hunt's change, 100,000 hunts ({CHECKS} changes, after \
         its 300 ms pause): p50 {p50:.1} ms, p99 {p99:.1} ms (goal 50 ms) {verdict}"
    );
}

#[tokio::main]
async fn main() {
    let harness = Harness::start(Vec::new()).await;
    harness
        .browser
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(120)),
            None,
            None,
        ))
        .await
        .unwrap();
    let hunts = shaped();
    assert_eq!(hunts.len(), 100_000);
    let start = std::time::Instant::now();
    seed(&harness, hunts).await;
    println!(
        "seeded 100,000 hunts in {:.0} s",
        start.elapsed().as_secs_f64()
    );
    let before = peak_memory_mb();
    routing_check(&harness, "the server's check (first asked)").await;
    println!(
        "peak memory of the server's process: {before:.1} MB before the check, {:.1} MB after \
         (goal 128 MB)",
        peak_memory_mb()
    );
    routing_check(&harness, "the server's check (asked again, remembered)").await;
    // As next to a platform without the extension: the app remembers for the tab that the
    // server has none, and reads every hunt itself.
    harness
        .browser
        .execute(
            "sessionStorage.setItem('hunts-admin.lacks-routing-check', '1')",
            vec![],
        )
        .await
        .unwrap();
    routing_check(&harness, "the app's own check (no extension)").await;
    form_check(&harness).await;
    harness.stop().await;
}
