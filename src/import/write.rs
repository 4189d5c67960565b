//! The files of an imported report type, as text: `mau.toml` (header, signature,
//! sections, appendices; comments in the office's words are in the fields' own
//! names only), the fragments, the sector file of the period (the same columns as
//! every sector file) and the appendix tables as CSV.
//!
//! Refuses nothing; every value from the document is written as a TOML string or a
//! CSV field by their writers, never pasted into syntax by hand.

use super::docx::Table;
use super::figures::{escape, Figures};
use super::sections::Body;
use super::shape::Shape;
use super::{File, Place};
use crate::base::period::{roman, Period};

/// Every file of the import.
pub fn files(name: &str, period: Period, shape: &Shape, body: &Body, figures: &Figures) -> Vec<File> {
    let mut out = vec![File {
        place: Place::Template("mau.toml".into()),
        text: manifest(shape, body),
    }];
    for (fragment, text) in &body.fragments {
        out.push(File {
            place: Place::Template(format!("{fragment}.txt")),
            text: text.clone(),
        });
    }
    if !figures.indicators.is_empty() {
        out.push(File {
            place: Place::Period(format!("{}.csv", figures.sector)),
            text: sector_csv(figures),
        });
    }
    for (i, (_, table)) in shape.tables.iter().enumerate() {
        out.push(File {
            place: Place::ReportData(format!("phu-luc-{}.csv", i + 1)),
            text: table_csv(table),
        });
    }
    let _ = (name, period);
    out
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    match items.len() {
        0 => "[]".into(),
        _ => format!("[\n{}]", items.iter().map(|s| format!("  {},\n", quoted(s))).collect::<String>()),
    }
}

/// mau.toml of the imported type.
fn manifest(s: &Shape, b: &Body) -> String {
    let defaults = ["I.", "1.", "a)"];
    let numbering: Vec<String> = b
        .numbering
        .iter()
        .zip(defaults)
        .map(|(n, d)| n.clone().unwrap_or(d.into()))
        .collect();
    let subject: Vec<String> = s.subject.iter().map(|l| escape(l)).collect();
    let mut t = String::new();
    t.push_str("loai_ky = \"thang\"\n");
    t.push_str(&format!("kieu = {}\n", quoted(if s.party { "dang" } else { "hanh-chinh" })));
    t.push_str(&format!("danh_so = {}\n", toml::Value::from(numbering)));
    t.push_str(&format!("loai_van_ban = {}\n", quoted(&s.document_type)));
    t.push_str(&format!("ky_hieu = {}\n", quoted(&s.code)));
    t.push_str(&format!("so = {}\n", quoted(&s.number)));
    t.push_str(&format!("co_quan_chu_quan = {}\n", quoted(&s.parent_body)));
    t.push_str(&format!("co_quan = {}\n", list(&s.issuing_body)));
    t.push_str(&format!("quoc_hieu = {}\n", quoted(&s.national_title)));
    if !s.motto.is_empty() {
        t.push_str(&format!("tieu_ngu = {}\n", quoted(&s.motto)));
    }
    t.push_str(&format!("dia_danh = {}\n", quoted(&s.place)));
    t.push_str(&format!("ngay = {}\n", quoted(&s.date)));
    t.push_str(&format!("trich_yeu = {}\n", list(&subject)));
    t.push_str(&format!("noi_nhan = {}\n", list(&s.recipients)));
    t.push_str(&format!("quyen_han = {}\n", list(&s.authority)));
    t.push_str(&format!("nguoi_ky = {}\n", quoted(&s.signer)));
    for m in &b.sections {
        t.push_str("\n[[muc]]\n");
        if let Some(l) = m.level {
            t.push_str(&format!("cap = {l}\n"));
        }
        if let Some(title) = &m.title {
            t.push_str(&format!("tieu_de = {}\n", quoted(title)));
        }
        if let Some(f) = &m.fragment {
            t.push_str(&format!("doan = {}\n", quoted(f)));
        }
    }
    for (i, (titles, table)) in s.tables.iter().enumerate() {
        t.push_str(&appendix(i, titles, table));
    }
    t
}

fn cell_text(cell: &[super::docx::Para]) -> String {
    cell.iter()
        .map(|p| p.text().trim().to_string())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One `[[phu_luc]]`: number from a "Phụ lục I" line when written, columns from
/// the header row, widths by the longest text of each column.
fn appendix(i: usize, titles: &[String], table: &Table) -> String {
    let header: Vec<String> = table.first().map(|r| r.iter().map(|c| cell_text(c)).collect()).unwrap_or_default();
    let (number, rest): (String, Vec<String>) = match titles.split_first() {
        Some((first, rest))
            if first.split_whitespace().count() <= 3
                && first
                    .split_whitespace()
                    .last()
                    .is_some_and(|w| w.chars().all(|c| "IVXL".contains(c))) =>
        {
            (first.split_whitespace().last().unwrap_or_default().to_string(), rest.to_vec())
        }
        _ => (roman(i as u32 + 1), titles.to_vec()),
    };
    let rest: Vec<String> = if rest.is_empty() { vec![header.join(", ")] } else { rest };
    let width = |k: usize| {
        let longest = table
            .iter()
            .filter_map(|r| r.get(k))
            .map(|c| cell_text(c).chars().count())
            .max()
            .unwrap_or(1);
        ((longest as f64).sqrt() / 2.0).clamp(0.6, 6.0)
    };
    let cols: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(k, h)| format!("  {{ ten = {}, rong = {:.1} }},\n", quoted(h), width(k)))
        .collect();
    let mut t = String::from("\n[[phu_luc]]\n");
    t.push_str(&format!("so = {}\n", quoted(&number)));
    t.push_str(&format!(
        "tieu_de = {}\n",
        list(&rest.iter().map(|l| escape(l)).collect::<Vec<_>>())
    ));
    t.push_str(&format!("bang = \"phu-luc-{}\"\n", i + 1));
    t.push_str(&format!("ngang = {}\n", header.len() > 6));
    t.push_str(&format!("cot = [\n{}]\n", cols.concat()));
    t
}

fn csv_text(rows: Vec<Vec<String>>) -> String {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for r in rows {
        let _ = w.write_record(&r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The sector file: one row per indicator, the value of the document's period.
fn sector_csv(f: &Figures) -> String {
    let mut rows = vec![super::SECTOR_HEADER.split(',').map(String::from).collect::<Vec<_>>()];
    for i in &f.indicators {
        let total = super::total_rule(&i.unit);
        let prev = i.previous.clone().unwrap_or_default();
        let e = String::new();
        rows.push(vec![
            i.code.clone(),
            i.name.clone(),
            i.unit.clone(),
            i.value.clone(),
            e.clone(),
            e.clone(),
            prev,
            e.clone(),
            e.clone(),
            e.clone(),
            total.into(),
            e,
        ]);
    }
    csv_text(rows)
}

/// The table's rows, each cut or padded to the header's width.
fn table_csv(t: &Table) -> String {
    let width = t.first().map(Vec::len).unwrap_or(0);
    let rows = t.iter().map(|r| {
        let mut cells: Vec<String> = r.iter().map(|c| cell_text(c)).collect();
        cells.resize(width, String::new());
        cells
    });
    csv_text(rows.collect())
}
