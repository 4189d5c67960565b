//! The month-to-month cycle with the real binary: a first real month on a
//! fresh checkout, stale wording caught, files that are not read named,
//! a broken neighbour reported, and what changed in the document shown by diff.

use crate::common::*;

/// Findings of the staleness check in a command's output.
fn stale_lines(out: &str) -> Vec<&str> {
    out.lines().filter(|l| l.contains("lời văn còn ghi")).collect()
}

#[test]
fn first_real_month_on_a_fresh_checkout_keeps_the_quarterly_sample() {
    let s = Scratch::new();
    let n = s.run(&["new-period", "2026-03"]);
    assert_eq!(n.code, 0, "{}{}", n.stdout, n.stderr);
    assert!(n.stdout.contains("data/2026-03 là số liệu mẫu"), "{}", n.stdout);
    assert!(n.stdout.contains("chuyển sang data/_mau/2026-03"), "{}", n.stdout);
    assert!(s.file("data/_mau/2026-03/tai_chinh.csv").is_file(), "the sample is kept aside");
    assert!(!s.file("data/2026-03/SO-LIEU-MAU.md").exists(), "the new month is not a sample");
    // Indicator names copied with a date are flagged, with their row.
    assert!(
        n.stdout
            .contains("CẢNH BÁO: data/2026-03/tai_chinh.csv, dòng 2, cột 2: tên chỉ tiêu chép từ kỳ trước còn ghi \"15/02/2026\""),
        "{}",
        n.stdout
    );
    assert!(s.read("baocao.toml").contains("ky = \"2026-03\""));
    // The quarterly sample still renders: March not entered yet is estimated from February.
    let q = s.run(&["render", "--report", "bao-cao-dinh-ky", "--period", "2026-Q1"]);
    assert_eq!(q.code, 0, "{}{}", q.stdout, q.stderr);
    assert!(q.stdout.contains("ước tính bằng số của tháng trước"), "{}", q.stdout);
    // A real month is never replaced.
    let again = s.run(&["new-period", "2026-03"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("đã có; không ghi đè số liệu đã nhập"), "{}", again.stderr);
}

#[test]
fn stale_date_and_month_in_a_march_fragment_are_found_at_their_lines() {
    let s = Scratch::new();
    assert_eq!(s.run(&["new", "thang-thu"]).code, 0);
    s.write(
        "templates/thang-thu/noi-dung.txt",
        "Trong {{ ky.nhan }}, thu ngân sách đạt {{ tai_chinh.thu_nsdp }} tỷ đồng.\n\
         Lũy kế đến ngày 04/02/2026 đạt {{ tai_chinh.chi_nsdp }} tỷ đồng.\n\
         So với tháng 02, các chỉ tiêu đều tăng.\n\
         Kế hoạch ngày 10/01/2026 vẫn giữ. {# giu-nguyen #}\n\nĐoạn cuối./.\n",
    );
    for cmd in ["check", "render"] {
        let r = s.run(&[cmd, "--report", "thang-thu", "--period", "2026-03"]);
        assert_eq!(r.code, 0, "{cmd}: warnings only\n{}{}", r.stdout, r.stderr);
        let stale = stale_lines(&r.stdout);
        assert_eq!(stale.len(), 2, "{cmd}: {stale:#?}");
        assert!(
            stale[0].starts_with("CẢNH BÁO: templates/thang-thu/noi-dung.txt, dòng 2, cột 17: lời văn còn ghi \"04/02/2026\""),
            "{}",
            stale[0]
        );
        assert!(
            stale[1].starts_with("CẢNH BÁO: templates/thang-thu/noi-dung.txt, dòng 3, cột 8: lời văn còn ghi \"tháng 02\""),
            "{}",
            stale[1]
        );
    }
}

#[test]
fn the_february_sample_renders_and_its_stale_warnings_are_only_about_january() {
    let s = Scratch::new();
    let r = s.run(&["render"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The two dates of January the text means (January's electricity output, the 2025
    // capital's deadline 31/01/2026) are marked giu-nguyen: no stale warning.
    assert!(stale_lines(&r.stdout).is_empty(), "{:#?}", stale_lines(&r.stdout));
    for f in ["kinh-te-cong-nghiep", "kinh-te-dau-tu-cong"] {
        let rel = format!("templates/bao-cao-thang/{f}.txt");
        let text = s.read(&rel);
        let marker = text.find(" {# giu-nguyen").expect("marker");
        let end = text[marker..].find("#}").unwrap() + marker + 2;
        s.write(&rel, format!("{}{}", &text[..marker], &text[end..]));
    }
    let r = s.run(&["render"]);
    let stale = stale_lines(&r.stdout);
    assert_eq!(stale.len(), 2, "{stale:#?}");
    assert!(stale[0].contains("kinh-te-cong-nghiep.txt, dòng 1") && stale[0].contains("\"tháng 01/2026\""));
    assert!(stale[1].contains("kinh-te-dau-tu-cong.txt, dòng 1") && stale[1].contains("\"31/01/2026\""));
}

#[test]
fn unread_files_and_duplicate_sectors_come_first() {
    let s = Scratch::new();
    // Excel's "Unicode Text" (.txt, UTF-16).
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("ma\tten\r\n".encode_utf16().flat_map(|u| u.to_le_bytes()));
    s.write("data/2026-02/lao_dong_moi.txt", utf16);
    // A sector given twice, with blank values in the CSV.
    let csv = s.read("data/2026-02/y_te.csv").replace(",129,", ",,").replace(",434,", ",,");
    s.write("data/2026-02/y_te.csv", csv);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("y_te").unwrap();
    for (c, h) in ["ma", "ten", "don_vi", "gia_tri"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["tay_chan_mieng", "Tay chân miệng", "trường hợp"].iter().enumerate() {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    sheet.write_number(1, 3, 129.0).unwrap();
    book.save(s.file("data/2026-02/y_te.xlsx")).unwrap();
    let c = s.run(&["check"]);
    assert_eq!(c.code, 1);
    let lines: Vec<&str> = c.stdout.lines().skip(1).collect();
    assert!(
        lines[0].starts_with("CẢNH BÁO: data/2026-02/lao_dong_moi.txt: tệp này không được đọc: đây là tệp UTF-16"),
        "{}",
        c.stdout
    );
    assert!(lines[0].contains("CSV UTF-8"), "the fix is named: {}", lines[0]);
    let first_error = lines.iter().find(|l| l.starts_with("LỖI")).unwrap();
    assert_eq!(
        *first_error,
        "LỖI: data/2026-02/y_te.xlsx (trang tính y_te): lĩnh vực này đã có trong data/2026-02/y_te.csv"
    );
    assert!(
        c.stdout.contains("y_te.csv, dòng 2 [tay_chan_mieng]: thiếu giá trị"),
        "the blank cells are still listed"
    );
}

#[test]
fn a_broken_january_is_named_with_the_cumulative_values_it_costs() {
    let s = Scratch::new();
    // A real January (the shipped one is a sample, which never feeds a real month).
    std::fs::remove_file(s.file("data/2026-01/SO-LIEU-MAU.md")).unwrap();
    s.edit("data/2026-01/tai_chinh.csv", "\"162,35\"", "\"162,35");
    for cmd in ["check", "render"] {
        let r = s.run(&[cmd]);
        let finding = r
            .stdout
            .lines()
            .find(|l| l.contains("không đọc được data/2026-01/tai_chinh.csv"))
            .unwrap_or_else(|| panic!("{cmd}: no finding for January\n{}{}", r.stdout, r.stderr));
        assert!(finding.starts_with("CẢNH BÁO: data/2026-01/tai_chinh.csv:"), "{finding}");
        assert!(finding.contains("nên không tính được lũy kế của"), "{finding}");
        assert!(finding.contains("tai_chinh.thu_nsdp"), "{finding}");
        assert_eq!(r.code, 0, "{cmd}: February itself is fine");
    }
}

#[test]
fn diff_shows_the_changed_sentence_and_manifests_hold_the_wording_hashes() {
    let s = Scratch::new();
    assert_eq!(s.run(&["render", "--out", "ban-in"]).code, 0);
    s.edit("data/2026-02/tai_chinh.csv", "\"334,68\"", "\"343,68\"");
    assert_eq!(s.run(&["render", "--out", "ban-in"]).code, 0);
    let h = s.run(&["history", "--out", "ban-in"]);
    assert_eq!(h.stdout.lines().count(), 2, "history honours --out: {}", h.stdout);
    let d = s.run(&["diff", "--out", "ban-in"]);
    assert_eq!(d.code, 0, "{}", d.stderr);
    assert!(
        d.stdout
            .contains(": 334,68 -> 343,68  (Tài chính - ngân sách; mã tai_chinh.thu_nsnn_dia_ban)"),
        "{}",
        d.stdout
    );
    let old = d
        .stdout
        .lines()
        .find(|l| l.starts_with("  cũ:") && l.contains("«334,68»"))
        .unwrap_or_else(|| panic!("{}", d.stdout));
    let new = d
        .stdout
        .lines()
        .find(|l| l.starts_with("  mới:") && l.contains("«343,68»"))
        .unwrap_or_else(|| panic!("{}", d.stdout));
    assert!(old.contains("ngân sách nhà nước trên địa bàn đạt «334,68»"), "{old}");
    assert!(new.contains("ngân sách nhà nước trên địa bàn đạt «343,68»"), "{new}");
    // The comparison computed from the figure changed too.
    let marked = |side: &str, text: &str| d.stdout.lines().any(|l| l.starts_with(side) && l.contains(text));
    assert!(marked("  cũ:", "«18,6%") && marked("  mới:", "«21,8%"), "{}", d.stdout);
    for n in ["001", "002"] {
        let m: serde_json::Value = serde_json::from_str(&s.read(&format!("ban-in/lich-su/bao-cao-thang/2026-02/{n}.json"))).unwrap();
        let files: Vec<&str> = m["tep_mau"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        for f in [
            "templates/bao-cao-thang/mau.toml",
            "templates/bao-cao-thang/kinh-te-tai-chinh.txt",
            "templates/_chung/hanh-chinh.typ",
        ] {
            assert!(files.contains(&f), "{n}: {f} not in {files:?}");
        }
        assert!(m["tep_mau"][0]["sha256"].as_str().unwrap().len() == 64);
        assert!(m["chuong_trinh"].as_str().unwrap().starts_with("baocao "));
    }
    assert!(!s.file("out").exists(), "nothing written outside --out");
}

#[test]
fn the_guide_lists_every_staleness_rule() {
    let guide = std::fs::read_to_string(repo().join("docs/HUONG-DAN-VIET-DOAN.md")).unwrap();
    let section = guide
        .split("## Mỗi tháng cần sửa gì")
        .nth(1)
        .expect("the guide has the checklist section");
    for rule in baocao::internals::stale::RULES {
        assert!(
            section.contains(&format!("- [ ] {}", rule.checklist)),
            "rule {} missing from the checklist",
            rule.name
        );
    }
    assert!(
        section.contains(&format!("{{# {} #}}", baocao::internals::stale::MARKER)),
        "the marker is documented"
    );
}
