//! Turning a sector table into indicators: columns, numbers, codes, parents.

use std::collections::HashMap;

use super::table::{Cell, Table};
use crate::base::number::{self, Parsed, Style};
use crate::error::{Findings, Location, Problem, Severity};

/// How an indicator aggregates over the months of a longer period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Aggregation {
    /// A flow (production, revenue): summed over the months.
    #[default]
    Sum,
    /// A stock (herd size, people under treatment): the value of the last month.
    EndOfPeriod,
    /// A rate or share: recomputed from other indicators, never summed.
    Computed,
}

impl Aggregation {
    /// The period's value from the months' values, in order: a sum for flows,
    /// the last month's value for stocks and rates.
    pub fn combine(self, values: &[f64]) -> f64 {
        match self {
            Aggregation::Sum => values.iter().sum(),
            Aggregation::EndOfPeriod | Aggregation::Computed => values.last().copied().unwrap_or(0.0),
        }
    }
}

/// Plan targets an indicator can be compared with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Targets {
    /// Dự toán Trung ương giao (column `du_toan_tw`).
    pub central_budget: Option<f64>,
    /// Dự toán HĐND tỉnh giao (column `du_toan_hdnd`).
    pub provincial_budget: Option<f64>,
    /// Kế hoạch năm (column `ke_hoach`).
    pub plan: Option<f64>,
}

/// One figure of the period.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// The value; `None` only while a computed parent is not yet summed.
    pub value: Option<f64>,
    /// Decimal places as written in the data (the default display precision).
    pub decimals: u8,
    pub parent: Option<String>,
    /// Same period of the previous year.
    pub prior: Option<f64>,
    pub targets: Targets,
    pub aggregation: Aggregation,
    /// Since January, when all earlier months of the year are present.
    pub cumulative: Option<f64>,
    /// True when the value was computed as the sum of the children.
    pub computed: bool,
    /// The value cell could not be read (already reported; no further "missing value").
    pub invalid: bool,
    /// Estimated (ước đạt): the period's last month was not yet reported.
    pub estimated: bool,
    /// A "trong đó" part: the parent's parts need not add up to it (column `trong_do` = x).
    pub partial: bool,
    pub location: Location,
}

impl Indicator {
    /// An indicator with a code and a value and nothing else (for tests and examples).
    ///
    /// ```
    /// let i = baocao::internals::Indicator::new("dan_trau", Some(84860.0));
    /// assert_eq!((i.code.as_str(), i.value, i.decimals), ("dan_trau", Some(84860.0), 0));
    /// ```
    pub fn new(code: &str, value: Option<f64>) -> Indicator {
        Indicator {
            code: code.to_string(),
            name: String::new(),
            unit: String::new(),
            value,
            decimals: 0,
            parent: None,
            prior: None,
            targets: Targets::default(),
            aggregation: Aggregation::default(),
            cumulative: None,
            computed: false,
            invalid: false,
            estimated: false,
            partial: false,
            location: Location::file(""),
        }
    }
}

const REQUIRED: [&str; 4] = ["ma", "ten", "don_vi", "gia_tri"];
const OPTIONAL: [&str; 8] = [
    "cha",
    "trong_do",
    "cung_ky",
    "du_toan_tw",
    "du_toan_hdnd",
    "ke_hoach",
    "tong_hop",
    "ghi_chu",
];
/// The columns that hold figures.
pub(crate) const NUMERIC: [&str; 5] = ["gia_tri", "cung_ky", "du_toan_tw", "du_toan_hdnd", "ke_hoach"];

/// Where each known column of a table is.
struct Columns(HashMap<&'static str, usize>);

/// The number convention a file proves by its unambiguous numbers.
#[derive(Clone, Copy, Default)]
pub(crate) struct Proven {
    vietnamese: bool,
    plain: bool,
}

impl Proven {
    /// The convention some figures' texts prove.
    pub(crate) fn of_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Proven {
        let mut proven = Proven::default();
        for s in texts {
            match number::parse(s) {
                Ok(Parsed::Exact {
                    style: Some(Style::Vietnamese),
                    ..
                }) => proven.vietnamese = true,
                Ok(Parsed::Exact {
                    style: Some(Style::Plain), ..
                }) => proven.plain = true,
                _ => {}
            }
        }
        proven
    }
}

/// [`from_table`], read once per table: an unchanged file's table, shared by
/// the parse cache, gives its kept indicators and findings again.
pub fn of_table(t: &Table, findings: &mut Findings) -> Vec<Indicator> {
    let (indicators, found) = t.indicators.0.get_or_init(|| {
        let mut f = Findings::default();
        (from_table(t, &mut f), f.0)
    });
    findings.0.extend(found.iter().cloned());
    indicators.clone()
}

/// Reads the indicators of a table; problems go to `findings`.
pub fn from_table(t: &Table, findings: &mut Findings) -> Vec<Indicator> {
    let Some(cols) = columns(t, findings) else {
        return vec![];
    };
    let proven = proven_style(t, &cols);
    let mut out: Vec<Indicator> = Vec::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for row in &t.rows {
        let reader = RowReader {
            src: &t.source,
            cols: &cols,
            proven,
            row,
        };
        let code = reader.text("ma");
        if !super::is_identifier(&code) {
            findings.push(Severity::Error, reader.at("ma"), None, Problem::BadCode { code: code.clone() });
            continue;
        }
        if let Some(&l) = first_line.get(&code) {
            findings.push(
                Severity::Error,
                reader.at("ma"),
                Some(&code),
                Problem::DuplicateCode { first_line: l },
            );
            continue;
        }
        first_line.insert(code.clone(), row.line);
        out.push(reader.indicator(code, findings));
    }
    resolve_parents(&mut out, findings);
    out
}

/// The header's columns, or `None` (with findings) when a column is unknown,
/// repeated or missing.
fn columns(t: &Table, findings: &mut Findings) -> Option<Columns> {
    let src = &t.source;
    let known = |h: &String| {
        REQUIRED
            .iter()
            .chain(OPTIONAL.iter())
            .any(|k| *k == h.trim().trim_start_matches('\u{feff}'))
    };
    if !t.header.iter().any(known) {
        // Not a header at all (a title, a form, another layout): one hint, not an error per cell.
        let first = t.header.iter().find(|h| !h.trim().is_empty()).cloned().unwrap_or_default();
        findings.push(Severity::Error, Location::file(src), None, Problem::NoHeaderRow { first });
        return None;
    }
    let mut col: HashMap<&'static str, usize> = HashMap::new();
    let mut ok = true;
    for (i, h) in t.header.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        let at = Location::at(src, t.header_line, Some(i + 1));
        match REQUIRED.iter().chain(OPTIONAL.iter()).find(|k| **k == h) {
            None => findings.push(Severity::Error, at, None, Problem::UnknownColumn { name: h.to_string() }),
            Some(k) if col.contains_key(k) => findings.push(Severity::Error, at, None, Problem::DuplicateColumn { name: h.to_string() }),
            Some(k) => {
                col.insert(k, i);
                continue;
            }
        }
        ok = false;
    }
    for name in REQUIRED.into_iter().filter(|n| !col.contains_key(n)) {
        findings.push(
            Severity::Error,
            Location::at(src, t.header_line, None),
            None,
            Problem::MissingColumn { name },
        );
        ok = false;
    }
    ok.then_some(Columns(col))
}

/// Which number convention the file itself proves (1.863,5 or 1863.5).
fn proven_style(t: &Table, cols: &Columns) -> Proven {
    Proven::of_texts(t.rows.iter().flat_map(|row| {
        NUMERIC.iter().filter_map(|name| match cols.0.get(name).map(|&i| &row.cells[i]) {
            Some(Cell::Text(s)) => Some(s.as_str()),
            _ => None,
        })
    }))
}

/// One row of a table with what is known of its file.
struct RowReader<'a> {
    src: &'a std::path::Path,
    cols: &'a Columns,
    proven: Proven,
    row: &'a super::table::Row,
}

impl RowReader<'_> {
    /// The text of a column (empty when the table has no such column).
    fn text(&self, name: &str) -> String {
        self.cols.0.get(name).map(|&i| self.row.cells[i].text()).unwrap_or_default()
    }

    /// The place of a column of this row.
    fn at(&self, name: &str) -> Location {
        Location::at(self.src, self.row.line, self.cols.0.get(name).map(|i| i + 1))
    }

    /// A numeric column: `Ok(None)` when blank, `Err(())` when unreadable (reported).
    fn number(&self, name: &str, code: &str, findings: &mut Findings) -> Result<Option<(f64, u8)>, ()> {
        let Some(&i) = self.cols.0.get(name) else { return Ok(None) };
        let cell = &self.row.cells[i];
        if cell.is_blank() {
            return Ok(None);
        }
        match cell_number(cell, self.proven) {
            Ok((v, _)) if v < 0.0 => {
                findings.push(Severity::Error, self.at(name), Some(code), Problem::Negative { cell: cell.text() });
                Err(())
            }
            Ok(v) => {
                if let Some((raw, shown)) = float_artefact(cell) {
                    findings.push(Severity::Warning, self.at(name), Some(code), Problem::FloatArtefact { raw, shown });
                }
                Ok(Some(v))
            }
            Err(p) => {
                findings.push(Severity::Error, self.at(name), Some(code), p);
                Err(())
            }
        }
    }

    /// The indicator of this row (its code already checked).
    fn indicator(&self, code: String, findings: &mut Findings) -> Indicator {
        let value = self.number("gia_tri", &code, findings);
        let invalid = value.is_err();
        let value = value.ok().flatten();
        let mut plain = |name: &str| self.number(name, &code, findings).ok().flatten().map(|v| v.0);
        let prior = plain("cung_ky");
        let targets = Targets {
            central_budget: plain("du_toan_tw"),
            provincial_budget: plain("du_toan_hdnd"),
            plan: plain("ke_hoach"),
        };
        let aggregation = aggregation_of(&self.text("tong_hop")).unwrap_or_else(|p| {
            findings.push(Severity::Error, self.at("tong_hop"), Some(&code), p);
            Aggregation::Sum
        });
        Indicator {
            name: self.text("ten"),
            unit: self.text("don_vi"),
            value: value.map(|v| v.0),
            decimals: value.map(|v| v.1).unwrap_or(0),
            parent: Some(self.text("cha")).filter(|p| !p.is_empty()),
            prior,
            targets,
            aggregation,
            cumulative: None,
            computed: false,
            invalid,
            estimated: false,
            partial: !self.text("trong_do").is_empty(),
            location: Location::at(self.src, self.row.line, None),
            code,
        }
    }
}

/// The value and decimals of a non-blank numeric cell, or the problem with it.
pub(crate) fn cell_number(cell: &Cell, proven: Proven) -> Result<(f64, u8), Problem> {
    match cell {
        Cell::Number(n) if !n.is_finite() => Err(Problem::NotFinite { cell: cell.text() }),
        Cell::Number(n) if n.abs() > number::MAX_ABS => Err(Problem::Number {
            cell: cell.text(),
            kind: number::NumberError::TooLarge,
        }),
        Cell::Number(n) => {
            let decimals = decimals_of(*n);
            Ok((number::round(*n, decimals), decimals))
        }
        Cell::Text(s) => match number::parse(s) {
            // A dot decimal (2192.42) in a file written in Vietnamese format is
            // the odd one out: point at it rather than at every 6.014 of the file.
            Ok(Parsed::Exact {
                style: Some(Style::Plain), ..
            }) if proven.vietnamese => Err(Problem::MixedNumberStyle {
                cell: s.trim().to_string(),
            }),
            Ok(Parsed::Exact { value, decimals, .. }) => Ok((value, decimals)),
            // Only dot decimals elsewhere in the file: 1.863 cannot be read safely.
            Ok(Parsed::Ambiguous { .. }) if proven.plain && !proven.vietnamese => Err(Problem::AmbiguousNumber {
                cell: s.trim().to_string(),
            }),
            Ok(Parsed::Ambiguous { thousands, .. }) => Ok((thousands, 0)),
            Err(kind) => Err(Problem::Number {
                cell: s.trim().to_string(),
                kind,
            }),
        },
    }
}

/// The `tong_hop` column: how the indicator aggregates over months.
fn aggregation_of(text: &str) -> Result<Aggregation, Problem> {
    match text {
        "" | "cong" => Ok(Aggregation::Sum),
        "cuoi_ky" => Ok(Aggregation::EndOfPeriod),
        "tinh" => Ok(Aggregation::Computed),
        other => Err(Problem::BadAggregation { value: other.to_string() }),
    }
}

/// Decimals of a number cell as Excel shows it: at most 6, trailing zeros dropped,
/// so a float artefact (433.9999999999999) reads as 434 with 0 decimals.
fn decimals_of(n: f64) -> u8 {
    let s = format!("{n:.6}");
    s.split_once('.').map(|(_, f)| f.trim_end_matches('0').len() as u8).unwrap_or(0)
}

/// A number cell whose stored value differs from what Excel shows (binary noise
/// of a formula, 433.9999999999999 for 434): the value used is the rounded one.
fn float_artefact(cell: &Cell) -> Option<(String, String)> {
    let Cell::Number(n) = cell else { return None };
    let decimals = decimals_of(*n);
    let raw = format!("{n}");
    let places = raw.split_once('.').map_or(0, |(_, f)| f.len());
    (n.is_finite() && places > 6).then(|| (raw, number::format(number::round(*n, decimals), decimals)))
}

/// Checks parents exist and are acyclic, then fills computed parents (empty
/// value) with the sum of their children, deepest first.
fn resolve_parents(list: &mut [Indicator], findings: &mut Findings) {
    let valid = check_parents(list, findings);
    // Repeatedly fill parents whose children all have values.
    while fill_computed(list, &valid) {}
    for (i, ind) in list.iter().enumerate() {
        let kid_invalid = list.iter().any(|k| k.invalid && k.parent.as_deref() == Some(&ind.code));
        if ind.value.is_none() && valid[i] && !ind.invalid && !kid_invalid {
            findings.push(Severity::Error, ind.location.clone(), Some(&ind.code), Problem::MissingValue);
        }
    }
}

/// Reports unknown parents and parent cycles; true for each indicator whose
/// parent chain is sound.
fn check_parents(list: &[Indicator], findings: &mut Findings) -> Vec<bool> {
    let index: HashMap<String, usize> = list.iter().enumerate().map(|(i, x)| (x.code.clone(), i)).collect();
    let mut valid = vec![true; list.len()];
    for (i, ind) in list.iter().enumerate() {
        if let Some(problem) = parent_problem(list, &index, i) {
            findings.push(Severity::Error, ind.location.clone(), Some(&ind.code), problem);
            valid[i] = false;
        }
    }
    valid
}

/// What is wrong with the parent chain of `list[i]`, if anything.
fn parent_problem(list: &[Indicator], index: &HashMap<String, usize>, i: usize) -> Option<Problem> {
    let p = list[i].parent.as_ref()?;
    if !index.contains_key(p) {
        return Some(Problem::UnknownParent { parent: p.clone() });
    }
    // Walk up; a cycle revisits the start.
    let mut cur = p.clone();
    let mut steps = 0;
    while let Some(&j) = index.get(&cur) {
        if j == i || steps > list.len() {
            return Some(Problem::ParentCycle);
        }
        cur = list[j].parent.clone()?;
        steps += 1;
    }
    None
}

/// One pass over the list: gives every computed parent whose valid children
/// all have (complete) values their sum. True when a value was filled.
fn fill_computed(list: &mut [Indicator], valid: &[bool]) -> bool {
    let mut changed = false;
    for i in 0..list.len() {
        if list[i].value.is_some() || !valid[i] {
            continue;
        }
        let code = list[i].code.clone();
        let kids: Vec<usize> = (0..list.len())
            .filter(|&k| valid[k] && list[k].parent.as_deref() == Some(&code))
            .collect();
        if kids.is_empty() || kids.iter().any(|&k| list[k].value.is_none() || list[k].partial) {
            continue;
        }
        list[i].value = Some(kids.iter().map(|&k| list[k].value.unwrap_or(0.0)).sum());
        list[i].decimals = kids.iter().map(|&k| list[k].decimals).max().unwrap_or(0);
        if list[i].prior.is_none() && kids.iter().all(|&k| list[k].prior.is_some()) {
            list[i].prior = Some(kids.iter().map(|&k| list[k].prior.unwrap_or(0.0)).sum());
        }
        list[i].computed = true;
        changed = true;
    }
    changed
}

#[cfg(test)]
mod tests {
    #[test]
    fn excel_float_noise_is_rounded_and_reported() {
        let noisy = Cell::Number(433.9999999999999);
        assert_eq!(decimals_of(433.9999999999999), 0);
        assert_eq!(number::round(433.9999999999999, 0), 434.0);
        assert_eq!(float_artefact(&noisy), Some(("433.9999999999999".into(), "434".into())));
        assert_eq!(float_artefact(&Cell::Number(2192.42)), None);
        assert_eq!(decimals_of(2192.42), 2);
    }

    use super::*;
    use crate::figures::table::parse_csv;
    use std::path::Path;

    fn load(text: &str) -> (Vec<Indicator>, Findings) {
        let mut f = Findings::default();
        let t = parse_csv(text, Path::new("t.csv"), "t", &mut f).expect("table");
        let v = from_table(&t, &mut f);
        (v, f)
    }

    #[test]
    fn a_table_read_again_gives_its_indicators_and_its_findings_again() {
        let text = "ma,ten,don_vi,gia_tri,cha\ngia_suc,Tổng đàn,con,,\ntrau,Trâu,con,84.860,gia_suc\nbo,Bò,con,2x,gia_suc\n";
        let (fresh, fresh_findings) = load(text);
        assert!(!fresh_findings.0.is_empty(), "the bad cell is found");
        let t = parse_csv(text, Path::new("t.csv"), "t", &mut Findings::default()).unwrap();
        for _ in 0..2 {
            let mut f = Findings::default();
            let v = of_table(&t, &mut f);
            assert_eq!(format!("{v:?}"), format!("{fresh:?}"));
            assert_eq!(f.0, fresh_findings.0, "said again at each read");
        }
    }

    #[test]
    fn computed_parent_is_sum_of_children() {
        let (v, f) = load("ma,ten,don_vi,gia_tri,cha\ngia_suc,Tổng đàn,con,,\ntrau,Trâu,con,84.860,gia_suc\nbo,Bò,con,27.870,gia_suc\nlon,Lợn,con,218.900,gia_suc\n");
        assert!(f.0.is_empty(), "{f}");
        assert_eq!(v[0].value, Some(331630.0));
        assert!(v[0].computed);
    }

    #[test]
    fn errors_carry_line_and_column() {
        let (_, f) = load("ma,ten,don_vi,gia_tri\na,A,ha,12x\na,B,ha,1\nB-1,C,ha,1\nc,D,ha,-4\n");
        let s = f.to_string();
        assert!(s.contains("t.csv, dòng 2, cột 4 [a]: \"12x\" không phải là số"), "{s}");
        assert!(s.contains("t.csv, dòng 3, cột 1 [a]: mã chỉ tiêu trùng với dòng 2"), "{s}");
        assert!(s.contains("dòng 4, cột 1: mã \"B-1\" không hợp lệ"), "{s}");
        assert!(s.contains("dòng 5, cột 4 [c]: giá trị âm"), "{s}");
    }

    #[test]
    fn header_problems() {
        let (_, f) = load("ma,ten,gia_tri,mau_sac,ma\na,A,1,x,a\n");
        let s = f.to_string();
        assert!(s.contains("dòng 1, cột 4: cột \"mau_sac\" không được biết"), "{s}");
        assert!(s.contains("dòng 1, cột 5: cột \"ma\" xuất hiện hai lần"), "{s}");
        assert!(s.contains("thiếu cột bắt buộc \"don_vi\""), "{s}");
    }

    #[test]
    fn ambiguous_numbers_follow_the_file() {
        let (v, f) = load("ma,ten,don_vi,gia_tri\na,A,ha,1.863\nb,B,ha,\"2,5\"\n");
        assert!(f.0.is_empty());
        assert_eq!(v[0].value, Some(1863.0));
        let (_, f) = load("ma,ten,don_vi,gia_tri\na,A,ha,1.863\nb,B,ha,2.5\n");
        assert!(matches!(f.0[0].problem, Problem::AmbiguousNumber { .. }), "{f}");
        assert_eq!(f.0.len(), 1, "one finding per bad cell: {f}");
        // One dot decimal among Vietnamese numbers: that cell is the error, not the others.
        let (v, f) = load("ma,ten,don_vi,gia_tri\na,A,ha,6.014\nb,B,ha,\"2,5\"\nc,C,ha,2192.42\n");
        assert_eq!(f.0.len(), 1, "{f}");
        assert_eq!(f.0[0].location.line, Some(4));
        assert!(matches!(f.0[0].problem, Problem::MixedNumberStyle { .. }), "{f}");
        assert_eq!(v[0].value, Some(6014.0));
    }

    #[test]
    fn unknown_parent_and_cycle() {
        let (_, f) = load("ma,ten,don_vi,gia_tri,cha\na,A,ha,1,zz\nb,B,ha,1,c\nc,C,ha,1,b\n");
        let s = f.to_string();
        assert!(s.contains("[a]: cột cha ghi \"zz\""), "{s}");
        assert!(s.contains("[b]: quan hệ cha - con bị vòng"), "{s}");
    }
}
