//! baocao: the periodic reports of Ủy ban nhân dân tỉnh Lai Châu, produced from
//! data by a pipeline of stages, one folder each:
//!
//! 1. [`figures`] – the period's figures from CSV/xlsx, comparisons computed
//!    (never typed) and consistency checks;
//! 2. [`wording`] – minijinja fragments in a safe text language, to Typst markup;
//! 3. [`layout`] – embedded Typst with built-in fonts, tables, charts, the layout
//!    check, to PDF/A-2b;
//! 4. [`archive`] – atomic, versioned output, issuing and corrections.
//!
//! [`import`] turns a Word document into a new report type (`baocao nhap-word`).
//! [`office`] holds the people around it (actors, accounts, the change log,
//! submissions), [`base`] the ground floor (periods, numbers, `mau.toml`).
//! [`project::Project`] is the hall both doors enter: the `baocao` binary
//! (`src/cmd/`) and the web page ([`serve`]).

mod archive;
mod base;
mod error;
mod figures;
mod import;
mod layout;
mod office;
mod project;
pub mod serve;
mod wording;

// The face: what the two doors (the binary's `cmd/`, the web page's `serve/`) use.

pub use archive::issuance::Issued;
pub use archive::output::OutputPaths;
pub use archive::output::VersionManifest;
pub use archive::publish::Extras;
pub use archive::{compare, textdiff};
pub use base::period::Period;
pub use base::words;
pub use error::{AccountProblem, Error, Finding, Findings, Result, TaskKind};
pub use figures::check::CheckOptions;
pub use figures::remaining::{Remaining, Target as RemainingTarget, Task as RemainingTask};
pub use figures::SAMPLE_MARKER;
pub use import::Summary as ImportSummary;
/// The Typst world a series of renders share (its caches make re-renders fast).
pub use layout::world::BaocaoWorld as World;
pub use office::accounts;
pub use office::actor::{Actor, Role};
pub use office::audit::is_bookkeeping;
pub use office::scaffold::{NewPeriod, NewPeriodPlan};
pub use project::batch::{workers as batch_workers, Finished, InOrder};
pub use project::{peak_memory_mb, CellEdit, FragmentEdit, History, ImportDone, Project, Rendered, Request, TabUpload, SHARED_DIR};

/// Not part of the face: the parsers, formatters and failure switches beneath the
/// hall that the integration tests, benches and fuzz targets exercise directly.
/// Kept in one place so the face above stays what the doors need.
#[doc(hidden)]
pub mod internals {
    pub use crate::archive::output::{FAIL_BEFORE_RENAME_ENV, FAIL_WRITE_ENV};
    pub use crate::archive::publish::publish;
    pub use crate::base::{manifest, number};
    pub use crate::figures::edit::set_csv_cell;
    pub use crate::figures::table::read_xlsx;
    pub use crate::figures::{derive, exchange, parse_sector_csv, read_folder, sha256_hex, Indicator};
    pub use crate::layout::world::BaocaoWorld;
    pub use crate::layout::{handoff, text};
    pub use crate::office::audit;
    pub use crate::project::batch::WORKERS_ENV as BATCH_WORKERS_ENV;
    pub use crate::project::{export_pdf, page_images};
    pub use crate::wording::{markup, own_text, stale};
}
