//! Staff workflows with the real binary: versions and diff, nothing lost on a
//! failed write, archival metadata, new report types and periods, watch mode.

use crate::common::*;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PDF: &str = "out/bao-cao-thang-2026-02.pdf";

#[test]
fn diff_lists_exactly_the_corrected_figure() {
    let s = Scratch::new();
    assert_eq!(s.run(&["render"]).code, 0);
    assert_eq!(s.run(&["render"]).code, 0, "unchanged inputs");
    assert!(
        s.run(&["history"]).stdout.lines().count() == 1,
        "an identical render adds no version"
    );
    s.edit("data/2026-02/nong_nghiep.csv", "84.860", "84.960");
    assert_eq!(s.run(&["render"]).code, 0);
    let h = s.run(&["history"]);
    assert_eq!(h.stdout.lines().count(), 2, "{}", h.stdout);
    let d = s.run(&["diff"]);
    assert_eq!(d.code, 0, "{}", d.stderr);
    let lines: Vec<&str> = d.stdout.lines().collect();
    // The raw figure and the total computed from it.
    assert_eq!(lines[0], "So sánh phiên bản 1 và 2: 2 số liệu thay đổi.");
    // By the indicator's name and its sector's title (data/linh-vuc.toml), the code last.
    assert_eq!(
        lines[1..3],
        [
            "Tổng đàn gia súc: 331.630 -> 331.730  (Nông nghiệp và nông thôn mới; mã nong_nghiep.dan_gia_suc)",
            "Đàn trâu: 84.860 -> 84.960  (Nông nghiệp và nông thôn mới; mã nong_nghiep.dan_trau)"
        ]
    );
    // Then the sentences of the document that changed, old and new.
    // From the document's own text, under the title of the fragment they belong to.
    assert_eq!(lines[3], "Lời văn thay đổi: 2 câu (chữ thay đổi trong «»).", "{}", d.stdout);
    assert_eq!(
        lines[4], "  [Sản xuất nông - lâm nghiệp - thủy sản, xây dựng nông thôn mới]",
        "{}",
        d.stdout
    );
    assert!(
        lines[5].starts_with("  cũ:  tổng đàn gia súc ước đạt «331.630» con"),
        "{}",
        d.stdout
    );
    assert!(
        lines[6].starts_with("  mới: tổng đàn gia súc ước đạt «331.730» con"),
        "{}",
        d.stdout
    );
}

#[test]
fn failed_write_keeps_the_previous_pdf() {
    let s = Scratch::new();
    assert_eq!(s.run(&["render"]).code, 0);
    let before = std::fs::read(s.file(PDF)).unwrap();
    s.edit("data/2026-02/nong_nghiep.csv", "84.860", "84.960");
    let out = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .arg("render")
        .current_dir(s.path())
        .env(baocao::internals::FAIL_BEFORE_RENAME_ENV, "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Dừng trước khi đổi tên"));
    assert_eq!(std::fs::read(s.file(PDF)).unwrap(), before, "previous PDF changed");
    let stray: Vec<_> = walk(&s.file("out"))
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "temporary files left: {stray:?}");
}

/// SIGKILL at several moments of a render never leaves a truncated or missing PDF.
#[test]
fn killed_renders_never_damage_the_pdf() {
    let s = Scratch::new();
    assert_eq!(s.run(&["render"]).code, 0);
    let good = std::fs::read(s.file(PDF)).unwrap();
    s.edit("data/2026-02/nong_nghiep.csv", "84.860", "84.960");
    for delay_ms in [0u64, 5, 20, 40, 80, 120, 200] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
            .arg("render")
            .current_dir(s.path())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(s.file(PDF)).expect("the PDF must still exist");
        assert!(
            now == good || (now.starts_with(b"%PDF-") && now.ends_with(b"%%EOF\n") || now.ends_with(b"%%EOF")),
            "truncated PDF after kill at {delay_ms} ms"
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn pdf_is_pdfa_2b_with_metadata_from_the_manifest() {
    let s = Scratch::new();
    assert_eq!(s.run(&["render"]).code, 0);
    let pdf = String::from_utf8_lossy(&std::fs::read(s.file(PDF)).unwrap()).to_string();
    assert!(
        pdf.contains("<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"),
        "no PDF/A-2b claim"
    );
    assert!(
        pdf.contains("<dc:creator><rdf:Seq><rdf:li>ỦY BAN NHÂN DÂN TỈNH LAI CHÂU</rdf:li>"),
        "author"
    );
    assert!(
        pdf.contains("BÁO CÁO Tình hình thực hiện Nghị quyết số 01/NQ-CP năm 2026;"),
        "title = trích yếu"
    );
    assert!(pdf.contains("<xmp:CreateDate>2026-02-28"), "date = report date");
}

#[test]
fn check_exits_zero_with_the_seed_mismatches_as_warnings() {
    let r = Scratch::new().run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("[khach_du_lich]: tổng các chỉ tiêu con là 13.500, khác giá trị ghi 116.500"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("[csdl]: tổng các chỉ tiêu con là 17, khác giá trị ghi 27"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Tổng cộng: 0 lỗi"));
}

#[test]
fn new_report_type_from_the_monthly_one_renders_and_is_editable() {
    let s = Scratch::new();
    assert_eq!(s.run(&["new", "bao-cao-quy", "--from", "bao-cao-thang"]).code, 0);
    let (_, before) = s.render_text(&["--report", "bao-cao-quy"]);
    assert!(flat(&before).contains("Tập trung làm đất"));
    s.edit(
        "templates/bao-cao-quy/kinh-te-nong-nghiep.txt",
        "Tập trung làm đất",
        "Tập trung cày bừa",
    );
    s.edit("templates/bao-cao-quy/mau.toml", "BÁO CÁO", "BÁO CÁO QUÝ");
    let (_, after) = s.render_text(&["--report", "bao-cao-quy"]);
    assert!(flat(&after).contains("Tập trung cày bừa") && flat(&after).contains("BÁO CÁO QUÝ"));
    // The original report type is untouched.
    let (_, orig) = s.render_text(&[]);
    assert!(flat(&orig).contains("Tập trung làm đất") && !flat(&orig).contains("BÁO CÁO QUÝ"));
    // A starter report type renders at once.
    assert_eq!(s.run(&["new", "thu-nghiem"]).code, 0);
    assert_eq!(s.run(&["render", "--report", "thu-nghiem"]).code, 0);
    // Existing names are refused.
    assert_eq!(s.run(&["new", "bao-cao-thang"]).code, 1);
}

#[test]
fn new_period_keeps_indicators_and_asks_for_values() {
    let s = Scratch::new();
    let r = s.run(&["new-period", "2026-04"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = s.read("data/2026-04/nong_nghiep.csv");
    assert!(csv.starts_with("ma,ten,don_vi,gia_tri,cha,trong_do,cung_ky"));
    assert!(csv.contains("dan_trau,Đàn trâu,con,,dan_gia_suc,"), "{csv}");
    let c = s.run(&["check", "--period", "2026-04"]);
    assert_eq!(c.code, 1);
    assert!(
        c.stdout
            .contains("LỖI: data/2026-04/nong_nghiep.csv, dòng 2 [lua_dong_xuan]: thiếu giá trị"),
        "{}",
        c.stdout
    );
    assert_eq!(s.run(&["new-period", "2026-04"]).code, 1, "never overwrites");
    assert!(
        s.read("baocao.toml").contains("ky = \"2026-04\""),
        "the new period becomes the current one"
    );
    assert!(
        s.read("baocao.toml").contains("bao_cao = \"bao-cao-thang\""),
        "the rest of the settings are kept"
    );
}

#[test]
fn emitted_typst_is_a_complete_project() {
    let s = Scratch::new();
    let r = s.run(&["render", "--emit-typ", "typ"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in [
        "typ/main.typ",
        "typ/van-ban.json",
        "typ/chung/hanh-chinh.typ",
        "typ/doan/kinh-te-nong-nghiep.typ",
        "typ/gia-tri/kinh-te-nong-nghiep.json",
    ] {
        assert!(s.file(f).is_file(), "{f} missing");
    }
    assert!(s.read("typ/gia-tri/kinh-te-nong-nghiep.json").contains("\"84.860\""));
}

#[test]
fn watch_rerenders_on_change_and_keeps_the_pdf_on_error() {
    let s = Scratch::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["watch", "--text"])
        .current_dir(s.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let wait_for = |what: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            if let Ok(l) = rx.recv_timeout(Duration::from_millis(200)) {
                if l.contains(what) {
                    return l;
                }
                seen.push(l);
            }
        }
        panic!("timed out waiting for {what:?}; saw {seen:?}");
    };
    wait_for("Đã tạo lại");
    s.edit("data/2026-02/nong_nghiep.csv", "84.860", "91.234");
    wait_for("Đã tạo lại");
    assert!(flat(&s.read("out/bao-cao-thang-2026-02.txt")).contains("đàn trâu 91.234 con"));
    // Exactly one render per edit: the change log the render writes is not an edit.
    let quiet = Instant::now() + Duration::from_secs(2);
    let mut again = Vec::new();
    while Instant::now() < quiet {
        if let Ok(l) = rx.recv_timeout(Duration::from_millis(100)) {
            again.push(l);
        }
    }
    assert!(!again.iter().any(|l| l.contains("Đã tạo lại")), "a second render: {again:?}");
    let good = std::fs::read(s.file(PDF)).unwrap();
    s.edit("data/2026-02/nong_nghiep.csv", "91.234", "91.2x4");
    let err = wait_for("bản PDF trước vẫn giữ nguyên");
    assert!(err.contains("Chưa tạo lại") || err.contains("giữ nguyên"));
    assert_eq!(std::fs::read(s.file(PDF)).unwrap(), good);
    let _ = child.kill();
    let _ = child.wait();
}
