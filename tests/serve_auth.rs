//! Accounts, sign-in and sector permissions of `baocao serve`, over HTTP against
//! the real binary on a scratch copy of the sample project, with three accounts
//! made by the real CLI: `vp` (van-phong), `so-y-te` (y_te), `so-tai-chinh` (tai_chinh).

use crate::common::Scratch;
use crate::server::{session_cookie, sha, tree_hash, Server};
use serde_json::json;

const VP: (&str, &str) = ("vp", "mat-khau-van-phong");
const YT: (&str, &str) = ("so-y-te", "mat-khau-y-te");
const TC: (&str, &str) = ("so-tai-chinh", "mat-khau-tai-chinh");

fn accounts(scratch: &Scratch, args: &[&str], stdin: &str) -> crate::common::Run {
    crate::server::accounts_cli(scratch, args, stdin)
}

/// A scratch project with the three accounts.
fn project_with_accounts() -> Scratch {
    let s = Scratch::new();
    for (args, pw) in [
        (vec!["them", VP.0, "--vai-tro", "van-phong"], VP.1),
        (vec!["them", YT.0, "--vai-tro", "so", "--linh-vuc", "y_te"], YT.1),
        (vec!["them", TC.0, "--vai-tro", "so", "--linh-vuc", "tai_chinh"], TC.1),
    ] {
        let r = accounts(&s, &args, &format!("{pw}\n"));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    s
}

fn tree(s: &Server) -> String {
    tree_hash(s.scratch.path(), &["data", "templates"])
}

fn save(s: &Server, file: &str, sheet: &str, code: &str, value: &str) -> crate::server::Resp {
    let hash = sha(&std::fs::read(s.scratch.file(&format!("data/2026-02/{file}"))).unwrap_or_default());
    s.post_json(
        "/api/luu",
        &json!({"period": "2026-02", "file": file, "sheet": sheet, "code": code, "column": "gia_tri", "value": value, "hash": hash}),
    )
}

/// A workbook with one sheet per name, each holding one indicator.
fn workbook(sheets: &[&str]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for name in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name).unwrap();
        for (j, h) in ["ma", "ten", "don_vi", "gia_tri"].iter().enumerate() {
            ws.write_string(0, j as u16, *h).unwrap();
        }
        ws.write_string(1, 0, format!("{name}_chi_tieu")).unwrap();
        ws.write_string(1, 1, "Chỉ tiêu thử").unwrap();
        ws.write_string(1, 2, "người").unwrap();
        ws.write_number(1, 3, 5.0).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn cli_stores_only_hashes_lists_and_removes() {
    let s = project_with_accounts();
    let text = s.read("nguoi-dung.toml");
    for (_, pw) in [VP, YT, TC] {
        assert!(!text.contains(pw), "clear password in the file");
    }
    assert_eq!(text.matches("$argon2id$").count(), 3, "{text}");
    let list = accounts(&s, &["danh-sach"], "");
    assert_eq!(list.code, 0);
    assert!(list.stdout.contains("so-y-te") && list.stdout.contains("y_te") && list.stdout.contains("van-phong"));
    assert!(!list.stdout.contains("argon2"), "danh-sach prints a hash: {}", list.stdout);

    let refused = [
        (
            vec!["them", "moi", "--vai-tro", "quan-tri"],
            "mat-khau-dai",
            "vai trò \"quan-tri\" không có",
        ),
        (
            vec!["them", "moi", "--vai-tro", "van-phong", "--linh-vuc", "y_te"],
            "mat-khau-dai",
            "không ghi --linh-vuc",
        ),
        (vec!["them", "moi", "--vai-tro", "so"], "mat-khau-dai", "cần ít nhất một lĩnh vực"),
        (vec!["them", "moi", "--vai-tro", "van-phong"], "ngan", "quá ngắn"),
        (vec!["them", "moi", "--vai-tro", "van-phong"], "", "mật khẩu trống"),
        (
            vec!["them", "so-y-te", "--vai-tro", "so", "--linh-vuc", "y_te"],
            "mat-khau-dai",
            "đã có tài khoản",
        ),
        (vec!["xoa", "khong-co"], "", "không có tài khoản"),
        (
            vec!["them", "moi", "--vai-tro", "van-phong", "--ten-day-du", "Văn phòng\nUBND"],
            "mat-khau-dai",
            "tên đầy đủ (tên hiện cho mọi người) chỉ một dòng",
        ),
        (vec!["doi-ten", "khong-co", "Sở Không Có"], "", "không có tài khoản"),
    ];
    for (args, pw, msg) in refused {
        let r = accounts(&s, &args, &format!("{pw}\n"));
        assert_ne!(r.code, 0, "{args:?} accepted");
        assert!(r.stderr.contains(msg), "{args:?}: {}", r.stderr);
    }
    assert_eq!(s.read("nguoi-dung.toml"), text, "a refused command changed the file");

    // The name people read: given when made, changed later, listed.
    let r = accounts(
        &s,
        &[
            "them",
            "so-gd",
            "--vai-tro",
            "so",
            "--linh-vuc",
            "giao_duc",
            "--ten-day-du",
            " Sở Giáo dục ",
        ],
        "mat-khau-giao-duc\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = accounts(&s, &["doi-ten", YT.0, "Sở Y tế"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"Sở Y tế\""), "{}", r.stdout);
    let list = accounts(&s, &["danh-sach"], "").stdout;
    assert!(list.contains("– Sở Giáo dục\n") && list.contains("– Sở Y tế\n"), "{list}");
    let r = accounts(&s, &["doi-mat-khau", YT.0], "mat-khau-moi-y-te\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!s.read("nguoi-dung.toml").contains("mat-khau-moi-y-te"));
    let r = accounts(&s, &["xoa", TC.0], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list = accounts(&s, &["danh-sach"], "").stdout;
    assert!(!list.contains("so-tai-chinh") && list.contains("so-y-te"), "{list}");
}

/// Issue 25: two department accounts made first locked Văn phòng out; the
/// first department account is refused (before a password is asked), saying what to run.
#[test]
fn a_department_account_before_any_office_account_is_refused() {
    let s = Scratch::new();
    // Refused before the password is asked: nothing is read from stdin.
    let r = accounts(&s, &["them", "so-y-te", "--vai-tro", "so", "--linh-vuc", "y_te"], "");
    assert_ne!(r.code, 0, "accepted: {}", r.stdout);
    assert!(r.stderr.contains("Tài khoản đầu tiên phải là của Văn phòng"), "{}", r.stderr);
    assert!(
        r.stderr.contains("baocao nguoi-dung them van-phong --vai-tro van-phong"),
        "{}",
        r.stderr
    );
    assert!(!s.file("nguoi-dung.toml").exists(), "a refused account wrote the file");
    let r = accounts(&s, &["them", "van-phong", "--vai-tro", "van-phong"], "mat-khau-vp-1\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = accounts(&s, &["them", "so-y-te", "--vai-tro", "so", "--linh-vuc", "y_te"], "mat-khau-dai\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = accounts(&s, &["xoa", "van-phong"], "");
    assert_ne!(r.code, 0, "the last office account was removed while a department remains");
    assert!(r.stderr.contains("Văn phòng duy nhất"), "{}", r.stderr);
}

#[test]
fn each_account_does_what_its_role_allows_and_nothing_else() {
    let s = Server::start_in(project_with_accounts(), &[], &[]);

    // No session: pages go to the login page, the rest is refused.
    let before = tree(&s);
    let home = s.get("/");
    assert_eq!(home.status, 303);
    assert_eq!(home.header("location"), Some("/dang-nhap?tiep=/"));
    assert_eq!(s.get("/dang-nhap").status, 200);
    assert_eq!(s.get("/tep/style.css").status, 200);
    assert_eq!(save(&s, "y_te.csv", "y_te", "tay_chan_mieng", "1").status, 403);
    assert_eq!(s.get("/tai-ve/2026-02/y_te.csv/csv").status, 403);
    assert_eq!(s.get("/api/trang/bao-cao-thang/2026-02").status, 403);
    assert_eq!(s.post_json("/api/ky-moi", &json!({})).status, 403);
    assert_eq!(tree(&s), before);

    // Sở Y tế: its own file only.
    s.sign_in(YT.0, YT.1);
    let fig = s.get("/so-lieu/2026-02").text();
    assert!(
        fig.contains("tep=y_te.csv:y_te") && !fig.contains("tep=tai_chinh.csv"),
        "figures list other sectors"
    );
    let home = s.get("/").text();
    assert!(
        home.contains("/nop/2026-02") && !home.contains("Bắt đầu tháng") && !home.contains("tao-pdf"),
        "{home}"
    );
    // Nothing about PDFs, which only Văn phòng makes and downloads.
    assert!(!home.contains("PDF") && !home.contains("Phiên bản"), "{home}");
    let r = save(&s, "y_te.csv", "y_te", "tay_chan_mieng", "130");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(s.scratch.read("data/2026-02/y_te.csv").contains("Miệng,trường hợp,130,"));
    let down = s.get("/tai-ve/2026-02/y_te.csv/csv");
    assert_eq!(down.status, 200);
    let file = std::fs::read(s.scratch.file("data/2026-02/y_te.csv")).unwrap();
    assert_eq!(
        down.body,
        [&[0xEF, 0xBB, 0xBF][..], &file].concat(),
        "the file, with a BOM for Excel"
    );
    let own = s.scratch.read("data/2026-02/y_te.csv").replace(",130,", ",131,");
    let up = s.post_bytes("/api/tai-len/2026-02/y_te.csv", own.as_bytes());
    assert_eq!(up.status, 200, "{}", up.text());
    assert_eq!(s.scratch.read("data/2026-02/y_te.csv"), own);
    let rep = s.get("/bao-cao/bao-cao-thang/2026-02");
    assert_eq!(rep.status, 200);
    assert!(
        !rep.text().contains("Tải PDF") && !rep.text().contains("/doan/"),
        "read-only preview"
    );
    assert_eq!(s.get("/api/trang/bao-cao-thang/2026-02").status, 200);

    let tc_csv = s.scratch.read("data/2026-02/tai_chinh.csv");
    let forbidden: Vec<(&str, crate::server::Resp)> = vec![
        ("other tab", s.get("/so-lieu/2026-02?tep=tai_chinh.csv:tai_chinh")),
        ("other download csv", s.get("/tai-ve/2026-02/tai_chinh.csv/csv")),
        ("other download xlsx", s.get("/tai-ve/2026-02/tai_chinh.csv:tai_chinh/xlsx")),
        ("sheet naming other", s.get("/tai-ve/2026-02/y_te.csv:tai_chinh/csv")),
        ("other period", s.get("/tai-ve/2026-01/tai_chinh.csv/csv")),
        ("other write", save(&s, "tai_chinh.csv", "tai_chinh", "chi_nsdp", "1")),
        (
            "write, sheet naming other",
            save(&s, "y_te.csv", "tai_chinh", "tay_chan_mieng", "1"),
        ),
        (
            "other upload",
            s.post_bytes("/api/tai-len/2026-02/tai_chinh.csv", tc_csv.as_bytes()),
        ),
        (
            "own name, other content",
            s.post_bytes("/api/tai-len/2026-02/y_te.xlsx", &workbook(&["y_te", "tai_chinh"])),
        ),
        (
            "workbook named after own sector",
            s.post_bytes("/api/tai-len/2026-02/y_te.xlsx", &workbook(&["tai_chinh"])),
        ),
        ("fragment page", s.get("/doan/bao-cao-thang/mo-dau")),
        (
            "fragment edit",
            s.post_json("/api/doan/bao-cao-thang/mo-dau", &json!({"text": "x", "hash": "x"})),
        ),
        ("latest PDF", s.get("/pdf/bao-cao-thang/2026-02/moi-nhat")),
        ("version PDF", s.get("/pdf/bao-cao-thang/2026-02/1")),
        ("version diff", s.get("/bao-cao/bao-cao-thang/2026-02?a=1&b=2")),
        ("make PDF", s.post_json("/api/tao-pdf/bao-cao-thang/2026-02", &json!({}))),
        ("new period", s.post_json("/api/ky-moi", &json!({}))),
        ("mark other sent", s.post_form("/nop/2026-02/tai_chinh.csv/gui", "")),
        ("return", s.post_form("/nop/2026-02/y_te.csv/tra-lai", "ly_do=x")),
    ];
    let before = tree(&s);
    for (what, r) in &forbidden {
        assert_eq!(r.status, 403, "{what}: {}", r.text());
        assert!(r.text().contains("không có quyền"), "{what}: {}", r.text());
    }
    // Path tricks: refused before any file is read (400 / 404 on this file system).
    for (what, r) in [
        ("dot-dot", save(&s, "../2026-01/tai_chinh.csv", "", "chi_nsdp", "1")),
        ("encoded slash", s.get("/tai-ve/2026-02/..%2Ftai_chinh.csv/csv")),
        (
            "encoded slash upload",
            s.post_bytes("/api/tai-len/2026-02/..%2Ftai_chinh.csv", tc_csv.as_bytes()),
        ),
        ("case", s.get("/tai-ve/2026-02/TAI_CHINH.csv/csv")),
        ("case upload", s.post_bytes("/api/tai-len/2026-02/Tai_Chinh.csv", tc_csv.as_bytes())),
    ] {
        assert!(matches!(r.status, 400 | 403 | 404), "{what}: {} {}", r.status, r.text());
        assert!(!r.text().contains("thu_nsdp"), "{what} leaked figures");
    }
    assert_eq!(tree(&s), before, "a refused request changed a file");

    // Submission: Y tế marks its file sent; an edit sends it back to "đang nhập".
    let r = s.post_form("/nop/2026-02/y_te.csv/gui", "");
    assert_eq!(r.status, 303, "{}", r.text());
    let page = s.get("/nop/2026-02").text();
    assert!(page.contains("đã gửi</strong> (so-y-te,"), "{page}");
    assert!(!page.contains("tai_chinh.csv"), "status page lists another sector");
    assert_eq!(save(&s, "y_te.csv", "y_te", "tay_chan_mieng", "132").status, 200);
    assert!(s.get("/nop/2026-02").text().contains("đang nhập"));
    assert_eq!(s.post_form("/nop/2026-02/y_te.csv/gui", "").status, 303);

    // Sở Tài chính cannot see Y tế.
    s.sign_in(TC.0, TC.1);
    assert_eq!(s.get("/tai-ve/2026-02/y_te.csv/csv").status, 403);
    assert_eq!(save(&s, "y_te.csv", "y_te", "tay_chan_mieng", "1").status, 403);

    // Văn phòng: every sector, fragments, PDF, returning with a reason.
    s.sign_in(VP.0, VP.1);
    assert_eq!(save(&s, "tai_chinh.csv", "tai_chinh", "chi_nsdp", "930").status, 200);
    assert_eq!(save(&s, "y_te.csv", "y_te", "tay_chan_mieng", "133").status, 200);
    let page = s.get("/nop/2026-02").text();
    assert!(
        page.contains("tai_chinh.csv") && page.contains("đã gửi</strong> (so-y-te,"),
        "office edit keeps the mark"
    );
    let before = tree(&s);
    let empty = s.post_form("/nop/2026-02/y_te.csv/tra-lai", "ly_do=+");
    assert_eq!(empty.status, 422, "{}", empty.text());
    assert_eq!(tree(&s), before, "a return without reason changed a file");
    let r = s.post_form("/nop/2026-02/y_te.csv/tra-lai", "ly_do=Thi%E1%BA%BFu+s%E1%BB%91+ca+s%E1%BB%9Fi");
    assert_eq!(r.status, 303, "{}", r.text());
    let page = s.get("/nop/2026-02").text();
    assert!(page.contains("Trả lại bởi vp") && page.contains("Thiếu số ca sởi"), "{page}");
    let frag = s.get("/doan/bao-cao-thang/mo-dau");
    assert_eq!(frag.status, 200);
    let (text, hash) = baocao::Project::open(s.scratch.path())
        .read_fragment(&baocao::Actor::local(), "bao-cao-thang", "mo-dau", "2026-02".parse().unwrap())
        .unwrap();
    let r = s.post_json(
        "/api/doan/bao-cao-thang/mo-dau",
        &json!({"text": format!("{text}\n"), "hash": hash}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(s.post_json("/api/tao-pdf/bao-cao-thang/2026-02", &json!({})).status, 200);
    s.wait_render("bao-cao-thang/2026-02", 0);
    let pdf = s.get("/pdf/bao-cao-thang/2026-02/moi-nhat");
    assert!(pdf.status == 200 && pdf.body.starts_with(b"%PDF"), "{}", pdf.status);

    // A file changed outside the page after "đã gửi" no longer counts as sent.
    assert_eq!(s.post_form("/nop/2026-02/y_te.csv/gui", "").status, 303);
    assert!(s.get("/nop/2026-02").text().contains("đã gửi</strong> (vp,"));
    s.scratch
        .edit("data/2026-02/y_te.csv", "Miệng,trường hợp,133,", "Miệng,trường hợp,134,");
    let page = s.get("/nop/2026-02").text();
    assert!(
        !page.contains("đã gửi</strong> (vp,") && page.contains("sửa ngoài trang web"),
        "{page}"
    );
}

#[test]
fn sign_in_rules_hold() {
    let envs = [("BAOCAO_SESSION_TTL", "3"), ("BAOCAO_PROXY_HTTPS", "1")];
    let s = Server::start_in(project_with_accounts(), &[], &envs);

    // Same answer for a wrong password and an unknown account; no cookie either way.
    let wrong = s.login(YT.0, "sai-mat-khau", &[]);
    let unknown = s.login("khong-ton-tai", "sai-mat-khau", &[]);
    assert_eq!((wrong.status, unknown.status), (401, 401));
    let strip = |r: &crate::server::Resp, name: &str| r.text().replace(name, "TEN");
    assert_eq!(strip(&wrong, YT.0), strip(&unknown, "khong-ton-tai"), "answers differ");
    assert!(session_cookie(&wrong).is_none() && session_cookie(&unknown).is_none());
    assert!(wrong.header("set-cookie").is_none() && unknown.header("set-cookie").is_none());

    // Cookie flags; Secure only for a request that came over HTTPS through the proxy.
    let ok = s.login(YT.0, YT.1, &[]);
    let c = ok.header("set-cookie").unwrap().to_string();
    assert!(
        c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Path=/"),
        "{c}"
    );
    assert!(!c.contains("Secure"), "plain HTTP got a Secure cookie: {c}");
    let https = s.login(YT.0, YT.1, &[("X-Forwarded-Proto", "https")]);
    assert!(https.header("set-cookie").unwrap().contains("; Secure"), "{:?}", https.headers);

    // A new id at each login; the id sent with the new login is dead afterwards.
    let first = session_cookie(&ok).unwrap();
    s.use_session(Some(&first));
    assert_eq!(s.get("/api/trang/bao-cao-thang/2026-02").status, 200);
    let again = s.raw(
        "POST",
        "/dang-nhap",
        &[
            ("Host", &s.host()),
            ("Origin", &format!("http://{}", s.host())),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        format!("ten={}&mat_khau={}", YT.0, YT.1).as_bytes(),
    );
    let second = session_cookie(&again).unwrap();
    assert_ne!(first, second);
    assert_eq!(s.get("/api/trang/bao-cao-thang/2026-02").status, 403, "old id still valid");
    s.use_session(Some(&second));
    assert_eq!(s.get("/api/trang/bao-cao-thang/2026-02").status, 200);

    // Logout ends the session.
    assert_eq!(s.post_form("/dang-xuat", "").status, 303);
    assert_eq!(s.get("/api/trang/bao-cao-thang/2026-02").status, 403);

    // Expiry: idle 3 s (BAOCAO_SESSION_TTL).
    let id = s.sign_in(TC.0, TC.1);
    assert_eq!(s.get("/api/trang/bao-cao-thang/2026-02").status, 200);
    std::thread::sleep(std::time::Duration::from_millis(3500));
    s.use_session(Some(&id));
    assert_eq!(s.get("/api/trang/bao-cao-thang/2026-02").status, 403, "expired session accepted");

    // Slowdown: 5 wrong passwords free, the 6th try waits 2 s even with the right password.
    for name in [YT.0, "ai-do-khac"] {
        for _ in 0..5 {
            assert_eq!(s.login(name, "sai-mat-khau", &[]).status, 401);
        }
        let refused = s.login(name, if name == YT.0 { YT.1 } else { "x" }, &[]);
        assert_eq!(refused.status, 429, "{name}: {}", refused.text());
        assert!(refused.header("retry-after").is_some() && session_cookie(&refused).is_none());
        assert!(refused.text().contains("Chờ"), "{}", refused.text());
    }
    let upper = s.login("SO-Y-TE", YT.1, &[]);
    assert_eq!(upper.status, 429, "a case variant escapes the slowdown");
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let after = s.login(YT.0, YT.1, &[]);
    assert_eq!(after.status, 303, "right password refused after the wait: {}", after.text());
}

#[test]
fn removing_every_account_on_a_shared_address_locks_the_page() {
    let scratch = Scratch::new();
    assert_eq!(
        accounts(&scratch, &["them", VP.0, "--vai-tro", "van-phong"], &format!("{}\n", VP.1)).code,
        0
    );
    let s = Server::start_in(scratch, &["--host", "0.0.0.0", "--plain-http"], &[]);
    assert!(!s.url.contains("?ma="), "no token when the project has accounts: {}", s.url);
    assert_eq!(s.get("/").status, 303);
    assert_eq!(accounts(&s.scratch, &["xoa", VP.0], "").code, 0);
    let home = s.get("/");
    assert_eq!(home.status, 303, "the page opened to everyone: {}", home.text());
    assert_eq!(s.get("/dang-nhap").status, 200);
    let before = tree(&s);
    assert_eq!(s.post_json("/api/ky-moi", &json!({})).status, 403);
    assert_eq!(tree(&s), before);
}

/// Lãnh đạo (`--vai-tro lanh-dao`): sees every period, every sector and the
/// preview; every change is refused and leaves data/ and templates/ as they were.
#[test]
fn a_leader_sees_everything_and_changes_nothing() {
    let s = Scratch::new();
    for (args, pw) in [
        (vec!["them", VP.0, "--vai-tro", "van-phong"], VP.1),
        (vec!["them", "lanh-dao", "--vai-tro", "lanh-dao"], "mat-khau-lanh-dao"),
    ] {
        let r = accounts(&s, &args, &format!("{pw}\n"));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let s = Server::start_in(s, &[], &[]);
    s.sign_in("lanh-dao", "mat-khau-lanh-dao");
    let before = tree(&s);
    assert_eq!(s.get("/").status, 200);
    let fig = s.get("/so-lieu/2026-02").text();
    assert!(
        fig.contains("tep=y_te.csv") && fig.contains("tep=tai_chinh.csv"),
        "every sector: {fig}"
    );
    for path in [
        "/so-lieu/2026-02?tep=tai_chinh.csv:tai_chinh",
        "/tai-ve/2026-02/tai_chinh.csv/csv",
        "/tai-ve/2026-01/y_te.csv/xlsx",
        "/nop/2026-02",
        "/bao-cao/bao-cao-thang/2026-02",
        "/api/trang/bao-cao-thang/2026-02",
        "/doan/bao-cao-thang/mo-dau",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
    }
    let frag = baocao::Project::open(s.scratch.path())
        .read_fragment(&baocao::Actor::local(), "bao-cao-thang", "mo-dau", "2026-02".parse().unwrap())
        .unwrap();
    let y_te = s.scratch.read("data/2026-02/y_te.csv");
    let refused = [
        ("edit a cell", save(&s, "y_te.csv", "y_te", "tay_chan_mieng", "1")),
        ("upload", s.post_bytes("/api/tai-len/2026-02/y_te.csv", y_te.as_bytes())),
        (
            "save a fragment",
            s.post_json("/api/doan/bao-cao-thang/mo-dau", &json!({"text": "x", "hash": frag.1})),
        ),
        ("make a PDF", s.post_json("/api/tao-pdf/bao-cao-thang/2026-02", &json!({}))),
        ("issue", s.post_json("/api/ban-hanh/bao-cao-thang/2026-02/1", &json!({}))),
        ("new period", s.post_json("/api/ky-moi", &json!({}))),
        ("mark sent", s.post_form("/nop/2026-02/y_te.csv/gui", "")),
        ("give back", s.post_form("/nop/2026-02/y_te.csv/tra-lai", "ly_do=x")),
    ];
    for (what, r) in refused {
        assert_eq!(r.status, 403, "{what}: {}", r.text());
    }
    assert!(
        save(&s, "y_te.csv", "y_te", "tay_chan_mieng", "2")
            .text()
            .contains("tài khoản lãnh đạo chỉ được xem"),
        "the refusal says why"
    );
    assert_eq!(tree(&s), before, "nothing changed");
}

/// The files "Việc còn lại" lists as not sent yet, for February's monthly report.
fn not_sent(s: &Scratch) -> Vec<String> {
    let p = baocao::Project::open(s.path());
    let left = p.remaining(&p.request("bao-cao-thang", "2026-02").unwrap()).unwrap();
    let tasks = left.groups.iter().flat_map(|g| &g.tasks);
    let files = tasks.filter(|t| t.kind == baocao::TaskKind::NotSent).map(|t| match &t.target {
        baocao::RemainingTarget::File { file } => file.display().to_string(),
        other => panic!("{other:?}"),
    });
    files.collect()
}

#[test]
fn whats_left_waits_for_the_sent_mark_of_the_files_departments_fill() {
    // Without department accounts Văn phòng fills every file: a filled file is not waited for.
    let alone = Scratch::new();
    assert_eq!(not_sent(&alone), Vec::<String>::new());
    // Y tế and Tài chính fill theirs: both are waited for until marked "đã gửi".
    let s = Server::start_in(project_with_accounts(), &[], &[]);
    assert_eq!(not_sent(&s.scratch), ["data/2026-02/tai_chinh.csv", "data/2026-02/y_te.csv"]);
    s.sign_in(YT.0, YT.1);
    assert_eq!(s.post_form("/nop/2026-02/y_te.csv/gui", "").status, 303);
    assert_eq!(not_sent(&s.scratch), ["data/2026-02/tai_chinh.csv"]);
    // An edit after the mark sends the file back to "đang nhập": waited for again.
    assert_eq!(save(&s, "y_te.csv", "y_te", "tay_chan_mieng", "132").status, 200);
    assert_eq!(not_sent(&s.scratch), ["data/2026-02/tai_chinh.csv", "data/2026-02/y_te.csv"]);
}
