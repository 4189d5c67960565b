//! What the pages show of a project: the overview of report types × periods,
//! a period's sector tables with their computed comparisons, and the preview's
//! page images. Read-only: nothing here writes.

use super::access::{may, parse_period, Access};
use super::tables::{cell_text, ext, read_tables, EDITABLE};
use crate::archive::output::OutputPaths;
use crate::base::number;
use crate::error::OfficeTask;
use crate::error::{About, Error, Findings, IoAction, Result};
use crate::figures::check::{check, CheckOptions};
use crate::figures::derive;
use crate::figures::{self, sha256_hex, table};
use crate::layout::rendered::Rendered;
use crate::layout::{self};
use crate::office::actor::Actor;
use crate::project::{Project, Request};
use std::path::PathBuf;

/// One line of the home page: a report type and period with its latest version.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OverviewItem {
    pub report: String,
    /// The report type's title for people ("Báo cáo tháng"), from its mau.toml.
    pub title: String,
    pub period: String,
    pub label: String,
    /// A month (its figures are edited on the figures page).
    pub month: bool,
    pub current: bool,
    /// Sample figures shipped with the program, not the office's.
    pub sample: bool,
    pub latest: Option<VersionInfo>,
    /// The version issued (ban hành), when one is.
    pub issued: Option<u32>,
}

/// The newest saved version of a report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VersionInfo {
    pub version: u32,
    pub time: String,
    pub pages: usize,
    pub warnings: usize,
}

/// A sector table as shown on the figures page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SectorView {
    /// File name inside the period folder ("nong_nghiep.csv").
    pub file: String,
    /// Sector (sheet) name.
    pub sector: String,
    /// SHA-256 of the file as read (for the optimistic check on save).
    pub hash: String,
    /// Editable columns present in the file.
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    /// Findings of this file not tied to one row.
    pub findings: Vec<String>,
    /// Values not filled in yet (an empty cell says it; no red line per row).
    pub blanks: usize,
}

/// One indicator row.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RowView {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub line: usize,
    /// Depth under parents (0 = top level).
    pub depth: usize,
    /// The cells of the editable columns as written in the file.
    pub cells: Vec<String>,
    /// The value used by the report (summed from the children when computed).
    pub value: String,
    pub computed: bool,
    /// Derived comparisons ("giảm 11% so với cùng kỳ"), read-only.
    pub comparisons: Vec<String>,
    pub findings: Vec<String>,
}

/// One page of the preview: its frame's hash and, when it changed, the page
/// itself (its SVG is made when asked: [`page_svg`]), its drawing for the page's
/// canvas ([`crate::layout::drawing`], `None` when only the SVG draws it) and its
/// laid-out text (line by line, for search and screen readers).
pub struct PageImage {
    pub hash: u128,
    pub page: Option<typst_layout::Page>,
    pub drawing: Option<String>,
    pub text: Option<String>,
}

/// Drawings of the pages whose frames differ from `previous` (hashes of the
/// last preview, by page); unchanged pages get nothing new.
pub fn page_images(rendered: &Rendered, previous: &[u128]) -> Vec<PageImage> {
    let doc = &rendered.document;
    // The pages are hashed as they are laid out, except at a document's first
    // layout in its world.
    let hashes = match &rendered.page_hashes {
        laid if laid.len() == doc.pages().len() => laid.clone(),
        _ => layout::page_hashes(doc),
    };
    // Drawing and text of the changed pages only (a figure changes one or two).
    doc.pages()
        .iter()
        .zip(hashes)
        .enumerate()
        .map(|(i, (p, hash))| {
            let changed = previous.get(i) != Some(&hash);
            PageImage {
                hash,
                page: changed.then(|| p.clone()),
                drawing: changed.then(|| layout::drawing::drawing(p)).flatten(),
                text: changed.then(|| layout::text::page_lines(p).iter().map(|l| l.text()).collect::<Vec<_>>().join("\n")),
            }
        })
        .collect()
}

/// The SVG image of a page.
pub fn page_svg(page: &typst_layout::Page) -> String {
    typst_svg::svg(page, &typst_svg::SvgOptions::default())
}

/// Number of pages of a PDF written by typst (counts page objects).
pub(crate) fn pdf_pages(pdf: &[u8]) -> usize {
    [&b"/Type /Page"[..], &b"/Type/Page"[..]]
        .iter()
        .map(|pat| {
            pdf.windows(pat.len() + 1)
                .filter(|w| &w[..pat.len()] == *pat && !w[pat.len()].is_ascii_alphabetic())
                .count()
        })
        .sum()
}

/// Builds the page view of one table.
pub(crate) fn sector_view(t: &table::Table, file: &str, bytes: &[u8], data: &figures::PeriodData, findings: &Findings) -> SectorView {
    let col = |n: &str| t.column(n);
    // Value and prior year always; plan columns only when the file fills them.
    let used = |c: &str| {
        col(c).is_some_and(|i| c == "gia_tri" || c == "cung_ky" || t.rows.iter().any(|r| r.cells.get(i).is_some_and(|x| !x.is_blank())))
    };
    let columns: Vec<String> = EDITABLE.iter().filter(|c| used(c)).map(|c| c.to_string()).collect();
    let sector = data.sectors.get(&t.sector);
    let all: Vec<_> = findings.0.iter().filter(|f| f.location.file == t.source).collect();
    let blank = |f: &&&crate::error::Finding| f.problem == crate::error::Problem::MissingValue;
    let blanks = all.iter().filter(blank).count();
    let mine: Vec<_> = all.iter().filter(|f| !blank(f)).collect();
    let rows: Vec<RowView> = t
        .rows
        .iter()
        .map(|r| {
            let get = |n: &str| col(n).and_then(|i| r.cells.get(i)).map(cell_text).unwrap_or_default();
            let code = get("ma").trim().to_string();
            let ind = sector.and_then(|s| s.get(&code));
            let mut depth = 0;
            let mut parent = ind.and_then(|i| i.parent.clone());
            while let Some(p) = parent.filter(|_| depth < 5) {
                depth += 1;
                parent = sector.and_then(|s| s.get(&p)).and_then(|i| i.parent.clone());
            }
            RowView {
                name: get("ten"),
                unit: get("don_vi"),
                line: r.line,
                depth,
                cells: columns.iter().map(|c| get(c)).collect(),
                value: ind.and_then(|i| i.value.map(|v| number::format(v, i.decimals))).unwrap_or_default(),
                computed: ind.is_some_and(|i| i.computed),
                comparisons: ind.map(comparisons).unwrap_or_default(),
                findings: mine
                    .iter()
                    .filter(|f| f.location.line == Some(r.line))
                    .map(|f| on_page(f, t))
                    .collect(),
                code,
            }
        })
        .collect();
    SectorView {
        file: file.to_string(),
        sector: t.sector.clone(),
        hash: sha256_hex(bytes),
        columns,
        rows,
        findings: mine.iter().filter(|f| f.location.line.is_none()).map(|f| on_page(f, t)).collect(),
        blanks,
    }
}

/// A finding as the figures page shows it, under its row or above its table
/// ([`crate::error::Finding::on_page`]): the column named when the finding has
/// one the page shows.
fn on_page(f: &crate::error::Finding, t: &table::Table) -> String {
    let column = f.location.column.and_then(|c| t.column_name(c.checked_sub(1)?));
    f.on_page(column.and_then(crate::base::words::column))
}

/// The name of indicator `code` of the sector file `stem` among `names`
/// (`sector.code` -> name): the sector of that name first, else the one
/// indicator of that code.
fn indicator_name(names: &[(String, String)], stem: &str, code: &str) -> Option<String> {
    let of = |(key, _): &&(String, String)| key.rsplit_once('.').is_some_and(|(_, c)| c == code);
    let mine = names
        .iter()
        .filter(of)
        .find(|(key, _)| key.rsplit_once('.').is_some_and(|(s, _)| s == stem));
    let only = || {
        let mut all = names.iter().filter(of);
        let first = all.next();
        all.next().is_none().then_some(first).flatten()
    };
    mine.or_else(only).map(|(_, name)| name.clone())
}

/// The derived comparisons of an indicator, as the report words them.
pub(crate) fn comparisons(i: &figures::Indicator) -> Vec<String> {
    let Some(v) = i.value else { return vec![] };
    let mut out = Vec::new();
    if let Some(pct) = i.prior.and_then(|p| derive::change_percent(v, p)) {
        out.push(format!("{} so với cùng kỳ", derive::change_phrase(pct, 1)));
    }
    let targets = [
        (i.targets.plan, "kế hoạch"),
        (i.targets.central_budget, "dự toán Trung ương giao"),
        (i.targets.provincial_budget, "dự toán HĐND tỉnh giao"),
    ];
    for (t, what) in targets {
        if let Some(pct) = t.and_then(|t| derive::ratio_percent(v, t)) {
            out.push(format!("đạt {} {what}", derive::percent_text(pct, 1)));
        }
    }
    if let Some(c) = i.cumulative {
        out.push(format!("lũy kế từ đầu năm {}", number::format(c, i.decimals)));
    }
    out
}

/// What pages offer an actor (buttons, lists), as the hall's access decides it;
/// the doors show or hide, they never decide.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Offers {
    /// Văn phòng's changes: make a PDF, start a month, issue, edit the text.
    pub office: bool,
    /// The saved versions and their PDFs.
    pub versions: bool,
    /// The report's text (fragments) to read.
    pub fragments: bool,
}

impl Project {
    /// A report type's title for people ("Báo cáo tháng"), from its mau.toml.
    pub fn report_title(&self, report: &str) -> String {
        crate::base::words::report_title(&self.report_dir(report))
    }

    /// A sector's title for people ("Y tế"), from data/linh-vuc.toml (else its name).
    pub fn sector_title(&self, sector: &str) -> String {
        crate::base::words::sector_title(&crate::base::words::sector_titles(&self.data_dir()), sector)
    }

    /// What the pages offer `actor`.
    pub fn offers(&self, actor: &Actor) -> Offers {
        let task = |t| may(actor, &Access::Office(t));
        Offers {
            office: task(OfficeTask::Render),
            versions: task(OfficeTask::Versions),
            fragments: task(OfficeTask::Fragments),
        }
    }

    /// The sector tables of `period` that `actor` may open; refused when `tab`
    /// (a file, or `file:sheet`) names a file of the period it may not open.
    pub fn visible_sectors(&self, actor: &Actor, period: &str, tab: &str) -> Result<Vec<SectorView>> {
        let all = self.sectors(period)?;
        let mut hidden: Vec<String> = Vec::new();
        for v in &all {
            if !hidden.contains(&v.file) && !self.may_open(actor, period, &v.file) {
                hidden.push(v.file.clone());
            }
        }
        let tab_file = tab.split(':').next().unwrap_or_default();
        if hidden.iter().any(|f| f == tab_file) {
            self.allow_read_file(actor, period, tab_file, "")?;
        }
        Ok(all.into_iter().filter(|v| !hidden.contains(&v.file)).collect())
    }

    /// Every report type × period the batch knows, newest period first, the current one on top.
    pub fn overview(&self) -> Vec<OverviewItem> {
        let current = self.current_period().ok();
        let out_dir = self.root.join("out");
        let mut items: Vec<OverviewItem> = self
            .all_requests()
            .into_iter()
            .map(|r| {
                let paths = OutputPaths::new(&out_dir, &r.report, &r.period.to_string());
                let latest = paths.newest().map(|m| VersionInfo {
                    version: m.version,
                    time: m.time.clone(),
                    pages: crate::base::folders::read(paths.version_pdf(m.version))
                        .map(|b| pdf_pages(&b))
                        .unwrap_or(0),
                    warnings: m.warnings.len(),
                });
                OverviewItem {
                    current: Some(r.period) == current,
                    sample: self.is_sample_report(&r.report, r.period),
                    label: r.period.label(),
                    month: r.period.is_month(),
                    period: r.period.to_string(),
                    title: crate::base::words::report_title(&self.report_dir(&r.report)),
                    issued: crate::archive::issuance::current(&paths).map(|i| i.version),
                    report: r.report,
                    latest,
                }
            })
            .collect();
        items.sort_by(|a, b| {
            b.current
                .cmp(&a.current)
                .then(b.period.cmp(&a.period))
                .then(a.report.cmp(&b.report))
        });
        items
    }

    /// The period's sector tables with values, derived comparisons and findings.
    pub fn sectors(&self, period: &str) -> Result<Vec<SectorView>> {
        let p = parse_period(period)?;
        let data = self.load_data(p, false)?;
        let mut findings = data.findings.clone();
        check(&data, CheckOptions::default(), &mut findings);
        let dir = self.data_dir().join(period);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| Error::io(IoAction::ReadDir, &dir, e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && matches!(ext(p).as_str(), "csv" | "xlsx"))
            .collect();
        files.sort();
        let mut out = Vec::new();
        for path in files {
            let bytes = crate::base::folders::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            for t in read_tables(&path, &self.shown(&path), &bytes) {
                out.push(sector_view(&t, &name, &bytes, &data, &findings));
            }
        }
        Ok(out)
    }

    /// A report's findings as its preview lists them for people, in order: each
    /// by what it is about (the sector and indicator by their names, the text by
    /// its title and line, a month by its name), never a path or a code; a
    /// finding about anything else as the command line prints it. `names` are
    /// the indicators' names (`sector.code` -> name), empty when not known.
    pub fn findings_said(&self, req: &Request, findings: &Findings, names: &[(String, String)]) -> Vec<String> {
        let manifest = self.manifest(&req.report).ok();
        let titles = crate::base::words::sector_titles(&self.data_dir());
        let said = |f: &crate::error::Finding| {
            let path = &f.location.file;
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let kind = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
            let line = f.location.line;
            match (kind.as_str(), &manifest) {
                ("csv" | "xlsx", _) => {
                    let sector = crate::base::words::sector_title(&titles, &stem);
                    match f.indicator.as_deref().and_then(|code| indicator_name(names, &stem, code)) {
                        Some(name) => f.about(About::Indicator {
                            sector: &sector,
                            name: &name,
                        }),
                        None => f.about(About::Sector { sector: &sector, line }),
                    }
                }
                ("txt", Some(m)) => {
                    let title = crate::base::words::fragment_title(m, &stem, Some(req.period));
                    f.about(About::Text { title: &title, line })
                }
                ("md", _) => {
                    let folder = path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy());
                    let label = crate::base::words::period_name(folder.as_deref().unwrap_or_default());
                    f.about(About::Month { label: &label })
                }
                _ => f.to_string(),
            }
        };
        findings.0.iter().map(said).collect()
    }

    /// The view of one indicator row (after a save: its new comparisons).
    pub fn row_view(&self, period: &str, file: &str, sheet: &str, code: &str) -> Result<Option<RowView>> {
        Ok(self
            .sectors(period)?
            .into_iter()
            .find(|s| s.file == file && (s.sector == sheet || sheet.is_empty()))
            .and_then(|s| s.rows.into_iter().find(|r| r.code == code)))
    }
}

#[cfg(test)]
mod tests {
    use super::on_page;
    use crate::base::number::NumberError;
    use crate::error::{Finding, Location, Problem, Severity};

    #[test]
    fn a_finding_on_the_page_names_its_column_not_its_file_or_code() {
        let header = crate::figures::table::Table {
            source: "data/2026-02/y_te.csv".into(),
            sector: "y_te".into(),
            header: [" \u{feff}ma", "ten", "don_vi", "gia_tri", "cung_ky "].map(String::from).into(),
            header_line: 1,
            rows: Vec::new(),
            ..Default::default()
        };
        let finding = |column| Finding {
            severity: Severity::Error,
            location: Location::at("data/2026-02/y_te.csv", 3, column),
            indicator: Some("tay_chan_mieng".into()),
            problem: Problem::Number {
                cell: "abc".into(),
                kind: NumberError::NotANumber,
            },
        };
        let said = on_page(&finding(Some(5)), &header);
        assert!(said.starts_with("Lỗi ở cột Cùng kỳ: \"abc\" không phải là số"), "{said}");
        assert!(!said.contains("y_te") && !said.contains("tay_chan_mieng"), "{said}");
        assert!(on_page(&finding(None), &header).starts_with("Lỗi: \"abc\""));
        // A column the page does not show (or none at all) is not named.
        assert!(on_page(&finding(Some(9)), &header).starts_with("Lỗi: "));
        assert!(on_page(&finding(Some(0)), &header).starts_with("Lỗi: "));
    }
}
