//! `cargo bench --bench preview`: the web page's live preview.
//!
//! 1. correct one figure (the facade's save, as the page does: durable, logged;
//!    on a thread of its own) -> the live preview's draft layout, started once
//!    the value has passed its checks, as the server does -> the changed page
//!    images ready;
//!    then its format check (the findings follow the images, as on the page),
//!    then the PDF version that follows;
//! 2. anchors, same run, edit by edit, on the source baocao emits for each state,
//!    in a process of their own (`--anchor`, its own Typst cache, warm):
//!    - the typst crate's incremental compile alone (`typst::compile` of the
//!      changed source);
//!    - what `typst watch main.typ 'trang-{p}.svg'` times and reports as
//!      "compiled successfully in …" (typst-cli 0.15.1, `compile_once`): the
//!      files read again, the compile, each page's hash (its export cache) and
//!      the changed pages' SVG written, on both cores as it does;
//!    - the same typst compile in a second process: what two runs of the very
//!      same work differ by, edit by edit, on this machine;
//!
//!    Ratios edit by edit, from the value sent (the save's checks included) and
//!    from the value checked, and as distributions (median against median, p95
//!    against p95).
//! 3. the durable save alone, 200 in a row;
//! 4. resident memory after 500 edits in one process (one long-lived World).

mod common;
use common::copy_dir;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use baocao::internals::page_images;
use baocao::Period;
use baocao::{Project, Request};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
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
    save_then(project, value, || ());
}

/// [`save`], calling `checked` as the server starts the preview: once the value
/// has passed its checks, while it is written and synced.
fn save_then(project: &Project, value: &str, checked: impl FnOnce()) {
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
    project.save_value_then(&baocao::Actor::local(), &edit, None, checked).unwrap();
}

/// The anchor: the typst crate compiling the emitted source of a report, in one
/// process, as `typst watch` does (files read once, a changed file replaced, the
/// rest kept, so Typst's caches stay warm; `comemo::evict(10)` after each compile
/// like typst-cli's watch loop). Fonts: the project's fonts/ folder only.
struct Anchor {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
}

fn vid(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).unwrap()).intern()
}

impl Anchor {
    fn new(fonts_dir: &Path) -> Anchor {
        let mut fonts = Vec::new();
        let mut book = FontBook::new();
        let mut paths: Vec<PathBuf> = std::fs::read_dir(fonts_dir).unwrap().flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            for f in Font::iter(Bytes::new(std::fs::read(&p).unwrap())) {
                book.push(f.info().clone());
                fonts.push(f);
            }
        }
        Anchor {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
            main: vid("/main.typ"),
            sources: HashMap::new(),
            files: HashMap::new(),
        }
    }

    /// Reads every file of the emitted folder (typst watch reads each file again
    /// after a change); only changed ones are replaced.
    fn load(&mut self, dir: &Path) {
        fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, Vec<u8>)>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, base, out);
                } else {
                    let rel = format!("/{}", p.strip_prefix(base).unwrap().display());
                    out.push((rel, std::fs::read(&p).unwrap()));
                }
            }
        }
        let mut all = Vec::new();
        walk(dir, dir, &mut all);
        for (path, bytes) in all {
            let id = vid(&path);
            if path.ends_with(".typ") {
                // A changed file is re-parsed where it changed, as typst-cli's
                // world does (`Source::replace`).
                let text = String::from_utf8(bytes).unwrap();
                match self.sources.get_mut(&id) {
                    Some(source) if source.text() != text => {
                        source.replace(&text);
                    }
                    Some(_) => {}
                    None => {
                        self.sources.insert(id, Source::new(id, text));
                    }
                }
            } else if self.files.get(&id).map(|b| b.as_slice()) != Some(&bytes[..]) {
                self.files.insert(id, Bytes::new(bytes));
            }
        }
    }

    fn compile(&self) -> PagedDocument {
        typst::compile::<PagedDocument>(self).output.expect("the emitted source compiles")
    }
}

/// typst watch's export of page images (`compile.rs`, `export_image`): each
/// page hashed on the rayon pool, a changed page's SVG written to its file.
fn export_svg_pages(doc: &PagedDocument, cache: &mut Vec<u128>, out: &Path) {
    use rayon::prelude::*;
    let hashes: Vec<u128> = doc
        .pages()
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let hash = typst::utils::hash128(page);
            let file = out.join(format!("trang-{}.svg", i + 1));
            if cache.get(i) != Some(&hash) || !file.exists() {
                let svg = typst_svg::svg(page, &typst_svg::SvgOptions::default());
                std::fs::write(&file, svg).unwrap();
            }
            hash
        })
        .collect();
    *cache = hashes;
}

impl World for Anchor {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_with_slash().into()))
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(s) = self.sources.get(&id) {
            return Ok(Bytes::from_string(s.clone()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_with_slash().into()))
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }
    fn today(&self, _: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(2026, 2, 28)
    }
}

/// The `q`-th percentile of `v` (nearest rank; `q` = 50 is the median).
fn percentile(v: &[f64], q: usize) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    if q == 50 {
        return v[v.len() / 2];
    }
    v[(v.len() * q).div_ceil(100) - 1]
}

/// min / median / p95 / max in ms.
fn spread(v: Vec<f64>) -> String {
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let [med, p95, max] = [50, 95, 100].map(|q| percentile(&v, q));
    format!("{min:.1} / {med:.1} / p95 {p95:.1} / {max:.1}")
}

/// min / median / p95 / max of ratios, two decimals.
fn ratios(v: Vec<f64>) -> String {
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let [med, p95, max] = [50, 95, 100].map(|q| percentile(&v, q));
    format!("{min:.2} / {med:.2} / p95 {p95:.2} / {max:.2}")
}

/// Ours against theirs as distributions: the ratio of the medians and of the p95s.
fn against(ours: &[f64], theirs: &[f64]) -> String {
    let r = |q| percentile(ours, q) / percentile(theirs, q);
    format!("median {:.2}, p95 {:.2}", r(50), r(95))
}

/// The anchor's own process: reads an emitted folder's path per line, compiles
/// it in its one long-lived world; answers the compile's milliseconds and those
/// typst watch reports (files read, compile, changed page SVGs written).
fn anchor_process(fonts: &Path) {
    use std::io::{BufRead, Write};
    let mut anchor = Anchor::new(fonts);
    let out = tempfile::tempdir().unwrap();
    let mut cache = Vec::new();
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let t = Instant::now();
        anchor.load(Path::new(line.trim()));
        let t_compile = Instant::now();
        let doc = anchor.compile();
        let compile = t_compile.elapsed();
        export_svg_pages(&doc, &mut cache, out.path());
        let watch = t.elapsed();
        drop(doc);
        comemo::evict(10);
        println!("{} {}", ms(compile), ms(watch));
        std::io::stdout().flush().unwrap();
    }
}

/// The anchor in a process of its own (its Typst cache is its own), edit by edit.
struct AnchorChild {
    child: std::process::Child,
    out: std::io::BufReader<std::process::ChildStdout>,
}

impl AnchorChild {
    fn start() -> AnchorChild {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .arg("--anchor")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let out = std::io::BufReader::new(child.stdout.take().unwrap());
        AnchorChild { child, out }
    }

    /// Compiles the folder in the anchor's process; the compile's time and typst
    /// watch's (files read, compile, page images), in ms.
    fn compile(&mut self, dir: &Path) -> (f64, f64) {
        use std::io::{BufRead, Write};
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "{}", dir.display()).unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        self.out.read_line(&mut line).unwrap();
        let mut times = line.split_whitespace().map(|t| t.parse().expect("the anchor answers its times"));
        (times.next().unwrap(), times.next().unwrap())
    }
}

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if std::env::args().any(|a| a == "--anchor") {
        return anchor_process(&repo.join("fonts"));
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&repo.join("data"), &root.join("data"));
    copy_dir(&repo.join("templates"), &root.join("templates"));
    let project = Project::open(root);
    let req = Request {
        report: "bao-cao-thang".into(),
        period: Period::Month { year: 2026, month: 2 },
    };
    // PREVIEW_EDITS=N for more edits than 30 (finer medians on a noisy machine).
    let edits: usize = std::env::var("PREVIEW_EDITS").ok().and_then(|v| v.parse().ok()).unwrap_or(30);
    let mut world = project.world();
    let mut anchor = AnchorChild::start();
    // The same anchor in a second process: how far two runs of the very same
    // compile differ edit by edit on this machine (the noise any ratio carries).
    let mut twin = AnchorChild::start();
    let draft = project.lay_out_draft(&mut world, &req).unwrap();
    let mut hashes: Vec<u128> = page_images(draft.rendered(), &[]).iter().map(|p| p.hash).collect();
    let first = root.join("typ-0");
    project.emit_typst(&req, &first).unwrap();
    anchor.compile(&first);
    twin.compile(&first);
    println!(
        "preview: {} pages; {edits} edits, each timed in baocao then in the anchor's process; min / median / p95 / max ms",
        hashes.len()
    );
    let (mut ours, mut theirs, mut layout_only, mut ratio, mut ratio_layout, mut changed_pages, mut pdf) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut watch, mut ratio_watch, mut ratio_watch_layout) = (vec![], vec![], vec![]);
    let mut itself = vec![];
    let mut stages: [Vec<f64>; 6] = Default::default();
    let mut findings_after = vec![];
    let mut on_disk = vec![];
    for k in 1..=edits {
        // As the server does: the save on a thread of its own; the preview laid
        // out once the value has passed its checks (it reads the value being
        // saved); "Đã lưu" once the save has returned (on disk, logged).
        let t = Instant::now();
        let value = format!("{}.{:03}", 85 + k % 7, k % 1000);
        let (t_saved, t_laid, ready, draft, images, saved) = std::thread::scope(|s| {
            let (checked, started) = std::sync::mpsc::channel();
            let saving = s.spawn(|| {
                save_then(&project, &value, move || checked.send(()).unwrap());
                t.elapsed()
            });
            started.recv().expect("the value passes its checks");
            let t_saved = t.elapsed();
            let draft = project.lay_out_draft(&mut world, &req).unwrap();
            let t_laid = t.elapsed();
            let images = page_images(draft.rendered(), &hashes);
            let ready = t.elapsed();
            (t_saved, t_laid, ready, draft, images, saving.join().unwrap())
        });
        on_disk.push(ms(saved));
        // As the server does once the page images are out: the format check
        // (its findings follow the images), then Typst's cache tidied (not
        // timed, like the anchor's).
        let laid = draft.checked();
        findings_after.push(ms(t.elapsed()));
        world.tidy_cache();
        let st = &laid.rendered.timings;
        for (i, d) in [t_saved, st.load, st.layout_check, st.template, st.compile, ready - t_laid]
            .into_iter()
            .enumerate()
        {
            stages[i].push(ms(d));
        }
        changed_pages.push(images.iter().filter(|p| p.page.is_some()).count() as f64);
        hashes = images.iter().map(|p| p.hash).collect();
        let t = Instant::now();
        project.publish_laid(&req, laid, "bench").unwrap();
        pdf.push(ms(t.elapsed()));
        // The same state as typst would read it (emitting is not timed).
        let src = root.join(format!("typ-{k}"));
        project.emit_typst(&req, &src).unwrap();
        let (typst, typst_watch) = anchor.compile(&src);
        itself.push(twin.compile(&src).0 / typst);
        watch.push(typst_watch);
        ratio_watch.push(ms(ready) / typst_watch);
        ratio_watch_layout.push(ms(ready - t_saved) / typst_watch);
        ours.push(ms(ready));
        layout_only.push(ms(ready - t_saved));
        theirs.push(typst);
        ratio.push(ms(ready) / typst);
        ratio_layout.push(ms(ready - t_saved) / typst);
    }
    println!(
        "save -> changed page images (baocao, from the value sent): {}",
        spread(ours.clone())
    );
    println!(
        "  the same from the value checked (layout + checks + images): {}",
        spread(layout_only.clone())
    );
    println!("  the save on disk and logged (\"Đã lưu\"), meanwhile:        {}", spread(on_disk));
    println!(
        "  and its findings (format check after the images):         {}",
        spread(findings_after)
    );
    println!(
        "anchor: typst crate, the same change compiled in one warm process: {}",
        spread(theirs.clone())
    );
    println!(
        "ratio baocao / typst, edit by edit (min / median / p95 / max): {} from the value sent, {} from the value checked",
        ratios(ratio),
        ratios(ratio_layout)
    );
    println!(
        "noise: typst / the same typst in a second process, edit by edit: {}; as distributions: {}",
        ratios(itself.clone()),
        against(&itself.iter().zip(&theirs).map(|(r, t)| r * t).collect::<Vec<_>>(), &theirs)
    );
    println!(
        "ratio baocao / typst as distributions ({edits} edits each): {} from the value sent, {} from the value checked",
        against(&ours, &theirs),
        against(&layout_only, &theirs)
    );
    println!(
        "anchor: typst watch's own time (files read, compile, page hashes, changed page SVGs): {}",
        spread(watch.clone())
    );
    println!(
        "ratio baocao / typst watch, edit by edit (min / median / p95 / max): {} from the value sent, {} from the value checked",
        ratios(ratio_watch),
        ratios(ratio_watch_layout)
    );
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let [save_t, load, check, template, compile, svg] = stages.each_mut().map(median);
    println!(
        "  where the time goes, medians: save until checked {save_t:.1}, read figures {load:.1}, fragments {template:.1}, \
         Typst layout and its reflow checks {compile:.1}, page images {svg:.1}; after them the format check {check:.1}"
    );
    println!(
        "pages re-drawn per edit: {}; PDF version after: {}",
        spread(changed_pages),
        spread(pdf)
    );
    drop((anchor, twin));

    // The durable save alone (file, log line, last-seen copy on disk), 200 times.
    let saves: Vec<f64> = (0..200)
        .map(|i| {
            let t = Instant::now();
            save(&project, &format!("{}.{:03}", 70 + i % 13, i % 1000));
            ms(t.elapsed())
        })
        .collect();
    println!("the save alone, 200 in a row: {}", spread(saves));

    let before = rss_mb("VmRSS:");
    for i in 0..500 {
        save(&project, &format!("{}.{:03}", 80 + i % 19, i % 1000));
        let draft = project.lay_out_draft(&mut world, &req).unwrap();
        hashes = page_images(draft.rendered(), &hashes).iter().map(|p| p.hash).collect();
        drop(draft.checked());
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
