//! The pipeline for one report type and period: figures -> checks -> fragments
//! -> Typst -> PDF. It stops at the first stage that finds errors and never
//! writes anything (saving a version is `versions`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::base::manifest::{Manifest, Style};
use crate::base::period::{month_label, Period};
use crate::error::{Error, Findings, Location, Problem, Result, Severity};
use crate::figures::check::{check, CheckOptions};
use crate::figures::{self, sha256_hex, InputFile, PeriodData};
use crate::layout::check::{Expected, LayoutRule};
use crate::layout::{self, world::BaocaoWorld, Block, DocumentSource, Header};
use crate::wording::{self, FragmentDirs};

use super::{Project, Request, SHARED_DIR};
use crate::layout::rendered::{Rendered, Timings};
use crate::wording::numbering::{default_patterns, number_sections};

/// Everything up to typesetting.
pub struct Prepared {
    pub data: PeriodData,
    pub manifest: Manifest,
    pub source: DocumentSource,
    pub findings: Findings,
}

impl Project {
    /// The period's figures (prior year and cumulative values filled in); longer
    /// periods are aggregated from their months. Sector files changed outside
    /// baocao since it last saw them become warnings; nothing is written (a view
    /// calls this): they are logged by [`Project::record_outside_changes`].
    pub fn load_data(&self, period: Period, estimate_last_month: bool) -> Result<PeriodData> {
        let mut d = if period.is_month() {
            figures::load_month(&self.root, &self.data_dir(), period)
        } else {
            let opts = figures::aggregate::AggregateOptions { estimate_last_month };
            figures::aggregate::load(&self.root, &self.data_dir(), period, opts)
        }?;
        // The files just read, by the path the log names them with.
        let hashed = d
            .files
            .iter()
            .map(|f| (crate::office::audit::shown(&self.root, Path::new(&f.path)), f.sha256.clone()))
            .collect();
        for p in self.folders_of(period) {
            crate::office::audit::look_for_outside_changes(&self.root, &p, &hashed, &mut d.findings);
        }
        Ok(d)
    }

    /// Logs (once) the sector files of `period` and its months changed outside
    /// baocao ([`crate::office::audit::notice_outside_changes`]): done by the
    /// explicit actions (check, render, a PDF), never by a view.
    /// Returns their warnings (a file logged now is not a warning of the next look).
    pub fn record_outside_changes(&self, period: Period) -> Findings {
        let mut noticed = Findings::default();
        for p in self.folders_of(period) {
            crate::office::audit::notice_outside_changes(&self.root, &p, &mut noticed);
        }
        noticed
    }

    /// The folders of `period` and of its months.
    fn folders_of(&self, period: Period) -> Vec<PathBuf> {
        let months = period.months().into_iter().filter(|m| *m != period);
        std::iter::once(period)
            .chain(months)
            .map(|p| self.data_dir().join(p.to_string()))
            .collect()
    }

    /// Runs every stage up to typesetting, collecting findings.
    /// Template errors are returned as errors; data errors are in `findings`.
    pub fn prepare(&self, req: &Request, opts: CheckOptions, timings: &mut Timings) -> Result<Prepared> {
        let t = Instant::now();
        let manifest = self.manifest(&req.report)?;
        // On the other core, while the figures load and are checked: the kept
        // template environment is looked up (its fragment files read again to
        // be sure none changed), then the texts are searched for another
        // period's sentences while the report is worded.
        let (data, findings, worded) = std::thread::scope(|s| -> Result<_> {
            let (sent, templates) = std::sync::mpsc::sync_channel(1);
            let manifest = &manifest;
            let stale = s.spawn(move || {
                let _ = sent.send(wording::environment(&self.fragment_dirs(req)));
                let t = Instant::now();
                let mut f = Findings::default();
                crate::wording::stale::check_request(self, req, manifest, &mut f);
                (f, t.elapsed())
            });
            let data = self.figures_for(req, manifest, opts)?;
            timings.load = t.elapsed();
            let t = Instant::now();
            let mut findings = self.checked(req, &data, opts);
            timings.check = t.elapsed();
            // Worded only when the figures pass (else its errors would hide theirs).
            let t = Instant::now();
            let worded = (!findings.has_errors()).then(|| {
                let templates = templates.recv().unwrap_or_else(|_| wording::environment(&self.fragment_dirs(req)));
                self.worded(req, manifest, &data, opts.draft, templates)
            });
            timings.template = t.elapsed();
            let (stale, scanned) = stale.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            timings.scan = scanned;
            findings.0.extend(stale.0);
            Ok((data, findings, worded))
        })?;
        let (findings, worded) = match worded {
            Some(worded) if !findings.has_errors() => (findings, worded?),
            _ => {
                return Ok(Prepared {
                    source: empty_source(req),
                    data,
                    manifest,
                    findings,
                })
            }
        };
        let Worded {
            w,
            blocks,
            titles,
            subject,
        } = worded;
        let date = manifest.date().unwrap_or_else(|| req.period.last_day());
        let mut header = header_of(&manifest, req.period, &subject, &titles, date);
        header.appendices = w.appendices(self, &manifest, &data)?;
        if self.is_sample_report(&req.report, req.period) {
            header.sample = true;
            header.pdf_title = format!("[SỐ LIỆU MẪU] {}", header.pdf_title);
        }
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

    /// The period's figures for a report, with the sector files changed outside
    /// baocao (logged now, unless a draft) among their findings.
    fn figures_for(&self, req: &Request, manifest: &Manifest, opts: CheckOptions) -> Result<PeriodData> {
        if opts.draft {
            return self.draft_figures(req, manifest);
        }
        let noticed = self.record_outside_changes(req.period);
        let mut data = self.load_data(req.period, manifest.estimate_last_month)?;
        data.findings.0.extend(noticed.0);
        figures::add_report_sectors(&self.root, &self.report_period_dir(req), &mut data);
        Ok(data)
    }

    /// The live preview's figures: a sector file being saved is read as it is
    /// being written ([`figures::being_saved`]), so the layout need not wait
    /// for the disk; its change is baocao's own, not one made outside.
    fn draft_figures(&self, req: &Request, manifest: &Manifest) -> Result<PeriodData> {
        let saving = self.being_saved.files();
        let ours: Vec<PathBuf> = saving.keys().map(|p| crate::office::audit::shown(&self.root, p).into()).collect();
        let mut data = figures::being_saved::reading(saving, || {
            let mut data = self.load_data(req.period, manifest.estimate_last_month)?;
            figures::add_report_sectors(&self.root, &self.report_period_dir(req), &mut data);
            Ok::<_, Error>(data)
        })?;
        data.findings
            .0
            .retain(|f| !(matches!(f.problem, Problem::ChangedOutside { .. }) && ours.contains(&f.location.file)));
        Ok(data)
    }

    /// The data's findings with the checks' of its values and blanks
    /// (placeholders in a draft).
    fn checked(&self, req: &Request, data: &PeriodData, opts: CheckOptions) -> Findings {
        let mut findings = data.findings.clone();
        check(data, opts, &mut findings);
        self.drop_blanks_of_other_reports(req, data, &mut findings);
        if opts.draft {
            figures::check::blanks_as_placeholders(data, &mut findings);
        }
        findings
    }

    /// The report's wording: headings, fragments and subject, rendered from `data`.
    fn worded(&self, req: &Request, manifest: &Manifest, data: &PeriodData, draft: bool, templates: wording::Templates) -> Result<Worded> {
        let w = Wording::new(self, req, data, draft, templates);
        let (blocks, titles) = w.body(manifest)?;
        let subject = w.subject(manifest)?;
        Ok(Worded {
            w,
            blocks,
            titles,
            subject,
        })
    }

    /// A report type with its own sector files (`data/<period>/<report>/`, a Party
    /// resolution dated in a month of the monthly report) is not blocked by blank
    /// values of the month's sectors its text never names: they are the monthly
    /// report's, still being entered. (A text naming `so_lieu` uses them all.)
    fn drop_blanks_of_other_reports(&self, req: &Request, data: &PeriodData, findings: &mut Findings) {
        let own = self.report_period_dir(req);
        if !figures::has_figures(&own) {
            return;
        }
        let texts: Vec<String> = wording::stale::narrative_files(&self.report_dir(&req.report), &own)
            .iter()
            .filter_map(|p| crate::base::folders::read_to_string(p).ok())
            .collect();
        if texts.iter().any(|t| t.contains("so_lieu")) {
            return;
        }
        let named = |sector: &str| {
            texts
                .iter()
                .any(|t| t.contains(&format!("{sector}.")) || t.contains(&format!("{sector}[")))
        };
        let unnamed: Vec<&figures::Sector> = data.sectors.values().filter(|s| !named(&s.name)).collect();
        findings.0.retain(|f| {
            let blank = f.problem == Problem::MissingValue;
            !(blank && unnamed.iter().any(|s| s.source == f.location.file))
        });
    }

    /// Where the fragments of a report and period are found: the period's own
    /// copies first, then the report type's.
    fn fragment_dirs(&self, req: &Request) -> FragmentDirs {
        FragmentDirs {
            root: self.root.clone(),
            report_dir: self.report_dir(&req.report),
            override_dir: Some(self.report_period_dir(req)),
        }
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
        let manifest_text = crate::base::folders::read_to_string(manifest_path).unwrap_or_default();
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
                let Typeset { compiled, findings, .. } = self.typeset(&mut self.world(), req, &p, || ())?;
                p.findings.0.extend(findings.0);
                self.format_check(req, &p, compiled.lines).run(&compiled.document, &mut p.findings);
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
        let (mut rendered, check) = self.lay_out_unchecked(world, req, opts)?;
        check.apply(&mut rendered);
        Ok(rendered)
    }

    /// Every stage but the format check and the PDF export; the check comes
    /// with it, to be run on its pages (a draft's pages are shown first).
    pub(crate) fn lay_out_unchecked(&self, world: &mut BaocaoWorld, req: &Request, opts: CheckOptions) -> Result<(Rendered, FormatCheck)> {
        let mut timings = Timings::default();
        let mut prepared = self.prepare(req, opts, &mut timings)?;
        refuse_blanks(&prepared.findings, &prepared.data)?;
        if prepared.findings.has_errors() {
            return Err(Error::Data(prepared.findings));
        }
        let t = Instant::now();
        // What the version records of the figures and templates needs no page:
        // it is made on the other core while Typst lays the pages out.
        let draft = opts.draft;
        let data = &prepared.data;
        let typeset = self.typeset(world, req, &prepared, || {
            let figures = figure_values(data);
            let names = figure_names(data);
            // Read and hashed for a version only: a draft (the live preview) never becomes one.
            let template_files = if draft { Vec::new() } else { self.template_inputs(req) };
            (figures, names, template_files)
        })?;
        let Typeset {
            compiled:
                layout::Compiled {
                    document,
                    warnings: typst_warnings,
                    layouts,
                    lines,
                    page_hashes,
                },
            findings: more,
            made: (figures, figure_names, template_files),
        } = typeset;
        prepared.findings.0.extend(more.0);
        timings.compile = t.elapsed();
        timings.layouts = layouts;
        let check = self.format_check(req, &prepared, lines);
        let subject = &prepared.source.header.subject;
        let handoff = crate::layout::handoff::OutgoingDocument::new(&prepared.manifest, subject, document.pages().len());
        let rendered = Rendered {
            handoff,
            pdf: Vec::new(),
            document,
            findings: prepared.findings,
            typst_warnings,
            inputs: prepared.data.files.clone(),
            figures,
            figure_names,
            timings,
            page_hashes,
            source: prepared.source,
            template_files,
        };
        Ok((rendered, check))
    }

    /// The format check of the prepared document, laid out as `lines`.
    fn format_check(&self, req: &Request, p: &Prepared, lines: Vec<Vec<layout::text::Line>>) -> FormatCheck {
        FormatCheck {
            lines,
            expected: layout_expected(&p.manifest, &p.source),
            manifest: self.shown(&self.report_dir(&req.report).join(crate::base::manifest::FILE_NAME)),
        }
    }

    /// Lays out the prepared document in `world`. Meanwhile the other core looks
    /// for indicators no fragment uses and runs `beside` (work that needs no page).
    fn typeset<T: Send>(
        &self,
        world: &mut BaocaoWorld,
        req: &Request,
        p: &Prepared,
        beside: impl FnOnce() -> T + Send,
    ) -> Result<Typeset<T>> {
        let (compiled, (findings, made)) = std::thread::scope(|s| {
            let aside = s.spawn(|| {
                let mut unused = Findings::default();
                self.note_unused(req, &p.data, &p.source.blocks, &mut unused);
                (unused, beside())
            });
            // Typst stays on this thread: it is the longer job by far.
            let compiled = layout::load_into(world, &p.source, &self.layouts(), self.report_dir(&req.report))
                .and_then(|()| layout::compile(world, &p.source));
            (compiled, aside.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
        });
        Ok(Typeset {
            compiled: compiled?,
            findings,
            made,
        })
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
    /// shared::<baocao::Project>();
    /// ```
    pub fn world(&self) -> BaocaoWorld {
        BaocaoWorld::new(self.fonts().clone())
    }
}

/// A laid-out document with what was found and made beside it.
struct Typeset<T> {
    compiled: layout::Compiled,
    /// Unused indicators.
    findings: Findings,
    /// What the caller's work beside the layout made.
    made: T,
}

/// The format check of a laid-out document (page size, margins, line pitch,
/// page breaks ...), kept with what it needs until its pages are out.
pub(crate) struct FormatCheck {
    /// The document's laid-out text, page by page.
    lines: Vec<Vec<layout::text::Line>>,
    expected: Expected,
    /// The report type's mau.toml as shown (where the rules come from).
    manifest: PathBuf,
}

impl FormatCheck {
    /// Checks `document` (the one laid out with this check) and adds what
    /// breaks the rules to `findings`, after those already there.
    pub(crate) fn run(self, document: &typst_layout::PagedDocument, findings: &mut Findings) {
        let violations = layout::check::check(document, &self.lines, &self.expected);
        layout::check::findings(&violations, &self.manifest, findings);
    }

    /// [`FormatCheck::run`] on a render laid out with this check, its time kept.
    pub(crate) fn apply(self, r: &mut Rendered) {
        let t = Instant::now();
        self.run(&r.document, &mut r.findings);
        r.timings.layout_check = t.elapsed();
    }
}

/// Every figure as printed by default (`sector.code` -> "84.860"), for `diff`.
fn figure_values(data: &PeriodData) -> Vec<(String, String)> {
    let printed = |i: &figures::Indicator| crate::base::number::format(i.value.unwrap_or(0.0), i.decimals);
    data.sectors
        .values()
        .flat_map(|s| s.indicators.iter().map(move |i| (format!("{}.{}", s.name, i.code), printed(i))))
        .collect()
}

/// Every indicator's name (`sector.code` -> "Đàn trâu").
fn figure_names(data: &PeriodData) -> Vec<(String, String)> {
    data.sectors
        .values()
        .flat_map(|s| s.indicators.iter().map(move |i| (format!("{}.{}", s.name, i.code), i.name.clone())))
        .collect()
}

/// A version (not a draft) refused with [`Error::Unfilled`] when its only errors
/// are blank values: they would be placeholders in a draft, never in a version.
fn refuse_blanks(findings: &Findings, data: &PeriodData) -> Result<()> {
    let blanks = figures::check::blank_values(findings, data);
    let errors = findings.0.iter().filter(|f| f.severity == Severity::Error).count();
    if blanks.is_empty() || blanks.len() != errors {
        return Ok(());
    }
    const NAMED: usize = 5;
    let more = match blanks.len().saturating_sub(NAMED) {
        0 => crate::error::MoreBlanks::None,
        n => crate::error::MoreBlanks::Some(n),
    };
    Err(Error::Unfilled {
        count: blanks.len(),
        list: blanks.iter().take(NAMED).cloned().collect::<Vec<_>>().join("; "),
        more,
    })
}

/// Exports a laid-out render to PDF/A (fills `pdf`, adds a font warning if any).
pub fn export_pdf(rendered: &mut Rendered) -> Result<()> {
    let exported = rendered.export()?;
    rendered.keep(exported);
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

/// A report's rendered wording (see [`Project::prepare`]), with what rendered it.
struct Worded {
    w: Wording,
    blocks: Vec<Block>,
    titles: Vec<String>,
    subject: Vec<String>,
}

/// Everything the wording of one report and period is rendered with: the
/// fragments' folders, the template environment (with the fragments it
/// rendered before) and the figures.
struct Wording {
    dirs: FragmentDirs,
    templates: wording::Templates,
    ctx: minijinja::Value,
    /// mau.toml as shown in messages.
    manifest: PathBuf,
    /// data/<period>/<report>/ (narrative overrides, appendix tables).
    period_dir: PathBuf,
}

impl Wording {
    /// The wording of `req` with the template environment of its folders
    /// ([`Project::fragment_dirs`]).
    fn new(project: &Project, req: &Request, data: &PeriodData, draft: bool, templates: wording::Templates) -> Wording {
        let report_dir = project.report_dir(&req.report);
        Wording {
            templates,
            ctx: wording::context_for(data, draft),
            manifest: project.shown(&report_dir.join(crate::base::manifest::FILE_NAME)),
            period_dir: project.report_period_dir(req),
            dirs: project.fragment_dirs(req),
        }
    }

    /// One line of the manifest (`field` names it in messages).
    fn line(&self, text: &str, field: &str) -> Result<String> {
        wording::render_line(&self.templates.env, text, &self.ctx, &self.manifest, field)
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
                // A fragment that read none of the corrected figures is given back as it was.
                let render = || wording::render_fragment(&self.templates.env, &self.dirs, name, &self.ctx);
                blocks.push(Block::Fragment(self.templates.rendered.fragment(name, &self.ctx, render)?));
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
        sample: false,
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
        if let Ok(bytes) = crate::base::folders::read(&p) {
            out.push(InputFile {
                path: p.strip_prefix(root).unwrap_or(&p).display().to_string(),
                sha256: sha256_hex(&bytes),
            });
        }
    }
}
