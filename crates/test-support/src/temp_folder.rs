//! A new, empty folder in the machine's temporary folder, removed with what is in it when
//! dropped (also when a test fails), so a run of the tests leaves nothing behind.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct TempFolder(PathBuf);

impl TempFolder {
    /// `hunts-<name>-<process>-<n>`. One left by an earlier run whose process had the same id
    /// (ids are reused) is emptied first: a database in it would hold that run's hunts.
    pub fn new(name: &str) -> TempFolder {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "hunts-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempFolder(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
