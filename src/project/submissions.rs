//! Submission status of a period: per sector file, "chưa nhập / đang nhập /
//! đã gửi (người, giờ) / có lỗi", against the deadline of `baocao.toml`
//! (`han_nop = 15`: day 15 of the month after the period).
//!
//! The "đã gửi" and "trả lại" marks live in `data/<period>/.nop.json` (a hidden
//! name, so the data loader skips it like every file starting with a dot),
//! written atomically. Rules:
//! - no value filled in the file → chưa nhập;
//! - an error finding of the loader or the checks (other than a missing value) → có lỗi;
//! - marked sent → đã gửi (the person and time of the mark);
//! - otherwise → đang nhập (also after "trả lại", which shows its reason).
//!
//! An edit or upload by a department after "đã gửi" removes the mark (the file is
//! "đang nhập" again until it is sent again); an edit by Văn phòng keeps it. A
//! mark records the file's SHA-256: when the file changed in another way (Excel,
//! a text editor, or the marks file copied into a new period by `new-period`),
//! the mark no longer counts and the file shows "đang nhập (sửa sau khi gửi)".

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::Datelike;

use serde::{Deserialize, Serialize};

use super::access::{allow, may, Access};
use crate::base::period::Period;
use crate::error::OfficeTask;
use crate::error::{Error, Finding, IoAction, LineColumn, Problem, Result, ReturnProblem, Severity, SubmissionName};
use crate::figures::check::{check, CheckOptions};
use crate::office::actor::Actor;
use crate::project::Project;

/// The marks file inside a period folder.
pub const MARKS_FILE: &str = ".nop.json";

/// What happened to a file last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MarkKind {
    #[serde(rename = "da-gui")]
    Sent,
    #[serde(rename = "tra-lai")]
    Returned,
}

/// A mark on one sector file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    #[serde(rename = "trang_thai")]
    pub kind: MarkKind,
    #[serde(rename = "nguoi")]
    pub who: String,
    /// Local time, "2026-03-10 14:05".
    #[serde(rename = "luc")]
    pub at: String,
    /// Why Văn phòng returned it.
    #[serde(rename = "ly_do", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// SHA-256 of the file as sent (a "đã gửi" mark counts only while the file is unchanged).
    #[serde(rename = "ma_bam", default)]
    pub hash: String,
}

/// The state shown for a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum State {
    #[serde(rename = "chua-nhap")]
    Empty,
    #[serde(rename = "dang-nhap")]
    InProgress,
    #[serde(rename = "da-gui")]
    Sent,
    #[serde(rename = "co-loi")]
    Errors,
}

impl State {
    /// The Vietnamese label.
    pub fn label(self) -> SubmissionName {
        match self {
            State::Empty => SubmissionName::Empty,
            State::InProgress => SubmissionName::InProgress,
            State::Sent => SubmissionName::Sent,
            State::Errors => SubmissionName::Errors,
        }
    }
}

/// One line of the status page.
#[derive(Debug, Clone, Serialize)]
pub struct FileStatus {
    pub file: String,
    pub sectors: Vec<String>,
    pub state: State,
    pub label: String,
    /// Values filled in / values to fill (indicators that are not computed).
    pub filled: usize,
    pub total: usize,
    pub errors: usize,
    pub mark: Option<Mark>,
    /// Marked sent, but the file changed since outside the page.
    pub changed_after_sent: bool,
    /// Not sent and the deadline has passed, or sent after it.
    pub late: bool,
}

/// The status page of a period.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodStatus {
    pub period: String,
    pub label: String,
    /// "15/03/2026", when `han_nop` is set.
    pub deadline: Option<String>,
    pub files: Vec<FileStatus>,
}

/// The deadline of a period: day `day` of the month after it (the month's last
/// day when it is shorter).
pub fn deadline(period: Period, day: u8) -> chrono::NaiveDate {
    let first = period.last_day().succ_opt().unwrap_or_default();
    let last = Period::Month {
        year: first.year(),
        month: first.month() as u8,
    }
    .last_day();
    first.with_day(day.max(1) as u32).unwrap_or(last)
}

fn now_text() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M").to_string()
}

impl Project {
    fn marks_path(&self, period: &str) -> Result<PathBuf> {
        super::parse_period(period)?;
        let dir = self.data_dir().join(period);
        if !dir.is_dir() {
            return Err(Error::NotFound(dir.strip_prefix(&self.root).unwrap_or(&dir).to_path_buf()));
        }
        Ok(dir.join(MARKS_FILE))
    }

    /// The marks of a period (none when the file is missing).
    pub fn marks(&self, period: &str) -> Result<BTreeMap<String, Mark>> {
        let path = self.marks_path(period)?;
        match crate::base::folders::read(&path) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| Error::Manifest {
                file: path.strip_prefix(&self.root).unwrap_or(&path).to_path_buf(),
                detail: LineColumn {
                    line: e.line(),
                    column: e.column(),
                    detail: e.to_string(),
                }
                .to_string(),
            }),
            Err(_) => Ok(BTreeMap::new()),
        }
    }

    fn write_marks(&self, period: &str, marks: &BTreeMap<String, Mark>) -> Result<()> {
        let path = self.marks_path(period)?;
        let body = serde_json::to_vec_pretty(marks).map_err(|e| Error::ManifestJson(e.to_string()))?;
        crate::archive::output::write_atomic(&path, &body)
    }

    /// Marks a sector file "đã gửi" by `actor` (refused for a file not its own).
    pub fn mark_sent(&self, actor: &Actor, period: &str, file: &str) -> Result<()> {
        self.allow_change_file(actor, period, file, "")?;
        let path = self.sector_path(period, file)?;
        let hash = file_hash(&path)?;
        let _guard = MARKS_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let mut marks = self.marks(period)?;
        let mark = Mark {
            kind: MarkKind::Sent,
            who: actor.name.clone(),
            at: now_text(),
            reason: None,
            hash,
        };
        marks.insert(file.to_string(), mark);
        self.write_marks(period, &marks)
    }

    /// Văn phòng returns a sent file with a reason (required).
    pub fn mark_returned(&self, actor: &Actor, period: &str, file: &str, reason: &str) -> Result<()> {
        self.allow_task(actor, OfficeTask::ReturnSubmission)?;
        self.sector_path(period, file)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::BadField {
                field: "ly_do",
                detail: ReturnProblem::NoReason.to_string(),
            });
        }
        let _guard = MARKS_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let mut marks = self.marks(period)?;
        let mark = Mark {
            kind: MarkKind::Returned,
            who: actor.name.clone(),
            at: now_text(),
            reason: Some(reason.chars().take(1000).collect()),
            hash: String::new(),
        };
        marks.insert(file.to_string(), mark);
        self.write_marks(period, &marks)
    }

    /// After an edit by `actor`: a department's edit removes a "đã gửi" mark;
    /// Văn phòng's keeps it (with the file's new hash).
    pub fn edited_by(&self, actor: &Actor, period: &str, file: &str) -> Result<()> {
        let _guard = MARKS_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let mut marks = self.marks(period)?;
        let Some(mark) = marks.get_mut(file).filter(|m| m.kind == MarkKind::Sent) else {
            return Ok(());
        };
        if actor.is_office() {
            mark.hash = file_hash(&self.sector_path(period, file)?)?;
        } else {
            marks.remove(file);
        }
        self.write_marks(period, &marks)
    }

    /// The status of the sector files of a period that `actor` may open.
    pub fn submission_seen_by(&self, actor: &Actor, period: &str) -> Result<PeriodStatus> {
        allow(actor, &Access::Overview)?;
        let mut st = self.submission(period)?;
        st.files.retain(|f| {
            may(
                actor,
                &Access::ReadSectors {
                    period,
                    file: &f.file,
                    sectors: &f.sectors,
                },
            )
        });
        Ok(st)
    }

    /// The status of every sector file of a period.
    pub fn submission(&self, period: &str) -> Result<PeriodStatus> {
        let p = super::parse_period(period)?;
        let marks = self.marks(period)?;
        let data = self.load_data(p, false)?;
        let mut findings = data.findings.clone();
        check(&data, CheckOptions::default(), &mut findings);
        let views = self.sectors(period)?;
        let due = self.config()?.deadline_day.map(|d| deadline(p, d));
        let today = chrono::Local::now().date_naive();
        let mut files: Vec<FileStatus> = Vec::new();
        for v in &views {
            let rel = format!("data/{period}/{}", v.file);
            let pending: Vec<_> = v.rows.iter().filter(|r| !r.computed).collect();
            let filled = pending
                .iter()
                .filter(|r| !r.cells.first().map(|c| c.trim().is_empty()).unwrap_or(true))
                .count();
            match files.iter_mut().find(|f| f.file == v.file) {
                Some(f) => {
                    f.sectors.push(v.sector.clone());
                    f.filled += filled;
                    f.total += pending.len();
                }
                None => files.push(FileStatus {
                    file: v.file.clone(),
                    sectors: vec![v.sector.clone()],
                    state: State::Empty,
                    label: String::new(),
                    filled,
                    total: pending.len(),
                    errors: findings.0.iter().filter(|f| counts(f, &rel)).count(),
                    changed_after_sent: marks.get(&v.file).is_some_and(|m| m.kind == MarkKind::Sent && m.hash != v.hash),
                    mark: marks.get(&v.file).filter(|m| m.kind != MarkKind::Sent || m.hash == v.hash).cloned(),
                    late: false,
                }),
            }
        }
        let people = self.people();
        for f in &mut files {
            if let Some(m) = &mut f.mark {
                m.who = people.shown(&m.who);
            }
            f.state = state_of(f);
            f.label = f.state.label().to_string();
            f.late = due.is_some_and(|d| late(f, d, today));
        }
        Ok(PeriodStatus {
            period: period.to_string(),
            label: p.label(),
            deadline: due.map(|d| d.format("%d/%m/%Y").to_string()),
            files,
        })
    }
}

fn file_hash(path: &std::path::Path) -> Result<String> {
    crate::base::folders::read(path)
        .map(|b| crate::figures::sha256_hex(&b))
        .map_err(|e| Error::io(IoAction::Read, path, e))
}

/// One lock for every marks file of the process (marks change rarely).
static MARKS_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Whether a finding is an error of file `rel` that is not just a blank value.
fn counts(f: &Finding, rel: &str) -> bool {
    let file = f.location.file.to_string_lossy().replace('\\', "/");
    f.severity == Severity::Error && !matches!(f.problem, Problem::MissingValue) && (file == rel || file.starts_with(&format!("{rel} (")))
}

fn state_of(f: &FileStatus) -> State {
    let sent = f.mark.as_ref().is_some_and(|m| m.kind == MarkKind::Sent);
    if f.errors > 0 {
        State::Errors
    } else if sent {
        State::Sent
    } else if f.filled == 0 {
        State::Empty
    } else {
        State::InProgress
    }
}

/// Past the deadline and not sent, or sent after the deadline's day.
fn late(f: &FileStatus, due: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    match (&f.mark, f.state) {
        (Some(m), State::Sent) => chrono::NaiveDate::parse_from_str(m.at.get(..10).unwrap_or(""), "%Y-%m-%d").is_ok_and(|d| d > due),
        _ => today > due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_is_in_the_month_after() {
        let feb: Period = "2026-02".parse().unwrap();
        assert_eq!(deadline(feb, 15).to_string(), "2026-03-15");
        assert_eq!(deadline(feb, 31).to_string(), "2026-03-31");
        let jan: Period = "2026-01".parse().unwrap();
        assert_eq!(deadline(jan, 30).to_string(), "2026-02-28", "clamped to February");
        let q1: Period = "2026-Q1".parse().unwrap();
        assert_eq!(deadline(q1, 10).to_string(), "2026-04-10");
    }

    #[test]
    fn states_follow_the_rules() {
        let mut f = FileStatus {
            file: "y_te.csv".into(),
            sectors: vec!["y_te".into()],
            state: State::Empty,
            label: String::new(),
            filled: 0,
            total: 3,
            errors: 0,
            mark: None,
            changed_after_sent: false,
            late: false,
        };
        assert_eq!(state_of(&f), State::Empty);
        f.filled = 1;
        assert_eq!(state_of(&f), State::InProgress);
        f.mark = Some(Mark {
            kind: MarkKind::Sent,
            who: "so-y-te".into(),
            at: "2026-03-16 09:00".into(),
            reason: None,
            hash: String::new(),
        });
        assert_eq!(state_of(&f), State::Sent);
        f.state = State::Sent;
        let due = chrono::NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        assert!(late(&f, due, due), "sent on the 16th is late");
        f.errors = 1;
        assert_eq!(state_of(&f), State::Errors);
    }
}
