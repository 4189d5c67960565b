//! baocao: the periodic reports of Ủy ban nhân dân tỉnh Lai Châu, produced from
//! data by a pipeline of stages, one module each:
//!
//! 1. [`data`] – the period's figures from CSV/xlsx (indicators);
//! 2. [`derive`] and [`check`] – comparisons computed, never typed, and consistency checks;
//! 3. [`template`] – minijinja fragments in a safe text language, to Typst markup;
//! 4. [`typeset`] – embedded Typst with built-in fonts, to PDF/A-2b;
//! 5. [`output`] and [`publish`] – atomic, versioned output.
//!
//! [`report::Project`] ties them together; the `baocao` binary only parses flags.
//! Every user-facing message is in [`error`].

pub mod accounts;
pub mod actor;
pub mod appendix;
pub mod batch;
pub mod check;
pub mod data;
pub mod derive;
/// Rewriting one value of a sector file (lives in data/; declared here so data/mod.rs stays untouched).
#[path = "data/edit.rs"]
pub mod edit;
pub mod error;
pub mod facade;
pub mod handoff;
pub mod layout_check;
pub mod manifest;
pub mod number;
pub mod output;
pub mod period;
pub mod publish;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod settings;
pub mod stale;
pub mod submission;
pub mod template;
pub mod textdiff;
pub mod typeset;

pub mod chart;
pub mod cli_api;
pub mod indicator_table;
pub mod target;

pub mod audit;
pub mod issuance;

pub use error::{Error, Result};
pub use report::{Project, Request};
