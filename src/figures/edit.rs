//! Rewriting one value of a sector file in place: a CSV keeps its own dialect
//! (delimiter, BOM, line endings, quoting, column order, every other byte);
//! an .xlsx workbook is rewritten sheet by sheet with the one cell changed.

use std::path::Path;

use crate::figures::table;

/// Why a cell could not be rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The file is not UTF-8 text.
    NotText,
    /// No header column with this name.
    NoColumn,
    /// No row whose `ma` is this code.
    NoRow,
    /// The workbook could not be read or written.
    Workbook(String),
}

/// A raw field: its byte span in the text and whether it was quoted.
#[derive(Debug, Clone, Copy)]
struct Field {
    start: usize,
    end: usize,
    quoted: bool,
}

/// Splits CSV text into records of raw field spans (quotes respected).
fn records(text: &str, delim: u8) -> Vec<Vec<Field>> {
    let b = text.as_bytes();
    let (mut out, mut rec) = (Vec::new(), Vec::new());
    let (mut start, mut in_q, mut quoted) = (0, false, false);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_q {
            if c == b'"' && b.get(i + 1) == Some(&b'"') {
                i += 1;
            } else if c == b'"' {
                in_q = false;
            }
        } else if c == b'"' {
            in_q = true;
            quoted = true;
        } else if c == delim || c == b'\n' {
            let end = if c == b'\n' && i > start && b[i - 1] == b'\r' { i - 1 } else { i };
            rec.push(Field { start, end, quoted });
            if c == b'\n' {
                out.push(std::mem::take(&mut rec));
            }
            start = i + 1;
            quoted = false;
        }
        i += 1;
    }
    if start < b.len() || !rec.is_empty() {
        let end = if b.ends_with(b"\r") { b.len() - 1 } else { b.len() };
        rec.push(Field {
            start,
            end: end.max(start),
            quoted,
        });
        out.push(rec);
    }
    out
}

/// The unquoted, trimmed value of a raw field.
fn value(text: &str, f: Field) -> String {
    let raw = text[f.start..f.end].trim();
    match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) if f.quoted => inner.replace("\"\"", "\""),
        _ => raw.to_string(),
    }
}

/// The new field as written: quoted when the old one was or when it must be.
fn encode(new: &str, delim: u8, was_quoted: bool) -> String {
    let must = new.bytes().any(|c| c == delim || c == b'"' || c == b'\n' || c == b'\r');
    if must || was_quoted {
        format!("\"{}\"", new.replace('"', "\"\""))
    } else {
        new.to_string()
    }
}

/// Sets `column` of the row whose `ma` is `code` to `new`; every other byte is kept.
pub fn set_csv_cell(bytes: &[u8], code: &str, column: &str, new: &str) -> Result<Vec<u8>, EditError> {
    let bom: &[u8] = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) { &bytes[..3] } else { &[] };
    let text = std::str::from_utf8(&bytes[bom.len()..]).map_err(|_| EditError::NotText)?;
    let delim = table::delimiter(text);
    let recs = records(text, delim);
    let mut rows = recs.iter().filter(|r| r.iter().any(|f| !value(text, *f).is_empty()));
    let header = rows.next().ok_or(EditError::NoColumn)?;
    let find = |name: &str| header.iter().position(|f| value(text, *f).trim_start_matches('\u{feff}') == name);
    let (ma, col) = (find("ma").ok_or(EditError::NoColumn)?, find(column).ok_or(EditError::NoColumn)?);
    let row = rows
        .find(|r| r.get(ma).is_some_and(|f| value(text, *f) == code))
        .ok_or(EditError::NoRow)?;
    let field = *row.get(col).ok_or(EditError::NoRow)?;
    let mut out = bom.to_vec();
    out.extend_from_slice(&text.as_bytes()[..field.start]);
    out.extend_from_slice(encode(new.trim(), delim, field.quoted).as_bytes());
    out.extend_from_slice(&text.as_bytes()[field.end..]);
    Ok(out)
}

/// Rewrites an .xlsx workbook with one cell of one sheet changed: every sheet's
/// values are kept (numbers as numbers, text as text); cell formatting is not.
pub fn set_xlsx_cell(path: &Path, sheet: &str, code: &str, column: &str, new: &str) -> Result<Vec<u8>, EditError> {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let wb_err = |e: &dyn std::fmt::Display| EditError::Workbook(e.to_string());
    let mut wb: Xlsx<_> = open_workbook(path).map_err(|e| wb_err(&e))?;
    let mut book = rust_xlsxwriter::Workbook::new();
    let mut found = false;
    for name in wb.sheet_names().to_owned() {
        let range = wb.worksheet_range(&name).map_err(|e| wb_err(&e))?;
        let ws = book.add_worksheet();
        ws.set_name(&name).map_err(|e| wb_err(&e))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let target = if name.trim() == sheet { locate(&range, code, column) } else { None };
        for (i, row) in range.rows().enumerate() {
            for (j, d) in row.iter().enumerate() {
                let (r, c) = (r0 + i as u32, (c0 as usize + j) as u16);
                let res = if target == Some((i, j)) {
                    found = true;
                    match crate::base::number::parse(new) {
                        Ok(crate::base::number::Parsed::Exact { value, .. }) => ws.write_number(r, c, value).map(|_| ()),
                        _ => ws.write_string(r, c, new.trim()).map(|_| ()),
                    }
                } else {
                    match d {
                        Data::Int(n) => ws.write_number(r, c, *n as f64).map(|_| ()),
                        Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()),
                        Data::Empty => Ok(()),
                        other => ws.write_string(r, c, other.to_string()).map(|_| ()),
                    }
                };
                res.map_err(|e| wb_err(&e))?;
            }
        }
    }
    if !found {
        return Err(EditError::NoRow);
    }
    book.save_to_buffer().map_err(|e| wb_err(&e))
}

/// (row, column) offsets inside `range` of `column` in the row whose `ma` is `code`.
fn locate(range: &calamine::Range<calamine::Data>, code: &str, column: &str) -> Option<(usize, usize)> {
    let mut rows = range
        .rows()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|d| !d.to_string().trim().is_empty()));
    let (_, header) = rows.next()?;
    let find = |n: &str| header.iter().position(|d| d.to_string().trim() == n);
    let (ma, col) = (find("ma")?, find(column)?);
    rows.find(|(_, r)| r.get(ma).is_some_and(|d| d.to_string().trim() == code))
        .map(|(i, _)| (i, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_cell_changes_nothing_else() {
        let src = "\u{feff}ma;ten;gia_tri;ghi_chu\r\ndan_trau;\"Đàn; trâu\";84.860;\"x \"\"y\"\"\"\r\ndan_bo;Bò;27.870;\r\n";
        let out = set_csv_cell(src.as_bytes(), "dan_trau", "gia_tri", "90.000").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), src.replace("84.860", "90.000"));
        let out = set_csv_cell(src.as_bytes(), "dan_bo", "gia_tri", "1;5").unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with("dan_bo;Bò;\"1;5\";\r\n"));
    }

    #[test]
    fn quoted_stays_quoted_and_missing_is_refused() {
        let src = "ma,ten,gia_tri\ngtsx,Giá trị,\"307,2\"\n";
        let out = set_csv_cell(src.as_bytes(), "gtsx", "gia_tri", "310,5").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "ma,ten,gia_tri\ngtsx,Giá trị,\"310,5\"\n");
        assert_eq!(set_csv_cell(src.as_bytes(), "khac", "gia_tri", "1"), Err(EditError::NoRow));
        assert_eq!(set_csv_cell(src.as_bytes(), "gtsx", "cung_ky", "1"), Err(EditError::NoColumn));
        let no_newline = "ma,gia_tri\na,1";
        assert_eq!(
            set_csv_cell(no_newline.as_bytes(), "a", "gia_tri", "2").unwrap(),
            b"ma,gia_tri\na,2"
        );
    }
}
