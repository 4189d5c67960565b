//! The ground floor every stage stands on: periods and their words ([`period`]),
//! the alignment of two sequences ([`align`]),
//! Vietnamese number formatting ([`number`]), a report type's `mau.toml`
//! ([`manifest`]), a project's folders ([`folders`]) and what to render ([`request`]). It knows no pipeline: nothing here reads figures, templates
//! or Typst.

pub mod align;
pub mod folders;
pub mod manifest;
pub mod number;
pub mod period;
pub mod request;
pub mod words;
