//! Reading a Word .docx (a zip of WordprocessingML) into plain blocks: paragraphs
//! (style, runs of text with bold/italic, footnote marks where they stand) and
//! tables (rows of cells of paragraphs), plus the footnotes' text from
//! `word/footnotes.xml`.
//!
//! Refuses what is not a zip with `word/document.xml`. Ignores what a report type
//! cannot hold: images, drawings, fields' codes (their shown text is kept),
//! comments, tracked deletions (`w:del`), headers and footers of the page.

use std::collections::BTreeMap;
use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::ImportError;

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text {
        text: String,
        bold: bool,
        italic: bool,
    },
    /// A footnote mark: the footnote's id in footnotes.xml.
    Note(String),
}

/// One paragraph: its style id (`Heading1`, `FootnoteText`, ...) and its pieces.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    pub style: String,
    pub centered: bool,
    pub inlines: Vec<Inline>,
}

impl Para {
    /// The paragraph's text without marks.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for i in &self.inlines {
            if let Inline::Text { text, .. } = i {
                s.push_str(text);
            }
        }
        s
    }

    /// Whether every visible character is bold.
    pub fn all_bold(&self) -> bool {
        let mut any = false;
        for i in &self.inlines {
            if let Inline::Text { text, bold, .. } = i {
                if !text.trim().is_empty() {
                    any = true;
                    if !bold {
                        return false;
                    }
                }
            }
        }
        any
    }
}

/// A table: rows of cells, each cell its paragraphs.
pub type Table = Vec<Vec<Vec<Para>>>;

/// A block of the body, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(Para),
    Table(Table),
}

/// A read document.
#[derive(Debug, Clone, Default)]
pub struct Docx {
    pub blocks: Vec<Block>,
    /// Footnote id -> its paragraphs.
    pub footnotes: BTreeMap<String, Vec<Para>>,
}

/// Reads the .docx bytes.
pub fn read(bytes: &[u8]) -> Result<Docx, ImportError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| ImportError::NotDocx(e.to_string()))?;
    let document = member(&mut zip, "word/document.xml")?.ok_or(ImportError::NotDocx("word/document.xml".into()))?;
    let blocks = parse_blocks(&document)?;
    let mut footnotes = BTreeMap::new();
    if let Some(xml) = member(&mut zip, "word/footnotes.xml")? {
        footnotes = parse_footnotes(&xml)?;
    }
    Ok(Docx { blocks, footnotes })
}

fn member(zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Result<Option<String>, ImportError> {
    let mut file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(ImportError::NotDocx(e.to_string())),
    };
    let mut s = String::new();
    file.read_to_string(&mut s).map_err(|e| ImportError::NotDocx(e.to_string()))?;
    Ok(Some(s))
}

/// The run and paragraph state while reading.
#[derive(Default)]
struct State {
    /// Open tables: each a list of rows, the last row a list of cells.
    tables: Vec<Table>,
    para: Option<Para>,
    bold: bool,
    italic: bool,
    in_run_props: bool,
    in_text: bool,
    /// Inside `w:del`, `w:instrText` or a footnote's own `w:footnoteRef` run.
    skipping: usize,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok().flatten()?;
    let raw = String::from_utf8_lossy(&a.value).into_owned();
    quick_xml::escape::unescape(&raw).ok().map(|v| v.into_owned())
}

/// A `w:b`/`w:i` switch: on unless `w:val` says false.
fn switch(e: &BytesStart) -> bool {
    !matches!(attr(e, "w:val").as_deref(), Some("0" | "false" | "none"))
}

fn parse_blocks(xml: &str) -> Result<Vec<Block>, ImportError> {
    let mut out = Vec::new();
    walk(xml, |st, ev| on_event(st, ev, &mut out))?;
    Ok(out)
}

fn parse_footnotes(xml: &str) -> Result<BTreeMap<String, Vec<Para>>, ImportError> {
    let mut notes: BTreeMap<String, Vec<Para>> = BTreeMap::new();
    let mut current: Option<String> = None;
    walk(xml, |st, ev| {
        if let XmlEvent::Start(e) = &ev {
            if e.name().as_ref() == b"w:footnote" {
                let separator = matches!(attr(e, "w:type").as_deref(), Some("separator" | "continuationSeparator"));
                current = attr(e, "w:id").filter(|id| !separator && id != "0" && id != "-1");
            }
        }
        let mut blocks = Vec::new();
        on_event(st, ev, &mut blocks);
        if let (Some(id), Some(Block::Para(p))) = (&current, blocks.pop()) {
            notes.entry(id.clone()).or_default().push(p);
        }
    })?;
    Ok(notes)
}

/// The events `on_event` needs, with the element for starts.
enum XmlEvent<'a> {
    Start(BytesStart<'a>),
    Empty(BytesStart<'a>),
    End(Vec<u8>),
    Text(String),
}

fn walk(xml: &str, mut f: impl FnMut(&mut State, XmlEvent)) -> Result<(), ImportError> {
    let mut reader = Reader::from_str(xml);
    let mut st = State::default();
    loop {
        let ev = match reader.read_event().map_err(|e| ImportError::NotDocx(e.to_string()))? {
            Event::Start(e) => XmlEvent::Start(e),
            Event::Empty(e) => XmlEvent::Empty(e),
            Event::End(e) => XmlEvent::End(e.name().as_ref().to_vec()),
            Event::Text(t) => XmlEvent::Text(t.unescape().map_err(|e| ImportError::NotDocx(e.to_string()))?.into_owned()),
            Event::Eof => break,
            _ => continue,
        };
        f(&mut st, ev);
    }
    Ok(())
}

fn on_event(st: &mut State, ev: XmlEvent, out: &mut Vec<Block>) {
    match ev {
        XmlEvent::Start(e) => on_start(st, &e, false),
        XmlEvent::Empty(e) => on_start(st, &e, true),
        XmlEvent::End(name) => on_end(st, &name, out),
        XmlEvent::Text(t) if st.in_text && st.skipping == 0 => {
            if let Some(p) = st.para.as_mut() {
                push_text(p, &t, st.bold, st.italic);
            }
        }
        XmlEvent::Text(_) => {}
    }
}

fn push_text(p: &mut Para, t: &str, bold: bool, italic: bool) {
    if let Some(Inline::Text { text, bold: b, italic: i }) = p.inlines.last_mut() {
        if *b == bold && *i == italic {
            text.push_str(t);
            return;
        }
    }
    p.inlines.push(Inline::Text {
        text: t.to_string(),
        bold,
        italic,
    });
}

fn on_start(st: &mut State, e: &BytesStart, empty: bool) {
    match e.name().as_ref() {
        b"w:tbl" if !empty => st.tables.push(Vec::new()),
        b"w:tr" if !empty => st.tables.last_mut().map(|t| t.push(Vec::new())).unwrap_or(()),
        b"w:tc" if !empty => st
            .tables
            .last_mut()
            .and_then(|t| t.last_mut())
            .map(|r| r.push(Vec::new()))
            .unwrap_or(()),
        b"w:p" => {
            st.para = Some(Para::default());
            st.bold = false;
            st.italic = false;
        }
        b"w:pStyle" => st
            .para
            .as_mut()
            .map(|p| p.style = attr(e, "w:val").unwrap_or_default())
            .unwrap_or(()),
        b"w:jc" => st
            .para
            .as_mut()
            .map(|p| p.centered = attr(e, "w:val").as_deref() == Some("center"))
            .unwrap_or(()),
        b"w:r" if !empty => {
            st.bold = false;
            st.italic = false;
        }
        b"w:rPr" if !empty => st.in_run_props = true,
        b"w:b" if st.in_run_props => st.bold = switch(e),
        b"w:i" if st.in_run_props => st.italic = switch(e),
        b"w:t" if !empty => st.in_text = true,
        b"w:tab" => st.para.as_mut().map(|p| push_text(p, " ", st.bold, st.italic)).unwrap_or(()),
        b"w:br" | b"w:cr" => st.para.as_mut().map(|p| push_text(p, "\n", st.bold, st.italic)).unwrap_or(()),
        b"w:del" | b"w:instrText" | b"w:delText" if !empty => st.skipping += 1,
        b"w:footnoteReference" => {
            if let (Some(p), Some(id)) = (st.para.as_mut(), attr(e, "w:id")) {
                p.inlines.push(Inline::Note(id));
            }
        }
        _ => {}
    }
}

fn on_end(st: &mut State, name: &[u8], out: &mut Vec<Block>) {
    match name {
        b"w:rPr" => st.in_run_props = false,
        b"w:t" => st.in_text = false,
        b"w:del" | b"w:instrText" | b"w:delText" => st.skipping = st.skipping.saturating_sub(1),
        b"w:p" => {
            let Some(p) = st.para.take() else { return };
            match st.tables.last_mut().and_then(|t| t.last_mut()).and_then(|r| r.last_mut()) {
                Some(cell) => cell.push(p),
                None => out.push(Block::Para(p)),
            }
        }
        b"w:tbl" => {
            let Some(t) = st.tables.pop() else { return };
            match st.tables.last_mut().and_then(|t| t.last_mut()).and_then(|r| r.last_mut()) {
                // A table inside a cell: its paragraphs join the cell.
                Some(cell) => cell.extend(t.into_iter().flatten().flatten()),
                None => out.push(Block::Table(t)),
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_notes_and_tables() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>I. A</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">x </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>y</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#;
        let b = parse_blocks(xml).unwrap();
        assert_eq!(b.len(), 3);
        let Block::Para(h) = &b[0] else { panic!() };
        assert!(h.all_bold() && h.style == "Heading1");
        let Block::Para(p) = &b[1] else { panic!() };
        assert_eq!(p.inlines.last(), Some(&Inline::Note("2".into())));
        assert_eq!(p.text(), "x y");
        assert!(matches!(&b[2], Block::Table(t) if t[0][0][0].text() == "c"));
    }
}
