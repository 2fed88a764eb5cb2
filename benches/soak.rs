//! An all-day tab: the list changed over and over (sort, filter, page, columns) and rounds through
//! every page, navigating inside the app as its router does (history push, popstate). After a
//! warm-up and after the run, a forced garbage collection, then the WebAssembly memory's size and
//! the JS heap. Prints the growth per page kind; asserts nothing (`tests/soak.rs` holds the line
//! in CI with fewer rounds). Needs the built app (`cargo xtask bench` builds it).

use browser_harness as common;

use common::{Harness, soak};

#[tokio::main]
async fn main() {
    let harness = Harness::start(soak::hunts()).await;
    // `SOAK_SCALE=0.2` runs a fifth of the rounds, for a quick look.
    let scale: f64 = std::env::var("SOAK_SCALE")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(1.0);
    for (what, full) in [
        ("list changes", 1000),
        ("rounds list -> detail -> edit -> list", 200),
    ] {
        let rounds = ((full as f64 * scale) as usize).max(10);
        let growth = if full == 1000 {
            soak::list_changes(&harness, 40, rounds).await
        } else {
            soak::page_rounds(&harness, 20, rounds).await
        };
        print(what, rounds, &growth);
    }
    for (what, suffix, heading) in [
        ("rounds detail -> new", "", "queue_000"),
        ("rounds edit -> new", "/edit", "Edit queue_000"),
    ] {
        let rounds = ((300.0 * scale) as usize).max(10);
        let growth = soak::page_kind_rounds(&harness, suffix, heading, 20, rounds).await;
        print(what, rounds, &growth);
    }
    harness.stop().await;
}

fn print(what: &str, rounds: usize, growth: &soak::Growth) {
    println!(
        "{what:<40} {rounds:>5}: held by the app {:>+8} B ({:+.1} B per round), WebAssembly memory {:>+8} B ({} -> {} B), JS heap {:>+8} B",
        growth.live(),
        growth.live() as f64 / rounds as f64,
        growth.wasm_after - growth.wasm_before,
        growth.wasm_before,
        growth.wasm_after,
        growth.heap_after - growth.heap_before,
    );
}
