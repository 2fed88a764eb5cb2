//! Building the app: trunk's release build, its JS and CSS minified (integrity hashes made
//! again), and every shipped file precompressed.

use std::path::{Path, PathBuf};

use crate::shell::{Result, output, root, sh, step};
use crate::tools::{Tools, install_debian_packages};

/// trunk must not download anything: cargo fetches first, and trunk runs offline.
pub(crate) fn build_app(tools: &Tools) -> Result {
    sh(None, "cargo", &["fetch"])?;
    // trunk leaves wasm-bindgen's output folder as it was and ships every JS snippet in it, so
    // a snippet the app no longer has would still be preloaded by every page load.
    let _ = std::fs::remove_dir_all(root().join("target/wasm-bindgen/release"));
    step("building the app (trunk build --release)");
    sh(
        Some(&tools.path()),
        "trunk",
        &["build", "--release", "--offline"],
    )?;
    minify(tools)?;
    precompress()
}

/// The app's JS and CSS minified in place by esbuild, and index.html's integrity hash of each
/// (trunk's subresource integrity) made again for what it now holds.
pub(crate) fn minify(tools: &Tools) -> Result {
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
            Some(&tools.path()),
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
pub(crate) fn integrity(tools: &Tools, file: &Path) -> Result<String> {
    let script = "const c = require('crypto'), f = require('fs'); \
                  process.stdout.write('sha384-' + c.createHash('sha384').update(f.readFileSync(process.argv[1])).digest('base64'))";
    let name = file.to_string_lossy().into_owned();
    output("node", &["-e", script, &name], Some(&tools.path()))
        .filter(|digest| digest.starts_with("sha384-"))
        .ok_or_else(|| format!("cannot hash {name} with node"))
}

/// The files of the app as they ship (not the compressed copies beside them), wasm-bindgen's
/// snippets (in folders of their own) included.
pub(crate) fn shipped_files() -> Result<Vec<PathBuf>> {
    pub(crate) fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result {
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
pub(crate) fn precompress() -> Result {
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
