//! `cargo xtask run`: build the app and start the server with demo data.

use crate::app::build_app;
use crate::shell::{Result, sh, step};
use crate::tools::Tools;

pub(crate) fn run(extra: &[String]) -> Result {
    let tools = Tools::ensure()?;
    build_app(&tools)?;
    step("starting the server with demo data on http://127.0.0.1:8080");
    let mut args = vec![
        "run",
        "--profile",
        "server",
        "--package",
        "hunts-server",
        "--",
        "--addr",
        "127.0.0.1:8080",
        "--db",
        "data/hunts.db",
        "--dist",
        "dist",
        "--demo",
    ];
    args.extend(extra.iter().map(String::as_str));
    sh(None, "cargo", &args)
}
