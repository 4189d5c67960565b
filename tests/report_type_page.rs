//! The report type page (issue 29) over HTTP against the real server: a Word file
//! uploaded on the page becomes a report type; its figures are kept or turned
//! back into the document's words one by one; indicators are added, renamed and
//! removed; the header, signer and recipients are edited in a form and printed as
//! text. Refused: anyone not signed in or not Văn phòng, a file that is not Word,
//! a name in use, unknown codes, a stale settings form, an indicator still used.

use crate::common::repo;
use crate::server::{form_encode, Server};

const OFFICE: (&str, &str) = ("van-phong", "mat-khau-vp-1");
const HEALTH: (&str, &str) = ("so-y-te", "mat-khau-y-te");

fn docx() -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures/word/nghi-quyet.docx")).unwrap()
}

fn server_with_accounts() -> Server {
    let scratch = crate::common::Scratch::new();
    let r = crate::server::accounts_cli(&scratch, &["them", OFFICE.0, "--vai-tro", "van-phong"], "mat-khau-vp-1\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = crate::server::accounts_cli(
        &scratch,
        &["them", HEALTH.0, "--vai-tro", "so", "--linh-vuc", "y_te"],
        "mat-khau-y-te\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    Server::start_in(scratch, &[], &[])
}

fn settings_form(hash: &str, signer: &str, subject: &str) -> String {
    [
        ("ma_tep", hash),
        ("loai_van_ban", "NGHỊ QUYẾT"),
        ("so", "10"),
        ("ky_hieu", "NQ/TU"),
        ("co_quan_chu_quan", "ĐẢNG BỘ TỈNH LAI CHÂU"),
        ("co_quan", "TỈNH ỦY LAI CHÂU"),
        ("dia_danh", "Lai Châu"),
        ("trich_yeu", subject),
        ("noi_nhan", "Ban Thường vụ Tỉnh ủy,\r\nLưu VPTU."),
        ("quyen_han", "T/M BAN THƯỜNG VỤ\r\nBÍ THƯ"),
        ("nguoi_ky", signer),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", form_encode(v)))
    .collect::<Vec<_>>()
    .join("&")
}

fn hash_on(page: &str) -> String {
    let at = page.find("name=\"ma_tep\" value=\"").expect("settings form") + 21;
    page[at..at + 64].to_string()
}

#[test]
fn only_the_office_makes_or_changes_a_report_type_on_the_page() {
    let s = server_with_accounts();
    // Not signed in: no page, no import.
    assert_ne!(s.get("/loai-moi").status, 200);
    assert!(s.post_bytes("/api/nhap-word?tep=nq.docx&ten=nq-web", &docx()).status >= 400);
    // A department: refused everywhere, nothing written.
    s.sign_in(HEALTH.0, HEALTH.1);
    assert_eq!(s.get("/loai-moi").status, 403);
    assert_eq!(s.get("/loai/bao-cao-thang").status, 403);
    assert_eq!(s.get("/loai/bao-cao-thang/so-sanh").status, 403);
    assert_eq!(s.post_bytes("/api/nhap-word?tep=nq.docx&ten=nq-web", &docx()).status, 403);
    let form = settings_form("0", "Ai đó", "về việc khác");
    assert_eq!(s.post_form("/loai/bao-cao-thang/thiet-lap", &form).status, 403);
    assert_eq!(s.post_form("/loai/bao-cao-thang/chi-tieu/them", "ma=x&ten=X&don_vi=t").status, 403);
    assert!(!s.scratch.file("templates/nq-web").exists(), "nothing imported");
    // Văn phòng: a file that is not Word, a broken .docx, a bad or used name.
    s.sign_in(OFFICE.0, OFFICE.1);
    let r = s.post_bytes("/api/nhap-word?tep=ghi-chu.txt", b"hello");
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.json()["loi"].as_str().unwrap().contains("không phải tệp Word"), "{}", r.text());
    let r = s.post_bytes("/api/nhap-word?tep=hong.docx", b"PK not a zip");
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.json()["loi"].as_str().unwrap().contains("hong.docx"), "{}", r.text());
    // A .doc goes to LibreOffice: without it (or for a file it cannot read) the message says so.
    let r = s.post_bytes("/api/nhap-word?tep=cu.doc&ten=van-ban-cu", b"not a Word 97 file");
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.json()["loi"].as_str().unwrap().contains("LibreOffice"), "{}", r.text());
    assert!(!s.scratch.file("templates/van-ban-cu").exists());
    let r = s.post_bytes("/api/nhap-word?tep=nq.docx&ten=..%2Fdata", &docx());
    assert_eq!(r.status, 422, "{}", r.text());
    let r = s.post_bytes("/api/nhap-word?tep=nq.docx&ten=bao-cao-thang", &docx());
    assert_eq!(r.status, 409, "{}", r.text());
    // A form posted from another site is refused before the hall.
    let host = s.host();
    let cross = s.raw(
        "POST",
        "/loai/bao-cao-thang/chi-tieu/them",
        &[
            ("Host", host.as_str()),
            ("Origin", "http://evil.example"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        b"ma=x&ten=X&don_vi=t",
    );
    assert_eq!(cross.status, 403, "{}", cross.text());
    // Names from the path go through the hall.
    assert!(s.get("/loai/..%2Fdata").status >= 400);
    assert_eq!(s.get("/loai/khong-co").status, 404);
    assert_eq!(s.post_form("/loai/bao-cao-thang/so-lieu/x/giu", "").status, 404, "not imported");
}

#[test]
fn a_word_file_becomes_a_report_type_checked_figure_by_figure_on_the_page() {
    let s = server_with_accounts();
    s.sign_in(OFFICE.0, OFFICE.1);
    let path = format!("/api/nhap-word?tep={}&ten=nq-web", form_encode("Nghị quyết 10.docx"));
    let r = s.post_bytes(&path, &docx());
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["trang"], "/loai/nq-web?da=nhap");
    let page = s.get("/loai/nq-web?da=nhap").text();
    assert!(page.contains("Mẫu giáo đạt <mark>99,8%</mark>, tiểu học đạt 99,9%"), "{page}");
    assert!(
        page.contains("số chờ xem") && page.contains("href=\"/bao-cao/nq-web/2026-03\""),
        "{page}"
    );
    let csv = || s.scratch.read("data/2026-03/nq_web.csv");
    let fragment = || s.scratch.read("templates/nq-web/muc-2-2.txt");
    assert!(csv().contains("\ntieu_hoc,") && fragment().contains("{{ nq_web.tieu_hoc | phan_tram(1) }}"));

    // Keep one figure, turn another back into the document's words.
    assert_eq!(s.post_form("/loai/nq-web/so-lieu/mau_giao/giu", "").status, 303);
    let r = s.post_form("/loai/nq-web/so-lieu/tieu_hoc/tra-ve-chu", "");
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(fragment().contains("tiểu học đạt 99,9%, trung học"), "{}", fragment());
    assert!(!fragment().contains("nq_web.tieu_hoc") && !csv().contains("\ntieu_hoc,"));
    assert!(fragment().contains("{{ nq_web.mau_giao | phan_tram(1) }}"));
    let page = s.get("/loai/nq-web").text();
    assert!(!page.contains("id=\"so-tieu_hoc\"") && page.contains("đã giữ là số liệu"), "{page}");
    assert_eq!(s.post_form("/loai/nq-web/so-lieu/tieu_hoc/giu", "").status, 404, "gone");
    let log = s.scratch.read("data/2026-03/nhat-ky.jsonl");
    assert!(
        log.contains("muc-2-2.txt") && log.contains(OFFICE.0),
        "the text change is logged: {log}"
    );

    // Indicators: add, refuse a duplicate, a bad code and a bad value, rename, remove.
    let add = "ma=so_truong_moi&ten=S%E1%BB%91+tr%C6%B0%E1%BB%9Dng&don_vi=tr%C6%B0%E1%BB%9Dng&gia_tri=1.234";
    assert_eq!(s.post_form("/loai/nq-web/chi-tieu/them", add).status, 303);
    assert!(csv().contains("so_truong_moi,Số trường,trường,1.234"), "{}", csv());
    assert_eq!(s.post_form("/loai/nq-web/chi-tieu/them", add).status, 409);
    assert_eq!(
        s.post_form("/loai/nq-web/chi-tieu/them", "ma=S%E1%BB%91&ten=X&don_vi=t").status,
        422
    );
    let bad = s.post_form("/loai/nq-web/chi-tieu/them", "ma=moi&ten=X&don_vi=t&gia_tri=12.5");
    assert!(bad.status == 422 && bad.text().contains("12.5"), "{}", bad.text());
    assert_eq!(
        s.post_form(
            "/loai/nq-web/chi-tieu/so_truong_moi/doi-ten",
            "ten=S%E1%BB%91+tr%C6%B0%E1%BB%9Dng+x%C3%A2y+m%E1%BB%9Bi"
        )
        .status,
        303
    );
    assert!(csv().contains("so_truong_moi,Số trường xây mới,"), "{}", csv());
    let used = s.post_form("/loai/nq-web/chi-tieu/mau_giao/xoa", "");
    assert!(used.status == 409 && used.text().contains("muc-2-2.txt"), "{}", used.text());
    assert_eq!(s.post_form("/loai/nq-web/chi-tieu/so_truong_moi/xoa", "").status, 303);
    assert!(!csv().contains("so_truong_moi") && csv().contains("\nmau_giao,"));
    assert_eq!(s.post_form("/loai/nq-web/chi-tieu/khong_co/xoa", "").status, 404);

    // Settings: a stale form and an empty signer are refused; markup stays text.
    let hash = hash_on(&s.get("/loai/nq-web").text());
    let empty = s.post_form("/loai/nq-web/thiet-lap", &settings_form(&hash, "  ", "về giáo dục"));
    assert!(empty.status == 422 && empty.text().contains("Người ký"), "{}", empty.text());
    let stale = s.post_form(
        "/loai/nq-web/thiet-lap",
        &settings_form(&"0".repeat(64), "Giàng A Páo", "về giáo dục"),
    );
    assert_eq!(stale.status, 409, "{}", stale.text());
    let signer = "Giàng #set text(red) \"A\" Páo";
    let subject = "về đột phá *giáo dục* {{ 1+1 }} [x]\r\nđến năm 2030";
    let saved = s.post_form("/loai/nq-web/thiet-lap", &settings_form(&hash, signer, subject));
    assert_eq!(saved.status, 303, "{}", saved.text());
    let toml = s.scratch.read("templates/nq-web/mau.toml");
    assert!(
        toml.contains("[[muc]]") && toml.contains("loai_ky = \"thang\""),
        "the rest is kept: {toml}"
    );
    let page = s.get("/loai/nq-web").text();
    assert!(page.contains("về đột phá *giáo dục* {{ 1+1 }} [x]"), "shown as typed");
    // The comparison page sets the Word text beside the rendered body: the same
    // sentences, until a figure changes.
    let cmp = s.get("/loai/nq-web/so-sanh");
    assert_eq!(cmp.status, 200, "{}", cmp.text());
    assert!(cmp.text().contains("Bản in có đúng các câu của văn bản Word"), "{}", cmp.text());
    s.scratch.edit(
        "data/2026-03/nq_web.csv",
        "mau_giao,Mẫu giáo,%,\"99,8\"",
        "mau_giao,Mẫu giáo,%,\"99,5\"",
    );
    let dirs = ["data", "templates", "out"];
    let files_before = crate::server::tree_hash(s.scratch.path(), &dirs);
    let cmp = s.get("/loai/nq-web/so-sanh").text();
    assert!(cmp.contains("<del>99,8%") && cmp.contains("<ins>99,5%"), "{cmp}");
    assert_eq!(s.get("/loai/nq-web").status, 200);
    let files_after = crate::server::tree_hash(s.scratch.path(), &dirs);
    assert_eq!(
        files_before, files_after,
        "looking at the type page and the comparison writes nothing"
    );
    s.scratch.edit(
        "data/2026-03/nq_web.csv",
        "mau_giao,Mẫu giáo,%,\"99,5\"",
        "mau_giao,Mẫu giáo,%,\"99,8\"",
    );
    let again = s.post_form("/loai/nq-web/thiet-lap", &settings_form(&hash, "Người khác", "về giáo dục"));
    assert_eq!(again.status, 409, "the form read before the save is stale");

    // The PDF prints what was confirmed and typed, as text.
    let report_page = s.get("/bao-cao/nq-web/2026-03");
    assert_eq!(report_page.status, 200, "the report page starts the preview");
    assert!(
        !report_page.text().contains("SỐ LIỆU MẪU"),
        "the Word document's own figures are not sample data"
    );
    let before = s.wait_preview("nq-web/2026-03", 0)["generation"].as_u64().unwrap();
    let made = s.post_json("/api/tao-pdf/nq-web/2026-03", &serde_json::json!({}));
    assert_eq!(made.status, 200, "{}", made.text());
    let st = s.wait_render("nq-web/2026-03", before);
    assert_eq!(st["version"].as_u64(), Some(1), "{st}");
    let pdf = s.get("/pdf/nq-web/2026-03/moi-nhat");
    assert!(pdf.status == 200 && pdf.body.starts_with(b"%PDF"));
    // Renders are deterministic: the same inputs again, with the text dump, give these bytes.
    let (run, dump) = s.scratch.render_text(&["--report", "nq-web", "--period", "2026-03"]);
    let again = std::fs::read(s.scratch.path().join(run.last_line())).unwrap();
    assert_eq!(
        crate::server::sha(&again),
        crate::server::sha(&pdf.body),
        "the download is the current render"
    );
    let text = crate::common::flat(&dump);
    for needle in [
        signer,
        "về đột phá *giáo dục* {{ 1+1 }} [x]",
        "Mẫu giáo đạt 99,8%, tiểu học đạt 99,9%",
        "T/M BAN THƯỜNG VỤ",
        "Lưu VPTU.",
    ] {
        assert!(text.contains(needle), "{needle:?} not in the PDF text: {text}");
    }

    // Issued: the period's text is not changed from the type page any more.
    let issued = s.post_json("/api/ban-hanh/nq-web/2026-03/1", &serde_json::json!({ "xac_nhan": "đã đối chiếu" }));
    assert_eq!(issued.status, 200, "{}", issued.text());
    let before = fragment();
    let r = s.post_form("/loai/nq-web/so-lieu/mau_giao/tra-ve-chu", "");
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(fragment(), before);
    assert!(
        s.get("/loai/nq-web").text().contains("id=\"so-mau_giao\""),
        "the figure is still listed"
    );
}
