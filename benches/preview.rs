//! `cargo bench --bench preview`: the web page's live preview.
//!
//! 1. correct one figure (the facade's save, as the page does) -> the changed
//!    page images (SVG) ready on the server; then the PDF that follows;
//! 2. side by side, when a `typst` CLI is on PATH (or TYPST=...): `typst compile`
//!    of the emitted source after the same change (skipped otherwise);
//! 3. resident memory after 500 edits in one process (one long-lived World).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use baocao::internals::page_images;
use baocao::Period;
use baocao::{Project, Request};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let t = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &t)
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    ms(v[v.len() / 2])
}

fn rss_mb(field: &str) -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

/// Saves đàn trâu = `value` through the facade (optimistic hash as the page sends it).
fn save(project: &Project, value: &str) {
    let file = project.root.join("data/2026-02/nong_nghiep.csv");
    let hash = baocao::internals::sha256_hex(&std::fs::read(file).unwrap());
    let edit = baocao::CellEdit {
        period: "2026-02".into(),
        file: "nong_nghiep.csv".into(),
        sheet: "nong_nghiep".into(),
        code: "dan_trau".into(),
        column: "gia_tri".into(),
        value: value.into(),
        hash,
        reason: None,
    };
    project.save_value(&baocao::Actor::local(), &edit, None).unwrap();
}

fn typst_cli() -> Option<PathBuf> {
    let p: PathBuf = std::env::var_os("TYPST").map(Into::into).unwrap_or_else(|| "typst".into());
    std::process::Command::new(&p)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| p)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("data"), &root.join("data"));
    copy_dir(&repo.join("templates"), &root.join("templates"));
    let project = Project::open(root);
    let req = Request {
        report: "bao-cao-thang".into(),
        period: Period::Month { year: 2026, month: 2 },
    };
    let mut world = project.world();
    let laid = project.lay_out(&mut world, &req).unwrap();
    let mut hashes: Vec<u128> = page_images(&laid.rendered.document, &[]).iter().map(|p| p.hash).collect();
    println!("preview: {} pages", hashes.len());

    let (mut ready, mut changed_pages, mut pdf) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..40 {
        let t = Instant::now();
        save(&project, &format!("{}.{:03}", 85 + i % 7, i));
        let laid = project.lay_out(&mut world, &req).unwrap();
        let images = page_images(&laid.rendered.document, &hashes);
        ready.push(t.elapsed());
        changed_pages.push(images.iter().filter(|p| p.svg.is_some()).count());
        hashes = images.iter().map(|p| p.hash).collect();
        let t = Instant::now();
        project.publish_laid(&req, laid, "bench").unwrap();
        pdf.push(t.elapsed());
    }
    changed_pages.sort();
    println!(
        "correct one figure -> changed page images ready: median {:.1} ms (pages re-drawn per edit: median {}); PDF written after: median {:.1} ms",
        median(ready),
        changed_pages[changed_pages.len() / 2],
        median(pdf)
    );

    match typst_cli() {
        Some(typst) => {
            let src = root.join("typst-src");
            let mut times = Vec::new();
            for i in 0..10 {
                save(&project, &format!("9{i}.000"));
                project.emit_typst(&req, &src).unwrap();
                let t = Instant::now();
                let ok = std::process::Command::new(&typst)
                    .args(["compile", "--root"])
                    .arg(&src)
                    .arg(src.join("main.typ"))
                    .arg(root.join("x.pdf"))
                    .status()
                    .map(|s| s.success())
                    .unwrap_or(false);
                assert!(ok);
                times.push(t.elapsed());
            }
            println!(
                "side by side: typst compile of the emitted source after the same change: median {:.1} ms",
                median(times)
            );
        }
        None => println!("side by side: no typst CLI on PATH (set TYPST=...), skipped"),
    }

    let before = rss_mb("VmRSS:");
    for i in 0..500 {
        save(&project, &format!("{}.{:03}", 80 + i % 19, i % 1000));
        let laid = project.lay_out(&mut world, &req).unwrap();
        hashes = page_images(&laid.rendered.document, &hashes).iter().map(|p| p.hash).collect();
        if i % 100 == 99 {
            println!("after {} edits: resident {:.0} MB", i + 1, rss_mb("VmRSS:"));
        }
    }
    println!(
        "memory: resident {:.0} MB before, {:.0} MB after 500 edits (peak {:.0} MB)",
        before,
        rss_mb("VmRSS:"),
        rss_mb("VmHWM:")
    );
}
