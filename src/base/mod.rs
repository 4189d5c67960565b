//! The ground floor every stage stands on: periods and their words ([`period`]),
//! Vietnamese number formatting ([`number`]) and a report type's `mau.toml`
//! ([`manifest`]). It knows no pipeline: nothing here reads figures, templates
//! or Typst.

pub mod manifest;
pub mod number;
pub mod period;
pub mod words;
