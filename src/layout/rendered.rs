//! A finished render: the laid-out document, its PDF (once exported), what the
//! checks found, the inputs it was made from and the time each stage took. Made by
//! the hall's pipeline, kept by the archive; it holds values only.

use std::time::Duration;

use crate::error::Findings;
use crate::figures::InputFile;
use crate::layout::DocumentSource;

/// Time spent in each stage.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: Duration,
    pub check: Duration,
    /// The search for another period's sentences, made beside loading and
    /// checking the figures (not on the way to the layout unless it is longer).
    pub scan: Duration,
    pub template: Duration,
    /// Laying the pages out (and out again for a correction).
    pub compile: Duration,
    /// The format check of the laid-out pages (after them, for a draft).
    pub layout_check: Duration,
    pub pdf: Duration,
    /// How many times the document was laid out (1 unless a correction was needed).
    pub layouts: u32,
}

/// A finished render.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub document: typst_layout::PagedDocument,
    pub findings: Findings,
    pub typst_warnings: Vec<String>,
    pub inputs: Vec<InputFile>,
    /// Every figure as printed by default (`sector.code` -> "84.860"), for `diff`.
    pub figures: Vec<(String, String)>,
    /// Every indicator's name (`sector.code` -> "Đàn trâu"), so comparisons name figures.
    pub figure_names: Vec<(String, String)>,
    pub timings: Timings,
    /// Each page's hash, as laid out (see [`crate::layout::Compiled`]).
    pub page_hashes: Vec<u128>,
    pub source: DocumentSource,
    /// Metadata for the e-office system (NĐ 30 Phụ lục VI), written beside the PDF.
    pub handoff: crate::layout::handoff::OutgoingDocument,
    /// Hashes of the wording inputs (fragments, mau.toml, overrides, layouts), for the
    /// manifest; empty for a draft, which never becomes a version.
    pub template_files: Vec<InputFile>,
}

/// A PDF made from a laid-out document, not yet kept in its [`Rendered`].
pub struct Exported {
    pdf: Vec<u8>,
    warning: Option<String>,
    took: Duration,
}

impl Rendered {
    /// The PDF of the laid-out pages (PDF/A-2b); reads the render only, so it can
    /// run beside other work on it.
    pub fn export(&self) -> crate::Result<Exported> {
        let t = std::time::Instant::now();
        let (pdf, warning) = crate::layout::pdf(&self.document, &self.source)?;
        Ok(Exported {
            pdf,
            warning,
            took: t.elapsed(),
        })
    }

    /// Keeps an exported PDF (and the warning its export gave).
    pub fn keep(&mut self, exported: Exported) {
        self.pdf = exported.pdf;
        self.typst_warnings.extend(exported.warning);
        self.timings.pdf = exported.took;
    }
}
