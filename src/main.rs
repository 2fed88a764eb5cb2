//! The Hunts Admin app: installs the fault line, sends the list's first request ahead, and mounts
//! the root component.

mod api;
mod app;
mod components;
mod dom;
mod fault;
mod format;
mod list_view;
mod live;
mod newest;
mod pages;
mod router;
mod routing;

// The allocator: it counts the bytes the app holds, which the soak test reads (crates/live-bytes).
#[cfg(target_arch = "wasm32")]
use live_bytes as _;

fn main() {
    fault::install();
    pages::list::ask_for_the_first_page();
    leptos::mount::mount_to_body(app::App);
}
