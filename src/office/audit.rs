//! The change log (nhật ký) of a period: every change made through baocao and
//! every change noticed from outside it, one JSON object per line in
//! `data/<period>/nhat-ky.jsonl`, appended and never rewritten.
//!
//! * A change takes the period's lock ([`PeriodLock`]: an in-process mutex per
//!   period folder plus an OS file lock on `data/<period>/.nhat-ky/khoa`, so
//!   threads and processes queue), writes its file, appends its line with one
//!   `write_all` on a file opened for append and `sync_data`, and only then
//!   returns: the log's order is the files' order.
//! * `data/<period>/.nhat-ky/<file>` keeps a copy of each sector file as baocao
//!   last saw it. At each load of the period ([`notice_outside_changes`]) a file
//!   whose hash differs from the last one the log recorded is logged once as
//!   "đổi ngoài baocao", with the cells that differ from that copy.
//! * A line cut short by a crash is skipped with a warning when read; the next
//!   append starts on a new line.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use serde::{Deserialize, Serialize};

use crate::error::{ChangeKindName, ChangeNote, Error, Findings, IoAction, Location, Problem, Result, Severity};
use crate::figures::{sha256_hex, table};

/// The log's file name inside a period folder.
pub use crate::figures::LOG_FILE;
/// The folder (inside a period folder) holding the last-seen copies and the lock.
pub const SNAPSHOT_DIR: &str = ".nhat-ky";

/// Whether `rel` (a path inside the project) is baocao's own bookkeeping rather
/// than an input: the change log, its snapshots, kept old copies (`ban-cu/`),
/// hidden marks and temporary files. A watcher never takes these for an edit.
pub fn is_bookkeeping(rel: &Path) -> bool {
    rel.components().any(|c| {
        let s = c.as_os_str().to_string_lossy();
        s == LOG_FILE || s == "ban-cu" || s.starts_with('.')
    })
}

/// What kind of change an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    #[serde(rename = "sua-so-lieu")]
    EditValue,
    #[serde(rename = "tai-len")]
    Upload,
    #[serde(rename = "sua-doan-van")]
    EditFragment,
    #[serde(rename = "sua-mau")]
    EditManifest,
    #[serde(rename = "tao-ky-moi")]
    NewPeriod,
    #[serde(rename = "tao-loai-bao-cao")]
    NewReport,
    #[serde(rename = "ban-hanh")]
    Issue,
    #[serde(rename = "dinh-chinh")]
    Correction,
    #[serde(rename = "doi-ngoai-baocao")]
    Outside,
}

impl Kind {
    /// The Vietnamese name printed by `baocao nhat-ky`.
    pub fn label(self) -> ChangeKindName {
        match self {
            Kind::EditValue => ChangeKindName::EditValue,
            Kind::Upload => ChangeKindName::Upload,
            Kind::EditFragment => ChangeKindName::EditFragment,
            Kind::EditManifest => ChangeKindName::EditManifest,
            Kind::NewPeriod => ChangeKindName::NewPeriod,
            Kind::NewReport => ChangeKindName::NewReport,
            Kind::Issue => ChangeKindName::Issue,
            Kind::Correction => ChangeKindName::Correction,
            Kind::Outside => ChangeKindName::Outside,
        }
    }
}

/// One cell (or line of a fragment) that changed: indicator code, column, old and new text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellChange {
    #[serde(rename = "ma")]
    pub code: String,
    #[serde(rename = "cot")]
    pub column: String,
    #[serde(rename = "cu")]
    pub old: String,
    #[serde(rename = "moi")]
    pub new: String,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Local time with its offset (RFC 3339).
    #[serde(rename = "thoi_gian")]
    pub time: String,
    #[serde(rename = "nguoi")]
    pub who: String,
    #[serde(rename = "loai")]
    pub kind: Kind,
    /// The file changed, relative to the project folder (`data/2026-02/y_te.csv`).
    #[serde(rename = "tep")]
    pub file: String,
    #[serde(rename = "o", default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<CellChange>,
    #[serde(rename = "ly_do", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// SHA-256 of the file after the change.
    #[serde(rename = "sha256", default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Anything else worth knowing ("từ kỳ 2026-02", "phiên bản 3").
    #[serde(rename = "ghi_chu", default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Entry {
    /// A new entry stamped now.
    pub fn new(who: &str, kind: Kind, file: impl Into<String>) -> Entry {
        Entry {
            time: now(),
            who: who.to_string(),
            kind,
            file: file.into(),
            cells: Vec::new(),
            reason: None,
            sha256: None,
            note: None,
        }
    }

    /// One line for people: time ("19:00 ngày 05/12/2026", local), who, kind, file, changes, reason.
    pub fn describe(&self) -> String {
        let time = crate::base::words::time(&self.time);
        let mut s = format!("{time}  {}  {}  {}", self.who, self.kind.label(), self.file);
        if !self.cells.is_empty() {
            let cells: Vec<String> = self
                .cells
                .iter()
                .map(|c| format!("{} {}: \"{}\" → \"{}\"", c.code, c.column, c.old, c.new))
                .collect();
            s.push_str(&format!("  [{}]", cells.join("; ")));
        }
        if let Some(n) = &self.note {
            s.push_str(&format!("  ({n})"));
        }
        if let Some(r) = &self.reason {
            s.push_str(&ChangeNote::Reason(r.clone()).to_string());
        }
        s
    }
}

/// Now, local time with offset, to the second.
pub fn now() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// The log file of a period folder.
pub fn log_path(period_dir: &Path) -> PathBuf {
    period_dir.join(LOG_FILE)
}

/// The last-seen copy of a file of a period folder.
fn snapshot_path(period_dir: &Path, name: &str) -> PathBuf {
    period_dir.join(SNAPSHOT_DIR).join(name)
}

/// The in-process mutex of a period folder (one per folder, kept for the process's life).
fn mutex_of(period_dir: &Path) -> &'static Mutex<()> {
    static LOCKS: OnceLock<Mutex<BTreeMap<PathBuf, &'static Mutex<()>>>> = OnceLock::new();
    let key = std::fs::canonicalize(period_dir).unwrap_or_else(|_| period_dir.to_path_buf());
    let mut map = LOCKS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    map.entry(key).or_insert_with(|| Box::leak(Box::new(Mutex::new(()))))
}

/// Held while a period's files and log change: nobody else (thread or process) writes meanwhile.
pub struct PeriodLock {
    dir: PathBuf,
    _file: std::fs::File,
    _guard: MutexGuard<'static, ()>,
}

impl PeriodLock {
    /// Waits for the period's lock (the folder must exist).
    pub fn take(period_dir: &Path) -> Result<PeriodLock> {
        let guard = mutex_of(period_dir).lock().unwrap_or_else(|e| e.into_inner());
        let dir = period_dir.join(SNAPSHOT_DIR);
        // Not through a link: the period folder, its bookkeeping folder and the lock file.
        crate::base::folders::check(&dir.join("khoa"))?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(IoAction::CreateDir, &dir, e))?;
        let path = dir.join("khoa");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(IoAction::Open, &path, e))?;
        file.lock().map_err(|e| Error::io(IoAction::Lock, &path, e))?;
        Ok(PeriodLock {
            dir: period_dir.to_path_buf(),
            _file: file,
            _guard: guard,
        })
    }

    /// The period folder this lock holds.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Appends one entry as one whole line and syncs it to disk.
    pub fn append(&self, entry: &Entry) -> Result<()> {
        let path = log_path(&self.dir);
        let io = |e| Error::io(IoAction::Write, &path, e);
        crate::base::folders::check(&path)?;
        let mut line = serde_json::to_vec(entry).map_err(|e| io(std::io::Error::other(e)))?;
        line.push(b'\n');
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(&path)
            .map_err(io)?;
        if !ends_with_newline(&mut f).map_err(io)? {
            // A line cut short by a crash: start ours on a line of its own.
            line.insert(0, b'\n');
        }
        let new_file = f.metadata().map_err(io)?.len() == 0;
        f.write_all(&line).map_err(io)?;
        f.sync_data().map_err(io)?;
        if new_file {
            crate::archive::output::sync_dir(&self.dir);
        }
        Ok(())
    }

    /// Keeps `bytes` as the last-seen copy of the period's file `name`.
    /// (Temp file, sync, rename: bookkeeping, not counted as output by the
    /// failure-injection of [`crate::archive::output::write_atomic`].)
    pub fn remember(&self, name: &str, bytes: &[u8]) -> Result<()> {
        self.stage_copy(name, bytes)?.put()
    }

    /// Writes and syncs the last-seen copy of `name` beside its place, not yet
    /// in it: [`StagedCopy::put`] renames it in (dropped unput, it is removed).
    /// Lets a save sync this copy while it writes the file and its log line.
    pub fn stage_copy(&self, name: &str, bytes: &[u8]) -> Result<StagedCopy> {
        let path = snapshot_path(&self.dir, name);
        let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        crate::base::folders::check(&path)?;
        let written = std::fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        let staged = StagedCopy { tmp, path, put: false };
        written.map_err(|e| Error::io(IoAction::Write, &staged.path, e))?;
        Ok(staged)
    }

    /// The last-seen copy of the period's file `name`, if kept.
    pub fn remembered(&self, name: &str) -> Option<Vec<u8>> {
        crate::base::folders::read(snapshot_path(&self.dir, name)).ok()
    }
}

/// A last-seen copy written and synced beside its place ([`PeriodLock::stage_copy`]).
pub struct StagedCopy {
    tmp: PathBuf,
    path: PathBuf,
    put: bool,
}

impl StagedCopy {
    /// Renames the copy into its place.
    pub fn put(mut self) -> Result<()> {
        std::fs::rename(&self.tmp, &self.path).map_err(|e| Error::io(IoAction::Write, &self.path, e))?;
        self.put = true;
        Ok(())
    }
}

impl Drop for StagedCopy {
    fn drop(&mut self) {
        if !self.put {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Whether the file is empty or ends with a newline.
fn ends_with_newline(f: &mut std::fs::File) -> std::io::Result<bool> {
    if f.metadata()?.len() == 0 {
        return Ok(true);
    }
    f.seek(SeekFrom::End(-1))?;
    let mut b = [0u8; 1];
    f.read_exact(&mut b)?;
    Ok(b[0] == b'\n')
}

/// The entries of a period folder's log, oldest first, and warnings for the
/// lines that could not be read (a line cut short by a crash is skipped).
pub fn read(period_dir: &Path, shown: &Path) -> (Vec<Entry>, Vec<String>) {
    let Ok(bytes) = crate::base::folders::read(log_path(period_dir)) else {
        return (Vec::new(), Vec::new());
    };
    let (mut entries, mut warnings) = (Vec::new(), Vec::new());
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(e) => entries.push(e),
            Err(_) => warnings.push(
                ChangeNote::UnreadableLine {
                    file: shown.to_path_buf(),
                    line: i + 1,
                }
                .to_string(),
            ),
        }
    }
    (entries, warnings)
}

/// A file path relative to the project folder, with `/` (as the log writes it).
pub fn shown(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The sector files (.csv, .xlsx) of a period folder, sorted.
pub fn sector_files(period_dir: &Path) -> Vec<PathBuf> {
    crate::figures::files_in(period_dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
            !name.starts_with("~$") && !name.starts_with('.') && (ext == "csv" || ext == "xlsx")
        })
        .collect()
}

/// Notices the sector files of a period folder changed outside baocao: each
/// file whose hash differs from the last one logged is logged once, with the
/// cells that differ from the copy baocao kept, and becomes a warning. A file
/// seen for the first time is only remembered. Problems writing the log become
/// warnings too (a read-only folder never stops a check).
pub fn notice_outside_changes(root: &Path, period_dir: &Path, findings: &mut Findings) {
    if !period_dir.is_dir() {
        return;
    }
    if let Err(e) = notice_locked(root, period_dir, findings) {
        findings.push(
            Severity::Warning,
            Location::file(shown(root, &log_path(period_dir))),
            None,
            Problem::LogUnwritable { detail: e.to_string() },
        );
    }
}

/// The same question as [`notice_outside_changes`] asked by a view (a page, the
/// live preview): each sector file whose hash differs from the one last logged
/// becomes a warning, and nothing is written (no log line, no copy, no lock
/// file). The change is logged by the next explicit action (a check, a render,
/// a PDF, an edit of that file). `hashed` holds the files the loader has just
/// read (shown path, SHA-256): those are not read again unless they differ
/// from the log, and the last-seen copy is read only when it is needed.
pub fn look_for_outside_changes(root: &Path, period_dir: &Path, hashed: &BTreeMap<String, String>, findings: &mut Findings) {
    if !period_dir.is_dir() {
        return;
    }
    let logged = super::logged::last_hashes(&log_path(period_dir));
    for path in sector_files(period_dir) {
        let rel = shown(root, &path);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let read_copy = || crate::base::folders::read(snapshot_path(period_dir, name)).ok();
        let Some(now) = hashed.get(&rel).cloned().or_else(|| small_file(&path).map(|b| sha256_hex(&b))) else {
            continue;
        };
        let mut copy = None;
        let known = match logged.get(&rel) {
            Some(k) => k.clone(),
            None => match copy.insert(read_copy()).as_deref().map(sha256_hex) {
                Some(h) => h,
                None => continue,
            },
        };
        if known == now {
            continue;
        }
        let Some(bytes) = small_file(&path) else { continue };
        let copy = copy.unwrap_or_else(read_copy);
        let copy_hash = copy.as_deref().map(sha256_hex);
        let cells = copy
            .filter(|_| copy_hash.as_deref() == Some(known.as_str()))
            .map(|old| cell_changes(&path, &old, &bytes))
            .unwrap_or_default();
        if cells.is_empty() && copy_hash.as_deref() == Some(known.as_str()) {
            continue; // only the way the file is written changed
        }
        let changes = summary(&cells);
        findings.push(Severity::Warning, Location::file(rel), None, Problem::ChangedOutside { changes });
    }
}

/// The period's sector files with their bytes; oversized files (refused by the
/// loader) and unreadable ones are left out, never read whole here.
fn readable_sector_files(period_dir: &Path) -> impl Iterator<Item = (PathBuf, Vec<u8>)> {
    sector_files(period_dir)
        .into_iter()
        .filter_map(|path| small_file(&path).map(|bytes| (path, bytes)))
}

/// A file's bytes, unless it is larger than the loader reads or unreadable.
fn small_file(path: &Path) -> Option<Vec<u8>> {
    let small = std::fs::metadata(path).is_ok_and(|m| m.len() <= table::MAX_FILE_BYTES);
    small.then(|| crate::base::folders::read(path).ok()).flatten()
}

fn notice_locked(root: &Path, period_dir: &Path, findings: &mut Findings) -> Result<()> {
    let lock = PeriodLock::take(period_dir)?;
    let logged = super::logged::last_hashes(&log_path(period_dir));
    for (path, bytes) in readable_sector_files(period_dir) {
        match notice_one(&lock, root, &path, &bytes, &logged)? {
            // Only the way the file is written changed (delimiter, BOM, line ends): logged, no warning.
            Some(e) if e.cells.is_empty() && e.note == Some(ChangeNote::FormatOnly.to_string()) => {}
            Some(e) => {
                let changes = summary(&e.cells);
                findings.push(Severity::Warning, Location::file(e.file), None, Problem::ChangedOutside { changes });
            }
            None => {}
        }
    }
    Ok(())
}

/// Logs a change made outside baocao to one file of the locked period (its
/// bytes now), if its hash is not the one last logged; returns the entry.
pub fn notice_file(lock: &PeriodLock, root: &Path, path: &Path, bytes: &[u8]) -> Result<Option<Entry>> {
    notice_one(lock, root, path, bytes, &super::logged::last_hashes(&log_path(lock.dir())))
}

fn notice_one(lock: &PeriodLock, root: &Path, path: &Path, bytes: &[u8], logged: &BTreeMap<String, String>) -> Result<Option<Entry>> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let rel = shown(root, path);
    let hash = sha256_hex(bytes);
    let copy = lock.remembered(&name);
    let copy_hash = copy.as_deref().map(sha256_hex);
    let Some(known) = logged.get(&rel).cloned().or(copy_hash.clone()) else {
        lock.remember(&name, bytes)?;
        return Ok(None);
    };
    if known == hash {
        if copy_hash.as_deref() != Some(hash.as_str()) {
            lock.remember(&name, bytes)?;
        }
        return Ok(None);
    }
    let before = copy.filter(|_| copy_hash.as_deref() == Some(known.as_str()));
    let mut e = Entry::new(&ChangeNote::OutsideWho.to_string(), Kind::Outside, rel);
    match &before {
        Some(old) => e.cells = cell_changes(path, old, bytes),
        None => e.note = Some(ChangeNote::NoCopy.to_string()),
    }
    if before.is_some() && e.cells.is_empty() {
        e.note = Some(ChangeNote::FormatOnly.to_string());
    }
    e.sha256 = Some(hash);
    lock.append(&e)?;
    lock.remember(&name, bytes)?;
    Ok(Some(e))
}

/// A short text of changed cells for a warning.
fn summary(cells: &[CellChange]) -> String {
    if cells.is_empty() {
        return ChangeNote::NoCopy.to_string();
    }
    let mut parts: Vec<String> = cells
        .iter()
        .take(5)
        .map(|c| format!("{} {}: \"{}\" → \"{}\"", c.code, c.column, c.old, c.new))
        .collect();
    if cells.len() > 5 {
        parts.push(ChangeNote::MoreCells(cells.len() - 5).to_string());
    }
    parts.join("; ")
}

/// The tables of a sector file's bytes (`path` gives the kind and the sector
/// name). Parsed once per content: the old bytes of a change were the new ones
/// of the change before.
fn tables(path: &Path, bytes: &[u8]) -> std::sync::Arc<Vec<table::Table>> {
    crate::figures::parsed_tables(bytes, path, &mut Findings::default())
}

/// Cells of each indicator row by column name: sector -> code -> column -> text.
type Cells = BTreeMap<(String, String), BTreeMap<String, String>>;

fn cells_of(path: &Path, bytes: &[u8]) -> Cells {
    let mut out = Cells::new();
    for t in tables(path, bytes).iter() {
        let header: Vec<String> = t
            .header
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        let ma = header.iter().position(|h| h == "ma");
        for r in &t.rows {
            let code = ma
                .and_then(|i| r.cells.get(i))
                .map(|c| c.text())
                .unwrap_or_else(|| ChangeNote::Line(r.line).to_string());
            let row = header.iter().cloned().zip(r.cells.iter().map(|c| c.text())).collect();
            out.insert((t.sector.clone(), code), row);
        }
    }
    out
}

/// The cells that differ between two versions of a sector file, row by
/// indicator code (`sector.code` when a workbook has several sheets).
pub fn cell_changes(path: &Path, old: &[u8], new: &[u8]) -> Vec<CellChange> {
    let (a, b) = (cells_of(path, old), cells_of(path, new));
    let sheets: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).map(|(s, _)| s).collect();
    let name = |(s, c): &(String, String)| if sheets.len() > 1 { format!("{s}.{c}") } else { c.clone() };
    let empty = BTreeMap::new();
    let mut keys: Vec<&(String, String)> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for k in keys {
        let (ra, rb) = (a.get(k).unwrap_or(&empty), b.get(k).unwrap_or(&empty));
        let mut cols: Vec<&String> = ra.keys().chain(rb.keys()).collect();
        cols.sort();
        cols.dedup();
        for col in cols.into_iter().filter(|c| *c != "ma" || ra.is_empty() || rb.is_empty()) {
            let (o, n) = (ra.get(col).cloned().unwrap_or_default(), rb.get(col).cloned().unwrap_or_default());
            if o != n {
                out.push(CellChange {
                    code: name(k),
                    column: col.clone(),
                    old: o,
                    new: n,
                });
            }
        }
    }
    out
}

/// The lines that differ between two texts (a fragment), by line number.
pub fn line_changes(old: &str, new: &str) -> Vec<CellChange> {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    (0..a.len().max(b.len()))
        .filter_map(|i| {
            let (o, n) = (a.get(i).copied().unwrap_or_default(), b.get(i).copied().unwrap_or_default());
            (o != n).then(|| CellChange {
                code: ChangeNote::Line(i + 1).to_string(),
                column: String::new(),
                old: o.to_string(),
                new: n.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staged_copy_is_in_place_only_once_put_and_leaves_nothing_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let lock = PeriodLock::take(dir.path()).unwrap();
        let listing = || {
            let mut v: Vec<String> = std::fs::read_dir(dir.path().join(SNAPSHOT_DIR))
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != "khoa")
                .collect();
            v.sort();
            v
        };
        let staged = lock.stage_copy("y_te.csv", b"ma\n").unwrap();
        assert_eq!(lock.remembered("y_te.csv"), None, "not in place before put");
        drop(staged);
        assert!(listing().is_empty(), "a dropped copy leaves no file: {:?}", listing());
        lock.stage_copy("y_te.csv", b"ma\n").unwrap().put().unwrap();
        assert_eq!(lock.remembered("y_te.csv").as_deref(), Some(&b"ma\n"[..]));
        assert_eq!(listing(), ["y_te.csv"]);
    }

    #[test]
    fn appends_whole_lines_and_skips_a_torn_one() {
        let dir = tempfile::tempdir().unwrap();
        let lock = PeriodLock::take(dir.path()).unwrap();
        lock.append(&Entry::new("a", Kind::EditValue, "data/x.csv")).unwrap();
        let mut f = std::fs::OpenOptions::new().append(true).open(log_path(dir.path())).unwrap();
        f.write_all(b"{\"thoi_gian\":\"2026").unwrap();
        lock.append(&Entry::new("b", Kind::Upload, "data/y.csv")).unwrap();
        let (entries, warnings) = read(dir.path(), Path::new("nhat-ky.jsonl"));
        assert_eq!(entries.iter().map(|e| e.who.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("dòng 2"), "{warnings:?}");
    }

    #[test]
    fn threads_never_interleave_lines() {
        let dir = tempfile::tempdir().unwrap();
        std::thread::scope(|s| {
            for t in 0..4 {
                let d = dir.path();
                s.spawn(move || {
                    for i in 0..50 {
                        let lock = PeriodLock::take(d).unwrap();
                        let mut e = Entry::new(&format!("t{t}"), Kind::EditValue, "f");
                        e.note = Some("x".repeat(i * 50));
                        lock.append(&e).unwrap();
                    }
                });
            }
        });
        let (entries, warnings) = read(dir.path(), Path::new("l"));
        assert_eq!((entries.len(), warnings.len()), (200, 0));
    }

    #[test]
    fn outside_changes_are_logged_once_and_only_value_changes_warn() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data/2026-02");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("y_te.csv");
        std::fs::write(&file, "ma,ten,gia_tri\nbac_si,B,10\n").unwrap();
        let mut f = Findings::default();
        notice_outside_changes(root.path(), &dir, &mut f);
        assert!(f.0.is_empty() && !log_path(&dir).exists(), "first sight: only remembered");
        std::fs::write(&file, "ma;ten;gia_tri\r\nbac_si;B;10\r\n").unwrap();
        notice_outside_changes(root.path(), &dir, &mut f);
        assert!(f.0.is_empty(), "format only: no warning {f}");
        std::fs::write(&file, "ma;ten;gia_tri\r\nbac_si;B;11\r\n").unwrap();
        notice_outside_changes(root.path(), &dir, &mut f);
        notice_outside_changes(root.path(), &dir, &mut f);
        assert_eq!(f.0.len(), 1, "{f}");
        assert!(f.0[0].to_string().contains("bac_si gia_tri: \"10\" → \"11\""), "{f}");
        let (entries, _) = read(&dir, Path::new(LOG_FILE));
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].note.as_deref(), Some(ChangeNote::FormatOnly.to_string().as_str()));
        assert_eq!(
            entries[1].sha256.as_deref(),
            Some(sha256_hex(&std::fs::read(&file).unwrap()).as_str())
        );
    }

    /// A view's look gives the same warnings whether or not the loader's hashes
    /// are passed, and writes nothing.
    #[test]
    fn a_look_warns_of_value_changes_only_with_or_without_the_loaders_hashes() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data/2026-02");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("y_te.csv");
        std::fs::write(&file, "ma,ten,gia_tri\nbac_si,B,10\n").unwrap();
        notice_outside_changes(root.path(), &dir, &mut Findings::default());
        let look = |with_hashes: bool| {
            let mut hashed = BTreeMap::new();
            if with_hashes {
                let h = sha256_hex(&std::fs::read(&file).unwrap());
                hashed.insert("data/2026-02/y_te.csv".to_string(), h);
            }
            let mut f = Findings::default();
            look_for_outside_changes(root.path(), &dir, &hashed, &mut f);
            f.0.iter().map(|p| p.to_string()).collect::<Vec<_>>()
        };
        assert!(look(true).is_empty() && look(false).is_empty());
        std::fs::write(&file, "ma;ten;gia_tri\r\nbac_si;B;10\r\n").unwrap();
        assert!(look(true).is_empty() && look(false).is_empty(), "format only");
        std::fs::write(&file, "ma,ten,gia_tri\nbac_si,B,12\n").unwrap();
        let (with, without) = (look(true), look(false));
        assert_eq!(with, without);
        assert_eq!(with.len(), 1);
        assert!(with[0].contains("bac_si gia_tri: \"10\" → \"12\""), "{with:?}");
        assert!(!log_path(&dir).exists(), "looking logs nothing");
    }

    #[test]
    fn cell_changes_name_code_and_column() {
        let p = Path::new("y_te.csv");
        let old = b"ma,ten,gia_tri\nbac_si,B\xc3\xa1c s\xc4\xa9,10\ngiuong,G,5\n";
        let new = b"ma,ten,gia_tri\nbac_si,B\xc3\xa1c s\xc4\xa9,12\ngiuong,G,5\n";
        let c = cell_changes(p, old, new);
        assert_eq!(
            c,
            vec![CellChange {
                code: "bac_si".into(),
                column: "gia_tri".into(),
                old: "10".into(),
                new: "12".into()
            }]
        );
        assert_eq!(line_changes("a\nb", "a\nc\nd").len(), 2);
    }
}
