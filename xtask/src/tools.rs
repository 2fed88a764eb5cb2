//! Installing what is missing: the wasm target, trunk, wasm-bindgen-cli, wasm-opt and esbuild
//! (into `.tools/`), and Debian's packages (Chromium, ChromeDriver, PostgreSQL, wrk, nginx).

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::shell::{Result, output, root, sh, step};

pub(crate) const TRUNK_VERSION: &str = "0.21.14";
/// npm's binaryen package ships a wasm-opt recent enough for today's Rust wasm output
/// (Debian's binaryen 108 is not).
pub(crate) const BINARYEN_VERSION: &str = "132";
pub(crate) const MIN_WASM_OPT_VERSION: u32 = 116;
/// Minifies the app's JS and CSS (trunk's own minifier fails on wasm-bindgen's output,
/// trunk-rs/trunk#1044).
pub(crate) const ESBUILD_VERSION: &str = "0.28.2";

/// Where the project's own tools go when they are not on PATH already (gitignored).
pub(crate) struct Tools {
    node_bin: PathBuf,
}

impl Tools {
    pub(crate) fn ensure() -> Result<Tools> {
        let tools = Tools {
            node_bin: root().join(".tools/node_modules/.bin"),
        };
        ensure_wasm_target()?;
        ensure_trunk()?;
        ensure_wasm_bindgen()?;
        tools.ensure_wasm_opt()?;
        tools.ensure_esbuild()?;
        Ok(tools)
    }

    pub(crate) fn path(&self) -> OsString {
        let mut paths = vec![self.node_bin.clone()];
        paths.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
        env::join_paths(paths).expect("PATH entries are joinable")
    }

    pub(crate) fn ensure_wasm_opt(&self) -> Result {
        let found = output("wasm-opt", &["--version"], Some(&self.path()));
        let version = found
            .as_deref()
            .and_then(|text| text.split_whitespace().nth(2))
            .and_then(|v| v.parse::<u32>().ok());
        if version.is_some_and(|version| version >= MIN_WASM_OPT_VERSION) {
            return Ok(());
        }
        step(&format!(
            "installing wasm-opt (npm binaryen@{BINARYEN_VERSION}) into .tools/"
        ));
        npm_install(&format!("binaryen@{BINARYEN_VERSION}"))
    }
}

impl Tools {
    pub(crate) fn ensure_esbuild(&self) -> Result {
        let found = output("esbuild", &["--version"], Some(&self.path()));
        if found.as_deref() == Some(ESBUILD_VERSION) {
            return Ok(());
        }
        step(&format!(
            "installing esbuild {ESBUILD_VERSION} into .tools/"
        ));
        npm_install(&format!("esbuild@{ESBUILD_VERSION}"))
    }
}

/// Installs an npm package into `.tools/` (npm itself from Debian when it is missing).
pub(crate) fn npm_install(package: &str) -> Result {
    if output("npm", &["--version"], None).is_none() {
        install_debian_packages("npm", "npm (to install the project's tools)")?;
    }
    sh(
        None,
        "npm",
        &[
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            ".tools",
            package,
        ],
    )
}

pub(crate) fn ensure_wasm_target() -> Result {
    let installed = output("rustup", &["target", "list", "--installed"], None);
    let full = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .ok();
    let listed =
        full.map(|out| String::from_utf8_lossy(&out.stdout).contains("wasm32-unknown-unknown"));
    if installed.is_some() && listed == Some(true) {
        return Ok(());
    }
    step("adding the wasm32-unknown-unknown target");
    sh(None, "rustup", &["target", "add", "wasm32-unknown-unknown"])
}

pub(crate) fn ensure_trunk() -> Result {
    if output("trunk", &["--version"], None).is_some_and(|text| text.contains(TRUNK_VERSION)) {
        return Ok(());
    }
    step(&format!(
        "installing trunk {TRUNK_VERSION} (about 10 minutes on 2 cores, once)"
    ));
    sh(
        None,
        "cargo",
        &["install", "trunk", "--version", TRUNK_VERSION, "--locked"],
    )
}

/// trunk runs the wasm-bindgen CLI of exactly the version of the crate in Cargo.lock.
pub(crate) fn ensure_wasm_bindgen() -> Result {
    let version = locked_version("wasm-bindgen")?;
    if output("wasm-bindgen", &["--version"], None).is_some_and(|text| text.ends_with(&version)) {
        return Ok(());
    }
    step(&format!(
        "installing wasm-bindgen-cli {version} (a few minutes, once)"
    ));
    // Not --locked: that lock file asks for a crate version the registry no longer has.
    sh(
        None,
        "cargo",
        &["install", "wasm-bindgen-cli", "--version", &version],
    )
}

pub(crate) fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|error| format!("Cargo.lock: {error}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"") {
            let version = lines
                .next()
                .and_then(|line| line.strip_prefix("version = \"")?.strip_suffix('"'));
            return version
                .map(str::to_owned)
                .ok_or_else(|| format!("no version for {package} in Cargo.lock"));
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

/// Debian's Chromium and ChromeDriver for the browser tests; installed when missing and root.
/// The axe-core release the accessibility test runs in each page.
pub(crate) const AXE_CORE_VERSION: &str = "4.14.1";

pub(crate) fn ensure_browser() -> Result {
    if !root()
        .join(".tools/node_modules/axe-core/axe.min.js")
        .exists()
    {
        step(&format!(
            "installing axe-core {AXE_CORE_VERSION} into .tools/ (the accessibility test)"
        ));
        npm_install(&format!("axe-core@{AXE_CORE_VERSION}"))?;
    }
    if output("chromium", &["--version"], None).is_some()
        && output("chromedriver", &["--version"], None).is_some()
    {
        return Ok(());
    }
    install_debian_packages(
        "chromium chromium-driver",
        "Chromium and ChromeDriver (for the browser tests)",
    )
}

/// What the scale benchmark compares the server with: wrk drives the load, nginx serves the same
/// page as a file, and json-server 0.17.4 holds the same hunts.
pub(crate) fn ensure_scale_tools() -> Result {
    let nginx = output("nginx", &["-v"], None).is_some()
        || output("/usr/sbin/nginx", &["-v"], None).is_some();
    if output("wrk", &["--version"], None).is_none() && !Path::new("/usr/bin/wrk").exists()
        || !nginx
    {
        install_debian_packages("wrk nginx-light", "wrk and nginx (for the scale benchmark)")?;
    }
    if !root().join(".tools/node_modules/.bin/json-server").exists() {
        step("installing json-server 0.17.4 into .tools/ (the benchmark's comparison)");
        npm_install("json-server@0.17.4")?;
    }
    Ok(())
}

/// Installs Debian packages when running as root; otherwise says the one command to run.
pub(crate) fn install_debian_packages(packages: &str, what: &str) -> Result {
    let install = format!("apt-get update && apt-get install -y {packages}");
    let is_root = output("id", &["-u"], None).is_some_and(|uid| uid == "0");
    if !is_root {
        return Err(format!(
            "{what} missing; install with:\n  sudo sh -c '{install}'"
        ));
    }
    step(&format!("installing {packages}"));
    sh(
        None,
        "sh",
        &[
            "-c",
            &format!("export DEBIAN_FRONTEND=noninteractive; {install}"),
        ],
    )
}
