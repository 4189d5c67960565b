//! Stage 5b: writing a finished render: the versioned PDF with its manifest
//! and, on request, PNG page previews and the laid-out text.

use crate::error::IoAction;
use std::path::{Path, PathBuf};

use crate::archive::output::{self, OutputPaths, VersionManifest};
use crate::archive::{issuance, note};
use crate::base::folders::Folders;
use crate::base::request::Request;
use crate::base::words::Names;
use crate::figures::sha256_hex;
use crate::layout::rendered::Rendered;
use crate::layout::{self, text};
use crate::office::audit::{self, Entry, Kind, PeriodLock};
use crate::{archive::textdiff, Error, Result};

/// Side files to write beside the PDF.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras {
    /// `<name>-trang-NN.png`, one per page.
    pub png: bool,
    /// `<name>.txt`, the laid-out text page by page.
    pub text: bool,
}

/// Saves `rendered` under `out_dir`; returns the latest PDF's path and its version number.
/// An issued report and period is only re-published unchanged (see [`publish_with`]).
/// A render not yet exported is exported here (see [`publish_noted`]).
pub fn publish(out_dir: &Path, req: &Request, rendered: &mut Rendered, extras: Extras) -> Result<(PathBuf, u32)> {
    publish_with(out_dir, req, rendered, extras, &[])
}

/// The correction a new PDF of an issued report and period makes, if it
/// differs from the issued PDF; refused without a reason.
/// A PDF identical to the newest version makes no new version: it keeps that
/// version's correction and needs no new reason (a render of an unchanged,
/// already corrected state succeeds).
fn correction(paths: &OutputPaths, req: &Request, pdf: &[u8], reasons: &[String]) -> Result<Option<output::Correction>> {
    let hash = sha256_hex(pdf);
    if let Some(last) = paths.newest().filter(|m| m.pdf_sha256 == hash) {
        return Ok(last.correction);
    }
    match issuance::current(paths) {
        Some(i) if i.sha256_pdf != hash => {
            if reasons.is_empty() {
                return Err(crate::Error::Locked {
                    period: req.period.to_string(),
                });
            }
            Ok(Some(output::Correction {
                replaces: i.version,
                reasons: reasons.to_vec(),
            }))
        }
        _ => Ok(None),
    }
}

/// [`publish`], with the reasons of a correction: when the report and period
/// are issued and the PDF differs from the issued one, the new version is
/// marked as correcting it (refused with [`crate::Error::Locked`] when
/// `reasons` is empty; nothing is written then).
pub fn publish_with(out_dir: &Path, req: &Request, rendered: &mut Rendered, extras: Extras, reasons: &[String]) -> Result<(PathBuf, u32)> {
    publish_noted(out_dir, req, rendered, extras, reasons, &|_| None)
}

/// Who and what changed, for a new version's manifest (none for a plain publish).
type NoteOf<'a> = &'a (dyn Fn(&Rendered) -> Option<String> + Sync);

/// What a version keeps besides its PDF: its texts, its note and the side files
/// written beside it. Made from the laid-out pages alone, while the PDF is exported.
struct Beside {
    /// The laid-out text, page by page (`--text`).
    dump: String,
    /// The laid-out text as sentences (what later versions are compared with).
    sentences: String,
    /// The document's own sentences, before layout.
    document: String,
    note: Option<String>,
    /// The indicator tables' workbook, if the document has any marked for .xlsx.
    table: Option<(PathBuf, Vec<u8>)>,
    /// The e-office metadata file and its content.
    handoff: (PathBuf, Vec<u8>),
}

impl Beside {
    fn new(paths: &OutputPaths, rendered: &Rendered, note: NoteOf) -> Result<Beside> {
        let dump = text::dump(&rendered.document);
        let stem = paths.latest.with_extension("");
        Ok(Beside {
            sentences: textdiff::sentences(&dump).join("\n"),
            document: textdiff::document_text(&rendered.source.blocks),
            note: note(rendered),
            table: crate::layout::indicator_table::xlsx_beside(&paths.latest, &rendered.source.header)?,
            handoff: (
                PathBuf::from(format!("{}{}", stem.display(), crate::layout::handoff::SUFFIX)),
                rendered.handoff.to_json(),
            ),
            dump,
        })
    }

    /// Writes the side files, all at once (their syncs to disk overlap), all
    /// finished before going on.
    fn write_side_files(&self) -> Result<()> {
        let handoff = (self.handoff.0.clone(), self.handoff.1.as_slice());
        let table = self.table.as_ref().map(|(path, bytes)| (path.clone(), bytes.as_slice()));
        let files: Vec<(PathBuf, &[u8])> = std::iter::once(handoff).chain(table).collect();
        output::write_atomic_all(&files)
    }
}

/// [`publish_with`], recording `note` (who and what changed) in a new version's manifest.
///
/// A render not yet exported (`pdf` empty) is exported on this thread while the
/// version's texts, note and side files are made on another; nothing is written
/// until both are done, so a failed export writes nothing.
fn publish_noted(
    out_dir: &Path,
    req: &Request,
    rendered: &mut Rendered,
    extras: Extras,
    reasons: &[String],
    note: NoteOf,
) -> Result<(PathBuf, u32)> {
    let paths = OutputPaths::new(out_dir, &req.report, &req.period.to_string());
    let (exported, beside) = std::thread::scope(|s| {
        let laid: &Rendered = rendered;
        let beside = s.spawn(|| Beside::new(&paths, laid, note));
        // The export stays on this thread, whose allocator has the layout's freed memory.
        let exported = laid.pdf.is_empty().then(|| laid.export());
        (exported, beside.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    });
    if let Some(exported) = exported {
        rendered.keep(exported?);
    }
    let beside = beside?;
    let correction = correction(&paths, req, &rendered.pdf, reasons)?;
    let manifest = VersionManifest {
        version: 0,
        program: format!("baocao {}", env!("CARGO_PKG_VERSION")),
        report: req.report.clone(),
        period: req.period.to_string(),
        time: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        pdf_sha256: String::new(),
        inputs: rendered.inputs.clone(),
        warnings: rendered
            .findings
            .0
            .iter()
            .map(|f| f.to_string())
            .chain(rendered.typst_warnings.iter().cloned())
            .collect(),
        figures: rendered.figures.clone(),
        template_files: rendered.template_files.clone(),
        correction,
        figure_names: rendered.figure_names.clone(),
        note: beside.note.clone(),
    };
    // Side files of the document go first: if one cannot be written (a full disk),
    // no version is claimed and the latest PDF stays as it was.
    beside.write_side_files()?;
    let texts = output::VersionTexts {
        laid_out: &beside.sentences,
        document: &beside.document,
    };
    let (path, version) = output::save_with(&paths, &rendered.pdf, texts, manifest)?;
    if extras.png {
        let stem = paths.latest.with_extension("");
        for (i, png) in layout::png_pages(&rendered.document, 100.0)?.iter().enumerate() {
            output::write_atomic(&PathBuf::from(format!("{}-trang-{:02}.png", stem.display(), i + 1)), png)?;
        }
    }
    if extras.text {
        output::write_atomic(&path.with_extension("txt"), beside.dump.as_bytes())?;
    }
    Ok((path, version))
}

/// Saves a render like [`publish`], as a correction when the
/// report and period are issued and the PDF differs: the reasons are those
/// logged since the issue plus `reason` (the command line's `--ly-do`); with
/// none it is refused. A new correction version is logged.
pub fn publish_checked(
    project: &Folders,
    out_dir: &Path,
    req: &Request,
    rendered: &mut Rendered,
    extras: Extras,
    who: &str,
    reason: Option<&str>,
) -> Result<(PathBuf, u32)> {
    let paths = OutputPaths::new(out_dir, &req.report, &req.period.to_string());
    let before = paths.newest().map(|m| m.version);
    let mut reasons = issuance::current(&paths)
        .map(|i| issuance::reasons_since(project, req.period, &i))
        .unwrap_or_default();
    if let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) {
        reasons.push(r.to_string());
    }
    let note = |laid: &Rendered| Some(note_for(project, &paths, req, laid, who));
    let (path, n) = publish_noted(out_dir, req, rendered, extras, &reasons, &note)?;
    let made = (Some(n) != before).then(|| paths.version(n)).flatten();
    if let Some(c) = made.and_then(|m| m.correction) {
        let dir = issuance::log_dir(project, req.period);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(IoAction::CreateDir, &dir, e))?;
        let lock = PeriodLock::take(&dir)?;
        let mut e = Entry::new(who, Kind::Correction, audit::shown(&project.root, &paths.version_pdf(n)));
        e.note = Some(
            crate::error::ChangeNote::Correction {
                version: n,
                replaces: c.replaces,
            }
            .to_string(),
        );
        e.reason = Some(c.reasons.join("; "));
        lock.append(&e)?;
    }
    Ok((path, n))
}

/// The note a new version of `rendered` would record: who and what changed
/// since the newest version (see [`crate::archive::note`]).
fn note_for(project: &Folders, paths: &OutputPaths, req: &Request, rendered: &Rendered, who: &str) -> String {
    let previous = paths.newest();
    let mut dirs: Vec<PathBuf> = std::iter::once(req.period)
        .chain(req.period.months())
        .map(|p| project.data_dir().join(p.to_string()))
        .collect();
    dirs.dedup();
    // People named as the page names them ("Sở Y tế"), not by their logins.
    let people = crate::office::accounts::Accounts::of(&project.root).people();
    let mut entries = note::entries_since(&dirs, previous.as_ref());
    for e in &mut entries {
        e.who = people.shown(&e.who);
    }
    let names = Names::load(&project.data_dir(), &project.report_dir(&req.report), req.period);
    let new = VersionManifest {
        figures: rendered.figures.clone(),
        figure_names: rendered.figure_names.clone(),
        template_files: rendered.template_files.clone(),
        ..previous.clone().unwrap_or_else(|| empty_manifest(req))
    };
    note::version_note(&entries, previous.as_ref(), &new, &people.shown(who), &names)
}

/// A manifest with nothing in it (the base of the note's comparison).
fn empty_manifest(req: &Request) -> VersionManifest {
    VersionManifest {
        report: req.report.clone(),
        period: req.period.to_string(),
        ..Default::default()
    }
}
