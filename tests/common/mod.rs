//! Helpers for integration tests: a scratch copy of the project and the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where data/ and templates/ live).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A temporary copy of data/, templates/ and baocao.toml (fonts come from the binary).
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("data"), &dir.path().join("data"));
        copy_dir(&repo().join("templates"), &dir.path().join("templates"));
        std::fs::copy(repo().join("baocao.toml"), dir.path().join("baocao.toml")).unwrap();
        Scratch { dir }
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn file(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let p = self.file(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.file(rel)).unwrap()
    }
    /// Replaces `from` by `to` in a file (must occur).
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let s = self.read(rel);
        assert!(s.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, s.replacen(from, to, 1));
    }
    /// Runs `baocao ARGS` in the scratch project.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_baocao"))
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap();
        Run::from(out)
    }
    /// Renders the default report with the text dump and returns the dump.
    pub fn render_text(&self, extra: &[&str]) -> (Run, String) {
        let mut args = vec!["render", "--text"];
        args.extend_from_slice(extra);
        let r = self.run(&args);
        assert_eq!(r.code, 0, "render failed:\n{}\n{}", r.stdout, r.stderr);
        let pdf = PathBuf::from(r.last_line());
        let pdf = if pdf.is_absolute() { pdf } else { self.path().join(pdf) };
        let text = std::fs::read_to_string(pdf.with_extension("txt")).unwrap();
        (r, text)
    }
}

/// Result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into(),
            stderr: String::from_utf8_lossy(&o.stderr).into(),
        }
    }
}

impl Run {
    pub fn last_line(&self) -> &str {
        self.stdout.lines().last().unwrap_or("")
    }
}

/// The text dump split in pages: each page is its lines as (font size, text).
pub fn pages(dump: &str) -> Vec<Vec<(u32, String)>> {
    let mut pages: Vec<Vec<(u32, String)>> = Vec::new();
    for line in dump.lines() {
        if line.starts_with("=== trang ") {
            pages.push(Vec::new());
        } else if let Some(rest) = line.strip_prefix('[') {
            let (size, text) = rest.split_once("] ").unwrap_or((rest.trim_end_matches(']'), ""));
            pages.last_mut().unwrap().push((size.parse().unwrap(), text.replace('\u{a0}', " ")));
        }
    }
    pages
}

/// All text of the dump on one line, footnote marks removed, spaces normalised.
pub fn flat(dump: &str) -> String {
    // Reading order: the body runs on across page breaks, footnotes (10 pt and
    // smaller) interrupt it on the page, so they are read after the body.
    let all = pages(dump);
    let page_number = |t: &str| t.trim().chars().all(|c| c.is_ascii_digit());
    let body = all.iter().flatten().filter(|(size, t)| *size > 10 && !page_number(t));
    let notes = all.iter().flatten().filter(|(size, _)| *size <= 10);
    let mut s = String::new();
    for (_, t) in body.chain(notes) {
        s.push_str(t);
        // A line broken after a hyphen inside a word ("01/NQ-" + "CP") joins without a space.
        let mut end = t.chars().rev();
        let broken_word = end.next() == Some('-') && end.next().is_some_and(|c| !c.is_whitespace());
        if !broken_word {
            s.push(' ');
        }
    }
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '^' && chars.peek() == Some(&'{') {
            for d in chars.by_ref() {
                if d == '}' {
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
