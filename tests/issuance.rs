//! Issue (ban hành) with the real binary and the real server: an issued
//! period refuses a change without a reason (409, non-zero exit, no byte
//! changed), accepts it with one (logged), the next render is a correction
//! version, and the issued PDF stays byte-identical.

use crate::server::audit_helpers;

use crate::common::*;
use crate::server::Server;
use audit_helpers::*;
use baocao::internals::audit::Kind;

const HISTORY: &str = "out/lich-su/bao-cao-thang/2026-02";
const NN: &str = "data/2026-02/nong_nghiep.csv";

/// Renders and issues version 1 of the monthly report of 2026-02 in `dir`.
fn render_and_issue(s: &Scratch) -> String {
    let r = s.run(&["render", "--period", "2026-02"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let i = s.run(&[
        "ban-hanh",
        "--period",
        "2026-02",
        "--version",
        "1",
        "--xac-nhan",
        "bản gốc in như vậy",
    ]);
    assert_eq!(i.code, 0, "{}{}", i.stdout, i.stderr);
    assert!(i.stdout.contains("Đã ban hành phiên bản 1"), "{}", i.stdout);
    hash_of(&s.file(&format!("{HISTORY}/001.pdf")))
}

/// Every file under `dir` with its bytes (to show nothing changed).
fn tree(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(tree(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn an_issued_period_refuses_web_changes_without_a_reason_and_changes_no_byte() {
    let s = Server::start(&[]);
    let issued_pdf = render_and_issue(&s.scratch);
    // The home page says which version of the month is issued.
    let home = s.get("/").text();
    assert!(home.contains("đã ban hành bản 1"), "{home}");
    // Its figures page says so before anyone types (the refusal used to come only after Enter).
    let figures = s.get("/so-lieu/2026-02").text();
    assert!(
        figures.contains("Báo cáo tháng – tháng 02 năm 2026 đã ban hành (bản 1)") && figures.contains("trang sẽ hỏi lý do"),
        "{figures}"
    );
    let data_before = tree(&s.scratch.file("data/2026-02"));
    let templates_before = tree(&s.scratch.file("templates/bao-cao-thang"));
    let p = s.scratch.file(NN);
    let r = save(&s, "nong_nghiep.csv", "dan_trau", "84.861", &hash_of(&p), None);
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.json()["loi"].as_str().unwrap().contains("đã ban hành"), "{}", r.text());
    let blank = save(&s, "nong_nghiep.csv", "dan_trau", "84.861", &hash_of(&p), Some("   "));
    assert_eq!(blank.status, 409, "a blank reason is no reason: {}", blank.text());
    let up = s.post_bytes(
        "/api/tai-len/2026-02/nong_nghiep.csv",
        s.scratch.read(NN).replacen("84.860", "84.861", 1).as_bytes(),
    );
    assert_eq!(up.status, 409, "{}", up.text());
    let name = baocao::Project::open(s.scratch.path()).fragment_names("bao-cao-thang").unwrap()[0].clone();
    let frag = s.scratch.file(&format!("templates/bao-cao-thang/{name}.txt"));
    let body = serde_json::json!({"text": "Đổi hết.", "hash": hash_of(&frag)});
    let f = s.post_json(&format!("/api/doan/bao-cao-thang/{name}"), &body);
    assert_eq!(f.status, 409, "{}", f.text());
    assert_eq!(
        tree(&s.scratch.file("data/2026-02")),
        data_before,
        "a refused change wrote into data/2026-02"
    );
    assert_eq!(tree(&s.scratch.file("templates/bao-cao-thang")), templates_before);
    assert_eq!(hash_of(&s.scratch.file(&format!("{HISTORY}/001.pdf"))), issued_pdf);
}

#[test]
fn with_a_reason_the_change_is_logged_and_the_next_render_is_a_correction_the_issued_pdf_untouched() {
    let s = Server::start(&[]);
    let issued_pdf = render_and_issue(&s.scratch);
    let p = s.scratch.file(NN);
    let r = save(
        &s,
        "nong_nghiep.csv",
        "dan_trau",
        "84.861",
        &hash_of(&p),
        Some("Sở NN&MT báo lại số đàn trâu"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let (entries, _) = log(s.scratch.path());
    let e = entries
        .iter()
        .find(|e| e.kind == Kind::EditValue)
        .expect("the correction is logged");
    assert_eq!(e.reason.as_deref(), Some("Sở NN&MT báo lại số đàn trâu"));
    assert_eq!((e.cells[0].old.as_str(), e.cells[0].new.as_str()), ("84.860", "84.861"));

    let r = s.scratch.run(&["render", "--period", "2026-02"]);
    assert_eq!(r.code, 0, "the logged reason is enough for the render: {}{}", r.stdout, r.stderr);
    let h = s.scratch.run(&["history", "--period", "2026-02"]);
    let lines: Vec<&str> = h.stdout.lines().collect();
    assert!(lines[0].contains("[ĐÃ BAN HÀNH"), "{}", h.stdout);
    let fix = lines
        .iter()
        .find(|l| l.contains("[ĐÍNH CHÍNH phiên bản 1: Sở NN&MT báo lại số đàn trâu]"));
    assert!(fix.is_some(), "{}", h.stdout);
    let n: u32 = fix.unwrap().split_whitespace().next().unwrap().parse().unwrap();
    let m: serde_json::Value = serde_json::from_str(&s.scratch.read(&format!("{HISTORY}/{n:03}.json"))).unwrap();
    assert_eq!(m["dinh_chinh"]["thay_cho"], 1, "{m}");
    let figure = m["so_lieu"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f[0] == "nong_nghiep.dan_trau")
        .unwrap()[1]
        .clone();
    assert_eq!(figure, "84.861");
    assert_eq!(
        hash_of(&s.scratch.file(&format!("{HISTORY}/001.pdf"))),
        issued_pdf,
        "the issued PDF is byte-identical"
    );
    let record: serde_json::Value = serde_json::from_str(&s.scratch.read(&format!("{HISTORY}/ban-hanh.json"))).unwrap();
    assert_eq!(record["ban_hanh"][0]["sha256_pdf"], issued_pdf.as_str());
    let (entries, _) = log(s.scratch.path());
    assert!(entries
        .iter()
        .any(|e| e.kind == Kind::Correction && e.reason.as_deref() == Some("Sở NN&MT báo lại số đàn trâu")));
}

#[test]
fn on_the_command_line_a_changed_issued_period_renders_only_with_ly_do() {
    let s = Scratch::new();
    let issued_pdf = render_and_issue(&s);
    let latest = std::fs::read(s.file("out/bao-cao-thang-2026-02.pdf")).unwrap();
    let same = s.run(&["render", "--period", "2026-02"]);
    assert_eq!(same.code, 0, "nothing changed: the issued version again ({})", same.stderr);
    assert!(same.stdout.contains("phiên bản 1."), "{}", same.stdout);
    s.edit(NN, "84.860", "84.999");
    let refused = s.run(&["render", "--period", "2026-02"]);
    assert_ne!(refused.code, 0, "{}", refused.stdout);
    assert!(
        refused.stderr.contains("đã ban hành") && refused.stderr.contains("--ly-do"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        std::fs::read(s.file("out/bao-cao-thang-2026-02.pdf")).unwrap(),
        latest,
        "latest PDF untouched"
    );
    assert!(!s.file(&format!("{HISTORY}/002.json")).exists(), "no version made");
    let ok = s.run(&["render", "--period", "2026-02", "--ly-do", "số đàn trâu gõ nhầm"]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    let m: serde_json::Value = serde_json::from_str(&s.read(&format!("{HISTORY}/002.json"))).unwrap();
    assert_eq!(
        m["dinh_chinh"],
        serde_json::json!({"thay_cho": 1, "ly_do": ["số đàn trâu gõ nhầm"]})
    );
    assert_eq!(hash_of(&s.file(&format!("{HISTORY}/001.pdf"))), issued_pdf);
    assert_ne!(
        hash_of(&s.file("out/bao-cao-thang-2026-02.pdf")),
        issued_pdf,
        "the latest PDF is the correction"
    );
    let unknown = s.run(&["ban-hanh", "--period", "2026-02", "--version", "9"]);
    assert_ne!(unknown.code, 0);
    assert!(unknown.stderr.contains("\"9\""), "{}", unknown.stderr);
}

#[test]
fn the_office_issues_from_the_report_page_a_department_cannot() {
    let scratch = Scratch::new();
    let r = crate::server::accounts_cli(&scratch, &["them", "van-phong", "--vai-tro", "van-phong"], "mat-khau-vp-1\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = crate::server::accounts_cli(
        &scratch,
        &["them", "so-y-te", "--vai-tro", "so", "--linh-vuc", "y_te"],
        "mat-khau-so-1\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let made = scratch.run(&["render", "--period", "2026-02"]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let s = Server::start_in(scratch, &[], &[]);
    let url = "/api/ban-hanh/bao-cao-thang/2026-02/1";

    s.sign_in("so-y-te", "mat-khau-so-1");
    let refused = s.post_json(url, &serde_json::json!({}));
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert!(!s.scratch.file(&format!("{HISTORY}/ban-hanh.json")).exists());

    s.sign_in("van-phong", "mat-khau-vp-1");
    let page = s.get("/bao-cao/bao-cao-thang/2026-02").text();
    assert!(page.contains("Bản nháp") && page.contains(&format!("data-url=\"{url}\"")), "{page}");
    // The sample February has totals that do not match their parts (as the original
    // printed them): the page's issue is refused until acknowledged with a reason.
    let unacknowledged = s.post_json(url, &serde_json::json!({}));
    assert_eq!(unacknowledged.status, 409, "{}", unacknowledged.text());
    assert!(unacknowledged.text().contains("không khớp"), "{}", unacknowledged.text());
    assert!(!s.scratch.file(&format!("{HISTORY}/ban-hanh.json")).exists());
    let ok = s.post_json(url, &serde_json::json!({"xac_nhan": "Bản gốc in như vậy"}));
    assert_eq!(ok.status, 200, "{}", ok.text());
    let page = s.get("/bao-cao/bao-cao-thang/2026-02").text();
    assert!(page.contains("Đã ban hành") && page.contains("(van-phong)"), "{page}");
    let (entries, _) = log(s.scratch.path());
    assert!(entries.iter().any(|e| e.kind == Kind::Issue && e.who == "van-phong"));
    // From now on an edit needs a reason, also for the office.
    let p = s.scratch.file(NN);
    let r = save(&s, "nong_nghiep.csv", "dan_trau", "84.861", &hash_of(&p), None);
    assert_eq!(r.status, 409, "{}", r.text());
}

/// Issue 25, one state machine for a period: the version in force is never
/// issued twice, an older version never over a newer one, and once a reason
/// is given a render of the same state succeeds (it failed for ever after a
/// `render --ly-do`). Each version notes who and what changed.
#[test]
fn one_state_machine_refuses_reissue_and_old_versions_and_a_reason_once_given_lasts() {
    let s = Scratch::new();
    render_and_issue(&s);
    let twice = s.run(&["ban-hanh", "--period", "2026-02", "--version", "1"]);
    assert_ne!(twice.code, 0, "issued twice: {}", twice.stdout);
    assert!(twice.stderr.contains("phiên bản 1 đã ban hành lúc"), "{}", twice.stderr);
    let newest = s.run(&["ban-hanh", "--period", "2026-02"]);
    assert_ne!(newest.code, 0, "the newest is the issued one: {}", newest.stdout);

    s.edit(NN, "84.860", "84.861");
    let refused = s.run(&["render", "--period", "2026-02"]);
    assert_ne!(refused.code, 0, "a changed issued period without a reason");
    let fixed = s.run(&["render", "--period", "2026-02", "--ly-do", "Sở NN&MT báo lại số đàn trâu"]);
    assert_eq!(fixed.code, 0, "{}{}", fixed.stdout, fixed.stderr);
    for _ in 0..2 {
        let again = s.run(&["render", "--period", "2026-02"]);
        assert_eq!(again.code, 0, "the same state renders again: {}{}", again.stdout, again.stderr);
        assert!(again.stdout.contains("phiên bản 2."), "{}", again.stdout);
    }
    let all = s.run(&["render", "--all"]);
    assert_eq!(all.code, 0, "render --all after a correction: {}{}", all.stdout, all.stderr);
    assert!(
        !s.file(&format!("{HISTORY}/003.json")).exists(),
        "no version for an unchanged state"
    );

    let m: serde_json::Value = serde_json::from_str(&s.read(&format!("{HISTORY}/002.json"))).unwrap();
    assert_eq!(m["dinh_chinh"]["thay_cho"], 1, "{m}");
    let note = m["ghi_chu"].as_str().unwrap_or_default();
    assert!(note.contains("số liệu Tổng đàn gia súc, Đàn trâu"), "{note}");
    let first: serde_json::Value = serde_json::from_str(&s.read(&format!("{HISTORY}/001.json"))).unwrap();
    assert!(
        first["ghi_chu"].as_str().unwrap_or_default().starts_with("Bản đầu tiên, do "),
        "{first}"
    );
    assert!(
        s.file(&format!("{HISTORY}/002.van-ban.txt")).is_file(),
        "the document's own text is kept"
    );

    let h = s.run(&["history", "--period", "2026-02"]);
    let lines: Vec<&str> = h.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", h.stdout);
    let vn_time = |l: &str| {
        l.split_whitespace()
            .collect::<Vec<_>>()
            .windows(3)
            .any(|w| w[0].len() == 5 && w[0].as_bytes()[2] == b':' && w[1] == "ngày" && w[2].len() == 10)
    };
    assert!(
        vn_time(lines[0]) && vn_time(lines[1]),
        "times as 19:00 ngày 05/12/2026: {}",
        h.stdout
    );
    assert!(lines[0].contains("[ĐÃ BAN HÀNH lúc "), "{}", h.stdout);
    assert!(
        lines[1].contains("Đàn trâu") && lines[1].contains("[ĐÍNH CHÍNH phiên bản 1"),
        "{}",
        h.stdout
    );

    let correction = s.run(&[
        "ban-hanh",
        "--period",
        "2026-02",
        "--version",
        "2",
        "--xac-nhan",
        "Tổng đã đối chiếu với sở",
    ]);
    assert_eq!(correction.code, 0, "a newer version may be issued in turn: {}", correction.stderr);
    let older = s.run(&["ban-hanh", "--period", "2026-02", "--version", "1"]);
    assert_ne!(older.code, 0, "an older version over a newer issue");
    assert!(older.stderr.contains("cũ hơn phiên bản 2 đang ban hành"), "{}", older.stderr);
    let record = s.read(&format!("{HISTORY}/ban-hanh.json"));
    assert_eq!(record.matches("\"phien_ban\"").count(), 2, "{record}");
}

#[test]
fn issuing_refuses_totals_that_do_not_match_their_parts_until_acknowledged() {
    let s = Scratch::new();
    assert_eq!(s.run(&["render", "--period", "2026-02"]).code, 0);
    let refused = s.run(&["ban-hanh", "--period", "2026-02"]);
    assert_ne!(refused.code, 0);
    // Each mismatch named with its file, line and indicator.
    for m in [
        "data/2026-02/nghi_quyet.csv, dòng 4 [csdl]: tổng các chỉ tiêu con là 17, khác giá trị ghi 27",
        "data/2026-02/thuong_mai.csv, dòng 13 [khach_du_lich]: tổng các chỉ tiêu con là 13.500, khác giá trị ghi 116.500",
    ] {
        assert!(refused.stderr.contains(m), "{m}\n{}", refused.stderr);
    }
    assert!(refused.stderr.contains("--xac-nhan"), "{}", refused.stderr);
    assert!(!s.file(&format!("{HISTORY}/ban-hanh.json")).exists(), "nothing issued");
    let blank = s.run(&["ban-hanh", "--period", "2026-02", "--xac-nhan", "  "]);
    assert_ne!(blank.code, 0, "a blank reason is no acknowledgement");
    let ok = s.run(&["ban-hanh", "--period", "2026-02", "--xac-nhan", "Bản gốc của Sở in như vậy"]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    let (entries, _) = log(s.path());
    let ack = entries
        .iter()
        .find(|e| e.reason.as_deref() == Some("Bản gốc của Sở in như vậy"))
        .expect("logged");
    assert_eq!(ack.kind, Kind::Issue);
    let note = ack.note.clone().unwrap_or_default();
    assert!(note.contains("[csdl]") && note.contains("[khach_du_lich]"), "{note}");
}

#[test]
fn a_report_made_from_sample_figures_is_never_issued() {
    let s = Scratch::new();
    for (report, period, marked) in [
        ("bao-cao-thang", "2026-01", "data/2026-01/SO-LIEU-MAU.md"),
        (
            "bao-cao-dinh-ky",
            "2026-Q1",
            "data/2026-01/SO-LIEU-MAU.md, data/2026-03/SO-LIEU-MAU.md",
        ),
    ] {
        let r = s.run(&["render", "--report", report, "--period", period]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        let history = s.file(&format!("out/lich-su/{report}/{period}"));
        let before = tree(&history);
        let i = s.run(&["ban-hanh", "--report", report, "--period", period, "--xac-nhan", "thử"]);
        assert_ne!(i.code, 0, "{}{}", i.stdout, i.stderr);
        assert!(i.stderr.contains("số liệu mẫu") && i.stderr.contains(marked), "{}", i.stderr);
        assert_eq!(tree(&history), before, "{report} {period}: nothing written");
    }
}
