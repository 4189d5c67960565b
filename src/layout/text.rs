//! Reading the laid-out text back from a compiled document, page by page and
//! line by line (what tests and `render --text` use; no PDF tools needed).

use std::sync::OnceLock;

use typst::layout::{Frame, FrameItem, Point};
use typst::text::{FontStyle, FontWeight};
use typst::visualize::{CurveItem, Geometry};
use typst_layout::PagedDocument;

/// A run of text at a position on the page (points from the top-left).
#[derive(Debug, Clone)]
pub struct Run {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    /// Width of trailing spaces (not ink: a justified line ends before them).
    pub trail: f64,
    pub size: f64,
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// A horizontal rule drawn on the page (points from the top-left).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub x0: f64,
    pub x1: f64,
    pub y: f64,
}

/// A vertical rule drawn on the page (a table's column rule), points from the top-left.
#[derive(Debug, Clone, Copy)]
pub struct VRule {
    pub x: f64,
    pub y0: f64,
    pub y1: f64,
}

/// Vertical rules of a frame (the column rules of tables).
pub fn vrules(frame: &Frame, origin: Point, out: &mut Vec<VRule>) {
    for (pos, item) in frame.items() {
        let at = origin + *pos;
        match item {
            FrameItem::Group(g) => vrules(&g.frame, at + Point::new(g.transform.tx, g.transform.ty), out),
            FrameItem::Shape(shape, _) if shape.stroke.is_some() => {
                if let Geometry::Line(to) = &shape.geometry {
                    let (dx, dy) = (to.x.to_pt(), to.y.to_pt());
                    if dx.abs() < 0.5 && dy.abs() > 1.0 {
                        let (y0, y1) = (at.y.to_pt().min(at.y.to_pt() + dy), at.y.to_pt().max(at.y.to_pt() + dy));
                        out.push(VRule {
                            x: at.x.to_pt() + dx / 2.0,
                            y0,
                            y1,
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

/// Horizontal rules of a frame (strokes of lines, boxes and blocks).
pub fn rules(frame: &Frame, origin: Point, out: &mut Vec<Rule>) {
    for (pos, item) in frame.items() {
        let at = origin + *pos;
        match item {
            FrameItem::Group(g) => rules(&g.frame, at + Point::new(g.transform.tx, g.transform.ty), out),
            // Typst draws strokes of boxes and blocks as thin filled outlines.
            FrameItem::Shape(shape, _) if shape.stroke.is_some() || shape.fill.is_some() => {
                let points: Vec<Point> = match &shape.geometry {
                    Geometry::Line(to) => vec![Point::zero(), *to],
                    Geometry::Curve(c) => {
                        c.0.iter()
                            .filter_map(|i| match i {
                                CurveItem::Move(p) | CurveItem::Line(p) => Some(*p),
                                _ => None,
                            })
                            .collect()
                    }
                    Geometry::Rect(size) => vec![Point::zero(), Point::new(size.x, size.y)],
                };
                if let Some(rule) = horizontal(&points, at) {
                    out.push(rule);
                }
            }
            _ => {}
        }
    }
}

/// The rule drawn by `points` (relative to `at`) when they lie on one horizontal
/// line or outline a hairline at most 1.5 pt high; its y is the middle.
fn horizontal(points: &[Point], at: Point) -> Option<Rule> {
    let top = points.iter().map(|p| p.y.to_pt()).fold(f64::MAX, f64::min);
    let bottom = points.iter().map(|p| p.y.to_pt()).fold(f64::MIN, f64::max);
    if points.is_empty() || bottom - top > 1.5 {
        return None;
    }
    let y = 0.5 * (top + bottom);
    let x0 = points.iter().map(|p| p.x.to_pt()).fold(f64::MAX, f64::min);
    let x1 = points.iter().map(|p| p.x.to_pt()).fold(f64::MIN, f64::max);
    (x1 - x0 > 1.0).then(|| Rule {
        x0: at.x.to_pt() + x0,
        x1: at.x.to_pt() + x1,
        y: at.y.to_pt() + y,
    })
}

fn walk(frame: &Frame, origin: Point, out: &mut Vec<Run>) {
    for (pos, item) in frame.items() {
        let at = origin + *pos;
        match item {
            // Text turned on the page is a mark across it (the sample mark,
            // "SỐ LIỆU MẪU"), not a line of the document: the text and its checks leave it out.
            FrameItem::Group(g) if !g.transform.kx.is_zero() || !g.transform.ky.is_zero() => {}
            FrameItem::Group(g) => {
                let shift = Point::new(g.transform.tx, g.transform.ty);
                walk(&g.frame, at + shift, out);
            }
            FrameItem::Text(t) => {
                let width: f64 = t.glyphs.iter().map(|g| g.x_advance.at(t.size).to_pt()).sum();
                let trail: f64 = t
                    .glyphs
                    .iter()
                    .rev()
                    .take_while(|g| t.text.get(g.range()).is_some_and(|c| c.trim().is_empty()))
                    .map(|g| g.x_advance.at(t.size).to_pt())
                    .sum();
                out.push(Run {
                    x: at.x.to_pt(),
                    y: at.y.to_pt(),
                    width,
                    trail,
                    size: t.size.to_pt(),
                    text: t.text.to_string(),
                    bold: t.font.info().variant.weight >= FontWeight::SEMIBOLD,
                    italic: t.font.info().variant.style != FontStyle::Normal,
                });
            }
            _ => {}
        }
    }
}

/// One visual line: its runs left to right and its largest font size.
#[derive(Debug, Clone)]
pub struct Line {
    pub y: f64,
    pub size: f64,
    pub runs: Vec<Run>,
    /// [`Line::text`], made at its first call (the format check asks each line
    /// many times); a line is complete before anyone reads its text.
    text: OnceLock<String>,
}

impl Line {
    /// Left edge of the line's first run.
    pub fn x0(&self) -> f64 {
        self.runs.first().map_or(0.0, |r| r.x)
    }
    /// Right edge of the line's last glyph (trailing spaces aside).
    pub fn x1(&self) -> f64 {
        self.runs.iter().map(|r| r.x + r.width - r.trail).fold(0.0, f64::max)
    }

    /// The line cut where runs are far apart (columns of a header, cells of a
    /// table row): each piece is one line of one column.
    pub fn segments(&self) -> Vec<Line> {
        let mut out: Vec<Line> = Vec::new();
        let mut end = f64::MIN;
        for r in &self.runs {
            match out.last_mut() {
                Some(l) if r.x - end < 0.6 * self.size => l.runs.push(r.clone()),
                _ => out.push(Line {
                    y: self.y,
                    size: 0.0,
                    runs: vec![r.clone()],
                    text: OnceLock::new(),
                }),
            }
            end = end.max(r.x + r.width);
        }
        for l in &mut out {
            let big = l.runs.iter().max_by(|a, b| a.size.total_cmp(&b.size)).expect("a segment has a run");
            (l.size, l.y) = (big.size, big.y);
        }
        out
    }
    /// Whether every run of the line's own size is bold (superscripts aside).
    pub fn bold(&self) -> bool {
        self.own_runs().all(|r| r.bold)
    }
    /// Whether every run of the line's own size is italic.
    pub fn italic(&self) -> bool {
        self.own_runs().all(|r| r.italic)
    }
    fn own_runs(&self) -> impl Iterator<Item = &Run> {
        let size = self.size;
        self.runs.iter().filter(move |r| r.size >= 0.75 * size && !r.text.trim().is_empty())
    }

    /// The line's text; runs much smaller than the line and raised are
    /// superscripts and are written `^{…}` (footnote marks).
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| self.make_text())
    }

    fn make_text(&self) -> String {
        let mut s = String::new();
        let mut end: Option<f64> = None;
        for r in &self.runs {
            if let Some(e) = end {
                if r.x - e > 0.15 * r.size && !s.ends_with(' ') {
                    s.push(' ');
                }
            }
            if r.size < 0.75 * self.size && r.y < self.y - 0.1 * self.size {
                s.push_str(&format!("^{{{}}}", r.text.trim()));
            } else {
                s.push_str(&r.text);
            }
            end = Some(r.x + r.width);
        }
        s.trim_end().to_string()
    }
}

/// The lines of each page, top to bottom.
/// (On both cores: a layout's corrections wait for these lines.)
pub fn pages(doc: &PagedDocument) -> Vec<Vec<Line>> {
    super::per_page(doc, page_lines)
}

/// The lines of one page, top to bottom.
pub fn page_lines(p: &typst_layout::Page) -> Vec<Line> {
    let mut runs = Vec::new();
    walk(&p.frame, Point::zero(), &mut runs);
    runs.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut lines: Vec<Line> = Vec::new();
    for r in runs {
        // Superscripts sit up to ~0.5em above the baseline of their line.
        let target = lines.iter_mut().rev().take(3).find(|l| {
            let big = l.size.max(r.size);
            (r.y - l.y).abs() < 0.2 * big
                || (r.size < 0.75 * l.size && l.y - r.y > 0.0 && l.y - r.y < 0.6 * l.size)
                || (l.size < 0.75 * r.size && r.y - l.y > 0.0 && r.y - l.y < 0.6 * r.size)
        });
        match target {
            Some(l) => {
                if r.size > l.size {
                    l.size = r.size;
                    l.y = r.y;
                }
                l.runs.push(r);
            }
            None => lines.push(Line {
                y: r.y,
                size: r.size,
                runs: vec![r],
                text: OnceLock::new(),
            }),
        }
    }
    for l in &mut lines {
        l.runs.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines.sort_by(|a, b| a.y.total_cmp(&b.y));
    lines
}

/// The whole document as text: a `=== trang N ===` line per page, then each
/// line prefixed with its font size in points, e.g. `[14] Tổng đàn ... con^{2}`.
pub fn dump(doc: &PagedDocument) -> String {
    let mut out = String::new();
    for (i, lines) in pages(doc).iter().enumerate() {
        out.push_str(&format!("=== trang {} ===\n", i + 1));
        for l in lines {
            out.push_str(&format!("[{:.0}] {}\n", l.size, l.text()));
        }
    }
    out
}
