//! The same period given as CSV files and as one .xlsx workbook (a sheet per
//! sector, numbers as Excel numbers) renders byte-identical PDFs.

use crate::common::*;

fn csv_to_workbook(s: &Scratch) -> std::path::PathBuf {
    let mut book = rust_xlsxwriter::Workbook::new();
    let dir = s.file("data/2026-02");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    for f in &files {
        let sheet = book.add_worksheet();
        sheet.set_name(f.file_stem().unwrap().to_str().unwrap()).unwrap();
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_path(f).unwrap();
        let mut header = Vec::new();
        for (r, rec) in rdr.records().enumerate() {
            let rec = rec.unwrap();
            if r == 0 {
                header = rec.iter().map(String::from).collect();
            }
            for (c, cell) in rec.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let numeric = r > 0 && ["gia_tri", "cung_ky", "du_toan_tw", "du_toan_hdnd", "ke_hoach"].contains(&header[c].as_str());
                if numeric {
                    // What Excel stores: the number itself, not its text.
                    let v: f64 = cell.replace('.', "").replace(',', ".").parse().unwrap();
                    sheet.write_number(r as u32, c as u16, v).unwrap();
                } else {
                    sheet.write_string(r as u32, c as u16, cell).unwrap();
                }
            }
        }
        std::fs::remove_file(f).unwrap();
    }
    let out = dir.join("so-lieu.xlsx");
    book.save(&out).unwrap();
    out
}

#[test]
fn csv_and_xlsx_give_identical_pdfs() {
    let s = Scratch::new();
    assert_eq!(s.run(&["render", "--out", "tu-csv"]).code, 0);
    let from_csv = std::fs::read(s.file("tu-csv/bao-cao-thang-2026-02.pdf")).unwrap();
    csv_to_workbook(&s);
    let r = s.run(&["render", "--out", "tu-xlsx"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let from_xlsx = std::fs::read(s.file("tu-xlsx/bao-cao-thang-2026-02.pdf")).unwrap();
    assert!(from_csv == from_xlsx, "the PDFs differ");
    // Findings point at the sheet and row.
    let c = s.run(&["check"]);
    assert!(
        c.stdout
            .contains("data/2026-02/so-lieu.xlsx (trang tính thuong_mai), dòng 13 [khach_du_lich]"),
        "{}",
        c.stdout
    );
}

#[test]
fn xlsx_errors_name_sheet_row_and_column() {
    let s = Scratch::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("nong_nghiep").unwrap();
    for (c, h) in ["ma", "ten", "don_vi", "gia_tri"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "lua").unwrap();
    sheet.write_string(1, 1, "Lúa").unwrap();
    sheet.write_string(1, 2, "ha").unwrap();
    sheet.write_string(1, 3, "12a").unwrap();
    book.save(s.file("data/2026-02/x.xlsx")).unwrap();
    std::fs::remove_file(s.file("data/2026-02/nong_nghiep.csv")).unwrap();
    let r = s.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("LỖI: data/2026-02/x.xlsx (trang tính nong_nghiep), dòng 2, cột 4 [lua]: \"12a\" không phải là số"),
        "{}",
        r.stdout
    );
}

/// A formula cell without its computed value (written by a program, never opened in
/// Excel) is named as a formula, with the fix, at its sheet, row and column.
#[test]
fn formula_without_computed_value_is_named_with_the_fix() {
    let s = Scratch::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("nong_nghiep").unwrap();
    for (c, h) in ["ma", "ten", "don_vi", "gia_tri"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (code, value)) in [("lua", "6014"), ("ngo", "")].iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *code).unwrap();
        sheet.write_string(r, 1, *code).unwrap();
        sheet.write_string(r, 2, "ha").unwrap();
        if value.is_empty() {
            // No cached result at all (rust_xlsxwriter would store 0 by default).
            sheet.set_formula_result_default("");
            sheet.write_formula(r, 3, "=D2*2").unwrap();
        } else {
            sheet.write_number(r, 3, value.parse::<f64>().unwrap()).unwrap();
        }
    }
    book.save(s.file("data/2026-02/x.xlsx")).unwrap();
    std::fs::remove_file(s.file("data/2026-02/nong_nghiep.csv")).unwrap();
    let r = s.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("công thức"))
        .unwrap_or_else(|| panic!("no formula finding in:\n{}", r.stdout));
    assert!(
        line.starts_with("LỖI: data/2026-02/x.xlsx (trang tính nong_nghiep), dòng 3, cột 4"),
        "{line}"
    );
    assert!(line.contains("=D2*2"), "{line}");
    assert!(line.contains("mở tệp bằng Excel và lưu lại"), "{line}");
}
