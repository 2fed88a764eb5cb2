//! `cargo xtask bench`: the app's size, the server's and the app's benchmarks.

use std::path::{Path, PathBuf};

use crate::app::{build_app, shipped_files};
use crate::postgres::Postgres;
use crate::shell::{Result, sh, sh_with, step};
use crate::tools::{Tools, ensure_browser, ensure_scale_tools};

pub(crate) fn bench() -> Result {
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
    let scaled = sh_with(
        Some(&tools.path()),
        "cargo",
        &["bench", "--package", "hunts-server", "--bench", "scale"],
        &[("HUNTS_BENCH_POSTGRES", &cluster.url)],
    );
    drop(cluster);
    scaled?;
    ensure_browser()?;
    step("render time in headless Chromium (cargo bench --bench render)");
    sh(
        Some(&tools.path()),
        "cargo",
        &["bench", "--package", "hunts-admin", "--bench", "render"],
    )?;
    step("work on many hunts in headless Chromium (cargo bench --bench many_hunts)");
    sh(
        Some(&tools.path()),
        "cargo",
        &["bench", "--package", "hunts-admin", "--bench", "many_hunts"],
    )?;
    step("where calls go at 100,000 hunts in headless Chromium (cargo bench --bench routing)");
    sh(
        Some(&tools.path()),
        "cargo",
        &["bench", "--package", "hunts-admin", "--bench", "routing"],
    )
}
