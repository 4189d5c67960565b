//! The pipeline: data -> checks -> fragments -> Typst -> PDF, for one report
//! type and period. [`Project`] is the facade the CLI calls.
pub mod batch;
pub mod cli_api;
pub mod facade;
mod issue_check;
pub mod settings;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::base::manifest::{Manifest, Style};
use crate::base::period::{month_label, roman, Period};
use crate::error::{Error, Findings, Location, Problem, Result, Severity};
use crate::figures::check::{check, CheckOptions};
use crate::figures::{self, sha256_hex, InputFile, PeriodData};
use crate::layout::check::{Expected, LayoutRule};
use crate::layout::{self, fonts::Fonts, world::BaocaoWorld, Block, DocumentSource, Header};
use crate::wording::{self, FragmentDirs};

/// Default report type when none is named.
pub const DEFAULT_REPORT: &str = "bao-cao-thang";
/// Folder of shared layouts inside templates/.
pub const SHARED_DIR: &str = "_chung";
/// A baocao project folder (data/, templates/, fonts/, out/).
///
/// `Send + Sync`: one project serves every request of the web page. Fonts are
/// parsed on first use, once per process ([`Fonts::shared`]); the settings file is
/// read again only when it changes ([`Project::config`]).
pub struct Project {
    pub root: PathBuf,
    fonts: std::sync::OnceLock<Fonts>,
}

/// What to render.
#[derive(Debug, Clone)]
pub struct Request {
    pub report: String,
    pub period: Period,
}

/// Time spent in each stage.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: Duration,
    pub check: Duration,
    pub template: Duration,
    pub compile: Duration,
    pub pdf: Duration,
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
    pub timings: Timings,
    pub source: DocumentSource,
    /// Metadata for the e-office system (NĐ 30 Phụ lục VI), written beside the PDF.
    pub handoff: crate::layout::handoff::OutgoingDocument,
    /// Hashes of the wording inputs (fragments, mau.toml, overrides, layouts), for the manifest.
    pub template_files: Vec<InputFile>,
}

/// Everything up to typesetting.
pub struct Prepared {
    pub data: PeriodData,
    pub manifest: Manifest,
    pub source: DocumentSource,
    pub findings: Findings,
}

/// Letters for level-3 points in Vietnamese order (no f, j, w, z; đ after d).
const LETTERS: [&str; 23] = [
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y",
];

/// Default heading number patterns: administrative I. 1. a); Party I- 1- 1.1.
pub fn default_patterns(style: Style) -> [&'static str; 3] {
    match style {
        Style::Administrative => ["I.", "1.", "a)"],
        Style::Party => ["I-", "1-", "1.1."],
    }
}

/// Heading numbers from the manifest's order, gap-free: a pattern per level
/// (`I` Roman, `1` Arabic, `a` Vietnamese letter, `1.1` parent.child, then the suffix).
pub fn number_sections(levels: &[u8], patterns: &[String]) -> Vec<String> {
    let mut c = [0usize; 3];
    levels
        .iter()
        .map(|&l| {
            let l = l.clamp(1, 3) as usize;
            c[l - 1] += 1;
            for x in c.iter_mut().skip(l) {
                *x = 0;
            }
            let p = patterns.get(l - 1).map(String::as_str).unwrap_or("1.");
            let n = c[l - 1];
            if let Some(rest) = p.strip_prefix("1.1") {
                format!("{}.{n}{rest}", if l > 1 { c[l - 2] } else { 0 })
            } else if let Some(rest) = p.strip_prefix('I') {
                format!("{}{rest}", roman(n as u32))
            } else if let Some(rest) = p.strip_prefix('a') {
                format!("{}{rest}", LETTERS.get(n - 1).copied().unwrap_or("?"))
            } else {
                format!("{n}{}", p.strip_prefix('1').unwrap_or(p))
            }
        })
        .collect()
}

impl Project {
    /// Opens a project folder (reads nothing yet: fonts and settings on first use).
    pub fn open(root: impl Into<PathBuf>) -> Project {
        Project {
            root: root.into(),
            fonts: std::sync::OnceLock::new(),
        }
    }

    /// The project's fonts (its fonts/ folder, then the embedded ones).
    pub fn fonts(&self) -> &Fonts {
        self.fonts.get_or_init(|| Fonts::shared(&self.root.join("fonts")))
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }
    pub fn report_dir(&self, report: &str) -> PathBuf {
        self.templates_dir().join(report)
    }

    /// Report types: folders of templates/ with a mau.toml.
    pub fn report_types(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.templates_dir())
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join(crate::base::manifest::FILE_NAME).is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        v.sort();
        v
    }

    /// The newest period with a data folder.
    pub fn latest_period(&self) -> Result<Period> {
        figures::periods(&self.data_dir())
            .into_iter()
            .rfind(|p| p.is_month() && figures::has_figures(&self.data_dir().join(p.to_string())))
            .ok_or_else(|| Error::NoPeriods(self.data_dir()))
    }

    fn shown(&self, p: &Path) -> PathBuf {
        p.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
    }

    /// Reads and parses a report type's manifest.
    pub fn manifest(&self, report: &str) -> Result<Manifest> {
        let dir = self.report_dir(report);
        if !crate::base::manifest::is_fragment_name(report) || !dir.join(crate::base::manifest::FILE_NAME).is_file() {
            return Err(Error::UnknownReport {
                name: report.to_string(),
                dir: self.shown(&self.templates_dir()),
                available: self.report_types().join(", "),
            });
        }
        Manifest::load(&dir, &self.shown(&dir.join(crate::base::manifest::FILE_NAME)))
    }

    /// The period's figures (prior year and cumulative values filled in); longer
    /// periods are aggregated from their months.
    /// Sector files changed outside baocao since it last saw them are logged
    /// (once) and become warnings ([`crate::office::audit::notice_outside_changes`]).
    pub fn load_data(&self, period: Period, estimate_last_month: bool) -> Result<PeriodData> {
        let mut d = if period.is_month() {
            figures::load_month(&self.root, &self.data_dir(), period)
        } else {
            let opts = figures::aggregate::AggregateOptions { estimate_last_month };
            figures::aggregate::load(&self.root, &self.data_dir(), period, opts)
        }?;
        for p in std::iter::once(period).chain(period.months().into_iter().filter(|m| *m != period)) {
            crate::office::audit::notice_outside_changes(&self.root, &self.data_dir().join(p.to_string()), &mut d.findings);
        }
        Ok(d)
    }

    /// Runs every stage up to typesetting, collecting findings.
    /// Template errors are returned as errors; data errors are in `findings`.
    pub fn prepare(&self, req: &Request, opts: CheckOptions, timings: &mut Timings) -> Result<Prepared> {
        let t = Instant::now();
        let manifest = self.manifest(&req.report)?;
        let mut data = self.load_data(req.period, manifest.estimate_last_month)?;
        figures::add_report_sectors(&self.root, &self.report_period_dir(req), &mut data);
        timings.load = t.elapsed();

        let t = Instant::now();
        let mut findings = data.findings.clone();
        check(&data, opts, &mut findings);
        crate::wording::stale::check_request(self, req, &manifest, &mut findings);
        timings.check = t.elapsed();
        if findings.has_errors() {
            return Ok(Prepared {
                source: empty_source(req),
                data,
                manifest,
                findings,
            });
        }

        let t = Instant::now();
        let w = Wording::new(self, req, &data);
        let (blocks, titles) = w.body(&manifest)?;
        let subject = w.subject(&manifest)?;
        timings.template = t.elapsed();
        self.note_unused(req, &data, &blocks, &mut findings);
        let date = manifest.date().unwrap_or_else(|| req.period.last_day());
        let mut header = header_of(&manifest, req.period, &subject, &titles, date);
        header.appendices = w.appendices(self, &manifest, &data)?;
        let source = DocumentSource {
            layout: if manifest.style == Style::Party {
                "dang.typ"
            } else {
                "hanh-chinh.typ"
            }
            .into(),
            header,
            blocks,
            date,
            ident: format!("baocao/{}/{}", req.report, req.period),
        };
        Ok(Prepared {
            data,
            manifest,
            source,
            findings,
        })
    }

    /// `data/<period>/<report>/`: the period's own narrative and tables for a report.
    fn report_period_dir(&self, req: &Request) -> PathBuf {
        self.data_dir().join(req.period.to_string()).join(&req.report)
    }

    /// Warns of indicators no fragment (nor the manifest) of the report uses.
    fn note_unused(&self, req: &Request, data: &PeriodData, blocks: &[Block], findings: &mut Findings) {
        let mut texts: Vec<&str> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Fragment(f) => Some(f.template_source.as_str()),
                _ => None,
            })
            .collect();
        let manifest_path = self.report_dir(&req.report).join(crate::base::manifest::FILE_NAME);
        let manifest_text = std::fs::read_to_string(manifest_path).unwrap_or_default();
        texts.push(&manifest_text);
        crate::figures::check::unused_indicators(data, &req.report, &texts, findings);
    }

    /// Checks a report and period: all findings, template errors included, and
    /// the laid-out document measured against the format rules.
    pub fn check(&self, req: &Request, opts: CheckOptions) -> Result<Findings> {
        let mut t = Timings::default();
        match self.prepare(req, opts, &mut t) {
            Ok(p) if p.findings.has_errors() => Ok(p.findings),
            Ok(mut p) => {
                self.typeset_checked(&mut self.world(), req, &mut p)?;
                Ok(p.findings)
            }
            Err(Error::Data(mut f)) => {
                // An appendix table that cannot be read: its findings, with the data's.
                f.0.extend(self.data_findings(req, opts).0);
                Ok(f)
            }
            Err(e @ Error::Template { .. }) => {
                // The same excerpt and caret as `render` shows.
                let mut f = self.data_findings(req, opts);
                f.0.extend(wording::Diagnostic::from_error(&e).map(wording::Diagnostic::into_finding));
                Ok(f)
            }
            Err(Error::Manifest { file, detail }) => Ok(self.with_problem(req, opts, Location::file(file), detail)),
            Err(Error::Typst { file, line, message, .. }) => Ok(self.with_problem(req, opts, Location::at(file, line, None), message)),
            Err(e) => Err(e),
        }
    }

    /// The data's findings with one more error: a manifest or layout problem at `location`.
    fn with_problem(&self, req: &Request, opts: CheckOptions, location: Location, detail: String) -> Findings {
        let mut f = self.data_findings(req, opts);
        f.push(Severity::Error, location, None, Problem::Template(detail));
        f
    }

    /// The data's own findings and warnings, when a later stage failed.
    fn data_findings(&self, req: &Request, opts: CheckOptions) -> Findings {
        let estimate = self.manifest(&req.report).is_ok_and(|m| m.estimate_last_month);
        let mut f = Findings::default();
        if let Ok(mut d) = self.load_data(req.period, estimate) {
            figures::add_report_sectors(&self.root, &self.data_dir().join(req.period.to_string()).join(&req.report), &mut d);
            f = d.findings.clone();
            check(&d, opts, &mut f);
        }
        if let Ok(m) = self.manifest(&req.report) {
            crate::wording::stale::check_request(self, req, &m, &mut f);
        }
        f
    }

    /// Renders to PDF bytes in `world` (reuse one world across renders to keep Typst's caches).
    pub fn render(&self, world: &mut BaocaoWorld, req: &Request, opts: CheckOptions) -> Result<Rendered> {
        let mut rendered = self.lay_out_pages(world, req, opts)?;
        export_pdf(&mut rendered)?;
        Ok(rendered)
    }

    /// Every stage but the PDF export: the laid-out pages (checked against the
    /// format rules), the findings and what the version manifest records.
    /// `pdf` is empty until [`export_pdf`].
    pub fn lay_out_pages(&self, world: &mut BaocaoWorld, req: &Request, opts: CheckOptions) -> Result<Rendered> {
        let mut timings = Timings::default();
        let mut prepared = self.prepare(req, opts, &mut timings)?;
        if prepared.findings.has_errors() {
            return Err(Error::Data(prepared.findings));
        }
        let t = Instant::now();
        let (document, typst_warnings) = self.typeset_checked(world, req, &mut prepared)?;
        timings.compile = t.elapsed();
        let figures = prepared
            .data
            .sectors
            .values()
            .flat_map(|s| {
                s.indicators.iter().map(move |i| {
                    (
                        format!("{}.{}", s.name, i.code),
                        crate::base::number::format(i.value.unwrap_or(0.0), i.decimals),
                    )
                })
            })
            .collect();
        let subject = &prepared.source.header.subject;
        let handoff = crate::layout::handoff::OutgoingDocument::new(&prepared.manifest, subject, document.pages().len());
        Ok(Rendered {
            handoff,
            pdf: Vec::new(),
            document,
            findings: prepared.findings,
            typst_warnings,
            inputs: prepared.data.files.clone(),
            figures,
            timings,
            source: prepared.source,
            template_files: self.template_inputs(req),
        })
    }

    /// Lays out the prepared document in `world` and adds the format violations
    /// (page size, margins, line pitch, page breaks ...) to its findings.
    fn typeset_checked(
        &self,
        world: &mut BaocaoWorld,
        req: &Request,
        p: &mut Prepared,
    ) -> Result<(typst_layout::PagedDocument, Vec<String>)> {
        layout::load_into(world, &p.source, &self.layouts(), self.report_dir(&req.report))?;
        let (document, warnings) = layout::compile(world, &p.source)?;
        let violations = layout::check::check(&document, &layout_expected(&p.manifest, &p.source));
        let shown = self.shown(&self.report_dir(&req.report).join(crate::base::manifest::FILE_NAME));
        layout::check::findings(&violations, &shown, &mut p.findings);
        Ok((document, warnings))
    }

    /// The shared layouts (templates/_chung, else the copies built in).
    pub fn layouts(&self) -> Vec<(String, String)> {
        layout::layouts(&self.templates_dir().join(SHARED_DIR))
    }

    /// Writes the generated Typst sources and data for the typst CLI.
    pub fn emit_typst(&self, req: &Request, dir: &Path) -> Result<()> {
        let prepared = self.prepare(req, CheckOptions::default(), &mut Timings::default())?;
        if prepared.findings.has_errors() {
            return Err(Error::Data(prepared.findings));
        }
        layout::emit(&prepared.source, &self.layouts(), &self.report_dir(&req.report), dir)
    }

    /// A fresh world with this project's fonts.
    ///
    /// ```
    /// fn shared<T: Send + Sync>() {}
    /// shared::<baocao::project::Project>();
    /// ```
    pub fn world(&self) -> BaocaoWorld {
        BaocaoWorld::new(self.fonts().clone())
    }
}

/// Exports a laid-out render to PDF/A (fills `pdf`, adds a font warning if any).
pub fn export_pdf(rendered: &mut Rendered) -> Result<()> {
    let t = Instant::now();
    let (pdf, warning) = layout::pdf(&rendered.document, &rendered.source)?;
    rendered.pdf = pdf;
    rendered.typst_warnings.extend(warning);
    rendered.timings.pdf = t.elapsed();
    Ok(())
}

/// Peak resident memory of this process in MB (Linux), if known.
pub fn peak_memory_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// Everything the wording of one report and period is rendered with: the
/// fragments' folders, the template environment and the figures.
struct Wording {
    dirs: FragmentDirs,
    env: minijinja::Environment<'static>,
    ctx: minijinja::Value,
    /// mau.toml as shown in messages.
    manifest: PathBuf,
    /// data/<period>/<report>/ (narrative overrides, appendix tables).
    period_dir: PathBuf,
}

impl Wording {
    fn new(project: &Project, req: &Request, data: &PeriodData) -> Wording {
        let report_dir = project.report_dir(&req.report);
        let dirs = FragmentDirs {
            root: project.root.clone(),
            report_dir: report_dir.clone(),
            override_dir: Some(project.report_period_dir(req)),
        };
        Wording {
            env: wording::environment(&dirs),
            ctx: wording::context(data),
            manifest: project.shown(&report_dir.join(crate::base::manifest::FILE_NAME)),
            period_dir: project.report_period_dir(req),
            dirs,
        }
    }

    /// One line of the manifest (`field` names it in messages).
    fn line(&self, text: &str, field: &str) -> Result<String> {
        wording::render_line(&self.env, text, &self.ctx, &self.manifest, field)
    }

    /// The numbered headings and rendered fragments, and the headings' titles.
    fn body(&self, manifest: &Manifest) -> Result<(Vec<Block>, Vec<String>)> {
        let levels: Vec<u8> = manifest.sections.iter().filter_map(|m| m.level).collect();
        let patterns: Vec<String> = if manifest.numbering.is_empty() {
            default_patterns(manifest.style).iter().map(|p| p.to_string()).collect()
        } else {
            manifest.numbering.clone()
        };
        let mut numbers = number_sections(&levels, &patterns).into_iter();
        let (mut blocks, mut titles) = (Vec::new(), Vec::new());
        for (i, m) in manifest.sections.iter().enumerate() {
            if let (Some(level), Some(title)) = (m.level, &m.title) {
                titles.push(self.line(title, &format!("muc[{}].tieu_de", i + 1))?);
                let number = numbers.next().unwrap_or_default();
                blocks.push(Block::Heading { level, number });
            }
            if let Some(name) = &m.fragment {
                blocks.push(Block::Fragment(wording::render_fragment(&self.env, &self.dirs, name, &self.ctx)?));
            }
        }
        Ok((blocks, titles))
    }

    /// The trích yếu lines.
    fn subject(&self, manifest: &Manifest) -> Result<Vec<String>> {
        let lines = manifest.subject.iter().enumerate();
        lines.map(|(i, line)| self.line(line, &format!("trich_yeu[{}]", i + 1))).collect()
    }

    /// The appendices, then the indicator table (Biểu chỉ tiêu chủ yếu) and its charts.
    fn appendices(&self, project: &Project, manifest: &Manifest, data: &PeriodData) -> Result<Vec<serde_json::Value>> {
        let report_dir = &self.dirs.report_dir;
        let mut out = Vec::new();
        for a in &manifest.appendices {
            let mut a = a.clone();
            a.enclosed_with = self.line(&a.enclosed_with, "phu_luc.kem_theo")?;
            out.push(crate::layout::appendix::load(&a, &[&self.period_dir, report_dir], &project.root)?);
        }
        if let Some(t) = &manifest.indicator_table {
            let render = |text: &str, field: &str| self.line(text, field);
            let inputs = crate::layout::indicator_table::Inputs {
                root: &project.root,
                data_dir: &project.data_dir(),
                candidates: &[&self.period_dir, report_dir],
                manifest: &self.manifest,
                render: &render,
            };
            out.push(crate::layout::indicator_table::build(t, data, &inputs)?);
        }
        Ok(out)
    }
}

/// What the layout check expects to find: header lines, headings, signer, relaxed rules.
fn layout_expected(m: &Manifest, source: &DocumentSource) -> Expected {
    let h = &source.header;
    let upper = |s: &String| if m.style == Style::Party { s.to_uppercase() } else { s.clone() };
    let mut header_lines: Vec<String> = m.issuing_body.iter().map(upper).collect();
    header_lines.extend([&h.national_title, &h.motto, &h.number_and_code, &h.place_and_date].map(String::clone));
    header_lines.push(m.document_type.to_uppercase());
    // Headings that lead into text of their own: none of them may end a page.
    let numbers = source.blocks.iter().enumerate().filter_map(|(i, b)| match b {
        Block::Heading { number, .. } => Some((number.clone(), source.heading_leads(i))),
        Block::Fragment(_) => None,
    });
    let headings = numbers
        .zip(h.section_titles.iter())
        .filter(|((_, leads), _)| *leads)
        .map(|((n, _), t)| format!("{n} {t}"))
        .collect();
    let mut places = vec!["Lai Châu".to_string()];
    if !m.place.is_empty() && !places.contains(&m.place) {
        places.push(m.place.clone());
    }
    // Both styles print the upper body in capitals.
    let agencies = std::iter::once(m.parent_body.to_uppercase())
        .chain(m.issuing_body.iter().map(upper))
        .filter(|a| !a.is_empty())
        .collect();
    let mut title_lines = vec![m.document_type.to_uppercase()];
    title_lines.extend(h.subject.iter().cloned());
    Expected {
        header_lines,
        title_lines,
        headings,
        signer: m.signer.clone(),
        places,
        agencies,
        relaxed: m.relaxed.iter().filter_map(|r| LayoutRule::from_code(&r.rule)).collect(),
    }
}

fn empty_source(req: &Request) -> DocumentSource {
    DocumentSource {
        layout: String::new(),
        header: Header::default(),
        blocks: vec![],
        date: req.period.last_day(),
        ident: String::new(),
    }
}

/// The data the layout draws the header and end blocks from.
fn header_of(m: &Manifest, period: Period, subject: &[String], titles: &[String], date: chrono::NaiveDate) -> Header {
    use chrono::Datelike;
    const GAP: &str = "\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}";
    // A draft (no number yet) leaves the day blank too: the e-office system fills
    // the number and the day together when the document is signed.
    let (day, month, year) = match m.date() {
        Some(d) if !m.number.is_empty() => (format!("{:02}", d.day()), month_label(d.month() as u8), d.year()),
        Some(d) => (GAP.to_string(), month_label(d.month() as u8), d.year()),
        None => (GAP.to_string(), month_label(period.month_range().1), period.year()),
    };
    let number = if m.number.is_empty() {
        GAP.to_string()
    } else {
        format!(" {}", m.number)
    };
    let number_and_code = match m.style {
        Style::Administrative => format!("Số:{number}/{}", m.code_notation),
        Style::Party => format!("Số{number}-{}", m.code_notation),
    };
    Header {
        parent_body: m.parent_body.clone(),
        issuer: m.issuing_body.clone(),
        national_title: m.national_title().to_string(),
        motto: m.motto().to_string(),
        number_and_code,
        place: m.place.clone(),
        place_and_date: format!("{}, ngày {day} tháng {month} năm {year}", m.place),
        document_type: m.document_type.clone(),
        subject: subject.to_vec(),
        recipients: m.recipients.clone(),
        authority: m.signing_authority.clone(),
        signer: m.signer.clone(),
        section_titles: titles.to_vec(),
        pdf_title: format!("{} {}", m.document_type, subject.join(" ")),
        pdf_author: m.issuing_body.join(" "),
        pdf_date: [date.year(), date.month() as i32, date.day() as i32],
        appendices: Vec::new(),
    }
}

impl Project {
    /// Every wording input of a version: the report type's fragments and mau.toml,
    /// the period's narrative overrides, and the shared layouts in use.
    fn template_inputs(&self, req: &Request) -> Vec<InputFile> {
        let mut out = Vec::new();
        hash_files(&self.root, &self.report_dir(&req.report), &mut out);
        let overrides = self.data_dir().join(req.period.to_string()).join(&req.report);
        hash_files(&self.root, &overrides, &mut out);
        for (name, text) in self.layouts() {
            out.push(InputFile {
                path: format!("templates/{SHARED_DIR}/{name}"),
                sha256: sha256_hex(text.as_bytes()),
            });
        }
        out
    }
}

/// Files directly in `dir` (sorted), hashed, shown relative to `root`.
fn hash_files(root: &Path, dir: &Path, out: &mut Vec<InputFile>) {
    for p in figures::files_in(dir).unwrap_or_default() {
        if let Ok(bytes) = std::fs::read(&p) {
            out.push(InputFile {
                path: p.strip_prefix(root).unwrap_or(&p).display().to_string(),
                sha256: sha256_hex(&bytes),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_has_no_gaps() {
        let p = |s: Style| default_patterns(s).map(String::from).to_vec();
        let n = number_sections(&[1, 2, 3, 3, 3, 3, 3, 3, 2, 1, 2], &p(Style::Administrative));
        assert_eq!(n, ["I.", "1.", "a)", "b)", "c)", "d)", "đ)", "e)", "2.", "II.", "1."]);
        assert_eq!(
            number_sections(&[1, 2, 2, 3, 3], &p(Style::Party)),
            ["I-", "1-", "2-", "2.1.", "2.2."]
        );
        let custom = ["I-".to_string(), "1.".into(), "1.1.".into()];
        assert_eq!(number_sections(&[1, 2, 3, 1], &custom), ["I-", "1.", "1.1.", "II-"]);
    }
}
