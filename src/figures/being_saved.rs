//! Sector files being saved: a file's new bytes from the moment its change is
//! checked until it is on disk (written, synced, renamed, logged). The live
//! preview reads them instead of the disk, so its layout starts while the disk
//! catches up; the "Đã lưu" answer still waits for the disk.
//!
//! Nothing else reads them: only a read inside [`reading`] sees them, and only
//! the live preview reads inside it (a check, a PDF version, an export, a view
//! read what is on disk). A file is held at most once
//! (the saves of a period's files take turns under its lock) and only while its
//! save runs: the [`Saving`] guard lets go of it however the save ends.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The files being saved now, by path, with their new bytes.
pub type Files = HashMap<PathBuf, Arc<Vec<u8>>>;

/// The files of one project being saved; clones share them.
#[derive(Debug, Default, Clone)]
pub struct BeingSaved(Arc<Mutex<Files>>);

impl BeingSaved {
    /// Holds `bytes` as `path`'s content until the returned guard is dropped.
    pub fn begin(&self, path: &Path, bytes: &[u8]) -> Saving<'_> {
        self.lock().insert(path.to_path_buf(), Arc::new(bytes.to_vec()));
        Saving {
            of: self,
            path: path.to_path_buf(),
        }
    }

    /// The files being saved now (most often none).
    pub fn files(&self) -> Files {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Files> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A file held by [`BeingSaved::begin`]; dropped when its save has ended.
pub struct Saving<'a> {
    of: &'a BeingSaved,
    path: PathBuf,
}

impl Drop for Saving<'_> {
    fn drop(&mut self) {
        self.of.lock().remove(&self.path);
    }
}

thread_local! {
    static READING: RefCell<Option<Files>> = const { RefCell::new(None) };
}

/// Runs `f` on this thread with `files` read in place of the disk's (see
/// [`bytes_of`]); what was read before is read again after.
pub fn reading<T>(files: Files, f: impl FnOnce() -> T) -> T {
    if files.is_empty() {
        return f();
    }
    /// Puts back what was read before, however `f` ends.
    struct Restore(Option<Files>);
    impl Drop for Restore {
        fn drop(&mut self) {
            READING.with(|r| *r.borrow_mut() = self.0.take());
        }
    }
    let _restore = Restore(READING.with(|r| r.replace(Some(files))));
    f()
}

/// The bytes being saved to `path`, when read inside [`reading`].
pub(crate) fn bytes_of(path: &Path) -> Option<Arc<Vec<u8>>> {
    READING.with(|r| r.borrow().as_ref().and_then(|files| files.get(path).cloned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_as_being_saved_only_inside_reading_and_only_while_saved() {
        let saved = BeingSaved::default();
        let path = Path::new("/du-an/data/2026-02/nong_nghiep.csv");
        let guard = saved.begin(path, b"moi");
        assert_eq!(bytes_of(path), None, "outside `reading` the disk is read");
        let inside = reading(saved.files(), || bytes_of(path));
        assert_eq!(inside.as_deref().map(Vec::as_slice), Some(&b"moi"[..]));
        assert_eq!(bytes_of(path), None, "and again after it");
        drop(guard);
        assert!(saved.files().is_empty(), "let go of once the save has ended");
        assert_eq!(reading(saved.files(), || bytes_of(path)), None);
    }
}
