//! Reading a sector file's bytes as the hall needs them before any change: its
//! tables, the sectors it holds and the findings a scratch load gives, without
//! touching the period folder. Also which columns a clerk may edit.

use std::path::Path;

use crate::base::number;
use crate::base::period::Period;
use crate::error::{Findings, Problem, Severity};
use crate::figures::{self, table};

/// Columns a clerk may edit on the figures page (numbers only).
pub const EDITABLE: [&str; 5] = ["gia_tri", "cung_ky", "du_toan_tw", "du_toan_hdnd", "ke_hoach"];

/// Lower-case extension of a path.
pub(crate) fn ext(p: &Path) -> String {
    p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// The findings and the sector names of a candidate file's bytes.
pub(crate) fn scratch_read(target: &Path, shown: &Path, bytes: &[u8]) -> (Findings, Vec<String>) {
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = std::env::temp_dir().join(format!("baocao-kiem-tra-{}-{n}", std::process::id()));
    let name = target.file_name().unwrap_or_default();
    let mut f = Findings::default();
    let read = std::fs::create_dir_all(&tmp)
        .and_then(|_| std::fs::write(tmp.join(name), bytes))
        .map_err(|e| e.to_string())
        .and_then(|_| figures::read_folder(&tmp, &tmp, Period::Year { year: 2000 }).map_err(|e| e.to_string()));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut sectors = Vec::new();
    match read {
        Ok(d) => {
            sectors = d.sectors.keys().cloned().collect();
            let parent = shown.parent().unwrap_or(Path::new(""));
            for mut x in d.findings.0 {
                x.location.file = parent.join(&x.location.file);
                f.0.push(x);
            }
            if d.sectors.is_empty() && !f.has_errors() {
                f.push(Severity::Error, crate::error::Location::file(shown), None, Problem::EmptyFile);
            }
        }
        Err(detail) => f.push(
            Severity::Error,
            crate::error::Location::file(shown),
            None,
            Problem::CsvSyntax { detail },
        ),
    }
    (f, sectors)
}

/// Findings of a candidate file's bytes, as the loader reports them (it reads
/// a scratch folder holding only this file; messages name the real place).
pub(crate) fn validate_bytes(target: &Path, shown: &Path, bytes: &[u8]) -> Findings {
    scratch_read(target, shown, bytes).0
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
