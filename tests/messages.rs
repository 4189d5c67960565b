//! Where the program's words live (issue 24): every message a person reads is
//! in one place per layer — library texts in `src/error/`, the console's lines in
//! `src/cmd/messages.rs` (clap's own words in `src/cmd/vietnamese.rs`), the page's
//! words in `src/serve/messages.rs` and `src/serve/assets/`. Everywhere else a
//! Vietnamese string literal is refused, except in the files listed below whose
//! literals are the document's own vocabulary (words printed in the report:
//! "tăng", "quý", "Nơi nhận", the national motto) or what the stale check looks for.

use std::path::{Path, PathBuf};

/// Message catalogues.
const CATALOGUES: [&str; 4] = [
    "src/error/",
    "src/cmd/messages.rs",
    "src/cmd/vietnamese.rs",
    "src/serve/messages.rs",
];

/// Files whose Vietnamese literals are document vocabulary, not messages.
const VOCABULARY: [(&str, &str); 21] = [
    ("src/base/manifest.rs", "the national motto and the Party's name in the header"),
    (
        "src/base/words.rs",
        "the sector files' column names as the pages print them: Giá trị, Cùng kỳ",
    ),
    ("src/base/period.rs", "period words printed in titles: tháng, quý, năm"),
    ("src/figures/check.rs", "the names of plan columns as the report prints them"),
    ("src/figures/derive.rs", "comparison words: tăng, giảm, điểm %"),
    ("src/figures/remaining.rs", "the technical detail naming a cell"),
    ("src/figures/target.rs", "target words: Đạt, Tối thiểu, Khoảng"),
    (
        "src/import/vocabulary.rs",
        "the words the Word importer recognises: Nơi nhận, Số, ngày tháng năm, units, tăng/giảm",
    ),
    ("src/layout/chart.rs", "chart labels printed in the appendix"),
    ("src/layout/check.rs", "the 'Nơi nhận' block the layout check looks for"),
    ("src/layout/handoff.rs", "'Lưu' recipients in the e-office metadata"),
    ("src/layout/indicator_table.rs", "indicator table headers"),
    ("src/layout/indicator_table/xlsx.rs", "the same headers in the xlsx"),
    ("src/office/scaffold.rs", "the starter mau.toml and fragments of a new report type"),
    ("src/project/render.rs", "the header's place, number and date line"),
    ("src/project/views.rs", "comparison phrases shown beside each figure"),
    ("src/wording/filters.rs", "words the number filters print"),
    ("src/wording/markup.rs", "the document's own quotes and dashes"),
    ("src/wording/mod.rs", "có / không printed for true / false"),
    ("src/wording/numbering.rs", "the Vietnamese letter đ of heading numbers"),
    ("src/wording/stale.rs", "month and event words the stale check looks for"),
];

fn vietnamese(s: &str) -> bool {
    s.chars().any(|c| matches!(c, 'đ' | 'Đ' | 'ă' | 'Ă' | 'â' | 'Â' | 'ê' | 'Ê' | 'ô' | 'Ô' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | '\u{1EA0}'..='\u{1EF9}' | 'à'..='ý' | 'À'..='Ý'))
}

/// The string literals of a line (a simple scan: "..." with escapes).
fn literals(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut inside, mut escaped) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match (inside, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => {
                out.push(std::mem::take(&mut cur));
                inside = false;
            }
            (true, false, c) => cur.push(c),
            (false, _, '"') => inside = true,
            _ => {}
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn vietnamese_words_live_in_the_catalogues_or_are_the_documents_own() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut strays = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if CATALOGUES.iter().any(|c| rel.starts_with(c)) || VOCABULARY.iter().any(|(v, _)| rel == *v) {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            let t = line.trim_start();
            let clap = rel.starts_with("src/cmd/") && (t.contains("value_name") || t.contains("help_template"));
            if t.starts_with("//") || clap {
                continue;
            }
            if literals(line).iter().any(|l| vietnamese(l)) {
                strays.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        strays.is_empty(),
        "Vietnamese text outside the message catalogues:\n{}",
        strays.join("\n")
    );
}

#[test]
fn the_scan_sees_a_stray_message() {
    assert!(literals(r#"println!("Đã lưu {x}", "a\"b");"#).iter().any(|l| vietnamese(l)));
    assert!(!literals(r#"let x = "ascii only";"#).iter().any(|l| vietnamese(l)));
}
