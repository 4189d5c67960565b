//! Reading the laid-out text back from a compiled document, page by page and
//! line by line (what tests and `render --text` use; no PDF tools needed).

use typst::layout::{Frame, FrameItem, Point};
use typst_layout::PagedDocument;

/// A run of text at a position on the page (points from the top-left).
#[derive(Debug, Clone)]
pub struct Run {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub size: f64,
    pub text: String,
}

fn walk(frame: &Frame, origin: Point, out: &mut Vec<Run>) {
    for (pos, item) in frame.items() {
        let at = origin + *pos;
        match item {
            FrameItem::Group(g) => {
                let shift = Point::new(g.transform.tx, g.transform.ty);
                walk(&g.frame, at + shift, out);
            }
            FrameItem::Text(t) => {
                let width: f64 = t.glyphs.iter().map(|g| g.x_advance.at(t.size).to_pt()).sum();
                out.push(Run {
                    x: at.x.to_pt(),
                    y: at.y.to_pt(),
                    width,
                    size: t.size.to_pt(),
                    text: t.text.to_string(),
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
}

impl Line {
    /// The line's text; runs much smaller than the line and raised are
    /// superscripts and are written `^{…}` (footnote marks).
    pub fn text(&self) -> String {
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
pub fn pages(doc: &PagedDocument) -> Vec<Vec<Line>> {
    doc.pages()
        .iter()
        .map(|p| {
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
                    }),
                }
            }
            for l in &mut lines {
                l.runs.sort_by(|a, b| a.x.total_cmp(&b.x));
            }
            lines.sort_by(|a, b| a.y.total_cmp(&b.y));
            lines
        })
        .collect()
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
