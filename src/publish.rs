//! Stage 5b: writing a finished render: the versioned PDF with its manifest
//! and, on request, PNG page previews and the laid-out text.

use std::path::{Path, PathBuf};

use crate::data::{sha256_hex, InputFile};
use crate::output::{self, OutputPaths, VersionManifest};
use crate::report::{Project, Rendered, Request, SHARED_DIR};
use crate::typeset::{self, text};
use crate::{textdiff, Result};

/// Side files to write beside the PDF.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras {
    /// `<name>-trang-NN.png`, one per page.
    pub png: bool,
    /// `<name>.txt`, the laid-out text page by page.
    pub text: bool,
}

/// Files directly in `dir` (sorted), hashed, shown relative to `root`.
fn hash_files(root: &Path, dir: &Path, out: &mut Vec<InputFile>) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    for p in files {
        if let Ok(bytes) = std::fs::read(&p) {
            out.push(InputFile {
                path: p.strip_prefix(root).unwrap_or(&p).display().to_string(),
                sha256: sha256_hex(&bytes),
            });
        }
    }
}

/// Every wording input of a version: the report type's fragments and mau.toml,
/// the period's narrative overrides, and the shared layouts in use.
pub fn template_inputs(project: &Project, req: &Request) -> Vec<InputFile> {
    let mut out = Vec::new();
    hash_files(&project.root, &project.report_dir(&req.report), &mut out);
    let overrides = project.data_dir().join(req.period.to_string()).join(&req.report);
    hash_files(&project.root, &overrides, &mut out);
    for (name, text) in project.layouts() {
        out.push(InputFile {
            path: format!("templates/{SHARED_DIR}/{name}"),
            sha256: sha256_hex(text.as_bytes()),
        });
    }
    out
}

/// Saves `rendered` under `out_dir`; returns the latest PDF's path and its version number.
/// An issued report and period is only re-published unchanged (see [`publish_with`]).
pub fn publish(out_dir: &Path, req: &Request, rendered: &Rendered, extras: Extras) -> Result<(PathBuf, u32)> {
    publish_with(out_dir, req, rendered, extras, &[])
}

/// The correction a new PDF of an issued report and period makes, if it
/// differs from the issued PDF; refused without a reason.
fn correction(paths: &OutputPaths, req: &Request, pdf: &[u8], reasons: &[String]) -> Result<Option<output::Correction>> {
    match crate::issuance::current(paths) {
        Some(i) if i.sha256_pdf != sha256_hex(pdf) => {
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
pub fn publish_with(out_dir: &Path, req: &Request, rendered: &Rendered, extras: Extras, reasons: &[String]) -> Result<(PathBuf, u32)> {
    let paths = OutputPaths::new(out_dir, &req.report, &req.period.to_string());
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
    };
    let dump = text::dump(&rendered.document);
    let sentences = textdiff::sentences(&dump).join("\n");
    // Side files of the document go first: if one cannot be written (a full disk),
    // no version is claimed and the latest PDF stays as it was.
    let stem = paths.latest.with_extension("");
    crate::indicator_table::write_xlsx_beside(&paths.latest, &rendered.source.header)?;
    let handoff = PathBuf::from(format!("{}{}", stem.display(), crate::handoff::SUFFIX));
    output::write_atomic(&handoff, &rendered.handoff.to_json())?;
    let (path, version) = output::save(&paths, &rendered.pdf, &sentences, manifest)?;
    if extras.png {
        for (i, png) in typeset::png_pages(&rendered.document, 100.0)?.iter().enumerate() {
            output::write_atomic(&PathBuf::from(format!("{}-trang-{:02}.png", stem.display(), i + 1)), png)?;
        }
    }
    if extras.text {
        output::write_atomic(&path.with_extension("txt"), dump.as_bytes())?;
    }
    Ok((path, version))
}
