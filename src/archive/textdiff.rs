//! What changed in the wording of a document between two versions: the
//! laid-out text cut into sentences, compared sentence by sentence, with the
//! changed words marked (`baocao diff`).

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

/// One step of an alignment of two sequences.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Same,
    Removed,
    Added,
}

/// Longest-common-subsequence alignment of `a` and `b`.
fn align<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Step> {
    let (n, m) = (a.len(), b.len());
    let mut len = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[i][j] = if a[i] == b[j] {
                len[i + 1][j + 1] + 1
            } else {
                len[i + 1][j].max(len[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut steps) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            steps.push(Step::Same);
            (i, j) = (i + 1, j + 1);
        } else if j < m && (i == n || len[i][j + 1] >= len[i + 1][j]) {
            steps.push(Step::Added);
            j += 1;
        } else {
            steps.push(Step::Removed);
            i += 1;
        }
    }
    steps
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
