//! `cargo bench --bench batch`: `render --all` of N unit reports (N = 8, 100, 300;
//! BATCH_SIZES=8,100 to choose), each the February sample with one figure varied,
//! as a fresh process: wall time, time to the first report written, peak RSS of
//! the process (VmHWM, read with /usr/bin/time; polled from /proc otherwise).
//!
//! Anchor, in the same run: the typst CLI (TYPST_BIN=/path/to/typst) compiling
//! the same emitted source of every report, one process per report, as many at
//! once as there are cores (what a shell loop over `typst compile` does at best).
//! Without TYPST_BIN the anchor is skipped and the bench says so.
//! BATCH_RUNS (default 3) runs of each size; BATCH_ANCHOR_MAX (default 100) is
//! the largest N the anchor runs for (its setup emits every report's source).

mod common;
use common::{copy_dir, repo};

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A project with only the monthly report type and `n` months, each the
/// February sample with đàn trâu varied (so no two reports are the same).
fn project(root: &Path, n: usize) -> Vec<String> {
    let repo = repo();
    std::fs::create_dir_all(root.join("data")).unwrap();
    for f in ["README.md", "linh-vuc.toml"] {
        std::fs::copy(repo.join("data").join(f), root.join("data").join(f)).unwrap();
    }
    for t in ["_chung", "bao-cao-thang"] {
        copy_dir(&repo.join("templates").join(t), &root.join("templates").join(t));
    }
    std::fs::copy(repo.join("baocao.toml"), root.join("baocao.toml")).unwrap();
    (0..n)
        .map(|i| {
            let period = format!("{}-{:02}", 2040 + i / 12, i % 12 + 1);
            let d = root.join("data").join(&period);
            copy_dir(&repo.join("data/2026-02"), &d);
            let f = d.join("nong_nghiep.csv");
            let t = std::fs::read_to_string(&f)
                .unwrap()
                .replace("84.860", &format!("84.{:03}", i % 1000));
            std::fs::write(f, t).unwrap();
            period
        })
        .collect()
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// min / median / max of `v`.
fn spread(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    format!("{:.2} / {:.2} / {:.2}", v[0], v[v.len() / 2], v[v.len() - 1])
}

struct Run {
    wall: f64,
    first: f64,
    peak_mb: f64,
    cpu: f64,
}

/// `baocao render --all` in `root`: wall time, time to the first progress line
/// (a report written), peak RSS.
fn run_batch(root: &Path) -> Run {
    let _ = std::fs::remove_dir_all(root.join("out"));
    let time = Path::new("/usr/bin/time");
    let rss_file = root.join("rss.txt");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M %P").arg("-o").arg(&rss_file).arg(env!("CARGO_BIN_EXE_baocao"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_baocao"))
    };
    let t = Instant::now();
    let mut child = cmd
        .args(["render", "--all"])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stderr = child.stderr.take().unwrap();
    // Polled VmHWM, for a machine without /usr/bin/time (the child is time's).
    let poll = std::thread::spawn(move || {
        let mut hwm = 0u64;
        while let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if let Some(kb) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            {
                hwm = hwm.max(kb);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        hwm
    });
    let mut first = None;
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        if line.starts_with('[') && first.is_none() {
            first = Some(t.elapsed());
        }
    }
    let status = child.wait().unwrap();
    let wall = t.elapsed();
    assert!(status.success(), "render --all failed");
    let polled = poll.join().unwrap_or(0);
    // "%M %P": peak RSS in KB, CPU share in percent (200% = both of 2 cores).
    let timed = std::fs::read_to_string(&rss_file).unwrap_or_default();
    let mut last = timed.trim().lines().last().unwrap_or_default().split_whitespace();
    let kb: u64 = last.next().and_then(|s| s.parse().ok()).unwrap_or(polled);
    let cpu: f64 = last.next().and_then(|s| s.trim_end_matches('%').parse().ok()).unwrap_or(f64::NAN);
    Run {
        wall: secs(wall),
        first: secs(first.unwrap_or(wall)),
        peak_mb: kb as f64 / 1024.0,
        cpu,
    }
}

/// The anchor: `typst compile` of every emitted source, one process per report,
/// `cores` at a time. Returns wall time and time to the first PDF.
fn run_typst(typst: &Path, sources: &[PathBuf]) -> (f64, f64) {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let first = std::sync::Mutex::new(None::<Duration>);
    let t = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..cores {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(dir) = sources.get(i) else { break };
                let out = Command::new(typst)
                    .args(["compile", "--ignore-system-fonts", "--font-path"])
                    .arg(repo().join("fonts"))
                    .arg("--root")
                    .arg(dir)
                    .arg(dir.join("main.typ"))
                    .arg(dir.join("out.pdf"))
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                first.lock().unwrap().get_or_insert(t.elapsed());
            });
        }
    });
    let wall = t.elapsed();
    (secs(wall), secs(first.into_inner().unwrap().unwrap_or(wall)))
}

fn main() {
    let sizes: Vec<usize> = std::env::var("BATCH_SIZES")
        .unwrap_or_else(|_| "8,100,300".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let runs: usize = std::env::var("BATCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(3).max(1);
    let anchor_max: usize = std::env::var("BATCH_ANCHOR_MAX").ok().and_then(|s| s.parse().ok()).unwrap_or(100);
    let typst = std::env::var_os("TYPST_BIN").map(PathBuf::from);
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("batch: render --all of N reports; {cores} cores; {runs} runs each; min / median / max");
    if typst.is_none() {
        println!("anchor: TYPST_BIN not set, the typst CLI comparison is skipped");
    }
    for n in sizes {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let periods = project(root, n);
        // The anchor's sources: every report emitted (setup, not timed).
        let sources: Vec<PathBuf> = match &typst {
            Some(_) if n <= anchor_max => periods
                .iter()
                .map(|p| {
                    let d = root.join("typ").join(p);
                    let ok = Command::new(env!("CARGO_BIN_EXE_baocao"))
                        .args(["render", "--report", "bao-cao-thang", "--period", p, "--emit-typ"])
                        .arg(&d)
                        .current_dir(root)
                        .output()
                        .unwrap();
                    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
                    d
                })
                .collect(),
            _ => Vec::new(),
        };
        let (mut wall, mut first, mut peak, mut cli, mut cli_first, mut ratio, mut cpu) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            let r = run_batch(root);
            if let (Some(typst), false) = (&typst, sources.is_empty()) {
                let (w, f) = run_typst(typst, &sources);
                cli.push(w);
                cli_first.push(f);
                ratio.push(r.wall / w);
            }
            wall.push(r.wall);
            first.push(r.first / r.wall * 100.0);
            peak.push(r.peak_mb);
            cpu.push(r.cpu);
        }
        println!("N = {n}");
        println!("  baocao render --all   wall s {}", spread(wall.clone()));
        println!("  first report written  % of the run {}", spread(first));
        println!("  peak RSS              MB {}", spread(peak));
        println!("  CPU share             % {} (100 % = one core busy)", spread(cpu));
        let median = {
            let mut w = wall.clone();
            w.sort_by(f64::total_cmp);
            w[w.len() / 2]
        };
        println!("  reports per second    {:.1} (median run)", n as f64 / median);
        if !cli.is_empty() {
            println!("  typst CLI, {cores} at once   wall s {}", spread(cli));
            println!("  typst first PDF       s {}", spread(cli_first));
            println!("  ratio baocao / typst  {} (pair by pair)", spread(ratio));
        } else if typst.is_some() {
            println!("  typst CLI anchor skipped for N > {anchor_max} (BATCH_ANCHOR_MAX)");
        }
    }
}
