//! The other shipped report types: the Party-style action programme with its
//! two appendix tables (seed 001) and the administrative plan (seed 003).

use crate::common::*;

fn ctr() -> (Scratch, String) {
    let s = Scratch::new();
    let (_, dump) = s.render_text(&["--report", "chuong-trinh-hanh-dong", "--period", "2025-11"]);
    (s, dump)
}

/// Pages from the one whose first lines contain `title` up to the next appendix.
fn appendix_pages(dump: &str, title: &str) -> Vec<Vec<(u32, String)>> {
    let all = pages(dump);
    let start = all
        .iter()
        .position(|p| p.iter().take(3).any(|(_, t)| t == title))
        .unwrap_or_else(|| panic!("{title} not found"));
    let end = all
        .iter()
        .skip(start + 1)
        .position(|p| p.iter().take(3).any(|(_, t)| t.starts_with("Phụ lục ")))
        .map_or(all.len(), |i| start + 1 + i);
    all[start..end].to_vec()
}

#[test]
fn party_document_conventions() {
    let (_, dump) = ctr();
    let first = &pages(&dump)[0];
    let text: Vec<&str> = first.iter().map(|(_, t)| t.as_str()).collect();
    assert!(
        text[0].contains("ĐẢNG BỘ TỈNH LAI CHÂU") && text[0].contains("ĐẢNG CỘNG SẢN VIỆT NAM"),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t.trim() == "*"), "asterisk under the committee: {text:?}");
    assert!(
        text.iter()
            .any(|t| t.contains("Số 05-CTr/TU") && t.contains("Lai Châu, ngày 24 tháng 11 năm 2025")),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t == &"CHƯƠNG TRÌNH HÀNH ĐỘNG"));
    assert!(text.iter().any(|t| t == &"-----"));
    let all = flat(&dump);
    for s in [
        "I- TÌNH HÌNH",
        "II- MỤC TIÊU",
        "1. Mục tiêu chung",
        "2.1. Đến năm 2030",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Sùng A Hồ",
        "Nơi nhận:",
        "- Lưu VPTU.",
    ] {
        assert!(all.contains(s), "missing {s:?}");
    }
}

#[test]
fn appendix_one_has_every_target_and_the_year_columns() {
    let (s, dump) = ctr();
    let pl = appendix_pages(&dump, "Phụ lục I");
    let text = pl.iter().flatten().map(|(_, t)| t.clone()).collect::<Vec<_>>().join("\n");
    assert!(text.contains("(Kèm theo Chương trình hành động số 05-CTr/TU, ngày 24/11/2025 của Ban Thường vụ Tỉnh ủy)"));
    assert!(text.contains("2026 2027 2028 2029 2030"), "year sub-headers under 'Năm'");
    let csv = s.read("data/2025-11/chuong-trinh-hanh-dong/phu-luc-1.csv");
    let mut rows = 0;
    for line in csv.lines().skip(1) {
        let cells: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(String::from)
            .collect();
        let head: String = cells[1].split_whitespace().take(3).collect::<Vec<_>>().join(" ");
        assert!(text.contains(&head), "row {:?} missing ({head})", cells[0]);
        rows += 1;
    }
    assert!(rows >= 16, "{rows} rows");
    assert!(
        text.contains("71,9") && text.contains("81,2") && text.contains("4.700"),
        "numbers in Vietnamese format"
    );
}

#[test]
fn appendix_two_has_all_17_tasks_and_repeats_its_header() {
    let (_, dump) = ctr();
    let pl = appendix_pages(&dump, "Phụ lục II");
    assert!(pl.len() >= 2, "the table should run over several pages");
    for (i, page) in pl.iter().enumerate() {
        assert!(
            page.iter().any(|(_, t)| t.contains("TT Nhiệm vụ Cơ quan chủ trì")),
            "header missing on appendix page {}",
            i + 1
        );
    }
    let starts: Vec<u32> = pl
        .iter()
        .flatten()
        .filter_map(|(_, t)| t.split_whitespace().next()?.parse().ok())
        .filter(|n| *n <= 17)
        .collect();
    for n in 1..=17 {
        assert!(starts.contains(&n), "task {n} missing");
    }
    // Page numbers restart in each appendix: its second page shows 2.
    assert_eq!(pl[1][0].1, "2");
}

#[test]
fn administrative_plan() {
    let s = Scratch::new();
    let (_, dump) = s.render_text(&["--report", "ke-hoach", "--period", "2020-07"]);
    let text = flat(&dump);
    for t in [
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "/KH-UBND",
        "KẾ HOẠCH",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "TM. UỶ BAN NHÂN DÂN",
        "Tống Thanh Hải",
    ] {
        assert!(text.contains(t), "missing {t:?}");
    }
}

#[test]
fn missing_appendix_table_is_named() {
    let s = Scratch::new();
    std::fs::remove_file(s.file("data/2025-11/chuong-trinh-hanh-dong/phu-luc-2.csv")).unwrap();
    let r = s.run(&["render", "--report", "chuong-trinh-hanh-dong", "--period", "2025-11"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Không tìm thấy bảng của Phụ lục II: cần tệp data/2025-11/chuong-trinh-hanh-dong/phu-luc-2.csv"),
        "{}",
        r.stderr
    );
}

#[test]
fn batch_renders_every_report_type() {
    let s = Scratch::new();
    let r = s.run(&["render", "--all"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    for f in [
        "out/bao-cao-thang-2026-02.pdf",
        "out/chuong-trinh-hanh-dong-2025-11.pdf",
        "out/ke-hoach-2020-07.pdf",
    ] {
        assert!(s.file(f).is_file(), "{f}");
    }
    let summary = r.last_line();
    let (done, total) = summary
        .strip_prefix("Đã tạo ")
        .and_then(|t| t.split(' ').next())
        .and_then(|t| t.split_once('/'))
        .expect("summary line");
    assert_eq!(done, total, "{summary}");
    assert!(summary.ends_with("0 lỗi."), "{summary}");
}
