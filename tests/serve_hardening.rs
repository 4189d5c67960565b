//! Hardening of `baocao serve` (issue 27), over real HTTP against the real binary:
//! bounded previews, side-effect-free GETs, the issue/save race, canonical periods,
//! the login's next-page filter, reads that yield the CPU to saves and previews.

use serde_json::json;

use crate::common::Scratch;
use crate::server::{sha, tree_hash, Resp, Server};

const REPORT: &str = "bao-cao-thang/2026-02";
const NN: &str = "data/2026-02/nong_nghiep.csv";

/// (threads, resident MB) of a process, from /proc/<pid>/status.
fn threads_and_rss(pid: u32) -> (u64, f64) {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| -> u64 {
        s.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (field("Threads:"), field("VmRSS:") as f64 / 1024.0)
}

/// 2.000 distinct period spellings, each a valid period that has no figures.
fn distinct_periods(n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for year in 1900..3000 {
        for suffix in ["", "-Q1", "-Q2", "-H1", "-9T", "-05", "-11"] {
            if out.len() == n {
                return out;
            }
            if (2020..=2026).contains(&year) {
                continue;
            }
            out.push(format!("{year}{suffix}"));
        }
    }
    out
}

#[test]
fn two_thousand_distinct_periods_leave_threads_and_memory_bounded() {
    let s = Server::start(&[]);
    s.wait_preview(REPORT, 0);
    let before_tree = tree_hash(s.scratch.path(), &["data", "out"]);
    let (threads0, rss0) = threads_and_rss(s.child.id());
    let routes = ["/api/trang", "/anh", "/chu", "/bao-cao", "/su-kien"];
    for (i, p) in distinct_periods(2000).iter().enumerate() {
        let route = routes[i % routes.len()];
        let tail = if route == "/anh" || route == "/chu" { "/1" } else { "" };
        let r = s.get(&format!("{route}/bao-cao-thang/{p}{tail}"));
        assert_eq!(r.status, 404, "{route} {p}: {}", r.text());
    }
    let fig = s.get("/so-lieu/2026-02?bao_cao=bao-cao-thang&tep=y_te.csv");
    assert_eq!(fig.status, 200);
    let (threads1, rss1) = threads_and_rss(s.child.id());
    eprintln!("threads {threads0} -> {threads1}, RSS {rss0:.0} MB -> {rss1:.0} MB");
    assert!(threads1 <= threads0 + 4, "threads {threads0} -> {threads1}");
    assert!(rss1 <= rss0 + 80.0, "RSS {rss0:.0} MB -> {rss1:.0} MB");
    assert_eq!(
        tree_hash(s.scratch.path(), &["data", "out"]),
        before_tree,
        "no folder, no file made"
    );
}

#[test]
fn existing_periods_share_a_bounded_pool_of_previews() {
    let s = Server::start(&[]);
    let preview = |p: &str| {
        for _ in 0..3 {
            let r = s.get(&format!("/api/trang/bao-cao-thang/{p}"));
            assert_eq!(r.status, 200, "{p}: {}", r.text());
        }
    };
    // Counted after a first period: the runtime's pool for blocking work has
    // started its thread, and may start one more when a request comes just as the
    // last one hands its answer back (seen under the whole suite's load).
    preview("2026-01");
    let (threads0, _) = threads_and_rss(s.child.id());
    for p in ["2026-02", "2026-03", "2026-Q1", "2025-11", "2026", "2026-H1", "2026-9T", "2020-07"] {
        preview(p);
    }
    let (threads1, _) = threads_and_rss(s.child.id());
    // Eight more periods: not a thread each.
    assert!(threads1 <= threads0 + 2, "threads {threads0} -> {threads1}");
}

/// Every GET route of the server, for one report and period.
fn every_get(s: &Server) -> Vec<(String, Resp)> {
    let paths = [
        "/",
        "/so-lieu/2026-02",
        "/so-lieu/2026-02?tep=y_te.csv&bao_cao=bao-cao-thang",
        "/bao-cao/bao-cao-thang/2026-02",
        "/bao-cao/bao-cao-thang/2026-03",
        "/doan/bao-cao-thang/mo-dau",
        "/tai-ve/2026-02/nong_nghiep.csv:nong_nghiep/csv",
        "/tai-ve/2026-02/nong_nghiep.csv:nong_nghiep/xlsx",
        "/pdf/bao-cao-thang/2026-02/moi-nhat",
        "/anh/bao-cao-thang/2026-02/1",
        "/ve/bao-cao-thang/2026-02/1",
        "/chu/bao-cao-thang/2026-02/1",
        "/api/trang/bao-cao-thang/2026-02",
        "/tep/app.js",
        "/dang-nhap",
        "/nop/2026-02",
        "/api/lich-su-o/2026-02/nong_nghiep.csv?code=dan_trau&column=gia_tri",
    ];
    paths.iter().map(|p| (p.to_string(), s.get(p))).collect()
}

#[test]
fn no_get_writes_a_version_an_audit_line_or_a_file() {
    let s = Server::start(&[]);
    s.wait_preview(REPORT, 0);
    let dirs = ["data", "out"];
    let before = tree_hash(s.scratch.path(), &dirs);
    for round in 0..2 {
        for (path, r) in every_get(&s) {
            assert!(r.status < 500, "{path}: {} {}", r.status, r.text());
        }
        s.wait_preview(REPORT, 0);
        s.wait_preview("bao-cao-thang/2026-03", 0);
        assert_eq!(tree_hash(s.scratch.path(), &dirs), before, "round {round}");
    }
    assert!(!s.scratch.file("out").join("lich-su").exists(), "a GET made a version");
    // An edit changes the preview only; "Tạo PDF" makes the one version.
    let hash = sha(&std::fs::read(s.scratch.file(NN)).unwrap());
    let st = s.get("/api/trang/bao-cao-thang/2026-02").json();
    let edit = json!({"period": "2026-02", "file": "nong_nghiep.csv", "sheet": "nong_nghiep", "code": "dan_trau", "column": "gia_tri", "value": "90.000", "hash": hash});
    assert_eq!(s.post_json("/api/luu", &edit).status, 200);
    let st2 = s.wait_preview(REPORT, st["generation"].as_u64().unwrap());
    assert!(st2["version"].is_null(), "an edit wrote a version: {st2}");
    assert!(!s.scratch.file("out/bao-cao-thang-2026-02.pdf").exists());
    assert_eq!(s.post_json("/api/tao-pdf/bao-cao-thang/2026-02", &json!({})).status, 200);
    let st3 = s.wait_preview(REPORT, 0);
    assert_eq!(st3["version"].as_u64(), Some(1), "{st3}");
    assert!(s.scratch.file("out/bao-cao-thang-2026-02.pdf").is_file());
}

#[test]
fn non_canonical_periods_are_not_found_never_500() {
    let s = Server::start(&[]);
    for p in ["2026-q1", "%202026-02", "2026-02%20", "2026-2", "2026-Q5", "q1", "2026-h1", "0000"] {
        for route in ["/so-lieu/", "/nop/", "/bao-cao/bao-cao-thang/", "/api/trang/bao-cao-thang/"] {
            let r = s.get(&format!("{route}{p}"));
            assert!(r.status == 404 || r.status == 400, "{route}{p}: {} {}", r.status, r.text());
        }
    }
    assert_eq!(s.get("/so-lieu/2026-Q1").status, 200);
}

/// The entries of a period's change log from line `from` on: (kind, reason).
fn log_from(s: &Scratch, from: usize) -> Vec<(String, Option<String>)> {
    let text = std::fs::read_to_string(s.file("data/2026-02/nhat-ky.jsonl")).unwrap_or_default();
    text.lines()
        .skip(from)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            (
                v["loai"].as_str().unwrap_or("").to_string(),
                v["ly_do"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn log_len(s: &Scratch) -> usize {
    std::fs::read_to_string(s.file("data/2026-02/nhat-ky.jsonl"))
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

/// Issue against save, `rounds` times; the issue by the web (`cli` false) or by
/// `baocao ban-hanh`. Returns (edits after an issue without a reason, saves that won, issues).
fn race(s: &Server, rounds: usize, cli: bool) -> (usize, usize, usize) {
    let record = s.scratch.file("out/lich-su/bao-cao-thang/2026-02/ban-hanh.json");
    let (mut bad, mut saved, mut issued) = (0, 0, 0);
    for round in 0..rounds {
        let _ = std::fs::remove_file(&record);
        let start = log_len(&s.scratch);
        let hash = sha(&std::fs::read(s.scratch.file(NN)).unwrap());
        let value = format!("{}", 80_000 + round);
        let edit = json!({"period": "2026-02", "file": "nong_nghiep.csv", "sheet": "nong_nghiep", "code": "dan_trau", "column": "gia_tri", "value": value, "hash": hash});
        let (save, issue) = std::thread::scope(|t| {
            let save = t.spawn(|| s.post_json("/api/luu", &edit).status);
            let issue = if cli {
                s.scratch
                    .run(&[
                        "ban-hanh",
                        "--period",
                        "2026-02",
                        "--version",
                        "1",
                        "--xac-nhan",
                        "Bản gốc in như vậy",
                    ])
                    .code
                    == 0
            } else {
                let r = s.post_json("/api/ban-hanh/bao-cao-thang/2026-02/1", &json!({"xac_nhan": "Bản gốc in như vậy"}));
                r.status == 200
            };
            (save.join().unwrap(), issue)
        });
        saved += usize::from(save == 200);
        issued += usize::from(issue);
        let log = log_from(&s.scratch, start);
        let after_issue = log.iter().skip_while(|(k, _)| k != "ban-hanh").skip(1);
        bad += after_issue.filter(|(k, r)| k == "sua-so-lieu" && r.is_none()).count();
    }
    (bad, saved, issued)
}

#[test]
fn no_edit_lands_after_an_issue_without_a_reason() {
    let s = Server::start(&[]);
    assert_eq!(s.post_json("/api/tao-pdf/bao-cao-thang/2026-02", &json!({})).status, 200);
    let st = s.wait_preview(REPORT, 0);
    assert_eq!(st["version"].as_u64(), Some(1), "{st}");
    let web = race(&s, 200, false);
    eprintln!("web: {web:?}");
    assert_eq!(web.0, 0, "edits after the issue without a reason (web): {web:?}");
    assert!(web.1 > 0 && web.2 > 0, "{web:?}");
    let cli = race(&s, 200, true);
    eprintln!("cli: {cli:?}");
    assert_eq!(cli.0, 0, "edits after the issue without a reason (CLI): {cli:?}");
    assert!(cli.1 > 0 && cli.2 > 0, "{cli:?}");
}

#[test]
fn the_next_page_after_login_stays_on_this_server() {
    let scratch = Scratch::new();
    let r = crate::server::accounts_cli(&scratch, &["them", "van-phong", "--vai-tro", "van-phong"], "mat-khau-dai-1\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = Server::start_in(scratch, &[], &[]);
    for bad in [
        "/\t/evil.example",
        "/\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        " /x",
    ] {
        let body = format!("ten=van-phong&mat_khau=mat-khau-dai-1&tiep={}", crate::server::form_encode(bad));
        let r = s.post_form("/dang-nhap", &body);
        assert_eq!(r.status, 303, "{bad:?}: {}", r.text());
        assert_eq!(r.header("location"), Some("/"), "{bad:?}");
    }
}

#[test]
fn sessions_end_on_password_change_role_change_and_delete() {
    let scratch = Scratch::new();
    let add = |args: &[&str], pw: &str| {
        let r = crate::server::accounts_cli(&scratch, args, &format!("{pw}\n"));
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    add(&["them", "van-phong", "--vai-tro", "van-phong"], "mat-khau-vp-1");
    add(&["them", "so-y-te", "--vai-tro", "so", "--linh-vuc", "y_te"], "mat-khau-yt-1");
    let s = Server::start_in(scratch, &[], &[]);
    // Password change ends the session.
    s.sign_in("van-phong", "mat-khau-vp-1");
    assert_eq!(s.get("/api/trang/bao-cao-thang/2026-02").status, 200);
    let r = crate::server::accounts_cli(&s.scratch, &["doi-mat-khau", "van-phong"], "mat-khau-vp-2\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        s.get("/api/trang/bao-cao-thang/2026-02").status,
        403,
        "session outlived a password change"
    );
    // A department session does not become an office one by delete and re-create.
    s.sign_in("so-y-te", "mat-khau-yt-1");
    assert_eq!(s.post_json("/api/ky-moi", &json!({})).status, 403);
    assert_eq!(crate::server::accounts_cli(&s.scratch, &["xoa", "so-y-te"], "").code, 0);
    let r = crate::server::accounts_cli(&s.scratch, &["them", "so-y-te", "--vai-tro", "van-phong"], "mat-khau-yt-1\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let again = s.post_json("/api/ky-moi", &json!({}));
    assert_eq!(again.status, 403, "old department session got office rights: {}", again.text());
    assert!(!s.scratch.file("data/2026-04").exists());
}

#[test]
fn the_printed_token_is_exchanged_for_an_expiring_cookie_and_leaves_the_url() {
    let s = Server::start(&["--host", "0.0.0.0", "--plain-http"]);
    let token = s.url.split("?ma=").nth(1).unwrap().to_string();
    let r = s.get(&format!("/so-lieu/2026-02?ma={token}"));
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/so-lieu/2026-02"), "redirect to the clean URL");
    let set = r.header("set-cookie").unwrap().to_string();
    assert!(!set.contains(&token), "the token itself went into a cookie: {set}");
    assert!(set.contains("Max-Age=") && set.contains("HttpOnly"), "{set}");
    let forged = format!("baocao_ma={token}");
    let host = s.host();
    let bad = s.raw("GET", "/so-lieu/2026-02", &[("Host", &host), ("Cookie", &forged)], b"");
    assert_eq!(bad.status, 401, "the token works as a cookie");
    let cookie = set.split(';').next().unwrap().to_string();
    let ok = s.raw("GET", "/so-lieu/2026-02", &[("Host", &host), ("Cookie", &cookie)], b"");
    assert_eq!(ok.status, 200);
}

/// A file edited outside baocao is noticed by the pages (a warning) but logged
/// only by an explicit action: looking at every page writes nothing, not even
/// the "đổi ngoài baocao" line or its kept copy (the gap found after issue 24).
#[test]
fn an_outside_edit_is_not_logged_by_looking() {
    let scratch = Scratch::new();
    let r = scratch.run(&["check", "--period", "2026-02"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    scratch.edit(NN, "84.860", "84.999");
    let s = Server::start_in(scratch, &[], &[]);
    s.wait_preview(REPORT, 0);
    let dirs = ["data", "out"];
    let before = tree_hash(s.scratch.path(), &dirs);
    for (path, r) in every_get(&s) {
        assert!(r.status < 500, "{path}: {} {}", r.status, r.text());
    }
    s.wait_preview("bao-cao-thang/2026-03", 0);
    assert_eq!(tree_hash(s.scratch.path(), &dirs), before, "a GET logged the outside edit");
    let log = s.scratch.file("data/2026-02/nhat-ky.jsonl");
    assert!(!std::fs::read_to_string(&log).unwrap_or_default().contains("84.999"));
    // The explicit action (a check) logs it, once.
    let r = s.scratch.run(&["check", "--period", "2026-02"]);
    assert!(r.stdout.contains("ngoài baocao"), "{}", r.stdout);
    assert!(std::fs::read_to_string(&log).unwrap().contains("84.999"));
}

/// Finding 8: a link inside data/ is never followed, to serve a file or to write
/// one. The outside file here is a valid sector CSV with a marker, so only the
/// refusal of the link (not a parse error) keeps it from being served.
#[cfg(unix)]
#[test]
fn links_inside_the_project_are_refused_and_nothing_outside_leaks_or_is_written() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("bi-mat.csv");
    let marker = "BIMAT_NGOAI_DU_AN_8";
    std::fs::write(
        &secret,
        format!(
            "ma,ten,don_vi,gia_tri,cha,trong_do,cung_ky,du_toan_tw,du_toan_hdnd,ke_hoach,tong_hop,ghi_chu\nx,{marker},ca,1,,,,,,,cong,\n"
        ),
    )
    .unwrap();
    let written_dir = outside.path().join("ghi-ra");
    std::fs::create_dir(&written_dir).unwrap();
    let scratch = Scratch::new();
    std::os::unix::fs::symlink(&secret, scratch.file("data/2026-02/passwd.csv")).unwrap();
    std::os::unix::fs::symlink(&written_dir, scratch.file("data/2026-02/ban-cu")).unwrap();
    let s = Server::start_in(scratch, &[], &[]);
    for path in [
        "/tai-ve/2026-02/passwd.csv/csv",
        "/tai-ve/2026-02/passwd.csv/xlsx",
        "/so-lieu/2026-02?tep=passwd.csv",
        "/so-lieu/2026-02?bao_cao=bao-cao-thang&tep=passwd.csv",
        "/api/trang/bao-cao-thang/2026-02",
        "/chu/bao-cao-thang/2026-02/1",
    ] {
        let r = s.get(path);
        assert!(!r.text().contains(marker), "{path} leaked the outside file: {}", r.text());
        if path.starts_with("/tai-ve/") {
            assert_eq!(r.status, 403, "{path}: {}", r.text());
            let msg = r.json()["loi"].as_str().unwrap_or_default().to_string();
            assert!(msg.contains("passwd.csv") && msg.contains("liên kết"), "{msg}");
        }
    }
    // An upload keeps the replaced file in ban-cu/, here a link to a folder outside:
    // refused, and nothing is written there.
    let y_te = s.scratch.read("data/2026-02/y_te.csv").replacen(",129,", ",130,", 1);
    let up = s.post_bytes("/api/tai-len/2026-02/y_te.csv", y_te.as_bytes());
    assert_ne!(up.status, 200, "{}", up.text());
    assert!(up.text().contains("ban-cu"), "names the link: {}", up.text());
    assert_eq!(std::fs::read_dir(&written_dir).unwrap().count(), 0, "written outside the project");
    assert!(std::fs::read_to_string(&secret).unwrap().contains(marker));
}

/// One login POST to the server on 127.0.0.1, sent from the source address `from`
/// (any 127.0.0.x: each is another computer to the server).
fn login_from(s: &Server, from: [u8; 4], name: &str, password: &str) -> Resp {
    use std::io::{Read, Write};
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let stream = rt.block_on(async {
        let sock = tokio::net::TcpSocket::new_v4().unwrap();
        sock.bind((std::net::Ipv4Addr::from(from), 0).into()).unwrap();
        sock.connect(([127, 0, 0, 1], s.port).into()).await.unwrap()
    });
    let mut tcp = stream.into_std().unwrap();
    tcp.set_nonblocking(false).unwrap();
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
    let body = format!(
        "ten={}&mat_khau={}&tiep=/",
        crate::server::form_encode(name),
        crate::server::form_encode(password)
    );
    let host = s.host();
    let req = format!(
        "POST /dang-nhap HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    tcp.write_all(req.as_bytes()).unwrap();
    let mut buf = Vec::new();
    tcp.read_to_end(&mut buf).unwrap();
    crate::server::parse(&buf)
}

/// Finding 15: failing a known account's password slows only the address that
/// fails; many addresses together lock the name for new addresses but not for the
/// office's own computer; `baocao nguoi-dung mo-khoa` lifts both at once.
#[test]
fn wrong_passwords_cannot_lock_the_office_out() {
    let vp = ("van-phong", "mat-khau-van-phong");
    let scratch = Scratch::new();
    let r = crate::server::accounts_cli(&scratch, &["them", vp.0, "--vai-tro", "van-phong"], &format!("{}\n", vp.1));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = Server::start_in(scratch, &[], &[]);
    let (office, attacker) = ([127, 0, 0, 1], [127, 0, 0, 66]);
    for _ in 0..5 {
        assert_eq!(login_from(&s, attacker, vp.0, "sai-mat-khau").status, 401);
    }
    let slowed = login_from(&s, attacker, vp.0, vp.1);
    assert_eq!(slowed.status, 429, "the attacker's address waits: {}", slowed.text());
    let own = login_from(&s, office, vp.0, vp.1);
    assert_eq!(own.status, 303, "the office is locked out by another address: {}", own.text());

    // 50 wrong passwords from 50 addresses: the name is locked for a new address...
    for i in 0..50u8 {
        let r = login_from(&s, [127, 0, 1, 10 + i], vp.0, "sai-mat-khau");
        assert_eq!(r.status, 401, "{}", r.text());
    }
    let locked = login_from(&s, [127, 0, 2, 1], vp.0, vp.1);
    assert_eq!(locked.status, 429, "{}", locked.text());
    assert!(locked.text().contains("mo-khoa"), "says how to unlock: {}", locked.text());
    // ...but not for the office's computer, which signed in before.
    assert_eq!(login_from(&s, office, vp.0, vp.1).status, 303);
    for i in 0..50u8 {
        login_from(&s, [127, 0, 3, 10 + i], vp.0, "sai-mat-khau");
    }
    assert_eq!(login_from(&s, [127, 0, 2, 1], vp.0, vp.1).status, 429);

    // The office's unlock (CLI) lifts the lock and the attacker's wait, sessions stay.
    let r = crate::server::accounts_cli(&s.scratch, &["mo-khoa", vp.0], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("mở khoá"), "{}", r.stdout);
    let new_computer = login_from(&s, [127, 0, 2, 1], vp.0, vp.1);
    assert_eq!(new_computer.status, 303, "still locked after mo-khoa: {}", new_computer.text());
    assert_eq!(login_from(&s, attacker, vp.0, "sai-mat-khau").status, 401, "wait lifted");
    let unknown = crate::server::accounts_cli(&s.scratch, &["mo-khoa", "khong-co"], "");
    assert_ne!(unknown.code, 0);
}

/// Finding 14: the accounts file is 0600 and git-ignored in the project.
#[test]
fn the_accounts_file_is_private_and_ignored_by_git() {
    let scratch = Scratch::new();
    let r = crate::server::accounts_cli(&scratch, &["them", "van-phong", "--vai-tro", "van-phong"], "mat-khau-van-phong\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(scratch.file("nguoi-dung.toml")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "nguoi-dung.toml is {mode:o}");
    }
    let ignore = std::fs::read_to_string(crate::common::repo().join(".gitignore")).unwrap();
    for line in ["/nguoi-dung.toml", "/https/"] {
        assert!(ignore.lines().any(|l| l.trim() == line), "{line} not in .gitignore");
    }
}

/// The nice value in a /proc `stat` file: field 19, the 17th after "(name) ".
#[cfg(target_os = "linux")]
fn nice_in(stat: &str) -> i64 {
    stat[stat.rfind(')').unwrap() + 2..].split(' ').nth(16).unwrap().parse().unwrap()
}

/// (thread name, nice value) of each thread of a process, from /proc.
#[cfg(target_os = "linux")]
fn thread_priorities(pid: u32) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for t in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap().flatten() {
        let (Ok(comm), Ok(stat)) = (
            std::fs::read_to_string(t.path().join("comm")),
            std::fs::read_to_string(t.path().join("stat")),
        ) else {
            continue; // the thread ended meanwhile
        };
        out.push((comm.trim().to_string(), nice_in(&stat)));
    }
    out
}

#[cfg(target_os = "linux")]
#[test]
fn reads_are_worked_on_by_threads_that_yield_to_saves_and_previews() {
    let s = Server::start(&[]);
    s.wait_preview(REPORT, 0);
    assert_eq!(s.get("/so-lieu/2026-02").status, 200);
    let threads = thread_priorities(s.child.id());
    // The priority the server was started with (the tests may run lowered).
    let base = nice_in(&std::fs::read_to_string(format!("/proc/{}/stat", s.child.id())).unwrap());
    let reading: Vec<_> = threads.iter().filter(|(n, _)| n.starts_with("baocao-doc")).collect();
    assert!(!reading.is_empty(), "{threads:?}");
    assert!(reading.iter().all(|(_, nice)| *nice == base.max(10)), "{threads:?}");
    // Everything else (saves, the render threads, Typst's layout threads) keeps its priority.
    let others: Vec<_> = threads.iter().filter(|(n, _)| !n.starts_with("baocao-doc")).collect();
    assert!(others.len() >= 4, "{threads:?}");
    assert!(others.iter().all(|(_, nice)| *nice == base), "{threads:?}");
}
