//! `cargo bench`: the speed and memory figures of the README's Performance section.
//!
//! 1. cold end-to-end render of the sample report as a fresh process, side by side
//!    (A B A B ...) with `typst compile` on the emitted source and the same fonts
//!    (`--ignore-system-fonts --font-path fonts`), plain and PDF/A-2b as baocao
//!    writes (set TYPST_BIN=/path/to/typst, or have `typst` on PATH; skipped,
//!    and said so, otherwise; BENCH_COLD_RUNS pairs, 15 by default);
//! 2. warm re-render in one process after one corrected figure;
//! 3. a batch of 100 unit reports (the sample data varied per unit) on the batch's
//!    worker pool (see also `--bench batch`: the command, its peak RSS);
//! 4. peak memory of a single render, and memory over 500 warm re-renders.

mod common;
use common::{copy_dir, repo};

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use baocao::CheckOptions;
use baocao::Period;
use baocao::{Project, Request};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn rss_kb(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

/// The baocao binary Cargo built for this benchmark (wherever CARGO_TARGET_DIR points).
fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_baocao"))
}

/// min / median / max in ms.
fn spread(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    format!("{:.1} / {:.1} / {:.1}", v[0], v[v.len() / 2], v[v.len() - 1])
}

/// min / median / max of ratios, to three decimals.
fn ratio_spread(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    format!("{:.3} / {:.3} / {:.3}", v[0], v[v.len() / 2], v[v.len() - 1])
}

/// The typst CLI: TYPST_BIN (or TYPST), else `typst` on PATH.
fn typst_cli() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TYPST_BIN").or_else(|| std::env::var_os("TYPST")) {
        return Some(p.into());
    }
    let ok = Command::new("typst")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    ok.then(|| "typst".into())
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&repo().join("data"), &root.join("data"));
    copy_dir(&repo().join("templates"), &root.join("templates"));
    std::fs::copy(repo().join("baocao.toml"), root.join("baocao.toml")).unwrap();
    let bin = binary();
    // BENCH_COLD_RUNS: more pairs for a steadier ratio (15 by default).
    let runs: usize = std::env::var("BENCH_COLD_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(15);

    // 1. Cold, fresh processes, side by side with the typst CLI (A B A B ...).
    let run = |args: &[&str]| {
        let t = Instant::now();
        let out = Command::new(&bin).args(args).current_dir(root).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (t.elapsed(), String::from_utf8_lossy(&out.stdout).to_string())
    };
    run(&["render"]);
    run(&["render", "--emit-typ", "typ"]);
    let peak = run(&["render", "--timings"]).1;
    let peak_mb = peak
        .split("bộ nhớ đỉnh ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or("?")
        .to_string();
    let typst = typst_cli();
    let t_run = |standard: Option<&str>| {
        let typst = typst.as_ref()?;
        let t = Instant::now();
        let mut c = Command::new(typst);
        c.args(["compile", "--root", "typ", "--ignore-system-fonts", "--font-path"])
            .arg(repo().join("fonts"));
        if let Some(s) = standard {
            c.args(["--pdf-standard", s]);
        }
        let ok = c.args(["typ/main.typ", "typ/out.pdf"]).current_dir(root).output().unwrap();
        assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
        Some(ms(t.elapsed()))
    };
    t_run(None);
    let (mut ours, mut plain, mut pdfa, mut r_plain, mut r_pdfa) = (vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        let a = ms(run(&["render"]).0);
        ours.push(a);
        if let (Some(b), Some(c)) = (t_run(None), t_run(Some("a-2b"))) {
            plain.push(b);
            pdfa.push(c);
            r_plain.push(a / b);
            r_pdfa.push(a / c);
        }
    }
    println!(
        "cold end-to-end render, fresh process ({runs} runs, min / median / max ms): {}",
        spread(ours)
    );
    if plain.is_empty() {
        println!("typst CLI not found (set TYPST_BIN=/path/to/typst): comparison skipped");
    } else {
        println!("  typst compile, same source and fonts:             {}", spread(plain));
        println!("  typst compile --pdf-standard a-2b (baocao's PDF): {}", spread(pdfa));
        println!(
            "  ratio baocao / typst, pair by pair: {} (plain), {} (PDF/A-2b)",
            ratio_spread(r_plain),
            ratio_spread(r_pdfa)
        );
    }
    println!("peak memory of a single render (VmHWM): {peak_mb} MB");

    // 2. Warm re-render after one corrected figure, in one process with one World.
    let project = Project::open(root);
    let req = Request {
        report: "bao-cao-thang".into(),
        period: "2026-02".parse().unwrap(),
    };
    let mut world = project.world();
    project.render(&mut world, &req, CheckOptions::default()).unwrap();
    let csv = root.join("data/2026-02/nong_nghiep.csv");
    let original = std::fs::read_to_string(&csv).unwrap();
    let mut warm = Vec::new();
    let mut stages: Vec<[f64; 6]> = Vec::new();
    let rss_start = rss_kb("VmRSS:");
    for i in 0..500 {
        std::fs::write(&csv, original.replace("84.860", &format!("84.{:03}", 100 + i % 800))).unwrap();
        let t = Instant::now();
        let r = project.render(&mut world, &req, CheckOptions::default()).unwrap();
        warm.push(t.elapsed());
        assert!(!r.pdf.is_empty());
        let tm = &r.timings;
        stages.push([
            ms(tm.load),
            ms(tm.check),
            ms(tm.template),
            ms(tm.compile),
            ms(tm.layout_check),
            ms(tm.pdf),
        ]);
        if i == 49 {
            let mid = |k: usize| {
                let mut v: Vec<f64> = stages.iter().map(|s| s[k]).collect();
                v.sort_by(f64::total_cmp);
                v[v.len() / 2]
            };
            println!(
                "warm re-render after one corrected figure (median of 50): {:.1} ms",
                ms(median(warm.clone()))
            );
            println!(
                "  stages (median ms): load {:.1}, check {:.1}, template {:.1}, typst compile {:.1}, format check {:.1}, PDF export {:.1}",
                mid(0),
                mid(1),
                mid(2),
                mid(3),
                mid(4),
                mid(5)
            );
        }
        if (i + 1) % 100 == 0 {
            println!("  after {} warm re-renders: resident memory {} MB", i + 1, rss_kb("VmRSS:") / 1024);
        }
    }
    let rss_end = rss_kb("VmRSS:");
    println!(
        "500 warm re-renders: median {:.1} ms; resident memory {} MB -> {} MB",
        ms(median(warm.clone())),
        rss_start / 1024,
        rss_end / 1024
    );
    std::fs::write(&csv, &original).unwrap();

    // 3. Batch of 100 unit reports: 100 periods, each the sample data with varied figures.
    let units: Vec<Period> = (0..100)
        .map(|i| Period::Month {
            year: 2040 + i / 12,
            month: (i % 12) as u8 + 1,
        })
        .collect();
    for (i, p) in units.iter().enumerate() {
        let d = root.join("data").join(p.to_string());
        copy_dir(&root.join("data/2026-02"), &d);
        let f = d.join("nong_nghiep.csv");
        let t = std::fs::read_to_string(&f).unwrap().replace("84.860", &format!("84.{:03}", i));
        std::fs::write(f, t).unwrap();
    }
    let t = Instant::now();
    let requests: Vec<Request> = units
        .iter()
        .map(|p| Request {
            report: "bao-cao-thang".into(),
            period: *p,
        })
        .collect();
    let mut pdfs = 0;
    let workers = baocao::batch_workers(requests.len());
    project.run_batch(
        requests,
        workers,
        |w, r| project.render(w, r, CheckOptions::default()).unwrap().pdf.len(),
        |f| pdfs += f.outcome,
    );
    println!(
        "batch of 100 unit reports (in memory, not written) on {workers} workers: {:.2} s ({} MB of PDF)",
        t.elapsed().as_secs_f64(),
        pdfs / 1_000_000
    );
}
