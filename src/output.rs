//! Stage 5: output that never loses anything. Files are written to a
//! temporary name in the same folder and renamed into place only when complete;
//! each distinct render is also kept as a numbered version with a manifest.
//!
//! Layout under `out/`:
//! * `<report>-<period>.pdf` – the latest version (stable name);
//! * `lich-su/<report>/<period>/NNN.pdf` and `NNN.json` – every version and its manifest.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::data::{sha256_hex, InputFile};
use crate::error::{Error, Result};

/// Set to make the write fail after the temporary file is complete and before
/// the rename (used by the test that checks nothing is lost).
pub const FAIL_BEFORE_RENAME_ENV: &str = "BAOCAO_FAIL_BEFORE_RENAME";

/// Writes `bytes` to `path` atomically (temp file + fsync + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.is_dir() {
        return Err(Error::OutputIsDirectory(path.to_path_buf()));
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("tạo thư mục", dir, e))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io("ghi", path, e))?;
        f.write_all(bytes).map_err(|e| Error::io("ghi", path, e))?;
        f.sync_all().map_err(|e| Error::io("ghi", path, e))?;
        if std::env::var_os(FAIL_BEFORE_RENAME_ENV).is_some() {
            return Err(Error::Other(format!(
                "Dừng trước khi đổi tên {} (kiểm thử {FAIL_BEFORE_RENAME_ENV})",
                tmp.display()
            )));
        }
        std::fs::rename(&tmp, path).map_err(|e| Error::io("ghi", path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The manifest written beside each version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VersionManifest {
    pub phien_ban: u32,
    pub chuong_trinh: String,
    pub bao_cao: String,
    pub ky: String,
    pub thoi_gian: String,
    pub sha256_pdf: String,
    pub tep_dau_vao: Vec<InputFile>,
    pub canh_bao: Vec<String>,
    /// Every figure as printed by default, `sector.code` -> text.
    pub so_lieu: Vec<(String, String)>,
}

/// Where a report and period's files go.
#[derive(Debug, Clone)]
pub struct OutputPaths {
    pub latest: PathBuf,
    pub history: PathBuf,
}

impl OutputPaths {
    pub fn new(out_dir: &Path, report: &str, period: &str) -> Self {
        OutputPaths {
            latest: out_dir.join(format!("{report}-{period}.pdf")),
            history: out_dir.join("lich-su").join(report).join(period),
        }
    }

    /// Versions kept so far, oldest first.
    pub fn versions(&self) -> Vec<VersionManifest> {
        let mut v: Vec<VersionManifest> = std::fs::read_dir(&self.history)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().extension().and_then(|x| x.to_str()) == Some("json"))
            .filter_map(|e| serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok())
            .collect();
        v.sort_by_key(|m| m.phien_ban);
        v
    }

    pub fn version_pdf(&self, n: u32) -> PathBuf {
        self.history.join(format!("{n:03}.pdf"))
    }
}

/// Saves a render: a new numbered version (unless identical to the last one),
/// then the latest PDF. Returns the latest path and the version number.
pub fn save(paths: &OutputPaths, pdf: &[u8], mut manifest: VersionManifest) -> Result<(PathBuf, u32)> {
    if paths.latest.is_dir() {
        return Err(Error::OutputIsDirectory(paths.latest.clone()));
    }
    let hash = sha256_hex(pdf);
    let versions = paths.versions();
    let n = match versions.last() {
        Some(last) if last.sha256_pdf == hash && paths.version_pdf(last.phien_ban).is_file() => last.phien_ban,
        last => {
            let n = last.map_or(1, |l| l.phien_ban + 1);
            manifest.phien_ban = n;
            manifest.sha256_pdf = hash;
            write_atomic(&paths.version_pdf(n), pdf)?;
            let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Other(e.to_string()))?;
            write_atomic(&paths.history.join(format!("{n:03}.json")), &json)?;
            n
        }
    };
    write_atomic(&paths.latest, pdf)?;
    Ok((paths.latest.clone(), n))
}

/// Figures whose printed value differs between two versions: (code, old, new).
pub fn diff(a: &VersionManifest, b: &VersionManifest) -> Vec<(String, String, String)> {
    let old: std::collections::BTreeMap<_, _> = a.so_lieu.iter().cloned().collect();
    let new: std::collections::BTreeMap<_, _> = b.so_lieu.iter().cloned().collect();
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (o, n) = (
                old.get(k).cloned().unwrap_or_else(|| "(không có)".into()),
                new.get(k).cloned().unwrap_or_else(|| "(không có)".into()),
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
}
