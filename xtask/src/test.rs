//! `cargo xtask test`: the checks, the app's build, a throwaway PostgreSQL, every test.

use crate::app::build_app;
use crate::postgres::Postgres;
use crate::shell::{Result, sh, sh_with, step};
use crate::tools::{Tools, ensure_browser};

pub(crate) fn test(extra: &[String]) -> Result {
    let tools = Tools::ensure()?;
    ensure_browser()?;
    // The checks the README promises, here so that they cannot drift: CI runs this command.
    step("checking the formatting and linting (cargo fmt --check, clippy on host and wasm)");
    sh(None, "cargo", &["fmt", "--all", "--check"])?;
    sh(
        None,
        "cargo",
        &["clippy", "--all-targets", "--", "-D", "warnings"],
    )?;
    sh(
        None,
        "cargo",
        &[
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "--package",
            "hunts-admin",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    build_app(&tools)?;
    let cluster = Postgres::start()?;
    step("running every test: model, server contract (SQLite and PostgreSQL), app and browser");
    let mut args = vec!["test", "--workspace"];
    args.extend(extra.iter().map(String::as_str));
    let tested = sh_with(
        Some(&tools.path()),
        "cargo",
        &args,
        &[("HUNTS_TEST_POSTGRES", &cluster.url)],
    );
    drop(cluster);
    tested
}
