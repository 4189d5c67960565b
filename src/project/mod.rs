//! The hall: [`Project`], the one entrance both doors (the `baocao` command in
//! `src/cmd/` and the web page in `src/serve/`) call. One file per capability:
//! [`access`](self) turns request names into validated types and decides every
//! permission; `render` runs the pipeline; `figures`, `fragments`, `periods`,
//! `versions`, `views`, `submissions` are what the doors do with a period. Nothing
//! below the hall takes a `Project`; the stages get paths and values.

mod access;
mod accounts;
pub mod batch;
mod figures;
mod fragments;
mod import;
mod issue_check;
mod periods;
mod render;
pub mod settings;
pub mod submissions;
mod tables;
mod type_settings;
mod versions;
mod views;
mod word_review;

pub use crate::layout::rendered::Rendered;
pub use access::{parse_period, MAX_UPLOAD_BYTES};
pub use figures::{CellEdit, TabUpload};
pub use fragments::FragmentEdit;
pub use import::ImportDone;
pub use render::{export_pdf, peak_memory_mb};
pub use type_settings::TypeSettings;
pub use versions::{History, Laid};
pub use views::{page_images, page_svg};
pub use word_review::NewIndicator;

use std::path::PathBuf;

use crate::base::folders::Folders;
use crate::base::manifest::Manifest;
use crate::base::period::Period;
pub use crate::base::request::Request;
use crate::error::{Error, Result};
use crate::layout::fonts::Fonts;

/// Default report type when none is named.
pub const DEFAULT_REPORT: &str = "bao-cao-thang";
/// Folder of shared layouts inside templates/.
pub const SHARED_DIR: &str = "_chung";
/// A baocao project folder (data/, templates/, fonts/, out/).
///
/// `Send + Sync`: one project serves every request of the web page. Fonts are
/// parsed on first use, once per process ([`Fonts::shared`]); the settings file is
/// read again only when it changes ([`Project::config`]).
pub struct Project {
    folders: Folders,
    fonts: std::sync::OnceLock<Fonts>,
    /// The sector files being saved now, read by the live preview meanwhile.
    being_saved: crate::figures::being_saved::BeingSaved,
}

/// A project is its folders (what the stages get) plus what a running program keeps.
impl std::ops::Deref for Project {
    type Target = Folders;
    fn deref(&self) -> &Folders {
        &self.folders
    }
}

impl Project {
    /// Opens a project folder (reads nothing yet: fonts and settings on first use).
    pub fn open(root: impl Into<PathBuf>) -> Project {
        Project {
            folders: Folders::new(root),
            fonts: std::sync::OnceLock::new(),
            being_saved: Default::default(),
        }
    }

    /// The project's fonts (its fonts/ folder, then the embedded ones).
    pub fn fonts(&self) -> &Fonts {
        self.fonts.get_or_init(|| Fonts::shared(&self.root.join("fonts")))
    }

    /// The newest real month with figures (the newest sample month only when
    /// there is no real one).
    pub fn latest_period(&self) -> Result<Period> {
        crate::figures::sample::latest_real_month(&self.data_dir())
            .or_else(|| {
                crate::figures::periods(&self.data_dir())
                    .into_iter()
                    .rfind(|p| p.is_month() && crate::figures::has_figures(&self.data_dir().join(p.to_string())))
            })
            .ok_or_else(|| Error::NoPeriods(self.data_dir()))
    }

    /// Reads and parses a report type's manifest.
    pub fn manifest(&self, report: &str) -> Result<Manifest> {
        let dir = self.report_dir(report);
        if !crate::base::manifest::is_fragment_name(report) || !dir.join(crate::base::manifest::FILE_NAME).is_file() {
            return Err(Error::UnknownReport {
                name: report.to_string(),
                dir: self.shown(&self.templates_dir()),
                available: self.report_types().join(", "),
            });
        }
        Manifest::load(&dir, &self.shown(&dir.join(crate::base::manifest::FILE_NAME)))
    }
}
