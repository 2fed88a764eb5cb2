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

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const TRUNK_VERSION: &str = "0.21.14";
/// npm's binaryen package ships a wasm-opt recent enough for today's Rust wasm output
/// (Debian's binaryen 108 is not).
const BINARYEN_VERSION: &str = "132";
const MIN_WASM_OPT_VERSION: u32 = 116;
/// Minifies the app's JS and CSS (trunk's own minifier fails on wasm-bindgen's output,
/// trunk-rs/trunk#1044).
const ESBUILD_VERSION: &str = "0.28.2";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("dist") => Tools::ensure().and_then(|tools| build_app(&tools)),
        Some("bench") => bench(),
        Some("openapi") => openapi(args.get(1).map(String::as_str)),
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

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

fn step(message: &str) {
    eprintln!("==> {message}");
}

/// Runs a command in the workspace root with the tools on PATH, failing on a non-zero exit.
fn sh(tools: Option<&Tools>, program: &str, args: &[&str]) -> Result {
    let mut command = Command::new(program);
    command.args(args).current_dir(root());
    if let Some(tools) = tools {
        command.env("PATH", tools.path());
    }
    let status = command
        .status()
        .map_err(|error| format!("cannot start {program}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// The first line a command prints, if it runs at all.
fn output(program: &str, args: &[&str], path: Option<&OsString>) -> Option<String> {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let out = command.output().ok().filter(|out| out.status.success())?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    Some(text.lines().next().unwrap_or_default().trim().to_owned())
}

/// Where the project's own tools go when they are not on PATH already (gitignored).
struct Tools {
    node_bin: PathBuf,
}

impl Tools {
    fn ensure() -> Result<Tools> {
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

    fn path(&self) -> OsString {
        let mut paths = vec![self.node_bin.clone()];
        paths.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
        env::join_paths(paths).expect("PATH entries are joinable")
    }

    fn ensure_wasm_opt(&self) -> Result {
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
    fn ensure_esbuild(&self) -> Result {
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
fn npm_install(package: &str) -> Result {
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

fn ensure_wasm_target() -> Result {
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

fn ensure_trunk() -> Result {
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
fn ensure_wasm_bindgen() -> Result {
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

fn locked_version(package: &str) -> Result<String> {
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
const AXE_CORE_VERSION: &str = "4.14.1";

fn ensure_browser() -> Result {
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
fn ensure_scale_tools() -> Result {
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
fn install_debian_packages(packages: &str, what: &str) -> Result {
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

/// trunk must not download anything: cargo fetches first, and trunk runs offline.
fn build_app(tools: &Tools) -> Result {
    sh(None, "cargo", &["fetch"])?;
    // trunk leaves wasm-bindgen's output folder as it was and ships every JS snippet in it, so
    // a snippet the app no longer has would still be preloaded by every page load.
    let _ = std::fs::remove_dir_all(root().join("target/wasm-bindgen/release"));
    step("building the app (trunk build --release)");
    sh(Some(tools), "trunk", &["build", "--release", "--offline"])?;
    minify(tools)?;
    precompress()
}

/// The app's JS and CSS minified in place by esbuild, and index.html's integrity hash of each
/// (trunk's subresource integrity) made again for what it now holds.
fn minify(tools: &Tools) -> Result {
    step("minifying the app's JS and CSS (esbuild)");
    let index_path = root().join("dist/index.html");
    let mut index = std::fs::read_to_string(&index_path)
        .map_err(|error| format!("{}: {error}", index_path.display()))?;
    for file in shipped_files()? {
        if !matches!(
            file.extension().and_then(|ext| ext.to_str()),
            Some("js" | "css")
        ) {
            continue;
        }
        let before = integrity(tools, &file)?;
        let name = file.to_string_lossy().into_owned();
        sh(
            Some(tools),
            "esbuild",
            &[
                &name,
                "--minify",
                "--allow-overwrite",
                "--log-level=warning",
                &format!("--outfile={name}"),
            ],
        )?;
        index = index.replace(&before, &integrity(tools, &file)?);
    }
    std::fs::write(&index_path, index).map_err(|error| format!("{}: {error}", index_path.display()))
}

/// A file's subresource integrity value as trunk writes it (`sha384-` and the base64 digest),
/// by node (there wherever npm is).
fn integrity(tools: &Tools, file: &Path) -> Result<String> {
    let script = "const c = require('crypto'), f = require('fs'); \
                  process.stdout.write('sha384-' + c.createHash('sha384').update(f.readFileSync(process.argv[1])).digest('base64'))";
    let name = file.to_string_lossy().into_owned();
    output("node", &["-e", script, &name], Some(&tools.path()))
        .filter(|digest| digest.starts_with("sha384-"))
        .ok_or_else(|| format!("cannot hash {name} with node"))
}

/// The files of the app as they ship (not the compressed copies beside them), wasm-bindgen's
/// snippets (in folders of their own) included.
fn shipped_files() -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result {
        let entries =
            std::fs::read_dir(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
        for path in entries.filter_map(|entry| entry.ok().map(|entry| entry.path())) {
            if path.is_dir() {
                walk(&path, files)?;
            } else if !matches!(
                path.extension().and_then(|ext| ext.to_str()),
                Some("br" | "gz")
            ) {
                files.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(&root().join("dist"), &mut files)?;
    files.sort();
    Ok(files)
}

/// Brotli and gzip copies beside each file, which the server sends to browsers that accept
/// them; made once here rather than on every request.
fn precompress() -> Result {
    if output("brotli", &["--version"], None).is_none() {
        install_debian_packages("brotli", "brotli (to compress the app's files)")?;
    }
    step("compressing the app's files (brotli -q 11, gzip -9)");
    for file in shipped_files()? {
        let file = file.to_string_lossy().into_owned();
        sh(None, "brotli", &["-q", "11", "-f", "-k", &file])?;
        sh(None, "gzip", &["-9", "-f", "-k", &file])?;
    }
    Ok(())
}

fn run(extra: &[String]) -> Result {
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

fn test(extra: &[String]) -> Result {
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
    let mut command = Command::new("cargo");
    command
        .args(&args)
        .current_dir(root())
        .env("PATH", tools.path())
        .env("HUNTS_TEST_POSTGRES", &cluster.url);
    let status = command
        .status()
        .map_err(|error| format!("cannot start cargo: {error}"))?;
    drop(cluster);
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

/// A throwaway PostgreSQL cluster in a temporary folder on a free port, for the tests: made as
/// the `postgres` user (PostgreSQL refuses to run as root), trusting local connections, and
/// stopped and removed when dropped.
struct Postgres {
    url: String,
    data: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
}

impl Postgres {
    fn bin_dir() -> Option<PathBuf> {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
            .filter(|bin| bin.join("initdb").exists())
            .collect();
        versions.sort();
        versions.pop()
    }

    fn start() -> Result<Postgres> {
        if Postgres::bin_dir().is_none() {
            install_debian_packages(
                "postgresql",
                "PostgreSQL (for the PostgreSQL store's tests)",
            )?;
        }
        let bin = Postgres::bin_dir().ok_or("PostgreSQL's initdb is still missing")?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|error| format!("no free port: {error}"))?
            .port();
        let data = env::temp_dir().join(format!("hunts-postgres-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).map_err(|error| format!("{}: {error}", data.display()))?;
        let as_postgres = output("id", &["-u"], None).is_some_and(|uid| uid == "0");
        let cluster = Postgres {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            data,
            bin,
            as_postgres,
        };
        if as_postgres {
            sh(
                None,
                "chown",
                &["postgres", &cluster.data.to_string_lossy()],
            )?;
        }
        step(&format!("starting a throwaway PostgreSQL on port {port}"));
        let cluster_dir = cluster.data.join("cluster");
        cluster.run(
            "initdb",
            &[
                "-D",
                &cluster_dir.to_string_lossy(),
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "-U",
                "postgres",
                "--no-sync",
            ],
        )?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
            cluster.data.display()
        );
        cluster.run(
            "pg_ctl",
            &[
                "-D",
                &cluster_dir.to_string_lossy(),
                "-o",
                &options,
                "-l",
                &cluster.data.join("log").to_string_lossy(),
                "-w",
                "start",
            ],
        )?;
        Ok(cluster)
    }

    fn run(&self, program: &str, args: &[&str]) -> Result {
        let program = self.bin.join(program);
        let program = program.to_string_lossy();
        let mut command_line = vec![];
        if self.as_postgres {
            command_line.extend(["runuser", "-u", "postgres", "--"]);
        }
        command_line.push(&program);
        command_line.extend(args);
        let status = Command::new(command_line[0])
            .args(&command_line[1..])
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|error| format!("cannot start {program}: {error}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", command_line.join(" ")))
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let cluster_dir = self.data.join("cluster");
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                &cluster_dir.to_string_lossy(),
                "-m",
                "immediate",
                "stop",
            ],
        );
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

fn bench() -> Result {
    let tools = Tools::ensure()?;
    build_app(&tools)?;
    step("the app as browsers download it (dist/)");
    let size = |path: &Path| std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0);
    let with_suffix = |path: &Path, suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let (mut raw_total, mut gzip_total, mut brotli_total) = (0, 0, 0);
    for path in shipped_files()? {
        let raw = size(&path);
        let gzip = size(&with_suffix(&path, ".gz"));
        let brotli = size(&with_suffix(&path, ".br"));
        raw_total += raw;
        gzip_total += gzip;
        brotli_total += brotli;
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        println!(
            "{name:<44} {:>8.1} kB  {:>7.1} kB gzipped  {:>7.1} kB brotli",
            raw as f64 / 1000.0,
            gzip as f64 / 1000.0,
            brotli as f64 / 1000.0
        );
    }
    println!(
        "{:<44} {:>8.1} kB  {:>7.1} kB gzipped  {:>7.1} kB brotli",
        "total",
        raw_total as f64 / 1000.0,
        gzip_total as f64 / 1000.0,
        brotli_total as f64 / 1000.0
    );
    step("server requests per second (cargo bench -p hunts-server)");
    sh(
        None,
        "cargo",
        &["bench", "--package", "hunts-server", "--bench", "api"],
    )?;
    ensure_scale_tools()?;
    step(
        "the server at 100,000 hunts beside json-server and nginx, then on PostgreSQL \
         (HUNTS_BENCH_N sets the count)",
    );
    let cluster = Postgres::start()?;
    let status = Command::new("cargo")
        .args(["bench", "--package", "hunts-server", "--bench", "scale"])
        .current_dir(root())
        .env("PATH", tools.path())
        .env("HUNTS_BENCH_POSTGRES", &cluster.url)
        .status()
        .map_err(|error| format!("cannot start cargo: {error}"))?;
    drop(cluster);
    if !status.success() {
        return Err(format!("the scale benchmark failed ({status})"));
    }
    ensure_browser()?;
    step("render time in headless Chromium (cargo bench --bench render)");
    sh(
        Some(&tools),
        "cargo",
        &["bench", "--package", "hunts-admin", "--bench", "render"],
    )?;
    step("work on many hunts in headless Chromium (cargo bench --bench many_hunts)");
    sh(
        Some(&tools),
        "cargo",
        &["bench", "--package", "hunts-admin", "--bench", "many_hunts"],
    )
}

/// The schemathesis release the project checks its API with, installed into `.tools/`.
const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// Generated cases per operation and phase; a run makes about 4,000 requests.
const SCHEMATHESIS_EXAMPLES: &str = "300";

/// Runs schemathesis with every check against a fresh reference server (sign-in off), its
/// rules in `schemathesis.toml` and `schemathesis_hooks.py`. One check is left out: `Allow` on
/// the collection names LOOKUP, which OpenAPI 3.1 cannot declare (see `schemathesis.toml`).
fn openapi(seed: Option<&str>) -> Result {
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
