//! A period's own text: copy on first edit. Fragments live in
//! `templates/<report>/<name>.txt`, shared by every period; a period's own
//! copy lives in `data/<period>/<report>/<name>.txt` and wins over it
//! ([`super::FragmentDirs`]). An edit for a period must write only that
//! period's own copy, so no edit for one period can change another period's
//! PDF: [`edit_target`] gives the file, creating it on first edit from the
//! previous period's own copy when it has one (last month's wording, with its
//! corrections), else from the template.
//!
//! Refuses a name that is not a fragment name, and a fragment neither the
//! previous period nor the template has (nothing to start from). It never
//! writes into `templates/` and never overwrites an existing own copy.

use std::path::{Path, PathBuf};

use crate::base::period::Period;
use crate::error::{Error, IoAction, Result, TemplateMessage};
use crate::wording::EXT;

/// Where an edit goes and what it started from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditTarget {
    /// The period's own copy (exists when this returns).
    pub path: PathBuf,
    /// The file copied to make it, when this call created it.
    pub created_from: Option<PathBuf>,
}

/// The own copy of `fragment` for `period`: `data/<period>/<report>/<fragment>.txt`.
pub fn own_path(data_dir: &Path, report: &str, period: Period, fragment: &str) -> PathBuf {
    data_dir.join(period.to_string()).join(report).join(format!("{fragment}.{EXT}"))
}

/// The file an edit for `period` starts from, without writing anything: the
/// period's own copy, else the previous period's own copy, else the template.
/// The page shows (and hashes, for its stale-save check) this file's text,
/// so that [`edit_target`]'s first copy is exactly what the clerk edited.
pub fn edit_source(data_dir: &Path, report_dir: &Path, period: Period, fragment: &str) -> Option<PathBuf> {
    let stem = fragment.strip_suffix(".txt").unwrap_or(fragment);
    if !crate::base::manifest::is_fragment_name(stem) {
        return None;
    }
    let report = report_dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    [
        own_path(data_dir, report, period, stem),
        own_path(data_dir, report, period.previous(), stem),
        report_dir.join(format!("{stem}.{EXT}")),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// The file an edit of `fragment` for `period` must write, created on first edit
/// from the previous period's own copy if it has one, else from `report_dir`'s template.
pub fn edit_target(data_dir: &Path, report_dir: &Path, period: Period, fragment: &str) -> Result<EditTarget> {
    let stem = fragment.strip_suffix(".txt").unwrap_or(fragment);
    if !crate::base::manifest::is_fragment_name(stem) {
        return Err(Error::BadName(fragment.to_string()));
    }
    let report = report_dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let path = own_path(data_dir, report, period, stem);
    if path.is_file() {
        return Ok(EditTarget { path, created_from: None });
    }
    let source = edit_source(data_dir, report_dir, period, stem).ok_or_else(|| Error::Template {
        file: report_dir.join(format!("{stem}.{EXT}")),
        line: 1,
        column: None,
        detail: TemplateMessage::MissingFragment {
            file_name: format!("{stem}.{EXT}"),
            name: stem.to_string(),
        }
        .to_string(),
        source_line: String::new(),
    })?;
    let text = crate::base::folders::read(&source).map_err(|e| Error::io(IoAction::Read, &source, e))?;
    write_new(&path, &text)?;
    Ok(EditTarget {
        path,
        created_from: Some(source),
    })
}

/// Writes `path` only if it does not exist yet (two first edits at once: the
/// second keeps the first's copy); the rename is atomic.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(IoAction::CreateDir, dir, e))?;
    let tmp = path.with_extension(format!("{EXT}.{}.moi", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(IoAction::Write, path, e))?;
    // hard_link fails when `path` exists: the first copy wins, nothing is overwritten.
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(IoAction::Write, path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let report = dir.path().join("templates/bao-cao-thang");
        std::fs::create_dir_all(&report).unwrap();
        std::fs::write(report.join("nhiem-vu.txt"), "Mẫu chung.\n").unwrap();
        (dir, data, report)
    }

    #[test]
    fn first_edit_copies_the_template_then_next_month_copies_this_one() {
        let (_d, data, report) = setup();
        let feb: Period = "2026-02".parse().unwrap();
        let t = edit_target(&data, &report, feb, "nhiem-vu").unwrap();
        assert_eq!(t.path, data.join("2026-02/bao-cao-thang/nhiem-vu.txt"));
        assert_eq!(t.created_from, Some(report.join("nhiem-vu.txt")));
        std::fs::write(&t.path, "Tháng 02 đã sửa.\n").unwrap();
        let again = edit_target(&data, &report, feb, "nhiem-vu").unwrap();
        assert_eq!(again.created_from, None, "the own copy is never replaced");
        assert_eq!(std::fs::read_to_string(&again.path).unwrap(), "Tháng 02 đã sửa.\n");
        let march: Period = "2026-03".parse().unwrap();
        assert_eq!(edit_source(&data, &report, march, "nhiem-vu"), Some(t.path.clone()));
        let mar = edit_target(&data, &report, march, "nhiem-vu.txt").unwrap();
        assert_eq!(mar.created_from, Some(t.path.clone()), "March starts from February's own text");
        std::fs::write(&mar.path, "Tháng 3 sửa.\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&t.path).unwrap(),
            "Tháng 02 đã sửa.\n",
            "February untouched"
        );
        assert_eq!(std::fs::read_to_string(report.join("nhiem-vu.txt")).unwrap(), "Mẫu chung.\n");
    }

    #[test]
    fn bad_and_unknown_fragments_are_refused() {
        let (_d, data, report) = setup();
        let feb: Period = "2026-02".parse().unwrap();
        assert!(matches!(edit_target(&data, &report, feb, "../x"), Err(Error::BadName(_))));
        let missing = edit_target(&data, &report, feb, "khong-co").unwrap_err().to_string();
        assert!(missing.contains("khong-co"), "{missing}");
        assert!(!data.exists(), "nothing written for a refused edit");
    }
}
