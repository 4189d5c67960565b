//! Anything staff paste or departments type must print exactly as written.
//! Property test: arbitrary strings go through both paths (a data cell shown by
//! `{{ }}`, and literal fragment text), are typeset by the embedded Typst, and
//! the text read back from the laid-out page equals the input.

use baocao::internals::text;
use baocao::CheckOptions;
use baocao::Period;
use baocao::{Project, Request};
use proptest::prelude::*;

const MANIFEST: &str = r#"
loai_van_ban = "BÁO CÁO"
ky_hieu = "BC-UBND"
co_quan = ["ỦY BAN NHÂN DÂN"]
dia_danh = "Lai Châu"
trich_yeu = ["thử"]
quyen_han = ["TM. ỦY BAN NHÂN DÂN"]
nguoi_ky = "X"
[[muc]]
doan = "doan"
"#;

struct Bench {
    dir: tempfile::TempDir,
    project: Project,
    world: baocao::internals::BaocaoWorld,
}

impl Bench {
    fn new() -> Bench {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates/t")).unwrap();
        std::fs::create_dir_all(dir.path().join("data/2026-02")).unwrap();
        std::fs::write(dir.path().join("templates/t/mau.toml"), MANIFEST).unwrap();
        let project = Project::open(dir.path());
        let world = project.world();
        Bench { dir, project, world }
    }

    /// Renders `fragment` with one indicator whose name is `cell`; returns the
    /// text between « and » on the pages.
    fn shown(&mut self, fragment: &str, cell: &str) -> Vec<String> {
        let mut w = csv::Writer::from_path(self.dir.path().join("data/2026-02/s.csv")).unwrap();
        w.write_record(["ma", "ten", "don_vi", "gia_tri"]).unwrap();
        w.write_record(["a", cell, "ha", "1"]).unwrap();
        w.flush().unwrap();
        std::fs::write(self.dir.path().join("templates/t/doan.txt"), fragment).unwrap();
        let req = Request {
            report: "t".into(),
            period: "2026-02".parse::<Period>().unwrap(),
        };
        let r = self
            .project
            .render(&mut self.world, &req, CheckOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let all: String = text::pages(&r.document)
            .iter()
            .flatten()
            .map(|l| format!("{}\n", l.text()))
            .collect();
        let mut out = Vec::new();
        let mut rest = all.as_str();
        while let Some(i) = rest.find('«') {
            let after = &rest[i + '«'.len_utf8()..];
            let j = after.find('»').expect("closing marker");
            out.push(norm(&after[..j]));
            rest = &after[j..];
        }
        out
    }
}

/// Compares without whitespace: spacing is layout (collapsed, justified), and
/// reading text back cannot tell a kerning gap from a space.
fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Printable characters: all ASCII punctuation (Typst's markup), Vietnamese,
/// symbols, CJK and emoji. Right-to-left scripts and combining marks are left
/// out: bidi reordering and mark attachment change the visual order by design.
fn text_strategy() -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        8 => proptest::char::range(' ', '~'),
        3 => proptest::sample::select("àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđĐƯỚ".chars().collect::<Vec<_>>()),
        1 => proptest::sample::select("€³²©®°±×÷–—…“”‘’•→≤≥∑√∞«»¶§中文字😀".chars().collect::<Vec<_>>()),
    ];
    proptest::collection::vec(chars, 0..40).prop_map(|v| v.into_iter().collect())
}

/// Literal fragment text may not contain the few active constructs.
fn literal_ok(s: &str) -> bool {
    !["^[", "**", "__", "{{", "{%", "{#", "}}", "%}", "#}", "«", "»"]
        .iter()
        .any(|c| s.contains(c))
        && !s.trim_start().starts_with("- ")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn any_text_prints_as_written(s in text_strategy()) {
        thread_local!(static BENCH: std::cell::RefCell<Bench> = std::cell::RefCell::new(Bench::new()));
        BENCH.with(|b| {
            let mut b = b.borrow_mut();
            let cell = s.replace(['«', '»'], "");
            let lit = if literal_ok(&s) { s.clone() } else { String::new() };
            let got = b.shown(&format!("«{{{{ s.a.ten }}}}» «{lit}»"), &cell);
            prop_assert_eq!(got, vec![norm(&cell), norm(&lit)]);
            Ok(())
        })?;
    }
}

#[test]
fn hostile_cell_renders_literally_and_reads_nothing() {
    let mut b = Bench::new();
    let hostile = r#"#read("/etc/hostname") ]*_ // $x$ @ref <l> a@b.gov.vn http://x.vn `c` \ = - + 1."#;
    let got = b.shown(
        "«{{ s.a.ten }}»\n\n«Liên hệ: a@b.gov.vn, http://laichau.gov.vn // *x* #y <z> $m$»",
        hostile,
    );
    assert_eq!(got[0], norm(hostile));
    assert_eq!(got[1], norm("Liên hệ: a@b.gov.vn, http://laichau.gov.vn // *x* #y <z> $m$"));
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    if !host.trim().is_empty() {
        assert!(!got.iter().any(|g| g.contains(host.trim())), "a file was read");
    }
}
