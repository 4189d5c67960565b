//! The parts of an official document read from its blocks (NĐ 30 / HD 36 layout):
//! the header table (agency | national title, number, place and date), the type
//! name and trích yếu, the body, the Nơi nhận | signature table, and the tables
//! of the body or after the signature (appendix tables).
//!
//! Refuses a document without a header table (two cells, one with "Số") or
//! without a signature table ("Nơi nhận"): those are what make a report type.
//! Does not guess a date it cannot read: no date, no period.

use super::docx::{Block, Docx, Para, Table};
use super::vocabulary as voc;
use crate::base::period::Period;
use crate::error::ImportError;

/// What the header and signature say, and the blocks between.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    pub party: bool,
    pub parent_body: String,
    pub issuing_body: Vec<String>,
    pub national_title: String,
    pub motto: String,
    pub number: String,
    pub code: String,
    pub place: String,
    /// "YYYY-MM-DD" when the day is written; empty when left blank.
    pub date: String,
    pub period: Option<Period>,
    pub document_type: String,
    pub subject: Vec<String>,
    pub body: Vec<Para>,
    /// Tables with the bold centred lines written above them.
    pub tables: Vec<(Vec<String>, Table)>,
    pub recipients: Vec<String>,
    pub authority: Vec<String>,
    pub signer: String,
}

fn lines(cell: &[Para]) -> Vec<(String, bool)> {
    cell.iter()
        .flat_map(|p| {
            let bold = p.all_bold();
            p.text().split('\n').map(|l| (l.trim().to_string(), bold)).collect::<Vec<_>>()
        })
        .filter(|(l, _)| !l.is_empty())
        .collect()
}

fn is_header(t: &Table) -> bool {
    t.first()
        .is_some_and(|r| r.len() >= 2 && lines(&r[0]).iter().any(|(l, _)| l.starts_with(voc::NUMBER)))
}

fn is_signature(t: &Table) -> bool {
    t.first()
        .is_some_and(|r| r.len() >= 2 && lines(&r[0]).iter().any(|(l, _)| l.starts_with(voc::RECIPIENTS)))
}

/// Reads the document's parts.
pub fn shape(doc: &Docx) -> Result<Shape, ImportError> {
    let blocks = &doc.blocks;
    let head = blocks
        .iter()
        .position(|b| matches!(b, Block::Table(t) if is_header(t)))
        .ok_or(ImportError::NoHeader)?;
    let sign = blocks
        .iter()
        .rposition(|b| matches!(b, Block::Table(t) if is_signature(t)))
        .ok_or(ImportError::NoSignature)?;
    let mut s = Shape::default();
    if let Block::Table(t) = &blocks[head] {
        header(&mut s, &t[0]);
    }
    if let Block::Table(t) = &blocks[sign] {
        signature(&mut s, &t[0]);
    }
    let start = title(&mut s, &blocks[head + 1..sign]) + head + 1;
    let mut above = Vec::new();
    for b in blocks[start..sign].iter().chain(&blocks[sign + 1..]) {
        match b {
            Block::Para(p) if p.centered && p.all_bold() && !p.text().trim().is_empty() => above.push(p.text().trim().to_string()),
            Block::Para(p) => {
                s.body.extend(above.drain(..).map(|t| bold_para(&t)));
                s.body.push(p.clone());
            }
            Block::Table(t) => s.tables.push((std::mem::take(&mut above), t.clone())),
        }
    }
    s.body.extend(above.drain(..).map(|t| bold_para(&t)));
    while s.body.last().is_some_and(|p| p.text().trim().is_empty()) {
        s.body.pop();
    }
    Ok(s)
}

fn bold_para(t: &str) -> Para {
    Para {
        style: String::new(),
        centered: true,
        inlines: vec![super::docx::Inline::Text {
            text: t.to_string(),
            bold: true,
            italic: false,
        }],
    }
}

fn header(s: &mut Shape, row: &[Vec<Para>]) {
    let left = lines(&row[0]);
    let right = lines(&row[1]);
    s.party = right.iter().any(|(l, _)| l.contains(voc::PARTY));
    let mut agency = Vec::new();
    for (l, bold) in &left {
        if l.starts_with(voc::NUMBER) {
            number(s, l);
        } else if l == "*" {
        } else if !bold && agency.is_empty() {
            s.parent_body = join(&s.parent_body, l);
        } else {
            agency.push(l.clone());
        }
    }
    s.issuing_body = agency;
    for (l, _) in &right {
        if l.contains(voc::DAY) && l.contains(voc::YEAR) {
            date(s, l);
        } else if l.starts_with(voc::MOTTO_START) {
            s.motto = l.clone();
        } else if s.national_title.is_empty() {
            s.national_title = l.clone();
        }
    }
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a} {b}")
    }
}

/// "Số: 15/BC-UBND" -> ("15", "BC-UBND"); "Số 05-CTr/TU" -> ("05", "CTr/TU");
/// "Số:      /BC-UBND" -> ("", "BC-UBND").
fn number(s: &mut Shape, line: &str) {
    let rest = line[voc::NUMBER.len()..].trim_start_matches(':').trim();
    let cut = rest.find(|c: char| !c.is_ascii_digit() && !c.is_whitespace()).unwrap_or(rest.len());
    s.number = rest[..cut].trim().to_string();
    s.code = rest[cut..].trim_start_matches(['/', '-']).trim().to_string();
}

/// "Lai Châu, ngày 05 tháng 4 năm 2026" (the day may be blank).
fn date(s: &mut Shape, line: &str) {
    s.place = line.split(',').next().unwrap_or("").trim().to_string();
    let after = |word: &str| -> Option<u32> {
        let i = line.find(word)? + word.len();
        let digits: String = line[i..].trim_start().chars().take_while(|c| c.is_ascii_digit()).collect();
        digits.parse().ok()
    };
    let (day, month, year) = (after(voc::DAY), after(voc::MONTH), after(voc::YEAR));
    if let (Some(m), Some(y)) = (month, year) {
        s.period = format!("{y}-{m:02}").parse().ok();
        if let Some(d) = day {
            s.date = format!("{y}-{m:02}-{d:02}");
        }
    }
}

fn signature(s: &mut Shape, row: &[Vec<Para>]) {
    for (l, _) in lines(&row[0]) {
        if let Some(r) = l.strip_prefix('-') {
            s.recipients.push(r.trim().to_string());
        } else if !l.starts_with(voc::RECIPIENTS) {
            if let Some(last) = s.recipients.last_mut() {
                *last = join(last, &l);
            }
        }
    }
    let right = lines(&row[1]);
    if let Some(((name, _), authority)) = right.split_last() {
        s.signer = name.clone();
        s.authority = authority.iter().map(|(l, _)| l.clone()).collect();
    }
}

/// The type name and trích yếu after the header; returns how many blocks they took.
fn title(s: &mut Shape, blocks: &[Block]) -> usize {
    let mut used = 0;
    for b in blocks {
        let Block::Para(p) = b else { break };
        let text = p.text().trim().to_string();
        let rule = !text.is_empty() && text.chars().all(|c| c == '-' || c == '_' || c == '*');
        if text.is_empty() || rule {
            used += 1;
            if rule || !s.subject.is_empty() {
                break;
            }
            continue;
        }
        if !(p.centered && p.all_bold()) {
            break;
        }
        match s.document_type.is_empty() {
            true => s.document_type = text,
            false => s.subject.push(text),
        }
        used += 1;
    }
    used
}
