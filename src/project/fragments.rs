//! A report type's text (its fragments) as the doors read and change it. Văn
//! phòng only; a fragment changed by someone else since it was read is refused,
//! and an issued period takes a change only with a reason.

use super::access::{allow, check_name, clean_reason, Access};
use crate::archive::issuance::{self};
use crate::archive::output::{self};
use crate::base::period::Period;
use crate::error::OfficeTask;
use crate::error::{ChangeDescription, Error, IoAction, Problem, Result};
use crate::figures::check::CheckOptions;
use crate::figures::sha256_hex;
use crate::office::actor::Actor;
use crate::office::audit::{self, Kind};
use crate::project::{Project, Request};
use crate::wording::own_text;
use std::path::PathBuf;

/// A fragment error: its line (when known) and the message.
/// One fragment edit: the whole new text of `name` of report type `report`,
/// made while looking at `period` (an issued period needs a `reason`).
#[derive(Debug, Clone)]
pub struct FragmentEdit {
    pub report: String,
    pub name: String,
    pub text: String,
    /// The hash of the text as the page read it (a newer file refuses the edit,
    /// unless `base` lets both edits be kept).
    pub hash: String,
    /// The text as the page read it: when someone saved the fragment meanwhile
    /// and the two changed different lines, both changes are kept.
    pub base: Option<String>,
    pub period: Period,
    pub reason: Option<String>,
}

pub type LineError = (Option<usize>, String);

/// What a fragment save did.
#[derive(Debug, Clone)]
pub struct SavedFragment {
    /// The hash of the text now stored.
    pub hash: String,
    /// Its template errors for the period (line, message).
    pub errors: Vec<LineError>,
    /// The text stored, when it is the edit put together with someone else's
    /// saved meanwhile (the page shows it in place of its own).
    pub merged: Option<String>,
}

impl Project {
    /// The fragment names of a report type, in manifest order.
    pub fn fragment_names(&self, report: &str) -> Result<Vec<String>> {
        check_name(report)?;
        let m = self.manifest(report)?;
        let mut v: Vec<String> = m.sections.iter().filter_map(|s| s.fragment.clone()).collect();
        v.dedup();
        Ok(v)
    }

    pub(crate) fn fragment_path(&self, report: &str, name: &str) -> Result<PathBuf> {
        check_name(name)?;
        if !self.fragment_names(report)?.iter().any(|n| n == name) {
            return Err(Error::NotFound(self.shown(&self.report_dir(report).join(format!("{name}.txt")))));
        }
        Ok(self.report_dir(report).join(format!("{name}.txt")))
    }

    /// The file an edit of fragment `name` for `period` starts from: the
    /// period's own copy, else the previous month's, else the template.
    fn fragment_source(&self, report: &str, name: &str, period: Period) -> Result<PathBuf> {
        let template = self.fragment_path(report, name)?;
        Ok(own_text::edit_source(&self.data_dir(), &self.report_dir(report), period, name).unwrap_or(template))
    }

    /// A fragment's text for `period` (what an edit starts from) and its hash.
    pub fn read_fragment(&self, actor: &Actor, report: &str, name: &str, period: Period) -> Result<(String, String)> {
        allow(actor, &Access::Office(OfficeTask::Fragments))?;
        self.known_period(period)?;
        let p = self.fragment_source(report, name, period)?;
        let bytes = crate::base::folders::read(&p).map_err(|e| Error::io(IoAction::Read, &p, e))?;
        Ok((String::from_utf8_lossy(&bytes).into_owned(), sha256_hex(&bytes)))
    }

    /// Saves a fragment; when the file changed since `expected_hash`, the two
    /// edits are put together if they changed different lines (else refused).
    /// Returns its new hash and the template errors it now has for `period`
    /// (line, message): the file is saved, the last good PDF stays until they are fixed.
    /// Văn phòng only; when the report is issued for `period`, only with a
    /// `reason`. Logged in the period's log before this returns.
    pub fn save_fragment(&self, actor: &Actor, edit: &FragmentEdit) -> Result<SavedFragment> {
        let FragmentEdit {
            report,
            name,
            text,
            hash: expected_hash,
            base,
            period,
            reason,
        } = edit;
        let mut merged = None;
        let (period, reason) = (*period, reason.as_deref());
        allow(actor, &Access::Office(OfficeTask::EditFragment))?;
        self.known_period(period)?;
        let source = self.fragment_source(report, name, period)?;
        let reason = clean_reason(reason);
        let hash = {
            let lock = self.log_lock(period)?;
            // Inside the period lock, as "Ban hành" takes it: no save slips past an issue.
            if issuance::report_lock(self, report, period).is_some() && reason.is_none() {
                return Err(Error::Locked {
                    period: period.to_string(),
                });
            }
            let old = crate::base::folders::read(&source).map_err(|e| Error::io(IoAction::Read, &source, e))?;
            if sha256_hex(&old) != *expected_hash {
                // Only a base that is what the page was given counts.
                let both = base
                    .as_ref()
                    .filter(|b| sha256_hex(b.as_bytes()) == *expected_hash)
                    .and_then(|b| crate::wording::merge::merge_lines(b, &String::from_utf8_lossy(&old), text));
                let Some(both) = both else {
                    return Err(Error::StaleFile {
                        file: self.shown(&source),
                        changes: ChangeDescription::FragmentText.to_string(),
                    });
                };
                merged = Some(both);
            }
            let text = merged.as_ref().unwrap_or(text);
            // The period's own copy: an edit for one month never changes another's text.
            let p = own_text::edit_target(&self.data_dir(), &self.report_dir(report), period, name)?.path;
            output::write_atomic(&p, text.as_bytes())?;
            let mut e = self.entry(actor, Kind::EditFragment, &p, reason);
            e.cells = audit::line_changes(&String::from_utf8_lossy(&old), text);
            let hash = sha256_hex(text.as_bytes());
            e.sha256 = Some(hash.clone());
            lock.append(&e)?;
            hash
        };
        // The lock is released: checking loads the period, which takes it.
        let req = Request {
            report: report.to_string(),
            period,
        };
        let file = format!("{name}.txt");
        // The text is saved and logged: a check that fails (Typst, data) is shown
        // with the answer of a success, never as a failed save (issue 27, item 9).
        let errors = match self.check(&req, CheckOptions::default()) {
            Ok(findings) => findings
                .0
                .into_iter()
                .filter(|f| matches!(f.problem, Problem::Template(_)) && f.location.file.ends_with(&file))
                .map(|f| (f.location.line, f.to_string()))
                .collect(),
            Err(e) => vec![(e.location().and_then(|l| l.line), e.to_string())],
        };
        Ok(SavedFragment { hash, errors, merged })
    }
}
