//! The laid-out document measured against the format rules of its style
//! (Nghị định 30/2020/NĐ-CP Phụ lục I for administrative documents, Hướng dẫn
//! 36-HD/VPTW for Party documents). Everything is read from Typst's frames,
//! never from a PDF reader. A report type may relax a rule in its mau.toml
//! (`[[noi_long]]` with `quy_tac` and `ly_do`).

use std::collections::HashMap;

use typst_layout::PagedDocument;

use crate::error::{Findings, LayoutDetail, Location, MarginSide, Problem, Severity};
use crate::layout::text::{self, Line, Rule, VRule};

/// Word's single line spacing for Times New Roman / Liberation Serif, per point of font size.
pub const SINGLE: f64 = 1.149;
pub(super) const MM: f64 = 72.0 / 25.4;
/// Measurement tolerance in points.
const TOL: f64 = 0.6;

pub use crate::base::manifest::LayoutRule;

/// What the check needs to know about the document besides its frames.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    /// Lines that must appear on page 1 (issuing body, national title, motto, number, date, kind).
    pub header_lines: Vec<String>,
    /// The document kind and trích yếu lines: page 1's body starts under the last of them.
    pub title_lines: Vec<String>,
    /// Heading texts as printed ("I. TÌNH HÌNH ...").
    pub headings: Vec<String>,
    /// The signer's name (the last line of the signature block).
    pub signer: String,
    /// Place names that must not be split across lines.
    pub places: Vec<String>,
    /// Agency names of the header (upper body, issuing body lines): each on one line.
    pub agencies: Vec<String>,
    /// Rules relaxed by the report type.
    pub relaxed: Vec<LayoutRule>,
}

/// One violation: rule, page (1-based), distance from the top edge in mm, what was measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub rule: LayoutRule,
    pub page: usize,
    pub y_mm: f64,
    pub detail: LayoutDetail,
}

/// A laid-out page: size, text lines, horizontal rules.
pub(super) struct PageView {
    pub(super) width: f64,
    pub(super) height: f64,
    pub(super) lines: Vec<Line>,
    pub(super) rules: Vec<Rule>,
    pub(super) vrules: Vec<VRule>,
}

impl PageView {
    pub(super) fn landscape(&self) -> bool {
        self.width > self.height
    }
}

/// Measures `doc`, whose laid-out text is `lines` (page by page, as
/// [`text::pages`] reads it), and returns the violations of the rules not relaxed.
pub fn check(doc: &PagedDocument, lines: &[Vec<Line>], expected: &Expected) -> Vec<Violation> {
    let views = views(doc, lines);
    let mut out = Vec::new();
    let body = BodyStats::of(&views, expected);
    paper_size(&views, &mut out);
    margins(&views, &body, &mut out);
    body_size(&body, &mut out);
    line_pitch(&views, &mut out);
    paragraphs(&views, &body, &mut out);
    page_numbers(&views, &body, &mut out);
    header_elements(&views, expected, &mut out);
    signature(&views, &body, &mut out);
    page_ends(&views, &body, expected, &mut out);
    broken_codes(&views, &body, expected, &mut out);
    rules_through_text(&views, &mut out);
    crate::layout::check_more::all(&views, &body, expected, &mut out);
    out.retain(|v| !expected.relaxed.contains(&v.rule));
    out
}

/// The violations as findings (warnings) located at the report type's manifest.
pub fn findings(violations: &[Violation], manifest_file: &std::path::Path, findings: &mut Findings) {
    for v in violations {
        findings.push(
            Severity::Warning,
            Location::file(manifest_file),
            None,
            Problem::Layout {
                rule: v.rule.code(),
                page: v.page,
                y_mm: v.y_mm,
                detail: v.detail.to_string(),
            },
        );
    }
}

fn views(doc: &PagedDocument, pages: &[Vec<Line>]) -> Vec<PageView> {
    pages
        .iter()
        .zip(doc.pages())
        .map(|(lines, page)| {
            let mut lines: Vec<Line> = lines.iter().flat_map(Line::segments).collect();
            lines.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0().total_cmp(&b.x0())));
            let (mut rules, mut vrules) = (Vec::new(), Vec::new());
            text::rules(&page.frame, typst::layout::Point::zero(), &mut rules);
            text::vrules(&page.frame, typst::layout::Point::zero(), &mut vrules);
            let size = page.frame.size();
            PageView {
                width: size.x.to_pt(),
                height: size.y.to_pt(),
                lines,
                rules,
                vrules,
            }
        })
        .collect()
}

/// Body text facts shared by several rules.
pub(super) struct BodyStats {
    /// Body font size (the most used size on the body pages).
    pub(super) size: f64,
    /// Pages of the body (1-based, up to the signature page); later pages are appendices.
    pub(super) last_body_page: usize,
    /// Left edge and right edge of the text area, per page.
    pub(super) left: f64,
    /// Page number line of each page, if any (index into the page's lines).
    pub(super) numbers: Vec<Option<usize>>,
    /// Baseline of page 1's last title line (the header block ends there).
    pub(super) header_end: f64,
}

impl BodyStats {
    fn of(views: &[PageView], expected: &Expected) -> BodyStats {
        let last_body_page = views
            .iter()
            .rposition(|v| !expected.signer.is_empty() && v.lines.iter().any(|l| l.text().contains(&expected.signer)))
            .map_or(views.len(), |i| i + 1);
        let mut chars: HashMap<i64, usize> = HashMap::new();
        for v in &views[..last_body_page] {
            for l in &v.lines {
                *chars.entry((l.size * 10.0).round() as i64).or_default() += l.text().chars().count();
            }
        }
        let size = chars
            .into_iter()
            .max_by_key(|(s, n)| (*n, *s))
            .map_or(14.0, |(s, _)| s as f64 / 10.0);
        let numbers = views.iter().map(page_number_line).collect();
        let left = views[..last_body_page]
            .iter()
            .flat_map(|v| v.lines.iter().filter(|l| (l.size - size).abs() < 0.1).map(Line::x0))
            .fold(f64::MAX, f64::min);
        let titles: Vec<String> = expected.title_lines.iter().map(|t| normalise(t)).collect();
        let header_end = views.first().map_or(0.0, |v| {
            v.lines
                .iter()
                .filter(|l| titles.iter().any(|t| !t.is_empty() && t.contains(&normalise(l.text()))))
                .map(|l| l.y)
                .fold(0.0, f64::max)
        });
        BodyStats {
            size,
            last_body_page,
            left,
            numbers,
            header_end,
        }
    }

    /// Lines of the page that belong to the text area (the page number aside).
    pub(super) fn text_lines<'a>(&self, views: &'a [PageView], page: usize) -> impl Iterator<Item = &'a Line> + 'a {
        let skip = self.numbers[page];
        views[page]
            .lines
            .iter()
            .enumerate()
            .filter(move |(i, _)| Some(*i) != skip)
            .map(|(_, l)| l)
    }

    /// Lines of the body proper: not the page number, not page 1's header block.
    pub(super) fn body_text<'a>(&self, views: &'a [PageView], page: usize) -> impl Iterator<Item = &'a Line> + 'a {
        let from = if page == 0 { self.header_end + 0.1 } else { f64::MIN };
        self.text_lines(views, page).filter(move |l| l.y > from)
    }
}

/// The page number: a line of digits only, above every other line, within the top 25 mm.
fn page_number_line(v: &PageView) -> Option<usize> {
    let first = v.lines.first()?;
    let digits = first.text().trim().chars().all(|c| c.is_ascii_digit());
    (digits && first.y < 25.0 * MM && v.lines.len() > 1).then_some(0)
}

pub(super) fn push(out: &mut Vec<Violation>, rule: LayoutRule, page: usize, y: f64, detail: LayoutDetail) {
    out.push(Violation {
        rule,
        page: page + 1,
        y_mm: (y / MM * 10.0).round() / 10.0,
        detail,
    });
}

fn paper_size(views: &[PageView], out: &mut Vec<Violation>) {
    for (i, v) in views.iter().enumerate() {
        let (w, h) = (v.width.min(v.height) / MM, v.width.max(v.height) / MM);
        if (w - 210.0).abs() > 0.5 || (h - 297.0).abs() > 0.5 {
            push(
                out,
                LayoutRule::PaperSize,
                i,
                0.0,
                LayoutDetail::PaperSize {
                    width_mm: v.width / MM,
                    height_mm: v.height / MM,
                },
            );
        }
    }
}

/// NĐ 30 margins in mm: (top, bottom, left, right) ranges; rotated on landscape pages
/// (the 30 mm binding margin moves to the top edge).
fn margin_ranges(landscape: bool) -> [(f64, f64); 4] {
    if landscape {
        [(30.0, 35.0), (15.0, 20.0), (20.0, 25.0), (20.0, 25.0)]
    } else {
        [(20.0, 25.0), (20.0, 25.0), (30.0, 35.0), (15.0, 20.0)]
    }
}

fn margins(views: &[PageView], body: &BodyStats, out: &mut Vec<Violation>) {
    // Narrowest right margin of portrait and landscape pages: justified lines reach it.
    let mut widest = [f64::MAX; 2];
    for (i, v) in views.iter().enumerate() {
        let lines: Vec<&Line> = body.text_lines(views, i).collect();
        let Some(first) = lines.first() else { continue };
        let [top, bottom, left, right] = margin_ranges(v.landscape());
        let min_x = lines.iter().map(|l| l.x0()).fold(f64::MAX, f64::min) / MM;
        let max_x = lines.iter().map(|l| l.x1()).fold(0.0, f64::max) / MM;
        let cap_top = (first.y - 0.66 * first.size) / MM;
        let last_base = lines.iter().map(|l| l.y).fold(0.0, f64::max) / MM;
        let w = v.width / MM;
        let h = v.height / MM;
        let mut bad = |side: MarginSide, got: f64, (lo, hi): (f64, f64), strict_hi: bool| {
            let tol = TOL / MM * 2.0;
            if got < lo - tol || (strict_hi && got > hi + tol) {
                push(out, LayoutRule::Margins, i, 0.0, LayoutDetail::Margin { side, got_mm: got, lo, hi });
            }
        };
        bad(MarginSide::Left, min_x, left, true);
        // A page's last line may be short and its first line may sit low: only the
        // side where text must never enter the margin is strict there.
        bad(MarginSide::Right, w - max_x, right, false);
        widest[usize::from(v.landscape())] = widest[usize::from(v.landscape())].min(w - max_x);
        bad(MarginSide::Top, cap_top, top, false);
        bad(MarginSide::Bottom, h - last_base, bottom, false);
    }
    for (landscape, got) in widest.into_iter().enumerate() {
        let (_, hi) = margin_ranges(landscape == 1)[3];
        if got < f64::MAX && got > hi + TOL / MM * 2.0 {
            push(
                out,
                LayoutRule::Margins,
                0,
                0.0,
                LayoutDetail::WidestRightMargin { got_mm: got, hi },
            );
        }
    }
}

fn body_size(body: &BodyStats, out: &mut Vec<Violation>) {
    if !(13.0 - 0.05..=14.0 + 0.05).contains(&body.size) {
        push(out, LayoutRule::BodySize, 0, 0.0, LayoutDetail::BodySize { size: body.size });
    }
}

/// Word's single spacing from a line of size `a` to the line of size `b` under it:
/// the upper line's descent and gap, the lower line's ascent (Liberation Serif /
/// Times New Roman: ascent 0.891, descent 0.216, line gap 0.042 em).
pub fn single_pitch(a: f64, b: f64) -> f64 {
    0.258 * a + 0.891 * b
}

/// Two lines of one column: the lower one is `b`, directly under `a`.
pub(super) fn stacked(a: &Line, b: &Line) -> bool {
    a.x0() < b.x1() && b.x0() < a.x1()
}

fn line_pitch(views: &[PageView], out: &mut Vec<Violation>) {
    for (i, v) in views.iter().enumerate() {
        for (j, b) in v.lines.iter().enumerate() {
            let Some(a) = v.lines[..j].iter().rev().find(|a| stacked(a, b)) else {
                continue;
            };
            let pitch = b.y - a.y;
            // Lines far apart are different blocks, not one role.
            if pitch <= 0.0 || pitch > 2.0 * a.size.max(b.size) {
                continue;
            }
            let single = single_pitch(a.size, b.size);
            if pitch < single - TOL {
                push(
                    out,
                    LayoutRule::LinePitch,
                    i,
                    b.y,
                    LayoutDetail::LinesTooClose {
                        size: b.size,
                        pitch,
                        single,
                        excerpt: excerpt(b.text()),
                    },
                );
            }
        }
    }
}

/// Body lines of one paragraph column: body size, in the text area, not centred.
/// Stops at "Nơi nhận" (the end block is not body text, even at body size).
pub(super) fn body_lines<'a>(views: &'a [PageView], body: &'a BodyStats, page: usize) -> Vec<&'a Line> {
    body.body_text(views, page)
        .filter(|l| (l.size - body.size).abs() < 0.1 && l.x0() >= body.left - 1.0 && l.x0() < body.left + 2.0 * 28.35)
        .take_while(|l| !l.text().trim_start().starts_with("Nơi nhận"))
        .collect()
}

fn paragraphs(views: &[PageView], body: &BodyStats, out: &mut Vec<Violation>) {
    for i in 0..body.last_body_page.min(views.len()) {
        let lines = body_lines(views, body, i);
        let pitch = modal_pitch(&lines, body.left);
        for w in lines.windows(2) {
            let (a, b) = (w[0], w[1]);
            let indent = b.x0() - body.left;
            if indent < 0.3 * 28.35 {
                continue;
            }
            let cm = indent / 28.3465;
            if !(1.0 - 0.03..=1.27 + 0.03).contains(&cm) {
                push(
                    out,
                    LayoutRule::FirstLineIndent,
                    i,
                    b.y,
                    LayoutDetail::Indent {
                        cm,
                        excerpt: excerpt(b.text()),
                    },
                );
            }
            let gap = b.y - a.y - pitch;
            if let Some(p) = pitch.gt(&0.0).then_some(gap) {
                if p < 6.0 - TOL && b.y - a.y < 3.0 * body.size {
                    push(
                        out,
                        LayoutRule::ParagraphSpacing,
                        i,
                        b.y,
                        LayoutDetail::ParagraphSpacing {
                            gap: p.max(0.0),
                            excerpt: excerpt(b.text()),
                        },
                    );
                }
            }
        }
        if pitch > 1.5 * SINGLE * body.size + TOL {
            push(
                out,
                LayoutRule::LinePitch,
                i,
                0.0,
                LayoutDetail::BodyPitch {
                    pitch,
                    max: 1.5 * SINGLE * body.size,
                },
            );
        }
    }
}

/// The most common baseline distance between consecutive lines of one paragraph
/// (the lower line not indented; 0 when unknown).
pub(super) fn modal_pitch(lines: &[&Line], left: f64) -> f64 {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for w in lines.windows(2).filter(|w| w[1].x0() - left < 0.3 * 28.35) {
        *counts.entry(((w[1].y - w[0].y) * 10.0).round() as i64).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(p, _)| *p > 0)
        .max_by_key(|(p, n)| (*n, -*p))
        .map_or(0.0, |(p, _)| p as f64 / 10.0)
}

fn page_numbers(views: &[PageView], body: &BodyStats, out: &mut Vec<Violation>) {
    for (i, v) in views.iter().enumerate().take(body.last_body_page) {
        let [top, ..] = margin_ranges(v.landscape());
        match (i, body.numbers[i]) {
            (0, Some(n)) => push(out, LayoutRule::PageNumber, 0, v.lines[n].y, LayoutDetail::FirstPageNumbered),
            (0, None) => {}
            (_, None) => push(out, LayoutRule::PageNumber, i, 0.0, LayoutDetail::NoPageNumber),
            (_, Some(n)) => {
                let l = &v.lines[n];
                let centre = 0.5 * (l.x0() + l.x1());
                let area = 0.5 * (body.left + v.width - 15.0 * MM);
                if (centre - area).abs() > 2.0 * MM || l.y > top.0 * MM {
                    push(
                        out,
                        LayoutRule::PageNumber,
                        i,
                        l.y,
                        LayoutDetail::PageNumberOffCentre {
                            off_mm: (centre - area) / MM,
                        },
                    );
                }
            }
        }
    }
}

pub(super) fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn header_elements(views: &[PageView], expected: &Expected, out: &mut Vec<Violation>) {
    let Some(first) = views.first() else { return };
    let page: Vec<String> = first.lines.iter().map(|l| normalise(l.text())).collect();
    for want in &expected.header_lines {
        let want = normalise(want);
        if !want.is_empty() && !page.iter().any(|l| l.contains(&want)) {
            push(out, LayoutRule::HeaderElements, 0, 0.0, LayoutDetail::MissingHeader { text: want });
        }
    }
}

fn signature(views: &[PageView], body: &BodyStats, out: &mut Vec<Violation>) {
    let i = body.last_body_page - 1;
    let Some(v) = views.get(i) else { return };
    let Some(recipients) = v.lines.iter().position(|l| l.text().trim_start().starts_with("Nơi nhận")) else {
        return;
    };
    let body_before = body
        .text_lines(views, i)
        .take_while(|l| l.y < v.lines[recipients].y)
        .any(|l| (l.size - body.size).abs() < 0.1 && !l.bold());
    if !body_before {
        push(
            out,
            LayoutRule::SignatureAlone,
            i,
            v.lines[recipients].y,
            LayoutDetail::SignatureAlone,
        );
    }
}

pub(super) fn is_heading_line(l: &Line, expected: &Expected) -> bool {
    let t = normalise(l.text());
    (l.bold() || l.italic()) && t.len() > 3 && expected.headings.iter().any(|h| normalise(h).contains(&t))
}

fn page_ends(views: &[PageView], body: &BodyStats, expected: &Expected, out: &mut Vec<Violation>) {
    for i in 0..body.last_body_page.saturating_sub(1) {
        let lines = body_lines(views, body, i);
        let Some(last) = lines.last() else { continue };
        let t = last.text();
        if is_heading_line(last, expected) {
            push(
                out,
                LayoutRule::PageEndsWithHeading,
                i,
                last.y,
                LayoutDetail::EndsWithHeading { excerpt: excerpt(t) },
            );
        } else if t.trim_end().ends_with(':') && paragraph_lines(&lines) <= 2 {
            push(
                out,
                LayoutRule::PageEndsWithHeading,
                i,
                last.y,
                LayoutDetail::EndsWithLeadIn { excerpt: excerpt(t) },
            );
        }
    }
}

/// How many lines the page's last paragraph has on the page (back to its indented first line).
pub(super) fn paragraph_lines(lines: &[&Line]) -> usize {
    let left = lines.iter().map(|l| l.x0()).fold(f64::MAX, f64::min);
    let start = lines.iter().rposition(|l| l.x0() - left > 0.3 * 28.35);
    start.map_or(lines.len(), |k| lines.len() - k)
}

/// A line end that splits a document code ("71-NQ/ | TW", "HIV/ | AIDS", "51- | KL/TW").
fn splits_code(end: &str, next: &str) -> bool {
    let next = next.trim_start();
    let starts_letter = next.chars().next().is_some_and(char::is_alphabetic);
    let starts_word = next.chars().next().is_some_and(char::is_alphanumeric);
    let mut rev = end.trim_end().chars().rev();
    match (rev.next(), rev.next()) {
        (Some('/'), Some(c)) => c.is_alphanumeric() && starts_word,
        (Some('-'), Some(c)) => c.is_ascii_digit() && starts_letter,
        _ => false,
    }
}

fn broken_codes(views: &[PageView], body: &BodyStats, expected: &Expected, out: &mut Vec<Violation>) {
    for i in 0..views.len() {
        let lines: Vec<&Line> = body.text_lines(views, i).collect();
        for (j, b) in lines.iter().enumerate() {
            let Some(a) = lines[..j].iter().rev().find(|a| stacked(a, b) && (a.size - b.size).abs() < 0.1) else {
                continue;
            };
            if b.y - a.y > 2.0 * b.size {
                continue;
            }
            let (end, next) = (a.text(), b.text());
            let end = strip_marks(end);
            let joined = format!("{} {}", last_word(&end), first_word(next));
            let place = expected
                .places
                .iter()
                .find(|p| joined.contains(p.as_str()) && !end.contains(p.as_str()) && !next.contains(p.as_str()));
            if splits_code(&end, next) {
                push(
                    out,
                    LayoutRule::BrokenCode,
                    i,
                    b.y,
                    LayoutDetail::BrokenCode {
                        end: last_word(&end).to_string(),
                        next: first_word(next).to_string(),
                    },
                );
            } else if let Some(p) = place {
                push(out, LayoutRule::BrokenCode, i, b.y, LayoutDetail::SplitPlace { place: p.clone() });
            }
        }
    }
}

/// The text without footnote marks (`^{12}`).
fn strip_marks(s: &str) -> String {
    crate::archive::textdiff::without_spans(s, "^{", "}")
}

fn last_word(s: &str) -> &str {
    s.split_whitespace().last().unwrap_or("")
}

fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

fn rules_through_text(views: &[PageView], out: &mut Vec<Violation>) {
    for (i, v) in views.iter().enumerate() {
        for r in &v.rules {
            let hit = v.lines.iter().find(|l| {
                let below = r.y - l.y;
                // An underline is about as long as its text; wider lines (table borders,
                // chart grid lines) are not underlines of it.
                let underline = r.x1 - r.x0 <= 1.5 * (l.x1() - l.x0()) + 2.0;
                let overlap = underline && l.x0() < r.x1 - 1.0 && r.x0 + 1.0 < l.x1();
                overlap && below > -0.5 * l.size && below < 0.25 * l.size
            });
            if let Some(l) = hit {
                push(
                    out,
                    LayoutRule::RuleThroughText,
                    i,
                    r.y,
                    LayoutDetail::RuleThroughText {
                        below: r.y - l.y,
                        excerpt: excerpt(l.text()),
                    },
                );
            }
        }
    }
}

pub(super) fn excerpt(s: &str) -> String {
    let s = s.trim();
    let n = s.chars().count();
    if n <= 60 {
        s.to_string()
    } else {
        format!("…{}", s.chars().skip(n - 57).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_split_only_where_word_would_not() {
        assert!(splits_code("Nghị quyết số 71-NQ/", "TW ngày"));
        assert!(splits_code("phòng chống HIV/", "AIDS"));
        assert!(splits_code("Kết luận số 51-", "KL/TW"));
        assert!(!splits_code("Nghị quyết số 01/NQ-", "CP năm 2026"));
        assert!(!splits_code("kinh tế -", "xã hội"));
        assert!(!splits_code("giai đoạn 2026-", "2030"), "a range of years is not a code");
    }

    #[test]
    fn marks_are_removed_before_reading_a_line_end() {
        assert_eq!(strip_marks("theo kế hoạch^{13}."), "theo kế hoạch.");
    }

    #[test]
    fn rule_codes_round_trip() {
        for r in LayoutRule::ALL {
            assert_eq!(LayoutRule::from_code(r.code()), Some(r));
        }
        assert_eq!(LayoutRule::from_code("khong-co"), None);
    }
}
