//! Issue (ban hành): Văn phòng marks one version of a report as the issued
//! one. The record is `out/lich-su/<report>/<period>/ban-hanh.json` (written
//! atomically; the issued version's files are never touched again).
//!
//! From then on the figures of the period (and of its months, for a longer
//! period) and the report's fragments are read-only: a change needs a reason
//! (see the hall, `project/versions.rs`). A later render whose PDF differs from the issued
//! one is recorded as a correction (đính chính) of it, carrying the reasons
//! logged since the issue; without any reason it is refused
//! ([`crate::Error::Locked`]).
//!
//! The period's states: draft (versions, none issued) → issued (one version
//! in force) → corrections (later versions, each against the version in
//! force, each with its reason). [`may_issue`] refuses issuing the version in
//! force again and any version older than it.
//!
//! Before issuing, the totals that do not match their parts (what `check` warns
//! as [`crate::error::Problem::ChildrenSum`]) refuse the issue unless the office
//! acknowledges them with a reason ([`acknowledge`]), which the change log keeps:
//! nobody signs an inconsistency by accident.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::archive::output::OutputPaths;
use crate::base::folders::Folders;
use crate::base::period::Period;
use crate::error::{Error, Findings, IssueProblem, Problem, Result};
use crate::office::audit::{self, Kind};

/// The issued record's file name in a version history folder.
pub const RECORD_FILE: &str = "ban-hanh.json";

/// One issue of a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issued {
    #[serde(rename = "phien_ban")]
    pub version: u32,
    #[serde(rename = "thoi_gian")]
    pub time: String,
    #[serde(rename = "nguoi")]
    pub who: String,
    pub sha256_pdf: String,
}

/// The file: every issue, oldest first (a correction may be issued in turn).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Record {
    #[serde(rename = "ban_hanh", default)]
    issued: Vec<Issued>,
}

/// The record's path for a report and period.
pub fn record_path(paths: &OutputPaths) -> PathBuf {
    paths.history.join(RECORD_FILE)
}

/// Every issue of a report and period, oldest first.
pub fn issued(paths: &OutputPaths) -> Vec<Issued> {
    crate::base::folders::read(record_path(paths))
        .ok()
        .and_then(|b| serde_json::from_slice::<Record>(&b).ok())
        .map(|r| r.issued)
        .unwrap_or_default()
}

/// The version in force: the last issued one.
pub fn current(paths: &OutputPaths) -> Option<Issued> {
    issued(paths).pop()
}

/// The saved version `version` (default: the newest), or the error naming it.
pub fn find_version(paths: &OutputPaths, version: Option<u32>) -> Result<crate::archive::output::VersionManifest> {
    let found = match version {
        Some(n) => paths.version(n),
        None => paths.newest(),
    };
    found.ok_or_else(|| Error::UnknownVersion(version.map_or_else(|| crate::error::DataText::Newest.to_string(), |n| n.to_string())))
}

/// Marks version `version` (default: the newest) as issued by `who`.
pub fn mark(paths: &OutputPaths, version: Option<u32>, who: &str) -> Result<Issued> {
    let m = find_version(paths, version)?;
    may_issue(paths, m.version)?;
    let issue = Issued {
        version: m.version,
        time: audit::now(),
        who: who.to_string(),
        sha256_pdf: m.pdf_sha256.clone(),
    };
    let mut record = Record { issued: issued(paths) };
    record.issued.push(issue.clone());
    let json = serde_json::to_vec_pretty(&record).map_err(|e| Error::ManifestJson(e.to_string()))?;
    crate::archive::output::write_atomic(&record_path(paths), &json)?;
    Ok(issue)
}

/// The state machine's rule for issuing `version`: refused when it is the
/// version in force already, or older than it (an old draft over a newer
/// issue, which would make later corrections correct the wrong version). A
/// newer version (a correction) may be issued in turn.
pub fn may_issue(paths: &OutputPaths, version: u32) -> Result<()> {
    let Some(now) = current(paths) else { return Ok(()) };
    let period = paths.history.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let problem = if version == now.version {
        IssueProblem::AlreadyIssued {
            version,
            time: crate::base::words::time(&now.time),
            who: now.who.clone(),
        }
    } else if version < now.version {
        IssueProblem::OlderThanIssued {
            version,
            issued: now.version,
        }
    } else {
        return Ok(());
    };
    Err(Error::Issue { period, problem })
}

/// The history folders of `report` in out/ whose period covers `period`.
fn covering(out_dir: &Path, report: &str, period: Period) -> Vec<OutputPaths> {
    let base = out_dir.join("lich-su").join(report);
    std::fs::read_dir(&base)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<Period>().ok())
        .filter(|p| *p == period || p.months().contains(&period))
        .map(|p| OutputPaths::new(out_dir, report, &p.to_string()))
        .collect()
}

/// An issued version that makes the figures of `period` read-only: any report
/// type's, for this period or a longer one containing it. (report, period, issue)
pub fn figures_lock(project: &Folders, period: Period) -> Option<(String, String, Issued)> {
    let out = project.root.join("out");
    project.report_types().into_iter().find_map(|r| {
        covering(&out, &r, period).into_iter().find_map(|paths| {
            let ky = paths.history.file_name()?.to_str()?.to_string();
            current(&paths).map(|i| (r.clone(), ky, i))
        })
    })
}

/// The issued version of a report and period, if any (its fragments are then read-only).
pub fn report_lock(project: &Folders, report: &str, period: Period) -> Option<Issued> {
    current(&OutputPaths::new(&project.root.join("out"), report, &period.to_string()))
}

/// The folder whose log records the changes of `period`: its own data folder
/// when there is one, else that of its last month that has one.
pub fn log_dir(project: &Folders, period: Period) -> PathBuf {
    let own = project.data_dir().join(period.to_string());
    if own.is_dir() {
        return own;
    }
    period
        .months()
        .into_iter()
        .rev()
        .map(|m| project.data_dir().join(m.to_string()))
        .find(|d| d.is_dir())
        .unwrap_or(own)
}

/// The reasons given for changes since `issue`, in the logs of `period` and its months.
pub fn reasons_since(project: &Folders, period: Period, issue: &Issued) -> Vec<String> {
    let since = chrono::DateTime::parse_from_rfc3339(&issue.time).ok();
    let mut dirs: Vec<PathBuf> = std::iter::once(period)
        .chain(period.months())
        .map(|p| project.data_dir().join(p.to_string()))
        .collect();
    dirs.dedup();
    let mut out: Vec<String> = Vec::new();
    for d in dirs {
        for e in audit::read(&d, Path::new(audit::LOG_FILE)).0 {
            let after = chrono::DateTime::parse_from_rfc3339(&e.time).ok() >= since;
            let counted = !matches!(e.kind, Kind::Issue | Kind::Correction);
            if let (true, true, Some(r)) = (after, counted, e.reason) {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
    }
    out
}

/// The findings of `check` that are totals not matching their parts, as shown
/// to the user (file, line, indicator, the two sums).
pub fn mismatches(findings: &Findings) -> Vec<String> {
    findings
        .0
        .iter()
        .filter(|f| matches!(f.problem, Problem::ChildrenSum { .. }))
        .map(|f| f.what())
        .collect()
}

/// Whether issuing may go on: no mismatch, or an acknowledgement with a reason
/// (returned, trimmed, for the change log). Refuses a blank reason.
pub fn acknowledge(mismatches: &[String], reason: Option<&str>) -> Result<Option<String>> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    match (mismatches.is_empty(), reason) {
        (true, _) => Ok(None),
        (false, Some(r)) => Ok(Some(r.to_string())),
        (false, None) => Err(Error::TotalsNotAcknowledged {
            mismatches: mismatches.to_vec(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mismatch_needs_a_reason() {
        let list = vec!["data/2026-02/nghi_quyet.csv, dòng 4 [csdl]: tổng các chỉ tiêu con là 17, khác giá trị ghi 27".to_string()];
        assert_eq!(acknowledge(&[], None).unwrap(), None);
        assert!(matches!(acknowledge(&list, None), Err(Error::TotalsNotAcknowledged { .. })));
        assert!(matches!(acknowledge(&list, Some("  ")), Err(Error::TotalsNotAcknowledged { .. })));
        assert_eq!(acknowledge(&list, Some(" bản gốc ")).unwrap().as_deref(), Some("bản gốc"));
        let e = acknowledge(&list, None).unwrap_err().to_string();
        assert!(e.contains("nghi_quyet.csv, dòng 4 [csdl]") && e.contains("--xac-nhan"), "{e}");
    }
}
