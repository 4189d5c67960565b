//! Heading numbers: a report type's sections numbered from the manifest's order,
//! gap-free, by a pattern per level (administrative I. 1. a); Party I- 1- 1.1.).
//! Change how headings are numbered here; nothing else numbers them.

use crate::base::manifest::Style;
use crate::base::period::roman;

/// Letters for level-3 points in Vietnamese order (no f, j, w, z; đ after d).
const LETTERS: [&str; 23] = [
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y",
];

/// Default heading number patterns: administrative I. 1. a); Party I- 1- 1.1.
pub fn default_patterns(style: Style) -> [&'static str; 3] {
    match style {
        Style::Administrative => ["I.", "1.", "a)"],
        Style::Party => ["I-", "1-", "1.1."],
    }
}

/// Heading numbers from the manifest's order, gap-free: a pattern per level
/// (`I` Roman, `1` Arabic, `a` Vietnamese letter, `1.1` parent.child, then the suffix).
pub fn number_sections(levels: &[u8], patterns: &[String]) -> Vec<String> {
    let mut c = [0usize; 3];
    levels
        .iter()
        .map(|&l| {
            let l = l.clamp(1, 3) as usize;
            c[l - 1] += 1;
            for x in c.iter_mut().skip(l) {
                *x = 0;
            }
            let p = patterns.get(l - 1).map(String::as_str).unwrap_or("1.");
            let n = c[l - 1];
            if let Some(rest) = p.strip_prefix("1.1") {
                format!("{}.{n}{rest}", if l > 1 { c[l - 2] } else { 0 })
            } else if let Some(rest) = p.strip_prefix('I') {
                format!("{}{rest}", roman(n as u32))
            } else if let Some(rest) = p.strip_prefix('a') {
                format!("{}{rest}", LETTERS.get(n - 1).copied().unwrap_or("?"))
            } else {
                format!("{n}{}", p.strip_prefix('1').unwrap_or(p))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_has_no_gaps() {
        let p = |s: Style| default_patterns(s).map(String::from).to_vec();
        let n = number_sections(&[1, 2, 3, 3, 3, 3, 3, 3, 2, 1, 2], &p(Style::Administrative));
        assert_eq!(n, ["I.", "1.", "a)", "b)", "c)", "d)", "đ)", "e)", "2.", "II.", "1."]);
        assert_eq!(
            number_sections(&[1, 2, 2, 3, 3], &p(Style::Party)),
            ["I-", "1-", "2-", "2.1.", "2.2."]
        );
        let custom = ["I-".to_string(), "1.".into(), "1.1.".into()];
        assert_eq!(number_sections(&[1, 2, 3, 1], &custom), ["I-", "1.", "1.1.", "II-"]);
    }
}
