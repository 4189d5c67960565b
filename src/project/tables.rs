//! Reading a sector file's bytes as the hall needs them before any change: its
//! tables, the sectors it holds and the findings the loader would give, read in
//! memory without touching the period folder or any other. Also which columns a clerk may edit.

use std::path::Path;

use crate::base::number;
use crate::error::{Findings, Problem, Severity};
use crate::figures::{self, table};

/// Columns a clerk may edit on the figures page (numbers only).
pub const EDITABLE: [&str; 5] = ["gia_tri", "cung_ky", "du_toan_tw", "du_toan_hdnd", "ke_hoach"];

/// Lower-case extension of a path.
pub(crate) fn ext(p: &Path) -> String {
    p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// The findings and the sector names of a candidate file's bytes, as the loader
/// would give them for that file alone (read in memory; a file without a sector
/// and without errors is an error of its own).
pub(crate) fn read_candidate(target: &Path, shown: &Path, bytes: &[u8]) -> (Findings, Vec<String>) {
    let (sectors, mut f) = figures::read_bytes(target, shown, bytes);
    if sectors.is_empty() && !f.has_errors() {
        f.push(Severity::Error, crate::error::Location::file(shown), None, Problem::EmptyFile);
    }
    (f, sectors.into_keys().collect())
}

/// Findings of a candidate file's bytes, as the loader reports them
/// (messages name the real place).
pub(crate) fn validate_bytes(target: &Path, shown: &Path, bytes: &[u8]) -> Findings {
    read_candidate(target, shown, bytes).0
}

/// The tables of a sector file's bytes (CSV: one, named after the file; xlsx:
/// one per sheet), these bytes and not the file's current ones.
pub(crate) fn read_tables(path: &Path, shown: &Path, bytes: &[u8]) -> Vec<table::Table> {
    table::tables_of(bytes, path, shown, &mut Findings::default())
}

pub(crate) fn cell_text(c: &table::Cell) -> String {
    match c {
        table::Cell::Text(t) => t.clone(),
        table::Cell::Number(n) => number::format_trim(*n, 6),
    }
}
