//! An all-day tab does not grow: the list changed hundreds of times, and rounds through every
//! page, leave the WebAssembly memory where it was after warm-up (within one 64 KiB page) and the
//! JS heap within 100 kB. `cargo bench --bench soak` runs five times as many rounds and prints
//! the figures.

mod common;

use common::{Harness, ONE_AT_A_TIME, soak};

const WASM_PAGE: i64 = 64 * 1024;
const HEAP_SLACK: i64 = 100 * 1000;

fn check(what: &str, growth: &soak::Growth) {
    let wasm = growth.wasm_after - growth.wasm_before;
    let heap = growth.heap_after - growth.heap_before;
    assert!(
        wasm <= WASM_PAGE,
        "{what}: WebAssembly memory grew by {wasm} B: {growth:?}"
    );
    assert!(
        heap <= HEAP_SLACK,
        "{what}: JS heap grew by {heap} B: {growth:?}"
    );
}

#[tokio::test]
async fn the_list_changed_200_times_keeps_no_memory() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let harness = Harness::start(soak::hunts()).await;
    let growth = soak::list_changes(&harness, 40, 200).await;
    harness.stop().await;
    check("200 list changes", &growth);
}

#[tokio::test]
async fn rounds_through_every_page_keep_no_memory() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let harness = Harness::start(soak::hunts()).await;
    let growth = soak::page_rounds(&harness, 20, 50).await;
    harness.stop().await;
    check("50 rounds through the pages", &growth);
}
