//! The month's department files on the page (issue 25), over HTTP against the real
//! server: an upload is taken for the tab it was made from, in either format, with a
//! title row above the header; a file named for another period is taken with a
//! warning; downloads are for Excel (BOM); a department is told that only Văn phòng
//! corrects an issued period.

use calamine::Reader;

use crate::server::{sha, Server};

const Y_TE: &str = "data/2026-02/y_te.csv";

/// The page's own .xlsx download of y_te, with a merged title row and a blank row
/// added above the header and tay_chan_mieng set to `value`.
fn edited_download(s: &Server, value: f64) -> Vec<u8> {
    let down = s.get("/tai-ve/2026-02/y_te.csv:y_te/xlsx");
    assert_eq!(down.status, 200, "{}", down.text());
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(down.body)).unwrap();
    let range = book.worksheet_range("y_te").unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    ws.merge_range(0, 0, 0, 5, "SỞ Y TẾ - SỐ LIỆU THÁNG 02/2026", &rust_xlsxwriter::Format::new())
        .unwrap();
    for (i, row) in range.rows().enumerate() {
        for (j, cell) in row.iter().enumerate() {
            let (r, c) = (i as u32 + 2, j as u16);
            let target = i > 0 && j == 3 && row[0] == calamine::Data::String("tay_chan_mieng".into());
            match cell {
                _ if target => {
                    ws.write_number(r, c, value).unwrap();
                }
                calamine::Data::Float(f) => {
                    ws.write_number(r, c, *f).unwrap();
                }
                calamine::Data::Int(n) => {
                    ws.write_number(r, c, *n as f64).unwrap();
                }
                calamine::Data::Empty => {}
                other => {
                    ws.write_string(r, c, other.to_string()).unwrap();
                }
            }
        }
    }
    out.save_to_buffer().unwrap()
}

#[test]
fn a_department_file_is_taken_for_its_tab_in_either_format_with_a_title_row() {
    let s = Server::start(&[]);
    let before = s.scratch.read(Y_TE);
    let csv = s.get("/tai-ve/2026-02/y_te.csv:y_te/csv");
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with(&[0xEF, 0xBB, 0xBF]), "CSV for Excel starts with a BOM");

    let xlsx = edited_download(&s, 131.0);
    let up = s.post_bytes("/api/tai-len/2026-02/y_te.csv:y_te?ten=y_te-2026-02.xlsx", &xlsx);
    assert_eq!(up.status, 200, "{}", up.text());
    let after = s.scratch.read(Y_TE);
    assert!(
        after.starts_with("ma,ten,don_vi,gia_tri,"),
        "still the stored CSV, same columns: {after}"
    );
    assert!(after.contains("Tay - Chân - Miệng,trường hợp,131,"), "{after}");
    assert_eq!(before.lines().count(), after.lines().count(), "no row lost or added");
    let kept = up.json()["ban_cu"].as_str().unwrap().to_string();
    assert_eq!(
        std::fs::read_to_string(s.scratch.file(&kept)).unwrap(),
        before,
        "the old file is kept"
    );

    let named = s.post_bytes("/api/tai-len/2026-02/y_te.csv:y_te?ten=y_te-2026-01.csv", &csv.body);
    assert_eq!(named.status, 200, "{}", named.text());
    let warnings = named.json()["canh_bao"].to_string();
    assert!(
        warnings.contains("tháng 01") && warnings.contains("tháng 02"),
        "the other period is named: {warnings}"
    );
    assert!(
        warnings.contains("Cảnh báo: ") && !warnings.contains("data/2026-02/"),
        "in words, under the file's tab (no path): {warnings}"
    );
}

#[test]
fn an_unreadable_upload_changes_nothing_and_says_why() {
    let s = Server::start(&[]);
    let before = sha(&std::fs::read(s.scratch.file(Y_TE)).unwrap());
    let bad = s.post_bytes("/api/tai-len/2026-02/y_te.csv:y_te?ten=bao-cao.docx", b"PK\x03\x04 not a sheet");
    assert!(bad.status >= 400 && bad.status < 500, "{}", bad.text());
    let garbage = s.post_bytes("/api/tai-len/2026-02/y_te.csv:y_te?ten=y_te.xlsx", b"PK\x03\x04 not a sheet");
    assert!(garbage.status >= 400 && garbage.status < 500, "{}", garbage.text());
    assert!(!garbage.json()["loi"].as_str().unwrap_or_default().is_empty(), "a message");
    assert_eq!(sha(&std::fs::read(s.scratch.file(Y_TE)).unwrap()), before);
}

/// Văn phòng manages the department accounts on the page (issue 25): creates one
/// with its sectors (who then signs in and sees only them), resets its password
/// (the old one and its session stop working), deletes it. A department and a
/// bad form are refused with a message, and the accounts file holds no password.
#[test]
fn the_office_manages_department_accounts_on_the_page() {
    let scratch = crate::common::Scratch::new();
    let r = crate::server::accounts_cli(&scratch, &["them", "van-phong", "--vai-tro", "van-phong"], "mat-khau-vp-1\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = Server::start_in(scratch, &[], &[]);
    s.sign_in("van-phong", "mat-khau-vp-1");
    let page = s.get("/tai-khoan");
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(
        page.text().contains("Chưa có tài khoản sở, ngành nào.") && page.text().contains("Y tế"),
        "{}",
        page.text()
    );
    let made = s.post_form(
        "/tai-khoan/them",
        "ten=so-y-te&ten_day_du=S%E1%BB%9F+Y+t%E1%BA%BF&mat_khau=mat-khau-y-te&linh_vuc=y_te&linh_vuc=lao_dong",
    );
    assert_eq!(made.status, 303, "{}", made.text());
    assert_eq!(made.header("location"), Some("/tai-khoan?da=tao&ten=so-y-te"));
    let page = s.get("/tai-khoan?da=tao&ten=so-y-te").text();
    assert!(
        page.contains("Đã tạo tài khoản <strong>so-y-te</strong> (Sở Y tế).")
            && page.contains("name=\"ten_day_du\" value=\"Sở Y tế\"")
            && page.contains("Lao động, việc làm; Y tế"),
        "{page}"
    );
    let toml = std::fs::read_to_string(s.scratch.file("nguoi-dung.toml")).unwrap();
    assert!(!toml.contains("mat-khau-y-te") && toml.contains("argon2id"), "only hashes are kept");
    // A short password and a duplicate name are refused with what is wrong.
    let short = s.post_form(
        "/tai-khoan/them",
        "ten=so-tai-chinh&ten_day_du=S%E1%BB%9F+T%C3%A0i+ch%C3%ADnh&mat_khau=ngan&linh_vuc=tai_chinh",
    );
    assert!(
        short.status >= 400 && short.text().contains("8"),
        "{} {}",
        short.status,
        short.text()
    );
    let again = s.post_form(
        "/tai-khoan/them",
        "ten=so-y-te&ten_day_du=S%E1%BB%9F+Y+t%E1%BA%BF&mat_khau=mat-khau-khac&linh_vuc=y_te",
    );
    assert!(again.status >= 400, "{}", again.text());
    // Said as the page is used (its button, its boxes), not as the command line.
    assert!(
        again.text().contains("bấm Đặt lại") && !again.text().contains("baocao nguoi-dung"),
        "{}",
        again.text()
    );
    // The department's name is asked for: it is what the page and the histories show.
    let nameless = s.post_form("/tai-khoan/them", "ten=so-x&mat_khau=mat-khau-xx&linh_vuc=y_te");
    assert!(
        nameless.status >= 400 && nameless.text().contains("chưa ghi tên sở, ngành"),
        "{}",
        nameless.text()
    );
    let none = s.post_form("/tai-khoan/them", "ten=so-x&ten_day_du=S%E1%BB%9F+X&mat_khau=mat-khau-xx");
    assert!(
        none.status >= 400 && none.text().contains("chưa đánh dấu lĩnh vực nào"),
        "{}",
        none.text()
    );
    assert!(!none.text().contains("--linh-vuc"), "{}", none.text());

    // The department signs in and sees its sectors only; the accounts page is not its.
    s.sign_in("so-y-te", "mat-khau-y-te");
    let figures = s.get("/so-lieu/2026-02").text();
    assert!(
        figures.contains("tep=y_te.csv") && !figures.contains("tep=nong_nghiep.csv"),
        "{figures}"
    );
    // Named as people know it: in the page's corner and in a cell's history.
    assert!(figures.contains("<span>Sở Y tế</span>"), "{figures}");
    let y_te = s.scratch.file("data/2026-03/y_te.csv");
    let saved = s.post_json(
        "/api/luu",
        &serde_json::json!({"period": "2026-03", "file": "y_te.csv", "sheet": "y_te", "code": "tay_chan_mieng",
            "column": "gia_tri", "value": "131", "hash": sha(&std::fs::read(&y_te).unwrap())}),
    );
    assert_eq!(saved.status, 200, "{}", saved.text());
    let h = s.get("/api/lich-su-o/2026-03/y_te.csv?code=tay_chan_mieng&column=gia_tri").json();
    assert_eq!(h["lich_su"][0]["nguoi"], "Sở Y tế", "{h}");
    // Renamed by the office, the history reads the new name (the log keeps the login).
    s.sign_in("van-phong", "mat-khau-vp-1");
    let renamed = s.post_form(
        "/tai-khoan/so-y-te/ten",
        "ten_day_du=S%E1%BB%9F+Y+t%E1%BA%BF+t%E1%BB%89nh+Lai+Ch%C3%A2u",
    );
    assert_eq!(renamed.status, 303, "{}", renamed.text());
    let page = s.get(renamed.header("location").unwrap()).text();
    assert!(page.contains("<strong>so-y-te</strong> thành “Sở Y tế tỉnh Lai Châu”"), "{page}");
    let h = s.get("/api/lich-su-o/2026-03/y_te.csv?code=tay_chan_mieng&column=gia_tri").json();
    assert_eq!(h["lich_su"][0]["nguoi"], "Sở Y tế tỉnh Lai Châu", "{h}");
    let old_session = s.sign_in("so-y-te", "mat-khau-y-te");
    // The report's text is the office's: a department sees what remains in it, without
    // links it could not open (they led to "không có quyền").
    let links = |s: &Server| {
        let page = s.get("/bao-cao/bao-cao-thang/2026-03").text();
        let st = s.wait_preview("bao-cao-thang/2026-03", 0);
        let hrefs: Vec<String> = st["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["href"].as_str().map(String::from))
            .collect();
        (page, hrefs)
    };
    let (page, hrefs) = links(&s);
    assert!(
        page.contains("lời văn còn ghi của kỳ khác") && !page.contains("href=\"/doan/"),
        "{page}"
    );
    assert!(!hrefs.iter().any(|h| h.starts_with("/doan/")), "{hrefs:?}");
    s.sign_in("van-phong", "mat-khau-vp-1");
    let (page, hrefs) = links(&s);
    assert!(page.contains("href=\"/doan/"), "the office's page links the text");
    assert!(hrefs.iter().any(|h| h.starts_with("/doan/")), "{hrefs:?}");
    s.sign_in("so-y-te", "mat-khau-y-te");
    for (path, body) in [
        ("/tai-khoan", None),
        ("/tai-khoan/them", Some("ten=so-x&mat_khau=mat-khau-xx&linh_vuc=y_te")),
        ("/tai-khoan/so-y-te/ten", Some("ten_day_du=S%E1%BB%9F+X")),
    ] {
        let r = match body {
            None => s.get(path),
            Some(b) => s.post_form(path, b),
        };
        assert_eq!(r.status, 403, "{path}: {}", r.text());
        assert!(
            r.text().contains("không có quyền") || r.text().contains("Văn phòng"),
            "{}",
            r.text()
        );
    }

    // Văn phòng resets the password: the old password and session end.
    s.sign_in("van-phong", "mat-khau-vp-1");
    let reset = s.post_form("/tai-khoan/so-y-te/mat-khau", "mat_khau=mat-khau-moi-1");
    assert_eq!(reset.status, 303, "{}", reset.text());
    assert_eq!(s.login("so-y-te", "mat-khau-y-te", &[]).status, 401);
    s.use_session(Some(&old_session));
    assert_ne!(s.get("/so-lieu/2026-02").status, 200, "the old session ended");
    s.sign_in("so-y-te", "mat-khau-moi-1");
    // Deleting: asked by Văn phòng only; then the account cannot sign in.
    assert_eq!(s.post_form("/tai-khoan/so-y-te/xoa", "").status, 403);
    s.sign_in("van-phong", "mat-khau-vp-1");
    assert_eq!(s.post_form("/tai-khoan/so-y-te/xoa", "").status, 303);
    assert_eq!(s.login("so-y-te", "mat-khau-moi-1", &[]).status, 401);
    // The office account itself cannot be deleted from the page.
    assert!(s.post_form("/tai-khoan/van-phong/xoa", "").status >= 400);
    assert_eq!(s.login("van-phong", "mat-khau-vp-1", &[]).status, 303);
}
