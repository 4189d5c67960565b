//! Appendix tables (Phụ lục): rows from a CSV, columns and grouping from the
//! manifest, handed to the layout as data (never as markup).

use std::path::{Path, PathBuf};

use crate::base::manifest::{Appendix, AppendixAssessment, Column};
use crate::base::number::{self, Parsed};
use crate::error::{Error, Findings, Location, ManifestDetail, Problem, Severity};
use crate::figures::table;

/// A group row: its first cell is a Roman numeral (I, II, ...) or one capital letter (A, B).
pub fn is_group_code(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && (s.chars().all(|c| "IVXLC".contains(c)) || (s.len() == 1 && s.chars().all(|c| c.is_ascii_uppercase())))
}

/// A numeric cell in Vietnamese format; anything else ("≥ 80", "-") as written.
fn number_cell(s: &str) -> String {
    match number::parse(s) {
        Ok(Parsed::Exact { value, decimals, .. }) => number::format(value, decimals),
        Ok(Parsed::Ambiguous { thousands, .. }) => number::format(thousands, 0),
        Err(_) => s.trim().to_string(),
    }
}

/// A percent sign glued to its number, as the documents write it ("0%", "5,4%"): a
/// table typed "0 %" in one row and "0%" in the next prints both as "0%".
fn tight_percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '%' {
            let kept = out.trim_end_matches([' ', '\u{a0}']).len();
            if out[..kept].ends_with(|d: char| d.is_ascii_digit()) {
                out.truncate(kept);
            }
        }
        out.push(c);
    }
    out
}

/// Marker of a cell merged into the cell on its left.
pub const MERGE_LEFT: &str = "<<";
/// Marker of a cell merged into the cell above it.
pub const MERGE_UP: &str = "^^";

/// One table cell after merging: text, columns and rows it spans.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
struct Cell {
    t: String,
    span: usize,
    rows: usize,
    #[serde(rename = "cot")]
    col: usize,
}

/// Applies the merge markers: `<<` widens the cell on its left, `^^` lengthens the cell above.
fn merge(rows: &[Vec<String>]) -> Vec<Vec<Cell>> {
    let mut out: Vec<Vec<Cell>> = Vec::new();
    for r in rows {
        let mut cells: Vec<Cell> = Vec::new();
        for (col, c) in r.iter().enumerate() {
            match cells.last_mut() {
                Some(last) if c.trim() == MERGE_LEFT => last.span += 1,
                _ => cells.push(Cell {
                    t: c.clone(),
                    span: 1,
                    rows: 1,
                    col,
                }),
            }
        }
        let mut kept = Vec::new();
        for cell in cells {
            let above = (cell.t.trim() == MERGE_UP)
                .then(|| {
                    out.iter_mut()
                        .rev()
                        .find_map(|prev| prev.iter_mut().find(|p| p.col == cell.col && p.t.trim() != MERGE_UP))
                })
                .flatten();
            match above {
                Some(a) => a.rows += 1,
                None => kept.push(cell),
            }
        }
        out.push(kept);
    }
    out
}

/// Reads the appendix's table from the first existing candidate file and
/// returns the JSON the layout draws.
pub fn load(a: &Appendix, candidates: &[&Path], root: &Path) -> Result<serde_json::Value, Error> {
    let (table, verdicts) = read_checked(a, candidates, root)?;
    let mut groups = Vec::new();
    let mut texts: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| {
            let cells: Vec<String> = r.cells.iter().map(|c| c.text()).collect();
            let group = is_group_code(&cells[0]);
            groups.push(group);
            cells
                .iter()
                .zip(&a.columns)
                .map(|(c, col)| {
                    if col.numeric && !group {
                        number_cell(&tight_percent(c))
                    } else {
                        tight_percent(c)
                    }
                })
                .collect()
        })
        .collect();
    let mut columns = a.columns.clone();
    if let Some(d) = &a.assessment {
        for (row, v) in texts.iter_mut().zip(&verdicts) {
            row.push(v.clone());
        }
        columns.push(Column {
            name: d.name.clone(),
            group: String::new(),
            width: d.width,
            numeric: false,
        });
    }
    let rows: Vec<serde_json::Value> = merge(&texts)
        .into_iter()
        .zip(groups)
        .map(|(cells, group)| serde_json::json!({ "nhom": group, "o": cells }))
        .collect();
    Ok(serde_json::json!({
        "so": a.number,
        "tieu_de": a.title,
        "kem_theo": a.enclosed_with,
        "ngang": a.landscape,
        "cot": columns,
        "hang": rows,
    }))
}

/// The appendix's table, checked against the columns mau.toml declares, with
/// the verdict of each row when the appendix assesses its targets.
fn read_checked(a: &Appendix, candidates: &[&Path], root: &Path) -> Result<(table::Table, Vec<String>), Error> {
    let file = format!("{}.csv", a.table);
    let Some(path) = candidates.iter().map(|d| d.join(&file)).find(|p| p.is_file()) else {
        let files: Vec<String> = candidates
            .iter()
            .map(|d| d.join(&file).strip_prefix(root).unwrap_or(&d.join(&file)).display().to_string())
            .collect();
        return Err(Error::Manifest {
            file: PathBuf::from(crate::base::manifest::FILE_NAME),
            detail: ManifestDetail::NoAppendixTable {
                number: a.number.clone(),
                files,
            }
            .to_string(),
        });
    };
    let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
    let mut findings = Findings::default();
    let table = table::read_text(&path, &shown, &mut findings).and_then(|t| table::parse_csv(&t, &shown, &a.table, &mut findings));
    let Some(table) = table else { return Err(Error::Data(findings)) };
    if table.header.len() != a.columns.len() {
        let problem = Problem::AppendixColumns {
            found: table.header.len(),
            declared: a.columns.len(),
            appendix: a.number.clone(),
        };
        findings.push(Severity::Error, Location::at(&shown, 1, None), None, problem);
        return Err(Error::Data(findings));
    }
    let verdicts = match &a.assessment {
        Some(d) => assess(d, &table, &shown, &mut findings),
        None => vec![],
    };
    if findings.has_errors() {
        return Err(Error::Data(findings));
    }
    Ok((table, verdicts))
}

/// The assessment of each row: its target column against its result column
/// ("Đạt" / "Không đạt" / "Vượt"; empty for group rows, text targets and rows
/// without a numeric result). A target that looks numeric but does not parse is a finding.
fn assess(d: &AppendixAssessment, t: &table::Table, shown: &Path, findings: &mut Findings) -> Vec<String> {
    let cell = |r: &table::Row, col: usize| {
        col.checked_sub(1)
            .and_then(|i| r.cells.get(i))
            .map(|c| c.text())
            .unwrap_or_default()
    };
    t.rows
        .iter()
        .map(|r| {
            let (goal, result) = (cell(r, d.target_column), cell(r, d.result_column));
            let merged = [MERGE_LEFT, MERGE_UP].contains(&goal.trim());
            if is_group_code(&cell(r, 1)) || merged || goal.trim().is_empty() {
                return String::new();
            }
            let target = match crate::figures::target::parse(&goal) {
                Ok(t) => t,
                Err(e) => {
                    let at = Location::at(shown, r.line, Some(d.target_column));
                    findings.push(Severity::Error, at, None, Problem::Target(e));
                    return String::new();
                }
            };
            let value = match number::parse(result.trim().trim_end_matches('%').trim()) {
                Ok(Parsed::Exact { value, decimals, .. }) => Some((value, decimals)),
                Ok(Parsed::Ambiguous { thousands, .. }) => Some((thousands, 0)),
                Err(_) => None,
            };
            value
                .and_then(|(v, dec)| target.evaluate(v, dec, d.direction))
                .map(|v| v.label().to_string())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_codes_and_numbers() {
        assert!(is_group_code("IV") && is_group_code("B") && !is_group_code("1") && !is_group_code("Ab"));
        assert_eq!(number_cell("71,9"), "71,9");
        assert_eq!(number_cell("4700"), "4.700");
        assert_eq!(number_cell("≥ 80"), "≥ 80");
        assert_eq!(tight_percent("0 %"), "0%");
        assert_eq!(tight_percent("5,4\u{a0}% và 12  %"), "5,4% và 12%");
        assert_eq!(tight_percent("% (xã, phường)"), "% (xã, phường)");
        assert_eq!(tight_percent("100% Xã/phường"), "100% Xã/phường");
        let row = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let m = merge(&[
            row(&["1", "x", "<<", "<<", "Sở"]),
            row(&["2", "y", "z", "w", "^^"]),
            row(&["3", "^^", "q", "r", "^^"]),
        ]);
        assert_eq!((m[0][1].t.as_str(), m[0][1].span), ("x", 3));
        assert_eq!((m[0][2].t.as_str(), m[0][2].rows), ("Sở", 3));
        assert_eq!(m[1][1].rows, 2);
        assert_eq!(m[1].len(), 4);
        assert_eq!(m[2].len(), 3);
    }
}
