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
//! [`office`] holds the people around it (actors, accounts, the change log,
//! submissions), [`base`] the ground floor (periods, numbers, `mau.toml`).
//! [`project::Project`] is the hall both doors enter: the `baocao` binary
//! (`src/cmd/`) and the web page ([`serve`]).

pub mod archive;
pub mod base;
pub mod error;
pub mod figures;
pub mod layout;
pub mod office;
pub mod project;
pub mod serve;
pub mod wording;

pub use archive::issuance::Issued;
pub use archive::output::VersionManifest;
pub use archive::publish::Extras;
pub use base::period::Period;
pub use error::{AccountProblem, Error, Result};
pub use figures::check::CheckOptions;
pub use figures::SAMPLE_MARKER;
/// The Typst world a series of renders share (its caches make re-renders fast).
pub use layout::world::BaocaoWorld as World;
pub use office::actor::{Actor, Role};
pub use project::{peak_memory_mb, History, Project, Rendered, Request, SHARED_DIR};
