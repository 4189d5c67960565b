//! The Word side of `nhap-word --so-sanh`: the document's body text, paragraph by
//! paragraph, as Word shows it (footnote marks and footnotes left out, the hand-typed
//! heading numbers kept), to be set beside the rendered text by the hall.
//! Refuses nothing.

use super::docx::Docx;
use super::shape::Shape;

/// The body paragraphs' text, empty ones dropped.
pub fn word_text(_doc: &Docx, shape: &Shape) -> Vec<String> {
    shape
        .body
        .iter()
        .map(|p| p.text().split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect()
}
