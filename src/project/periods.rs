//! The hall's questions about periods as a whole: which are samples, which month
//! to start next and what starting it copies from where. Thin: the rules live in
//! [`crate::figures::sample`] and [`crate::office::scaffold`]. Refuses nothing itself.

use crate::base::period::Period;
use crate::error::{Error, Result};
use crate::figures;
use crate::office::scaffold::{self, NewPeriodPlan};
use crate::project::Project;

impl Project {
    /// Whether `period` is sample data (see [`figures::sample::is_sample_period`]).
    pub fn is_sample_period(&self, period: Period) -> bool {
        figures::sample::is_sample_period(&self.data_dir(), period)
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
    /// the submission status adds the sector files with no value yet.
    pub fn remaining(&self, req: &crate::project::Request) -> Result<figures::remaining::Remaining> {
        let opts = figures::check::CheckOptions::draft();
        let prepared = self.prepare(req, opts, &mut crate::project::Timings::default())?;
        let blank_priors = blank_priors(&prepared.source);
        let status = self.submission(&req.period.to_string()).ok();
        let not_sent: Vec<std::path::PathBuf> = status
            .iter()
            .flat_map(|s| s.files.iter())
            .filter(|f| f.state == crate::office::submission::State::Empty)
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
