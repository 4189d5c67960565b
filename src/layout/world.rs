//! The single boundary between Typst and the outside: a `World` that serves
//! generated sources and data from memory under fixed virtual paths, the
//! report type's own files read-only, and nothing else.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use super::fonts::Fonts;
use super::text::Line;
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
    /// Layouts after which what Typst's cache holds and no layout used is
    /// dropped ([`BaocaoWorld::keep_cache_for`]).
    cache_age: usize,
    /// A layout ran since the cache was last tidied ([`BaocaoWorld::tidy_cache`]).
    tidy_due: AtomicBool,
    /// The last layout of the last few documents laid out here (by PDF
    /// identifier, the latest last): the next layout of each starts from it.
    last: Arc<Mutex<Vec<(String, PagedDocument)>>>,
    /// How many documents' last layouts are kept ([`KEEP_DOCUMENTS`] unless set).
    keep_documents: usize,
    /// The laid-out text of the pages of those layouts, by the page's hash: a
    /// page a corrected figure did not touch is not read again.
    page_text: Arc<Mutex<HashMap<u128, Vec<Line>>>>,
}

/// Pages whose text a world keeps at most (a few documents' worth).
const KEEP_PAGE_TEXTS: usize = 256;

/// What a long-lived world keeps in Typst's cache: what the last ten layouts
/// used (a preview coming back to a report after others finds it warm).
const KEEP_LAYOUTS: usize = 10;

/// How many documents' last layouts a world keeps to start from (a clerk and
/// the head of office going back and forth between a month and a quarter).
const KEEP_DOCUMENTS: usize = 4;

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
            cache_age: KEEP_LAYOUTS,
            tidy_due: AtomicBool::new(true),
            last: Arc::new(Mutex::new(Vec::new())),
            keep_documents: KEEP_DOCUMENTS,
            page_text: Default::default(),
        }
    }

    /// Whether document `ident` was laid out here before (its last layout kept).
    pub(crate) fn laid_out_before(&self, ident: &str) -> bool {
        let last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        last.iter().any(|(of, _)| of == ident)
    }

    /// The last layout of document `ident` here, if kept.
    pub(crate) fn last_layout(&self, ident: &str) -> Option<PagedDocument> {
        let last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        last.iter().find(|(of, _)| of == ident).map(|(_, doc)| doc.clone())
    }

    /// Keeps `doc` as the last layout of document `ident` (and those of the
    /// documents laid out before it, up to the number set).
    pub(crate) fn keep_layout(&self, ident: &str, doc: &PagedDocument) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        last.retain(|(of, _)| of != ident);
        if self.keep_documents == 0 {
            return;
        }
        if last.len() == self.keep_documents {
            last.remove(0);
        }
        last.push((ident.to_string(), doc.clone()));
    }

    /// Keeps the last layouts of `documents` documents to start from (none in a
    /// batch, where each document is laid out once).
    pub fn keep_last_layouts(&mut self, documents: usize) {
        self.keep_documents = documents;
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let over = last.len().saturating_sub(documents);
        last.drain(..over);
    }

    /// Shares `other`'s last layouts: the preview's render threads, one world
    /// each, start a document from whichever laid it out last.
    pub fn share_last_layouts(&mut self, other: &BaocaoWorld) {
        self.last = other.last.clone();
        self.page_text = other.page_text.clone();
    }

    /// Each page's laid-out text, read on both cores, and, for a document laid
    /// out here again (`again`: a preview after a corrected figure), each
    /// page's hash (what it shows): a page whose text is kept from an earlier
    /// layout here (same hash) is not read again. A first layout (a one-off
    /// render, a batch) is neither hashed nor kept: nothing would read them.
    pub(crate) fn read_pages(&self, doc: &PagedDocument, again: bool) -> (Vec<u128>, Vec<Vec<Line>>) {
        if !again || self.keep_documents == 0 {
            return (Vec::new(), super::text::pages(doc));
        }
        let hashes = super::page_hashes(doc);
        let known: Vec<Option<Vec<Line>>> = {
            let kept = self.page_text.lock().unwrap_or_else(|e| e.into_inner());
            hashes.iter().map(|h| kept.get(h).cloned()).collect()
        };
        let lines: Vec<Vec<Line>> = if known.iter().filter(|k| k.is_none()).count() > 2 {
            super::text::pages(doc)
        } else {
            doc.pages()
                .iter()
                .zip(known.iter())
                .map(|(p, k)| k.clone().unwrap_or_else(|| super::text::page_lines(p)))
                .collect()
        };
        let mut kept = self.page_text.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() + hashes.len() > KEEP_PAGE_TEXTS {
            kept.clear();
        }
        for ((h, k), l) in hashes.iter().zip(&known).zip(&lines) {
            if k.is_none() || !kept.contains_key(h) {
                kept.insert(*h, l.clone());
            }
        }
        (hashes, lines)
    }

    /// Keeps in Typst's cache (shared by the whole process) only what the last
    /// `layouts` layouts used; dropped before each layout, unless
    /// [`BaocaoWorld::tidy_cache`] did it since the last one.
    pub fn keep_cache_for(&mut self, layouts: usize) {
        self.cache_age = layouts;
    }

    /// Drops from Typst's cache what the last layouts did not use, if a layout
    /// ran since it was last done (a few milliseconds on a warm cache). The
    /// live preview calls it once its page images are out, so the next layout
    /// does not wait for it; a layout does it first when nobody did.
    pub fn tidy_cache(&self) {
        if self.tidy_due.swap(false, Ordering::Relaxed) {
            comemo::evict(self.cache_age);
        }
    }

    /// Notes that a layout used the cache (the next [`BaocaoWorld::tidy_cache`] drops).
    pub(crate) fn laid_out(&self) {
        self.tidy_due.store(true, Ordering::Relaxed);
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
        self.set_sources(vec![(path.to_string(), text)]);
    }

    /// Sets many virtual Typst sources at once; an unchanged text keeps its
    /// parsed tree, and when many changed (a first render) they are parsed on
    /// two cores.
    pub fn set_sources(&mut self, sources: Vec<(String, String)>) {
        let changed: Vec<(FileId, String)> = sources
            .into_iter()
            .map(|(path, text)| (file_id(&path), text))
            .filter(|(id, text)| self.sources.get(id).map(Source::text) != Some(text.as_str()))
            .collect();
        for source in parse_all(changed) {
            self.sources.insert(source.id(), source);
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

/// Below this many bytes of changed sources (an edit in the preview) a second
/// thread costs more than it saves.
const PARSE_APART: usize = 32 * 1024;

/// Parses sources, the second half by size on another thread when there is
/// enough to share. A fresh parse rather than `Source::replace`: typst-syntax
/// 0.15.1's incremental reparse can panic on some multi-byte edits (found by
/// tests/escaping.rs). Typst's caches still key on the content.
fn parse_all(mut changed: Vec<(FileId, String)>) -> Vec<Source> {
    let parse = |sources: Vec<(FileId, String)>| -> Vec<Source> { sources.into_iter().map(|(id, text)| Source::new(id, text)).collect() };
    let total: usize = changed.iter().map(|(_, t)| t.len()).sum();
    let mut mine = 0;
    let split = changed
        .iter()
        .position(|(_, t)| {
            mine += t.len();
            mine * 2 >= total
        })
        .map_or(changed.len(), |i| i + 1);
    let theirs = changed.split_off(split);
    if total < PARSE_APART || theirs.is_empty() {
        changed.extend(theirs);
        return parse(changed);
    }
    std::thread::scope(|s| {
        let other = s.spawn(|| parse(theirs));
        let mut parsed = parse(changed);
        // Yielding rather than sleeping in `join`: being woken costs more than
        // the other half has left to parse (and a busy core still lets it run).
        while !other.is_finished() {
            std::thread::yield_now();
        }
        parsed.extend(other.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        parsed
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_world_keeps_the_last_layouts_of_its_latest_documents_and_shares_them() {
        let fonts = crate::layout::fonts::Fonts::load(None);
        let mut world = BaocaoWorld::new(fonts.clone());
        let doc = PagedDocument::new(Default::default(), Default::default());
        for i in 0..=KEEP_DOCUMENTS {
            world.keep_layout(&format!("d{i}"), &doc);
        }
        assert!(world.last_layout("d0").is_none(), "the oldest is dropped");
        assert!((1..=KEEP_DOCUMENTS).all(|i| world.last_layout(&format!("d{i}")).is_some()));
        let mut other = BaocaoWorld::new(fonts);
        other.share_last_layouts(&world);
        other.keep_layout("d9", &doc);
        assert!(world.last_layout("d9").is_some(), "kept by one, seen by the other");
        world.keep_last_layouts(1);
        assert!(other.last_layout("d9").is_some() && other.last_layout("d4").is_none());
        world.keep_last_layouts(0);
        world.keep_layout("d10", &doc);
        assert!(world.last_layout("d10").is_none() && world.last_layout("d9").is_none());
    }

    #[test]
    fn page_text_kept_from_an_earlier_layout_is_the_text_read_anew() {
        let world = std::cell::RefCell::new(BaocaoWorld::new(Fonts::load(None)));
        let shown = |pages: &[Vec<Line>]| -> Vec<Vec<(String, i64)>> {
            pages
                .iter()
                .map(|p| p.iter().map(|l| (l.text().to_string(), (l.y * 100.0) as i64)).collect())
                .collect()
        };
        for edit in ["", "Trang này đã sửa."] {
            let source: String = (0..6)
                .map(|i| format!("Trang {i}. {}\n#pagebreak()\n", if i == 3 { edit } else { "" }))
                .collect();
            world.borrow_mut().set_source("/main.typ", source);
            let world = world.borrow();
            let doc = typst::compile::<PagedDocument>(&*world).output.expect("compiles");
            let (hashes, lines) = world.read_pages(&doc, true);
            assert_eq!(hashes, super::super::per_page(&doc, |p| typst::utils::hash128(&p.frame)));
            assert_eq!(world.read_pages(&doc, false).0, Vec::<u128>::new(), "a first layout is not hashed");
            assert_eq!(shown(&lines), shown(&super::super::text::pages(&doc)), "{edit:?}");
        }
        let kept = world.borrow().page_text.lock().unwrap().len();
        assert_eq!(kept, 8, "seven pages, one of them changed: its text read anew, kept beside the old");
    }

    #[test]
    fn sources_parsed_on_two_cores_are_those_parsed_one_by_one() {
        let sources: Vec<(String, String)> = (0..12)
            .map(|i| {
                (
                    format!("/doan/d{i}.typ"),
                    format!(
                        "= Mục {i}\n{}",
                        "Đoạn *văn* có #footnote[chú thích] và số 1.234,5.\n".repeat(60 + i * 10)
                    ),
                )
            })
            .collect();
        assert!(sources.iter().map(|(_, t)| t.len()).sum::<usize>() > PARSE_APART, "enough to share");
        let mut apart = BaocaoWorld::new(Fonts::load(None));
        apart.set_sources(sources.clone());
        let mut one_by_one = BaocaoWorld::new(Fonts::load(None));
        for (path, text) in &sources {
            one_by_one.set_source(path, text.clone());
        }
        assert_eq!(apart.sources.len(), sources.len());
        for (path, text) in &sources {
            let (a, b) = (&apart.sources[&file_id(path)], &one_by_one.sources[&file_id(path)]);
            assert_eq!(a.text(), text);
            assert_eq!(a.root(), b.root(), "{path}: same syntax tree");
        }
        // A changed text is parsed again.
        let mut again = sources.clone();
        again[1].1.push_str("Thêm.\n");
        apart.set_sources(again);
        assert!(apart.sources[&file_id("/doan/d1.typ")].text().ends_with("Thêm.\n"));
    }
}
