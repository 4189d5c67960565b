//! Issuing with the figures checked first: `ban-hanh` refuses while `check` finds
//! totals that do not match their parts, unless the office acknowledges them with
//! a reason, which goes into the period's change log with the mismatches it
//! covers. The rule itself lives in [`crate::archive::issuance::acknowledge`].

use crate::archive::issuance::{self, Issued};
use crate::error::{ChangeNote, Result};
use crate::figures::check::CheckOptions;
use crate::office::actor::Actor;
use crate::office::audit::{self, Entry, Kind, PeriodLock};
use crate::project::Project;

impl Project {
    /// Issues `version` (default: the newest) of a report and period after the
    /// totals check; `reason` acknowledges the mismatches it finds (refused without).
    pub fn issue_checked(&self, actor: &Actor, report: &str, period: &str, version: Option<u32>, reason: Option<&str>) -> Result<Issued> {
        crate::project::access::allow(actor, &crate::project::access::Access::Office(crate::error::OfficeTask::Issue))?;
        let req = self.request(report, period)?;
        self.refuse_sample(&req)?;
        let paths = crate::archive::output::OutputPaths::new(&self.root.join("out"), report, period);
        let m = issuance::find_version(&paths, version)?;
        issuance::may_issue(&paths, m.version)?;
        let findings = self.check(&req, CheckOptions::default())?;
        let mismatches = issuance::mismatches(&findings);
        let acknowledged = issuance::acknowledge(&mismatches, reason)?;
        let issued = self.issue_version(actor, report, period, version)?;
        if let Some(reason) = acknowledged {
            let dir = issuance::log_dir(self, req.period);
            let lock = PeriodLock::take(&dir)?;
            let pdf = paths.version_pdf(issued.version);
            let mut e = Entry::new(&actor.name, Kind::Issue, audit::shown(&self.root, &pdf));
            e.reason = Some(reason);
            e.note = Some(
                ChangeNote::TotalsAcknowledged {
                    report: report.to_string(),
                    period: period.to_string(),
                    version: issued.version,
                    mismatches,
                }
                .to_string(),
            );
            lock.append(&e)?;
        }
        Ok(issued)
    }

    /// Refuses to issue a report made from sample figures, naming where the sample mark is.
    fn refuse_sample(&self, req: &crate::project::Request) -> Result<()> {
        if !self.is_sample_report(&req.report, req.period) {
            return Ok(());
        }
        let marker = crate::figures::SAMPLE_MARKER;
        let own = format!("{}/{}", req.period, req.report);
        let folders = if self.data_dir().join(&own).join(marker).is_file() {
            vec![own]
        } else {
            let months = crate::figures::sample::sample_months(&self.data_dir(), req.period);
            let mut folders: Vec<String> = months.iter().map(|m| m.to_string()).collect();
            if folders.is_empty() {
                folders.push(req.period.to_string());
            }
            folders
        };
        let marked = folders.iter().map(|f| format!("data/{f}/{marker}")).collect::<Vec<_>>().join(", ");
        Err(crate::error::Error::Issue {
            period: req.period.to_string(),
            problem: crate::error::IssueProblem::Sample { marked },
        })
    }
}
