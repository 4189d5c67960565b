//! Versions under concurrency and failing disks, with the real binary:
//! concurrent renders each get their own version, a version is recorded
//! whole or not at all, and a failed write leaves the latest PDF intact.

use crate::common::*;

use std::path::{Path, PathBuf};
use std::process::Command;

const HISTORY: &str = "out/lich-su/bao-cao-thang/2026-02";
const PDF: &str = "out/bao-cao-thang-2026-02.pdf";

fn sha256(bytes: &[u8]) -> String {
    baocao::internals::sha256_hex(bytes)
}

/// The version manifests in a history folder, by number.
fn manifests(dir: &Path) -> Vec<(u32, serde_json::Value)> {
    let mut v: Vec<(u32, serde_json::Value)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let n = p.file_stem().unwrap().to_str().unwrap().parse().unwrap();
            (n, serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap())
        })
        .collect();
    v.sort_by_key(|(n, _)| *n);
    v
}

/// The printed value of `code` in a manifest.
fn figure(m: &serde_json::Value, code: &str) -> String {
    m["so_lieu"].as_array().unwrap().iter().find(|p| p[0] == code).unwrap()[1]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn eight_concurrent_processes_get_eight_versions_matching_their_data() {
    let out = tempfile::tempdir().unwrap();
    let projects: Vec<Scratch> = (0..8)
        .map(|i| {
            let s = Scratch::new();
            s.edit("data/2026-02/nong_nghiep.csv", "84.860", &format!("84.86{i}"));
            s
        })
        .collect();
    // All eight start before any finishes.
    let running: Vec<_> = projects
        .iter()
        .map(|s| {
            Command::new(env!("CARGO_BIN_EXE_baocao"))
                .args(["render", "--out"])
                .arg(out.path())
                .current_dir(s.path())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in running {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success());
    }
    let history = out.path().join("lich-su/bao-cao-thang/2026-02");
    let versions = manifests(&history);
    let numbers: Vec<u32> = versions.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, (1..=8).collect::<Vec<_>>(), "eight distinct versions");
    let mut seen = std::collections::BTreeSet::new();
    for (n, m) in &versions {
        let pdf = std::fs::read(history.join(format!("{n:03}.pdf"))).unwrap();
        assert_eq!(
            sha256(&pdf),
            m["sha256_pdf"].as_str().unwrap(),
            "version {n}: PDF matches its manifest"
        );
        let trau = figure(m, "nong_nghiep.dan_trau");
        let text = std::fs::read_to_string(history.join(format!("{n:03}.txt"))).unwrap();
        assert!(
            text.contains(&format!("đàn trâu {trau} con")),
            "version {n}: text holds its own figure {trau}"
        );
        seen.insert(trau);
    }
    assert_eq!(seen.len(), 8, "every data set has its version: {seen:?}");
    let latest = std::fs::read(out.path().join("bao-cao-thang-2026-02.pdf")).unwrap();
    assert_eq!(
        sha256(&latest),
        versions.last().unwrap().1["sha256_pdf"].as_str().unwrap(),
        "latest is the newest version"
    );
    assert!(leftovers(&history).is_empty(), "{:?}", leftovers(&history));
}

/// Files of the history folder that are not part of a recorded version.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let done: Vec<String> = manifests(dir).iter().map(|(n, _)| format!("{n:03}")).collect();
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            // A version's files are NNN.<ext>, and NNN.van-ban.txt (the document's own text).
            let number = p.file_name().unwrap().to_str().unwrap().split('.').next().unwrap().to_string();
            !done.contains(&number) || p.extension().is_some_and(|x| x == "claim")
        })
        .collect()
}

#[test]
fn a_full_disk_at_any_write_leaves_no_half_version_and_the_latest_pdf() {
    let s = Scratch::new();
    assert_eq!(s.run(&["render"]).code, 0);
    let before = std::fs::read(s.file(PDF)).unwrap();
    s.edit("data/2026-02/nong_nghiep.csv", "84.860", "84.960");
    let mut failed_at = Vec::new();
    for k in 1..=10 {
        let o = Command::new(env!("CARGO_BIN_EXE_baocao"))
            .arg("render")
            .current_dir(s.path())
            .env(baocao::internals::FAIL_WRITE_ENV, k.to_string())
            .output()
            .unwrap();
        if o.status.success() {
            break;
        }
        failed_at.push(k);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("Không ghi được"), "write {k}: {err}");
        assert_eq!(std::fs::read(s.file(PDF)).unwrap(), before, "write {k}: the latest PDF is intact");
        assert_eq!(manifests(&s.file(HISTORY)).len(), 1, "write {k}: no new version");
        assert!(
            leftovers(&s.file(HISTORY)).is_empty(),
            "write {k}: {:?}",
            leftovers(&s.file(HISTORY))
        );
        let h = s.run(&["history"]);
        assert_eq!(h.stdout.lines().count(), 1, "write {k}: {}", h.stdout);
        let tmp: Vec<_> = std::fs::read_dir(s.file("out"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(tmp.is_empty(), "write {k}: temporary files left");
    }
    // The e-office hand-off beside the PDF, then PDF, laid-out text, the
    // document's own text and manifest of the version, then the latest PDF.
    assert_eq!(failed_at, [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        manifests(&s.file(HISTORY)).len(),
        2,
        "the run after the failures records the version"
    );
}

#[test]
fn leftovers_of_a_killed_write_are_never_listed_and_are_cleaned() {
    let s = Scratch::new();
    assert_eq!(s.run(&["render"]).code, 0);
    let hist = s.file(HISTORY);
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for f in ["002.claim", "002.pdf", ".bao-cao-thang-2026-02.pdf.999-1.tmp"] {
        let p = if f.starts_with('.') { s.file("out").join(f) } else { hist.join(f) };
        std::fs::write(&p, "nửa chừng").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }
    let h = s.run(&["history"]);
    assert_eq!(h.stdout.lines().count(), 1, "a half version is not listed: {}", h.stdout);
    s.edit("data/2026-02/nong_nghiep.csv", "84.860", "84.960");
    let r = s.run(&["render"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!hist.join("002.claim").exists() && !s.file("out/.bao-cao-thang-2026-02.pdf.999-1.tmp").exists());
    let versions = manifests(&hist);
    assert_eq!(versions.len(), 2);
    let (n, m) = versions.last().unwrap();
    assert_eq!(
        sha256(&std::fs::read(hist.join(format!("{n:03}.pdf"))).unwrap()),
        m["sha256_pdf"].as_str().unwrap()
    );
}

#[test]
fn eight_threads_in_one_process_get_eight_versions_matching_their_data() {
    let out = tempfile::tempdir().unwrap();
    let projects: Vec<Scratch> = (0..8)
        .map(|i| {
            let s = Scratch::new();
            s.edit("data/2026-02/nong_nghiep.csv", "84.860", &format!("84.87{i}"));
            s
        })
        .collect();
    let req = baocao::Request {
        report: "bao-cao-thang".into(),
        period: "2026-02".parse().unwrap(),
    };
    let got: Vec<u32> = std::thread::scope(|scope| {
        let handles: Vec<_> = projects
            .iter()
            .map(|s| {
                let (req, out) = (req.clone(), out.path());
                scope.spawn(move || {
                    let project = baocao::Project::open(s.path());
                    let mut rendered = project.render(&mut project.world(), &req, Default::default()).unwrap();
                    baocao::internals::publish(out, &req, &mut rendered, Default::default()).unwrap().1
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(sorted, (1..=8).collect::<Vec<_>>(), "{got:?}");
    let history = out.path().join("lich-su/bao-cao-thang/2026-02");
    let mut values = std::collections::BTreeSet::new();
    for (n, m) in manifests(&history) {
        let pdf = std::fs::read(history.join(format!("{n:03}.pdf"))).unwrap();
        assert_eq!(sha256(&pdf), m["sha256_pdf"].as_str().unwrap(), "version {n}");
        let trau = figure(&m, "nong_nghiep.dan_trau");
        let text = std::fs::read_to_string(history.join(format!("{n:03}.txt"))).unwrap();
        assert!(text.contains(&format!("đàn trâu {trau} con")), "version {n}: {trau}");
        values.insert(trau);
    }
    assert_eq!(values.len(), 8, "{values:?}");
}
