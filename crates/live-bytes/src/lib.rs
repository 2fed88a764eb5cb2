//! The app's global allocator: the system's own, counting the bytes the app holds, so a test can
//! see a leak of a few bytes per page visit, far below the WebAssembly memory's 64 KiB pages.
//!
//! `live_bytes` is exported from the wasm module as it is (no JS glue): the soak test reads it
//! from the module's exports after a garbage collection.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

static LIVE: AtomicUsize = AtomicUsize::new(0);

/// The bytes allocated and not yet freed, by the app and everything it links.
// Exported under its own name, so the test finds it; `unsafe` only because two exports of one
// name would clash at link time, and there is one.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn live_bytes() -> usize {
    LIVE.load(Relaxed)
}

/// The system allocator, counting. `realloc` is the trait's own (a new block, the bytes copied,
/// the old one freed), counted through `alloc` and `dealloc`: passing it on to the system's
/// would keep growth in place but cost 0.5 kB of the wasm budget (docs/size.md, session 14).
pub struct Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

// SAFETY: every call is passed on to the system allocator with the arguments it was given, so
// each keeps the contract its caller kept; the count is a side effect that never fails.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            LIVE.fetch_add(layout.size(), Relaxed);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            LIVE.fetch_add(layout.size(), Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[cfg(test)]
mod tests {
    use super::live_bytes;

    #[test]
    fn a_block_is_counted_while_held_and_not_after() {
        let before = live_bytes();
        let mut block = vec![0_u8; 100_000];
        block.extend_from_slice(&[1; 50_000]);
        let held = live_bytes();
        drop(block);
        let after = live_bytes();
        assert!(held >= before + 150_000, "{before} -> {held}");
        assert!(after < held - 150_000 + 4096, "{held} -> {after}");
    }
}
