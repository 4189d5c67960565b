//! The single boundary between Typst and the outside: a `World` that serves
//! generated sources and data from memory under fixed virtual paths, the
//! report type's own files read-only, and nothing else.

use std::collections::HashMap;
use std::path::PathBuf;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::Fonts;
use crate::error::WorldProblem;

/// Virtual folder where the report type's own files (images ...) are visible.
pub const REPORT_PREFIX: &str = "/mau/";

/// The virtual file id for an absolute virtual path (ids are interned once per path).
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| VirtualPath::new("/invalid").expect("static path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// A long-lived world: update its files between compiles and Typst's caches
/// stay valid for everything that did not change.
pub struct BaocaoWorld {
    library: LazyHash<Library>,
    fonts: Fonts,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    report_dir: PathBuf,
    today: Datetime,
}

impl BaocaoWorld {
    /// A world with no files yet; `main` is `/main.typ`.
    pub fn new(fonts: Fonts) -> Self {
        BaocaoWorld {
            library: LazyHash::new(Library::default()),
            fonts,
            main: file_id("/main.typ"),
            sources: HashMap::new(),
            files: HashMap::new(),
            report_dir: PathBuf::new(),
            today: Datetime::from_ymd(2000, 1, 1).expect("valid date"),
        }
    }

    /// Sets the report type folder visible under `/mau/` and the document date.
    pub fn configure(&mut self, report_dir: PathBuf, date: chrono::NaiveDate) {
        use chrono::Datelike;
        self.report_dir = report_dir;
        if let Some(d) = Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8) {
            self.today = d;
        }
    }

    /// Sets a virtual Typst source; an unchanged text keeps its parsed tree.
    pub fn set_source(&mut self, path: &str, text: String) {
        let id = file_id(path);
        match self.sources.get_mut(&id) {
            Some(s) if s.text() == text => {}
            // A fresh parse rather than `Source::replace`: typst-syntax 0.15.1's
            // incremental reparse can panic on some multi-byte edits (found by
            // tests/escaping.rs). Typst's caches still key on the content.
            Some(s) => *s = Source::new(id, text),
            None => {
                self.sources.insert(id, Source::new(id, text));
            }
        }
    }

    /// Sets a virtual data file.
    pub fn set_file(&mut self, path: &str, bytes: Vec<u8>) {
        let id = file_id(path);
        if self.files.get(&id).map(|b| b.as_slice()) != Some(&bytes[..]) {
            self.files.insert(id, Bytes::new(bytes));
        }
    }

    /// Drops virtual files not in `keep` (fragments removed from the manifest).
    pub fn retain(&mut self, keep: &std::collections::HashSet<FileId>) {
        self.sources.retain(|id, _| keep.contains(id));
        self.files.retain(|id, _| keep.contains(id));
    }

    /// The text of a virtual source (for error messages).
    pub fn source_text(&self, id: FileId) -> Option<&str> {
        self.sources.get(&id).map(|s| s.text())
    }

    fn report_file(&self, id: FileId) -> FileResult<Bytes> {
        let vpath = id.vpath().get_with_slash();
        let rel = vpath.strip_prefix(REPORT_PREFIX).ok_or_else(|| denied(vpath))?;
        let path = self.report_dir.join(rel);
        if !path.starts_with(&self.report_dir) || rel.split('/').any(|s| s == "..") {
            return Err(denied(vpath));
        }
        crate::base::folders::read(&path)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, &path))
    }
}

fn denied(path: &str) -> FileError {
    refused(WorldProblem::OutsideReport {
        path: path.to_string(),
        prefix: REPORT_PREFIX,
    })
}

fn refused(problem: WorldProblem) -> FileError {
    FileError::Other(Some(problem.to_string().into()))
}

impl World for BaocaoWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(s) = self.sources.get(&id) {
            return Ok(s.clone());
        }
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(refused(WorldProblem::Package));
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(bytes.as_slice()).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(refused(WorldProblem::Package));
        }
        if let Some(b) = self.files.get(&id) {
            return Ok(b.clone());
        }
        if let Some(s) = self.sources.get(&id) {
            return Ok(Bytes::from_string(s.clone()));
        }
        self.report_file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
