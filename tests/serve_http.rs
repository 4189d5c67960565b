//! `baocao serve` driven over HTTP: the real binary on a scratch copy of the
//! sample project, every page and action, and every refusal of the issue.

use crate::server::{sha, Server};
use serde_json::json;

const NN: &str = "data/2026-02/nong_nghiep.csv";
const REPORT: &str = "bao-cao-thang/2026-02";

fn save(s: &Server, value: &str, hash: &str) -> crate::server::Resp {
    s.post_json(
        "/api/luu",
        &json!({"period": "2026-02", "file": "nong_nghiep.csv", "sheet": "nong_nghiep", "code": "dan_trau", "column": "gia_tri", "value": value, "hash": hash}),
    )
}

#[test]
fn every_page_answers_with_strict_headers() {
    let s = Server::start(&[]);
    let home = s.get("/");
    assert_eq!(home.status, 200, "{}", home.text());
    let csp = home.header("content-security-policy").unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert_eq!(home.header("x-content-type-options"), Some("nosniff"));
    let t = home.text();
    assert!(
        t.contains("bao-cao-thang") && t.contains("/so-lieu/2026-02") && t.contains("Tạo PDF") && t.contains("Bắt đầu tháng 3"),
        "{t}"
    );

    let fig = s.get("/so-lieu/2026-02?tep=nong_nghiep.csv");
    assert_eq!(fig.status, 200);
    let t = fig.text();
    assert!(
        t.contains("dan_trau") && t.contains("value=\"84.860\""),
        "figures page lacks đàn trâu"
    );
    assert!(
        t.contains("Tổng: 331.630") && t.contains("giảm 11,0% so với cùng kỳ"),
        "no derived total/comparison"
    );
    for tab in ["cong_nghiep", "y_te", "tai_chinh"] {
        assert!(t.contains(&format!("tep={tab}.csv:{tab}")), "tab {tab} missing");
    }

    assert_eq!(s.get("/tep/app.js").status, 200);
    assert_eq!(s.get("/tep/style.css").status, 200);
    // Pages show the preview; a numbered PDF is made only by "Tạo PDF".
    assert_eq!(s.post_json("/api/tao-pdf/bao-cao-thang/2026-02", &json!({})).status, 200);
    let st = s.wait_render(REPORT, 0);
    assert!(st["error"].is_null(), "{st}");
    let pages = st["pages"].as_array().unwrap().len();
    assert!(pages >= 10, "{st}");
    let img = s.get("/anh/bao-cao-thang/2026-02/1");
    assert_eq!(img.status, 200);
    assert_eq!(img.header("content-type"), Some("image/svg+xml"));
    assert!(img.text().starts_with("<svg"));
    page_one_is_a_drawing_of_glyph_numbers(&s);
    let pdf = s.get("/pdf/bao-cao-thang/2026-02/moi-nhat");
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with(b"%PDF"));
    let rep = s.get("/bao-cao/bao-cao-thang/2026-02");
    assert_eq!(rep.status, 200);
    assert!(
        rep.text().contains("Tải PDF") && rep.text().contains("/pdf/bao-cao-thang/2026-02/1"),
        "{}",
        rep.text()
    );
    let frag = s.get("/doan/bao-cao-thang/mo-dau");
    assert!(frag.status == 200 && frag.text().contains("<textarea"), "{}", frag.text());

    let csv = s.get("/tai-ve/2026-02/nong_nghiep.csv:nong_nghiep/csv");
    assert_eq!(csv.status, 200);
    assert_eq!(
        csv.body,
        [&[0xEF, 0xBB, 0xBF][..], &std::fs::read(s.scratch.file(NN)).unwrap()].concat(),
        "CSV download is the file itself, with a BOM for Excel"
    );
    let xlsx = s.get("/tai-ve/2026-02/nong_nghiep.csv:nong_nghiep/xlsx");
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"), "not an xlsx");
    // The downloaded workbook reads back as the same sector.
    let tmp = s.scratch.file("tai-ve.xlsx");
    std::fs::write(&tmp, &xlsx.body).unwrap();
    let mut f = baocao::Findings::default();
    let tables = baocao::internals::read_xlsx(&tmp, std::path::Path::new("tai-ve.xlsx"), &mut f);
    assert!(f.0.is_empty(), "{f}");
    assert_eq!(tables[0].sector, "nong_nghiep");
    assert!(tables[0].rows.iter().any(|r| r.cells.iter().any(|c| c.text() == "dan_trau")));
    // An upload replaces the file of the tab it is made from; a file of the period
    // that does not exist is no tab: refused, nothing made (the sector would appear twice).
    let back = s.post_bytes("/api/tai-len/2026-02/nong_nghiep_ban_sao.xlsx", &xlsx.body);
    assert_eq!(back.status, 404, "{}", back.text());
    assert!(back.text().contains("nong_nghiep_ban_sao.xlsx"), "{}", back.text());
    assert!(!s.scratch.file("data/2026-02/nong_nghiep_ban_sao.xlsx").exists());

    // History with a diff between two versions.
    let hash = sha(&std::fs::read(s.scratch.file(NN)).unwrap());
    assert_eq!(save(&s, "90.000", &hash).status, 200);
    assert_eq!(s.post_json("/api/tao-pdf/bao-cao-thang/2026-02", &json!({})).status, 200);
    let st2 = s.wait_render(REPORT, st["generation"].as_u64().unwrap());
    assert!(st2["version"].as_u64().unwrap() > st["version"].as_u64().unwrap(), "{st2}");
    let diff = s.get(&format!("/bao-cao/bao-cao-thang/2026-02?a={}&b={}", st["version"], st2["version"]));
    assert!(
        diff.text().contains("Đàn trâu") && diff.text().contains("Nông nghiệp và nông thôn mới") && diff.text().contains("90.000"),
        "{}",
        diff.text()
    );

    // Ctrl-C stops it cleanly.
    let pid = s.child.id().to_string();
    let mut s = s;
    std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap();
    let code = s.child.wait().unwrap();
    assert!(code.success(), "{code:?}");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(s.stdout.lock().unwrap().iter().any(|l| l.contains("Đã dừng máy chủ")));
}

#[test]
fn saves_good_values_and_refuses_bad_and_stale_ones() {
    let s = Server::start(&[]);
    let before = std::fs::read(s.scratch.file(NN)).unwrap();
    assert_eq!(s.get("/so-lieu/2026-02?tep=nong_nghiep.csv").status, 200);

    let bad = save(&s, "abc", &sha(&before));
    assert_eq!(bad.status, 422, "{}", bad.text());
    let msg = bad.json()["loi"].as_str().unwrap().to_string();
    assert!(
        msg.contains("data/2026-02/nong_nghiep.csv, dòng 13, cột 4") && msg.contains("\"abc\" không phải là số"),
        "{msg}"
    );
    assert_eq!(
        std::fs::read(s.scratch.file(NN)).unwrap(),
        before,
        "file changed by a refused value"
    );
    let mixed = save(&s, "84860.5", &sha(&before));
    assert_eq!(mixed.status, 422, "{}", mixed.text());
    // The new file is written and synced while the value is checked: refused, nothing of it stays.
    for dir in ["data/2026-02", "data/2026-02/.nhat-ky"] {
        let names: Vec<String> = std::fs::read_dir(s.scratch.file(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{dir}: {names:?}");
    }

    let ok = save(&s, "90.000", &sha(&before));
    assert_eq!(ok.status, 200, "{}", ok.text());
    let after = std::fs::read(s.scratch.file(NN)).unwrap();
    let expected = String::from_utf8(before.clone())
        .unwrap()
        .replace("dan_trau,Đàn trâu,con,84.860,", "dan_trau,Đàn trâu,con,90.000,");
    assert_eq!(String::from_utf8(after.clone()).unwrap(), expected, "only the one cell changes");
    assert_eq!(ok.json()["hash"].as_str().unwrap(), sha(&after));

    // A second tab still holding the old version is refused, with what changed.
    let stale = save(&s, "85.000", &sha(&before));
    assert_eq!(stale.status, 409, "{}", stale.text());
    let msg = stale.json()["loi"].as_str().unwrap().to_string();
    assert!(
        msg.contains("dan_trau") && msg.contains("84.860") && msg.contains("90.000"),
        "{msg}"
    );
    assert_eq!(std::fs::read(s.scratch.file(NN)).unwrap(), after);
    // That tab saving another cell, which nobody changed since it was given the file,
    // lands on the file as it is now: both people's values are kept.
    let other = s.post_json(
        "/api/luu",
        &json!({"period": "2026-02", "file": "nong_nghiep.csv", "sheet": "nong_nghiep", "code": "dan_bo", "column": "gia_tri", "value": "27.900", "hash": sha(&before)}),
    );
    assert_eq!(other.status, 200, "{}", other.text());
    let both = s.scratch.read(NN);
    assert!(
        both.contains("dan_trau,Đàn trâu,con,90.000,") && both.contains("dan_bo,Đàn bò,con,27.900,"),
        "{both}"
    );
    let after = both.into_bytes();
    assert_eq!(other.json()["hash"].as_str().unwrap(), sha(&after));

    // The figures page now shows the recomputed total.
    assert!(s.get("/so-lieu/2026-02?tep=nong_nghiep.csv").text().contains("Tổng: 336.800"));
}

#[test]
fn cross_site_requests_and_wrong_hosts_are_refused() {
    let s = Server::start(&[]);
    let before = std::fs::read(s.scratch.file(NN)).unwrap();
    let body = json!({"period": "2026-02", "file": "nong_nghiep.csv", "sheet": "nong_nghiep", "code": "dan_trau", "column": "gia_tri", "value": "1", "hash": sha(&before)}).to_string();
    let host = s.host();
    for headers in [
        vec![
            ("Host", host.as_str()),
            ("Origin", "http://evil.example"),
            ("Content-Type", "application/json"),
        ],
        vec![
            ("Host", host.as_str()),
            ("Sec-Fetch-Site", "cross-site"),
            ("Content-Type", "application/json"),
        ],
        vec![("Host", host.as_str()), ("Content-Type", "application/json")],
    ] {
        let r = s.raw("POST", "/api/luu", &headers, body.as_bytes());
        assert_eq!(r.status, 403, "{headers:?}: {}", r.text());
    }
    assert_eq!(
        std::fs::read(s.scratch.file(NN)).unwrap(),
        before,
        "a refused POST changed the file"
    );
    let port = s.port.to_string();
    for bad_host in [
        format!("evil.example:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1.nip.io:{port}"),
    ] {
        let r = s.raw("GET", "/", &[("Host", &bad_host)], b"");
        assert_eq!(r.status, 400, "Host {bad_host}");
        assert!(r.header("content-security-policy").is_some());
    }
    assert_eq!(s.raw("GET", "/", &[("Host", &format!("localhost:{port}"))], b"").status, 200);
}

#[test]
fn names_that_leave_their_folder_get_400_and_touch_nothing() {
    let s = Server::start(&[]);
    let toml = std::fs::read(s.scratch.file("baocao.toml")).unwrap();
    for path in [
        "/so-lieu/..%2F..%2Fetc",
        "/so-lieu/%2Fetc",
        "/tai-ve/2026-02/..%2F..%2Fbaocao.toml/csv",
        "/tai-ve/2026-02/%2Fetc%2Fpasswd/csv",
        "/tai-ve/2026-02/a%5C..%5Cb.csv/csv",
        "/tai-ve/2026-02/a%00.csv/csv",
        "/doan/bao-cao-thang/..%2F..%2Fbaocao",
        "/bao-cao/..%2Ftemplates/2026-02",
        "/pdf/bao-cao-thang/..%2F2026-02/1",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 400, "{path}: {}", r.text());
    }
    let bad_file = s.post_json(
        "/api/luu",
        &json!({"period": "2026-02", "file": "../../baocao.toml", "sheet": "", "code": "ky", "column": "gia_tri", "value": "1", "hash": ""}),
    );
    assert_eq!(bad_file.status, 400, "{}", bad_file.text());
    let abs = s.post_json(
        "/api/luu",
        &json!({"period": "/tmp", "file": "x.csv", "sheet": "", "code": "a", "column": "gia_tri", "value": "1", "hash": ""}),
    );
    assert_eq!(abs.status, 400);
    let up = s.post_bytes("/api/tai-len/2026-02/..%2F..%2Fx.csv", b"ma,ten,don_vi,gia_tri\na,b,c,1\n");
    assert_eq!(up.status, 400);
    assert!(!s.scratch.file("x.csv").exists() && !s.scratch.file("data/x.csv").exists());
    let frag = s.post_json("/api/doan/bao-cao-thang/..%2F..%2Fbaocao", &json!({"text": "x", "hash": ""}));
    assert_eq!(frag.status, 400);
    assert_eq!(std::fs::read(s.scratch.file("baocao.toml")).unwrap(), toml);
}

#[test]
fn uploads_are_validated_and_keep_the_old_file() {
    let s = Server::start(&[]);
    let before = std::fs::read(s.scratch.file(NN)).unwrap();
    let tab = "/api/tai-len/2026-02/nong_nghiep.csv:nong_nghiep";
    let broken = s.post_bytes(&format!("{tab}?ten=nong_nghiep.xlsx"), b"PK\x03\x04 this is not a workbook");
    assert_eq!(broken.status, 422, "{}", broken.text());
    assert!(broken.json()["loi"].as_str().unwrap().contains("nong_nghiep.xlsx"));
    assert!(!s.scratch.file("data/2026-02/nong_nghiep.xlsx").exists());
    let bad_csv = String::from_utf8(before.clone()).unwrap().replace("84.860", "8x4");
    let r = s.post_bytes(tab, bad_csv.as_bytes());
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.json()["loi"].as_str().unwrap().contains("dòng 13, cột 4"), "{}", r.text());
    assert_eq!(std::fs::read(s.scratch.file(NN)).unwrap(), before, "old file intact");
    let too_big = vec![b'a'; 6_000_000];
    let r = s.post_bytes(tab, &too_big);
    assert_eq!(r.status, 413);
    let text = s.post_bytes(&format!("{tab}?ten=ghi-chu.txt"), b"mot dong chu");
    assert_eq!(text.status, 422, "{}", text.text());
    assert!(
        text.json()["loi"]
            .as_str()
            .unwrap()
            .contains("chỉ nhận tệp Excel (.xlsx) hoặc .csv"),
        "{}",
        text.text()
    );
    // Another sector's file chosen in this tab: refused, the figures typed so far kept.
    let health = std::fs::read(s.scratch.file("data/2026-02/y_te.csv")).unwrap();
    let r = s.post_bytes(&format!("{tab}?ten=y_te.csv"), &health);
    assert_eq!(r.status, 422, "{}", r.text());
    let why = r.json()["loi"].as_str().unwrap().to_string();
    assert!(
        why.contains("không phải số liệu của lĩnh vực đang mở") && why.contains("Diện tích gieo cấy lúa đông xuân"),
        "{why}"
    );
    assert_eq!(std::fs::read(s.scratch.file(NN)).unwrap(), before, "old file intact");
    assert!(!s.scratch.file("data/2026-02/ban-cu").exists(), "nothing replaced");

    let good = String::from_utf8(before.clone()).unwrap().replace("84.860", "85.100");
    let r = s.post_bytes(tab, good.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(s.scratch.read(NN), good);
    let kept: Vec<_> = std::fs::read_dir(s.scratch.file("data/2026-02/ban-cu"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(std::fs::read(kept[0].path()).unwrap(), before, "the old file is kept");
}

#[test]
fn fragment_errors_show_their_line_and_keep_the_last_pdf() {
    let s = Server::start(&[]);
    assert_eq!(s.post_json("/api/tao-pdf/bao-cao-thang/2026-02", &json!({})).status, 200);
    let st = s.wait_render(REPORT, 0);
    let pdf_before = std::fs::read(s.scratch.file("out/bao-cao-thang-2026-02.pdf")).unwrap();
    let text = s.scratch.read("templates/bao-cao-thang/mo-dau.txt");
    let hash = sha(text.as_bytes());
    let broken = format!("{text}\nThêm {{{{ nong_nghiep.khong_co_chi_tieu }}}} dòng lỗi.\n");
    let line = broken.lines().count();
    let r = s.post_json("/api/doan/bao-cao-thang/mo-dau", &json!({"text": broken, "hash": hash}));
    assert_eq!(r.status, 200, "{}", r.text());
    let errors = r.json()["errors"].as_array().unwrap().clone();
    assert!(!errors.is_empty(), "no error reported");
    assert_eq!(errors[0]["line"].as_u64(), Some(line as u64), "{errors:?}");
    assert!(
        errors[0]["message"].as_str().unwrap().contains(&format!("mo-dau.txt, dòng {line}")),
        "{errors:?}"
    );
    let st2 = s.wait_render(REPORT, st["generation"].as_u64().unwrap());
    assert!(!st2["error"].is_null(), "{st2}");
    assert_eq!(
        std::fs::read(s.scratch.file("out/bao-cao-thang-2026-02.pdf")).unwrap(),
        pdf_before,
        "last good PDF stays"
    );
    // A stale fragment save is refused.
    let stale = s.post_json("/api/doan/bao-cao-thang/mo-dau", &json!({"text": text, "hash": hash}));
    assert_eq!(stale.status, 409);
    let fixed = s.post_json(
        "/api/doan/bao-cao-thang/mo-dau",
        &json!({"text": text, "hash": sha(broken.as_bytes())}),
    );
    assert_eq!(fixed.status, 200);
    assert!(fixed.json()["errors"].as_array().unwrap().is_empty());
}

#[test]
fn new_period_and_make_pdf_buttons() {
    let s = Server::start(&[]);
    let r = s.post_json("/api/ky-moi", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    // The month after the newest real one (February), never one after the sample March.
    assert_eq!(r.json()["period"], "2026-03");
    assert!(s.scratch.read("baocao.toml").contains("ky = \"2026-03\""));
    assert!(s.scratch.file("data/2026-03/nong_nghiep.csv").is_file());
    assert!(!s.scratch.file("data/2026-03/SO-LIEU-MAU.md").exists(), "the new March is real");
    assert!(
        s.scratch.file("data/2026-03/nghi-quyet-tinh-uy/giao_duc.csv").is_file(),
        "kept in place"
    );
    assert!(s.get("/").text().contains("Bắt đầu tháng 4 năm 2026"));
    let r = s.post_json("/api/tao-pdf/bao-cao-thang/2026-01", &json!({}));
    assert_eq!(r.status, 200);
    let st = s.wait_render("bao-cao-thang/2026-01", 0);
    assert!(st["version"].is_u64(), "{st}");
    assert!(s.scratch.file("out/bao-cao-thang-2026-01.pdf").is_file());
}

#[test]
fn off_loopback_nothing_without_the_token() {
    let s = Server::start(&["--host", "0.0.0.0", "--plain-http"]);
    let token = s.url.split("?ma=").nth(1).expect("URL carries the token").to_string();
    assert_eq!(token.len(), 64);
    assert!(s
        .stdout
        .lock()
        .unwrap()
        .iter()
        .any(|l| l.contains("mã truy cập") && l.contains(&token)));
    for path in [
        "/",
        "/so-lieu/2026-02",
        "/tai-ve/2026-02/nong_nghiep.csv:nong_nghiep/csv",
        "/pdf/bao-cao-thang/2026-02/moi-nhat",
        "/anh/bao-cao-thang/2026-02/1",
        "/ve/bao-cao-thang/2026-02/1",
        "/tep/app.js",
        "/?ma=sai",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 401, "{path}");
        assert!(!r.text().contains("dan_trau"));
    }
    let r = s.post_json("/api/ky-moi", &json!({}));
    assert_eq!(r.status, 401);
    let login = s.get(&format!("/?ma={token}"));
    assert_eq!(login.status, 303);
    let cookie = login.header("set-cookie").unwrap().split(';').next().unwrap().to_string();
    let host = s.host();
    let r = s.raw(
        "GET",
        "/so-lieu/2026-02?tep=nong_nghiep.csv",
        &[("Host", &host), ("Cookie", &cookie)],
        b"",
    );
    assert_eq!(r.status, 200);
    assert!(r.text().contains("dan_trau"));
}

/// Page 1's drawing for the canvas: operations whose every glyph has its
/// outline in the answer, and no text of the document (glyph numbers only).
fn page_one_is_a_drawing_of_glyph_numbers(s: &Server) {
    let ve = s.get("/ve/bao-cao-thang/2026-02/1");
    assert_eq!(ve.status, 200, "{}", ve.text());
    assert_eq!(ve.header("content-type"), Some("application/json"));
    let d = ve.json();
    let outlined: std::collections::HashSet<(u64, u64)> = d["glyphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g[0].as_u64().unwrap(), g[1].as_u64().unwrap()))
        .collect();
    let runs: Vec<&serde_json::Value> = d["ops"].as_array().unwrap().iter().filter(|o| o[0] == "t").collect();
    assert!(runs.len() > 20, "{d}");
    let mut drawn = 0;
    for run in runs {
        let font = run[7].as_u64().unwrap();
        for g in run[10].as_array().unwrap().chunks(3) {
            assert!(outlined.contains(&(font, g[0].as_u64().unwrap())), "glyph without outline: {run}");
            drawn += 1;
        }
    }
    let text = s.get("/chu/bao-cao-thang/2026-02/1").text();
    let letters = text.chars().filter(|c| !c.is_whitespace()).count();
    assert!(drawn >= letters * 9 / 10, "{drawn} glyphs for {letters} letters");
    assert!(text.contains("Châu") && !ve.text().contains("Châu") && !ve.text().contains("Lai "));
}

/// Reads an open event stream until `want` has come (or 60 s passed).
fn read_until(stream: &mut std::net::TcpStream, seen: &mut String, want: &str) {
    use std::io::Read;
    let t = std::time::Instant::now();
    let mut buf = [0u8; 65536];
    while !seen.contains(want) {
        assert!(t.elapsed().as_secs() < 60, "no {want:?} in the event stream: {seen}");
        match stream.read(&mut buf) {
            Ok(0) => panic!("the event stream ended before {want:?}: {seen}"),
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(e) => panic!("{e}: {seen}"),
        }
    }
}

#[test]
fn a_page_that_listens_after_the_layout_ended_is_told_to_ask_again() {
    use std::io::Write;
    let s = Server::start(&[]);
    // The layout ends before the page listens to its events.
    assert_eq!(s.get(&format!("/bao-cao/{REPORT}")).status, 200);
    let st = s.wait_preview(REPORT, 0);
    assert!(st["pages"].as_array().unwrap().len() >= 10, "{st}");
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
    let req = format!(
        "GET /su-kien/{REPORT} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
        s.host()
    );
    stream.write_all(req.as_bytes()).unwrap();
    let mut seen = String::new();
    // First thing on the stream: ask for the state (which has the pages above).
    read_until(&mut stream, &mut seen, "event: tinh-trang");
    assert!(!seen.contains("event: trang\n"), "{seen}");
    // Then the events of later layouts.
    let hash = sha(&std::fs::read(s.scratch.file(NN)).unwrap());
    assert_eq!(save(&s, "84.870", &hash).status, 200);
    read_until(&mut stream, &mut seen, "event: trang\n");
}

#[test]
fn the_figures_page_says_a_finding_in_words_on_its_row_and_with_the_save() {
    let s = Server::start(&[]);
    // February's doanh_nghiep row "thanh_lap_moi" is questioned (37 against 7).
    let page = s.get("/so-lieu/2026-02?tep=doanh_nghiep.csv").text();
    assert!(
        page.contains("Cảnh báo: giá trị 37 thay đổi hơn 3 lần so với cùng kỳ (7)"),
        "{page}"
    );
    for code in ["data/2026-02/doanh_nghiep.csv", "[thanh_lap_moi]", "CẢNH BÁO"] {
        assert!(!page.contains(code), "{code} on the page");
    }
    // The column names come from the program's one list.
    assert!(page.contains("<th>Giá trị</th>") && page.contains("<th>Cùng kỳ</th>"), "{page}");

    // A count saved with decimals: the answer's row says so in the same words.
    let before = s.scratch.read(NN);
    let r = save(&s, "84.860,5", &sha(before.as_bytes()));
    assert_eq!(r.status, 200, "{}", r.text());
    let row = &r.json()["row"];
    let said: Vec<&str> = row["findings"].as_array().unwrap().iter().filter_map(|f| f.as_str()).collect();
    assert!(
        said.iter()
            .any(|f| f.starts_with("Cảnh báo: đơn vị \"con\" đếm từng cái nhưng số có phần lẻ (84.860,5)")),
        "{said:?}"
    );
    assert!(said.iter().all(|f| !f.contains("data/") && !f.contains("dan_trau")), "{said:?}");
}

#[test]
fn the_previews_findings_name_sectors_indicators_and_texts_as_people_do() {
    let s = Server::start(&[]);
    s.get("/so-lieu/2026-02");
    let st = s.wait_preview("bao-cao-thang/2026-02", 0);
    let listed: Vec<(String, bool)> = st["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["text"].as_str().unwrap().to_string(), f["loi"].as_bool().unwrap()))
        .collect();
    let text: Vec<&str> = listed.iter().map(|(t, _)| t.as_str()).collect();
    // An indicator by its sector's title and its name, a month by its name.
    assert!(
        text.iter()
            .any(|t| t.starts_with("Cảnh báo – Doanh nghiệp và thu hút đầu tư – ") && t.contains("37 thay đổi hơn 3 lần")),
        "{text:#?}"
    );
    assert!(text.iter().any(|t| t.starts_with("Cảnh báo – Số liệu tháng")), "{text:#?}");
    for t in &text {
        assert!(!t.contains("data/") && !t.contains("[thanh_lap_moi]"), "{t}");
    }
    assert!(listed.iter().all(|(_, error)| !error), "February has warnings only: {listed:?}");
}
