//! `cargo bench --bench serve_load`: a bounded load test of `baocao serve` on
//! loopback (issues 27 and 28).
//!
//! The real binary serves a scratch copy of the project on 127.0.0.1.
//! 1. Warm-up: 100 edits one after another, then the server idles; its
//!    resident memory is "after 100 edits".
//! 2. The mix, for `BAOCAO_LOAD_SECS` seconds (default 30):
//!    - 20 readers loop over pages, the preview state and a CSV download;
//!    - 5 savers each correct one figure of their own sector file, as the page
//!      does (`POST /api/luu` with the hash the last save answered), back and
//!      forth, at 2 saves a second each (`BAOCAO_LOAD_PACE=0`: back to back);
//!    - an attacker requests 2.000 distinct periods of the preview routes (each
//!      a 404 without side effects), then goes round them again until the end.
//! 3. Edits one after another until 1.000 in all, then the server idles; its
//!    resident memory is "after 1.000 edits" (and, with BAOCAO_LOAD_MORE=N, the
//!    same edits on to N: whether memory still grows once the mix is over).
//!
//! Reported: saves and reads p50/p95/p99, the attacker's pass, the server's
//! resident memory after 100 and 1.000 edits, and its threads. Any error (a
//! save that is not 200, a read that is not 200, an attacker request that is
//! not 404, a failed connection) fails the run. It measures; it asserts no
//! speed (the targets are in docs/hieu-nang.md).
//!
//! `BAOCAO_LOAD_SMAPS=DIR` keeps the server's memory map and thread names after
//! 100 edits, after the mix and after 1.000 (`smaps-*`, `threads-*`).

mod common;
use common::copy_dir;
use common::http::request;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const READERS: usize = 20;
const SAVERS: [(&str, &str, [&str; 2]); 5] = [
    ("nong_nghiep.csv", "dan_trau", ["84.861", "84.860"]),
    ("y_te.csv", "tay_chan_mieng", ["130", "129"]),
    ("cong_nghiep.csv", "gtsx", ["307,3", "307,2"]),
    ("lao_dong.csv", "giai_quyet_viec_lam", ["712", "711"]),
    ("doanh_nghiep.csv", "thanh_lap_moi", ["38", "37"]),
];
const READS: [&str; 5] = [
    "/",
    "/so-lieu/2026-02",
    "/api/trang/bao-cao-thang/2026-02",
    "/tai-ve/2026-02/y_te.csv/csv",
    "/so-lieu/2026-02?bao_cao=bao-cao-thang&tep=nong_nghiep.csv",
];

/// (resident MB, threads) of a process.
/// BAOCAO_LOAD_SMAPS=DIR: the server's memory map at a point (`smaps-<at>`),
/// to see which mappings hold what the server keeps.
fn keep_smaps(pid: u32, at: &str) {
    if let Some(dir) = std::env::var_os("BAOCAO_LOAD_SMAPS") {
        let smaps = std::fs::read(format!("/proc/{pid}/smaps")).unwrap_or_default();
        std::fs::write(std::path::Path::new(&dir).join(format!("smaps-{at}")), smaps).unwrap();
        let mut names = String::new();
        for t in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap().flatten() {
            names.push_str(&std::fs::read_to_string(t.path().join("comm")).unwrap_or_default());
        }
        std::fs::write(std::path::Path::new(&dir).join(format!("threads-{at}")), names).unwrap();
    }
}

fn rss_threads(pid: u32) -> (f64, u64) {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| -> u64 {
        s.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:") as f64 / 1024.0, field("Threads:"))
}

/// 2.000 distinct valid periods that have no data folder.
fn distinct_periods(n: usize) -> Vec<String> {
    let mut out = Vec::new();
    'all: for year in 1900..3000 {
        if (2020..=2026).contains(&year) {
            continue;
        }
        for suffix in ["", "-Q1", "-Q2", "-H1", "-9T", "-05", "-11"] {
            if out.len() == n {
                break 'all;
            }
            out.push(format!("{year}{suffix}"));
        }
    }
    out
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One saver: a figure of its own sector file, set back and forth between two values.
struct Saver {
    file: &'static str,
    code: &'static str,
    values: [&'static str; 2],
    path: std::path::PathBuf,
    hash: String,
    n: usize,
}

impl Saver {
    fn new(dir: &Path, (file, code, values): (&'static str, &'static str, [&'static str; 2])) -> Saver {
        let path = dir.join("data/2026-02").join(file);
        let hash = baocao::internals::sha256_hex(&std::fs::read(&path).unwrap());
        Saver {
            file,
            code,
            values,
            path,
            hash,
            n: 0,
        }
    }

    /// Saves the next value as the page does; the time of a 200 answer in ms.
    fn save(&mut self, port: u16) -> Result<f64, String> {
        let body = serde_json::json!({"period": "2026-02", "file": self.file, "sheet": self.file.trim_end_matches(".csv"),
            "code": self.code, "column": "gia_tri", "value": self.values[self.n % 2], "hash": self.hash});
        self.n += 1;
        let t = Instant::now();
        match request(port, "POST", "/api/luu", body.to_string().as_bytes()) {
            Ok((200, b)) => {
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                let v: serde_json::Value = serde_json::from_slice(&b).unwrap_or_default();
                self.hash = v["hash"].as_str().unwrap_or_default().to_string();
                Ok(ms)
            }
            Ok((st, b)) => {
                self.hash = baocao::internals::sha256_hex(&std::fs::read(&self.path).unwrap());
                Err(format!("save {}: {st} {}", self.file, String::from_utf8_lossy(&b)))
            }
            Err(e) => Err(format!("save {}: {e}", self.file)),
        }
    }
}

/// Edits one after another, round the savers, until `total` edits were saved.
fn edit_until(port: u16, savers: &mut [Saver], done: &AtomicU64, total: u64) {
    let mut i = 0;
    while done.load(Ordering::SeqCst) < total {
        let k = i % savers.len();
        i += 1;
        savers[k].save(port).unwrap_or_else(|e| panic!("{e}"));
        done.fetch_add(1, Ordering::SeqCst);
    }
}

/// Waits until the preview rendered everything asked (a quiet server).
fn wait_idle(port: u16) {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(300) {
        if let Ok((200, b)) = request(port, "GET", "/api/trang/bao-cao-thang/2026-02", b"") {
            let st: serde_json::Value = serde_json::from_slice(&b).unwrap_or_default();
            if st["generation"].as_u64().unwrap_or(0) > 0 && !st["running"].as_bool().unwrap_or(true) {
                std::thread::sleep(Duration::from_millis(500));
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// p50 / p95 / p99 / max of a sorted list, as a line.
fn spread(sorted: &[f64]) -> String {
    format!(
        "p50 {:.0} ms, p95 {:.0} ms, p99 {:.0} ms, min {:.0} ms, max {:.0} ms",
        pct(sorted, 0.50),
        pct(sorted, 0.95),
        pct(sorted, 0.99),
        sorted.first().copied().unwrap_or(f64::NAN),
        sorted.last().copied().unwrap_or(f64::NAN)
    )
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing special: run only under bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let secs: u64 = std::env::var("BAOCAO_LOAD_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(30);
    let paced = std::env::var("BAOCAO_LOAD_PACE").map(|v| v != "0").unwrap_or(true);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("baocao-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&repo.join("data"), &dir.join("data"));
    copy_dir(&repo.join("templates"), &dir.join("templates"));
    std::fs::copy(repo.join("baocao.toml"), dir.join("baocao.toml")).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["serve", "--port", "0", "--no-browser"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let l = lines.next().expect("server ended before its URL").unwrap();
        if l.starts_with("http://") {
            break l;
        }
    };
    std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
    let server = Server(child);
    let pid = server.0.id();
    let port: u16 = url.trim_end_matches('/').rsplit(':').next().unwrap().parse().unwrap();

    // Wait for the first preview, so "before" is a warm server.
    wait_idle(port);
    let (rss0, threads0) = rss_threads(pid);
    let edits = Arc::new(AtomicU64::new(0));
    let mut savers: Vec<Saver> = SAVERS.iter().map(|s| Saver::new(&dir, *s)).collect();
    edit_until(port, &mut savers, &edits, 100);
    wait_idle(port);
    let (rss100, _) = rss_threads(pid);
    keep_smaps(pid, "100");

    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let save_ms = Arc::new(Mutex::new(Vec::<f64>::new()));
    let read_ms = Arc::new(Mutex::new(Vec::<f64>::new()));
    let attacks = Arc::new(AtomicU64::new(0));
    let first_pass = Arc::new(Mutex::new(None::<Duration>));
    let mut handles = Vec::new();

    for i in 0..READERS {
        let (stop, errors, read_ms) = (stop.clone(), errors.clone(), read_ms.clone());
        handles.push(std::thread::spawn(move || {
            let mut k = i;
            while !stop.load(Ordering::Relaxed) {
                let path = READS[k % READS.len()];
                k += 1;
                let t = Instant::now();
                match request(port, "GET", path, b"") {
                    Ok((200, _)) => read_ms.lock().unwrap().push(t.elapsed().as_secs_f64() * 1000.0),
                    Ok((st, b)) => errors
                        .lock()
                        .unwrap()
                        .push(format!("GET {path}: {st} {}", String::from_utf8_lossy(&b))),
                    Err(e) => errors.lock().unwrap().push(format!("GET {path}: {e}")),
                }
            }
            None
        }));
    }
    for mut saver in savers.drain(..) {
        let (stop, errors, save_ms, edits) = (stop.clone(), errors.clone(), save_ms.clone(), edits.clone());
        handles.push(std::thread::spawn(move || {
            let mut next = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                if paced {
                    std::thread::sleep(next.saturating_duration_since(Instant::now()));
                    next = next.max(Instant::now() - Duration::from_millis(500)) + Duration::from_millis(500);
                }
                match saver.save(port) {
                    Ok(ms) => {
                        save_ms.lock().unwrap().push(ms);
                        edits.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(e) => errors.lock().unwrap().push(e),
                }
            }
            Some(saver)
        }));
    }
    {
        let (stop, errors, attacks, first_pass) = (stop.clone(), errors.clone(), attacks.clone(), first_pass.clone());
        handles.push(std::thread::spawn(move || {
            let periods = distinct_periods(2000);
            let routes = ["/api/trang", "/anh", "/chu", "/bao-cao", "/su-kien"];
            let start = Instant::now();
            let mut i = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let route = routes[i % routes.len()];
                let tail = if route == "/anh" || route == "/chu" { "/1" } else { "" };
                let path = format!("{route}/bao-cao-thang/{}{tail}", periods[i % periods.len()]);
                match request(port, "GET", &path, b"") {
                    Ok((404, _)) => {}
                    Ok((st, _)) => errors.lock().unwrap().push(format!("attack {path}: {st}")),
                    Err(e) => errors.lock().unwrap().push(format!("attack {path}: {e}")),
                }
                i += 1;
                attacks.fetch_add(1, Ordering::Relaxed);
                if i == periods.len() {
                    *first_pass.lock().unwrap() = Some(start.elapsed());
                }
            }
            None
        }));
    }
    let mut peak = (rss0, threads0);
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(secs) {
        std::thread::sleep(Duration::from_millis(250));
        let (r, th) = rss_threads(pid);
        peak = (peak.0.max(r), peak.1.max(th));
    }
    stop.store(true, Ordering::Relaxed);
    savers.extend(handles.into_iter().filter_map(|h| h.join().unwrap()));
    let in_mix = edits.load(Ordering::SeqCst) - 100;
    wait_idle(port);
    let (rss_mix, threads1) = rss_threads(pid);
    keep_smaps(pid, "mix");
    edit_until(port, &mut savers, &edits, 1000);
    wait_idle(port);
    let (rss1000, _) = rss_threads(pid);
    keep_smaps(pid, "1000");
    // BAOCAO_LOAD_MORE=N: the same edits on to N, to tell a step left by the mix from growth.
    let more: Option<u64> = std::env::var("BAOCAO_LOAD_MORE")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 1000);
    let after_more = more.map(|n| {
        edit_until(port, &mut savers, &edits, n);
        wait_idle(port);
        (n, rss_threads(pid).0)
    });

    let mut saves = save_ms.lock().unwrap().clone();
    let mut reads = read_ms.lock().unwrap().clone();
    saves.sort_by(f64::total_cmp);
    reads.sort_by(f64::total_cmp);
    let errors = errors.lock().unwrap().clone();
    let pace = if paced { "2 saves/s each" } else { "back to back" };
    println!(
        "serve_load: {secs} s, {READERS} readers, {} savers ({pace}), 1 attacker (2.000 distinct periods)",
        SAVERS.len()
    );
    println!("  saves: {} done in the mix, {}", saves.len(), spread(&saves));
    println!("  reads: {} done, {}", reads.len(), spread(&reads));
    match *first_pass.lock().unwrap() {
        Some(d) => println!(
            "  attacker: {} requests, the 2.000 distinct periods took {:.1} s",
            attacks.load(Ordering::Relaxed),
            d.as_secs_f64()
        ),
        None => println!(
            "  attacker: {} requests (the 2.000 were not all sent in time)",
            attacks.load(Ordering::Relaxed)
        ),
    }
    println!(
        "  server RSS: warm {rss0:.0} MB, after 100 edits {rss100:.0} MB, peak in the mix {:.0} MB, after the mix ({} edits) {rss_mix:.0} MB, after 1.000 edits {rss1000:.0} MB ({:+.1} % against 100)",
        peak.0,
        100 + in_mix,
        (rss1000 / rss100 - 1.0) * 100.0
    );
    if let Some((n, rss)) = after_more {
        println!(
            "  server RSS after {n} edits: {rss:.0} MB ({:+.1} % against 1.000)",
            (rss / rss1000 - 1.0) * 100.0
        );
    }
    println!("  threads: warm {threads0}, peak {}, after the mix {threads1}", peak.1);
    println!("  errors: {}", errors.len());
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        errors.is_empty(),
        "errors under load:\n{}",
        errors[..errors.len().min(20)].join("\n")
    );
    assert!(!saves.is_empty() && !reads.is_empty(), "nothing was measured");
}
