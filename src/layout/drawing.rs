//! A laid-out page as drawing operations for the web page's canvas: glyph runs,
//! shapes and clips with their transforms, and the outlines of the glyphs used
//! (in font units), as compact JSON. The browser keeps each outline once and
//! fills glyphs from it, which it draws far faster than an SVG of a few thousand
//! `<use>` elements (docs/hieu-nang.md).
//!
//! It carries no text of the document, only glyph numbers, numbers and colours,
//! so nothing written in a report or a sector file reaches the page's script
//! as anything but a number. It refuses (answers `None`, and the page shows the
//! SVG image instead) a page with anything it does not draw the same as
//! typst-svg: images, gradients, tilings, coloured or bitmap glyphs, stroked text.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::sync::{Arc, Mutex, OnceLock};

use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::text::{FontInstance, TextItem};
use typst::visualize::{Curve, CurveItem, FillRule, FixedStroke, Geometry, LineCap, LineJoin, Paint, Shape};
use typst_layout::Page;

/// The drawing of `page`, or `None` when it holds something only the SVG draws.
pub fn drawing(page: &Page) -> Option<String> {
    let mut d = Drawing::default();
    let size = page.frame.size();
    write!(d.ops, "{{\"w\":{},\"h\":{},\"ops\":[", num(size.x.to_pt()), num(size.y.to_pt())).ok()?;
    // The page's own background, as typst-svg paints it (white when not set).
    if let Some(fill) = page.fill_or_white() {
        d.shape(&Geometry::Rect(size).filled(fill), Transform::identity())?;
    }
    d.frame(&page.frame, Transform::identity())?;
    d.ops.push_str("],\"fonts\":[");
    for (i, key) in d.font_keys.iter().enumerate() {
        write!(d.ops, "{}\"{key:032x}\"", if i > 0 { "," } else { "" }).ok()?;
    }
    d.ops.push_str("],\"glyphs\":[");
    d.ops.push_str(&d.glyphs);
    d.ops.push_str("]}");
    Some(d.ops)
}

#[derive(Default)]
struct Drawing {
    ops: String,
    /// Operations written so far (a comma before each but the first).
    count: usize,
    /// Fonts of the page: the font's hash, by index in `font_keys`.
    fonts: HashMap<u128, usize>,
    font_keys: Vec<u128>,
    /// (font index, glyph) whose outline is already in `glyphs`.
    outlined: HashSet<(usize, u16)>,
    glyphs: String,
}

impl Drawing {
    fn op(&mut self) -> &mut String {
        if self.count > 0 {
            self.ops.push(',');
        }
        self.count += 1;
        &mut self.ops
    }

    fn frame(&mut self, frame: &Frame, ts: Transform) -> Option<()> {
        for (pos, item) in frame.items() {
            let ts = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(group) => {
                    let ts = ts.pre_concat(group.transform);
                    if let Some(clip) = &group.clip {
                        let path = curve(clip);
                        let op = self.op();
                        write!(op, "[\"c\",{},\"{path}\"]", matrix(ts)).ok()?;
                        self.frame(&group.frame, ts)?;
                        self.op().push_str("[\"r\"]");
                    } else {
                        self.frame(&group.frame, ts)?;
                    }
                }
                FrameItem::Text(text) => self.text(text, ts)?,
                FrameItem::Shape(shape, _) => self.shape(shape, ts)?,
                FrameItem::Image(..) => return None,
                FrameItem::Link(..) | FrameItem::Tag(_) => {}
            }
        }
        Some(())
    }

    /// `["t", matrix, font, scale, fill, [glyph, x, y, …]]`: glyphs at (x, y) pt
    /// from the run's origin (y down), outlines scaled by `scale` and flipped.
    fn text(&mut self, text: &TextItem, ts: Transform) -> Option<()> {
        let fill = solid(&text.fill)?;
        if text.stroke.is_some() {
            return None;
        }
        let font = self.font(&text.font);
        let scale = text.size.to_pt() / text.font.units_per_em();
        let mut run = String::new();
        let (mut x, mut y) = (0.0, 0.0);
        for (i, g) in text.glyphs.iter().enumerate() {
            let gx = x + g.x_offset.at(text.size).to_pt();
            let gy = y + g.y_offset.at(text.size).to_pt();
            self.outline(&text.font, font, g.id)?;
            if i > 0 {
                run.push(',');
            }
            push_digits(&mut run, g.id.into(), 0);
            run.push(',');
            num(gx).push_to(&mut run);
            run.push(',');
            num(-gy).push_to(&mut run);
            x += g.x_advance.at(text.size).to_pt();
            y += g.y_advance.at(text.size).to_pt();
        }
        let op = self.op();
        write!(op, "[\"t\",{},{font},{},\"{fill}\",[{run}]]", matrix(ts), scale).ok()
    }

    /// `["p", matrix, path, fill|null, even-odd, stroke|null, width, cap, join, miter, dash|null, dash offset]`.
    fn shape(&mut self, shape: &Shape, ts: Transform) -> Option<()> {
        let fill = match &shape.fill {
            Some(p) => format!("\"{}\"", solid(p)?),
            None => "null".into(),
        };
        let even_odd = u8::from(shape.fill_rule == FillRule::EvenOdd);
        let path = geometry(&shape.geometry);
        let stroke = match &shape.stroke {
            Some(s) => stroke(s)?,
            None => "null,0,0,0,0,null,0".into(),
        };
        let op = self.op();
        write!(op, "[\"p\",{},\"{path}\",{fill},{even_odd},{stroke}]", matrix(ts)).ok()
    }

    fn font(&mut self, font: &FontInstance) -> usize {
        let key = typst::utils::hash128(font);
        let next = self.font_keys.len();
        let i = *self.fonts.entry(key).or_insert(next);
        if i == next {
            self.font_keys.push(key);
        }
        i
    }

    /// Adds `[font, glyph, path]` once per glyph of the page (font units, y up);
    /// `None` for a glyph only the SVG draws (colour, bitmap, SVG glyphs).
    fn outline(&mut self, font: &FontInstance, index: usize, id: u16) -> Option<()> {
        if self.outlined.contains(&(index, id)) {
            return Some(());
        }
        let path = outline_of(font, self.font_keys[index], id)?;
        let comma = if self.outlined.is_empty() { "" } else { "," };
        write!(self.glyphs, "{comma}[{index},{id},\"{path}\"]").ok()?;
        self.outlined.insert((index, id));
        Some(())
    }
}

/// Outlines made so far, by font (its hash) and glyph. A glyph's outline never
/// changes and the preview draws the same few hundred glyphs at every edit, so
/// each is made once per process; bounded by the fonts and glyphs the documents
/// use (a few hundred outlines of ~200 bytes for the monthly report).
type Outlines = Mutex<HashMap<(u128, u16), Option<Arc<str>>>>;

/// A glyph's outline as SVG path data in font units (empty for a glyph with no
/// outline, a space); `None` for a glyph only the SVG draws.
fn outline_of(font: &FontInstance, key: u128, id: u16) -> Option<Arc<str>> {
    static MADE: OnceLock<Outlines> = OnceLock::new();
    let made = MADE.get_or_init(Outlines::default);
    if let Some(known) = made.lock().unwrap_or_else(|e| e.into_inner()).get(&(key, id)) {
        return known.clone();
    }
    let glyph = ttf_parser::GlyphId(id);
    let path = typst::text::color::should_outline(font, glyph).then(|| {
        let mut path = Outline(String::new());
        font.ttf().outline_glyph(glyph, &mut path);
        Arc::<str>::from(path.0)
    });
    made.lock().unwrap_or_else(|e| e.into_inner()).insert((key, id), path.clone());
    path
}

/// A glyph's outline as SVG path data, in font units.
struct Outline(String);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "M{x} {y}");
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "L{x} {y}");
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let _ = write!(self.0, "Q{x1} {y1} {x} {y}");
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let _ = write!(self.0, "C{x1} {y1} {x2} {y2} {x} {y}");
    }
    fn close(&mut self) {
        self.0.push('Z');
    }
}

fn stroke(s: &FixedStroke) -> Option<String> {
    let paint = solid(&s.paint)?;
    let cap = match s.cap {
        LineCap::Butt => "butt",
        LineCap::Round => "round",
        LineCap::Square => "square",
    };
    let join = match s.join {
        LineJoin::Miter => "miter",
        LineJoin::Round => "round",
        LineJoin::Bevel => "bevel",
    };
    let (dash, offset) = match &s.dash {
        Some(d) => {
            let parts: Vec<String> = d.array.iter().map(|a| num(a.to_pt()).to_string()).collect();
            (format!("[{}]", parts.join(",")), num(d.phase.to_pt()))
        }
        None => ("null".into(), num(0.0)),
    };
    Some(format!(
        "\"{paint}\",{},\"{cap}\",\"{join}\",{},{dash},{offset}",
        num(s.thickness.to_pt()),
        num(s.miter_limit.get())
    ))
}

/// A solid paint as `#rrggbb` or `#rrggbbaa`; `None` for gradients and tilings.
fn solid(paint: &Paint) -> Option<String> {
    match paint {
        Paint::Solid(c) => Some(c.to_hex().to_string()),
        _ => None,
    }
}

fn geometry(g: &Geometry) -> String {
    match g {
        Geometry::Line(to) => format!("M0 0L{} {}", num(to.x.to_pt()), num(to.y.to_pt())),
        Geometry::Rect(size) => {
            let (w, h) = (num(size.x.to_pt()), num(size.y.to_pt()));
            format!("M0 0L{w} 0L{w} {h}L0 {h}Z")
        }
        Geometry::Curve(c) => curve(c),
    }
}

fn curve(c: &Curve) -> String {
    let mut s = String::new();
    let p = |p: Point| format!("{} {}", num(p.x.to_pt()), num(p.y.to_pt()));
    for item in c.0.iter() {
        let _ = match *item {
            CurveItem::Move(a) => write!(s, "M{}", p(a)),
            CurveItem::Line(a) => write!(s, "L{}", p(a)),
            CurveItem::Cubic(a, b, e) => write!(s, "C{} {} {}", p(a), p(b), p(e)),
            CurveItem::Close => write!(s, "Z"),
        };
    }
    s
}

fn matrix(t: Transform) -> String {
    format!(
        "{},{},{},{},{},{}",
        num(t.sx.get()),
        num(t.ky.get()),
        num(t.kx.get()),
        num(t.sy.get()),
        num(t.tx.to_pt()),
        num(t.ty.to_pt())
    )
}

/// A number as short as a drawing needs (a thousandth of a point).
fn num(v: f64) -> Num {
    Num((v * 1000.0).round() as i64)
}

/// A number in thousandths, written as the shortest decimal ("12.5", "-3",
/// "0.005"): what `{}` writes for the nearest `f64`, without formatting a float
/// (a page has a few thousand of them and the preview draws one at every edit).
struct Num(i64);

impl Num {
    /// Appends the number to `out` (no formatting machinery: a glyph run
    /// writes three numbers per glyph).
    fn push_to(&self, out: &mut String) {
        if self.0 < 0 {
            out.push('-');
        }
        let (whole, mut frac) = (self.0.unsigned_abs() / 1000, self.0.unsigned_abs() % 1000);
        push_digits(out, whole, 0);
        if frac == 0 {
            return;
        }
        let mut digits = 3;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        out.push('.');
        push_digits(out, frac, digits);
    }
}

/// Appends `n` in decimal, with leading zeros up to `width` digits.
fn push_digits(out: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    at = at.min(buf.len() - width);
    out.extend(buf[at..].iter().map(|&b| char::from(b)));
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        self.push_to(&mut s);
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_the_nearest_float_would_be() {
        let float = |v: f64| {
            let r = (v * 1000.0).round() / 1000.0;
            if r == 0.0 {
                "0".to_string()
            } else {
                format!("{r}")
            }
        };
        let mut v = -2000.0;
        while v < 2000.0 {
            assert_eq!(num(v).to_string(), float(v), "{v}");
            v += 0.0137;
        }
        for v in [
            0.0,
            -0.0,
            0.0004,
            -0.0004,
            0.0005,
            -0.0006,
            0.3,
            0.1 + 0.2,
            841.89,
            595.276,
            12.5,
            -3.0,
            1e6 + 0.001,
        ] {
            assert_eq!(num(v).to_string(), float(v), "{v}");
        }
    }
}
