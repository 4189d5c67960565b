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

pub mod fonts;
pub mod header;
pub mod text;
pub mod world;

use std::collections::{HashMap, HashSet};
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

/// Fragment preamble: its values, read as data.
fn preamble(name: &str) -> String {
    format!("#let so-lieu-doan = json(\"/gia-tri/{name}.json\")\n")
}

impl DocumentSource {
    /// Generated `/main.typ`. The last paragraph of the last fragment (the one
    /// with "./.") is handed to the layout's `ket-thuc`, which keeps it on the
    /// page of Nơi nhận and the signature.
    pub fn main_typ(&self) -> String {
        let mut s = format!(
            "#import \"/chung/{}\": van-ban, muc, ket-thuc\n#let M = json(\"/van-ban.json\")\n#show: van-ban.with(M)\n",
            self.layout
        );
        let mut h = 0;
        for (i, b) in self.blocks.iter().enumerate() {
            match b {
                Block::Heading { level, number, .. } => {
                    let keep = if self.heading_leads(i) { "" } else { ", dinh: false" };
                    s.push_str(&format!("#muc({level}, {}, M.muc.at({h}){keep})\n", typst_string(number)));
                    h += 1;
                }
                // A blank line after each fragment: consecutive fragments are separate paragraphs.
                Block::Fragment(f) => s.push_str(&format!("#include \"/doan/{}.typ\"\n\n", f.name)),
            }
        }
        match self.closing_fragment() {
            Some(f) => s.push_str(&format!("#ket-thuc(M, include \"{TAIL_DIR}{}.typ\")\n", f.name)),
            None => s.push_str("#ket-thuc(M, [])\n"),
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

    /// The fragment whose last paragraph closes the body (the last block, if a fragment).
    fn closing_fragment(&self) -> Option<&Fragment> {
        match self.blocks.last() {
            Some(Block::Fragment(f)) => Some(f),
            _ => None,
        }
    }
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
    for (path, bytes, is_source) in files(doc, layouts)? {
        keep.insert(file_id(&path));
        if is_source {
            world.set_source(&path, String::from_utf8(bytes).unwrap_or_default());
        } else {
            world.set_file(&path, bytes);
        }
    }
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

/// Compiles the world's document; Typst errors are mapped to the fragment line.
pub fn compile(world: &BaocaoWorld, doc: &DocumentSource) -> Result<(PagedDocument, Vec<String>)> {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    comemo::evict(10);
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
