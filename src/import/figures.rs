//! The numbers of an imported document's text: which become indicators of the
//! period's sector file (a number with a unit or a counted noun after it, or a
//! percent), which stay text (dates, document numbers, years, ordinals, numbers
//! without a unit), and comparisons with the same period of last year ("tăng 5,4%
//! so với cùng kỳ" after a figure) turned into the comparison filters with the
//! previous value worked out from the document.
//!
//! Also escapes the document's text for the fragment language: a run of the
//! characters that language or minijinja would read (`{ } * _ ^ [ ]`) is written
//! as a minijinja string, which is printed as text. Refuses nothing: what it does
//! not recognise stays text and is listed with the reason.

use std::collections::BTreeSet;

use super::vocabulary as voc;
use crate::error::TextReason;

/// An indicator offered from a number of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// As written in the document ("2.192,42"; "3" for "03").
    pub value: String,
    /// The same period of last year, worked out from a comparison in the text.
    pub previous: Option<String>,
    /// Where the document's text became this indicator: each placeholder put in a
    /// fragment, with the words it replaced (to turn it back into text).
    pub uses: Vec<Use>,
}

/// One placeholder of an indicator in a fragment, and the words it replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Use {
    /// `{{ sector.code }}`, `{{ sector.code | tang_giam(1) }}`…
    pub placeholder: String,
    /// "99,8%", "tăng 5,4%" as the document wrote it.
    pub written: String,
}

/// A number left as text, with why, and the words around it.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftAsText {
    pub number: String,
    pub reason: TextReason,
    pub excerpt: String,
}

/// The indicators and numbers of one document (one sector).
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub sector: String,
    pub indicators: Vec<Indicator>,
    pub left: Vec<LeftAsText>,
    codes: BTreeSet<String>,
}

/// What a number is.
enum Kind {
    Figure {
        unit: String,
        percent: bool,
        end: usize,
    },
    Comparison {
        unit: String,
        percent: bool,
        start: usize,
        end: usize,
        up: bool,
    },
    Text(TextReason),
}

impl Figures {
    pub fn new(sector: &str) -> Figures {
        Figures {
            sector: sector.to_string(),
            ..Figures::default()
        }
    }

    /// A plain text piece -> fragment source: figures become `{{ sector.code }}`.
    pub fn convert(&mut self, text: &str) -> String {
        let text = text.replace(['\n', '\r', '\t'], " ");
        let mut out = String::new();
        let (mut pos, mut last): (usize, Option<usize>) = (0, None);
        for (s, e) in numbers(&text) {
            if s < pos {
                continue;
            }
            if text[pos..s].contains(';') || text[pos..s].contains(". ") {
                last = None;
            }
            match kind(&text, s, e) {
                Kind::Text(reason) => self.leave(&text, s, e, reason),
                Kind::Figure { unit, percent, end } => {
                    out.push_str(&escape(&text[pos..s]));
                    let i = self.add(&text, s, e, &unit);
                    let shown = self.placeholder(i, percent, &text[s..e]);
                    self.used(i, &shown, &text[s..end]);
                    out.push_str(&shown);
                    (pos, last) = (end, Some(i));
                }
                Kind::Comparison {
                    unit,
                    percent,
                    start,
                    end,
                    up,
                } => match last.filter(|&i| self.comparable(i, &unit, percent, &text[end..])) {
                    Some(i) => {
                        out.push_str(&escape(&text[pos..start]));
                        let shown = self.compare(i, &text[s..e], percent, up);
                        self.used(i, &shown, &text[start..end]);
                        out.push_str(&shown);
                        pos = end;
                    }
                    None => self.leave(&text, s, e, TextReason::Comparison),
                },
            }
        }
        out.push_str(&escape(&text[pos..]));
        out
    }

    fn leave(&mut self, text: &str, s: usize, e: usize, reason: TextReason) {
        self.left.push(LeftAsText {
            number: text[s..e].to_string(),
            reason,
            excerpt: around(text, s, e),
        });
    }

    fn add(&mut self, text: &str, s: usize, e: usize, unit: &str) -> usize {
        let name = name_before(&text[..s]).unwrap_or_else(|| unit.to_string());
        let mut code = code_of(&name);
        let base = code.clone();
        let mut k = 2;
        while !self.codes.insert(code.clone()) {
            code = format!("{base}_{k}");
            k += 1;
        }
        let written = &text[s..e];
        let value = match leading_zero(written) {
            true => written.trim_start_matches('0').to_string(),
            false => written.to_string(),
        };
        let mut name = name;
        if let Some(first) = name.chars().next() {
            name = first.to_uppercase().collect::<String>() + &name[first.len_utf8()..];
        }
        self.indicators.push(Indicator {
            code,
            name,
            unit: unit.to_string(),
            value,
            previous: None,
            uses: Vec::new(),
        });
        self.indicators.len() - 1
    }

    fn used(&mut self, i: usize, placeholder: &str, written: &str) {
        self.indicators[i].uses.push(Use {
            placeholder: placeholder.to_string(),
            written: written.to_string(),
        });
    }

    fn placeholder(&self, i: usize, percent: bool, written: &str) -> String {
        let code = format!("{}.{}", self.sector, self.indicators[i].code);
        if percent {
            return format!("{{{{ {code} | phan_tram({}) }}}}", decimals(written));
        }
        match leading_zero(written) {
            true => format!("{{{{ {code} | hai_so }}}}"),
            false => format!("{{{{ {code} }}}}"),
        }
    }

    /// Whether figure `i` can carry a comparison with the same period of last year.
    fn comparable(&self, i: usize, unit: &str, percent: bool, after: &str) -> bool {
        let ind = &self.indicators[i];
        let same_year = after.chars().take(40).collect::<String>().contains(voc::SAME_PERIOD);
        same_year && ind.previous.is_none() && number_value(&ind.value).is_some() && (percent || unit == ind.unit) && ind.unit != "%"
    }

    fn compare(&mut self, i: usize, written: &str, percent: bool, up: bool) -> String {
        let code = format!("{}.{}", self.sector, self.indicators[i].code);
        let value = number_value(&self.indicators[i].value).unwrap_or(0.0);
        let change = number_value(written).unwrap_or(0.0) * if up { 1.0 } else { -1.0 };
        let previous = match percent {
            true => value / (1.0 + change / 100.0),
            false => value - change,
        };
        self.indicators[i].previous = Some(format_number(previous, if percent { 6 } else { decimals(written) }));
        match percent {
            true => format!("{{{{ {code} | tang_giam({}) }}}}", decimals(written)),
            false => format!("{{{{ {code} | chenh_lech }}}}"),
        }
    }
}

/// The numbers of a text: (start, end) byte ranges of digits with `.` and `,`
/// between digits ("2.192,42").
pub fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && (b[i].is_ascii_digit() || ((b[i] == b'.' || b[i] == b',') && b.get(i + 1).is_some_and(u8::is_ascii_digit))) {
            i += 1;
        }
        out.push((s, i));
    }
    out
}

/// Dots only between groups of three digits, at most one decimal comma after
/// them ("2.192,42"; not "280.5", which the sector files would refuse).
fn vietnamese_number(written: &str) -> bool {
    let (int, frac) = written.split_once(',').unwrap_or((written, ""));
    let mut groups = int.split('.');
    let first = groups.next().unwrap_or("");
    let first_ok = (1..=3).contains(&first.len());
    !frac.contains(['.', ',']) && first_ok && groups.all(|g| g.len() == 3)
}

fn leading_zero(written: &str) -> bool {
    written.len() == 2 && written.starts_with('0')
}

/// Digits after the decimal comma.
fn decimals(written: &str) -> usize {
    written.split_once(',').map(|(_, d)| d.len()).unwrap_or(0)
}

/// "2.192,42" -> 2192.42.
pub fn number_value(written: &str) -> Option<f64> {
    written.replace('.', "").replace(',', ".").parse().ok()
}

/// A value in the sector files' writing: decimal comma, no thousands dots,
/// trailing zeros dropped.
fn format_number(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = match s.contains('.') {
        true => s.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => s,
    };
    s.replace('.', ",")
}

/// The text's word before byte `s`, lower case.
fn words_before(text: &str, s: usize, n: usize) -> String {
    let words: Vec<&str> = text[..s].split_whitespace().collect();
    words[words.len().saturating_sub(n)..].join(" ").to_lowercase()
}

/// What the number at `s..e` is; a figure not written the Vietnamese way stays text
/// (the sector file would read it otherwise, or print it with thousands dots).
fn kind(text: &str, s: usize, e: usize) -> Kind {
    match kind_of(text, s, e) {
        Kind::Figure { .. } | Kind::Comparison { .. } if !vietnamese_number(&text[s..e]) => Kind::Text(TextReason::NotVietnameseNumber),
        k => k,
    }
}

fn kind_of(text: &str, s: usize, e: usize) -> Kind {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    let after2 = text[e..].chars().nth(1);
    if matches!(before, Some('/' | '-' | '–')) || (matches!(after, Some('/' | '-' | '–')) && after2.is_some_and(char::is_alphanumeric))
    {
        return Kind::Text(TextReason::DateOrDocumentNumber);
    }
    if before.is_some_and(char::is_alphabetic) {
        return Kind::Text(TextReason::PartOfWord);
    }
    if before == Some('(') && after == Some(')') {
        return Kind::Text(TextReason::Ordinal);
    }
    let prev = words_before(text, s, 2);
    let last = prev.split(' ').next_back().unwrap_or("");
    if voc::NOT_FIGURE_BEFORE
        .iter()
        .any(|w| prev.ends_with(w) && (prev.len() == w.len() || prev[..prev.len() - w.len()].ends_with(' ')))
    {
        return Kind::Text(TextReason::DateOrDocumentNumber);
    }
    let rest = &text[e..];
    let gap = rest.len() - rest.trim_start().len();
    let comparison = (last == voc::UP || last == voc::DOWN).then(|| text[..s].trim_end().len() - last.len());
    if rest.trim_start().starts_with('%') {
        let end = e + gap + 1;
        return match comparison {
            Some(start) => Kind::Comparison {
                unit: "%".into(),
                percent: true,
                start,
                end,
                up: last == voc::UP,
            },
            None => Kind::Figure {
                unit: "%".into(),
                percent: true,
                end,
            },
        };
    }
    let year = e - s == 4 && !text[s..e].contains(['.', ',']) && (1900..=2100).contains(&text[s..e].parse::<u32>().unwrap_or(0));
    match unit_after(rest) {
        Some(unit) => match comparison {
            Some(start) => Kind::Comparison {
                unit,
                percent: false,
                start,
                end: e,
                up: last == voc::UP,
            },
            None => Kind::Figure {
                unit,
                percent: false,
                end: e,
            },
        },
        None if year => Kind::Text(TextReason::Year),
        None => Kind::Text(TextReason::NoUnit),
    }
}

/// The unit written right after a number (the longest that fits, ending a word;
/// digits may follow: a footnote mark the text kept glued, "305 tấn3").
fn unit_after(rest: &str) -> Option<String> {
    let r = rest.trim_start();
    let lower = r.to_lowercase();
    voc::UNITS
        .iter()
        .filter(|u| {
            let u = u.to_lowercase();
            lower.starts_with(&u) && !lower[u.len()..].chars().next().is_some_and(char::is_alphabetic)
        })
        .max_by_key(|u| u.len())
        .map(|u| r[..u.len()].to_string())
}

/// An indicator's name from the words before its number in the same clause.
fn name_before(text: &str) -> Option<String> {
    let cut = [";", ":", "(", ". ", ", ", "- "]
        .iter()
        .filter_map(|p| text.rfind(p).map(|i| i + p.len()))
        .max()
        .unwrap_or(0);
    let mut words: Vec<&str> = text[cut..].split_whitespace().collect();
    if let Some(i) = words.iter().rposition(|w| w.chars().any(|c| c.is_ascii_digit())) {
        words.drain(..=i);
    }
    loop {
        let joined = words.join(" ").to_lowercase();
        let Some(tail) = voc::NAME_TAIL.iter().find(|t| joined == **t || joined.ends_with(&format!(" {t}"))) else {
            break;
        };
        words.truncate(words.len() - tail.split(' ').count());
    }
    let words = &words[words.len().saturating_sub(12)..];
    (!words.is_empty()).then(|| words.join(" "))
}

/// An indicator code from its name: ASCII, lower case, `_` between words, at most
/// five words ("Giá trị sản xuất công nghiệp" -> "gia_tri_san_xuat_cong").
pub fn code_of(name: &str) -> String {
    let folded: String = name
        .chars()
        .map(voc::fold)
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let code = folded.split_whitespace().take(5).collect::<Vec<_>>().join("_");
    match code.chars().next() {
        None => "chi_tieu".into(),
        Some(c) if c.is_ascii_digit() => format!("so_{code}"),
        Some(_) => code,
    }
}

/// Up to 40 characters either side of a number.
fn around(text: &str, s: usize, e: usize) -> String {
    let before: String = text[..s].chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
    let after: String = text[e..].chars().take(40).collect();
    format!("…{before}{}{after}…", &text[s..e])
}

/// Document text for the fragment language: runs of characters the fragment
/// language or minijinja would read become a minijinja string (printed as text);
/// the private-use characters the pipeline reserves are dropped.
pub fn escape(text: &str) -> String {
    let special = |c: char| matches!(c, '{' | '}' | '*' | '_' | '^' | '[' | ']');
    let mut out = String::new();
    let mut run = String::new();
    for c in text.chars().filter(|c| !('\u{E000}'..='\u{E003}').contains(c)) {
        if special(c) {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            out.push_str(&format!("{{{{ \"{}\" }}}}", std::mem::take(&mut run)));
        }
        out.push(c);
    }
    if !run.is_empty() {
        out.push_str(&format!("{{{{ \"{run}\" }}}}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_dates_and_comparisons() {
        let mut f = Figures::new("x");
        let out = f.convert("Giá trị sản xuất công nghiệp ước đạt 307,2 tỷ đồng, tăng 5,4% so với cùng kỳ; theo Quyết định số 489/QĐ-TTg ngày 08/4/2020, năm 2026 có 03 ổ dịch và đạt 15,83%.");
        assert_eq!(f.indicators.len(), 3, "{:?}", f.indicators);
        assert_eq!(f.indicators[0].name, "Giá trị sản xuất công nghiệp");
        assert_eq!(f.indicators[0].unit, "tỷ đồng");
        assert_eq!(f.indicators[0].previous.as_deref(), Some("291,461101"));
        assert!(
            out.contains("{{ x.gia_tri_san_xuat_cong }} tỷ đồng, {{ x.gia_tri_san_xuat_cong | tang_giam(1) }} so với"),
            "{out}"
        );
        assert!(
            out.contains("{{ x.") && out.contains("| hai_so }} ổ dịch") && out.contains("| phan_tram(2) }}."),
            "{out}"
        );
        assert!(out.contains("489/QĐ-TTg ngày 08/4/2020, năm 2026"), "{out}");
        assert_eq!(f.left.len(), 5, "{:?}", f.left);
    }

    #[test]
    fn markup_of_the_document_stays_text() {
        assert_eq!(
            escape("a {{ b }} **c** ^[d]"),
            "a {{ \"{{\" }} b {{ \"}}\" }} {{ \"**\" }}c{{ \"**\" }} {{ \"^[\" }}d{{ \"]\" }}"
        );
    }
}
