//! The hall's door to the Word importer: a .docx (or a .doc through LibreOffice)
//! becomes a new report type, its period's sector file and appendix tables
//! (`import_word`), and the Word text set beside the rendered text
//! (`compare_import`). Refuses what `create_report_type` refuses (office accounts
//! only, a name in use, a bad name) and never overwrites a file that exists.

use std::path::{Path, PathBuf};

use super::access::{allow, Access};
use super::Project;
use crate::archive::textdiff::{changes, Change};
use crate::base::period::Period;
use crate::error::{Error, ImportError, IoAction, OfficeTask, Result, ReviewError};
use crate::import::{self, Imported, Place};
use crate::office::actor::Actor;

/// What an import wrote.
#[derive(Debug, Clone)]
pub struct ImportDone {
    pub imported: Imported,
    pub written: Vec<PathBuf>,
}

impl Project {
    /// Imports the Word file `file` as the report type `name` (default: the file's
    /// name without marks, e.g. `Kế hoạch 15.docx` -> `ke-hoach-15`).
    pub fn import_word(&self, actor: &Actor, file: &Path, name: Option<&str>) -> Result<ImportDone> {
        allow(actor, &Access::Office(OfficeTask::NewReport))?;
        let name = name.map(str::to_string).unwrap_or_else(|| name_of(file));
        self.free_report_name(&name)?;
        let bytes = docx_bytes(file)?;
        self.import_bytes(file, &bytes, &name)
    }

    /// Imports a Word file sent from the page (`file_name` as the browser gave it).
    pub fn import_word_upload(&self, actor: &Actor, file_name: &str, bytes: &[u8], name: Option<&str>) -> Result<ImportDone> {
        allow(actor, &Access::Office(OfficeTask::NewReport))?;
        let shown = Path::new(Path::new(file_name).file_name().unwrap_or_default()).to_path_buf();
        let ext = shown.extension().map(|e| e.to_string_lossy().to_lowercase());
        if !matches!(ext.as_deref(), Some("docx" | "doc")) {
            return Err(Error::Review(ReviewError::NotWordFile(file_name.to_string())));
        }
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| name_of(&shown));
        self.free_report_name(&name)?;
        let bytes = match ext.as_deref() {
            Some("doc") => converted_upload(&shown, bytes)?,
            _ => bytes.to_vec(),
        };
        self.import_bytes(&shown, &bytes, &name)
    }

    /// Refuses a name that is not a report type name or is taken.
    fn free_report_name(&self, name: &str) -> Result<()> {
        if !crate::base::manifest::is_fragment_name(name) {
            return Err(Error::BadReportName(name.to_string()));
        }
        let dir = self.report_dir(name);
        match dir.exists() {
            true => Err(Error::ReportExists { dir: self.shown(&dir) }),
            false => Ok(()),
        }
    }

    fn import_bytes(&self, file: &Path, bytes: &[u8], name: &str) -> Result<ImportDone> {
        let imported = import::import(bytes, name).map_err(|e| e.in_file(file))?;
        let period = imported.summary.period.unwrap_or(Period::Year { year: 2000 });
        let targets: Vec<(PathBuf, &str)> = imported
            .files
            .iter()
            .map(|f| (self.place(name, period, &f.place), f.text.as_str()))
            .collect();
        if let Some((p, _)) = targets.iter().find(|(p, _)| p.exists()) {
            return Err(Error::ReportExists { dir: self.shown(p) });
        }
        // The period's folder, so that the type's page and preview open even without figures.
        let period_dir = self.data_dir().join(period.to_string());
        std::fs::create_dir_all(&period_dir).map_err(|e| Error::io(IoAction::CreateDir, &period_dir, e))?;
        let mut written = Vec::new();
        for (path, text) in targets {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(IoAction::CreateDir, parent, e))?;
            }
            // Never over a file that appeared since the check (two imports of one name at once).
            let created = std::fs::OpenOptions::new().write(true).create_new(true).open(&path);
            let mut file = match created {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(Error::ReportExists { dir: self.shown(&path) }),
                other => other.map_err(|e| Error::io(IoAction::Write, &path, e))?,
            };
            std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io(IoAction::Write, &path, e))?;
            written.push(path);
        }
        Ok(ImportDone { imported, written })
    }

    fn place(&self, name: &str, period: Period, place: &Place) -> PathBuf {
        match place {
            Place::Template(f) => self.report_dir(name).join(f),
            Place::Period(f) => self.data_dir().join(period.to_string()).join(f),
            Place::ReportData(f) => self.data_dir().join(period.to_string()).join(name).join(f),
        }
    }

    /// The Word text beside the rendered text of an imported type for `period`:
    /// the sentences that differ, changed words in «…» (Word on the left).
    pub fn compare_import(&self, name: &str, period: Period, word_text: &[String]) -> Result<Vec<Change>> {
        let req = crate::base::request::Request {
            report: name.to_string(),
            period,
        };
        let mut world = self.world();
        // A draft: looking at the comparison writes nothing (no outside change is logged).
        let opts = crate::figures::check::CheckOptions {
            draft: true,
            ..Default::default()
        };
        let rendered = self.render(&mut world, &req, opts)?;
        let dump = crate::layout::text::dump(&rendered.document);
        let body: String = dump.lines().filter(|l| !is_small(l)).map(|l| format!("{l}\n")).collect();
        // Footnote marks are left out on both sides (the Word side has none).
        let body = crate::archive::textdiff::without_spans(&body, "^{", "}");
        let body = between_header_and_signature(&body, word_text.first().map(String::as_str));
        let words: String = word_text.iter().map(|p| format!("[14] {p}\n")).collect();
        let word = crate::archive::textdiff::sentences(&words);
        Ok(changes(&word, &crate::archive::textdiff::sentences(&body)))
    }
}

/// The rendered body only: from the line where the Word text's first paragraph
/// starts to the line before "Nơi nhận" (the header and the signature block are
/// the layout's, not the document's paragraphs).
fn between_header_and_signature(body: &str, first: Option<&str>) -> String {
    let text_of = |line: &str| line.split_once("] ").map(|(_, t)| t.trim().to_string()).unwrap_or_default();
    let lines: Vec<&str> = body.lines().collect();
    let opening: String = first.unwrap_or_default().trim().chars().take(12).collect();
    let start = match opening.is_empty() {
        true => 0,
        false => lines.iter().position(|l| text_of(l).starts_with(&opening)).unwrap_or(0),
    };
    let end = lines[start..]
        .iter()
        .position(|l| text_of(l).starts_with(import::vocabulary::RECIPIENTS))
        .map_or(lines.len(), |n| start + n);
    lines[start..end].iter().map(|l| format!("{l}\n")).collect()
}

/// A dump line of 10 pt or smaller (footnotes, header small print).
fn is_small(line: &str) -> bool {
    line.strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .and_then(|(size, _)| size.parse::<u32>().ok())
        .is_some_and(|s| s <= 10)
}

/// A report type's name from a file's name: ASCII letters and digits, `-` between words.
fn name_of(file: &Path) -> String {
    let stem = file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let folded: String = stem
        .chars()
        .map(import::vocabulary::fold)
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join("-")
}

/// The .docx bytes of an uploaded .doc (written to a folder of its own for LibreOffice).
fn converted_upload(shown: &Path, bytes: &[u8]) -> Result<Vec<u8>> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("baocao-tai-len-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(IoAction::CreateDir, &dir, e))?;
    let path = dir.join("van-ban.doc");
    let result = std::fs::write(&path, bytes)
        .map_err(|e| Error::io(IoAction::Write, &path, e))
        .and_then(|_| docx_bytes(&path))
        .map_err(|e| match e {
            Error::Import { problem, .. } => problem.in_file(shown),
            other => other,
        });
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The .docx bytes of `file`; a .doc is converted by LibreOffice when installed,
/// in a scratch folder of its own (two conversions at once never share one),
/// removed whatever the outcome.
fn docx_bytes(file: &Path) -> Result<Vec<u8>> {
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let is_doc = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("doc"));
    if !is_doc {
        return std::fs::read(file).map_err(|e| Error::io(IoAction::Read, file, e));
    }
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = std::env::temp_dir().join(format!("baocao-nhap-word-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| Error::io(IoAction::CreateDir, &tmp, e))?;
    let bytes = convert_doc(file, &tmp);
    let _ = std::fs::remove_dir_all(&tmp);
    bytes
}

/// Converts a .doc into `tmp` with LibreOffice; the .docx bytes.
fn convert_doc(file: &Path, tmp: &Path) -> Result<Vec<u8>> {
    let run = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "docx", "--outdir"])
        .arg(tmp)
        .arg(file)
        .output();
    let out = match run {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ImportError::DocWithoutOffice.in_file(file)),
        Err(e) => return Err(ImportError::DocConversion(e.to_string()).in_file(file)),
        Ok(o) => o,
    };
    let converted = tmp.join(file.with_extension("docx").file_name().unwrap_or_default());
    std::fs::read(&converted).map_err(|_| ImportError::DocConversion(String::from_utf8_lossy(&out.stderr).trim().to_string()).in_file(file))
}
