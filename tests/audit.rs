//! The change log with the real binary and the real server: every kind of
//! change is logged with who, when and old → new; a file edited outside
//! baocao is noticed once; a torn last line is tolerated; two writers at once
//! lose nothing and the log replays to the files; SIGKILL loses no
//! acknowledged edit.

use crate::server::audit_helpers;

use crate::common::*;
use crate::server::Server;
use audit_helpers::*;
use baocao::internals::audit::{Entry, Kind};

const NN: &str = "data/2026-02/nong_nghiep.csv";

/// The local user's name as the binary sees it (the tests run it with this environment).
fn me() -> String {
    baocao::Actor::local().name
}

#[test]
fn a_hand_edit_is_noticed_at_the_next_check_and_logged_once_with_its_values() {
    let s = Scratch::new();
    let first = s.run(&["check", "--period", "2026-02"]);
    assert!(!first.stdout.contains("ngoài baocao"), "{}", first.stdout);
    assert!(!s.file("data/2026-02/nhat-ky.jsonl").exists(), "reading alone writes no log line");
    s.edit(NN, "84.860", "84.999");
    let second = s.run(&["check", "--period", "2026-02"]);
    let warning: Vec<&str> = second.stdout.lines().filter(|l| l.contains("ngoài baocao")).collect();
    assert_eq!(warning.len(), 1, "{}", second.stdout);
    assert!(
        warning[0].starts_with("CẢNH BÁO: data/2026-02/nong_nghiep.csv")
            && warning[0].contains("dan_trau gia_tri: \"84.860\" → \"84.999\""),
        "{}",
        warning[0]
    );
    let third = s.run(&["check", "--period", "2026-02"]);
    assert!(!third.stdout.contains("ngoài baocao"), "logged once only:\n{}", third.stdout);
    let (entries, warnings) = log(s.path());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(entries.len(), 1, "{entries:?}");
    let e = &entries[0];
    assert_eq!((e.kind, e.file.as_str()), (Kind::Outside, NN));
    assert_eq!((e.cells[0].old.as_str(), e.cells[0].new.as_str()), ("84.860", "84.999"));
    assert_eq!(e.sha256.as_deref(), Some(hash_of(&s.file(NN)).as_str()));
    let printed = s.run(&["nhat-ky", "--period", "2026-02"]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    assert!(
        printed
            .stdout
            .contains("đổi ngoài baocao  data/2026-02/nong_nghiep.csv  [dan_trau gia_tri: \"84.860\" → \"84.999\"]"),
        "{}",
        printed.stdout
    );
}

#[test]
fn a_torn_last_line_is_skipped_with_a_warning_and_the_next_change_starts_a_new_line() {
    let s = Scratch::new();
    s.run(&["check", "--period", "2026-02"]);
    s.edit(NN, "84.860", "84.999");
    s.run(&["check", "--period", "2026-02"]);
    // A crash in the middle of an append: half a line, no newline.
    let log_file = s.file("data/2026-02/nhat-ky.jsonl");
    let mut bytes = std::fs::read(&log_file).unwrap();
    bytes.extend_from_slice(br#"{"thoi_gian":"2026-03-01T08:00:00+07:00","nguoi":"x","lo"#);
    std::fs::write(&log_file, &bytes).unwrap();
    let r = s.run(&["nhat-ky", "--period", "2026-02"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("1 thay đổi") && r.stderr.contains("dòng 2") && r.stderr.contains("bị ngắt"),
        "{}\n{}",
        r.stdout,
        r.stderr
    );
    s.edit(NN, "84.999", "85.000");
    let c = s.run(&["check", "--period", "2026-02"]);
    assert!(c.stdout.contains("ngoài baocao"), "{}", c.stdout);
    let (entries, warnings) = log(s.path());
    assert_eq!(entries.len(), 2, "the entry after the torn line is whole: {entries:?}");
    assert_eq!(entries[1].cells[0].new, "85.000");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[test]
fn new_period_new_report_issue_and_correction_are_logged_with_who_and_when() {
    let s = Scratch::new();
    let np = s.run(&["new-period", "2026-04", "--from", "2026-02"]);
    assert_eq!(np.code, 0, "{}{}", np.stdout, np.stderr);
    let new = baocao::internals::audit::read(&s.file("data/2026-04"), std::path::Path::new("l")).0;
    assert!(
        !new.is_empty() && new.iter().all(|e| e.kind == Kind::NewPeriod && e.who == me()),
        "{new:?}"
    );
    let y_te = new.iter().find(|e| e.file == "data/2026-04/y_te.csv").unwrap();
    assert_eq!(y_te.sha256.as_deref(), Some(hash_of(&s.file("data/2026-04/y_te.csv")).as_str()));
    assert_eq!(
        std::fs::read(s.file("data/2026-04/.nhat-ky/y_te.csv")).unwrap(),
        std::fs::read(s.file("data/2026-04/y_te.csv")).unwrap()
    );
    let nr = s.run(&["new", "bao-cao-thu", "--from", "bao-cao-thang"]);
    assert_eq!(nr.code, 0, "{}{}", nr.stdout, nr.stderr);
    let current = baocao::internals::audit::read(&s.file("data/2026-04"), std::path::Path::new("l")).0;
    let made = current.iter().find(|e| e.kind == Kind::NewReport).expect("new report type logged");
    assert_eq!(made.file, "templates/bao-cao-thu/mau.toml");
    assert!(chrono::DateTime::parse_from_rfc3339(&made.time).is_ok(), "{}", made.time);

    assert_eq!(s.run(&["render", "--period", "2026-02"]).code, 0);
    // The sample's totals that do not match their parts (as in the original) are acknowledged.
    let issue = s.run(&["ban-hanh", "--period", "2026-02", "--xac-nhan", "bản gốc in như vậy"]);
    assert_eq!(issue.code, 0, "{}{}", issue.stdout, issue.stderr);
    s.edit(NN, "84.860", "84.999");
    let fix = s.run(&["render", "--period", "2026-02", "--ly-do", "Sở NN&MT gửi lại số đàn trâu"]);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    let (entries, _) = log(s.path());
    let kinds: Vec<Kind> = entries.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [Kind::Issue, Kind::Issue, Kind::Outside, Kind::Correction], "{entries:?}");
    assert_eq!(entries[0].who, me());
    assert_eq!(entries[1].reason.as_deref(), Some("bản gốc in như vậy"));
    assert_eq!(entries[3].reason.as_deref(), Some("Sở NN&MT gửi lại số đàn trâu"));
    let printed = s.run(&["nhat-ky", "--period", "2026-02", "--tep", "nong_nghiep.csv"]);
    assert!(
        printed.stdout.contains("1 thay đổi") && printed.stdout.contains("84.999"),
        "{}",
        printed.stdout
    );
}

#[test]
fn web_edits_uploads_and_fragments_are_logged_old_to_new_and_shown_per_cell() {
    let s = Server::start(&[]);
    let p = s.scratch.file(NN);
    let r = save(&s, "nong_nghiep.csv", "dan_trau", "84.861", &hash_of(&p), None);
    assert_eq!(r.status, 200, "{}", r.text());
    let r = save(&s, "nong_nghiep.csv", "dan_trau", "84.862", &hash_of(&p), Some("gõ nhầm"));
    assert_eq!(r.status, 200, "{}", r.text());
    let y_te = s.scratch.read("data/2026-02/y_te.csv").replacen(",129,", ",130,", 1);
    let up = s.post_bytes("/api/tai-len/2026-02/y_te.csv", y_te.as_bytes());
    assert_eq!(up.status, 200, "{}", up.text());
    let names: Vec<String> = baocao::Project::open(s.scratch.path()).fragment_names("bao-cao-thang").unwrap();
    let name = names.first().unwrap().clone();
    let path = s.scratch.file(&format!("templates/bao-cao-thang/{name}.txt"));
    let text = std::fs::read_to_string(&path).unwrap();
    let body = serde_json::json!({"text": format!("{text}\nMột câu thêm."), "hash": hash_of(&path)});
    let f = s.post_json(&format!("/api/doan/bao-cao-thang/{name}"), &body);
    assert_eq!(f.status, 200, "{}", f.text());

    let (entries, _) = log(s.scratch.path());
    let kinds: Vec<Kind> = entries.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [Kind::EditValue, Kind::EditValue, Kind::Upload, Kind::EditFragment],
        "{entries:?}"
    );
    assert!(entries
        .iter()
        .all(|e| e.who == me() && chrono::DateTime::parse_from_rfc3339(&e.time).is_ok()));
    let c = &entries[1].cells[0];
    assert_eq!(
        (c.code.as_str(), c.column.as_str(), c.old.as_str(), c.new.as_str()),
        ("dan_trau", "gia_tri", "84.861", "84.862")
    );
    assert_eq!(entries[1].reason.as_deref(), Some("gõ nhầm"));
    assert_eq!(entries[2].cells[0].new, "130");
    assert!(entries[3].cells.iter().any(|c| c.new == "Một câu thêm."), "{:?}", entries[3]);

    let h = s.get("/api/lich-su-o/2026-02/nong_nghiep.csv?code=dan_trau&column=gia_tri").json();
    let list = h["lich_su"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{h}");
    assert_eq!(list[0]["o"][0]["moi"], "84.861");
    assert_eq!(list[1]["ly_do"], "gõ nhầm");
    for (method, path) in [
        ("POST", "/api/lich-su-o/2026-02/nong_nghiep.csv?code=dan_trau&column=gia_tri"),
        ("PUT", "/api/nhat-ky"),
    ] {
        let (host, origin) = (s.host(), format!("http://{}", s.host()));
        let r = s.raw(method, path, &[("Host", &host), ("Origin", &origin)], b"[]");
        assert!(r.status == 405 || r.status == 404, "{method} {path}: {}", r.status);
    }
}

/// 200 edits of one cell of `file` by the account signed in as `cookie`, each
/// against the hash the last answer gave.
fn edit_stream(s: &Server, cookie: &str, file: &str, code: &str, values: impl Iterator<Item = String>) -> Vec<String> {
    let mut hash = hash_of(&s.scratch.file(&format!("data/2026-02/{file}")));
    let (host, origin) = (s.host(), format!("http://{}", s.host()));
    let headers = [
        ("Host", host.as_str()),
        ("Origin", origin.as_str()),
        ("Content-Type", "application/json"),
        ("Cookie", cookie),
    ];
    let sheet = file.trim_end_matches(".csv");
    let mut done = Vec::new();
    for v in values {
        let body = serde_json::json!({"period": "2026-02", "file": file, "sheet": sheet, "code": code,
            "column": "gia_tri", "value": v, "hash": hash});
        let r = s.raw_plain("POST", "/api/luu", &headers, body.to_string().as_bytes());
        assert_eq!(r.status, 200, "{file} {v}: {}", r.text());
        hash = r.json()["hash"].as_str().unwrap().to_string();
        done.push(v);
    }
    done
}

/// A scratch project with two department accounts: so-y-te (y_te) and so-tai-chinh (tai_chinh).
fn two_departments() -> Scratch {
    let scratch = Scratch::new();
    let r = crate::server::accounts_cli(&scratch, &["them", "van-phong", "--vai-tro", "van-phong"], "mat-khau-vp-1\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (name, sector) in [("so-y-te", "y_te"), ("so-tai-chinh", "tai_chinh")] {
        let r = crate::server::accounts_cli(
            &scratch,
            &["them", name, "--vai-tro", "so", "--linh-vuc", sector],
            "mat-khau-so-1\n",
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    scratch
}

#[test]
fn two_accounts_200_edits_each_at_once_every_edit_in_files_and_log_in_file_order() {
    let s = Server::start_in(two_departments(), &[], &[]);
    let y_te_cookie = format!("baocao_phien={}", s.sign_in("so-y-te", "mat-khau-so-1"));
    let tc_cookie = format!("baocao_phien={}", s.sign_in("so-tai-chinh", "mat-khau-so-1"));
    let y_te0 = std::fs::read(s.scratch.file("data/2026-02/y_te.csv")).unwrap();
    let tc0 = std::fs::read(s.scratch.file("data/2026-02/tai_chinh.csv")).unwrap();
    let started = std::time::Instant::now();
    let (a, b) = std::thread::scope(|t| {
        let a = t.spawn(|| {
            edit_stream(
                &s,
                &y_te_cookie,
                "y_te.csv",
                "tay_chan_mieng",
                (0..200).map(|i| (130 + i).to_string()),
            )
        });
        let b = t.spawn(|| {
            edit_stream(
                &s,
                &tc_cookie,
                "tai_chinh.csv",
                "chi_nsdp",
                (0..200).map(|i| format!("{},5", 500 + i)),
            )
        });
        (a.join().unwrap(), b.join().unwrap())
    });
    eprintln!("400 edits in {:.1} s", started.elapsed().as_secs_f64());
    let (entries, warnings) = log(s.scratch.path());
    assert!(warnings.is_empty(), "{warnings:?}");
    for (file, who, original, sent) in [("y_te.csv", "so-y-te", &y_te0, &a), ("tai_chinh.csv", "so-tai-chinh", &tc0, &b)] {
        let rel = format!("data/2026-02/{file}");
        let mine: Vec<&Entry> = entries.iter().filter(|e| e.file == rel).collect();
        assert!(mine.iter().all(|e| e.who == who), "{file}: every edit is logged under {who}");
        let logged: Vec<&str> = mine.iter().map(|e| e.cells[0].new.as_str()).collect();
        assert_eq!(
            logged,
            sent.iter().map(String::as_str).collect::<Vec<_>>(),
            "{file}: log order is the order of the saves"
        );
        let (replayed, n) = replay(original, &entries, file);
        assert_eq!(n, 200);
        assert_eq!(
            replayed,
            std::fs::read(s.scratch.file(&rel)).unwrap(),
            "{file}: replaying the log gives the file"
        );
    }
    // Both writers really interleaved in the log (they ran at the same time).
    let files: Vec<&str> = entries.iter().map(|e| e.file.as_str()).collect();
    let switches = files.windows(2).filter(|w| w[0] != w[1]).count();
    assert!(switches > 10, "the two streams did not overlap ({switches} switches)");
}

#[test]
fn sigkill_in_a_stream_of_edits_loses_no_acknowledged_edit_and_tears_nothing() {
    let s = Server::start(&[]);
    let file = s.scratch.file("data/2026-02/y_te.csv");
    let acked = std::sync::Mutex::new(Vec::<String>::new());
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (port, host) = (s.port, s.host());
    let scratch = std::thread::scope(|t| {
        t.spawn(|| {
            let mut hash = hash_of(&file);
            for i in 0.. {
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let v = (200 + i).to_string();
                let body = serde_json::json!({"period": "2026-02", "file": "y_te.csv", "sheet": "y_te", "code": "tay_chan_mieng", "column": "gia_tri", "value": v, "hash": hash}).to_string();
                // A raw request that tolerates the server dying mid-answer.
                let Some(answer) = try_post(port, &host, body.as_bytes()) else { break };
                let Some(h) = answer else { break };
                hash = h;
                acked.lock().unwrap().push(v);
            }
        });
        while acked.lock().unwrap().len() < 25 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let scratch = kill(s);
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        scratch
    });
    let acked = acked.into_inner().unwrap();
    let bytes = std::fs::read(&file).unwrap();
    let text = String::from_utf8(bytes).expect("file whole (UTF-8)");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("file parses")).collect();
    let value = rows.iter().find(|r| &r[0] == "tay_chan_mieng").unwrap()[3].to_string();
    let last: u32 = acked.last().unwrap().parse().unwrap();
    assert!(
        value == last.to_string() || value == (last + 1).to_string(),
        "file has {value}, last acknowledged {last}"
    );
    let (entries, warnings) = log(scratch.path());
    assert!(warnings.len() <= 1, "{warnings:?}");
    let logged: Vec<&str> = entries
        .iter()
        .filter(|e| e.kind == Kind::EditValue)
        .map(|e| e.cells[0].new.as_str())
        .collect();
    assert!(logged.len() >= acked.len(), "{} logged, {} acknowledged", logged.len(), acked.len());
    assert_eq!(
        &logged[..acked.len()],
        acked.iter().map(String::as_str).collect::<Vec<_>>(),
        "every acknowledged edit is logged, in order"
    );
    // Restart on the same folder: it reads, checks and logs on as before.
    let s = start_in(scratch);
    assert_eq!(s.get("/so-lieu/2026-02?tep=y_te.csv").status, 200);
    let r = save(&s, "y_te.csv", "tay_chan_mieng", "999", &hash_of(&file), None);
    assert_eq!(r.status, 200, "{}", r.text());
    let (after, _) = log(s.scratch.path());
    assert_eq!(after.last().unwrap().cells[0].new, "999");
    let printed = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["nhat-ky", "--period", "2026-02"])
        .current_dir(s.scratch.path())
        .output()
        .unwrap();
    assert!(printed.status.success());
}

/// POSTs a save; None when the connection broke (server killed), Some(None) on a refusal,
/// Some(Some(hash)) when acknowledged.
fn try_post(port: u16, host: &str, body: &[u8]) -> Option<Option<String>> {
    use std::io::{Read, Write};
    let mut c = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    let origin = format!("http://{host}");
    let head = format!(
        "POST /api/luu HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    c.write_all(head.as_bytes()).ok()?;
    c.write_all(body).ok()?;
    let mut buf = Vec::new();
    c.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf);
    if !text.starts_with("HTTP/1.1 200") {
        return if text.is_empty() { None } else { Some(None) };
    }
    let json = text.split("\r\n\r\n").nth(1)?;
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    Some(v["hash"].as_str().map(str::to_string))
}
