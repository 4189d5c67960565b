//! Versions in out/: laying out and publishing a version, the list of versions,
//! a version's PDF, the figures that differ between two, issuing (ban hành) and
//! the period's change log. A version is never rewritten once made.

use super::access::{allow, Access};
use crate::archive::compare::{self, Comparison};
use crate::archive::issuance::{self, Issued};
use crate::archive::output::{self, OutputPaths, VersionManifest};
use crate::archive::publish::Extras;
use crate::base::period::Period;
use crate::base::words::Names;
use crate::error::OfficeTask;
use crate::error::{ChangeNote, Error, Result};
use crate::figures::check::CheckOptions;
use crate::layout::world::BaocaoWorld;
use crate::office::actor::Actor;
use crate::office::audit::{self, Entry, Kind};
use crate::project::render::FormatCheck;
use crate::project::{Project, Rendered, Request};
use std::path::{Path, PathBuf};

/// A laid-out document not yet exported to PDF.
pub struct Laid {
    pub rendered: Rendered,
}

/// The live preview's layout before its format check: its pages can be shown
/// at once ([`Draft::rendered`]); [`Draft::checked`] adds what the check finds.
pub struct Draft {
    laid: Laid,
    check: FormatCheck,
}

impl Draft {
    /// The laid-out pages, and the findings of every stage but the format check.
    pub fn rendered(&self) -> &Rendered {
        &self.laid.rendered
    }

    /// Runs the format check on the pages; its findings come after the others.
    pub fn checked(self) -> Laid {
        let Draft { mut laid, check } = self;
        check.apply(&mut laid.rendered);
        laid
    }
}

impl Project {
    /// Saves a rendered report as a new version under `out_dir`. When the
    /// report is issued and the PDF differs, the version is a correction and
    /// needs a reason (logged since the issue, or `reason`). A report only laid
    /// out ([`Project::lay_out`]) is exported here, while the version's texts and
    /// side files are made on the other core.
    pub fn save_version(
        &self,
        actor: &Actor,
        out_dir: &Path,
        req: &Request,
        rendered: &mut Rendered,
        extras: Extras,
        reason: Option<&str>,
    ) -> Result<(PathBuf, u32)> {
        crate::archive::publish::publish_checked(self, out_dir, req, rendered, extras, &actor.name, reason).map_err(|e| match e {
            Error::Locked { period } => Error::LockedRender { period },
            other => other,
        })
    }

    /// The saved versions (oldest first), the issues and the history folder of a
    /// report and period under `out_dir`.
    pub fn history_in(&self, out_dir: &Path, req: &Request) -> History {
        let paths = OutputPaths::new(out_dir, &req.report, &req.period.to_string());
        History {
            versions: paths.versions(),
            issues: crate::archive::issuance::issued(&paths),
            paths,
        }
    }

    /// Lays out a report without exporting the PDF (the preview needs only pages).
    pub fn lay_out(&self, world: &mut BaocaoWorld, req: &Request) -> Result<Laid> {
        let rendered = self.lay_out_pages(world, req, CheckOptions::default())?;
        Ok(Laid { rendered })
    }

    /// Lays out the live preview: blank values show as "[chưa có: …]" placeholders,
    /// so the page shows the month from its first figure. Never a version. The
    /// format check waits until the pages are shown ([`Draft::checked`]).
    pub fn lay_out_draft(&self, world: &mut BaocaoWorld, req: &Request) -> Result<Draft> {
        let (rendered, check) = self.lay_out_unchecked(world, req, CheckOptions::draft())?;
        Ok(Draft {
            laid: Laid { rendered },
            check,
        })
    }

    /// Exports a laid-out report to PDF and saves it as a new version in out/;
    /// `who` asked for it (named in the change log when the version corrects an issued one).
    pub fn publish_laid(&self, req: &Request, mut laid: Laid, who: &str) -> Result<(PathBuf, u32)> {
        crate::archive::publish::publish_checked(self, &self.root.join("out"), req, &mut laid.rendered, Default::default(), who, None)
    }

    /// The versions saved for a report and period, oldest first.
    pub fn versions(&self, req: &Request) -> Vec<VersionManifest> {
        OutputPaths::new(&self.root.join("out"), &req.report, &req.period.to_string()).versions()
    }

    /// The bytes of version `n` (0 = the latest PDF).
    pub fn version_pdf(&self, req: &Request, n: u32) -> Result<Vec<u8>> {
        let paths = OutputPaths::new(&self.root.join("out"), &req.report, &req.period.to_string());
        let p = if n == 0 { paths.latest } else { paths.version_pdf(n) };
        crate::base::folders::read(&p).map_err(|_| Error::NotFound(self.shown(&p)))
    }

    /// Versions `a` and `b` compared as people read them: figures by name, the
    /// changed sentences of the document (see [`compare`]).
    pub fn compare_versions(&self, actor: &Actor, req: &Request, a: u32, b: u32) -> Result<Comparison> {
        allow(actor, &Access::Office(OfficeTask::CompareVersions))?;
        let v = self.versions(req);
        let get = |n: u32| {
            v.iter()
                .find(|m| m.version == n)
                .ok_or_else(|| Error::UnknownVersion(n.to_string()))
        };
        let names = Names::load(&self.data_dir(), &self.report_dir(&req.report), req.period);
        let paths = OutputPaths::new(&self.root.join("out"), &req.report, &req.period.to_string());
        Ok(compare::compare(&paths, get(a)?, get(b)?, &names))
    }

    /// Marks a version (default: the newest) of a report and period as issued.
    /// Văn phòng only; written atomically and logged.
    pub fn issue_version(&self, actor: &Actor, report: &str, period: &str, version: Option<u32>) -> Result<Issued> {
        allow(actor, &Access::Office(OfficeTask::Issue))?;
        let req = self.request(report, period)?;
        let paths = OutputPaths::new(&self.root.join("out"), report, period);
        let lock = self.log_lock(req.period)?;
        let issued = issuance::mark(&paths, version, &actor.name)?;
        let mut e = Entry::new(
            &actor.name,
            Kind::Issue,
            audit::shown(&self.root, &paths.version_pdf(issued.version)),
        );
        e.note = Some(
            ChangeNote::Issued {
                report: report.to_string(),
                period: period.to_string(),
                version: issued.version,
            }
            .to_string(),
        );
        e.sha256 = Some(issued.sha256_pdf.clone());
        lock.append(&e)?;
        Ok(issued)
    }

    /// The issues (ban hành) of a report and period, oldest first.
    pub fn issues_of(&self, req: &Request) -> Vec<Issued> {
        issuance::issued(&OutputPaths::new(&self.root.join("out"), &req.report, &req.period.to_string()))
    }

    /// The log of `period` (oldest first) and warnings for lines that could not be read.
    pub fn change_log(&self, period: Period) -> (Vec<Entry>, Vec<String>) {
        let dir = issuance::log_dir(self, period);
        audit::read(&dir, &self.shown(&audit::log_path(&dir)))
    }
}

/// The versions of one report and period in one output folder.
pub struct History {
    pub versions: Vec<VersionManifest>,
    pub issues: Vec<Issued>,
    paths: OutputPaths,
}

impl History {
    /// The folder the versions are kept in.
    pub fn dir(&self) -> &Path {
        &self.paths.history
    }
    /// The PDF of version `n`.
    pub fn pdf(&self, n: u32) -> PathBuf {
        self.paths.version_pdf(n)
    }
    /// The laid-out text of version `n` (empty when it was not kept).
    pub fn text(&self, n: u32) -> String {
        self.paths.version_text(n)
    }
    /// Figures that differ between two versions: (code, old, new).
    pub fn figure_changes(old: &VersionManifest, new: &VersionManifest) -> Vec<(String, String, String)> {
        output::diff(old, new)
    }
}
