//! A period's figures as the doors change them: one cell, a whole uploaded
//! file, downloads as CSV or xlsx, and a cell's history. Every change is checked
//! before it is written (a value that does not parse, a file changed by someone
//! else since it was read, new errors in the file are refused), written
//! atomically and logged before it is reported saved.

use super::access::{bad_upload, check_name, parse_period, zip_guard, MAX_UPLOAD_BYTES};
use super::tables::{cell_text, ext, read_candidate, read_tables, validate_bytes, EDITABLE};
use super::views::RowView;
use crate::archive::issuance::{self};
use crate::archive::output::{self};
use crate::base::period::Period;
use crate::error::Findings;
use crate::error::{ChangeDescription, ChangeNote, Error, IoAction, Result, Severity, UploadProblem};
use crate::figures::edit;
use crate::figures::exchange;
use crate::figures::{self, sha256_hex, table};
use crate::office::actor::Actor;
use crate::office::audit::{self, Entry, Kind, PeriodLock};
use crate::project::Project;
use std::path::{Path, PathBuf};

/// A whole file uploaded from the tab of a sector file: `name` is the uploaded
/// file's own name (its extension says how to read it), `file` and `sheet` the tab.
#[derive(Debug, Clone)]
pub struct TabUpload {
    pub period: String,
    pub file: String,
    pub sheet: String,
    pub name: String,
    pub bytes: Vec<u8>,
    pub reason: Option<String>,
}

/// One cell edit as a door asks for it (the web page sends it as JSON). Names
/// are checked by [`Project::save_value`] before any becomes a path.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct CellEdit {
    /// The period, as written in the request ("2026-02").
    pub period: String,
    /// The sector file's name in the period folder.
    pub file: String,
    /// The sector (a workbook's sheet; the file's stem for a CSV).
    #[serde(default)]
    pub sheet: String,
    /// The indicator's code.
    pub code: String,
    /// The column edited (one of [`EDITABLE`]).
    pub column: String,
    /// The value as typed.
    pub value: String,
    /// The hash of the file as the page read it (a newer file refuses the edit).
    pub hash: String,
    /// The reason of a correction to an issued period.
    #[serde(default, rename = "ly_do")]
    pub reason: Option<String>,
}

/// Result of a successful save.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Saved {
    pub hash: String,
    pub row: Option<RowView>,
}

/// Refuses `new` when it has an error finding that `old` did not have.
pub(crate) fn refuse_new_errors(path: &Path, shown: &Path, old: &[u8], new: &[u8]) -> Result<()> {
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

/// The text of one cell (indicator `code`, `column`) of a sector file's bytes.
fn cell_of(path: &Path, shown: &Path, bytes: &[u8], sheet: &str, code: &str, column: &str) -> Option<String> {
    let tables = read_tables(path, shown, bytes);
    let t = tables.iter().find(|t| sheet.is_empty() || t.sector == sheet)?;
    let (ma, j) = (t.header.iter().position(|h| h == "ma")?, t.header.iter().position(|h| h == column)?);
    let row = t
        .rows
        .iter()
        .find(|r| r.cells.get(ma).is_some_and(|c| cell_text(c).trim() == code))?;
    Some(row.cells.get(j).map(|c| cell_text(c).trim().to_string()).unwrap_or_default())
}

/// What differs between the version a page saw and the file now, cell by cell.
pub(crate) fn describe_changes(path: &Path, shown: &Path, seen: Option<&[u8]>, now: &[u8]) -> String {
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

impl Project {
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
        crate::base::folders::check(&p)?;
        if !p.is_file() {
            return Err(Error::NotFound(self.shown(&p)));
        }
        Ok(p)
    }

    /// Saves one value (`column` of indicator `code`) of a sector file, refusing a
    /// value the loader would refuse (file untouched) and a save made against an
    /// older version of the file (`expected_hash`; `seen` is that version, if known).
    /// Refuses what `actor` may not touch and, in an issued period, a change
    /// without `reason`. The change is logged (and on disk) before this returns.
    pub fn save_value(&self, actor: &Actor, edit: &CellEdit, seen: Option<&[u8]>) -> Result<Saved> {
        self.save_value_then(actor, edit, seen, || ())
    }

    /// [`Project::save_value`], calling `checked` once the new value has passed
    /// every check, before it is written: from then until this returns, the live
    /// preview ([`Project::lay_out_draft`]) reads the file as it is being
    /// written, so a preview started by `checked` does not wait for the disk.
    /// Should the save then fail, the caller lays the preview out again (it
    /// reads the disk once this has returned).
    pub fn save_value_then(&self, actor: &Actor, edit: &CellEdit, seen: Option<&[u8]>, checked: impl FnOnce()) -> Result<Saved> {
        let CellEdit {
            period,
            file,
            sheet,
            code,
            column,
            value: text,
            hash: expected_hash,
            reason,
            ..
        } = edit;
        let (period, file, sheet, code, column) = (period.as_str(), file.as_str(), sheet.as_str(), code.as_str(), column.as_str());
        let (text, expected_hash) = (text.as_str(), expected_hash.as_str());
        let reason = reason.as_deref();
        let p = parse_period(period)?;
        self.allow_file_by_name(actor, period, file, true)?;
        self.allow_change_file(actor, period, file, sheet)?;
        let path = self.sector_path(period, file)?;
        let shown = self.shown(&path);
        if !EDITABLE.contains(&column) {
            return Err(Error::UnknownCell {
                file: shown,
                code: code.into(),
                column: column.into(),
            });
        }
        // The issued-period check inside the period lock: "Ban hành" takes the same
        // lock, so no edit without a reason can land after an issue.
        let lock = PeriodLock::take(path.parent().unwrap_or(Path::new(".")))?;
        let reason = self.allow_figures_change(actor, p, reason)?;
        let old = crate::base::folders::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        self.allow_sectors(actor, period, &path, &old, true)?;
        self.notice_before_change(&lock, &path, &old)?;
        // Changed since the page was given it: the edit still lands when this very
        // cell is as the page showed it (another person saved other cells); never
        // over a value the page did not show.
        let unchanged_here = || {
            let seen = seen?;
            let then = cell_of(&path, &shown, seen, sheet, code, column)?;
            (cell_of(&path, &shown, &old, sheet, code, column)? == then).then_some(())
        };
        if sha256_hex(&old) != expected_hash && unchanged_here().is_none() {
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
        let saving = self.being_saved.begin(&path, &new);
        checked();
        // What the log says of the change is worked out as the preview starts.
        let mut e = self.entry(actor, Kind::EditValue, &path, reason);
        e.cells = audit::cell_changes(&path, &old, &new);
        self.write_and_commit(&lock, e, &path, &new)?;
        drop(saving);
        Ok(Saved {
            hash: sha256_hex(&new),
            row: None,
        })
    }

    /// A log entry for a change of `path` by `actor`.
    pub(crate) fn entry(&self, actor: &Actor, kind: Kind, path: &Path, reason: Option<String>) -> Entry {
        let mut e = Entry::new(&actor.name, kind, audit::shown(&self.root, path));
        e.reason = reason;
        e
    }

    /// Logs a change already written to the period's file `path` (its new
    /// bytes `new`), then keeps the copy the next load compares against.
    pub(crate) fn commit(&self, lock: &PeriodLock, mut e: Entry, path: &Path, new: &[u8]) -> Result<()> {
        e.sha256 = Some(sha256_hex(new));
        lock.append(&e)?;
        lock.remember(file_name(path), new)
    }

    /// Writes `new` over the period's file `path`, then [`Project::commit`]s it.
    /// The last-seen copy is written and synced on another thread meanwhile and
    /// renamed in last, as in `commit`: after the file and its log line are on
    /// disk (a failed write leaves neither log line nor copy).
    pub(crate) fn write_and_commit(&self, lock: &PeriodLock, mut e: Entry, path: &Path, new: &[u8]) -> Result<()> {
        e.sha256 = Some(sha256_hex(new));
        let (logged, staged) = std::thread::scope(|s| {
            let staging = s.spawn(|| lock.stage_copy(file_name(path), new));
            let logged = output::write_atomic(path, new).and_then(|()| lock.append(&e));
            (logged, staging.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
        });
        logged?;
        staged?.put()
    }

    /// Logs a change made outside baocao to `path` before baocao changes it.
    pub(crate) fn notice_before_change(&self, lock: &PeriodLock, path: &Path, bytes: &[u8]) -> Result<()> {
        audit::notice_file(lock, &self.root, path, bytes).map(|_| ())
    }

    /// Replaces a sector file by an uploaded one after validating it; the old file
    /// is kept in `data/<period>/ban-cu/`. Returns the kept copy's path, if any.
    /// Refuses what `actor` may not touch (the new file's sectors and the old
    /// one's) and, in an issued period, an upload without `reason`; logged.
    pub fn replace_sector(&self, actor: &Actor, period: &str, file: &str, bytes: &[u8], reason: Option<&str>) -> Result<Option<PathBuf>> {
        let (p, dir, target) = self.checked_upload(actor, period, file, bytes)?;
        let lock = PeriodLock::take(&dir)?;
        let reason = self.allow_figures_change(actor, p, reason)?;
        let old = crate::base::folders::read(&target).ok();
        if let Some(old) = &old {
            self.allow_sectors(actor, period, &target, old, true)?;
            self.notice_before_change(&lock, &target, old)?;
        }
        self.refuse_duplicate_sectors(&dir, &target, bytes).map_err(bad_upload(file))?;
        let kept = match &old {
            Some(old) => Some(self.keep_old_copy(&dir, file, old)?),
            None => None,
        };
        let mut entry = self.entry(actor, Kind::Upload, &target, reason);
        entry.cells = old.as_deref().map(|o| audit::cell_changes(&target, o, bytes)).unwrap_or_default();
        entry.note = Some(
            match &kept {
                Some(k) => ChangeNote::KeptAt(k.clone()),
                None => ChangeNote::NewFile,
            }
            .to_string(),
        );
        self.write_and_commit(&lock, entry, &target, bytes)?;
        Ok(kept)
    }

    /// An upload made from the tab of `file` (and `sheet`): a file of any name the
    /// page or Excel gave it (`chinh_quyen-2026-03.csv`, `Báo cáo T3.xlsx`), .csv
    /// or .xlsx whatever `file` is stored as, with title rows above its header.
    /// It is converted to the stored file's format and replaces it (see
    /// [`Project::replace_sector`]); what its name or values say about its
    /// period comes back as warnings. Nothing is written when it cannot be read.
    pub fn upload_to_tab(&self, actor: &Actor, up: &TabUpload) -> Result<(Option<PathBuf>, Findings)> {
        let p = parse_period(&up.period)?;
        self.allow_file_by_name(actor, &up.period, &up.file, true)?;
        // The tab decides whose file this is: only the tab's sector is read from the
        // upload (a single sheet whatever Excel named it, or the sheet named for it).
        self.allow_change_file(actor, &up.period, &up.file, &up.sheet)?;
        let target = self.sector_path(&up.period, &up.file)?;
        let stored = crate::base::folders::read(&target).map_err(|e| Error::io(IoAction::Read, &target, e))?;
        let (bytes, findings) = self.upload_as_stored(p, &target, &stored, up)?;
        let kept = self.replace_sector(actor, &up.period, &up.file, &bytes, up.reason.as_deref())?;
        Ok((kept, findings))
    }

    /// The uploaded bytes as `target` stores them, and warnings about their period.
    fn upload_as_stored(&self, p: Period, target: &Path, stored: &[u8], up: &TabUpload) -> Result<(Vec<u8>, Findings)> {
        let bad = bad_upload(&up.name);
        let name = exchange::upload_name(&up.name).ok_or_else(|| bad(UploadProblem::NotATable.to_string()))?;
        if up.bytes.len() as u64 > MAX_UPLOAD_BYTES {
            return Err(Error::UploadTooLarge {
                bytes: up.bytes.len() as u64,
                limit: MAX_UPLOAD_BYTES,
            });
        }
        if name.xlsx {
            zip_guard(&up.bytes).map_err(&bad)?;
        }
        let shown = self.shown(target);
        let stem = target.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let sector = if up.sheet.is_empty() { stem } else { up.sheet.as_str() };
        let mut findings = Findings::default();
        let table = exchange::read_upload(&up.bytes, &name, &shown, sector, &mut findings);
        let table = match (table, refusing(&findings)) {
            (Some(t), None) => t,
            (_, why) => return Err(bad(why.unwrap_or_else(|| findings.to_string()))),
        };
        if let Ok(kept) = self.one_table(target, stored, &up.sheet) {
            exchange::check_same_sector(&table, &kept).map_err(|e| bad(e.to_string()))?;
        }
        exchange::check_name_period(&name, p, &shown, &mut findings);
        if let Some(last) = self.previous_month_data(p) {
            exchange::check_not_last_month(&table, &last, &shown, &mut findings);
        }
        let bytes = exchange::to_stored_format(&table, stored, ext(target) == "xlsx").map_err(|e| bad(e.to_string()))?;
        Ok((bytes, findings))
    }

    /// The figures of the month before `p`, when it has a folder (for "same as last month").
    fn previous_month_data(&self, p: Period) -> Option<figures::PeriodData> {
        let prev = p.is_month().then(|| p.previous())?;
        self.data_dir().join(prev.to_string()).is_dir().then_some(())?;
        figures::load_month(&self.root, &self.data_dir(), prev).ok()
    }

    /// An upload's period, period folder and target path, once its name, size,
    /// content and sectors pass (nothing is written).
    pub(crate) fn checked_upload(&self, actor: &Actor, period: &str, file: &str, bytes: &[u8]) -> Result<(Period, PathBuf, PathBuf)> {
        let p = parse_period(period)?;
        check_name(file)?;
        let e = ext(Path::new(file));
        if e != "csv" && e != "xlsx" {
            return Err(Error::BadName(file.to_string()));
        }
        self.allow_file_by_name(actor, period, file, true)?;
        if bytes.len() as u64 > MAX_UPLOAD_BYTES {
            return Err(Error::UploadTooLarge {
                bytes: bytes.len() as u64,
                limit: MAX_UPLOAD_BYTES,
            });
        }
        let dir = self.data_dir().join(period);
        if !dir.is_dir() {
            return Err(Error::NotFound(self.shown(&dir)));
        }
        let bad = bad_upload(file);
        if e == "xlsx" {
            zip_guard(bytes).map_err(&bad)?;
        }
        let target = dir.join(file);
        crate::base::folders::check(&target)?;
        let findings = validate_bytes(&target, &self.shown(&target), bytes);
        if let Some(why) = refusing(&findings) {
            return Err(bad(why));
        }
        // A file replacing one of the same name holds that file's sectors, not another's.
        if let Ok(stored) = crate::base::folders::read(&target) {
            let shown = self.shown(&target);
            let stored = read_tables(&target, &shown, &stored);
            for new in read_tables(&target, &shown, bytes) {
                if let Some(old) = stored.iter().find(|t| t.sector == new.sector) {
                    exchange::check_same_sector(&new, old).map_err(|e| bad(e.to_string()))?;
                }
            }
        }
        self.allow_sectors(actor, period, &target, bytes, true)?;
        Ok((p, dir, target))
    }

    /// Keeps the file an upload replaces as `data/<period>/ban-cu/<time>-<file>`.
    pub(crate) fn keep_old_copy(&self, dir: &Path, file: &str, old: &[u8]) -> Result<PathBuf> {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let keep = dir.join("ban-cu").join(format!("{stamp}-{file}"));
        output::write_atomic(&keep, old)?;
        Ok(self.shown(&keep))
    }

    /// Refuses an upload whose sectors another file of the period already holds.
    pub(crate) fn refuse_duplicate_sectors(&self, dir: &Path, target: &Path, bytes: &[u8]) -> std::result::Result<(), String> {
        let shown = self.shown(target);
        let mine = read_candidate(target, &shown, bytes).1;
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

    /// A sector's bytes for a download in `format` ("csv" or "xlsx") and their
    /// content type, when `actor` may read the file.
    pub fn sector_download(&self, actor: &Actor, period: &str, file: &str, sheet: &str, format: &str) -> Result<(Vec<u8>, &'static str)> {
        self.allow_read_file(actor, period, file, sheet)?;
        match format {
            "csv" => Ok((self.sector_csv(period, file, sheet)?, "text/csv; charset=utf-8")),
            "xlsx" => Ok((
                self.sector_xlsx(period, file, sheet)?,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )),
            other => Err(Error::BadName(other.to_string())),
        }
    }

    /// A sector as a CSV download: UTF-8 BOM for Excel, formula-safe cells.
    pub fn sector_csv(&self, period: &str, file: &str, sheet: &str) -> Result<Vec<u8>> {
        let path = self.sector_path(period, file)?;
        let bytes = crate::base::folders::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        Ok(exchange::table_csv(&self.one_table(&path, &bytes, sheet)?))
    }

    /// A sector as an .xlsx workbook with one sheet named after the sector.
    pub fn sector_xlsx(&self, period: &str, file: &str, sheet: &str) -> Result<Vec<u8>> {
        let path = self.sector_path(period, file)?;
        let bytes = crate::base::folders::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        let t = self.one_table(&path, &bytes, sheet)?;
        exchange::table_xlsx(&t).map_err(|e| Error::io(IoAction::Write, &path, std::io::Error::other(e.to_string())))
    }

    pub(crate) fn one_table(&self, path: &Path, bytes: &[u8], sheet: &str) -> Result<table::Table> {
        read_tables(path, &self.shown(path), bytes)
            .into_iter()
            .find(|t| sheet.is_empty() || t.sector == sheet)
            .ok_or_else(|| Error::NotFound(self.shown(path)))
    }

    /// Every logged change of one cell (indicator `code`, `column`) of a sector
    /// file, oldest first. Refused for a sector the actor may not read.
    pub fn cell_history(&self, actor: &Actor, period: &str, file: &str, code: &str, column: &str) -> Result<Vec<Entry>> {
        let p = parse_period(period)?;
        let path = self.allow_read_sector(actor, period, file)?;
        let rel = audit::shown(&self.root, &path);
        let is_cell = |c: &audit::CellChange| c.column == column && (c.code == code || c.code.ends_with(&format!(".{code}")));
        let people = self.people();
        Ok(self
            .change_log(p)
            .0
            .into_iter()
            .filter(|e| e.file == rel && e.cells.iter().any(is_cell))
            .map(|mut e| {
                e.cells.retain(is_cell);
                e.who = people.shown(&e.who);
                e
            })
            .collect())
    }

    /// The lock of the folder whose log records `period`'s changes (created if needed).
    pub(crate) fn log_lock(&self, period: Period) -> Result<PeriodLock> {
        let dir = issuance::log_dir(self, period);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(IoAction::CreateDir, &dir, e))?;
        PeriodLock::take(&dir)
    }
}

/// What refuses an upload: its errors other than blank values (a department's
/// file comes as it is ready; its blanks stay placeholders in the draft and are
/// listed in "Việc còn lại"), or `None` when it may be taken.
fn refusing(findings: &Findings) -> Option<String> {
    let blocking: Vec<String> = findings
        .0
        .iter()
        .filter(|f| f.severity == crate::error::Severity::Error && f.problem != crate::error::Problem::MissingValue)
        .map(|f| f.to_string())
        .collect();
    (!blocking.is_empty()).then(|| blocking.join("\n"))
}

/// The file name of a period's file (its last-seen copy's name).
fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An .xlsx holding the one-row sector table with `value`.
    fn workbook(value: &str) -> Vec<u8> {
        let csv = format!("ma,ten,don_vi,gia_tri\ndan_trau,Dan trau,con,{value}\n");
        let p = Path::new("nong_nghiep.csv");
        let t = table::tables_of(csv.as_bytes(), p, p, &mut Findings::default()).remove(0);
        exchange::table_xlsx(&t).unwrap()
    }

    #[test]
    fn a_stale_xlsx_save_names_the_cell_that_changed_in_between() {
        // Both copies are read from their bytes, not from the file on disk (here none).
        let p = Path::new("data/2041-01/nong_nghiep.xlsx");
        let said = describe_changes(p, p, Some(&workbook("84.860")), &workbook("84.999"));
        assert!(said.contains("84.860") && said.contains("84.999"), "{said}");
    }
}
