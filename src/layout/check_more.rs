//! The layout rules a head of office checks by eye before signing, measured on
//! Typst's frames like the rest of `check.rs`: justified lines that end short of
//! the margin, text over a table's column rule, a header name broken over two
//! lines, a heading or group row left at the foot of a page, a page ending early
//! while the next one goes on, a landscape page for one row, and numbers carrying
//! a spreadsheet's float noise. It refuses to guess: a page it cannot read as
//! body text or as a table is left alone.

use super::check::{
    body_lines, excerpt, is_heading_line, modal_pitch, normalise, paragraph_lines, push, stacked, BodyStats, Expected, PageView, Violation,
    MM,
};
use crate::base::manifest::LayoutRule;
use crate::error::LayoutDetail;
use crate::layout::text::Line;

/// Runs every rule of this file.
pub(super) fn all(views: &[PageView], body: &BodyStats, expected: &Expected, out: &mut Vec<Violation>) {
    ragged_lines(views, body, out);
    text_over_cell_rules(views, out);
    header_names(views, body, expected, out);
    heading_with_one_line(views, body, expected, out);
    group_rows_at_page_end(views, body, out);
    short_pages(views, body, out);
    lone_landscape_rows(views, out);
    float_artefacts(views, out);
}

/// The right edge of the text area of a body page.
fn right_edge(v: &PageView) -> f64 {
    v.width - 15.0 * MM
}

/// A line of a justified paragraph that is followed, at the paragraph's pitch, by
/// a line of the same paragraph (not indented) must reach the right margin.
fn ragged_lines(views: &[PageView], body: &BodyStats, out: &mut Vec<Violation>) {
    for i in 0..body.last_body_page.min(views.len()) {
        let lines = body_lines(views, body, i);
        let pitch = modal_pitch(&lines, body.left);
        if pitch <= 0.0 {
            continue;
        }
        let right = right_edge(&views[i]);
        for w in lines.windows(2) {
            let (a, b) = (w[0], w[1]);
            let continues = b.x0() - body.left < 0.3 * 28.35 && (b.y - a.y - pitch).abs() < 1.0;
            let short = right - a.x1();
            if continues && short > 1.0 * MM && short < 0.8 * (right - body.left) {
                let detail = LayoutDetail::RaggedLine {
                    short_mm: short / MM,
                    excerpt: excerpt(a.text()),
                };
                push(out, LayoutRule::RaggedLine, i, a.y, detail);
            }
        }
    }
}

/// Glyph runs crossed by a vertical rule of a table (the rule inside the run,
/// on the run's line).
fn text_over_cell_rules(views: &[PageView], out: &mut Vec<Violation>) {
    for (i, v) in views.iter().enumerate() {
        for l in &v.lines {
            for r in &l.runs {
                let (x0, x1) = (r.x, r.x + r.width - r.trail);
                let crossed = v
                    .vrules
                    .iter()
                    .any(|c| c.x > x0 + 0.5 && c.x < x1 - 0.5 && c.y0 < r.y && c.y1 > r.y - 0.6 * r.size);
                if crossed && !r.text.trim().is_empty() {
                    let detail = LayoutDetail::TextOverCellRule { excerpt: excerpt(&r.text) };
                    push(out, LayoutRule::TextOverCellRule, i, r.y, detail);
                }
            }
        }
    }
}

/// Each agency name and place name of page 1's header block on one line: a name
/// found only by joining two stacked lines was broken.
fn header_names(views: &[PageView], body: &BodyStats, expected: &Expected, out: &mut Vec<Violation>) {
    let Some(v) = views.first() else { return };
    let lines: Vec<&Line> = v.lines.iter().filter(|l| l.y <= body.header_end + 0.1).collect();
    let names = expected.agencies.iter().chain(&expected.places);
    for name in names.map(|n| normalise(n)).filter(|n| n.contains(' ')) {
        if lines.iter().any(|l| normalise(l.text()).contains(&name)) {
            continue;
        }
        let broken = lines.iter().enumerate().find_map(|(j, b)| {
            let a = lines[..j].iter().rev().find(|a| stacked(a, b) && b.y - a.y < 2.0 * b.size)?;
            let joined = format!("{} {}", normalise(a.text()), normalise(b.text()));
            joined.contains(&name).then_some(b.y)
        });
        if let Some(y) = broken {
            push(out, LayoutRule::HeaderNameBroken, 0, y, LayoutDetail::HeaderNameBroken { name });
        }
    }
}

/// A heading followed by a single line of its paragraph at the foot of a page.
fn heading_with_one_line(views: &[PageView], body: &BodyStats, expected: &Expected, out: &mut Vec<Violation>) {
    for i in 0..body.last_body_page.saturating_sub(1) {
        let lines = body_lines(views, body, i);
        let [.., heading, last] = lines.as_slice() else { continue };
        let first_line = last.x0() - body.left > 0.3 * 28.35 && paragraph_lines(&lines) == 1;
        if first_line && is_heading_line(heading, expected) {
            let detail = LayoutDetail::EndsWithHeading {
                excerpt: excerpt(heading.text()),
            };
            push(out, LayoutRule::PageEndsWithHeading, i, heading.y, detail);
        }
    }
}

/// A group row's code: a Roman numeral (I, IV) or one capital letter (A, B).
fn is_group_code(s: &str) -> bool {
    crate::layout::appendix::is_group_code(s)
}

/// The first cell of a line (its leftmost segment).
fn first_cell(l: &Line) -> String {
    l.segments().first().map(|s| s.text().to_string()).unwrap_or_default()
}

/// An appendix page (after the body) whose last row is a bold group row, with the
/// table going on over the page.
fn group_rows_at_page_end(views: &[PageView], body: &BodyStats, out: &mut Vec<Violation>) {
    for i in body.last_body_page..views.len().saturating_sub(1) {
        let v = &views[i];
        let lines: Vec<&Line> = v.lines.iter().filter(|l| !l.text().trim().is_empty()).collect();
        let tail: Vec<&&Line> = lines.iter().rev().take_while(|l| l.bold()).collect();
        let Some(top) = tail.last() else { continue };
        let code = first_cell(top);
        let continues = views[i + 1].landscape() == v.landscape() && !views[i + 1].vrules.is_empty();
        if is_group_code(&code) && tail.len() <= 3 && continues && !v.vrules.is_empty() {
            let detail = LayoutDetail::EndsWithGroupRow {
                excerpt: excerpt(top.text()),
            };
            push(out, LayoutRule::PageEndsWithHeading, i, top.y, detail);
        }
    }
}

/// A body page (not the last) whose text stops more than three lines above where
/// it could go (the bottom margin, or the footnotes' area) while the next page
/// starts with body text that is not a heading.
fn short_pages(views: &[PageView], body: &BodyStats, out: &mut Vec<Violation>) {
    for i in 0..body.last_body_page.saturating_sub(1) {
        let lines = body_lines(views, body, i);
        let pitch = modal_pitch(&lines, body.left).max(body.size * 1.2);
        let Some(last) = lines.last() else { continue };
        let v = &views[i];
        let notes_top = v
            .lines
            .iter()
            .filter(|l| l.y > last.y && l.size < body.size - 1.0)
            .map(|l| l.y - l.size - 8.0 - 0.5 * l.size)
            .fold(v.height - 20.0 * MM, f64::min);
        let empty = notes_top - last.y;
        let next = body_lines(views, body, i + 1);
        let next_is_text = next.first().is_some_and(|l| !l.bold() && !l.italic());
        let lines_short = (empty / pitch).floor() as usize;
        if lines_short > 3 && next_is_text {
            let detail = LayoutDetail::ShortPage {
                empty_mm: empty / MM,
                lines: lines_short,
            };
            push(out, LayoutRule::ShortPage, i, last.y, detail);
        }
    }
}

/// A row code in a table's first column: "1", "1.2", "IV", "A".
fn is_row_code(s: &str) -> bool {
    let s = s.trim().trim_end_matches('.');
    !s.is_empty() && (s.chars().all(|c| c.is_ascii_digit() || c == '.') || is_group_code(s))
}

/// A landscape page whose table holds one row (one row code in the first column)
/// and whose text ends in the upper half of the page.
fn lone_landscape_rows(views: &[PageView], out: &mut Vec<Violation>) {
    for (i, v) in views.iter().enumerate().filter(|(_, v)| v.landscape() && !v.vrules.is_empty()) {
        let table_left = v.vrules.iter().map(|r| r.x).fold(f64::MAX, f64::min);
        let first_col = v
            .vrules
            .iter()
            .map(|r| r.x)
            .filter(|x| *x > table_left + 1.0)
            .fold(f64::MAX, f64::min);
        let rows: Vec<&Line> = v
            .lines
            .iter()
            .filter(|l| l.x0() > table_left && l.x0() < first_col && is_row_code(&first_cell(l)))
            .collect();
        let bottom = v.lines.iter().map(|l| l.y).fold(0.0, f64::max);
        if rows.len() == 1 && bottom < 0.5 * v.height {
            let detail = LayoutDetail::LoneLandscapeRow {
                excerpt: excerpt(rows[0].text()),
            };
            push(out, LayoutRule::LoneLandscapeRow, i, rows[0].y, detail);
        }
    }
}

/// Numbers printed with a spreadsheet's binary noise: a decimal comma followed by
/// five digits or more ("434,000000", "433,99999").
fn float_artefacts(views: &[PageView], out: &mut Vec<Violation>) {
    for (i, v) in views.iter().enumerate() {
        for l in &v.lines {
            if let Some(number) = noisy_number(l.text()) {
                push(out, LayoutRule::FloatArtefact, i, l.y, LayoutDetail::FloatArtefact { number });
            }
        }
    }
}

/// The first number of `text` written with five decimals or more.
pub(super) fn noisy_number(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for (k, c) in chars.iter().enumerate() {
        if *c != ',' || k == 0 || !chars[k - 1].is_ascii_digit() {
            continue;
        }
        let decimals = chars[k + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if decimals >= 5 {
            let start = chars[..k]
                .iter()
                .rposition(|c| !(c.is_ascii_digit() || *c == '.'))
                .map_or(0, |p| p + 1);
            return Some(chars[start..k + 1 + decimals].iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noisy_numbers_are_the_long_decimals_only() {
        assert_eq!(noisy_number("434,000000 trường hợp").as_deref(), Some("434,000000"));
        assert_eq!(noisy_number("đạt 1.433,99999 tỷ").as_deref(), Some("1.433,99999"));
        assert_eq!(noisy_number("2.192,42 ha; 1,863 triệu con; 5,4%"), None);
        assert_eq!(noisy_number("năm 2026, 12345 lượt"), None);
    }

    #[test]
    fn row_codes() {
        assert!(is_row_code("1") && is_row_code("2.1") && is_row_code("IV") && is_row_code("A"));
        assert!(!is_row_code("TT") && !is_row_code("Chỉ tiêu") && !is_row_code(""));
    }
}
