//! The body of an imported document as a report type's sections: numbered bold
//! headings (or Word's Heading styles) become `[[muc]]` entries whose numbers the
//! program writes again (the document's own numbering kept as `danh_so`), the
//! paragraphs under each heading its fragment, with bold and italic as `**`/`__`,
//! footnotes as `^[...]` at their marks, and the figures as `{{ sector.code }}`.
//!
//! Refuses nothing: a footnote mark without a footnote, or a heading deeper than
//! level 3, is listed as not read (with its paragraph) and left out or kept as text.

use std::collections::BTreeMap;

use super::docx::{Inline, Para};
use super::figures::{escape, Figures};
use super::vocabulary as voc;
use crate::error::UnreadPart;

/// One `[[muc]]` of mau.toml.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub level: Option<u8>,
    pub title: Option<String>,
    pub fragment: Option<String>,
}

/// The sections, their fragments' text and what was counted on the way.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub sections: Vec<Section>,
    /// (fragment name, text).
    pub fragments: Vec<(String, String)>,
    /// The document's heading number pattern per level ("I-", "1.", "a)").
    pub numbering: [Option<String>; 3],
    pub footnotes: usize,
    pub unread: Vec<(UnreadPart, String)>,
    /// The heading titles in order (for the comparison and the tests).
    pub headings: Vec<String>,
}

/// A heading's level, its number pattern and its title without the number.
pub fn heading(p: &Para) -> Option<(u8, Option<String>, String)> {
    let text = p.text().trim().to_string();
    let by_style = voc::heading_style_level(&p.style);
    if text.is_empty() || !(p.all_bold() || by_style.is_some()) || text.chars().count() > 300 {
        return None;
    }
    match numbered(&text) {
        Some((level, pattern, rest)) => Some((level, Some(pattern), rest)),
        None => by_style.map(|l| (l, None, text)),
    }
}

/// "I- TÌNH HÌNH" -> (1, "I-", "TÌNH HÌNH"); "2.1. Mục tiêu" -> (3, "1.1.", ..);
/// "1. Về kinh tế" -> (2, "1.", ..); "a) Nông nghiệp" -> (3, "a)", ..).
fn numbered(text: &str) -> Option<(u8, String, String)> {
    let head: String = text.chars().take_while(|c| !c.is_whitespace()).collect();
    let rest = text[head.len()..].trim().to_string();
    if rest.is_empty() {
        return None;
    }
    let (body, sep) = head.split_at(head.len() - head.chars().last()?.len_utf8());
    let roman = !body.is_empty() && body.chars().all(|c| "IVXL".contains(c));
    let arabic = !body.is_empty() && body.chars().all(|c| c.is_ascii_digit()) && body.len() <= 2;
    let nested = body.split('.').count() == 2 && body.split('.').all(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
    let letter = body.chars().count() == 1 && body.chars().all(|c| c.is_lowercase());
    match sep {
        "." | "-" if roman => Some((1, format!("I{sep}"), rest)),
        "." | "-" if arabic => Some((2, format!("1{sep}"), rest)),
        "." if nested => Some((3, "1.1.".into(), rest)),
        ")" if letter => Some((3, "a)".into(), rest)),
        _ => None,
    }
}

/// Builds the sections and fragments of the body.
pub fn body(paras: &[Para], notes: &BTreeMap<String, Vec<Para>>, figures: &mut Figures) -> Body {
    let mut b = Body::default();
    let mut counters = [0usize; 3];
    let mut current = String::from("mo-dau");
    let mut text: Vec<String> = Vec::new();
    for p in paras {
        if let Some((level, pattern, title)) = heading(p) {
            flush(&mut b, &current, &mut text);
            let l = usize::from(level.clamp(1, 3)) - 1;
            counters[l] += 1;
            counters[l + 1..].iter_mut().for_each(|c| *c = 0);
            if b.numbering[l].is_none() {
                b.numbering[l] = pattern;
            }
            if p.inlines.iter().any(|i| matches!(i, Inline::Note(_))) {
                b.unread.push((UnreadPart::NoteInHeading, p.text()));
            }
            current = format!("muc-{}", counters[..=l].iter().map(|c| c.to_string()).collect::<Vec<_>>().join("-"));
            b.headings.push(title.clone());
            b.sections.push(Section {
                level: Some(level),
                title: Some(escape(&title)),
                fragment: None,
            });
            continue;
        }
        let line = paragraph(p, notes, figures, &mut b);
        if !line.trim().is_empty() {
            text.push(line);
        }
    }
    flush(&mut b, &current, &mut text);
    b
}

/// Ends the current section's fragment (if it has text).
fn flush(b: &mut Body, name: &str, text: &mut Vec<String>) {
    if text.is_empty() {
        return;
    }
    b.fragments.push((name.to_string(), std::mem::take(text).join("\n\n") + "\n"));
    match b.sections.last_mut() {
        Some(s) if name != "mo-dau" => s.fragment = Some(name.to_string()),
        _ => b.sections.insert(
            0,
            Section {
                level: None,
                title: None,
                fragment: Some(name.to_string()),
            },
        ),
    }
}

/// One paragraph in the fragment language.
fn paragraph(p: &Para, notes: &BTreeMap<String, Vec<Para>>, figures: &mut Figures, b: &mut Body) -> String {
    let mut out = String::new();
    for i in &p.inlines {
        match i {
            Inline::Text { text, bold, italic } => out.push_str(&styled(&figures.convert(text), *bold, *italic)),
            Inline::Note(id) => match notes.get(id) {
                Some(ps) => {
                    b.footnotes += 1;
                    let inner: Vec<String> = ps.iter().map(|n| note_text(n, figures)).filter(|t| !t.is_empty()).collect();
                    out = out.trim_end().to_string();
                    out.push_str(&format!("^[{}]", inner.join(" ")));
                }
                None => b.unread.push((UnreadPart::MissingNote(id.clone()), p.text())),
            },
        }
    }
    out.trim().to_string()
}

fn note_text(p: &Para, figures: &mut Figures) -> String {
    let mut out = String::new();
    for i in &p.inlines {
        if let Inline::Text { text, bold, italic } = i {
            out.push_str(&styled(&figures.convert(text), *bold, *italic));
        }
    }
    out.trim().to_string()
}

/// `**text**` / `__text__` around the words, spaces left outside.
fn styled(text: &str, bold: bool, italic: bool) -> String {
    let inner = text.trim();
    if inner.is_empty() || !(bold || italic) {
        return text.to_string();
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let tail = &text[text.trim_end().len()..];
    let mut s = inner.to_string();
    if italic {
        s = format!("__{s}__");
    }
    if bold {
        s = format!("**{s}**");
    }
    format!("{lead}{s}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_numbers() {
        assert_eq!(numbered("I- TÌNH HÌNH"), Some((1, "I-".into(), "TÌNH HÌNH".into())));
        assert_eq!(numbered("2.1. Đến năm 2030"), Some((3, "1.1.".into(), "Đến năm 2030".into())));
        assert_eq!(numbered("1. Về kinh tế"), Some((2, "1.".into(), "Về kinh tế".into())));
        assert_eq!(numbered("đ) Doanh nghiệp"), Some((3, "a)".into(), "Doanh nghiệp".into())));
        assert_eq!(numbered("2035. Năm"), None);
    }
}
