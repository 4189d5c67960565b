//! Stage 5: output that never loses anything. Files are written to a
//! temporary name in the same folder and renamed into place only when complete;
//! each distinct render is also kept as a numbered version with a manifest.
//!
//! Layout under `out/`:
//! * `<report>-<period>.pdf` – the latest version (stable name);
//! * `lich-su/<report>/<period>/NNN.pdf`, `NNN.txt` (laid-out text) and
//!   `NNN.json` (manifest) – every version.
//!
//! A version is claimed by creating `NNN.claim` with `create_new` (portable:
//! the file system decides which of two concurrent renders, threads or
//! processes, gets a number). Its manifest is written last: a version without
//! `NNN.json` is a leftover of an interrupted write, never listed, and removed
//! once it is older than [`LEFTOVER_AGE`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoAction, Result};
use crate::figures::{sha256_hex, InputFile};

/// Set to make the write fail after the temporary file is complete and before
/// the rename (used by the test that checks nothing is lost).
pub const FAIL_BEFORE_RENAME_ENV: &str = "BAOCAO_FAIL_BEFORE_RENAME";
/// Set to N to make the N-th atomic write of the process fail as if the disk
/// were full (ENOSPC) after part of the data is written (tests only).
pub const FAIL_WRITE_ENV: &str = "BAOCAO_FAIL_WRITE";
/// Claims and temporary files older than this are leftovers of a killed run.
pub const LEFTOVER_AGE: Duration = Duration::from_secs(600);

/// Atomic writes so far in this process (for [`FAIL_WRITE_ENV`]) and unique temp names.
static WRITES: AtomicU64 = AtomicU64::new(0);

/// The error a full disk gives (ENOSPC where the OS has one).
fn disk_full() -> std::io::Error {
    #[cfg(unix)]
    return std::io::Error::from_raw_os_error(28);
    #[cfg(not(unix))]
    return std::io::Error::new(std::io::ErrorKind::StorageFull, "disk full");
}

/// Writes `bytes` to `path` atomically (temp file + fsync + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_as(path, bytes, false)
}

/// [`write_atomic`] for several files at once, each on its own thread (their
/// syncs to disk overlap): every file is written or the first error is
/// returned, after all have finished (a caller cleaning up finds none still writing).
/// The calling thread writes the last file itself.
pub fn write_atomic_all(files: &[(PathBuf, &[u8])]) -> Result<()> {
    let Some(((last, bytes), others)) = files.split_last() else {
        return Ok(());
    };
    let results: Vec<Result<()>> = std::thread::scope(|s| {
        let writing: Vec<_> = others.iter().map(|(p, b)| s.spawn(move || write_atomic(p, b))).collect();
        let mine = write_atomic(last, bytes);
        let theirs = writing
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        theirs.chain(std::iter::once(mine)).collect()
    });
    results.into_iter().collect()
}

/// [`write_atomic`] for a file only its owner may read (unix mode 0600, set
/// before any byte is written): the accounts file.
pub fn write_atomic_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_as(path, bytes, true)
}

fn write_atomic_as(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    // Never through a linked folder of the project (the rename itself replaces a
    // link at `path` instead of following it, but a linked folder would lead out).
    crate::base::folders::check(path)?;
    if path.is_dir() {
        return Err(Error::OutputIsDirectory(path.to_path_buf()));
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(IoAction::CreateDir, dir, e))?;
    let k = WRITES.fetch_add(1, Ordering::SeqCst) + 1;
    let tmp = temp_name(path, k);
    let result = write_then_rename(&tmp, path, bytes, k, private);
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A temporary name beside `path`, unique per process and write.
fn temp_name(path: &Path, k: u64) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    path.with_file_name(format!(".{name}.{}-{k}.tmp", std::process::id()))
}

/// Writes the temporary file, syncs it and renames it over `path`; `k` is the
/// process's write number (for [`FAIL_WRITE_ENV`]).
fn write_then_rename(tmp: &Path, path: &Path, bytes: &[u8], k: u64, private: bool) -> Result<()> {
    let fail_here = std::env::var(FAIL_WRITE_ENV).ok().and_then(|v| v.parse::<u64>().ok()) == Some(k);
    let mut f = std::fs::File::create(tmp).map_err(|e| Error::io(IoAction::Write, path, e))?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(IoAction::Write, path, e))?;
    }
    #[cfg(not(unix))]
    let _ = private;
    if fail_here {
        let _ = f.write_all(&bytes[..bytes.len() / 2]);
        return Err(Error::io(IoAction::Write, path, disk_full()));
    }
    f.write_all(bytes).map_err(|e| Error::io(IoAction::Write, path, e))?;
    f.sync_all().map_err(|e| Error::io(IoAction::Write, path, e))?;
    if std::env::var_os(FAIL_BEFORE_RENAME_ENV).is_some() {
        return Err(Error::StoppedBeforeRename {
            tmp: tmp.to_path_buf(),
            env: FAIL_BEFORE_RENAME_ENV,
        });
    }
    rename_over(tmp, path).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied => Error::InUse { path: path.to_path_buf() },
        _ => Error::io(IoAction::Write, path, e),
    })?;
    sync_dir(path.parent().unwrap_or(Path::new(".")));
    Ok(())
}

/// How long a rename over a file that another program holds for a moment
/// (an antivirus scan, a reader of the period's files) is retried on Windows.
const RENAME_PATIENCE: Duration = Duration::from_secs(3);

/// Renames `tmp` over `path`. On Windows a file another process has open
/// cannot be replaced, which is usually brief (a scan, another baocao
/// reading the period): retried for [`RENAME_PATIENCE`] before giving up.
fn rename_over(tmp: &Path, path: &Path) -> std::io::Result<()> {
    let start = std::time::Instant::now();
    loop {
        match std::fs::rename(tmp, path) {
            Err(e) if cfg!(windows) && e.kind() == std::io::ErrorKind::PermissionDenied && start.elapsed() < RENAME_PATIENCE => {
                std::thread::sleep(Duration::from_millis(25));
            }
            other => return other,
        }
    }
}

/// Makes a rename or a new file in `dir` durable (Unix: fsync of the folder;
/// elsewhere the file system does not offer it and this does nothing).
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The manifest written beside each version (`Default`: one with nothing in it).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct VersionManifest {
    #[serde(rename = "phien_ban")]
    pub version: u32,
    #[serde(rename = "chuong_trinh")]
    pub program: String,
    #[serde(rename = "bao_cao")]
    pub report: String,
    #[serde(rename = "ky")]
    pub period: String,
    #[serde(rename = "thoi_gian")]
    pub time: String,
    #[serde(rename = "sha256_pdf")]
    pub pdf_sha256: String,
    /// Data files read (the period's and its neighbours').
    #[serde(rename = "tep_dau_vao")]
    pub inputs: Vec<InputFile>,
    #[serde(rename = "canh_bao")]
    pub warnings: Vec<String>,
    /// Every figure as printed by default, `sector.code` -> text.
    #[serde(rename = "so_lieu")]
    pub figures: Vec<(String, String)>,
    /// The wording the version was made from: fragments, mau.toml, overrides
    /// in the period's folder and the shared layouts.
    #[serde(rename = "tep_mau", default)]
    pub template_files: Vec<InputFile>,
    /// Set when this version corrects an issued one (đính chính).
    #[serde(rename = "dinh_chinh", default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<Correction>,
    /// The indicators' names, `sector.code` -> name (comparisons name figures by them).
    #[serde(rename = "ten_so_lieu", default, skip_serializing_if = "Vec::is_empty")]
    pub figure_names: Vec<(String, String)>,
    /// Who and what changed since the version before (see [`crate::archive::note`]).
    #[serde(rename = "ghi_chu", default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The document's own sentences of a version (`NNN.van-ban.txt`, see
/// [`crate::archive::textdiff::document_text`]).
pub const DOCUMENT_TEXT: &str = "van-ban.txt";

/// What a correction version corrects, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Correction {
    /// The issued version it replaces.
    #[serde(rename = "thay_cho")]
    pub replaces: u32,
    /// The reasons given for the changes since the issue.
    #[serde(rename = "ly_do")]
    pub reasons: Vec<String>,
}

/// Where a report and period's files go.
#[derive(Debug, Clone)]
pub struct OutputPaths {
    pub latest: PathBuf,
    pub history: PathBuf,
}

/// Removes a file if it is there (cleanup; a missing file is not an error).
fn remove(p: &Path) {
    let _ = std::fs::remove_file(p);
}

impl OutputPaths {
    pub fn new(out_dir: &Path, report: &str, period: &str) -> Self {
        OutputPaths {
            latest: out_dir.join(format!("{report}-{period}.pdf")),
            history: out_dir.join("lich-su").join(report).join(period),
        }
    }

    /// Fully recorded versions (manifest and PDF present), oldest first.
    pub fn versions(&self) -> Vec<VersionManifest> {
        let mut v: Vec<VersionManifest> = self
            .numbered("json")
            .into_iter()
            .filter_map(|(n, p)| self.recorded(n, &p))
            .collect();
        v.sort_by_key(|m| m.version);
        v
    }

    /// The newest fully recorded version, reading no other manifest (a month
    /// corrected forty times keeps forty, each with every figure).
    pub fn newest(&self) -> Option<VersionManifest> {
        let mut numbered = self.numbered("json");
        numbered.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
        numbered.into_iter().find_map(|(n, p)| self.recorded(n, &p))
    }

    /// Version `n`, if fully recorded.
    pub fn version(&self, n: u32) -> Option<VersionManifest> {
        self.recorded(n, &self.version_file(n, "json"))
    }

    /// The manifest at `path` of version `n`, when it reads and its PDF is there.
    fn recorded(&self, n: u32, path: &Path) -> Option<VersionManifest> {
        if !self.version_pdf(n).is_file() {
            return None;
        }
        serde_json::from_slice(&crate::base::folders::read(path).ok()?).ok()
    }

    /// The version files `NNN.<ext>` in the history folder.
    fn numbered(&self, ext: &str) -> Vec<(u32, PathBuf)> {
        std::fs::read_dir(&self.history)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().and_then(|x| x.to_str()) == Some(ext))
            .filter_map(|p| Some((p.file_stem()?.to_str()?.parse().ok()?, p)))
            .collect()
    }

    pub fn version_pdf(&self, n: u32) -> PathBuf {
        self.version_file(n, "pdf")
    }

    /// `NNN.<ext>` of version `n`.
    pub fn version_file(&self, n: u32, ext: &str) -> PathBuf {
        self.history.join(format!("{n:03}.{ext}"))
    }

    /// The laid-out sentences of version `n` (empty for versions made before they were kept).
    pub fn version_text(&self, n: u32) -> String {
        crate::base::folders::read_to_string(self.version_file(n, "txt")).unwrap_or_default()
    }

    /// The document's own sentences of version `n` (empty for versions made before they were kept).
    pub fn document_text(&self, n: u32) -> String {
        crate::base::folders::read_to_string(self.version_file(n, DOCUMENT_TEXT)).unwrap_or_default()
    }

    /// Claims the next free version number (portable: `create_new`).
    fn claim(&self) -> Result<u32> {
        std::fs::create_dir_all(&self.history).map_err(|e| Error::io(IoAction::CreateDir, &self.history, e))?;
        let used = ["json", "pdf", "claim"].iter().flat_map(|x| self.numbered(x)).map(|(n, _)| n);
        let mut n = used.max().unwrap_or(0) + 1;
        loop {
            let claim = self.version_file(n, "claim");
            crate::base::folders::check(&claim)?;
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&claim) {
                Ok(_) => return Ok(n),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
                Err(e) => return Err(Error::io(IoAction::Write, claim, e)),
            }
        }
    }

    /// Removes every file of version `n`, manifest first (so it is never half listed).
    fn discard(&self, n: u32) {
        for ext in ["json", "pdf", "txt", DOCUMENT_TEXT, "claim"] {
            remove(&self.version_file(n, ext));
        }
    }

    /// Removes what interrupted runs left behind: claims without a manifest and
    /// their files, and temporary files, once older than [`LEFTOVER_AGE`].
    pub fn clean_leftovers(&self) {
        let old = |p: &Path| {
            std::fs::metadata(p)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > LEFTOVER_AGE)
        };
        // Read only when something old is left over (most saves find nothing).
        let mut done: Option<Vec<u32>> = None;
        for (n, p) in ["claim", "pdf", "txt"].iter().flat_map(|x| self.numbered(x)) {
            if !old(&p) {
                continue;
            }
            let done = done.get_or_insert_with(|| self.versions().iter().map(|m| m.version).collect());
            if !done.contains(&n) {
                self.discard(n);
            } else if p.extension().is_some_and(|x| x == "claim") {
                remove(&p);
            }
        }
        let dirs = [self.history.as_path(), self.latest.parent().unwrap_or(Path::new("."))];
        for e in dirs.iter().flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten()) {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with('.') && name.ends_with(".tmp") && old(&e.path()) {
                remove(&e.path());
            }
        }
    }
}

/// Held while the latest PDF is replaced, so that the highest version wins.
struct LatestLock(PathBuf);

impl LatestLock {
    /// Waits for the lock file (`create_new`); a lock older than a minute is stale.
    fn take(latest: &Path) -> Result<LatestLock> {
        let name = latest.file_name().and_then(|n| n.to_str()).unwrap_or("out");
        let path = latest.with_file_name(format!(".{name}.lock"));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(IoAction::CreateDir, dir, e))?;
        }
        loop {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return Ok(LatestLock(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age > Duration::from_secs(60));
                    if stale {
                        remove(&path);
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => return Err(Error::io(IoAction::Write, path, e)),
            }
        }
    }
}

impl Drop for LatestLock {
    fn drop(&mut self) {
        remove(&self.0);
    }
}

/// The texts kept with a version: the laid-out sentences (`NNN.txt`) and
/// the document's own sentences (`NNN.van-ban.txt`, skipped when empty).
#[derive(Debug, Clone, Copy, Default)]
pub struct VersionTexts<'a> {
    pub laid_out: &'a str,
    pub document: &'a str,
}

/// Records a new version: claim, PDF, texts, then the manifest (the commit).
fn record(paths: &OutputPaths, pdf: &[u8], texts: VersionTexts, manifest: &VersionManifest) -> Result<u32> {
    let n = paths.claim()?;
    let mut manifest = manifest.clone();
    manifest.version = n;
    let result = (|| {
        let mut files = vec![
            (paths.version_pdf(n), pdf),
            (paths.version_file(n, "txt"), texts.laid_out.as_bytes()),
        ];
        if !texts.document.is_empty() {
            files.push((paths.version_file(n, DOCUMENT_TEXT), texts.document.as_bytes()));
        }
        write_atomic_all(&files)?;
        // The manifest last: it is what makes the version exist.
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::ManifestJson(e.to_string()))?;
        write_atomic(&paths.version_file(n, "json"), &json)
    })();
    match result {
        Ok(()) => {
            remove(&paths.version_file(n, "claim"));
            Ok(n)
        }
        Err(e) => {
            paths.discard(n);
            Err(e)
        }
    }
}

/// Replaces the latest PDF unless a newer version has been recorded meanwhile.
fn replace_latest(paths: &OutputPaths, pdf: &[u8], n: u32) -> Result<()> {
    let _lock = LatestLock::take(&paths.latest)?;
    let newest = paths.newest().map_or(0, |m| m.version);
    if newest > n {
        return Ok(());
    }
    write_atomic(&paths.latest, pdf)
}

/// Saves a render: a new numbered version (unless identical to the last one),
/// then the latest PDF. Returns the latest path and the version number.
/// On any failure the new version is removed and the latest PDF is untouched.
#[cfg(test)]
pub fn save(paths: &OutputPaths, pdf: &[u8], text: &str, manifest: VersionManifest) -> Result<(PathBuf, u32)> {
    let texts = VersionTexts {
        laid_out: text,
        document: "",
    };
    save_with(paths, pdf, texts, manifest)
}

/// Saves a render as `save` does, keeping the document's own sentences too (`texts.document`).
pub fn save_with(paths: &OutputPaths, pdf: &[u8], texts: VersionTexts, mut manifest: VersionManifest) -> Result<(PathBuf, u32)> {
    if paths.latest.is_dir() {
        return Err(Error::OutputIsDirectory(paths.latest.clone()));
    }
    paths.clean_leftovers();
    let hash = sha256_hex(pdf);
    manifest.pdf_sha256 = hash.clone();
    let (n, new) = match paths.newest() {
        Some(last) if last.pdf_sha256 == hash => (last.version, false),
        _ => (record(paths, pdf, texts, &manifest)?, true),
    };
    if let Err(e) = replace_latest(paths, pdf, n) {
        if new {
            paths.discard(n);
        }
        return Err(e);
    }
    Ok((paths.latest.clone(), n))
}

/// Figures whose printed value differs between two versions: (code, old, new).
pub fn diff(a: &VersionManifest, b: &VersionManifest) -> Vec<(String, String, String)> {
    let old: std::collections::BTreeMap<_, _> = a.figures.iter().cloned().collect();
    let new: std::collections::BTreeMap<_, _> = b.figures.iter().cloned().collect();
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (o, n) = (
                old.get(k).cloned().unwrap_or_else(|| crate::error::DataText::Absent.to_string()),
                new.get(k).cloned().unwrap_or_else(|| crate::error::DataText::Absent.to_string()),
            );
            (o != n).then(|| (k.clone(), o, n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_failure_keeps_old() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert!(matches!(write_atomic(dir.path(), b"x"), Err(Error::OutputIsDirectory(_))));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left");
    }

    fn manifest() -> VersionManifest {
        VersionManifest {
            program: "baocao test".into(),
            report: "r".into(),
            period: "2026-02".into(),
            ..Default::default()
        }
    }

    #[test]
    fn threads_get_distinct_versions_and_latest_is_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let paths = OutputPaths::new(dir.path(), "r", "2026-02");
        let got: Vec<u32> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8)
                .map(|i| {
                    let paths = &paths;
                    s.spawn(move || save(paths, format!("pdf {i}").as_bytes(), "", manifest()).unwrap().1)
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut sorted = got.clone();
        sorted.sort();
        assert_eq!(sorted, (1..=8).collect::<Vec<_>>(), "{got:?}");
        for m in paths.versions() {
            assert_eq!(sha256_hex(&std::fs::read(paths.version_pdf(m.version)).unwrap()), m.pdf_sha256);
        }
        let last = paths.versions().pop().unwrap();
        assert_eq!(sha256_hex(&std::fs::read(&paths.latest).unwrap()), last.pdf_sha256);
    }

    #[test]
    fn a_claim_without_manifest_is_not_listed() {
        let dir = tempfile::tempdir().unwrap();
        let paths = OutputPaths::new(dir.path(), "r", "2026-02");
        save(&paths, b"one", "", manifest()).unwrap();
        std::fs::write(paths.version_file(2, "claim"), "").unwrap();
        std::fs::write(paths.version_pdf(2), "half").unwrap();
        assert_eq!(paths.versions().len(), 1);
        assert_eq!(
            save(&paths, b"two", "", manifest()).unwrap().1,
            3,
            "a claimed number is never reused"
        );
    }

    #[test]
    fn newest_and_version_read_one_manifest_as_versions_would() {
        let dir = tempfile::tempdir().unwrap();
        let paths = OutputPaths::new(dir.path(), "r", "2026-02");
        assert!(paths.newest().is_none());
        for i in 1..=12 {
            save(&paths, format!("pdf {i}").as_bytes(), "", manifest()).unwrap();
        }
        let all = paths.versions();
        assert_eq!(paths.newest().map(|m| m.pdf_sha256), all.last().map(|m| m.pdf_sha256.clone()));
        assert_eq!(
            paths.newest().map(|m| m.version),
            Some(12),
            "12 after 9: numbers, not names, are compared"
        );
        assert_eq!(paths.version(10).map(|m| m.pdf_sha256), Some(all[9].pdf_sha256.clone()));
        assert!(paths.version(13).is_none());
        // A newest manifest whose PDF is gone is not a version: the one before is the newest.
        std::fs::remove_file(paths.version_pdf(12)).unwrap();
        assert_eq!(paths.newest().map(|m| m.version), Some(11));
        assert!(paths.version(12).is_none());
        assert_eq!(paths.versions().len(), 11);
    }
}
