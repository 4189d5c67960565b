//! What the web page may do with a project, and nothing else: the web layer
//! calls only these methods (never the stages). Every name that comes from a
//! request (report type, period, sector file, fragment) is validated here
//! before it becomes a path.

use std::path::{Path, PathBuf};

use crate::archive::issuance::{self, Issued};
use crate::archive::output::{self, OutputPaths, VersionManifest};
use crate::base::number;
use crate::base::period::Period;
use crate::error::{ChangeDescription, ChangeNote, Error, Findings, IoAction, Problem, Refused, Result, Severity, UploadProblem};
use crate::figures::check::{check, CheckOptions};
use crate::figures::derive;
use crate::figures::edit;
use crate::figures::{self, sha256_hex, table};
use crate::layout::{self, world::BaocaoWorld};
use crate::office::actor::Actor;
use crate::office::audit::{self, Entry, Kind, PeriodLock};
use crate::project::{Project, Rendered, Request};

/// Columns a clerk may edit on the figures page (numbers only).
pub const EDITABLE: [&str; 5] = ["gia_tri", "cung_ky", "du_toan_tw", "du_toan_hdnd", "ke_hoach"];
/// Largest sector file accepted by upload.
pub const MAX_UPLOAD_BYTES: u64 = 5_000_000;
/// `CON`, `PRN`, `AUX`, `NUL`, `COM1`..`COM9`, `LPT1`..`LPT9`, with any extension:
/// on Windows these open a device, not a file.
fn is_windows_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().trim_end().to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

/// The error of an upload named `file` that cannot be used (`detail` says why).
pub(crate) fn bad_upload(file: &str) -> impl Fn(String) -> Error + '_ {
    move |detail| Error::BadUpload {
        name: file.to_string(),
        detail,
    }
}

/// Largest total a workbook may unpack to (decompression bombs).
pub const MAX_UNPACKED_BYTES: u64 = 50_000_000;

/// Refuses names that could leave their folder: `..`, `/`, `\`, NUL, absolute, empty;
/// and names Windows reads as a device or trims (`con.csv`, `nul`, `a.csv.`).
pub fn check_name(name: &str) -> Result<()> {
    let bad = name.is_empty()
        || name.contains("..")
        || name.contains(['/', '\\', '\0', ':'])
        || Path::new(name).is_absolute()
        || name.starts_with('.')
        || name.ends_with(['.', ' '])
        || is_windows_device(name);
    if bad {
        Err(Error::BadName(name.chars().take(80).collect()))
    } else {
        Ok(())
    }
}

/// A period from a request.
pub fn parse_period(text: &str) -> Result<Period> {
    check_name(text)?;
    text.parse().map_err(|_| Error::BadPeriod(text.to_string()))
}

/// One line of the home page: a report type and period with its latest version.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OverviewItem {
    pub report: String,
    pub period: String,
    pub label: String,
    /// A month (its figures are edited on the figures page).
    pub month: bool,
    pub current: bool,
    pub latest: Option<VersionInfo>,
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

/// A fragment error: its line (when known) and the message.
pub type LineError = (Option<usize>, String);

/// Result of a successful save.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Saved {
    pub hash: String,
    pub row: Option<RowView>,
}

/// A laid-out document not yet exported to PDF.
pub struct Laid {
    pub rendered: Rendered,
}

impl Project {
    /// Every report type × period the batch knows, newest period first, the current one on top.
    pub fn overview(&self) -> Vec<OverviewItem> {
        let current = self.current_period().ok();
        let out_dir = self.root.join("out");
        let mut items: Vec<OverviewItem> = self
            .all_requests()
            .into_iter()
            .map(|r| {
                let paths = OutputPaths::new(&out_dir, &r.report, &r.period.to_string());
                let latest = paths.versions().pop().map(|m| VersionInfo {
                    version: m.version,
                    time: m.time.clone(),
                    pages: std::fs::read(paths.version_pdf(m.version)).map(|b| pdf_pages(&b)).unwrap_or(0),
                    warnings: m.warnings.len(),
                });
                OverviewItem {
                    current: Some(r.period) == current,
                    label: r.period.label(),
                    month: r.period.is_month(),
                    period: r.period.to_string(),
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

    /// The validated path of a sector file of a period (must exist, .csv or .xlsx).
    pub fn sector_path(&self, period: &str, file: &str) -> Result<PathBuf> {
        parse_period(period)?;
        check_name(file)?;
        let ext = Path::new(file)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if ext != "csv" && ext != "xlsx" {
            return Err(Error::BadName(file.to_string()));
        }
        let p = self.data_dir().join(period).join(file);
        if !p.is_file() {
            return Err(Error::NotFound(self.rel(&p)));
        }
        Ok(p)
    }

    fn rel(&self, p: &Path) -> PathBuf {
        p.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
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
            let bytes = std::fs::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            for t in read_tables(&path, &self.rel(&path), &bytes) {
                out.push(sector_view(&t, &name, &bytes, &data, &findings));
            }
        }
        Ok(out)
    }

    /// Saves one value (`column` of indicator `code`) of a sector file, refusing a
    /// value the loader would refuse (file untouched) and a save made against an
    /// older version of the file (`expected_hash`; `seen` is that version, if known).
    /// Refuses what `actor` may not touch and, in an issued period, a change
    /// without `reason`. The change is logged (and on disk) before this returns.
    #[allow(clippy::too_many_arguments)]
    pub fn save_value(
        &self,
        actor: &Actor,
        period: &str,
        file: &str,
        sheet: &str,
        code: &str,
        column: &str,
        text: &str,
        expected_hash: &str,
        seen: Option<&[u8]>,
        reason: Option<&str>,
    ) -> Result<Saved> {
        let p = parse_period(period)?;
        self.allow_file_by_name(actor, period, file)?;
        let path = self.sector_path(period, file)?;
        let shown = self.rel(&path);
        if !EDITABLE.contains(&column) {
            return Err(Error::UnknownCell {
                file: shown,
                code: code.into(),
                column: column.into(),
            });
        }
        let reason = self.allow_figures_change(actor, p, reason)?;
        let lock = PeriodLock::take(path.parent().unwrap_or(Path::new(".")))?;
        let old = std::fs::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        self.allow_sectors(actor, &path, &old)?;
        self.notice_before_change(&lock, &path, &old)?;
        if sha256_hex(&old) != expected_hash {
            return Err(Error::StaleFile {
                changes: describe_changes(&path, &shown, seen, &old),
                file: shown,
            });
        }
        let unknown = |_| Error::UnknownCell {
            file: shown.clone(),
            code: code.into(),
            column: column.into(),
        };
        let new = if ext(&path) == "xlsx" {
            edit::set_xlsx_cell(&path, sheet, code, column, text).map_err(unknown)?
        } else {
            edit::set_csv_cell(&old, code, column, text).map_err(unknown)?
        };
        refuse_new_errors(&path, &shown, &old, &new)?;
        output::write_atomic(&path, &new)?;
        let mut e = self.entry(actor, Kind::EditValue, &path, reason);
        e.cells = audit::cell_changes(&path, &old, &new);
        self.commit(&lock, e, &path, &new)?;
        Ok(Saved {
            hash: sha256_hex(&new),
            row: None,
        })
    }

    /// A log entry for a change of `path` by `actor`.
    fn entry(&self, actor: &Actor, kind: Kind, path: &Path, reason: Option<String>) -> Entry {
        let mut e = Entry::new(&actor.name, kind, audit::shown(&self.root, path));
        e.reason = reason;
        e
    }

    /// Logs a change already written to the period's file `path` (its new
    /// bytes `new`), then keeps the copy the next load compares against.
    fn commit(&self, lock: &PeriodLock, mut e: Entry, path: &Path, new: &[u8]) -> Result<()> {
        e.sha256 = Some(sha256_hex(new));
        lock.append(&e)?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        lock.remember(name, new)
    }

    /// Logs a change made outside baocao to `path` before baocao changes it.
    fn notice_before_change(&self, lock: &PeriodLock, path: &Path, bytes: &[u8]) -> Result<()> {
        audit::notice_file(lock, &self.root, path, bytes).map(|_| ())
    }

    /// Refuses a department a sector file whose name is not one of its sectors
    /// (a CSV is named after its sector), before saying whether it exists.
    fn allow_file_by_name(&self, actor: &Actor, period: &str, file: &str) -> Result<()> {
        let stem = Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if ext(Path::new(file)) == "csv" && !actor.may_touch_sector(stem) {
            return Err(forbidden(
                actor,
                Refused::SectorFile {
                    sector: stem.to_string(),
                    period: period.to_string(),
                    file: file.to_string(),
                },
            ));
        }
        Ok(())
    }

    /// Refuses `actor` a sector file (its bytes) unless every sector in it is the actor's.
    fn allow_sectors(&self, actor: &Actor, path: &Path, bytes: &[u8]) -> Result<()> {
        if actor.is_office() {
            return Ok(());
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        // From the bytes themselves (a workbook's sheets), never from the file on disk.
        let mut sectors = if ext(path) == "xlsx" {
            scratch_read(path, &self.rel(path), bytes).1
        } else {
            Vec::new()
        };
        if sectors.is_empty() {
            sectors.push(stem);
        }
        match sectors.iter().find(|s| !actor.may_touch_sector(s)) {
            Some(s) => Err(forbidden(
                actor,
                Refused::Sector {
                    sector: s.clone(),
                    file: self.rel(path),
                },
            )),
            None => Ok(()),
        }
    }

    /// Whether a department (or anybody but Văn phòng) may read the sector file.
    pub fn allow_read_sector(&self, actor: &Actor, period: &str, file: &str) -> Result<PathBuf> {
        self.allow_file_by_name(actor, period, file)?;
        let path = self.sector_path(period, file)?;
        let bytes = std::fs::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        self.allow_sectors(actor, &path, &bytes)?;
        Ok(path)
    }

    /// Refuses a figures change in an issued period without a reason (and by a
    /// department at all); returns the reason, trimmed, if any.
    fn allow_figures_change(&self, actor: &Actor, period: Period, reason: Option<&str>) -> Result<Option<String>> {
        let reason = clean_reason(reason);
        if issuance::figures_lock(self, period).is_some() && (reason.is_none() || !actor.is_office()) {
            return Err(Error::Locked {
                period: period.to_string(),
            });
        }
        Ok(reason)
    }

    /// The view of one indicator row (after a save: its new comparisons).
    pub fn row_view(&self, period: &str, file: &str, sheet: &str, code: &str) -> Result<Option<RowView>> {
        Ok(self
            .sectors(period)?
            .into_iter()
            .find(|s| s.file == file && (s.sector == sheet || sheet.is_empty()))
            .and_then(|s| s.rows.into_iter().find(|r| r.code == code)))
    }

    /// Replaces a sector file by an uploaded one after validating it; the old file
    /// is kept in `data/<period>/ban-cu/`. Returns the kept copy's path, if any.
    /// Refuses what `actor` may not touch (the new file's sectors and the old
    /// one's) and, in an issued period, an upload without `reason`; logged.
    pub fn replace_sector(&self, actor: &Actor, period: &str, file: &str, bytes: &[u8], reason: Option<&str>) -> Result<Option<PathBuf>> {
        let (p, dir, target) = self.checked_upload(actor, period, file, bytes)?;
        let reason = self.allow_figures_change(actor, p, reason)?;
        let lock = PeriodLock::take(&dir)?;
        let old = std::fs::read(&target).ok();
        if let Some(old) = &old {
            self.allow_sectors(actor, &target, old)?;
            self.notice_before_change(&lock, &target, old)?;
        }
        self.refuse_duplicate_sectors(&dir, &target, bytes).map_err(bad_upload(file))?;
        let kept = match &old {
            Some(old) => Some(self.keep_old_copy(&dir, file, old)?),
            None => None,
        };
        output::write_atomic(&target, bytes)?;
        let mut entry = self.entry(actor, Kind::Upload, &target, reason);
        entry.cells = old.as_deref().map(|o| audit::cell_changes(&target, o, bytes)).unwrap_or_default();
        entry.note = Some(
            match &kept {
                Some(k) => ChangeNote::KeptAt(k.clone()),
                None => ChangeNote::NewFile,
            }
            .to_string(),
        );
        self.commit(&lock, entry, &target, bytes)?;
        Ok(kept)
    }

    /// An upload's period, period folder and target path, once its name, size,
    /// content and sectors pass (nothing is written).
    fn checked_upload(&self, actor: &Actor, period: &str, file: &str, bytes: &[u8]) -> Result<(Period, PathBuf, PathBuf)> {
        let p = parse_period(period)?;
        check_name(file)?;
        let e = ext(Path::new(file));
        if e != "csv" && e != "xlsx" {
            return Err(Error::BadName(file.to_string()));
        }
        self.allow_file_by_name(actor, period, file)?;
        if bytes.len() as u64 > MAX_UPLOAD_BYTES {
            return Err(Error::UploadTooLarge {
                bytes: bytes.len() as u64,
                limit: MAX_UPLOAD_BYTES,
            });
        }
        let dir = self.data_dir().join(period);
        if !dir.is_dir() {
            return Err(Error::NotFound(self.rel(&dir)));
        }
        let bad = bad_upload(file);
        if e == "xlsx" {
            zip_guard(bytes).map_err(&bad)?;
        }
        let target = dir.join(file);
        let findings = validate_bytes(&target, &self.rel(&target), bytes);
        if findings.has_errors() {
            return Err(bad(findings.to_string()));
        }
        self.allow_sectors(actor, &target, bytes)?;
        Ok((p, dir, target))
    }

    /// Keeps the file an upload replaces as `data/<period>/ban-cu/<time>-<file>`.
    fn keep_old_copy(&self, dir: &Path, file: &str, old: &[u8]) -> Result<PathBuf> {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let keep = dir.join("ban-cu").join(format!("{stamp}-{file}"));
        output::write_atomic(&keep, old)?;
        Ok(self.rel(&keep))
    }

    /// Refuses an upload whose sectors another file of the period already holds.
    fn refuse_duplicate_sectors(&self, dir: &Path, target: &Path, bytes: &[u8]) -> std::result::Result<(), String> {
        let shown = self.rel(target);
        let mine = scratch_read(target, &shown, bytes).1;
        let Ok(period) = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().parse::<Period>() else {
            return Ok(());
        };
        let others = figures::read_folder(&self.root, dir, period).map_err(|e| e.to_string())?;
        let target_name = target.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        for s in others.sectors.values().filter(|s| mine.contains(&s.name)) {
            let file = s.source.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if !file.starts_with(target_name) {
                return Err(UploadProblem::DuplicateSector {
                    sector: s.name.clone(),
                    other: s.source.clone(),
                }
                .to_string());
            }
        }
        Ok(())
    }

    /// A sector as CSV bytes (the file itself when it is a CSV).
    pub fn sector_csv(&self, period: &str, file: &str, sheet: &str) -> Result<Vec<u8>> {
        let path = self.sector_path(period, file)?;
        let bytes = std::fs::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        if ext(&path) == "csv" {
            return Ok(bytes);
        }
        let t = self.one_table(&path, &bytes, sheet)?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let io = |e: csv::Error| Error::io(IoAction::Write, &path, std::io::Error::other(e));
        w.write_record(&t.header).map_err(io)?;
        for r in &t.rows {
            w.write_record(r.cells.iter().map(cell_text)).map_err(io)?;
        }
        let mut out = vec![0xEF, 0xBB, 0xBF];
        out.extend(
            w.into_inner()
                .map_err(|e| Error::io(IoAction::Write, &path, std::io::Error::other(e.to_string())))?,
        );
        Ok(out)
    }

    /// A sector as an .xlsx workbook with one sheet named after the sector.
    pub fn sector_xlsx(&self, period: &str, file: &str, sheet: &str) -> Result<Vec<u8>> {
        let path = self.sector_path(period, file)?;
        let bytes = std::fs::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        let t = self.one_table(&path, &bytes, sheet)?;
        let io = |e: rust_xlsxwriter::XlsxError| Error::io(IoAction::Write, &path, std::io::Error::other(e.to_string()));
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        ws.set_name(&t.sector).map_err(io)?;
        for (j, h) in t.header.iter().enumerate() {
            ws.write_string(0, j as u16, h).map_err(io)?;
        }
        for (i, r) in t.rows.iter().enumerate() {
            for (j, c) in r.cells.iter().enumerate() {
                let (row, col) = (i as u32 + 1, j as u16);
                match c {
                    table::Cell::Number(n) => ws.write_number(row, col, *n).map(|_| ()),
                    table::Cell::Text(s) if s.trim().is_empty() => Ok(()),
                    table::Cell::Text(s) => ws.write_string(row, col, s.trim()).map(|_| ()),
                }
                .map_err(io)?;
            }
        }
        book.save_to_buffer().map_err(io)
    }

    fn one_table(&self, path: &Path, bytes: &[u8], sheet: &str) -> Result<table::Table> {
        read_tables(path, &self.rel(path), bytes)
            .into_iter()
            .find(|t| sheet.is_empty() || t.sector == sheet)
            .ok_or_else(|| Error::NotFound(self.rel(path)))
    }

    /// Lays out a report without exporting the PDF (the preview needs only pages).
    pub fn lay_out(&self, world: &mut BaocaoWorld, req: &Request) -> Result<Laid> {
        let rendered = self.lay_out_pages(world, req, CheckOptions::default())?;
        Ok(Laid { rendered })
    }

    /// Exports a laid-out report to PDF and saves it as a new version in out/;
    /// `who` asked for it (named in the change log when the version corrects an issued one).
    pub fn publish_laid(&self, req: &Request, mut laid: Laid, who: &str) -> Result<(PathBuf, u32)> {
        crate::project::export_pdf(&mut laid.rendered)?;
        crate::archive::publish::publish_checked(self, &self.root.join("out"), req, &laid.rendered, Default::default(), who, None)
    }

    /// Validates a report type and period from a request.
    pub fn request(&self, report: &str, period: &str) -> Result<Request> {
        check_name(report)?;
        let period = parse_period(period)?;
        self.manifest(report)?;
        Ok(Request {
            report: report.to_string(),
            period,
        })
    }

    /// The versions saved for a report and period, oldest first.
    pub fn versions(&self, req: &Request) -> Vec<VersionManifest> {
        OutputPaths::new(&self.root.join("out"), &req.report, &req.period.to_string()).versions()
    }

    /// The bytes of version `n` (0 = the latest PDF).
    pub fn version_pdf(&self, req: &Request, n: u32) -> Result<Vec<u8>> {
        let paths = OutputPaths::new(&self.root.join("out"), &req.report, &req.period.to_string());
        let p = if n == 0 { paths.latest } else { paths.version_pdf(n) };
        std::fs::read(&p).map_err(|_| Error::NotFound(self.rel(&p)))
    }

    /// Figures that differ between versions `a` and `b`: (code, old, new).
    pub fn diff_versions(&self, req: &Request, a: u32, b: u32) -> Result<Vec<(String, String, String)>> {
        let v = self.versions(req);
        let get = |n: u32| {
            v.iter()
                .find(|m| m.version == n)
                .ok_or_else(|| Error::UnknownVersion(n.to_string()))
        };
        Ok(output::diff(get(a)?, get(b)?))
    }

    /// The fragment names of a report type, in manifest order.
    pub fn fragment_names(&self, report: &str) -> Result<Vec<String>> {
        check_name(report)?;
        let m = self.manifest(report)?;
        let mut v: Vec<String> = m.sections.iter().filter_map(|s| s.fragment.clone()).collect();
        v.dedup();
        Ok(v)
    }

    fn fragment_path(&self, report: &str, name: &str) -> Result<PathBuf> {
        check_name(name)?;
        if !self.fragment_names(report)?.iter().any(|n| n == name) {
            return Err(Error::NotFound(self.rel(&self.report_dir(report).join(format!("{name}.txt")))));
        }
        Ok(self.report_dir(report).join(format!("{name}.txt")))
    }

    /// A fragment's text and its hash.
    pub fn read_fragment(&self, report: &str, name: &str) -> Result<(String, String)> {
        let p = self.fragment_path(report, name)?;
        let bytes = std::fs::read(&p).map_err(|e| Error::io(IoAction::Read, &p, e))?;
        Ok((String::from_utf8_lossy(&bytes).into_owned(), sha256_hex(&bytes)))
    }

    /// Saves a fragment (refused when the file changed since `expected_hash`);
    /// returns its new hash and the template errors it now has for `period`
    /// (line, message): the file is saved, the last good PDF stays until they are fixed.
    /// Văn phòng only; when the report is issued for `period`, only with a
    /// `reason`. Logged in the period's log before this returns.
    #[allow(clippy::too_many_arguments)]
    pub fn save_fragment(
        &self,
        actor: &Actor,
        report: &str,
        name: &str,
        text: &str,
        expected_hash: &str,
        period: Period,
        reason: Option<&str>,
    ) -> Result<(String, Vec<LineError>)> {
        allow_office(
            actor,
            Refused::Fragment {
                report: report.to_string(),
                name: name.to_string(),
            },
        )?;
        let p = self.fragment_path(report, name)?;
        let reason = clean_reason(reason);
        if issuance::report_lock(self, report, period).is_some() && reason.is_none() {
            return Err(Error::Locked {
                period: period.to_string(),
            });
        }
        {
            let lock = self.log_lock(period)?;
            let old = std::fs::read(&p).map_err(|e| Error::io(IoAction::Read, &p, e))?;
            if sha256_hex(&old) != expected_hash {
                return Err(Error::StaleFile {
                    file: self.rel(&p),
                    changes: ChangeDescription::FragmentText.to_string(),
                });
            }
            output::write_atomic(&p, text.as_bytes())?;
            let mut e = self.entry(actor, Kind::EditFragment, &p, reason);
            e.cells = audit::line_changes(&String::from_utf8_lossy(&old), text);
            e.sha256 = Some(sha256_hex(text.as_bytes()));
            lock.append(&e)?;
        }
        // The lock is released: checking loads the period, which takes it.
        let req = Request {
            report: report.to_string(),
            period,
        };
        let file = format!("{name}.txt");
        let errors = self
            .check(&req, CheckOptions::default())?
            .0
            .into_iter()
            .filter(|f| matches!(f.problem, Problem::Template(_)) && f.location.file.ends_with(&file))
            .map(|f| (f.location.line, f.to_string()))
            .collect();
        Ok((sha256_hex(text.as_bytes()), errors))
    }

    /// The lock of the folder whose log records `period`'s changes (created if needed).
    fn log_lock(&self, period: Period) -> Result<PeriodLock> {
        let dir = issuance::log_dir(self, period);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(IoAction::CreateDir, &dir, e))?;
        PeriodLock::take(&dir)
    }

    /// The month "Tạo kỳ mới" creates: the one after the newest month with figures.
    pub fn next_new_period(&self) -> Result<Period> {
        Ok(self.latest_period()?.next())
    }

    /// Creates the next month from the newest one (same indicators, values empty)
    /// and makes it the current period. Văn phòng only; logged.
    pub fn create_next_period(&self, actor: &Actor) -> Result<Period> {
        let from = self.latest_period()?;
        let period = from.next();
        self.create_period(actor, period, from)?;
        self.set_current_period(period)?;
        Ok(period)
    }

    /// Creates the data folder of `period` from `from` (see [`crate::office::scaffold::new_period`]).
    /// Văn phòng only; each file made is logged in the new period's log.
    pub fn create_period(&self, actor: &Actor, period: Period, from: Period) -> Result<crate::office::scaffold::NewPeriod> {
        allow_office(actor, Refused::NewPeriod)?;
        let made = crate::office::scaffold::new_period(&self.root, &self.data_dir(), period, from)?;
        let dir = self.data_dir().join(period.to_string());
        let lock = PeriodLock::take(&dir)?;
        for path in audit::sector_files(&dir) {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
            let mut e = self.entry(actor, Kind::NewPeriod, &path, None);
            e.note = Some(ChangeNote::FromPeriod(from.to_string()).to_string());
            self.commit(&lock, e, &path, &bytes)?;
        }
        Ok(made)
    }

    /// Creates a report type in templates/ (see [`crate::office::scaffold::new_report`]).
    /// Văn phòng only; logged in the current period's log when there is one.
    pub fn create_report_type(&self, actor: &Actor, name: &str, from: Option<&str>) -> Result<Vec<PathBuf>> {
        allow_office(actor, Refused::NewReport)?;
        let created = crate::office::scaffold::new_report(&self.templates_dir(), name, from)?;
        if let Ok(period) = self.current_period() {
            let lock = self.log_lock(period)?;
            let manifest = self.report_dir(name).join(crate::base::manifest::FILE_NAME);
            let mut e = self.entry(actor, Kind::NewReport, &manifest, None);
            e.sha256 = std::fs::read(&manifest).ok().map(|b| sha256_hex(&b));
            let files = created.len();
            e.note = Some(
                match from {
                    Some(f) => ChangeNote::CopiedReport {
                        from: f.to_string(),
                        files,
                    },
                    None => ChangeNote::StarterReport { files },
                }
                .to_string(),
            );
            lock.append(&e)?;
        }
        Ok(created)
    }

    /// Marks a version (default: the newest) of a report and period as issued.
    /// Văn phòng only; written atomically and logged.
    pub fn issue_version(&self, actor: &Actor, report: &str, period: &str, version: Option<u32>) -> Result<Issued> {
        allow_office(actor, Refused::Issue)?;
        let req = self.request(report, period)?;
        let paths = OutputPaths::new(&self.root.join("out"), report, period);
        let lock = self.log_lock(req.period)?;
        let issued = issuance::mark(&paths, version, &actor.name)?;
        let mut e = Entry::new(
            &actor.name,
            Kind::Issue,
            audit::shown(&self.root, &paths.version_pdf(issued.version)),
        );
        e.note = Some(
            ChangeNote::Issued {
                report: report.to_string(),
                period: period.to_string(),
                version: issued.version,
            }
            .to_string(),
        );
        e.sha256 = Some(issued.sha256_pdf.clone());
        lock.append(&e)?;
        Ok(issued)
    }

    /// The issues (ban hành) of a report and period, oldest first.
    pub fn issues_of(&self, req: &Request) -> Vec<Issued> {
        issuance::issued(&OutputPaths::new(&self.root.join("out"), &req.report, &req.period.to_string()))
    }

    /// The log of `period` (oldest first) and warnings for lines that could not be read.
    pub fn change_log(&self, period: Period) -> (Vec<Entry>, Vec<String>) {
        let dir = issuance::log_dir(self, period);
        audit::read(&dir, &self.rel(&audit::log_path(&dir)))
    }

    /// Every logged change of one cell (indicator `code`, `column`) of a sector
    /// file, oldest first. Refused for a sector the actor may not read.
    pub fn cell_history(&self, actor: &Actor, period: &str, file: &str, code: &str, column: &str) -> Result<Vec<Entry>> {
        let p = parse_period(period)?;
        let path = self.allow_read_sector(actor, period, file)?;
        let rel = audit::shown(&self.root, &path);
        let is_cell = |c: &audit::CellChange| c.column == column && (c.code == code || c.code.ends_with(&format!(".{code}")));
        Ok(self
            .change_log(p)
            .0
            .into_iter()
            .filter(|e| e.file == rel && e.cells.iter().any(is_cell))
            .map(|mut e| {
                e.cells.retain(is_cell);
                e
            })
            .collect())
    }
}

/// A reason as given: trimmed, none when empty.
fn clean_reason(reason: Option<&str>) -> Option<String> {
    reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_string)
}

/// The refusal for `actor` and `what`.
fn forbidden(actor: &Actor, what: Refused) -> Error {
    Error::Forbidden {
        who: actor.name.clone(),
        what: what.to_string(),
    }
}

/// Refuses anybody but Văn phòng.
fn allow_office(actor: &Actor, what: Refused) -> Result<()> {
    if actor.is_office() {
        Ok(())
    } else {
        Err(forbidden(actor, what))
    }
}

/// One page of the preview: its frame's hash and, when it changed, its SVG
/// and its laid-out text (line by line, for search and screen readers).
pub struct PageImage {
    pub hash: u128,
    pub svg: Option<String>,
    pub text: Option<String>,
}

/// SVG images of the pages whose frames differ from `previous` (hashes of the
/// last preview, by page); unchanged pages get no new image.
pub fn page_images(doc: &typst_layout::PagedDocument, previous: &[u128]) -> Vec<PageImage> {
    let hashes: Vec<u128> = doc.pages().iter().map(|p| typst::utils::hash128(&p.frame)).collect();
    let any_changed = hashes.iter().enumerate().any(|(i, h)| previous.get(i) != Some(h));
    let mut texts = if any_changed { layout::text::pages(doc) } else { vec![] }.into_iter();
    doc.pages()
        .iter()
        .zip(hashes)
        .enumerate()
        .map(|(i, (p, hash))| {
            let changed = previous.get(i) != Some(&hash);
            let lines = texts.next().unwrap_or_default();
            PageImage {
                hash,
                svg: changed.then(|| typst_svg::svg(p, &typst_svg::SvgOptions::default())),
                text: changed.then(|| lines.iter().map(|l| l.text()).collect::<Vec<_>>().join("\n")),
            }
        })
        .collect()
}

/// Lower-case extension of a path.
fn ext(p: &Path) -> String {
    p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// The tables of a sector file's bytes (CSV: one, named after the file; xlsx: one per sheet).
fn read_tables(path: &Path, shown: &Path, bytes: &[u8]) -> Vec<table::Table> {
    let mut f = Findings::default();
    if ext(path) == "xlsx" {
        table::read_xlsx(path, shown, &mut f)
    } else {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        table::decode(bytes, shown, &mut f)
            .and_then(|t| table::parse_csv(&t, shown, stem, &mut f))
            .into_iter()
            .collect()
    }
}

fn cell_text(c: &table::Cell) -> String {
    match c {
        table::Cell::Text(t) => t.clone(),
        table::Cell::Number(n) => number::format_trim(*n, 6),
    }
}

/// Builds the page view of one table.
fn sector_view(t: &table::Table, file: &str, bytes: &[u8], data: &figures::PeriodData, findings: &Findings) -> SectorView {
    let col = |n: &str| t.header.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == n);
    // Value and prior year always; plan columns only when the file fills them.
    let used = |c: &str| {
        col(c).is_some_and(|i| c == "gia_tri" || c == "cung_ky" || t.rows.iter().any(|r| r.cells.get(i).is_some_and(|x| !x.is_blank())))
    };
    let columns: Vec<String> = EDITABLE.iter().filter(|c| used(c)).map(|c| c.to_string()).collect();
    let sector = data.sectors.get(&t.sector);
    let mine: Vec<_> = findings.0.iter().filter(|f| f.location.file == t.source).collect();
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
                    .map(|f| f.to_string())
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
        findings: mine.iter().filter(|f| f.location.line.is_none()).map(|f| f.to_string()).collect(),
    }
}

/// The derived comparisons of an indicator, as the report words them.
fn comparisons(i: &figures::Indicator) -> Vec<String> {
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

/// Findings of a candidate file's bytes, as the loader reports them (it reads
/// a scratch folder holding only this file; messages name the real place).
fn validate_bytes(target: &Path, shown: &Path, bytes: &[u8]) -> Findings {
    scratch_read(target, shown, bytes).0
}

/// The findings and the sector names of a candidate file's bytes.
fn scratch_read(target: &Path, shown: &Path, bytes: &[u8]) -> (Findings, Vec<String>) {
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = std::env::temp_dir().join(format!("baocao-kiem-tra-{}-{n}", std::process::id()));
    let name = target.file_name().unwrap_or_default();
    let mut f = Findings::default();
    let read = std::fs::create_dir_all(&tmp)
        .and_then(|_| std::fs::write(tmp.join(name), bytes))
        .map_err(|e| e.to_string())
        .and_then(|_| figures::read_folder(&tmp, &tmp, Period::Year { year: 2000 }).map_err(|e| e.to_string()));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut sectors = Vec::new();
    match read {
        Ok(d) => {
            sectors = d.sectors.keys().cloned().collect();
            let parent = shown.parent().unwrap_or(Path::new(""));
            for mut x in d.findings.0 {
                x.location.file = parent.join(&x.location.file);
                f.0.push(x);
            }
            if d.sectors.is_empty() && !f.has_errors() {
                f.push(Severity::Error, crate::error::Location::file(shown), None, Problem::EmptyFile);
            }
        }
        Err(detail) => f.push(
            Severity::Error,
            crate::error::Location::file(shown),
            None,
            Problem::CsvSyntax { detail },
        ),
    }
    (f, sectors)
}

/// Refuses `new` when it has an error finding that `old` did not have.
fn refuse_new_errors(path: &Path, shown: &Path, old: &[u8], new: &[u8]) -> Result<()> {
    let before: Vec<String> = validate_bytes(path, shown, old).0.iter().map(|f| f.to_string()).collect();
    let fresh: Vec<String> = validate_bytes(path, shown, new)
        .0
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.to_string())
        .filter(|s| !before.contains(s))
        .collect();
    if fresh.is_empty() {
        Ok(())
    } else {
        Err(Error::BadCell(fresh.join("\n")))
    }
}

/// What differs between the version a page saw and the file now, cell by cell.
fn describe_changes(path: &Path, shown: &Path, seen: Option<&[u8]>, now: &[u8]) -> String {
    let Some(seen) = seen else {
        return ChangeDescription::NoOldCopy.to_string();
    };
    let (a, b) = (read_tables(path, shown, seen), read_tables(path, shown, now));
    let mut out = Vec::new();
    for (ta, tb) in a.iter().zip(&b) {
        for (ra, rb) in ta.rows.iter().zip(&tb.rows) {
            for (j, (ca, cb)) in ra.cells.iter().zip(&rb.cells).enumerate() {
                if ca != cb {
                    let code = ra.cells.first().map(cell_text).unwrap_or_default();
                    let column = ta.header.get(j).cloned().unwrap_or_default();
                    out.push(ChangeDescription::Cell {
                        line: ra.line,
                        code,
                        column,
                        old: cell_text(ca).trim().to_string(),
                        new: cell_text(cb).trim().to_string(),
                    });
                }
            }
        }
        if ta.rows.len() != tb.rows.len() {
            out.push(ChangeDescription::RowCount {
                before: ta.rows.len(),
                after: tb.rows.len(),
            });
        }
    }
    if out.is_empty() {
        ChangeDescription::FormatOnly.to_string()
    } else {
        out.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    }
}

/// Refuses a workbook whose archive would unpack to more than [`MAX_UNPACKED_BYTES`]
/// (reads every entry through a bounded reader; declared sizes are not trusted).
pub fn zip_guard(bytes: &[u8]) -> std::result::Result<(), String> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| UploadProblem::NotXlsx(e.to_string()).to_string())?;
    let mut total: u64 = 0;
    for i in 0..z.len() {
        let mut f = z.by_index(i).map_err(|e| UploadProblem::BrokenXlsx(e.to_string()).to_string())?;
        let left = MAX_UNPACKED_BYTES.saturating_sub(total) + 1;
        let n = std::io::copy(&mut (&mut f).take(left), &mut std::io::sink())
            .map_err(|e| UploadProblem::BrokenXlsx(e.to_string()).to_string())?;
        total += n;
        if total > MAX_UNPACKED_BYTES {
            return Err(UploadProblem::Unpacked {
                mb: MAX_UNPACKED_BYTES / 1_000_000,
            }
            .to_string());
        }
    }
    Ok(())
}

/// Number of pages of a PDF written by typst (counts page objects).
fn pdf_pages(pdf: &[u8]) -> usize {
    [&b"/Type /Page"[..], &b"/Type/Page"[..]]
        .iter()
        .map(|pat| {
            pdf.windows(pat.len() + 1)
                .filter(|w| &w[..pat.len()] == *pat && !w[pat.len()].is_ascii_alphabetic())
                .count()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_their_folder_are_refused() {
        for bad in [
            "..",
            "../x",
            "a/b",
            "a\\b",
            "/etc/passwd",
            "a\0b",
            "",
            ".an",
            "C:x",
            "con.csv",
            "NUL",
            "Com1.xlsx",
            "lpt9",
            "a.csv.",
            "a ",
        ] {
            assert!(matches!(check_name(bad), Err(Error::BadName(_))), "{bad:?}");
        }
        assert!(check_name("nong_nghiep.csv").is_ok());
        assert!(check_name("2026-02").is_ok());
        assert!(check_name("cong_nghiep.csv").is_ok() && check_name("com10.csv").is_ok() && check_name("console.csv").is_ok());
    }

    #[test]
    fn pages_are_counted_in_both_spellings() {
        assert_eq!(pdf_pages(b"<< /Type /Pages >> << /Type /Page >> << /Type/Page/Parent 1 >>"), 2);
    }

    #[test]
    fn zip_guard_refuses_garbage() {
        assert!(zip_guard(b"not a zip").is_err());
    }

    /// A scratch copy of the repository's data and templates.
    fn scratch() -> (tempfile::TempDir, Project) {
        fn copy(from: &Path, to: &Path) {
            std::fs::create_dir_all(to).unwrap();
            for e in std::fs::read_dir(from).unwrap().flatten() {
                let t = to.join(e.file_name());
                if e.path().is_dir() {
                    copy(&e.path(), &t)
                } else {
                    std::fs::copy(e.path(), t).unwrap();
                }
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy(&repo.join("data/2026-02"), &dir.path().join("data/2026-02"));
        copy(&repo.join("templates"), &dir.path().join("templates"));
        let p = Project::open(dir.path());
        (dir, p)
    }

    fn department(sector: &str) -> Actor {
        Actor {
            name: format!("so-{sector}"),
            role: crate::office::actor::Role::Department,
            sectors: vec![sector.to_string()],
        }
    }

    fn save(p: &Project, who: &Actor, file: &str, code: &str, value: &str, reason: Option<&str>) -> Result<Saved> {
        let path = p.root.join("data/2026-02").join(file);
        let hash = sha256_hex(&std::fs::read(path).unwrap());
        let sheet = file.trim_end_matches(".csv");
        p.save_value(who, "2026-02", file, sheet, code, "gia_tri", value, &hash, None, reason)
    }

    #[test]
    fn a_department_changes_only_its_own_sector_and_never_fragments_or_periods() {
        let (dir, p) = scratch();
        let y_te = department("y_te");
        let tc = dir.path().join("data/2026-02/tai_chinh.csv");
        let before = std::fs::read(&tc).unwrap();
        assert!(save(&p, &y_te, "y_te.csv", "tay_chan_mieng", "130", None).is_ok());
        let refused = save(&p, &y_te, "tai_chinh.csv", "chi_nsdp", "900", None);
        assert!(matches!(refused, Err(Error::Forbidden { .. })), "{refused:?}");
        let upload = p.replace_sector(&y_te, "2026-02", "tai_chinh.csv", &before, None);
        assert!(matches!(upload, Err(Error::Forbidden { .. })), "{upload:?}");
        assert_eq!(std::fs::read(&tc).unwrap(), before);
        let history = p.cell_history(&y_te, "2026-02", "tai_chinh.csv", "chi_nsdp", "gia_tri");
        assert!(matches!(history, Err(Error::Forbidden { .. })));
        let own = p.cell_history(&y_te, "2026-02", "y_te.csv", "tay_chan_mieng", "gia_tri").unwrap();
        assert_eq!(
            (own.len(), own[0].who.as_str(), own[0].cells[0].new.as_str()),
            (1, "so-y_te", "130")
        );
        let name = p.fragment_names("bao-cao-thang").unwrap()[0].clone();
        let (_, hash) = p.read_fragment("bao-cao-thang", &name).unwrap();
        let period = Period::Month { year: 2026, month: 2 };
        let frag = p.save_fragment(&y_te, "bao-cao-thang", &name, "x", &hash, period, None);
        assert!(matches!(frag, Err(Error::Forbidden { .. })));
        assert!(matches!(p.create_next_period(&y_te), Err(Error::Forbidden { .. })));
        assert!(matches!(
            p.issue_version(&y_te, "bao-cao-thang", "2026-02", None),
            Err(Error::Forbidden { .. })
        ));
        assert!(matches!(
            p.create_report_type(&y_te, "bao-cao-moi", None),
            Err(Error::Forbidden { .. })
        ));
    }

    #[test]
    fn an_issued_period_takes_office_changes_with_a_reason_only_and_department_changes_never() {
        let (dir, p) = scratch();
        let office = Actor::local();
        let paths = OutputPaths::new(&dir.path().join("out"), "bao-cao-thang", "2026-02");
        output::save(&paths, b"%PDF issued", "", serde_json::from_str(MANIFEST).unwrap()).unwrap();
        p.issue_version(&office, "bao-cao-thang", "2026-02", None).unwrap();
        let locked = save(&p, &office, "y_te.csv", "tay_chan_mieng", "130", None);
        assert!(matches!(locked, Err(Error::Locked { .. })), "{locked:?}");
        let so = save(&p, &department("y_te"), "y_te.csv", "tay_chan_mieng", "130", Some("lý do"));
        assert!(matches!(so, Err(Error::Locked { .. })), "{so:?}");
        assert!(save(&p, &office, "y_te.csv", "tay_chan_mieng", "130", Some("Sở Y tế báo lại")).is_ok());
        let (log, warnings) = p.change_log(Period::Month { year: 2026, month: 2 });
        assert!(warnings.is_empty());
        let kinds: Vec<Kind> = log.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [Kind::Issue, Kind::EditValue]);
        assert_eq!(log[1].reason.as_deref(), Some("Sở Y tế báo lại"));
    }

    const MANIFEST: &str = r#"{"phien_ban":0,"chuong_trinh":"t","bao_cao":"bao-cao-thang","ky":"2026-02","thoi_gian":"",
        "sha256_pdf":"","tep_dau_vao":[],"canh_bao":[],"so_lieu":[]}"#;
}
