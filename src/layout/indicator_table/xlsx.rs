//! The indicator table as an Excel workbook: the same title and merged headers as
//! the PDF, numbers stored as numbers with thousands and decimal formats (Excel shows
//! them as 1.234,5 under the Vietnamese regional setting), text as text.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use serde_json::Value;

const FONT: &str = "Times New Roman";

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(12)
}

fn boxed() -> Format {
    base()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

/// Excel number format for a cell printed with `decimals` places.
fn number_format(decimals: usize) -> String {
    if decimals == 0 {
        "#,##0".into()
    } else {
        format!("#,##0.{}", "0".repeat(decimals))
    }
}

/// Decimal places of a number as printed ("1.234,50" -> 2).
fn decimals_of(printed: &str) -> usize {
    printed.split_once(',').map_or(0, |(_, f)| f.len())
}

/// A workbook with one sheet per table (JSON as built by `indicator_table::build`).
pub fn workbook(tables: &[&Value]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for t in tables {
        let ws = wb.add_worksheet();
        ws.set_name(format!("Phu luc {}", t["so"].as_str().unwrap_or("")))?;
        sheet(ws, t)?;
    }
    wb.save_to_buffer()
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array().into_iter().flatten().filter_map(Value::as_str).collect()
}

fn sheet(ws: &mut Worksheet, t: &Value) -> Result<(), XlsxError> {
    let cols = t["cot"].as_array().cloned().unwrap_or_default();
    let last = cols.len().saturating_sub(1) as u16;
    ws.set_landscape();
    for (i, c) in cols.iter().enumerate() {
        ws.set_column_width(i as u16, c["rong"].as_f64().unwrap_or(1.0) * 10.0)?;
    }
    let title = base().set_bold().set_align(FormatAlign::Center);
    let mut r: u32 = 0;
    let mut lines = vec![format!("Phụ lục {}", t["so"].as_str().unwrap_or(""))];
    lines.extend(strs(&t["tieu_de"]).into_iter().map(String::from));
    for l in &lines {
        ws.merge_range(r, 0, r, last, l, &title)?;
        r += 1;
    }
    if let Some(k) = t["kem_theo"].as_str().filter(|k| !k.is_empty()) {
        ws.merge_range(
            r,
            0,
            r,
            last,
            &format!("({k})"),
            &base().set_italic().set_align(FormatAlign::Center),
        )?;
        r += 1;
    }
    r += 1;
    r = headers(ws, &cols, r)?;
    for h in t["hang"].as_array().into_iter().flatten() {
        data_row(ws, h, last, r)?;
        r += 1;
    }
    Ok(())
}

/// Two header rows: a column without a group spans both; a group spans its columns.
fn headers(ws: &mut Worksheet, cols: &[Value], r: u32) -> Result<u32, XlsxError> {
    let head = boxed().set_bold().set_align(FormatAlign::Center);
    let mut i = 0;
    while i < cols.len() {
        let group = cols[i]["nhom"].as_str().unwrap_or("");
        let name = cols[i]["ten"].as_str().unwrap_or("");
        if group.is_empty() {
            ws.merge_range(r, i as u16, r + 1, i as u16, name, &head)?;
            i += 1;
            continue;
        }
        let j = (i..cols.len())
            .find(|&j| cols[j]["nhom"].as_str() != Some(group))
            .unwrap_or(cols.len());
        if j - i > 1 {
            ws.merge_range(r, i as u16, r, (j - 1) as u16, group, &head)?;
        } else {
            ws.write_string_with_format(r, i as u16, group, &head)?;
        }
        for (k, c) in cols.iter().enumerate().take(j).skip(i) {
            ws.write_string_with_format(r + 1, k as u16, c["ten"].as_str().unwrap_or(""), &head)?;
        }
        i = j;
    }
    ws.set_repeat_rows(r, r + 1)?;
    Ok(r + 2)
}

fn data_row(ws: &mut Worksheet, h: &Value, last: u16, r: u32) -> Result<(), XlsxError> {
    let cells = h["o"].as_array().cloned().unwrap_or_default();
    let text = |i: usize| cells.get(i).and_then(|c| c["t"].as_str()).unwrap_or("").to_string();
    if h["nhom"] == true {
        let bold = boxed().set_bold();
        ws.write_string_with_format(r, 0, text(0), &bold.clone().set_align(FormatAlign::Center))?;
        ws.merge_range(r, 1, r, last, &text(1), &bold)?;
        return Ok(());
    }
    for c in &cells {
        let col = c["cot"].as_u64().unwrap_or(0) as u16;
        let t = c["t"].as_str().unwrap_or("");
        match c["v"].as_f64() {
            Some(v) => {
                let f = boxed().set_align(FormatAlign::Right).set_num_format(number_format(decimals_of(t)));
                ws.write_number_with_format(r, col, v, &f)?;
            }
            None => {
                let f = if col == 0 {
                    boxed().set_align(FormatAlign::Center)
                } else {
                    boxed()
                };
                ws.write_string_with_format(r, col, t, &f)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_printed_decimals() {
        assert_eq!(number_format(decimals_of("1.908.282")), "#,##0");
        assert_eq!(number_format(decimals_of("86,40")), "#,##0.00");
    }
}
