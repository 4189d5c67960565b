//! Stage 4: typesetting with embedded Typst. The generated document is a set
//! of virtual files with fixed paths:
//!
//! * `/main.typ` – imports the layout, one heading call and one `#include` per section;
//! * `/van-ban.json` – header, titles, Nơi nhận, signature (read as data, never markup);
//! * `/doan/<name>.typ` + `/gia-tri/<name>.json` – each fragment's markup and values;
//! * `/chung/<layout>.typ` – the shared layouts (templates/_chung, or the copies built in).
pub mod appendix;
pub mod chart;
pub mod check;
mod check_more;
pub mod handoff;
pub mod indicator_table;
pub mod rendered;

pub mod drawing;
pub mod fonts;
pub mod header;
pub mod text;
pub mod world;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst::syntax::FileId;
use typst::WorldExt;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::error::{Error, IoAction, Result, TypesetMessage};
use crate::wording::{line_col, source_line, Fragment};
use world::{file_id, BaocaoWorld};

pub use header::Header;

/// Pretty JSON of a value the layout reads as data.
fn json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec_pretty(v).expect("string-keyed data always serialises")
}

/// Layout files built into the binary (used when templates/_chung lacks them).
pub const BUILTIN_LAYOUTS: [(&str, &str); 3] = [
    ("hanh-chinh.typ", include_str!("../../templates/_chung/hanh-chinh.typ")),
    ("dang.typ", include_str!("../../templates/_chung/dang.typ")),
    ("bieu-do.typ", include_str!("../../templates/_chung/bieu-do.typ")),
];

/// One entry of the body, in order.
#[derive(Debug, Clone)]
pub enum Block {
    /// A numbered heading: level and number text ("I.", "1.", "a)"); its title is
    /// the next entry of `muc` in /van-ban.json.
    Heading { level: u8, number: String },
    /// A fragment's converted text.
    Fragment(Fragment),
}

/// Everything needed to typeset one document.
#[derive(Debug, Clone)]
pub struct DocumentSource {
    /// Layout file name under /chung/ ("hanh-chinh.typ" or "dang.typ").
    pub layout: String,
    /// Contents of /van-ban.json.
    pub header: Header,
    pub blocks: Vec<Block>,
    pub date: chrono::NaiveDate,
    /// PDF identifier (stable across renders of the same report and period).
    pub ident: String,
}

/// Fragment preamble: its values, read as data; those in footnotes are read
/// when laid out (see `wording::markup`).
fn preamble(name: &str) -> String {
    let values = format!("json(\"/gia-tri/{name}.json\")");
    format!("#let so-lieu-doan = {values}\n#let so-lieu-doan-khi-dan(i) = context {values}.at(i)\n")
}

impl DocumentSource {
    /// Generated `/main.typ`. The last paragraph of the last fragment (the one
    /// with "./.") is handed to the layout's `ket-thuc`, which keeps it on the
    /// page of Nơi nhận and the signature.
    pub fn main_typ(&self) -> String {
        self.main_typ_with(&Reflow::default())
    }

    /// `/main.typ` with the corrections of a laid-out document ([`Reflow`]). A
    /// heading that introduces text is followed by a marker ([`AFTER_HEADING`]) where
    /// that text starts, and the closing block starts with one ([`CLOSING`]), so that
    /// [`compile`] can tell where they landed.
    fn main_typ_with(&self, reflow: &Reflow) -> String {
        let spread = if reflow.spread.is_some() { ", gian-trang" } else { "" };
        let mut s = format!(
            "#import \"/chung/{}\": van-ban, muc, ket-thuc{spread}\n#let M = json(\"/van-ban.json\")\n#show: van-ban.with(M)\n",
            self.layout
        );
        if let Some((page, extra)) = reflow.spread {
            s.push_str(&format!("#show: gian-trang.with({page}, {extra:.1}pt)\n"));
        }
        let mut h = 0;
        for (i, b) in self.blocks.iter().enumerate() {
            match b {
                Block::Heading { level, number, .. } => {
                    if reflow.breaks.contains(&i) {
                        s.push_str("#pagebreak(weak: true)\n");
                    }
                    let leads = self.heading_leads(i);
                    let keep = if leads { "" } else { ", dinh: false" };
                    s.push_str(&format!("#muc({level}, {}, M.muc.at({h}){keep})\n", typst_string(number)));
                    if leads && matches!(self.blocks.get(i + 1), Some(Block::Fragment(_))) {
                        s.push_str(&format!("#metadata({i}) <{AFTER_HEADING}>\n"));
                    }
                    h += 1;
                }
                // A blank line after each fragment: consecutive fragments are separate paragraphs.
                Block::Fragment(f) => s.push_str(&format!("#include \"/doan/{}.typ\"\n\n", f.name)),
            }
        }
        let marker = format!("[#metadata(none) <{CLOSING}>]");
        let tight = if reflow.tight { ", hep: true" } else { "" };
        match self.closing_fragment() {
            Some(f) => s.push_str(&format!("#ket-thuc(M, {marker} + include \"{TAIL_DIR}{}.typ\"{tight})\n", f.name)),
            None => s.push_str(&format!("#ket-thuc(M, {marker}{tight})\n")),
        }
        s
    }

    /// Whether the heading at `index` introduces text of its own (a fragment or a
    /// lower heading follows) and so must stay with it; a heading that is a whole
    /// item ("b) Khó khăn, vướng mắc: Không.") stands alone.
    pub fn heading_leads(&self, index: usize) -> bool {
        let Some(Block::Heading { level, .. }) = self.blocks.get(index) else {
            return false;
        };
        match self.blocks.get(index + 1) {
            Some(Block::Fragment(_)) => true,
            Some(Block::Heading { level: next, .. }) => next > level,
            None => false,
        }
    }

    /// The first of the headings that directly precede the heading at `index` and
    /// stay with it ("II." then "1." then "a)"): a page break goes before it.
    fn heading_run_start(&self, index: usize) -> usize {
        let mut i = index;
        while i > 0 && matches!(self.blocks.get(i - 1), Some(Block::Heading { .. })) && self.heading_leads(i - 1) {
            i -= 1;
        }
        i
    }

    /// The fragment whose last paragraph closes the body (the last block, if a fragment).
    fn closing_fragment(&self) -> Option<&Fragment> {
        match self.blocks.last() {
            Some(Block::Fragment(f)) => Some(f),
            _ => None,
        }
    }
}

/// Label of the marker placed where the text of a heading starts (`/main.typ`).
const AFTER_HEADING: &str = "baocao-sau-muc";
/// Label of the marker at the top of the closing block (last paragraph, Nơi nhận, signature).
const CLOSING: &str = "baocao-ket-thuc";

/// Corrections of a laid-out document, written into `/main.typ` for the next layout.
#[derive(Debug, Clone, Default)]
struct Reflow {
    /// Headings (indices into `blocks`) that start a new page.
    breaks: BTreeSet<usize>,
    /// A page (1-based) whose paragraphs are spaced apart by this many points more.
    spread: Option<(usize, f64)>,
    /// The narrower gap above Nơi nhận and the signature (`ket-thuc(.., hep: true)`).
    tight: bool,
}

/// Virtual folder of the closing paragraph of the last fragment.
const TAIL_DIR: &str = "/doan-cuoi/";

/// Byte offset where the last top-level paragraph of converted markup starts
/// (after the last blank line outside brackets; 0 when there is one paragraph).
pub fn last_paragraph_start(typst: &str) -> usize {
    let body = typst.trim_end();
    let bytes = body.as_bytes();
    let (mut depth, mut start, mut i) = (0i32, 0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => depth -= 1,
            b'\n' if depth == 0 && bytes.get(i + 1) == Some(&b'\n') => start = i + 2,
            _ => {}
        }
        i += 1;
    }
    start.min(body.len())
}

/// A Typst string literal (escapes `\`, `"` and control characters).
pub fn typst_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Loads the layouts: project files override the built-in copies.
pub fn layouts(shared_dir: &Path) -> Vec<(String, String)> {
    let mut map: HashMap<String, String> = BUILTIN_LAYOUTS.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    for e in std::fs::read_dir(shared_dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.extension().and_then(|x| x.to_str()) == Some("typ") {
            if let (Some(n), Ok(t)) = (p.file_name().and_then(|n| n.to_str()), crate::base::folders::read_to_string(&p)) {
                map.insert(n.to_string(), t);
            }
        }
    }
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort();
    v
}

/// Every virtual file of a document: (virtual path, contents, is Typst source).
pub fn files(doc: &DocumentSource, layouts: &[(String, String)]) -> Result<Vec<(String, Vec<u8>, bool)>> {
    let mut out = vec![("/main.typ".to_string(), doc.main_typ().into_bytes(), true)];
    for (name, text) in layouts {
        out.push((format!("/chung/{name}"), text.clone().into_bytes(), true));
    }
    out.push(("/van-ban.json".into(), json(&doc.header), false));
    let closing = doc.closing_fragment().map(|f| f.name.as_str());
    for b in &doc.blocks {
        if let Block::Fragment(f) = b {
            let typst = &f.converted.typst;
            let split = if closing == Some(f.name.as_str()) {
                last_paragraph_start(typst)
            } else {
                typst.len()
            };
            out.push((
                format!("/doan/{}.typ", f.name),
                format!("{}{}", preamble(&f.name), &typst[..split]).into_bytes(),
                true,
            ));
            if closing == Some(f.name.as_str()) {
                out.push((
                    format!("{TAIL_DIR}{}.typ", f.name),
                    format!("{}{}", preamble(&f.name), &typst[split..]).into_bytes(),
                    true,
                ));
            }
            out.push((format!("/gia-tri/{}.json", f.name), json(&f.converted.values), false));
        }
    }
    Ok(out)
}

/// Puts the document's files into the world (unchanged files keep their caches).
pub fn load_into(world: &mut BaocaoWorld, doc: &DocumentSource, layouts: &[(String, String)], report_dir: PathBuf) -> Result<()> {
    world.configure(report_dir, doc.date);
    let mut keep = HashSet::new();
    let mut sources = Vec::new();
    for (path, bytes, is_source) in files(doc, layouts)? {
        keep.insert(file_id(&path));
        if is_source {
            sources.push((path, String::from_utf8(bytes).unwrap_or_default()));
        } else {
            world.set_file(&path, bytes);
        }
    }
    world.set_sources(sources);
    world.retain(&keep);
    Ok(())
}

/// Writes the document as a folder the typst CLI can compile:
/// `typst compile --root DIR --font-path fonts DIR/main.typ`.
pub fn emit(doc: &DocumentSource, layouts: &[(String, String)], report_dir: &Path, dir: &Path) -> Result<()> {
    for (path, bytes, _) in files(doc, layouts)? {
        let target = dir.join(path.trim_start_matches('/'));
        crate::archive::output::write_atomic(&target, &bytes)?;
    }
    // The report type's own files, visible as /mau/ to layouts and fragments.
    for e in std::fs::read_dir(report_dir).into_iter().flatten().flatten() {
        if e.path().is_file() {
            let target = dir.join("mau").join(e.file_name());
            let bytes = crate::base::folders::read(e.path()).map_err(|err| Error::io(IoAction::Read, e.path(), err))?;
            crate::archive::output::write_atomic(&target, &bytes)?;
        }
    }
    Ok(())
}

/// `f` of every page, in page order; the second half of the pages is done on
/// the other core (what waits for the pages' text or hashes waits half as long).
pub(crate) fn per_page<T: Send>(doc: &PagedDocument, f: impl Fn(&typst_layout::Page) -> T + Sync) -> Vec<T> {
    let (first, second) = doc.pages().split_at(doc.pages().len() / 2);
    std::thread::scope(|s| {
        let later = s.spawn(|| second.iter().map(&f).collect::<Vec<_>>());
        let mut out: Vec<T> = first.iter().map(&f).collect();
        out.extend(later.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        out
    })
}

/// Each page's hash: what it shows, not how it was made (a changed page has
/// another), made on both cores.
pub(crate) fn page_hashes(doc: &PagedDocument) -> Vec<u128> {
    per_page(doc, |p| typst::utils::hash128(&p.frame))
}

/// How many times a document is laid out again to move headings left at a page's foot.
const MAX_REFLOWS: usize = 8;

/// Compiles the world's document (loaded by [`load_into`]); Typst errors are mapped
/// to the fragment line. The layout starts from the document's last layout in this
/// world, if any ([`Start::FromLast`]). Two corrections need the laid-out pages, so
/// the document is laid out again when one applies (at most [`MAX_REFLOWS`] times):
///
/// - Headings keep with their text (sticky blocks) and paragraphs keep their first two
///   lines together. Typst's own orphan rule does not count footnotes; the patched
///   flow layout built in (`vendor/typst-layout`, see its BAOCAO.md) does, so with the
///   layouts of this project a heading is never left at a page foot with one line of
///   its text, in one layout. Should it still happen (a project's own layout without
///   sticky headings), such a heading (or the run of headings it ends) is moved to the
///   next page by a page break before it, as Word's "keep with next" does; one heading
///   at a time, top to bottom, since each move shifts the pages after it.
/// - The closing block (last paragraph, Nơi nhận, signature) never splits. When it
///   does not fit and goes to the next page, the gap above Nơi nhận and the signature
///   is first narrowed to one line (`ket-thuc(.., hep: true)`), kept only if that
///   brings the block back; otherwise the page before, which would end several lines
///   short, has its paragraphs spaced apart to fill it (`gian-trang` of the layout),
///   unless that would move text to another page.
pub fn compile(world: &mut BaocaoWorld, doc: &DocumentSource) -> Result<Compiled> {
    let mut reflow = Reflow::default();
    let again = world.laid_out_before(&doc.ident);
    let mut laid_out = compile_once(world, doc, Start::FromLast)?;
    // The laid-out text of `laid_out` (and, laid out again, its page hashes),
    // read once per layout for every check.
    let (mut page_hashes, mut lines) = world.read_pages(&laid_out.0, again);
    let mut layouts = 1;
    let (mut tried_tight, mut tried_spread) = (false, false);
    for _ in 0..MAX_REFLOWS {
        let stranded = stranded_headings(&laid_out.0, &lines)
            .into_iter()
            .map(|i| doc.heading_run_start(i))
            .find(|i| !reflow.breaks.contains(i));
        let mut attempt = reflow.clone();
        // Whether the attempt's layout is kept (else the current one stays).
        let keep: fn(&PagedDocument, &PagedDocument) -> bool;
        if let Some(heading) = stranded {
            attempt.breaks.insert(heading);
            keep = |_, _| true;
        } else if !tried_tight && closing_pushed(&laid_out.0, &lines) {
            tried_tight = true;
            attempt.tight = true;
            // The narrower gap is kept only when it brings the closing block back.
            keep = |before, after| page_of_closing(after) < page_of_closing(before);
        } else if let (false, Some(spread)) = (tried_spread, short_page_before_closing(&laid_out.0, &lines)) {
            tried_spread = true;
            attempt.spread = Some(spread);
            // Kept only if no text moved to another page.
            keep = |before, after| {
                before.pages().len() == after.pages().len()
                    && page_of_closing(after) == page_of_closing(before)
                    && short_page_before_closing(after, &text::pages(after)).is_none()
            };
        } else {
            break;
        }
        world.set_source("/main.typ", doc.main_typ_with(&attempt));
        // A layout of the project's own copy that lacks what a correction calls
        // (`gian-trang`, `hep:`) fails here: the document is then left as laid out.
        layouts += 1;
        let Ok(next) = compile_once(world, doc, Start::FromNothing) else {
            break;
        };
        if keep(&laid_out.0, &next.0) {
            (reflow, laid_out) = (attempt, next);
            (page_hashes, lines) = world.read_pages(&laid_out.0, again);
        }
    }
    // The world keeps the source of the layout returned.
    world.set_source("/main.typ", doc.main_typ_with(&reflow));
    let (document, warnings) = laid_out;
    Ok(Compiled {
        document,
        warnings,
        layouts,
        lines,
        page_hashes,
    })
}

/// Where Typst's layout starts from.
#[derive(Clone, Copy)]
enum Start {
    /// The introspection of the document's last layout in this world (its
    /// counters, pages and footnotes), kept for the next: after a small edit
    /// Typst settles in one layout, not two. Used for a document's layout as
    /// written; the first layout of a document in a world starts from nothing.
    FromLast,
    /// Typst's own start. The corrections ([`Reflow`]) lay out from nothing:
    /// spacing the paragraphs of one page (`gian-trang`) depends on the page
    /// they land on; started from the layout before, the Nghị quyết's page 8
    /// settled on a layout the correction did not keep (the page ended short).
    FromNothing,
}

/// A laid-out document, Typst's warnings and how many times it was laid out
/// (1, plus one per correction tried).
pub struct Compiled {
    pub document: PagedDocument,
    pub warnings: Vec<String>,
    pub layouts: u32,
    /// The document's laid-out text, page by page (what the format check reads).
    pub lines: Vec<Vec<text::Line>>,
    /// Each page's hash, what it shows (a changed page has another), when the
    /// document was laid out in this world before; empty for a first layout.
    pub page_hashes: Vec<u128>,
}

/// The page (0-based) of the closing block, if found.
fn page_of_closing(d: &PagedDocument) -> Option<usize> {
    closing_position(d).map(|p| p.0)
}

/// Whether the closing block starts at the top of a page after the first (it did
/// not fit on the page before).
fn closing_pushed(d: &PagedDocument, pages: &[Vec<text::Line>]) -> bool {
    let Some(body) = body_size(pages) else { return false };
    closing_position(d).is_some_and(|(page, y)| page > 0 && y <= 20.0 * check::MM + 2.0 * body)
}

/// Pages and the body size of a laid-out document.
fn body_size(pages: &[Vec<text::Line>]) -> Option<f64> {
    let mut sizes: HashMap<i64, usize> = HashMap::new();
    for l in pages.iter().flatten() {
        *sizes.entry((l.size * 2.0).round() as i64).or_default() += 1;
    }
    sizes.into_iter().max_by_key(|(s, n)| (*n, *s)).map(|(s, _)| s as f64 / 2.0)
}

/// The page (0-based) and distance from the top (pt) of the closing block's marker.
fn closing_position(d: &PagedDocument) -> Option<(usize, f64)> {
    use typst::foundations::{Label, Selector};
    use typst::introspection::Introspector;
    use typst::utils::PicoStr;
    let label = Label::new(PicoStr::intern(CLOSING))?;
    let intro = d.introspector();
    let marker = intro.query(&Selector::Label(label)).into_iter().next()?;
    let pos = intro.position(marker.location()?)?;
    Some((pos.page.get() - 1, pos.point.y.to_pt()))
}

/// When the closing block starts at the top of a page and the page before ends more
/// than three lines short: that page (1-based) and the spacing (pt) to add after
/// each of its paragraphs that another paragraph follows on the page.
fn short_page_before_closing(d: &PagedDocument, pages: &[Vec<text::Line>]) -> Option<(usize, f64)> {
    const TOP: f64 = 20.0 * check::MM;
    let (page, y) = closing_position(d)?;
    let body = body_size(pages)?;
    if page == 0 || y > TOP + 2.0 * body {
        return None;
    }
    let before = &pages[page - 1];
    let lines: Vec<&text::Line> = before
        .iter()
        .filter(|l| (l.size - body).abs() < 0.5 && !l.text().trim().is_empty())
        .collect();
    let last = lines.last()?;
    let left = lines.iter().map(|l| l.x0()).fold(f64::MAX, f64::min);
    let height = d.pages()[page - 1].frame.size().y.to_pt();
    // The footnotes' area starts above its separator (as the layout check measures it).
    let notes_top = before
        .iter()
        .filter(|l| l.y > last.y && l.size < body - 1.0)
        .map(|l| l.y - l.size - 8.0 - 0.5 * l.size)
        .fold(height - 20.0 * check::MM, f64::min);
    // The body's line pitch: the most common distance between lines of one paragraph.
    let mut pitches: HashMap<i64, usize> = HashMap::new();
    for w in lines.windows(2).filter(|w| w[1].x0() - left < 0.3 * 28.35) {
        *pitches.entry(((w[1].y - w[0].y) * 10.0).round() as i64).or_default() += 1;
    }
    let pitch = pitches
        .into_iter()
        .max_by_key(|(p, n)| (*n, *p))
        .map_or(body * 1.4, |(p, _)| p as f64 / 10.0);
    let free = notes_top - last.y;
    let starts = lines.iter().skip(1).filter(|l| l.x0() - left > 0.3 * 28.35).count();
    if free < 4.0 * pitch || starts == 0 {
        return None;
    }
    let extra = ((free - 0.25 * pitch) / starts as f64 * 10.0).floor() / 10.0;
    Some((page, extra))
}

/// Indices (into `blocks`) of the headings whose text has one line on the page where
/// the heading is, and goes on over the page: the markers placed after headings
/// (`AFTER_HEADING`) followed by a single line of body text on their page.
fn stranded_headings(d: &PagedDocument, pages: &[Vec<text::Line>]) -> Vec<usize> {
    use typst::foundations::{Label, Selector, Value};
    use typst::introspection::{Introspector, MetadataElem};
    use typst::utils::PicoStr;
    let Some(label) = Label::new(PicoStr::intern(AFTER_HEADING)) else {
        return Vec::new();
    };
    let Some(body) = body_size(pages) else {
        return Vec::new();
    };
    let intro = d.introspector();
    let mut out = Vec::new();
    for marker in intro.query(&Selector::Label(label)) {
        let Some(meta) = marker.to_packed::<MetadataElem>() else { continue };
        let Value::Int(index) = meta.value else { continue };
        let Some(pos) = marker.location().and_then(|l| intro.position(l)) else {
            continue;
        };
        let page = pos.page.get() - 1;
        let Some(lines) = pages.get(page) else { continue };
        let below = lines
            .iter()
            .filter(|l| l.y > pos.point.y.to_pt() && (l.size - body).abs() < 0.5 && !l.text().trim().is_empty())
            .count();
        if below == 1 && page + 1 < pages.len() {
            out.push(index as usize);
        }
    }
    out.sort_unstable();
    out
}

/// Compiles the world's document once.
fn compile_once(world: &BaocaoWorld, doc: &DocumentSource, start: Start) -> Result<(PagedDocument, Vec<String>)> {
    // Typst's cache forgets what the last layouts (ten, unless the world says
    // otherwise) did not use, unless the caller had it done after its last
    // layout; done before a layout, not after, so it costs nothing in a
    // one-off run (the cache is empty).
    world.tidy_cache();
    let Warned { output, warnings } = match start {
        Start::FromLast => {
            let last = world.last_layout(&doc.ident);
            let laid = typst::compile_from::<PagedDocument>(world, last.as_ref());
            if let Ok(d) = &laid.output {
                world.keep_layout(&doc.ident, d);
            }
            laid
        }
        Start::FromNothing => typst::compile::<PagedDocument>(world),
    };
    world.laid_out();
    // The layouts list fonts an office may add (Times New Roman); their absence is expected.
    let warnings = warnings
        .iter()
        .filter(|w| !w.message.starts_with("unknown font family"))
        .map(|w| w.message.to_string())
        .collect();
    match output {
        Ok(mut d) => {
            set_info(&mut d, doc);
            Ok((d, warnings))
        }
        Err(errors) => Err(typst_error(world, doc, &errors[0])),
    }
}

/// Title (trích yếu), author (issuing body) and date from the manifest. Set on the
/// laid-out document rather than with `set document` in Typst, so the body's cached
/// layout does not depend on them (a new period or unit re-uses it).
fn set_info(d: &mut PagedDocument, doc: &DocumentSource) {
    use chrono::Datelike;
    let info = d.info_mut();
    info.title = Some(doc.header.pdf_title.as_str().into());
    info.author = vec![doc.header.pdf_author.as_str().into()];
    info.date = Smart::Custom(Datetime::from_ymd(doc.date.year(), doc.date.month() as u8, doc.date.day() as u8));
}

fn typst_error(world: &BaocaoWorld, doc: &DocumentSource, diag: &SourceDiagnostic) -> Error {
    let hints: String = diag
        .hints
        .iter()
        .map(|h| TypesetMessage::Hint { hint: h.v.to_string() }.to_string())
        .collect();
    // Prefer the innermost point in a fragment: the error itself or a call in its trace.
    let spans = std::iter::once(diag.span).chain(diag.trace.iter().map(|t| t.span.into()));
    let mut fallback: Option<Error> = None;
    for span in spans {
        let Some(id) = span.id() else { continue };
        let Some(range) = world.range(span) else { continue };
        if let Some(e) = locate(world, doc, id, range.start, &diag.message, &hints) {
            if matches!(e, Error::Typst { ref file, .. } if file.starts_with("templates") && !file.starts_with("templates/_chung")) {
                return e;
            }
            fallback.get_or_insert(e);
        }
    }
    fallback.unwrap_or_else(|| Error::Typst {
        file: PathBuf::from(TypesetMessage::WholeDocument.to_string()),
        line: 0,
        message: diag.message.to_string(),
        hints,
        source_line: String::new(),
    })
}

fn locate(world: &BaocaoWorld, doc: &DocumentSource, id: FileId, offset: usize, message: &str, hints: &str) -> Option<Error> {
    let vpath = id.vpath().get_with_slash().to_string();
    let fragment = vpath
        .strip_prefix("/doan/")
        .map(|n| (n, false))
        .or_else(|| vpath.strip_prefix(TAIL_DIR).map(|n| (n, true)));
    if let Some((name, tail)) = fragment.and_then(|(n, t)| Some((n.strip_suffix(".typ")?, t))) {
        let frag = doc.blocks.iter().find_map(|b| match b {
            Block::Fragment(f) if f.name == name => Some(f),
            _ => None,
        })?;
        let skipped = if tail { last_paragraph_start(&frag.converted.typst) } else { 0 };
        let body = offset.saturating_sub(preamble(name).len()) + skipped;
        let (line, _col) = frag.locate_typst(body);
        return Some(Error::Typst {
            file: frag.file.clone(),
            line,
            message: message.to_string(),
            hints: hints.to_string(),
            source_line: source_line(&frag.template_source, line),
        });
    }
    let text = world.source_text(id)?;
    let (line, _) = line_col(text, offset);
    let file = match vpath.strip_prefix("/chung/") {
        Some(n) => PathBuf::from("templates/_chung").join(n),
        None => PathBuf::from(TypesetMessage::Generated { vpath }.to_string()),
    };
    Some(Error::Typst {
        file,
        line,
        message: message.to_string(),
        hints: hints.to_string(),
        source_line: source_line(text, line),
    })
}

/// Exports PDF/A-2b with a fixed identifier and timestamp (same inputs, same bytes).
///
/// PDF/A forbids text the fonts cannot display (a pasted emoji, a rare symbol):
/// then the PDF is exported without the PDF/A claim and the returned warning
/// says which characters to fix. Nothing is refused for it.
pub fn pdf(doc: &PagedDocument, source: &DocumentSource) -> Result<(Vec<u8>, Option<String>)> {
    use chrono::Datelike;
    let d = source.date;
    let dt = Datetime::from_ymd_hms(d.year(), d.month() as u8, d.day() as u8, 8, 0, 0).ok_or_else(|| Error::PdfDate(d.to_string()))?;
    let mut options = PdfOptions {
        ident: Smart::Custom(source.ident.clone()),
        timestamp: Some(Timestamp::new_utc(dt)),
        standards: PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| Error::Pdf(e.message().to_string()))?,
        ..PdfOptions::default()
    };
    let messages = |errs: &[SourceDiagnostic]| errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>();
    match typst_pdf::pdf(doc, &options) {
        Ok(bytes) => Ok((bytes, None)),
        Err(errs) if errs.iter().all(|e| e.message.contains("could not be displayed")) => {
            let mut chars: Vec<String> = messages(&errs)
                .iter()
                .filter_map(|m| m.split('`').nth(1).map(|t| t.trim_matches('"').to_string()))
                .collect();
            chars.sort();
            chars.dedup();
            options.standards = PdfStandards::default();
            let bytes = typst_pdf::pdf(doc, &options).map_err(|e| Error::Pdf(messages(&e).join("; ")))?;
            Ok((bytes, Some(TypesetMessage::MissingGlyphs { chars }.to_string())))
        }
        Err(errs) => Err(Error::Pdf(messages(&errs).join("; "))),
    }
}

/// PNG previews of every page at `dpi`.
pub fn png_pages(doc: &PagedDocument, dpi: f32) -> Result<Vec<Vec<u8>>> {
    doc.pages()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let pix = typst_render::render(
                p,
                &typst_render::RenderOptions {
                    pixel_per_pt: typst::utils::Scalar::new(dpi as f64 / 72.0),
                    ..Default::default()
                },
            );
            pix.encode_png().map_err(|e| Error::Png {
                page: i + 1,
                detail: e.to_string(),
            })
        })
        .collect()
}
