//! The indicator table of the quarterly sample (Biểu chỉ tiêu chủ yếu): every row read
//! back from the laid-out page and from the .xlsx written beside the PDF, against
//! figures recomputed here from the monthly CSV files and the plan file.

use crate::common::*;

use std::collections::HashMap;
use std::path::Path;

use baocao::internals::number::{format, parse, Parsed};

/// (value, decimals as written) of a Vietnamese number cell.
fn num(s: &str) -> Option<(f64, u8)> {
    match parse(s).ok()? {
        Parsed::Exact { value, decimals, .. } => Some((value, decimals)),
        Parsed::Ambiguous { thousands, .. } => Some((thousands, 0)),
    }
}

/// Rows of a CSV file by their first column.
fn csv_rows(path: &Path) -> HashMap<String, HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            let row: HashMap<String, String> = header.iter().cloned().zip(r.iter().map(String::from)).collect();
            (r[0].to_string(), row)
        })
        .collect()
}

/// One expected row: the numbers as printed, the raw numbers and the assessment.
struct Expected {
    name: String,
    unit: String,
    plan: String,
    value: (f64, u8),
    of_plan: Option<f64>,
    of_prior: Option<f64>,
    verdict: &'static str,
}

/// The quarter's figures of `sector.code`, as the aggregation rules say: flows summed,
/// stocks (cuoi_ky) at the last month; an official quarter figure wins.
fn expected(root: &Path, sector: &str, code: &str, plan_row: &HashMap<String, String>) -> Expected {
    let months: Vec<HashMap<String, String>> = ["2026-01", "2026-02", "2026-03"]
        .iter()
        .map(|m| csv_rows(&root.join(format!("data/{m}/{sector}.csv"))).remove(code).unwrap())
        .collect();
    let flow = months[2]["tong_hop"] == "cong";
    let vals: Vec<(f64, u8)> = months.iter().map(|m| num(&m["gia_tri"]).unwrap()).collect();
    let decimals = vals.iter().map(|v| v.1).max().unwrap();
    let mut value = if flow { vals.iter().map(|v| v.0).sum() } else { vals[2].0 };
    let official = root.join(format!("data/2026-Q1/{sector}.csv"));
    if let Some(o) = official.is_file().then(|| csv_rows(&official).remove(code)).flatten() {
        value = num(&o["gia_tri"]).unwrap().0;
    }
    let priors: Option<Vec<f64>> = months.iter().map(|m| num(&m["cung_ky"]).map(|p| p.0)).collect();
    let prior = priors.map(|p| if flow { p.iter().sum() } else { p[2] });
    let plan_text = plan_row["ke_hoach"].clone();
    // The plan's number for "% of plan" (one rule, docs/DAC-TA.md): the figure that
    // meets the target: a number, "Khoảng n", a bound's figure, a range's lower end
    // (the sample's directions are all "cao").
    let figure = ["Khoảng ", "Tối thiểu ", "≥ "]
        .iter()
        .fold(plan_text.as_str(), |t, w| t.trim_start_matches(w));
    let plan_num = num(figure.split('–').next().unwrap());
    let rate = months[2]["don_vi"] == "%";
    // Assessed in the quarter only where the plan file says "ky"; the sample's are minimums.
    let verdict = match (plan_row["danh_gia_theo"].as_str(), plan_text.rsplit_once(' ')) {
        ("ky", Some((_, n))) if value >= num(n).unwrap().0 => "Đạt",
        ("ky", Some(_)) => "Không đạt",
        _ => "",
    };
    Expected {
        name: plan_row["ten"].clone(),
        unit: months[2]["don_vi"].clone(),
        plan: plan_num
            .filter(|_| !plan_text.contains(['–', ' ']))
            .map(|p| format(p.0, p.1))
            .unwrap_or(plan_text),
        value: (value, decimals),
        of_plan: plan_num.filter(|_| !rate).map(|p| value / p.0 * 100.0),
        of_prior: prior.filter(|_| !rate).map(|p| value / p * 100.0),
        verdict,
    }
}

/// The sample's plan rows in table order, numbered as printed (1, 2, ... per group).
fn plan_rows(root: &Path) -> Vec<(String, String, HashMap<String, String>)> {
    let mut rdr = csv::Reader::from_path(root.join("templates/bao-cao-dinh-ky/ke-hoach-nam.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            let row: HashMap<String, String> = header.iter().cloned().zip(r.iter().map(String::from)).collect();
            (r[0].to_string(), r[1].to_string(), row)
        })
        .collect()
}

#[test]
fn quarterly_table_matches_the_figures_on_the_page_and_in_the_xlsx() {
    let s = Scratch::new();
    let (run, dump) = s.render_text(&["--report", "bao-cao-dinh-ky", "--period", "2026-Q1"]);
    let all = pages(&dump);
    let first = all
        .iter()
        .position(|p| {
            p.iter()
                .take(4)
                .any(|(_, t)| t.starts_with("MỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU QUÝ I NĂM 2026"))
        })
        .expect("indicator table page");
    // The table may run on to the next page (its header repeated there).
    let lines: Vec<&str> = all[first..].iter().flatten().map(|(_, t)| t.as_str()).collect();
    let text = lines.join(" ");
    for head in ["TT", "Chỉ tiêu", "ĐVT", "So sánh (%)", "Đánh giá"] {
        assert!(text.contains(head), "{head}: {lines:?}");
    }
    let pdf = std::path::PathBuf::from(run.last_line());
    let pdf = if pdf.is_absolute() { pdf } else { s.path().join(pdf) };
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(pdf.with_extension("xlsx")).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut book, "Phu luc I").unwrap();
    let xrows: Vec<Vec<calamine::Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    let cell_f = |r: &[calamine::Data], c: usize| match &r[c] {
        calamine::Data::Float(f) => Some(*f),
        calamine::Data::Int(i) => Some(*i as f64),
        _ => None,
    };
    let mut checked = 0;
    for (sector, code, plan) in plan_rows(s.path()) {
        let e = expected(s.path(), &sector, &code, &plan);
        // On the page: the row's number cells, in order, on its centre line.
        let pct = |p: Option<f64>| p.map(|p| format!(" {}", format(p, 1))).unwrap_or_default();
        let shown = format(e.value.0, e.value.1);
        let tail = format!(
            "{shown} {shown}{}{}{}",
            pct(e.of_plan),
            pct(e.of_prior),
            if e.verdict.is_empty() {
                String::new()
            } else {
                format!(" {}", e.verdict)
            }
        );
        assert!(
            lines.iter().any(|l| l.ends_with(&tail)),
            "{sector}.{code}: no line ends with {tail:?}\n{lines:#?}"
        );
        for part in [&e.name, &e.unit, &e.plan] {
            for word in part.split_whitespace() {
                assert!(text.contains(word), "{sector}.{code}: {word:?} not on the page");
            }
        }
        // In the workbook: the same row, numbers as numbers.
        let x = xrows
            .iter()
            .find(|r| matches!(&r[1], calamine::Data::String(t) if *t == e.name))
            .unwrap_or_else(|| panic!("{} not in the xlsx", e.name));
        assert_eq!(x[2].to_string(), e.unit);
        assert_eq!(cell_f(x, 4), Some(e.value.0), "{code} value");
        assert_eq!(cell_f(x, 5), Some(e.value.0), "{code} cumulative");
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            (None, None) => true,
            _ => false,
        };
        assert!(
            close(cell_f(x, 6), e.of_plan),
            "{code} % of plan: {:?} vs {:?}",
            cell_f(x, 6),
            e.of_plan
        );
        assert!(close(cell_f(x, 7), e.of_prior), "{code} % of prior");
        if !e.plan.contains(['–', ' ']) && !e.plan.is_empty() && !e.plan.starts_with(char::is_alphabetic) {
            assert_eq!(cell_f(x, 3), num(&e.plan).map(|p| p.0), "{code} plan");
        } else {
            assert_eq!(x[3].to_string(), e.plan, "{code} plan as written");
        }
        assert_eq!(x[8].to_string(), e.verdict);
        checked += 1;
    }
    assert_eq!(checked, 10);
    // A row without a plan-file entry takes the data's plan (du_toan_hdnd): 2.800.
    let m = csv_rows(&s.file("data/2026-03/tai_chinh.csv")).remove("thu_nsnn_dia_ban").unwrap();
    let (v, d) = num(&m["gia_tri"]).unwrap();
    let plan = num(&m["du_toan_hdnd"]).unwrap().0;
    let prior = num(&m["cung_ky"]).unwrap().0;
    let tail = format!(
        "- tỷ đồng {} {1} {1} {2} {3}",
        format(plan, 0),
        format(v, d),
        format(v / plan * 100.0, 1),
        format(v / prior * 100.0, 1)
    );
    assert!(lines.iter().any(|l| *l == tail), "{tail:?}\n{lines:#?}");
    // Merged headers as in the PDF: "So sánh (%)" over two columns.
    assert!(xrows
        .iter()
        .any(|r| r.iter().any(|c| matches!(c, calamine::Data::String(t) if t == "So sánh (%)"))));
    let merged = book.worksheet_merge_cells("Phu luc I");
    assert!(merged.is_some_and(|m| m.unwrap().len() >= 10));
}

#[test]
fn quarterly_charts_are_numbered_with_their_source() {
    let s = Scratch::new();
    let (_, dump) = s.render_text(&["--report", "bao-cao-dinh-ky", "--period", "2026-Q1"]);
    let all = flat(&dump);
    assert!(
        all.contains("Biểu đồ 1. Giá trị sản xuất công nghiệp các tháng năm 2026 so với cùng kỳ"),
        "{all}"
    );
    assert!(all.contains("Biểu đồ 2. Tổng mức bán lẻ"), "{all}");
    // The source by the sector's title, never a file name.
    assert!(all.contains("Nguồn: số liệu lĩnh vực công nghiệp các tháng 01 - 03/2026"), "{all}");
    assert!(!all.contains(".csv"), "{all}");
    // Month values of the series are printed on the bars: January 2026 and its prior.
    assert!(all.contains("318,4") && all.contains("296,8"));
    // The cumulative chart: 985 + 1.006 = 1.991 after February, and the plan line.
    assert!(all.contains("1.991") && all.contains("Kế hoạch năm 2026: 12.500"));
}

#[test]
fn a_malformed_target_is_a_finding_at_its_cell() {
    let s = Scratch::new();
    s.edit("templates/bao-cao-dinh-ky/ke-hoach-nam.csv", "Tối thiểu 220", "Tối thiểu hai trăm");
    let r = s.run(&["render", "--report", "bao-cao-dinh-ky", "--period", "2026-Q1"]);
    assert_ne!(r.code, 0);
    let out = format!("{}{}", r.stdout, r.stderr);
    assert!(
        out.contains("templates/bao-cao-dinh-ky/ke-hoach-nam.csv, dòng 11, cột 3")
            && out.contains("\"Tối thiểu hai trăm\" trông như một số nhưng không đọc được"),
        "{out}"
    );
}

/// The assessment column the programme's Phụ lục I had printed by default (its 2025
/// results against the 2030 targets); a report type may still ask for one.
const ASSESSMENT: &str =
    "danh_gia = { ten = \"Đánh giá kết quả năm 2025\", cot_chi_tieu = 5, cot_ket_qua = 4, huong = \"cao\", rong = 2 }\n";

#[test]
fn party_appendix_is_as_the_original_unless_an_assessment_is_asked_for() {
    let s = Scratch::new();
    let (_, dump) = s.render_text(&["--report", "chuong-trinh-hanh-dong", "--period", "2025-11"]);
    let page = |dump: &str| {
        pages(dump)
            .into_iter()
            .find(|p| p.iter().any(|(_, t)| t.contains("71,9 ≥ 80")))
            .expect("Phụ lục I")
    };
    let text: Vec<String> = page(&dump).into_iter().map(|(_, t)| t).collect();
    assert!(
        !text.iter().any(|t| t.contains("Đánh giá kết quả") || t.contains("Không đạt")),
        "{text:#?}"
    );
    assert!(text.iter().any(|t| t.contains("71,9 ≥ 80 72,6 74,7 77,5 79,7 81,2")), "{text:#?}");
    // Asked for in mau.toml: the column, its name as written, numeric targets assessed.
    s.edit(
        "templates/chuong-trinh-hanh-dong/mau.toml",
        "\n[[phu_luc]]\nso = \"II\"",
        &format!("{ASSESSMENT}\n[[phu_luc]]\nso = \"II\""),
    );
    let (_, dump) = s.render_text(&["--report", "chuong-trinh-hanh-dong", "--period", "2025-11"]);
    let text: Vec<String> = page(&dump).into_iter().map(|(_, t)| t).collect();
    assert!(text.iter().any(|t| t.contains("Đánh giá")), "{text:#?}");
    for row in ["71,9 ≥ 80 72,6 74,7 77,5 79,7 81,2", "7.325 23.500 4.700 4.700 4.700 4.700 4.700"] {
        let line = text.iter().find(|t| t.contains(row)).unwrap_or_else(|| panic!("{row}: {text:#?}"));
        assert!(line.ends_with("Không đạt"), "{line}");
    }
    let s2 = Scratch::new();
    s2.edit(
        "templates/chuong-trinh-hanh-dong/mau.toml",
        "\n[[phu_luc]]\nso = \"II\"",
        &format!("{ASSESSMENT}\n[[phu_luc]]\nso = \"II\""),
    );
    s2.edit("data/2025-11/chuong-trinh-hanh-dong/phu-luc-1.csv", "≥ 80", "≥ tám mươi");
    let r = s2.run(&["check", "--report", "chuong-trinh-hanh-dong", "--period", "2025-11"]);
    let out = format!("{}{}", r.stdout, r.stderr);
    assert_ne!(r.code, 0, "{out}");
    assert!(out.contains("phu-luc-1.csv, dòng 3, cột 5"), "{out}");
}

#[test]
fn a_month_shows_the_month_and_the_cumulative_since_january() {
    let s = Scratch::new();
    // A real January: the shipped one is a sample, which never feeds a real month's lũy kế.
    std::fs::remove_file(s.file("data/2026-01/SO-LIEU-MAU.md")).unwrap();
    let (_, dump) = s.render_text(&["--report", "bao-cao-dinh-ky", "--period", "2026-02"]);
    let page = pages(&dump)
        .into_iter()
        .find(|p| p.iter().any(|(_, t)| t.contains("CHỦ YẾU THÁNG 02 NĂM 2026")))
        .expect("indicator table page");
    let row = |m: &str| csv_rows(&s.file(&format!("data/{m}/cong_nghiep.csv"))).remove("gtsx").unwrap();
    let (jan, feb) = (row("2026-01"), row("2026-02"));
    let v = num(&feb["gia_tri"]).unwrap().0;
    let cum = num(&jan["gia_tri"]).unwrap().0 + v;
    let prior = num(&feb["cung_ky"]).unwrap().0;
    let plans = plan_rows(s.path());
    let plan = num(&plans.iter().find(|p| p.1 == "gtsx").unwrap().2["ke_hoach"]).unwrap().0;
    let tail = format!(
        "tỷ đồng {} {} {} {} {}",
        format(plan, 0),
        format(v, 1),
        format(cum, 1),
        format(cum / plan * 100.0, 1),
        format(v / prior * 100.0, 1)
    );
    assert!(
        page.iter().any(|(_, t)| t.starts_with("1 ") && t.ends_with(&tail)),
        "{tail:?}\n{page:#?}"
    );
    assert!(page.iter().any(|(_, t)| t.contains("tháng 02")), "header names the month");
}

#[test]
fn no_workbook_for_a_report_without_an_indicator_table() {
    let s = Scratch::new();
    let r = s.run(&["render", "--report", "bao-cao-thang", "--period", "2026-02"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let pdf = std::path::PathBuf::from(r.last_line());
    let pdf = if pdf.is_absolute() { pdf } else { s.path().join(pdf) };
    assert!(pdf.is_file() && !pdf.with_extension("xlsx").exists());
}
