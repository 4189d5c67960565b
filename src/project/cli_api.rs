//! The facade's command-line part: what `src/cmd` calls beyond the web's
//! methods in [`crate::project::facade`], and the few value types it names. `src/cmd`
//! imports from here (and `baocao::project::facade`) only, never from a stage.
//!
//! ```no_run
//! use baocao::project::cli_api::{Actor, Extras, Project, World};
//! let project = Project::open(".");
//! let req = project.request("bao-cao-thang", "2026-02").unwrap();
//! let mut world: World = project.world();
//! let rendered = project.render(&mut world, &req, Default::default()).unwrap();
//! let (pdf, version) = project
//!     .save_version(&Actor::local(), &project.root.join("out"), &req, &rendered, Extras::default(), None)
//!     .unwrap();
//! println!("{} (phiên bản {version})", pdf.display());
//! ```

use std::path::{Path, PathBuf};

use crate::archive::output::{self, OutputPaths};
use crate::error::{Error, Result};

pub use crate::archive::issuance::Issued;
pub use crate::archive::output::VersionManifest;
pub use crate::archive::publish::Extras;
pub use crate::base::period::Period;
pub use crate::error::AccountProblem;
pub use crate::figures::check::CheckOptions;
pub use crate::figures::remaining::{Remaining, Target as RemainingTarget};
pub use crate::figures::SAMPLE_MARKER;
/// The Typst world a series of renders share (its caches make re-renders fast).
pub use crate::layout::world::BaocaoWorld as World;
pub use crate::office::actor::{Actor, Role};
pub use crate::office::scaffold::{NewPeriod, NewPeriodPlan};
pub use crate::project::{peak_memory_mb, Project, Rendered, Request, SHARED_DIR};

impl Project {
    /// Periods with a data folder, oldest first.
    pub fn periods(&self) -> Vec<Period> {
        crate::figures::periods(&self.data_dir())
    }

    /// Saves a rendered report as a new version under `out_dir`. When the
    /// report is issued and the PDF differs, the version is a correction and
    /// needs a reason (logged since the issue, or `reason`).
    pub fn save_version(
        &self,
        actor: &Actor,
        out_dir: &Path,
        req: &Request,
        rendered: &Rendered,
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
