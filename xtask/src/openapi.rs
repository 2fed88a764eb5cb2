//! `cargo xtask openapi [SEED]`: schemathesis against the reference server's OpenAPI document.

use std::env;
use std::process::Command;

use crate::shell::{Result, output, root, sh, step};

/// The schemathesis release the project checks its API with, installed into `.tools/`.
pub(crate) const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// Generated cases per operation and phase; a run makes about 4,000 requests.
pub(crate) const SCHEMATHESIS_EXAMPLES: &str = "300";

/// Runs schemathesis with every check against a fresh reference server (sign-in off), its
/// rules in `schemathesis.toml` and `schemathesis_hooks.py`. One check is left out: `Allow` on
/// the collection names LOOKUP, which OpenAPI 3.1 cannot declare (see `schemathesis.toml`).
pub(crate) fn openapi(seed: Option<&str>) -> Result {
    let venv = root().join(".tools/schemathesis");
    let schemathesis = venv.join("bin/schemathesis");
    let installed = output(
        schemathesis.to_str().unwrap_or_default(),
        &["--version"],
        None,
    );
    if !installed.is_some_and(|version| version.contains(SCHEMATHESIS_VERSION)) {
        step(&format!(
            "installing schemathesis {SCHEMATHESIS_VERSION} into .tools/"
        ));
        sh(None, "python3", &["-m", "venv", ".tools/schemathesis"])?;
        sh(
            None,
            ".tools/schemathesis/bin/pip",
            &[
                "install",
                "--quiet",
                &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
            ],
        )?;
    }
    step("building the reference server");
    sh(
        None,
        "cargo",
        &["build", "--quiet", "--package", "hunts-server"],
    )?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|error| format!("no free port: {error}"))?
        .port();
    let data = env::temp_dir().join(format!("hunts-openapi-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let mut server = Command::new(root().join("target/debug/hunts-server"))
        .args([
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--dist",
            "dist",
            "--db",
        ])
        .arg(data.join("hunts.db"))
        .env("RUST_LOG", "warn")
        .current_dir(root())
        .spawn()
        .map_err(|error| format!("cannot start the server: {error}"))?;
    let seed = seed.unwrap_or("1");
    step(&format!("schemathesis, every check, seed {seed}"));
    let started = std::time::Instant::now();
    let status = Command::new(&schemathesis)
        .args([
            "run",
            &format!("http://127.0.0.1:{port}/rest/v1/openapi.json"),
            "--wait-for-schema",
            "30",
            "--checks",
            "all",
            "--exclude-checks",
            "allow_header_conformance",
            // The live changes stream never ends by itself: a case would wait forever.
            "--exclude-operation-id",
            "liveChanges",
            "--max-examples",
            SCHEMATHESIS_EXAMPLES,
            "--seed",
            seed,
            "--continue-on-failure",
        ])
        .env("SCHEMATHESIS_HOOKS", "schemathesis_hooks")
        .env("PYTHONPATH", root())
        .current_dir(root())
        .status();
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data);
    let status = status.map_err(|error| format!("cannot start schemathesis: {error}"))?;
    eprintln!("schemathesis took {:.0} s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err("schemathesis found failures (above)".to_owned())
    }
}
