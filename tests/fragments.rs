//! Errors in fragments point at the fragment file and line the author wrote,
//! exit non-zero and write no PDF.

use crate::common::*;

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

/// Each kind of fragment error on a 2,000-character line: the excerpt is a short window
/// with the caret under the character the error is at, the message is Vietnamese and
/// minijinja's English appears only on the "(chi tiết: ...)" line.
#[test]
fn errors_on_a_long_line_show_a_short_excerpt_with_a_caret() {
    let pad = "Tiếp tục chỉ đạo sản xuất vụ đông xuân, bảo đảm nước tưới. ".repeat(17);
    let cases = [
        (
            "{{ nong_nghiep.lua_dong_xuann }}",
            "nong_nghiep.lua_dong_xuann",
            "không có trong số liệu",
        ),
        (
            "{{ nong_nghiep.lua_dong_xuan | so(1 }}",
            "}}",
            "lỗi cú pháp mẫu: gặp \"}\" ở chỗ cần dấu phẩy",
        ),
        ("ha^[chú thích chưa đóng", "^[", "chú thích ^[ mở ở đây nhưng không được đóng"),
        (
            "{{ nong_nghiep.lua_dong_xuan | tang_giam(\"a\", \"b\", \"c\") }}",
            "tang_giam(",
            "bộ lọc tang_giam nhận tối đa 1 tham số",
        ),
    ];
    for (construct, at, vietnamese) in cases {
        let s = Scratch::new();
        let line = format!("{pad}{construct} {pad}");
        assert!(line.chars().count() >= 2000);
        s.write(FRAG, format!("{}\n{line}\n", s.read(FRAG)));
        let err = fails_at(&s, construct);
        let lines: Vec<&str> = err.lines().collect();
        let msg = lines.iter().position(|l| l.starts_with(FRAG)).expect("message line");
        assert!(lines[msg].contains(vietnamese), "{construct}: {}", lines[msg]);
        for english in ["syntax error", "unexpected", "undefined", "expected"] {
            assert!(!lines[msg].contains(english), "English in the message: {}", lines[msg]);
        }
        let rest = &lines[msg + 1..];
        let ex = rest
            .iter()
            .position(|l| l.starts_with("    ") && !l.starts_with("    (chi tiết"))
            .expect("excerpt");
        let excerpt: Vec<char> = rest[ex]["    ".len()..].chars().collect();
        let caret = rest[ex + 1];
        assert!(excerpt.len() <= 82, "excerpt of {} characters: {}", excerpt.len(), rest[ex]);
        assert!(caret.trim() == "^", "caret line {caret:?}");
        let col = caret.chars().count() - 1 - "    ".len();
        let under: String = excerpt[col..].iter().collect();
        assert!(under.starts_with(at), "{construct}: caret under {under:?}, expected {at:?}\n{err}");
        // The column in the message is the caret's column in the fragment line.
        let column: usize = lines[msg]
            .split(", cột ")
            .nth(1)
            .unwrap()
            .split(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let in_line: String = line.chars().skip(column - 1).collect();
        assert!(in_line.starts_with(at), "{construct}: column {column} is at {:?}", &in_line[..20]);
    }
}

/// Every missing value of a fragment in one run (issue 17): four blank cung_ky cells
/// are four errors, each naming the fragment line and the CSV file and row.
#[test]
fn four_blank_prior_values_are_four_errors_in_one_run() {
    let s = Scratch::new();
    let csv = "data/2026-02/nong_nghiep.csv";
    for (code, prior) in [
        ("dan_gia_suc,Tổng đàn gia súc,con,,,,", "372.620"),
        ("dan_gia_cam,Tổng đàn gia cầm,triệu con,\"1,863\",,,", "\"1,821\""),
        ("thit_hoi,Sản lượng thịt hơi xuất chuồng trong tháng,tấn,1.700,,,", "1.724"),
        ("thuy_san,Sản lượng thủy sản nuôi trồng và khai thác ngoài tự nhiên,tấn,,,,", "314"),
    ] {
        s.edit(csv, &format!("{code}{prior}"), code);
    }
    let r = s.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let errors: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("LỖI:")).collect();
    assert_eq!(errors.len(), 4, "{}", r.stdout);
    let frag_line = s.read(FRAG).lines().position(|l| l.contains("dan_gia_suc | tang_giam")).unwrap() + 1;
    for (e, row) in errors.iter().zip([12, 16, 17, 22]) {
        assert!(e.starts_with(&format!("LỖI: {FRAG}, dòng {frag_line}, cột ")), "{e}");
        assert!(e.contains(&format!("ô cung_ky trống: {csv}, dòng {row}")), "{e}");
    }
    assert!(r.stdout.contains("Tổng cộng: 4 lỗi"), "{}", r.stdout);
}

/// `check` names an indicator of the period that no fragment uses (often one of the
/// two names is misspelt), and a misspelt name in a fragment gets the closest one.
#[test]
fn unused_indicators_are_warned_and_misspelt_names_get_a_suggestion() {
    let s = Scratch::new();
    let csv = "data/2026-02/nong_nghiep.csv";
    s.write(csv, format!("{}lua_mua,Diện tích lúa mùa,ha,120,,,,,,,cuoi_ky,\n", s.read(csv)));
    let row = s.read(csv).lines().count();
    let r = s.run(&["check"]);
    let want = format!("CẢNH BÁO: {csv}, dòng {row} [lua_mua]: không đoạn nào của loại báo cáo bao-cao-thang dùng chỉ tiêu này");
    assert!(r.stdout.contains(&want), "{}", r.stdout);
    assert_eq!(r.stdout.matches("dùng chỉ tiêu này").count(), 1, "{}", r.stdout);

    s.edit(FRAG, "{{ nong_nghiep.lua_dong_xuan }}", "{{ nong_nghiep.lua_dong_xuam }}");
    let r = s.run(&["check"]);
    assert!(
        r.stdout.contains("\"nong_nghiep.lua_dong_xuam\" không có trong số liệu")
            && r.stdout.contains("có phải là \"nong_nghiep.lua_dong_xuan\"?"),
        "{}",
        r.stdout
    );
}

/// The files `emit_typst` writes for a report, by path.
fn emitted(p: &baocao::Project, req: &baocao::Request, dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<(std::path::PathBuf, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                out.push((path.strip_prefix(base).unwrap().to_path_buf(), std::fs::read(&path).unwrap()));
            }
        }
    }
    p.emit_typst(req, dir).unwrap();
    let mut files = vec![];
    walk(dir, dir, &mut files);
    files.sort();
    files
}

/// A fragment none of whose figures changed is given back from the last render
/// instead of being rendered again. What it gives back is what rendering anew
/// gives: after two figures corrected (one printed, one another sector's), the
/// Typst source a warm project writes is, byte for byte, the one a project
/// opened afresh on the same files writes, for a PDF version and for a draft.
#[test]
fn fragments_kept_from_the_last_render_are_those_rendered_anew() {
    let edits = [
        ("data/2026-02/nong_nghiep.csv", "Đàn trâu,con,84.860", "Đàn trâu,con,84.871"),
        ("data/2026-02/y_te.csv", "trường hợp,129,", "trường hợp,131,"),
    ];
    let warm = Scratch::new();
    let p = baocao::Project::open(warm.path());
    let req = p.request("bao-cao-thang", "2026-02").unwrap();
    let out = tempfile::tempdir().unwrap();
    let before = emitted(&p, &req, &out.path().join("truoc"));
    let draft_before = {
        let draft = p.lay_out_draft(&mut p.world(), &req).unwrap();
        baocao::internals::text::dump(&draft.rendered().document)
    };
    let cold = Scratch::new();
    for (file, from, to) in edits {
        warm.edit(file, from, to);
        cold.edit(file, from, to);
    }
    let kept = emitted(&p, &req, &out.path().join("giu"));
    let q = baocao::Project::open(cold.path());
    let anew = emitted(&q, &req, &out.path().join("moi"));
    assert_ne!(kept, before, "the corrected figure is in the source");
    assert_eq!(kept, anew, "a version's source");
    let text = |p: &baocao::Project| {
        let draft = p.lay_out_draft(&mut p.world(), &req).unwrap();
        baocao::internals::text::dump(&draft.rendered().document)
    };
    let (draft_kept, draft_anew) = (text(&p), text(&q));
    assert!(draft_kept.contains("84.871") && !draft_before.contains("84.871"));
    assert_eq!(draft_kept, draft_anew, "a draft's pages");
}
