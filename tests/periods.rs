//! Quarter reports built from the months (issue: periodic reports): sums for
//! flows, end values for stocks, ratios recomputed from aggregated parts,
//! official overrides, missing and estimated months.

use crate::common::*;

use baocao::internals::number::{format, parse, Parsed};

/// The value of `code` in data/<month>/<sector>.csv of the scratch project.
fn month_value(s: &Scratch, month: &str, sector: &str, code: &str) -> f64 {
    let text = s.read(&format!("data/{month}/{sector}.csv"));
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let col = rdr.headers().unwrap().iter().position(|h| h == "gia_tri").unwrap();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        if &rec[0] == code {
            return match parse(&rec[col]) {
                Ok(Parsed::Exact { value, .. }) => value,
                Ok(Parsed::Ambiguous { thousands, .. }) => thousands,
                Err(e) => panic!("{month}/{sector}/{code}: {e:?}"),
            };
        }
    }
    panic!("{code} not in {month}/{sector}");
}

const MONTHS: [&str; 3] = ["2026-01", "2026-02", "2026-03"];

fn quarter(s: &Scratch) -> String {
    let (_, dump) = s.render_text(&["--report", "bao-cao-dinh-ky", "--period", "2026-Q1"]);
    flat(&dump)
}

#[test]
fn flows_are_summed_stocks_taken_at_the_end_ratios_recomputed() {
    let s = Scratch::new();
    let text = quarter(&s);
    // Sum (tong_hop = cong): meat production.
    let meat: f64 = MONTHS.iter().map(|m| month_value(&s, m, "nong_nghiep", "thit_hoi")).sum();
    assert!(
        text.contains(&format!("thịt hơi xuất chuồng trong quý đạt {} tấn", format(meat, 0))),
        "sum {meat}"
    );
    // End of period (cuoi_ky): the herd, itself the sum of buffalo + cattle + pigs in March.
    let herd: f64 = ["dan_trau", "dan_bo", "dan_lon"]
        .iter()
        .map(|c| month_value(&s, "2026-03", "nong_nghiep", c))
        .sum();
    assert!(
        text.contains(&format!("tổng đàn gia súc đạt {} con", format(herd, 0))),
        "end value {herd}"
    );
    // A share recomputed from the aggregated parts, never an average of monthly shares.
    let pork: f64 = MONTHS.iter().map(|m| month_value(&s, m, "nong_nghiep", "thit_lon")).sum();
    assert!(
        text.contains(&format!(
            "thịt lợn hơi {} tấn, chiếm {}%",
            format(pork, 0),
            format(pork / meat * 100.0, 1)
        )),
        "ratio"
    );
    // Official figure for the quarter wins over the months' sum.
    let months_sum: f64 = MONTHS.iter().map(|m| month_value(&s, m, "cong_nghiep", "gtsx")).sum();
    let official = month_value(&s, "2026-Q1", "cong_nghiep", "gtsx");
    assert!((official - months_sum).abs() > 0.01, "the sample override differs from the sum");
    assert!(text.contains(&format!("quý I đạt {} tỷ đồng", format(official, 1))));
    assert!(!text.contains(&format!("quý I đạt {} tỷ đồng", format(months_sum, 1))));
}

#[test]
fn a_january_correction_changes_the_quarter_and_check_reports_the_override() {
    let s = Scratch::new();
    let before: f64 = MONTHS.iter().map(|m| month_value(&s, m, "nong_nghiep", "thit_hoi")).sum();
    let jan = month_value(&s, "2026-01", "nong_nghiep", "thit_hoi");
    s.edit(
        "data/2026-01/nong_nghiep.csv",
        &format!("trong tháng,tấn,{},", format(jan, 0)),
        &format!("trong tháng,tấn,{},", format(jan + 100.0, 0)),
    );
    let text = quarter(&s);
    assert!(
        text.contains(&format!("trong quý đạt {} tấn", format(before + 100.0, 0))),
        "{}",
        &text[..600]
    );
    let c = s.run(&["check", "--report", "bao-cao-dinh-ky", "--period", "2026-Q1"]);
    assert_eq!(c.code, 0, "{}", c.stdout);
    assert!(
        c.stdout
            .contains("data/2026-Q1/cong_nghiep.csv, dòng 2 [gtsx]: số công bố cho cả kỳ 963,0 khác số tổng hợp từ các tháng 962,5"),
        "{}",
        c.stdout
    );
}

#[test]
fn a_missing_month_is_named_or_estimated() {
    let s = Scratch::new();
    std::fs::remove_dir_all(s.file("data/2026-03")).unwrap();
    // The quarterly type allows estimating the last month: figures are marked "ước".
    let text = quarter(&s);
    assert!(text.contains("ước đạt"), "estimated figures are marked");
    let estimated_pdf = std::fs::read(s.file("out/bao-cao-dinh-ky-2026-Q1.pdf")).unwrap();
    // Without that permission, the missing months are named.
    s.edit(
        "templates/bao-cao-dinh-ky/mau.toml",
        "uoc_tinh_thang_cuoi = true",
        "uoc_tinh_thang_cuoi = false",
    );
    let r = s.run(&["render", "--report", "bao-cao-dinh-ky", "--period", "2026-Q1"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("thiếu thư mục: 2026-03 (tháng 3 năm 2026)"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(s.file("out/bao-cao-dinh-ky-2026-Q1.pdf")).unwrap(),
        estimated_pdf,
        "the earlier PDF is kept"
    );
    // A month missing in the middle is never estimated.
    s.edit(
        "templates/bao-cao-dinh-ky/mau.toml",
        "uoc_tinh_thang_cuoi = false",
        "uoc_tinh_thang_cuoi = true",
    );
    std::fs::remove_dir_all(s.file("data/2026-01")).unwrap();
    let r = s.run(&["check", "--report", "bao-cao-dinh-ky", "--period", "2026-Q1"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("thiếu thư mục: 2026-01 (tháng 01 năm 2026), 2026-03 (tháng 3 năm 2026)"),
        "{}",
        r.stderr
    );
}

#[test]
fn period_kinds_work_with_every_command() {
    let s = Scratch::new();
    let c = s.run(&["check", "--period", "2026-Q1", "--report", "bao-cao-dinh-ky"]);
    assert!(
        c.stdout.starts_with("Kiểm tra bao-cao-dinh-ky kỳ 2026-Q1 (quý I năm 2026):"),
        "{}",
        c.stdout
    );
    // A quarter is built from its months, never created (empty) by new-period.
    let n = s.run(&["new-period", "2026-Q2", "--from", "2026-Q1"]);
    assert_eq!(n.code, 1, "{}", n.stdout);
    assert!(n.stderr.contains("được tổng hợp từ các tháng"), "{}", n.stderr);
    assert!(!s.file("data/2026-Q2").exists());
    let bad = s.run(&["render", "--period", "2026-Q5"]);
    assert_eq!(bad.code, 2);
    // The half year needs months 4-6: named as missing.
    let h = s.run(&["render", "--report", "bao-cao-dinh-ky", "--period", "2026-H1"]);
    assert_eq!(h.code, 1);
    assert!(h.stderr.contains("thiếu thư mục: 2026-04"), "{}", h.stderr);
}

/// Copies month 2026-03's figure files into 2026-04 .. 2026-12 (files only: the
/// Party resolution's folder stays in March), so that every period kind of 2026 has
/// its months.
fn fill_the_year(s: &Scratch) {
    for month in 4..=12 {
        let dir = s.file(&format!("data/2026-{month:02}"));
        std::fs::create_dir_all(&dir).unwrap();
        for e in std::fs::read_dir(s.file("data/2026-03")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "csv") {
                std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
            }
        }
    }
}

#[test]
fn titles_name_the_period_and_the_next_one_for_every_kind() {
    let s = Scratch::new();
    fill_the_year(&s);
    let cases = [
        ("2026-02", "tháng 02 năm 2026", "tháng 3 năm 2026"),
        ("2026-Q1", "quý I năm 2026", "quý II năm 2026"),
        ("2026-H1", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026"),
        ("2026-9T", "9 tháng năm 2026", "quý IV năm 2026"),
        ("2026", "năm 2026", "năm 2027"),
    ];
    for (period, label, next) in cases {
        let (_, dump) = s.render_text(&["--report", "bao-cao-dinh-ky", "--period", period]);
        let first: Vec<String> = pages(&dump)[0].iter().map(|(_, t)| t.clone()).collect();
        let title = format!("Tình hình kinh tế - xã hội {label}");
        let tasks = format!("và nhiệm vụ trọng tâm {next}");
        assert!(first.contains(&title), "{period}: {title:?} in {first:#?}");
        assert!(first.contains(&tasks), "{period}: {tasks:?} in {first:#?}");
        assert!(!first.iter().any(|t| t.contains("năm năm")), "{period}: {first:#?}");
    }
}
