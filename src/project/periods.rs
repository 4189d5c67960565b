//! Periods and report types: which periods exist, starting the next month
//! from the newest one, and new report types. Văn phòng only; each file made is
//! logged.

use super::access::{allow, Access};
use crate::base::period::Period;
use crate::error::OfficeTask;
use crate::error::{ChangeNote, Error, IoAction, Result};
use crate::figures::sha256_hex;
use crate::office::actor::Actor;
use crate::office::audit::{self, Kind, PeriodLock};
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
            let bytes = std::fs::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
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
            e.sha256 = std::fs::read(&manifest).ok().map(|b| sha256_hex(&b));
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
