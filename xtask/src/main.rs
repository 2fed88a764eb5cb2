//! The README's two commands, each installing whatever is missing first:
//!
//! - `cargo xtask run`: build the app and start the server with demo data on 127.0.0.1:8080.
//! - `cargo xtask test`: check the formatting and clippy (host and wasm), build the app, start a
//!   throwaway PostgreSQL, and run every test, the browser tests included.
//! - `cargo xtask bench`: build the app, print its size, and run the server benchmark.
//! - `cargo xtask openapi [SEED]`: schemathesis, with every check, against the reference server
//!   and its OpenAPI document.
//!
//! Only the standard library: this crate must build before anything else is installed.

mod app;
mod bench;
mod openapi;
mod postgres;
mod run;
mod shell;
mod test;
mod tools;

use std::env;
use std::process::ExitCode;

use app::build_app;
use tools::Tools;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("run") => run::run(&args[1..]),
        Some("test") => test::test(&args[1..]),
        Some("dist") => Tools::ensure().and_then(|tools| build_app(&tools)),
        Some("bench") => bench::bench(),
        Some("openapi") => openapi::openapi(args.get(1).map(String::as_str)),
        _ => Err(
            "usage: cargo xtask run | test [cargo test args] | bench | openapi [seed] | dist"
                .to_owned(),
        ),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
