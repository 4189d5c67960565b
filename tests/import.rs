//! From a Word document to a report type (issue 29): each .docx fixture of
//! `tests/fixtures/word/` (made from the five reference documents by
//! `make_docx.py`) is imported with `baocao nhap-word`, rendered for its own period,
//! and its PDF text must hold every number of the Word file, every footnote on the
//! page of its mark, the headings in order, and the header and signature lines.
//! Then a next month: `new-period`, the figures filled, a render: the numbers
//! change, the words stay, the comparisons are computed.

use std::io::Read;

use crate::common::{flat, pages, Scratch};

/// (fixture, period of its date line).
const FIXTURES: [(&str, &str); 5] = [
    ("nghi-quyet", "2026-03"),
    ("chuong-trinh", "2025-11"),
    ("ke-hoach-dang-uy", "2025-11"),
    ("ke-hoach", "2020-07"),
    ("bao-cao-thang", "2026-02"),
];

fn fixture(name: &str) -> std::path::PathBuf {
    crate::common::repo().join("tests/fixtures/word").join(format!("{name}.docx"))
}

fn member(name: &str, part: &str) -> String {
    let file = std::fs::File::open(fixture(name)).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut s = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The paragraphs of a WordprocessingML part: (style, text).
fn paragraphs(xml: &str) -> Vec<(String, String)> {
    xml.split("</w:p>")
        .map(|p| {
            let style = p
                .split("<w:pStyle w:val=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("")
                .to_string();
            let runs = p.split("<w:t").skip(1).filter(|t| t.starts_with('>') || t.starts_with(' '));
            let text: String = runs
                .filter_map(|t| t.split_once('>').map(|(_, r)| r.split("</w:t>").next().unwrap_or("")))
                .collect();
            (style, unescape(&text))
        })
        .filter(|(_, t)| !t.trim().is_empty())
        .collect()
}

/// Numbers as written: digits with `.` or `,` between digits.
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let sep = (c == '.' || c == ',') && !cur.is_empty() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_ascii_digit() || sep {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Imports a fixture into a scratch project as `name` and renders it; the dump.
fn import_and_render(s: &Scratch, fixture_name: &str, name: &str, period: &str) -> String {
    let r = s.run(&["nhap-word", fixture(fixture_name).to_str().unwrap(), "--ten", name]);
    assert_eq!(r.code, 0, "{fixture_name}: {}\n{}", r.stdout, r.stderr);
    let (_, dump) = s.render_text(&["--report", name, "--period", period]);
    dump
}

#[test]
fn every_fixture_renders_as_its_word_document() {
    for (name, period) in FIXTURES {
        let s = Scratch::new();
        let dump = import_and_render(&s, name, "nhap", period);
        let text = flat(&dump);
        let doc = paragraphs(&member(name, "word/document.xml"));
        let notes = paragraphs(&member(name, "word/footnotes.xml"));
        for (_, p) in doc.iter().chain(&notes) {
            for n in numbers(p) {
                assert!(text.contains(&n), "{name}: {n} of \"{p}\" is not in the PDF");
            }
        }
        // A heading broken after a hyphen ("01/NQ-" + "CP") is joined without the space.
        let (joined, mut from) = (text.replace("- ", "-"), 0);
        for (style, p) in doc.iter().filter(|(s, _)| s.starts_with("Heading")) {
            let title = squeeze(p.split_once(' ').map_or(p.as_str(), |(_, t)| t)).replace("- ", "-");
            let at = joined[from..]
                .find(&title)
                .unwrap_or_else(|| panic!("{name}: heading ({style}) \"{title}\" not in order"));
            from += at + title.len();
        }
        header_and_signature(name, &text);
        footnotes_on_their_pages(name, &dump, notes.len());
    }
}

/// Every line of the header table and of the signature block is printed.
fn header_and_signature(name: &str, text: &str) {
    let xml = member(name, "word/document.xml");
    let tables: Vec<&str> = xml
        .split("<w:tbl>")
        .skip(1)
        .map(|t| t.split("</w:tbl>").next().unwrap_or(""))
        .collect();
    let header = paragraphs(tables[0]);
    let signature = paragraphs(tables[1]);
    for (_, line) in header.iter().chain(&signature) {
        let line = squeeze(line);
        if line == "*" || line.starts_with("Nơi nhận") {
            continue;
        }
        assert!(in_order(text, &line), "{name}: header/signature line \"{line}\" not in the PDF");
    }
}

/// The words of `line` in `text` in order (the two columns of the header and of the
/// signature block are interleaved line by line in the PDF's text).
fn in_order(text: &str, line: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut at = 0;
    for w in line.split_whitespace() {
        match words[at..].iter().position(|x| *x == w) {
            Some(i) => at += i + 1,
            None => return false,
        }
    }
    true
}

/// Each footnote's mark `^{N}` and its text are on the same page, and all are there.
fn footnotes_on_their_pages(name: &str, dump: &str, count: usize) {
    let pages = pages(dump);
    let page_of = |small: bool, n: usize| {
        let mark = format!("^{{{n}}}");
        pages.iter().position(|lines| {
            lines
                .iter()
                .any(|(size, t)| (*size <= 10) == small && if small { t.starts_with(&mark) } else { t.contains(&mark) })
        })
    };
    for n in 1..=count {
        let (mark, entry) = (page_of(false, n), page_of(true, n));
        assert!(
            mark.is_some() && mark == entry,
            "{name}: footnote {n}: mark on page {mark:?}, text on page {entry:?}"
        );
    }
}

#[test]
fn the_import_says_what_it_did() {
    let s = Scratch::new();
    let r = s.run(&["nhap-word", fixture("bao-cao-thang").to_str().unwrap(), "--ten", "nhap"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("4 mục lớn, 24 chú thích"), "{}", r.stdout);
    assert!(r.stdout.contains("số liệu thành chỉ tiêu data/2026-02/nhap.csv"), "{}", r.stdout);
    assert!(
        r.stdout.contains("số giữ nguyên chữ") && r.stdout.contains("ngày tháng, năm hoặc số hiệu văn bản"),
        "{}",
        r.stdout
    );
    let mau = s.read("templates/nhap/mau.toml");
    assert!(
        mau.contains("kieu = \"hanh-chinh\"") && mau.contains("nguoi_ky = \"Hà Trọng Hải\""),
        "{mau}"
    );
    let party = s.run(&["nhap-word", fixture("nghi-quyet").to_str().unwrap(), "--ten", "nq"]);
    assert!(s.read("templates/nq/mau.toml").contains("kieu = \"dang\""), "{}", party.stdout);
    let again = s.run(&["nhap-word", fixture("nghi-quyet").to_str().unwrap(), "--ten", "nq"]);
    assert_ne!(again.code, 0);
    assert!(again.stderr.contains("đã có"), "{}", again.stderr);
    let text = s.read("templates/nhap/muc-2-1-2.txt");
    assert!(
        text.contains("{{ nhap.") && text.contains("| tang_giam(1) }} so với cùng kỳ"),
        "{text}"
    );
}

#[test]
fn a_file_that_is_not_word_is_refused_in_vietnamese() {
    let s = Scratch::new();
    s.write("x.docx", "không phải tệp Word");
    let r = s.run(&["nhap-word", "x.docx", "--ten", "x"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("không đọc được như tệp Word .docx"), "{}", r.stderr);
    s.write("cu.doc", "doc");
    let r = s.run(&["nhap-word", "cu.doc", "--ten", "cu"]);
    assert_ne!(r.code, 0);
    let no_office = std::process::Command::new("soffice").arg("--version").output().is_err();
    if no_office {
        assert!(r.stderr.contains("cần LibreOffice"), "{}", r.stderr);
    }
}

#[test]
fn compare_sets_the_word_text_beside_the_pdf() {
    let s = Scratch::new();
    let r = s.run(&["nhap-word", fixture("ke-hoach").to_str().unwrap(), "--ten", "kh", "--so-sanh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("So sánh chữ của tệp Word (W)"), "{}", r.stdout);
}

#[test]
fn next_month_from_an_imported_type() {
    let s = Scratch::new();
    std::fs::remove_dir_all(s.file("data/2026-03")).unwrap();
    let february = flat(&import_and_render(&s, "bao-cao-thang", "nhap", "2026-02"));
    assert!(february.contains("307,2 tỷ đồng, tăng 5,4% so với cùng kỳ"), "{february}");
    let r = s.run(&["new-period", "2026-03"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    // The other sectors belong to the monthly report; their blanks would stop a version.
    for e in std::fs::read_dir(s.file("data/2026-03")).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "csv") && p.file_stem().is_some_and(|n| n != "nhap") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let mut rows = csv::Reader::from_path(s.file("data/2026-03/nhap.csv")).unwrap();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(rows.headers().unwrap()).unwrap();
    let mut count = 0;
    for row in rows.records() {
        let mut cells: Vec<String> = row.unwrap().iter().map(String::from).collect();
        (cells[3], cells[6]) = ("80".into(), "50".into());
        out.write_record(&cells).unwrap();
        count += 1;
    }
    assert!(count > 100, "{count} indicators");
    s.write("data/2026-03/nhap.csv", out.into_inner().unwrap());
    let (_, dump) = s.render_text(&["--report", "nhap", "--period", "2026-03"]);
    let march = flat(&dump);
    assert!(!march.contains("307,2 tỷ đồng"), "the figure did not change");
    assert!(
        march.contains("Giá trị sản xuất công nghiệp trong tháng ước đạt 80 tỷ đồng, tăng 60"),
        "{march}"
    );
    assert!(march.contains("so với cùng kỳ"), "{march}");
}
