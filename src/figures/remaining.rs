//! "Việc còn lại": everything left to do for a period, computed at once (not in
//! rounds): blank values, blank cùng kỳ the text needs, totals that do not match
//! their parts, stale text, sectors that sent nothing yet, and any other error —
//! grouped by sector file (or by text file), each with a target the page links to
//! (a cell, or a line of text) and its technical detail kept apart.
//!
//! Pure: it sorts what the checks and a draft layout already found; it reads and
//! refuses nothing. The hall gathers the inputs ([`crate::project::Project::remaining`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::PeriodData;
use crate::error::{Findings, Problem, Severity, TaskKind};

/// Where a task is done.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "loai")]
pub enum Target {
    /// A cell of a sector file: `file` (relative to the project), indicator `code`, `column`.
    #[serde(rename = "o")]
    Cell { file: PathBuf, code: String, column: String },
    /// A line of a text file (fragment, mau.toml).
    #[serde(rename = "loi-van")]
    Text { file: PathBuf, line: Option<usize> },
    /// A whole file.
    #[serde(rename = "tep")]
    File { file: PathBuf },
}

/// One thing left to do.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Task {
    pub kind: TaskKind,
    /// What it is about, in words (the indicator's name, the stale words, the file).
    pub title: String,
    pub target: Target,
    /// The technical detail (file, line, column, the full message), for whoever
    /// fixes a template (the command line prints it).
    pub detail: String,
    /// The problem in words, shown folded on the page: its line and message
    /// without the file (the group names it) or a character column ("Dòng 5 –
    /// Cảnh báo: lời văn còn ghi …"); empty when the title says it all.
    pub said: String,
}

/// The tasks of one sector file (or one text file).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Group {
    /// The file the group is about, relative to the project.
    pub file: PathBuf,
    pub tasks: Vec<Task>,
}

/// Everything left for a period.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Remaining {
    pub groups: Vec<Group>,
    pub count: usize,
}

/// What the inputs are: the period's figures and findings (of a draft check),
/// the blank cùng kỳ a draft layout showed as placeholders (sector, code), and the
/// sector files that have no value yet.
pub struct Inputs<'a> {
    pub data: &'a PeriodData,
    pub findings: &'a Findings,
    pub blank_priors: &'a [(String, String)],
    pub not_sent: &'a [PathBuf],
}

/// The list, grouped by file in file order; within a file, in the order found.
pub fn collect(inputs: &Inputs) -> Remaining {
    let mut by_file: BTreeMap<PathBuf, Vec<Task>> = BTreeMap::new();
    for file in inputs.not_sent {
        let task = Task {
            kind: TaskKind::NotSent,
            title: file.display().to_string(),
            target: Target::File { file: file.clone() },
            detail: String::new(),
            said: String::new(),
        };
        by_file.entry(file.clone()).or_default().push(task);
    }
    for f in &inputs.findings.0 {
        if let Some(task) = from_finding(inputs.data, f) {
            by_file.entry(group_file(&f.location.file)).or_default().push(task);
        }
    }
    for (sector, code) in inputs.blank_priors {
        let Some(ind) = inputs.data.get(sector, code) else { continue };
        let file = group_file(&ind.location.file);
        let target = Target::Cell {
            file: file.clone(),
            code: code.clone(),
            column: "cung_ky".into(),
        };
        let detail = format!("{}: {sector}.{code}, cột cung_ky", ind.location);
        let task = Task {
            kind: TaskKind::BlankPrior,
            title: ind.name.clone(),
            target,
            detail,
            said: String::new(),
        };
        by_file.entry(file).or_default().push(task);
    }
    let groups: Vec<Group> = by_file.into_iter().map(|(file, tasks)| Group { file, tasks }).collect();
    let count = groups.iter().map(|g| g.tasks.len()).sum();
    Remaining { groups, count }
}

/// The file a location belongs to ("data/x.xlsx (trang tính y_te)" -> "data/x.xlsx").
fn group_file(file: &Path) -> PathBuf {
    let s = file.display().to_string();
    PathBuf::from(s.split(" (").next().unwrap_or(&s))
}

/// The task a finding asks for, if any (warnings that ask nothing are left out).
fn from_finding(data: &PeriodData, f: &crate::error::Finding) -> Option<Task> {
    let code = f.indicator.clone().unwrap_or_default();
    let name = || {
        data.sectors
            .values()
            .find_map(|s| s.get(&code).filter(|i| i.location.file == f.location.file))
            .map(|i| i.name.clone())
    };
    let cell = |column: &str| Target::Cell {
        file: group_file(&f.location.file),
        code: code.clone(),
        column: column.into(),
    };
    let (kind, target, title) = match &f.problem {
        Problem::MissingValue | Problem::Placeholder { .. } => (TaskKind::BlankValue, cell("gia_tri"), name().unwrap_or(code.clone())),
        Problem::ChildrenSum { .. } | Problem::PartsExceed { .. } => {
            (TaskKind::TotalMismatch, cell("gia_tri"), name().unwrap_or(code.clone()))
        }
        Problem::Stale { text, .. } => (TaskKind::StaleText, text_target(f), text.clone()),
        _ if f.severity == Severity::Error => (TaskKind::OtherError, text_target(f), f.problem.to_string()),
        _ => return None,
    };
    Some(Task {
        kind,
        title,
        target,
        detail: f.to_string(),
        said: f.in_its_file(),
    })
}

fn text_target(f: &crate::error::Finding) -> Target {
    Target::Text {
        file: group_file(&f.location.file),
        line: f.location.line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::period::Period;
    use crate::error::Location;
    use crate::figures::{Indicator, Sector};

    #[test]
    fn every_kind_is_listed_at_once_grouped_by_file() {
        let ind = |code: &str, v: Option<f64>| Indicator {
            name: format!("Tên {code}"),
            location: Location::at("data/2026-03/y_te.csv", 2, None),
            ..Indicator::new(code, v)
        };
        let sector = Sector {
            name: "y_te".into(),
            source: "data/2026-03/y_te.csv".into(),
            indicators: vec![ind("ca", None), ind("tong", Some(3.0))],
        };
        let data = PeriodData {
            period: Period::Month { year: 2026, month: 3 },
            sectors: [("y_te".to_string(), sector)].into(),
            files: vec![],
            findings: Findings::default(),
        };
        let mut findings = Findings::default();
        let at = Location::at("data/2026-03/y_te.csv", 2, None);
        findings.push(Severity::Error, at.clone(), Some("ca"), Problem::MissingValue);
        let sum = Problem::ChildrenSum {
            sum: "2".into(),
            value: "3".into(),
            diff: "1".into(),
        };
        findings.push(Severity::Warning, at, Some("tong"), sum);
        let stale = Problem::Stale {
            text: "tháng 02".into(),
            reason: "kỳ khác".into(),
        };
        findings.push(Severity::Warning, Location::at("templates/x/mo-dau.txt", 4, None), None, stale);
        let priors = [("y_te".to_string(), "tong".to_string())];
        let not_sent = [PathBuf::from("data/2026-03/khcn.csv")];
        let r = collect(&Inputs {
            data: &data,
            findings: &findings,
            blank_priors: &priors,
            not_sent: &not_sent,
        });
        assert_eq!(r.count, 5);
        let files: Vec<String> = r.groups.iter().map(|g| g.file.display().to_string()).collect();
        assert_eq!(files, ["data/2026-03/khcn.csv", "data/2026-03/y_te.csv", "templates/x/mo-dau.txt"]);
        let y_te = &r.groups[1].tasks;
        assert_eq!(
            y_te.iter().map(|t| t.kind).collect::<Vec<_>>(),
            [TaskKind::BlankValue, TaskKind::TotalMismatch, TaskKind::BlankPrior]
        );
        assert_eq!(y_te[0].title, "Tên ca");
        assert_eq!(
            y_te[2].target,
            Target::Cell {
                file: "data/2026-03/y_te.csv".into(),
                code: "tong".into(),
                column: "cung_ky".into()
            }
        );
        assert_eq!(
            r.groups[2].tasks[0].target,
            Target::Text {
                file: "templates/x/mo-dau.txt".into(),
                line: Some(4)
            }
        );
        // Folded on the page: the line and the problem in words, no path; the
        // technical detail keeps the file for the command line.
        let stale = &r.groups[2].tasks[0];
        assert!(
            stale.said.starts_with("Dòng 4 – Cảnh báo: ") && stale.said.contains("tháng 02"),
            "{}",
            stale.said
        );
        assert!(!stale.said.contains("templates/") && stale.detail.contains("templates/x/mo-dau.txt"));
        assert!(y_te[1].said.starts_with("Dòng 2 – Cảnh báo: "), "{}", y_te[1].said);
    }
}
