//! What the bench binaries share: the repository's folder and a copy of a
//! project folder to work on (a bench never writes into the repository).
#![allow(dead_code)] // each bench uses what it needs

pub mod http;

use std::path::{Path, PathBuf};

/// The repository (the sample project).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let t = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &t)
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}
