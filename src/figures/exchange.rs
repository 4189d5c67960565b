//! Department files in and out, as they come: the page's downloads (CSV with a
//! UTF-8 BOM for Excel on Windows, cells made formula-safe; .xlsx with readable
//! column widths) and uploads in either format converted to the stored file's
//! format (its delimiter, BOM and column order), named by the page's own
//! download names (`chinh_quyen-2026-03.csv`) and checked against the period.
//!
//! Refuses: an upload with a column the stored file does not have, a workbook of
//! several sheets none of which is named for the sector, a stored workbook of several
//! sheets (it would lose the others). Which sector an upload is for is the caller's
//! (the tab it was made from); [`upload_name`] only reads what the name says.
//! Never writes a file itself: it returns bytes and findings; the hall stores them.

use std::path::Path;

use super::indicators::{Proven, NUMERIC};
use super::table::{self, Cell, Table};
use crate::base::period::Period;
use crate::error::{Findings, Location, Problem, Severity, UploadProblem};

/// First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as written into a download: `'` before a cell that would start a formula.
pub fn formula_safe(cell: &str) -> String {
    match cell.starts_with(FORMULA_START) {
        true => format!("'{cell}"),
        false => cell.to_string(),
    }
}

/// A cell as read from an upload: the `'` [`formula_safe`] added is taken off again.
pub fn formula_unsafe(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// A cell's text as stored: numbers from a workbook in the project's Vietnamese style.
fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Number(n) => {
            let s = format!("{n}");
            let decimals = s.split_once('.').map_or(0, |(_, f)| f.len().min(6)) as u8;
            crate::base::number::format(*n, decimals)
        }
        Cell::Text(t) => formula_unsafe(t.trim()),
    }
}

/// A table as a CSV download: UTF-8 BOM, comma-separated, formula-safe cells.
pub fn table_csv(t: &Table) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record(t.header.iter().map(|h| formula_safe(h)));
    for r in &t.rows {
        let _ = w.write_record(r.cells.iter().map(|c| formula_safe(&cell_text(c))));
    }
    w.into_inner().unwrap_or_default()
}

/// The width (in characters) a column needs to show its longest cell, within bounds.
fn column_width(t: &Table, col: usize) -> f64 {
    let cells = t.rows.iter().filter_map(|r| r.cells.get(col)).map(|c| cell_text(c).chars().count());
    let longest = cells.chain(t.header.get(col).map(|h| h.chars().count())).max().unwrap_or(8);
    (longest as f64 + 2.0).clamp(8.0, 70.0)
}

/// The convention a table's figures prove (as the figures reader decides it).
fn proven_style(t: &Table) -> Proven {
    let figures: Vec<usize> = NUMERIC.iter().filter_map(|c| t.column(c)).collect();
    Proven::of_texts(t.rows.iter().flat_map(|r| {
        figures.iter().filter_map(|&j| match r.cells.get(j) {
            Some(Cell::Text(s)) => Some(s.as_str()),
            _ => None,
        })
    }))
}

/// A figure's value and decimals as the figures reader takes it (`1.863` is
/// 1863 unless the table proves the plain style); `None` for words, blanks and
/// what the reader refuses.
fn figure(text: &str, proven: Proven) -> Option<(f64, u8)> {
    super::indicators::cell_number(&Cell::Text(text.trim().to_string()), proven).ok()
}

/// A table as an .xlsx download: one sheet named after the sector, bold header,
/// columns as wide as their text (indicator names readable), figures as numbers
/// (shown with their decimals, in the reader's own Excel style), so they add up in Excel.
pub fn table_xlsx(t: &Table) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(&t.sector)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (j, h) in t.header.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, h, &bold)?;
        ws.set_column_width(j as u16, column_width(t, j))?;
    }
    ws.set_freeze_panes(1, 0)?;
    let proven = proven_style(t);
    let figures: Vec<usize> = NUMERIC.iter().filter_map(|c| t.column(c)).collect();
    let shown = |decimals: u8| {
        let places = "0".repeat(decimals.min(6) as usize);
        let dot = if places.is_empty() { "" } else { "." };
        rust_xlsxwriter::Format::new().set_num_format(format!("#,##0{dot}{places}"))
    };
    for (i, r) in t.rows.iter().enumerate() {
        for (j, c) in r.cells.iter().enumerate() {
            let (row, col) = (i as u32 + 1, j as u16);
            match c {
                Cell::Number(n) => ws.write_number(row, col, *n).map(|_| ())?,
                Cell::Text(s) if s.trim().is_empty() => {}
                Cell::Text(s) => match figure(s, proven).filter(|_| figures.contains(&j)) {
                    Some((n, decimals)) => ws.write_number_with_format(row, col, n, &shown(decimals)).map(|_| ())?,
                    None => ws.write_string(row, col, s.trim()).map(|_| ())?,
                },
            }
        }
    }
    book.save_to_buffer()
}

/// What an uploaded file's name says: its sector and, for the page's own
/// download names (`chinh_quyen-2026-03.csv`, `y_te-2026-03 (1).xlsx`), its period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadName {
    pub sector: String,
    pub period: Option<Period>,
    pub xlsx: bool,
}

/// Reads an uploaded file's name (`None` when it is not a .csv or .xlsx).
pub fn upload_name(name: &str) -> Option<UploadName> {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let (stem, ext) = name.rsplit_once('.')?;
    let xlsx = match ext.to_ascii_lowercase().as_str() {
        "csv" => false,
        "xlsx" => true,
        _ => return None,
    };
    // A browser's copy number: "y_te-2026-03 (1)".
    let stem = match stem.rsplit_once(" (") {
        Some((s, n)) if n.strip_suffix(')').is_some_and(|n| n.chars().all(|c| c.is_ascii_digit())) => s,
        _ => stem,
    }
    .trim();
    // "chinh_quyen-2026-03": the period is the last 7 characters after a separator.
    let split = stem.len().checked_sub(8).and_then(|i| {
        let (s, rest) = stem.split_at_checked(i)?;
        let p = rest.strip_prefix(['-', '_', ' '])?.parse::<Period>().ok()?;
        Some((s, p))
    });
    let (sector, period) = split.map_or((stem, None), |(s, p)| (s, Some(p)));
    Some(UploadName {
        sector: sector.trim().to_string(),
        period,
        xlsx,
    })
}

/// A finding when the upload's name names another period than the one it goes into.
pub fn check_name_period(name: &UploadName, target: Period, shown: &Path, findings: &mut Findings) {
    if let Some(p) = name.period.filter(|p| *p != target) {
        let problem = Problem::UploadOtherPeriod {
            named: p.label(),
            target: target.label(),
        };
        findings.push(Severity::Warning, Location::file(shown), None, problem);
    }
}

/// A finding when every value of the upload equals last month's (a file sent again).
pub fn check_not_last_month(t: &Table, last: &super::PeriodData, shown: &Path, findings: &mut Findings) {
    let (Some(ma), Some(val)) = (t.column("ma"), t.column("gia_tri")) else {
        return;
    };
    // Each value as the figures reader takes it (1.863 is 1863 unless the table proves otherwise).
    let proven = proven_style(t);
    let pairs: Vec<(String, f64)> = t
        .rows
        .iter()
        .filter_map(|r| {
            let (v, _) = super::indicators::cell_number(r.cells.get(val)?, proven).ok()?;
            Some((r.cells.get(ma)?.text(), v))
        })
        .collect();
    let same = |(code, v): &(String, f64)| {
        last.get(&t.sector, code)
            .and_then(|i| i.value)
            .is_some_and(|l| (l - v).abs() < 1e-9)
    };
    if pairs.len() >= 2 && pairs.iter().all(same) {
        let problem = Problem::UploadSameAsLastMonth {
            count: pairs.len(),
            month: last.period.label(),
        };
        findings.push(Severity::Warning, Location::file(shown), None, problem);
    }
}

/// Refuses an upload that is not the stored sector's table: fewer than half of
/// the stored file's indicators (its `ma` codes) are in it, as when a file of
/// another sector is chosen in this sector's tab (it would replace the figures
/// typed so far by another sector's). Names up to three of the missing indicators.
pub fn check_same_sector(upload: &Table, stored: &Table) -> Result<(), UploadProblem> {
    // (code, name) of each row of a table that has a code.
    let rows = |t: &Table| -> Vec<(String, String)> {
        let (Some(ma), ten) = (t.column("ma"), t.column("ten")) else {
            return Vec::new();
        };
        let cell = |r: &table::Row, i: Option<usize>| i.and_then(|i| r.cells.get(i)).map(|c| c.text()).unwrap_or_default();
        t.rows
            .iter()
            .map(|r| (cell(r, Some(ma)), cell(r, ten)))
            .filter(|(code, _)| !code.is_empty())
            .collect()
    };
    let mine = rows(stored);
    let theirs: std::collections::HashSet<String> = rows(upload).into_iter().map(|(code, _)| code).collect();
    let (kept, missing): (Vec<_>, Vec<_>) = mine.iter().partition(|(code, _)| theirs.contains(code));
    if mine.len() < 2 || kept.len() * 2 >= mine.len() {
        return Ok(());
    }
    let names: Vec<&str> = missing
        .iter()
        .map(|(_, name)| name.as_str())
        .filter(|n| !n.is_empty())
        .take(3)
        .collect();
    Err(UploadProblem::OtherSector {
        shared: kept.len(),
        stored: mine.len(),
        missing: names.join("; "),
    })
}

/// Reads an upload (CSV or .xlsx bytes) as the table of `sector`; reading problems go to `findings`.
pub fn read_upload(bytes: &[u8], name: &UploadName, shown: &Path, sector: &str, findings: &mut Findings) -> Option<Table> {
    let mut tables = if name.xlsx {
        table::read_xlsx_bytes(bytes, shown, findings)
    } else {
        let text = table::decode(bytes, shown, findings)?;
        table::parse_csv(&text, shown, sector, findings).into_iter().collect()
    };
    // One sheet: it is this sector's whatever its name; several: the one named so.
    let i = match tables.iter().position(|t| t.sector == sector) {
        _ if tables.len() == 1 => 0,
        None if tables.is_empty() => return None,
        Some(i) => i,
        None => {
            let sheets = tables.iter().map(|t| t.sector.clone()).collect::<Vec<_>>().join(", ");
            let problem = Problem::UploadNoSheet {
                sector: sector.to_string(),
                sheets,
            };
            findings.push(Severity::Error, Location::file(shown), None, problem);
            return None;
        }
    };
    let mut t = tables.swap_remove(i);
    t.sector = sector.to_string();
    Some(t)
}

/// The upload `t` in the stored file's format: for a CSV, its delimiter, BOM and
/// column order; for an .xlsx, one sheet named as stored.
pub fn to_stored_format(t: &Table, stored: &[u8], stored_is_xlsx: bool) -> Result<Vec<u8>, UploadProblem> {
    if stored_is_xlsx {
        return stored_xlsx(t, stored);
    }
    let bom = stored.starts_with(&[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8_lossy(stored.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(stored)).into_owned();
    let delim = table::delimiter(&text);
    let mut stored_rows = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(text.as_bytes());
    let order: Vec<String> = stored_rows
        .headers()
        .map(|h| h.iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_else(|_| t.header.clone());
    if let Some(extra) = t
        .header
        .iter()
        .find(|h| !h.trim().is_empty() && !order.contains(&h.trim().to_string()))
    {
        return Err(UploadProblem::ExtraColumn {
            name: extra.trim().to_string(),
        });
    }
    let index: Vec<Option<usize>> = order.iter().map(|c| t.column(c)).collect();
    let kept = StoredFigures::of(&order, stored_rows.records().flatten());
    let ma = t.column("ma");
    let mut w = csv::WriterBuilder::new()
        .delimiter(delim)
        .from_writer(if bom { vec![0xEF, 0xBB, 0xBF] } else { vec![] });
    let _ = w.write_record(&order);
    for r in &t.rows {
        let code = ma.and_then(|i| r.cells.get(i)).map(|c| c.text()).unwrap_or_default();
        let _ = w.write_record(order.iter().zip(&index).map(|(name, i)| {
            let cell = i.and_then(|i| r.cells.get(i));
            cell.map(|c| kept.text_for(&code, name, c).unwrap_or_else(|| cell_text(c)))
                .unwrap_or_default()
        }));
    }
    w.into_inner().map_err(|e| UploadProblem::Unopenable(e.to_string()))
}

/// The figures of a stored CSV as written there, by (code, column): a number
/// from a workbook that equals one of them is written back as it was
/// (`16.344,10` stays so; the workbook only holds 16344.1).
struct StoredFigures {
    proven: Proven,
    cells: std::collections::HashMap<(String, String), String>,
}

impl StoredFigures {
    /// The figures of the stored rows under `header`.
    fn of(header: &[String], rows: impl Iterator<Item = csv::StringRecord>) -> StoredFigures {
        let mut cells = std::collections::HashMap::new();
        let at = |name: &str| header.iter().position(|h| h == name);
        let figures: Vec<(usize, &str)> = NUMERIC.iter().filter_map(|c| Some((at(c)?, *c))).collect();
        if let Some(ma) = at("ma") {
            for record in rows {
                let code = record.get(ma).unwrap_or_default().trim();
                for &(j, name) in &figures {
                    let value = record.get(j).unwrap_or_default().trim();
                    cells.insert((code.to_string(), name.to_string()), value.to_string());
                }
            }
        }
        let proven = Proven::of_texts(cells.values().map(String::as_str));
        StoredFigures { proven, cells }
    }

    /// The stored text of a cell when the upload's number equals it.
    fn text_for(&self, code: &str, column: &str, cell: &Cell) -> Option<String> {
        let Cell::Number(n) = cell else { return None };
        let stored = self.cells.get(&(code.to_string(), column.to_string()))?;
        let (v, _) = figure(stored, self.proven)?;
        ((v - n).abs() <= 1e-9 * v.abs().max(1.0)).then(|| stored.clone())
    }
}

/// The upload as the stored workbook's one sheet (named as stored); a stored
/// workbook of several sheets is refused (its other sectors would be lost).
fn stored_xlsx(t: &Table, stored: &[u8]) -> Result<Vec<u8>, UploadProblem> {
    use calamine::Reader;
    let book = calamine::Xlsx::new(std::io::Cursor::new(stored.to_vec())).map_err(|e| UploadProblem::Unopenable(e.to_string()))?;
    let sheets = book.sheet_names();
    if sheets.len() > 1 {
        return Err(UploadProblem::SeveralSheets { sheets: sheets.join(", ") });
    }
    let mut t = t.clone();
    if let Some(name) = sheets.first() {
        t.sector = name.clone();
    }
    table_xlsx(&t).map_err(|e| UploadProblem::Unopenable(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_prefixed_and_come_back_identical() {
        for c in ["=1+2", "+84 912", "-5", "@SUM(A1)", "\tx", "\rx", "Đàn trâu", "'quoted", ""] {
            assert_eq!(formula_unsafe(&formula_safe(c)), c);
        }
        assert_eq!(formula_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(formula_safe("Đàn trâu"), "Đàn trâu");
    }

    #[test]
    fn a_stored_workbook_of_several_sectors_is_never_replaced_by_one() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().set_name("y_te").unwrap();
        book.add_worksheet().set_name("lao_dong").unwrap();
        let stored = book.save_to_buffer().unwrap();
        let t = Table {
            source: "x.csv".into(),
            sector: "y_te".into(),
            header: vec!["ma".into(), "gia_tri".into()],
            header_line: 1,
            rows: vec![table::Row {
                line: 2,
                cells: vec![Cell::Text("ca".into()), Cell::Number(1.0)],
            }],
            ..Default::default()
        };
        let e = to_stored_format(&t, &stored, true).unwrap_err();
        assert!(e.to_string().contains("nhiều trang tính (y_te, lao_dong)"), "{e}");
        let mut one = rust_xlsxwriter::Workbook::new();
        one.add_worksheet().set_name("Y_TE").unwrap();
        let out = to_stored_format(&t, &one.save_to_buffer().unwrap(), true).unwrap();
        let mut f = Findings::default();
        let back = table::read_xlsx_bytes(&out, Path::new("x.xlsx"), &mut f);
        assert_eq!(
            back.first().map(|t| t.sector.as_str()),
            Some("Y_TE"),
            "the stored sheet name is kept"
        );
    }

    #[test]
    fn a_workbook_without_the_sectors_sheet_says_which_sheets_it_has() {
        let mut book = rust_xlsxwriter::Workbook::new();
        for name in ["lao_dong", "tai_chinh"] {
            let ws = book.add_worksheet();
            ws.set_name(name).unwrap();
            ws.write_string(0, 0, "ma").unwrap();
            ws.write_string(1, 0, "ca").unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        let mut f = Findings::default();
        let name = upload_name("y_te.xlsx").unwrap();
        assert!(read_upload(&bytes, &name, Path::new("y_te.xlsx"), "y_te", &mut f).is_none());
        assert!(
            f.to_string()
                .contains("nhiều trang tính (lao_dong, tai_chinh) nhưng không trang nào tên \"y_te\""),
            "{f}"
        );
    }

    #[test]
    fn the_pages_download_names_give_sector_and_period() {
        let p = |s: &str| s.parse::<Period>().ok();
        let n = upload_name("chinh_quyen-2026-03.csv").unwrap();
        assert_eq!((n.sector.as_str(), n.period, n.xlsx), ("chinh_quyen", p("2026-03"), false));
        let n = upload_name("C:\\Users\\a\\y_te-2026-03 (1).xlsx").unwrap();
        assert_eq!((n.sector.as_str(), n.period, n.xlsx), ("y_te", p("2026-03"), true));
        let n = upload_name("y_te.CSV").unwrap();
        assert_eq!((n.sector.as_str(), n.period), ("y_te", None));
        assert!(upload_name("y_te.xls").is_none());
    }
}
