//! Errors in fragments point at the fragment file and line the author wrote,
//! exit non-zero and write no PDF.

mod common;
use common::*;

const FRAG: &str = "templates/bao-cao-thang/kinh-te-nong-nghiep.txt";

fn fails_at(s: &Scratch, line_marker: &str) -> String {
    let r = s.run(&["render"]);
    assert_eq!(r.code, 1, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert!(!s.file("out/bao-cao-thang-2026-02.pdf").exists(), "a PDF was written");
    assert!(!r.stderr.contains("panicked"));
    let line = s.read(FRAG).lines().position(|l| l.contains(line_marker)).unwrap() + 1;
    assert!(
        r.stderr.contains(&format!("{FRAG}, dòng {line}")),
        "expected {FRAG}, dòng {line} in:\n{}",
        r.stderr
    );
    r.stderr
}

#[test]
fn misspelt_variable_names_fragment_line_and_column() {
    let s = Scratch::new();
    s.edit(FRAG, "Tập trung làm đất", "Tập trung {{ nong_nghiep.lua_dong_xuann }} làm đất");
    let err = fails_at(&s, "lua_dong_xuann");
    assert!(err.contains("\"nong_nghiep.lua_dong_xuann\" không có trong số liệu"), "{err}");
    assert!(err.contains(", cột 14:"), "{err}");
}

#[test]
fn typst_syntax_error_is_mapped_to_the_fragment_line() {
    let s = Scratch::new();
    s.edit(FRAG, "Tập trung làm đất", "{{ \"#text(fill: red\" | typst }} Tập trung làm đất");
    let err = fails_at(&s, "#text(fill: red");
    assert!(err.starts_with("Lỗi dàn trang (Typst)"), "{err}");
}

#[test]
fn reading_outside_the_report_folder_is_refused() {
    let s = Scratch::new();
    s.edit(
        FRAG,
        "Tập trung làm đất",
        "{{ \"#read(\\\"/etc/passwd\\\")\" | typst }} Tập trung làm đất",
    );
    let err = fails_at(&s, "/etc/passwd");
    assert!(err.contains("không cho đọc \"/etc/passwd\""), "{err}");
    // Relative escapes and includes are refused as well.
    let s = Scratch::new();
    s.edit(
        FRAG,
        "Tập trung làm đất",
        "{{ \"#image(\\\"../../../etc/passwd\\\")\" | typst }} Tập trung làm đất",
    );
    fails_at(&s, "../../../etc/passwd");
    let s = Scratch::new();
    s.edit(FRAG, "Tập trung làm đất", "{% include \"../../../etc/passwd\" %} Tập trung làm đất");
    let err = fails_at(&s, "etc/passwd");
    assert!(err.contains("không tìm thấy đoạn"), "{err}");
}

#[test]
fn unclosed_footnote_points_at_its_opening() {
    let s = Scratch::new();
    s.edit(FRAG, "Tập trung làm đất", "Tập trung^[chưa đóng làm đất");
    let err = fails_at(&s, "^[chưa đóng");
    assert!(err.contains("chú thích ^[ mở ở đây nhưng không được đóng"), "{err}");
}

#[test]
fn runaway_loop_is_stopped() {
    let s = Scratch::new();
    s.edit(
        FRAG,
        "Tập trung làm đất",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}Tập trung làm đất",
    );
    let err = fails_at(&s, "range(100000)");
    assert!(err.contains("quá nhiều bước"), "{err}");
}

#[test]
fn check_reports_template_errors_with_location() {
    let s = Scratch::new();
    s.edit(
        FRAG,
        "Tập trung làm đất",
        "{{ nong_nghiep.khong_co | tang_giam }} Tập trung làm đất",
    );
    let r = s.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains(&format!("LỖI: {FRAG}, dòng")), "{}", r.stdout);
}
