//! From a Word document to a report type (issue 29): a .docx in the NĐ 30 or
//! HD 36 layout becomes `templates/<name>/` (mau.toml and one fragment per
//! section), the period's sector file `data/<period>/<sector>.csv` with the
//! figures found in the text, and appendix tables under `data/<period>/<name>/`.
//!
//! A stage beside `figures/`: it reads bytes and returns the files to write and
//! what it did; the hall writes them. Refuses a file that is not a .docx, a
//! document without a header table or a signature table, and a date line it
//! cannot read (no period for the figures). Never writes a document's text as
//! markup: every piece is escaped for the fragment language (`figures::escape`).

pub mod compare;
pub mod docx;
pub mod figures;
pub mod review;
pub mod sections;
pub mod shape;
pub mod vocabulary;
mod write;

use crate::base::period::Period;
use crate::error::{ImportError, TextReason, UnreadPart};

/// The columns of a sector file an import writes (and the type's page extends).
pub const SECTOR_HEADER: &str = "ma,ten,don_vi,gia_tri,cha,trong_do,cung_ky,du_toan_tw,du_toan_hdnd,ke_hoach,tong_hop,ghi_chu";

/// How a longer period totals an indicator of `unit`: a percent is the last
/// month's ("cuoi_ky"), anything else is added up ("cong").
pub fn total_rule(unit: &str) -> &'static str {
    if unit == "%" {
        "cuoi_ky"
    } else {
        "cong"
    }
}

/// Where an imported file goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// `templates/<name>/<file>`.
    Template(String),
    /// `data/<period>/<file>` (the sector file).
    Period(String),
    /// `data/<period>/<name>/<file>` (appendix tables).
    ReportData(String),
}

/// One file to write.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub place: Place,
    pub text: String,
}

/// What the import made, for the summary and the tests.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub name: String,
    pub sector: String,
    pub period: Option<Period>,
    pub party: bool,
    pub sections: usize,
    pub footnotes: usize,
    pub indicators: usize,
    pub comparisons: usize,
    pub tables: usize,
    pub left: Vec<(String, TextReason, String)>,
    pub unread: Vec<(UnreadPart, String)>,
    pub headings: Vec<String>,
}

/// The import: files to write and the summary.
#[derive(Debug, Clone)]
pub struct Imported {
    pub files: Vec<File>,
    pub summary: Summary,
    /// The document's text, paragraph by paragraph (for `--so-sanh`).
    pub word_text: Vec<String>,
}

/// Reads a .docx and makes the report type `name`.
pub fn import(bytes: &[u8], name: &str) -> Result<Imported, ImportError> {
    let doc = docx::read(bytes)?;
    let shape = shape::shape(&doc)?;
    let period = shape.period.ok_or(ImportError::NoDate)?;
    let sector = name.replace('-', "_");
    let mut figures = figures::Figures::new(&sector);
    let body = sections::body(&shape.body, &doc.footnotes, &mut figures);
    let files = write::files(name, period, &shape, &body, &figures);
    let summary = Summary {
        name: name.to_string(),
        sector,
        period: Some(period),
        party: shape.party,
        sections: body.sections.iter().filter(|s| s.level == Some(1)).count(),
        footnotes: body.footnotes,
        indicators: figures.indicators.len(),
        comparisons: figures.indicators.iter().filter(|i| i.previous.is_some()).count(),
        tables: shape.tables.len(),
        left: figures
            .left
            .iter()
            .map(|l| (l.number.clone(), l.reason, l.excerpt.clone()))
            .collect(),
        unread: body.unread.clone(),
        headings: body.headings.clone(),
    };
    let word_text = compare::word_text(&doc, &shape);
    let mut files = files;
    files.push(File {
        place: Place::Template(review::FILE_NAME.into()),
        text: review::to_text(&review::record(&summary, &figures, &body.fragments, &word_text)),
    });
    Ok(Imported { files, summary, word_text })
}
