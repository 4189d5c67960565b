//! What changed in the wording of a document between two versions: the
//! document's own text (each fragment as rendered, before layout, so that
//! footnote bodies never interleave with the sentence that cites them) cut
//! into sentences, compared sentence by sentence, with the changed words
//! marked (`baocao diff`). Versions made before the document's text was kept
//! are compared on their laid-out text ([`sentences`]).

use crate::base::align::{align, Step};

/// The sentences of a text dump ([`crate::layout::text::dump`]): page markers,
/// font-size prefixes and page numbers dropped, lines joined, cut after
/// `.`, `;` or `:` followed by a space.
pub fn sentences(dump: &str) -> Vec<String> {
    let mut joined = String::new();
    for line in dump.lines() {
        if line.starts_with("=== trang ") {
            continue;
        }
        let text = line.split_once("] ").map_or(line, |(_, t)| t).trim();
        if text.is_empty() || text.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        // A line broken after a hyphen inside a word ("01/NQ-" + "CP") joins without a space.
        let mut end = joined.chars().rev();
        let broken_word = end.next() == Some('-') && end.next().is_some_and(|c| !c.is_whitespace());
        if !joined.is_empty() && !broken_word {
            joined.push(' ');
        }
        joined.push_str(text);
    }
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = joined.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        if matches!(c, '.' | ';' | ':') && chars.peek() == Some(&' ') {
            out.push(std::mem::take(&mut current).trim().to_string());
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// Separates a sentence's fragment from its text in a version's `NNN.van-ban.txt`.
pub const FRAGMENT_SEP: char = '\t';

/// The sentences of one fragment's rendered text (minijinja output): values
/// as printed, `**` and `__` marks dropped, each footnote `^[...]` taken out of
/// its sentence and given as its own sentences right after it; paragraphs
/// (blank lines, `- ` items) never join.
pub fn fragment_sentences(output: &str) -> Vec<String> {
    let plain: String = output
        .chars()
        .filter(|c| !crate::wording::markup::is_sentinel(*c))
        .collect::<String>()
        .replace("**", "")
        .replace("__", "");
    let (body, notes) = split_footnotes(&plain);
    let mut out = Vec::new();
    for para in paragraphs(&body) {
        out.extend(cut(&para));
    }
    for n in notes {
        out.extend(fragment_sentences(&n));
    }
    out
}

/// The text without its footnotes, and the footnotes' bodies (nested brackets kept).
fn split_footnotes(s: &str) -> (String, Vec<String>) {
    let (mut body, mut notes) = (String::new(), Vec::new());
    let mut rest = s;
    while let Some(a) = rest.find("^[") {
        body.push_str(&rest[..a]);
        let inner = &rest[a + 2..];
        let mut depth = 1;
        let end = inner
            .char_indices()
            .find(|(_, c)| {
                depth += match c {
                    '[' => 1,
                    ']' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map_or(inner.len(), |(i, _)| i);
        notes.push(inner[..end].to_string());
        rest = inner.get(end + 1..).unwrap_or("");
    }
    body.push_str(rest);
    (body, notes)
}

/// Paragraphs: blank lines and `- ` items start a new one; lines inside join with a space.
fn paragraphs(s: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for line in s.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("- ") {
            out.push(String::new());
        }
        let last = out.last_mut().expect("never empty");
        if !line.is_empty() {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(line);
        }
    }
    out.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// One paragraph cut after `.`, `;` or `:` followed by a space.
fn cut(para: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = para.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        if matches!(c, '.' | ';' | ':') && chars.peek().is_some_and(|n| n.is_whitespace()) && !is_item_number(&current) {
            out.push(std::mem::take(&mut current).split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    let last = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !last.is_empty() {
        out.push(last);
    }
    out
}

/// Whether `text` is only an item's number ("1.", "{{ stt() }}."), which
/// starts its sentence rather than ending one.
pub fn is_item_number(text: &str) -> bool {
    let plain = without_spans(text, "{{", "}}");
    let plain = plain.trim();
    plain.ends_with('.') && plain.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The document's own sentences, one line each: `fragment<TAB>sentence`, in document order.
pub fn document_text(blocks: &[crate::layout::Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        if let crate::layout::Block::Fragment(f) = b {
            for sentence in fragment_sentences(&f.output) {
                out.push_str(&format!("{}{FRAGMENT_SEP}{sentence}\n", f.name));
            }
        }
    }
    out
}

/// A changed sentence of the document, with the fragment it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceChange {
    /// The fragment (name) of the new sentence, else of the old one.
    pub fragment: String,
    pub old: String,
    pub new: String,
}

/// The changed sentences between two `NNN.van-ban.txt` texts.
pub fn document_changes(old: &str, new: &str) -> Vec<SentenceChange> {
    let split = |t: &str| -> Vec<(String, String)> {
        t.lines()
            .filter_map(|l| l.split_once(FRAGMENT_SEP))
            .map(|(f, s)| (f.to_string(), s.to_string()))
            .collect()
    };
    let (a, b) = (split(old), split(new));
    let texts = |v: &[(String, String)]| v.iter().map(|(_, s)| s.clone()).collect::<Vec<_>>();
    let fragment_of = |v: &[(String, String)], sentence: &str| {
        let plain = sentence.replace(['«', '»'], "");
        v.iter().find(|(_, s)| *s == plain).map(|(f, _)| f.clone())
    };
    changes(&texts(&a), &texts(&b))
        .into_iter()
        .map(|c| SentenceChange {
            fragment: fragment_of(&b, &c.new).or_else(|| fragment_of(&a, &c.old)).unwrap_or_default(),
            old: c.old,
            new: c.new,
        })
        .collect()
}

/// A changed sentence: the old and the new wording, changed words in «…»
/// (an empty side for a sentence that was removed or added).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub old: String,
    pub new: String,
}

/// The sentences that differ between `old` and `new`, removed ones paired
/// with the added ones that took their place.
pub fn changes(old: &[String], new: &[String]) -> Vec<Change> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    let (mut removed, mut added): (Vec<&str>, Vec<&str>) = (vec![], vec![]);
    let steps = align(old, new);
    for (k, step) in steps.iter().enumerate() {
        match step {
            Step::Same => (i, j) = (i + 1, j + 1),
            Step::Removed => (removed.push(&old[i]), i += 1).1,
            Step::Added => (added.push(&new[j]), j += 1).1,
        }
        if steps.get(k + 1).is_none_or(|s| *s == Step::Same) {
            flush(&mut removed, &mut added, &mut out);
        }
    }
    out
}

/// Pairs a run of removed sentences with the run of added ones.
fn flush(removed: &mut Vec<&str>, added: &mut Vec<&str>, out: &mut Vec<Change>) {
    for k in 0..removed.len().max(added.len()) {
        let (o, n) = (removed.get(k).copied().unwrap_or(""), added.get(k).copied().unwrap_or(""));
        let (old, new) = mark_words(o, n);
        out.push(Change { old, new });
    }
    removed.clear();
    added.clear();
}

/// Both sentences with the words that differ wrapped in «…».
pub fn mark_words(old: &str, new: &str) -> (String, String) {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    let steps = align(&a, &b);
    let (mut i, mut j) = (0, 0);
    let (mut o, mut n): (Vec<String>, Vec<String>) = (vec![], vec![]);
    for s in steps {
        match s {
            Step::Same => {
                o.push(a[i].to_string());
                n.push(b[j].to_string());
                (i, j) = (i + 1, j + 1);
            }
            Step::Removed => (o.push(format!("«{}»", a[i])), i += 1).1,
            Step::Added => (n.push(format!("«{}»", b[j])), j += 1).1,
        }
    }
    (join_marks(&o), join_marks(&n))
}

/// Joins words, merging neighbouring marks: «a» «b» -> «a b».
fn join_marks(words: &[String]) -> String {
    words.join(" ").replace("» «", " ")
}

/// `s` without every span from `open` to the next `close` (an unclosed span runs to the end).
///
/// ```
/// use baocao::textdiff::without_spans;
/// assert_eq!(without_spans("a {# x #}b{# y", "{#", "#}"), "a b");
/// assert_eq!(without_spans("kế hoạch^{13}.", "^{", "}"), "kế hoạch.");
/// ```
pub fn without_spans(s: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(a) = rest.find(open) {
        out.push_str(&rest[..a]);
        rest = rest[a + open.len()..]
            .find(close)
            .map_or("", |b| &rest[a + open.len() + b + close.len()..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_join_lines_and_skip_page_numbers() {
        let dump = "=== trang 1 ===\n[14] Thu ngân sách đạt 612,35 tỷ\n[14] đồng, tăng 11,6%. Chi đạt\n=== trang 2 ===\n[13] 2\n[14] 1.006 tỷ đồng; Nghị quyết 01/NQ-\n[14] CP xong\n";
        assert_eq!(
            sentences(dump),
            [
                "Thu ngân sách đạt 612,35 tỷ đồng, tăng 11,6%.",
                "Chi đạt 1.006 tỷ đồng;",
                "Nghị quyết 01/NQ-CP xong"
            ]
        );
    }

    #[test]
    fn fragment_sentences_keep_footnotes_out_of_their_sentence() {
        assert_eq!(fragment_sentences("1. Làm tốt. Xong."), ["1. Làm tốt.", "Xong."]);
        let out = "Đàn trâu \u{E000}84.860\u{E001} con^[Trong đó: trâu cày [a] 10 con. Bò 5 con.], tăng **2%**. Chi đạt 5 tỷ;\n- Mục một: xong\n\nĐoạn hai.";
        assert_eq!(
            fragment_sentences(out),
            [
                "Đàn trâu 84.860 con, tăng 2%.",
                "Chi đạt 5 tỷ;",
                "- Mục một:",
                "xong",
                "Đoạn hai.",
                "Trong đó:",
                "trâu cày [a] 10 con.",
                "Bò 5 con."
            ]
        );
        let old = "a\tCâu một.\nb\tThu 5 tỷ.\n";
        let new = "a\tCâu một.\nb\tThu 6 tỷ.\n";
        let c = document_changes(old, new);
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].fragment.as_str(), c[0].new.as_str()), ("b", "Thu «6» tỷ."));
    }

    #[test]
    fn a_changed_figure_is_marked_in_its_sentence() {
        let old: Vec<String> = ["A giữ nguyên.", "Thu đạt 612,35 tỷ đồng, tăng 11,6%.", "B."]
            .map(String::from)
            .to_vec();
        let new: Vec<String> = ["A giữ nguyên.", "Thu đạt 621,35 tỷ đồng, tăng 13,2%.", "B."]
            .map(String::from)
            .to_vec();
        let c = changes(&old, &new);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].old, "Thu đạt «612,35» tỷ đồng, tăng «11,6%.»");
        assert_eq!(c[0].new, "Thu đạt «621,35» tỷ đồng, tăng «13,2%.»");
        let gone = changes(&old, &old[..2]);
        assert_eq!(
            gone,
            [Change {
                old: "«B.»".into(),
                new: String::new()
            }]
        );
    }
}
