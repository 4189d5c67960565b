//! Periods and report types: which periods exist and which are samples, the
//! month to start next and what starting it copies from where, starting it, new
//! report types, and everything left to do for a period ("Việc còn lại"). The
//! rules live in `figures::sample`, `figures::remaining` and `office::scaffold`;
//! starting a period or a report type is Văn phòng's only, each file made logged.

use super::access::{allow, Access};
use crate::base::period::Period;
use crate::error::OfficeTask;
use crate::error::{ChangeNote, Error, IoAction, Result};
use crate::figures::{self, sha256_hex};
use crate::office::actor::Actor;
use crate::office::audit::{self, Kind, PeriodLock};
use crate::office::scaffold::{self, NewPeriodPlan};
use crate::project::Project;
use std::path::PathBuf;

impl Project {
    /// Periods with a data folder, oldest first.
    pub fn periods(&self) -> Vec<Period> {
        crate::figures::periods(&self.data_dir())
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
        allow(actor, &Access::Office(OfficeTask::NewPeriod))?;
        let made = crate::office::scaffold::new_period(&self.root, &self.data_dir(), period, from)?;
        let dir = self.data_dir().join(period.to_string());
        let lock = PeriodLock::take(&dir)?;
        for path in audit::sector_files(&dir) {
            let bytes = crate::base::folders::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
            let mut e = self.entry(actor, Kind::NewPeriod, &path, None);
            e.note = Some(ChangeNote::FromPeriod(from.to_string()).to_string());
            self.commit(&lock, e, &path, &bytes)?;
        }
        Ok(made)
    }

    /// Creates a report type in templates/ (see [`crate::office::scaffold::new_report`]).
    /// Văn phòng only; logged in the current period's log when there is one.
    pub fn create_report_type(&self, actor: &Actor, name: &str, from: Option<&str>) -> Result<Vec<PathBuf>> {
        allow(actor, &Access::Office(OfficeTask::NewReport))?;
        let created = crate::office::scaffold::new_report(&self.templates_dir(), name, from)?;
        if let Ok(period) = self.current_period() {
            let lock = self.log_lock(period)?;
            let manifest = self.report_dir(name).join(crate::base::manifest::FILE_NAME);
            let mut e = self.entry(actor, Kind::NewReport, &manifest, None);
            e.sha256 = crate::base::folders::read(&manifest).ok().map(|b| sha256_hex(&b));
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
}

impl Project {
    /// The version issued (ban hành) that makes `period`'s figures read-only, if one is:
    /// (its report type, its period, its version).
    pub fn issued_over(&self, period: Period) -> Option<(String, String, u32)> {
        crate::archive::issuance::figures_lock(self, period).map(|(r, p, i)| (r, p, i.version))
    }

    /// Whether `period` is sample data (see [`figures::sample::is_sample_period`]).
    pub fn is_sample_period(&self, period: Period) -> bool {
        figures::sample::is_sample_period(&self.data_dir(), period)
    }

    /// Whether one report type's figures for `period` are sample data: a report
    /// type whose figures live in its own folder (`data/<kỳ>/<loại>/`, as the
    /// Tỉnh ủy resolution's) is a sample only when that folder is marked; any
    /// other report type is a sample when the period is.
    pub fn is_sample_report(&self, report: &str, period: Period) -> bool {
        if self.imported_for(report, period) {
            // Its figures are its own Word document's, in its own sector file.
            return false;
        }
        let own = self.data_dir().join(period.to_string()).join(report);
        if figures::has_figures(&own) {
            return figures::sample::is_sample_dir(&own);
        }
        self.is_sample_period(period)
    }

    /// The month a home-page button starts ("Bắt đầu tháng 3/2026"): the one after
    /// the newest real month, with exactly what it will copy from where.
    pub fn next_month_plan(&self) -> Result<NewPeriodPlan> {
        scaffold::next_month(&self.root, &self.data_dir())
    }

    /// What `new-period <period> [--from <from>]` would do, before doing it.
    pub fn new_period_plan(&self, period: Period, from: Option<Period>) -> Result<NewPeriodPlan> {
        let from = match from {
            Some(f) => f,
            None => self.new_period_source(period)?,
        };
        scaffold::plan_new_period(&self.root, &self.data_dir(), period, from)
    }

    /// The month a new month copies by default: the newest real month before it.
    pub fn new_period_source(&self, period: Period) -> Result<Period> {
        if !period.is_month() {
            return Err(Error::NotAMonth {
                period: period.to_string(),
                label: period.label(),
            });
        }
        scaffold::default_source(&self.data_dir(), period).ok_or_else(|| Error::NoPeriods(self.data_dir()))
    }
}

impl Project {
    /// Everything left to do for a report and period, at once ("Việc còn lại"):
    /// a draft layout (blank values as placeholders) shows every blank cùng kỳ the
    /// text needs in one pass; the checks add totals, stale text and other errors;
    /// the submission status adds the sector files not sent yet: those a
    /// department's account fills and has not marked "đã gửi", and any with no value yet.
    pub fn remaining(&self, req: &crate::project::Request) -> Result<figures::remaining::Remaining> {
        let opts = figures::check::CheckOptions::draft();
        let prepared = self.prepare(req, opts, &mut crate::layout::rendered::Timings::default())?;
        let blank_priors = blank_priors(&prepared.source);
        let status = self.submission(&req.period.to_string()).ok();
        let departments = crate::office::accounts::Accounts::of(&self.root).departments().unwrap_or_default();
        let not_sent: Vec<std::path::PathBuf> = status
            .iter()
            .flat_map(|s| s.files.iter())
            .filter(|f| not_sent(f, &departments))
            .map(|f| std::path::PathBuf::from(format!("data/{}/{}", req.period, f.file)))
            .collect();
        let inputs = figures::remaining::Inputs {
            data: &prepared.data,
            findings: &prepared.findings,
            blank_priors: &blank_priors,
            not_sent: &not_sent,
        };
        Ok(figures::remaining::collect(&inputs))
    }
}

/// Whether a sector file is still to be sent: it has no value yet, or a
/// department's account fills it and its "đã gửi" mark is missing (or no longer
/// counts, the file having changed since). A file only Văn phòng fills has no mark to wait for.
fn not_sent(f: &crate::project::submissions::FileStatus, departments: &[crate::office::departments::DepartmentAccount]) -> bool {
    use crate::project::submissions::{MarkKind, State};
    let by_department = departments.iter().any(|d| f.sectors.iter().any(|s| d.sectors.contains(s)));
    let marked = f.mark.as_ref().is_some_and(|m| m.kind == MarkKind::Sent) && !f.changed_after_sent;
    f.state == State::Empty || (by_department && !marked)
}

/// The (sector, code) of every blank cùng kỳ placeholder in a draft's fragments, once each.
fn blank_priors(source: &crate::layout::DocumentSource) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for b in &source.blocks {
        let crate::layout::Block::Fragment(f) = b else { continue };
        for label in f.converted.typst.split("<chua-co.").skip(1) {
            let Some(id) = label.split('>').next() else { continue };
            let parts: Vec<&str> = id.split('.').collect();
            if let [sector, code, "cung_ky"] = parts[..] {
                let pair = (sector.to_string(), code.to_string());
                if !out.contains(&pair) {
                    out.push(pair);
                }
            }
        }
    }
    out
}

impl Project {
    /// A draft PDF of `req` (blank values as placeholders) at
    /// `<out_dir>/<report>-<period>-ban-nhap.pdf`, written atomically. Never a
    /// version: nothing goes to the history, nothing can be issued from it.
    pub fn write_draft(
        &self,
        req: &crate::project::Request,
        out_dir: &std::path::Path,
    ) -> Result<(std::path::PathBuf, crate::project::Rendered)> {
        let rendered = self.render(&mut self.world(), req, figures::check::CheckOptions::draft())?;
        std::fs::create_dir_all(out_dir).map_err(|e| Error::io(crate::error::IoAction::CreateDir, out_dir, e))?;
        let path = out_dir.join(format!("{}-{}-ban-nhap.pdf", req.report, req.period));
        crate::archive::output::write_atomic(&path, &rendered.pdf)?;
        Ok((path, rendered))
    }
}
