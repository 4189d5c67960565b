//! The report type page of the hall (issue 29): a report type's settings and,
//! for a type imported from Word, what the import did, its figures to confirm
//! or turn back into the document's words one by one, and its indicators (the
//! sector file of the document's period) to add, rename and remove.
//!
//! Văn phòng only. Refuses a figure or indicator code the type does not have, a
//! new code that exists or is not a code, an indicator still used in the text,
//! and every sector file change the upload path refuses (it goes through
//! [`Project::replace_sector`]: validated, logged, the old file kept).

use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;

use super::access::{allow, Access};
use super::type_settings::TypeSettings;
use super::Project;
use crate::archive::output::write_atomic;
use crate::base::period::Period;
use crate::error::{Error, IoAction, OfficeTask, Result, ReviewError};
use crate::import::review::{self, Figure, LeftNumber, Review};
use crate::office::actor::Actor;
use crate::office::audit::{self, Kind};

/// One change of an import's record or indicators at a time.
static CHANGING: Mutex<()> = Mutex::new(());

/// The report type page.
#[derive(Debug, Clone, Serialize)]
pub struct TypePage {
    pub report: String,
    pub title: String,
    pub settings: TypeSettings,
    pub import: Option<ImportView>,
}

/// What a Word import did and what is left to confirm.
#[derive(Debug, Clone, Serialize)]
pub struct ImportView {
    pub period: String,
    pub period_label: String,
    pub sector_file: String,
    pub sections: usize,
    pub footnotes: usize,
    pub tables: usize,
    pub left: Vec<LeftNumber>,
    pub unread: Vec<String>,
    pub figures: Vec<FigureView>,
    pub indicators: Vec<IndicatorView>,
}

/// A figure the import made an indicator.
#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub written: String,
    pub before: String,
    pub after: String,
    pub confirmed: bool,
    pub fragment_title: String,
}

/// A row of the type's sector file.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub value: String,
    /// What a fragment writes to print it: `{{ sector.code }}`.
    pub placeholder: String,
    pub used: bool,
}

/// A new indicator from the page's form.
#[derive(Debug, Clone, Default)]
pub struct NewIndicator {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub value: String,
}

/// The sector file's rows, header first.
type Rows = Vec<Vec<String>>;

impl Project {
    /// The report types (name, title) for the office's pages.
    pub fn type_list(&self, actor: &Actor) -> Result<Vec<(String, String)>> {
        allow(actor, &Access::Office(OfficeTask::EditReportType))?;
        Ok(self
            .report_types()
            .into_iter()
            .map(|r| (self.report_title(&r), r))
            .map(|(t, r)| (r, t))
            .collect())
    }

    /// The report type page of `report`.
    pub fn type_page(&self, actor: &Actor, report: &str) -> Result<TypePage> {
        let settings = self.type_settings(actor, report)?;
        let import = match self.review_path(report).is_file() {
            true => Some(self.import_view(report)?),
            false => None,
        };
        Ok(TypePage {
            report: report.to_string(),
            title: self.report_title(report),
            settings,
            import,
        })
    }

    fn import_view(&self, report: &str) -> Result<ImportView> {
        let r = self.review(report)?;
        let period = self.review_period(&r)?;
        let rows = self.sector_rows(&r, period)?;
        let texts = self.fragment_texts(report)?;
        let name_of = |code: &str| row_of(&rows, code).map(|row| (cell(&rows, row, "ten"), cell(&rows, row, "don_vi")));
        let manifest = self.manifest(report)?;
        let title_of = |fragment: &str| {
            let section = manifest.sections.iter().find(|s| s.fragment.as_deref() == Some(fragment));
            section.and_then(|s| s.title.clone()).unwrap_or_else(|| fragment.to_string())
        };
        let figures = r
            .figures
            .iter()
            .map(|f| {
                let (name, unit) = name_of(&f.code).unwrap_or_default();
                FigureView {
                    code: f.code.clone(),
                    name,
                    unit,
                    written: f.written().to_string(),
                    before: f.before.clone(),
                    after: f.after.clone(),
                    confirmed: f.confirmed,
                    fragment_title: title_of(&f.fragment),
                }
            })
            .collect();
        let indicators = rows
            .iter()
            .skip(1)
            .enumerate()
            .map(|(i, _)| {
                let code = cell(&rows, i + 1, "ma");
                let placeholder = format!("{{{{ {}.{} }}}}", r.sector, code);
                IndicatorView {
                    used: texts.iter().any(|(_, t)| uses(t, &r.sector, &code)),
                    name: cell(&rows, i + 1, "ten"),
                    unit: cell(&rows, i + 1, "don_vi"),
                    value: cell(&rows, i + 1, "gia_tri"),
                    placeholder,
                    code,
                }
            })
            .collect();
        Ok(ImportView {
            period: period.to_string(),
            period_label: period.label(),
            sector_file: format!("{}.csv", r.sector),
            sections: r.sections,
            footnotes: r.footnotes,
            tables: r.tables,
            left: r.left.clone(),
            unread: r.unread.clone(),
            figures,
            indicators,
        })
    }

    /// The Word document's text beside the text of its type rendered for the
    /// document's period: the sentences that differ, changed words in «…».
    pub fn word_comparison(&self, actor: &Actor, report: &str) -> Result<(Period, Vec<crate::archive::textdiff::Change>)> {
        allow(actor, &Access::Office(OfficeTask::EditReportType))?;
        let r = self.review(report)?;
        let period = self.review_period(&r)?;
        Ok((period, self.compare_import(report, period, &r.word_text)?))
    }

    /// Keeps an imported figure as an indicator (it leaves the list to confirm).
    pub fn keep_figure(&self, actor: &Actor, report: &str, code: &str) -> Result<()> {
        allow(actor, &Access::Office(OfficeTask::EditReportType))?;
        let _one = CHANGING.lock().unwrap_or_else(|e| e.into_inner());
        let mut r = self.review(report)?;
        let f = r.figures.iter_mut().find(|f| f.code == code);
        f.ok_or_else(|| Error::Review(ReviewError::UnknownFigure(code.to_string())))?
            .confirmed = true;
        self.write_review(report, &r)
    }

    /// Turns an imported figure back into the document's words in every fragment
    /// (template and the period's own copies) and removes its indicator.
    pub fn figure_to_text(&self, actor: &Actor, report: &str, code: &str) -> Result<()> {
        allow(actor, &Access::Office(OfficeTask::EditReportType))?;
        let _one = CHANGING.lock().unwrap_or_else(|e| e.into_inner());
        let mut r = self.review(report)?;
        let at = r.figures.iter().position(|f| f.code == code);
        let figure = r
            .figures
            .remove(at.ok_or_else(|| Error::Review(ReviewError::UnknownFigure(code.to_string())))?);
        let period = self.review_period(&r)?;
        self.turn_back(actor, report, period, &figure)?;
        self.write_review(report, &r)?;
        let rows = self.sector_rows(&r, period)?;
        let still_used = self.fragment_texts(report)?.iter().any(|(_, t)| uses(t, &r.sector, code));
        match (row_of(&rows, code), still_used) {
            (Some(row), false) => self.write_rows(actor, &r, period, without(rows, row)),
            _ => Ok(()),
        }
    }

    /// Adds an indicator to the type's sector file.
    pub fn add_indicator(&self, actor: &Actor, report: &str, new: &NewIndicator) -> Result<()> {
        allow(actor, &Access::Office(OfficeTask::EditReportType))?;
        let code = new.code.trim();
        if !is_code(code) {
            return Err(Error::Review(ReviewError::BadCode(code.to_string())));
        }
        let name = required(&new.name, crate::error::TypeField::IndicatorName)?;
        let unit = required(&new.unit, crate::error::TypeField::Unit)?;
        let value = new.value.trim();
        if !value.is_empty() && crate::import::figures::number_value(value).is_none() {
            return Err(Error::Review(ReviewError::BadValue(value.to_string())));
        }
        let _one = CHANGING.lock().unwrap_or_else(|e| e.into_inner());
        let r = self.review(report)?;
        let period = self.review_period(&r)?;
        let mut rows = self.sector_rows(&r, period)?;
        if row_of(&rows, code).is_some() {
            return Err(Error::Review(ReviewError::CodeExists(code.to_string())));
        }
        let header = rows[0].clone();
        let total = crate::import::total_rule(&unit);
        let field = |col: &str| match col {
            "ma" => code.to_string(),
            "ten" => name.clone(),
            "don_vi" => unit.clone(),
            "gia_tri" => value.to_string(),
            "tong_hop" => total.to_string(),
            _ => String::new(),
        };
        rows.push(header.iter().map(|c| field(c)).collect());
        self.write_rows(actor, &r, period, rows)
    }

    /// Renames an indicator of the type's sector file.
    pub fn rename_indicator(&self, actor: &Actor, report: &str, code: &str, name: &str) -> Result<()> {
        allow(actor, &Access::Office(OfficeTask::EditReportType))?;
        let name = required(name, crate::error::TypeField::IndicatorName)?;
        let _one = CHANGING.lock().unwrap_or_else(|e| e.into_inner());
        let r = self.review(report)?;
        let period = self.review_period(&r)?;
        let mut rows = self.sector_rows(&r, period)?;
        let row = row_of(&rows, code).ok_or_else(|| Error::Review(ReviewError::UnknownIndicator(code.to_string())))?;
        let col = rows[0].iter().position(|c| c == "ten").unwrap_or(1);
        rows[row][col] = name;
        self.write_rows(actor, &r, period, rows)
    }

    /// Removes an indicator no fragment uses.
    pub fn remove_indicator(&self, actor: &Actor, report: &str, code: &str) -> Result<()> {
        allow(actor, &Access::Office(OfficeTask::EditReportType))?;
        let _one = CHANGING.lock().unwrap_or_else(|e| e.into_inner());
        let r = self.review(report)?;
        let period = self.review_period(&r)?;
        let rows = self.sector_rows(&r, period)?;
        let row = row_of(&rows, code).ok_or_else(|| Error::Review(ReviewError::UnknownIndicator(code.to_string())))?;
        let users: Vec<String> = self
            .fragment_texts(report)?
            .into_iter()
            .filter(|(_, t)| uses(t, &r.sector, code))
            .map(|(path, _)| self.shown(&path).display().to_string())
            .collect();
        if !users.is_empty() {
            return Err(Error::Review(ReviewError::InUse {
                code: code.to_string(),
                fragments: users.join(", "),
            }));
        }
        self.write_rows(actor, &r, period, without(rows, row))
    }

    /// Whether `report` was imported from a Word document of `period`.
    pub(crate) fn imported_for(&self, report: &str, period: Period) -> bool {
        self.review_path(report).is_file() && self.review(report).is_ok_and(|r| r.period == period.to_string())
    }

    fn review_path(&self, report: &str) -> PathBuf {
        self.report_dir(report).join(review::FILE_NAME)
    }

    fn review(&self, report: &str) -> Result<Review> {
        self.manifest(report)?;
        let path = self.review_path(report);
        if !path.is_file() {
            return Err(Error::Review(ReviewError::NotImported(report.to_string())));
        }
        let text = crate::base::folders::read_to_string(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        review::parse(&text).map_err(|e| Error::Manifest {
            file: path,
            detail: e.to_string(),
        })
    }

    fn write_review(&self, report: &str, r: &Review) -> Result<()> {
        write_atomic(&self.review_path(report), review::to_text(r).as_bytes())
    }

    fn review_period(&self, r: &Review) -> Result<Period> {
        super::access::parse_period(&r.period)
    }

    /// Every text of the type: its fragments and the period copies of them.
    fn fragment_texts(&self, report: &str) -> Result<Vec<(PathBuf, String)>> {
        let mut paths: Vec<PathBuf> = self
            .fragment_names(report)?
            .iter()
            .map(|n| self.report_dir(report).join(format!("{n}.txt")))
            .collect();
        for period in crate::figures::periods(&self.data_dir()) {
            let dir = self.data_dir().join(period.to_string()).join(report);
            let copies = crate::figures::files_in(&dir).unwrap_or_default();
            paths.extend(copies.into_iter().filter(|p| p.extension().is_some_and(|x| x == "txt")));
        }
        Ok(paths
            .into_iter()
            .filter_map(|p| crate::base::folders::read_to_string(&p).ok().map(|t| (p, t)))
            .collect())
    }

    /// Puts `figure`'s words back in every text that holds it; each change is logged.
    /// An issued period's text is never changed here: the review's own period
    /// issued refuses the change; another issued period's copy is left as issued.
    fn turn_back(&self, actor: &Actor, report: &str, period: Period, figure: &Figure) -> Result<()> {
        let issued = |p: Period| crate::archive::issuance::report_lock(self, report, p).is_some();
        if issued(period) {
            return Err(Error::Locked {
                period: period.to_string(),
            });
        }
        let lock = self.log_lock(period)?;
        for (path, text) in self.fragment_texts(report)? {
            let copy_of = path
                .parent()
                .and_then(|d| d.parent())
                .filter(|d| d.parent() == Some(self.data_dir().as_path()));
            let copy_period = copy_of
                .and_then(|d| d.file_name())
                .and_then(|n| super::access::parse_period(&n.to_string_lossy()).ok());
            if !figure.stands_in(&text) || copy_period.is_some_and(issued) {
                continue;
            }
            let new = figure.turn_back(&text);
            write_atomic(&path, new.as_bytes())?;
            let mut e = self.entry(actor, Kind::EditFragment, &path, None);
            e.cells = audit::line_changes(&text, &new);
            lock.append(&e)?;
        }
        Ok(())
    }

    fn sector_path_of(&self, r: &Review, period: Period) -> PathBuf {
        self.data_dir().join(period.to_string()).join(format!("{}.csv", r.sector))
    }

    /// The type's sector file as rows (a header of the sector files' columns when there is none yet).
    fn sector_rows(&self, r: &Review, period: Period) -> Result<Rows> {
        let path = self.sector_path_of(r, period);
        if !path.is_file() {
            return Ok(vec![crate::import::SECTOR_HEADER.split(',').map(String::from).collect()]);
        }
        let bytes = crate::base::folders::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&bytes[..]);
        let rows: std::result::Result<Rows, _> = reader.records().map(|r| r.map(|r| r.iter().map(String::from).collect())).collect();
        rows.map_err(|e| Error::Manifest {
            file: path,
            detail: e.to_string(),
        })
    }

    /// Writes the rows as the type's sector file, through the upload path.
    fn write_rows(&self, actor: &Actor, r: &Review, period: Period, rows: Rows) -> Result<()> {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        for row in &rows {
            w.write_record(row)
                .map_err(|e| Error::io(IoAction::Write, self.sector_path_of(r, period), e.into()))?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::io(IoAction::Write, self.sector_path_of(r, period), e.into_error()))?;
        let dir = self.data_dir().join(period.to_string());
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(IoAction::CreateDir, &dir, e))?;
        self.replace_sector(actor, &period.to_string(), &format!("{}.csv", r.sector), &bytes, None)
            .map(|_| ())
    }
}

/// The row (index into rows, header is 0) of `code`.
fn row_of(rows: &Rows, code: &str) -> Option<usize> {
    let col = rows.first()?.iter().position(|c| c.trim_start_matches('\u{feff}') == "ma")?;
    rows.iter()
        .skip(1)
        .position(|r| r.get(col).map(String::as_str) == Some(code))
        .map(|i| i + 1)
}

fn cell(rows: &Rows, row: usize, column: &str) -> String {
    let col = rows[0].iter().position(|c| c.trim_start_matches('\u{feff}') == column);
    col.and_then(|c| rows[row].get(c)).cloned().unwrap_or_default()
}

fn without(mut rows: Rows, row: usize) -> Rows {
    rows.remove(row);
    rows
}

/// Whether a text prints `sector.code` (as a value or through a filter).
fn uses(text: &str, sector: &str, code: &str) -> bool {
    let name = format!("{sector}.{code}");
    text.match_indices(&name).any(|(i, _)| {
        let next = text[i + name.len()..].chars().next();
        !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// An indicator code: lower-case ASCII letters, digits and `_`, starting with a letter.
fn is_code(code: &str) -> bool {
    code.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && code.len() <= 60
}

fn required(v: &str, field: crate::error::TypeField) -> Result<String> {
    super::type_settings::field_text(v, field, true)
}
