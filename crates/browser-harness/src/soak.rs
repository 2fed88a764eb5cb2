//! The soak: many changes of the list, or rounds through the pages, inside one tab, with the
//! memory read after a forced garbage collection before and after. Shared by the soak test
//! (few rounds, in CI) and the soak benchmark (many).

use hunts_model::{Hunt, encode_component};
use serde_json::{Value, json};

use super::{Harness, hunt};

/// What a run left behind: WebAssembly memory, the bytes the app's allocator holds (to the byte,
/// from `crates/live-bytes`) and the JS heap, after warm-up and after the run.
#[derive(Debug)]
pub struct Growth {
    pub wasm_before: i64,
    pub wasm_after: i64,
    pub live_before: i64,
    pub live_after: i64,
    pub heap_before: i64,
    pub heap_after: i64,
}

impl Growth {
    /// The bytes the app's allocator holds more than after warm-up.
    pub fn live(&self) -> i64 {
        self.live_after - self.live_before
    }
}

/// 200 hunts: queue_000 … queue_199, four at each priority 0 … 49.
pub fn hunts() -> Vec<Hunt> {
    (0..200)
        .map(|index| {
            hunt(
                &format!("queue_{index:03}"),
                &format!("{}", 7000 + index),
                (index % 50) as u32,
            )
        })
        .collect()
}

/// Runs in the page: `steps` is a list of [url, css, text]; each step navigates the app's router
/// to the url and waits until the element `css` shows `text` and nothing is loading.
const SOAK: &str = r#"
    const [steps, warm, rounds, done] = arguments;
    const preload = document.querySelector('link[rel=modulepreload]');
    const wasm = await (await import(preload.href)).default();
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    async function settle() {
        for (let i = 0; i < 3; i++) { gc(); await frame(); }
        await new Promise((resolve) => setTimeout(resolve, 50));
        gc();
        return [wasm.memory.buffer.byteLength, wasm.live_bytes(), performance.memory.usedJSHeapSize];
    }
    async function step(n) {
        const [url, css, text] = steps[n % steps.length];
        history.pushState(null, '', url);
        dispatchEvent(new PopStateEvent('popstate', { state: null }));
        for (let waited = 0; ; waited++) {
            const element = document.querySelector(css);
            const loading = document.querySelector('[data-testid=loading]');
            if (element && element.textContent.trim() === text && !(loading && loading.textContent)) return;
            if (waited > 2000) {
                throw new Error('stuck at ' + url + ': ' + css + ' shows '
                    + (element ? JSON.stringify(element.textContent) : 'nothing')
                    + ', not ' + text + '; loading: ' + (loading ? JSON.stringify(loading.textContent) : 'none')
                    + '; location ' + location.href);
            }
            await frame();
        }
    }
    try {
        for (let n = 0; n < warm; n++) await step(n);
        const [wasmBefore, liveBefore, heapBefore] = await settle();
        for (let n = 0; n < rounds; n++) await step(n);
        const [wasmAfter, liveAfter, heapAfter] = await settle();
        done({ wasmBefore, wasmAfter, liveBefore, liveAfter, heapBefore, heapAfter });
    } catch (error) {
        done({ error: String(error) });
    }
"#;

async fn run(harness: &Harness, steps: Value, warm: usize, rounds: usize) -> Growth {
    harness
        .browser
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(std::time::Duration::from_secs(1800)),
            None,
            None,
        ))
        .await
        .unwrap();
    let result = harness
        .browser
        .execute_async(SOAK, vec![steps, json!(warm), json!(rounds)])
        .await
        .unwrap();
    assert!(result.get("error").is_none(), "{result}");
    let number = |key: &str| result[key].as_f64().unwrap_or_default() as i64;
    Growth {
        wasm_before: number("wasmBefore"),
        wasm_after: number("wasmAfter"),
        live_before: number("liveBefore"),
        live_after: number("liveAfter"),
        heap_before: number("heapBefore"),
        heap_after: number("heapAfter"),
    }
}

fn list(query: &str) -> String {
    format!("/hunts?{query}")
}

/// The list re-sorted, filtered, paged and given other columns, in turn.
pub async fn list_changes(harness: &Harness, warm: usize, rounds: usize) -> Growth {
    harness.open("/hunts").await;
    harness.find("table.hunts").await;
    let ascending = format!("order={}", encode_component(r#"["priority"]"#));
    let descending = format!("order={}", encode_component(r#"[{"priority":"desc"}]"#));
    let first_code = "table.hunts tbody tr a";
    let steps = json!([
        [list(&ascending), first_code, "queue_000"],
        [list(&descending), first_code, "queue_049"],
        [
            list(&format!("{ascending}&offset=25")),
            first_code,
            "queue_056"
        ],
        [
            list(&format!("filter={}", encode_component(r#"{"priority":7}"#))),
            first_code,
            "queue_007"
        ],
        [
            list(&format!("{descending}&offset=50&limit=50")),
            first_code,
            "queue_137"
        ],
    ]);
    run(harness, steps, warm, rounds).await
}

/// Rounds through the list, a hunt's detail, its edit form, and back.
pub async fn page_rounds(harness: &Harness, warm: usize, rounds: usize) -> Growth {
    harness.open("/hunts").await;
    harness.find("table.hunts").await;
    let id = harness.hunt_ids().await[0].clone();
    let ascending = format!("order={}", encode_component(r#"["priority"]"#));
    let steps = json!([
        [list(&ascending), "table.hunts tbody tr a", "queue_000"],
        [format!("/hunts/{id}"), "h1", "queue_000"],
        [format!("/hunts/{id}/edit"), "h1", "Edit queue_000"],
        ["/hunts/new", "h1", "New hunt"],
    ]);
    run(harness, steps, warm, rounds).await
}

/// Rounds between one page of a hunt (`/hunts/<id>` or `/hunts/<id>/edit`, as `suffix` says) and
/// the new-hunt page: what a kind of page leaves behind, alone.
pub async fn page_kind_rounds(
    harness: &Harness,
    suffix: &str,
    heading: &str,
    warm: usize,
    rounds: usize,
) -> Growth {
    harness.open("/hunts").await;
    harness.find("table.hunts").await;
    let id = harness.hunt_ids().await[0].clone();
    let steps = json!([
        [format!("/hunts/{id}{suffix}"), "h1", heading],
        ["/hunts/new", "h1", "New hunt"],
    ]);
    run(harness, steps, warm, rounds).await
}
