//! The indicator table (Biểu chỉ tiêu chủ yếu) generated from the period's figures:
//! plan, result, cumulative, % of plan, % of the same period last year and the
//! assessment, grouped as the manifest says; handed to the layout in the same JSON
//! shape as the CSV appendices, with the charts, and written as .xlsx on request.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::layout::chart;

mod xlsx;
use crate::base::manifest::{IndicatorTable, TableColumn};
use crate::base::number::{format, format_trim};
use crate::base::period::{roman, Period};
use crate::error::{Error, Findings, Location, ManifestDetail, Problem, Result, Severity};
use crate::figures::derive::ratio_percent;
use crate::figures::target::{self, Direction, Target};
use crate::figures::{table, Indicator, PeriodData};

/// When a target is assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AssessAt {
    /// Every period, against the period's value (rates, stocks).
    Period,
    /// Only when the period reaches December, against the year's value (flows).
    Year,
}

/// One row of the plan file.
#[derive(Debug, Clone)]
struct Plan {
    /// The indicator's name in the table, when it differs from the data's ("trong tháng").
    name: String,
    text: String,
    target: Target,
    direction: Direction,
    at: Option<AssessAt>,
}

/// The plan file's rows by (sector, code), in file order.
#[derive(Debug, Default)]
struct Plans {
    order: Vec<(String, String)>,
    by_ref: BTreeMap<(String, String), Plan>,
}

const PLAN_COLUMNS: [&str; 6] = ["linh_vuc", "ma", "ke_hoach", "huong", "danh_gia_theo", "ten"];

/// Reads the plan file (optional); malformed targets and unknown words are findings at their cell.
fn read_plans(stem: &str, candidates: &[&Path], root: &Path, findings: &mut Findings) -> Plans {
    let file = format!("{stem}.csv");
    let Some(path) = candidates.iter().map(|d| d.join(&file)).find(|p| p.is_file()) else {
        return Plans::default();
    };
    let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
    let Some(t) = table::read_text(&path, &shown, findings).and_then(|t| table::parse_csv(&t, &shown, stem, findings)) else {
        return Plans::default();
    };
    let Some(columns) = PlanColumns::find(&t, &shown, findings) else {
        return Plans::default();
    };
    let mut plans = Plans::default();
    for row in &t.rows {
        if let Some((key, plan)) = columns.plan(row, &shown, findings) {
            plans.order.push(key.clone());
            plans.by_ref.insert(key, plan);
        }
    }
    plans
}

/// Where the plan file's columns are.
struct PlanColumns {
    sector: usize,
    code: usize,
    target: usize,
    direction: Option<usize>,
    assess_at: Option<usize>,
    name: Option<usize>,
}

impl PlanColumns {
    /// The columns of `t`; unknown columns are findings, missing required ones end the read.
    fn find(t: &table::Table, shown: &Path, findings: &mut Findings) -> Option<PlanColumns> {
        let col = |name: &str| t.column(name);
        for (i, h) in t.header.iter().enumerate() {
            if !t.column_name(i).is_some_and(|n| PLAN_COLUMNS.contains(&n)) {
                let problem = Problem::UnknownColumn { name: h.clone() };
                findings.push(Severity::Error, Location::at(shown, 1, Some(i + 1)), None, problem);
            }
        }
        let (Some(sector), Some(code), Some(target)) = (col("linh_vuc"), col("ma"), col("ke_hoach")) else {
            findings.push(Severity::Error, Location::at(shown, 1, None), None, Problem::PlanColumnsMissing);
            return None;
        };
        Some(PlanColumns {
            sector,
            code,
            target,
            direction: col("huong"),
            assess_at: col("danh_gia_theo"),
            name: col("ten"),
        })
    }

    /// One row's plan by (sector, code); `None` for a row without a target or with a finding.
    fn plan(&self, row: &table::Row, shown: &Path, findings: &mut Findings) -> Option<((String, String), Plan)> {
        let cell = |i: Option<usize>| i.map(|i| row.cells[i].text().trim().to_string()).unwrap_or_default();
        let at = |i: Option<usize>| Location::at(shown, row.line, Some(i.unwrap_or(0) + 1));
        let key = (cell(Some(self.sector)), cell(Some(self.code)));
        let text = cell(Some(self.target));
        let found = |problem: Problem, i: Option<usize>, findings: &mut Findings| {
            findings.push(Severity::Error, at(i), Some(&key.1), problem);
        };
        let target = target::parse(&text)
            .map_err(|e| found(Problem::Target(e), Some(self.target), findings))
            .ok()?;
        let direction = match cell(self.direction).as_str() {
            "" | "cao" => Direction::Higher,
            "thap" => Direction::Lower,
            other => {
                found(Problem::BadDirection { value: other.to_string() }, self.direction, findings);
                return None;
            }
        };
        let assess = match cell(self.assess_at).as_str() {
            "" => None,
            "ky" => Some(AssessAt::Period),
            "nam" => Some(AssessAt::Year),
            other => {
                found(Problem::BadAssessAt { value: other.to_string() }, self.assess_at, findings);
                return None;
            }
        };
        let name = cell(self.name);
        (!text.is_empty()).then_some((
            key,
            Plan {
                name,
                text,
                target,
                direction,
                at: assess,
            },
        ))
    }
}

/// One computed row of the table.
#[derive(Debug, Clone, Default)]
struct Row {
    number: String,
    name: String,
    unit: String,
    plan_text: String,
    /// The plan cell's number in the .xlsx (one plain number only).
    plan_exact: Option<f64>,
    value: Option<f64>,
    cumulative: Option<f64>,
    of_plan: Option<f64>,
    of_prior: Option<f64>,
    verdict: String,
    decimals: u8,
}

/// The row of one indicator: figures, derived columns and the assessment.
fn row(ind: &Indicator, plan: Option<&Plan>, period: Period, number: String) -> Row {
    let from_data = ind.targets.plan.or(ind.targets.provincial_budget);
    let (plan_text, target) = match (plan, from_data) {
        (Some(p), _) => (plan_text(p), Some(p.target.clone())),
        (None, Some(v)) => (format_trim(v, ind.decimals), Some(Target::Number(v))),
        (None, None) => (String::new(), None),
    };
    let direction = plan.map(|p| p.direction).unwrap_or_default();
    // An annual plan is assessed on the year's value unless the plan file says "ky".
    let at = plan.and_then(|p| p.at).unwrap_or(AssessAt::Year);
    // From January the cumulative value is the period's own (official figures included).
    let cumulative = if period.month_range().0 == 1 { ind.value } else { ind.cumulative };
    let year_value = cumulative.or(ind.value);
    let assessed = match at {
        AssessAt::Period => ind.value,
        AssessAt::Year => year_value.filter(|_| period.month_range().1 == 12),
    };
    let rate = ind.unit.trim() == "%";
    let plan_value = target.as_ref().and_then(|t| t.plan_value(direction));
    let base = if at == AssessAt::Year { year_value } else { ind.value };
    Row {
        number,
        name: plan
            .map(|p| p.name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| ind.name.clone()),
        unit: ind.unit.clone(),
        plan_text,
        plan_exact: match target {
            Some(Target::Number(v)) => Some(v),
            _ => None,
        },
        value: ind.value,
        cumulative,
        of_plan: plan_value.zip(base).filter(|_| !rate).and_then(|(p, v)| ratio_percent(v, p)),
        of_prior: ind.prior.zip(ind.value).filter(|_| !rate).and_then(|(p, v)| ratio_percent(v, p)),
        verdict: target
            .as_ref()
            .zip(assessed)
            .and_then(|(t, v)| t.evaluate(v, ind.decimals, direction))
            .map(|v| v.label().to_string())
            .unwrap_or_default(),
        decimals: ind.decimals,
    }
}

/// A plan as printed: a plain number in Vietnamese format, anything else as written.
fn plan_text(p: &Plan) -> String {
    match p.target {
        Target::Number(v) if !p.text.contains('%') => format_trim(v, 3),
        _ => p.text.clone(),
    }
}

/// The rows of the table: group rows (I, II, ...) and indicator rows numbered within each group.
fn lines(spec: &IndicatorTable, data: &PeriodData, plans: &Plans, manifest: &Path) -> Result<Vec<(bool, Row)>> {
    let mut listed: BTreeSet<(String, String)> = BTreeSet::new();
    for g in &spec.groups {
        for c in g.select.iter().filter(|c| c.contains('.')) {
            let (s, i) = chart::split_ref(c, "bieu_chi_tieu.nhom.chon", manifest)?;
            listed.insert((s.into(), i.into()));
        }
    }
    let mut out = Vec::new();
    for (gi, g) in spec.groups.iter().enumerate() {
        out.push((
            true,
            Row {
                number: roman(gi as u32 + 1),
                name: g.name.clone(),
                ..Row::default()
            },
        ));
        let mut refs: Vec<(String, String)> = Vec::new();
        for c in &g.select {
            if c == "*" {
                refs.extend(plans.order.iter().filter(|r| !listed.contains(*r)).cloned());
            } else if c.contains('.') {
                let (s, i) = chart::split_ref(c, "bieu_chi_tieu.nhom.chon", manifest)?;
                refs.push((s.into(), i.into()));
            } else {
                let sector = data.sectors.get(c).ok_or_else(|| unknown(manifest, c, data))?;
                refs.extend(sector.indicators.iter().map(|i| (c.clone(), i.code.clone())));
            }
        }
        // A part ("trong đó") under its parent in the same group is marked "-", not numbered.
        let codes: BTreeSet<&(String, String)> = refs.iter().collect();
        let mut n = 0;
        for (s, c) in &refs {
            let ind = data.get(s, c).ok_or_else(|| unknown(manifest, &format!("{s}.{c}"), data))?;
            let under_parent = ind.parent.as_ref().is_some_and(|p| codes.contains(&(s.clone(), p.clone())));
            let number = if under_parent {
                "-".to_string()
            } else {
                n += 1;
                n.to_string()
            };
            out.push((false, row(ind, plans.by_ref.get(&(s.clone(), c.clone())), data.period, number)));
        }
    }
    Ok(out)
}

fn unknown(manifest: &Path, what: &str, data: &PeriodData) -> Error {
    Error::Manifest {
        file: manifest.to_path_buf(),
        detail: ManifestDetail::UnknownTableRow {
            what: what.to_string(),
            period: data.period,
            sectors: data.sectors.keys().cloned().collect(),
        }
        .to_string(),
    }
}

/// The columns shown after TT.
fn columns(spec: &IndicatorTable) -> Vec<TableColumn> {
    use TableColumn::*;
    if spec.columns.is_empty() {
        vec![Name, Unit, Plan, Value, Cumulative, PercentOfPlan, PercentOfPrior, Assessment]
    } else {
        spec.columns.clone()
    }
}

/// Header, group header, width and numeric flag of a column.
fn header(c: TableColumn, period: Period) -> (String, &'static str, f64, bool) {
    match c {
        TableColumn::Name => ("Chỉ tiêu".into(), "", 4.2, false),
        TableColumn::Unit => ("ĐVT".into(), "", 1.3, false),
        TableColumn::Plan => (format!("Kế hoạch năm {}", period.year()), "", 1.3, true),
        TableColumn::Value => (format!("Thực hiện {}", period.short_label()), "", 1.3, true),
        TableColumn::Cumulative => ("Lũy kế từ đầu năm".into(), "", 1.3, true),
        TableColumn::PercentOfPlan => ("Với kế hoạch năm".into(), "So sánh (%)", 1.2, true),
        TableColumn::PercentOfPrior => ("Với cùng kỳ".into(), "So sánh (%)", 1.2, true),
        TableColumn::Assessment => ("Đánh giá".into(), "", 1.2, false),
    }
}

/// Text and number of a cell.
fn cell(c: TableColumn, r: &Row) -> (String, Option<f64>) {
    let num = |v: Option<f64>, d: u8| (v.map(|v| format(v, d)).unwrap_or_default(), v);
    match c {
        TableColumn::Name => (r.name.clone(), None),
        TableColumn::Unit => (r.unit.clone(), None),
        TableColumn::Plan => (r.plan_text.clone(), r.plan_exact),
        TableColumn::Value => num(r.value, r.decimals),
        TableColumn::Cumulative => num(r.cumulative, r.decimals),
        TableColumn::PercentOfPlan => num(r.of_plan, 1),
        TableColumn::PercentOfPrior => num(r.of_prior, 1),
        TableColumn::Assessment => (r.verdict.clone(), None),
    }
}

/// Everything the indicator table needs from the report.
pub struct Inputs<'a> {
    pub root: &'a Path,
    pub data_dir: &'a Path,
    /// Where the plan file is looked for, in order.
    pub candidates: &'a [&'a Path],
    /// The manifest as shown in messages.
    pub manifest: &'a Path,
    /// Renders a manifest line (minijinja) with the report's context; the field names it in messages.
    pub render: &'a dyn Fn(&str, &str) -> Result<String>,
}

/// Builds the appendix JSON of the indicator table, with its charts (`bieu_do`) and,
/// per cell, the number (`v`) for the .xlsx. Malformed plan cells are returned as findings.
pub fn build(spec: &IndicatorTable, data: &PeriodData, inp: &Inputs) -> Result<Value> {
    let mut findings = Findings::default();
    let plans = read_plans(&spec.plan_file, inp.candidates, inp.root, &mut findings);
    if findings.has_errors() {
        return Err(Error::Data(findings));
    }
    let cols = columns(spec);
    let rows = lines(spec, data, &plans, inp.manifest)?;
    let mut cot = vec![json!({ "ten": "TT", "nhom": "", "rong": 0.6, "so": false })];
    for c in &cols {
        let (ten, nhom, rong, so) = header(*c, data.period);
        cot.push(json!({ "ten": ten, "nhom": nhom, "rong": rong, "so": so }));
    }
    let hang: Vec<Value> = rows
        .iter()
        .map(|(group, r)| {
            let mut o = vec![json!({ "t": r.number, "span": 1, "rows": 1, "cot": 0, "v": null })];
            for (k, c) in cols.iter().enumerate() {
                let (t, v) = if *group && *c != TableColumn::Name {
                    (String::new(), None)
                } else {
                    cell(*c, r)
                };
                o.push(json!({ "t": t, "span": 1, "rows": 1, "cot": k + 1, "v": v }));
            }
            json!({ "nhom": group, "o": o })
        })
        .collect();
    let charts = charts(spec, data, &plans, inp)?;
    let title: Vec<String> = spec
        .title
        .iter()
        .enumerate()
        .map(|(i, l)| (inp.render)(l, &format!("bieu_chi_tieu.tieu_de[{}]", i + 1)))
        .collect::<Result<_>>()?;
    Ok(json!({
        "so": spec.number,
        "tieu_de": title,
        "kem_theo": (inp.render)(&spec.enclosed_with, "bieu_chi_tieu.kem_theo")?,
        "ngang": true,
        "cot": cot,
        "hang": hang,
        "bieu_do": charts,
        "bieu_chi_tieu": true,
        "xlsx": spec.xlsx,
    }))
}

/// The charts' JSON, numbered in order.
fn charts(spec: &IndicatorTable, data: &PeriodData, plans: &Plans, inp: &Inputs) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for (i, c) in spec.charts.iter().enumerate() {
        let (s, code) = chart::split_ref(&c.indicator, "bieu_chi_tieu.bieu_do.chi_tieu", inp.manifest)?;
        let ind = data.get(s, code).ok_or_else(|| unknown(inp.manifest, &c.indicator, data))?;
        let series = chart::monthly_series(inp.root, inp.data_dir, data.period, s, code)?;
        let plan = plans
            .by_ref
            .get(&(s.to_string(), code.to_string()))
            .and_then(|p| p.target.plan_value(p.direction))
            .or(ind.targets.plan)
            .or(ind.targets.provincial_budget);
        let source = if c.source.is_empty() {
            crate::error::chart_source(s, 1, data.period.month_range().1, data.period.year())
        } else {
            c.source.clone()
        };
        let source = source + &official_note(&series, data.period, ind.value, ind.decimals);
        let mut c = c.clone();
        c.title = (inp.render)(&c.title, &format!("bieu_chi_tieu.bieu_do[{}].tieu_de", i + 1))?;
        out.push(chart::chart_json(i + 1, &c, &series, plan, &source));
    }
    Ok(out)
}

/// When the period's printed value is an official figure that differs from what
/// the chart's months add up to (963,0 against 962,5), the source line says so.
fn official_note(series: &chart::Series, period: crate::base::period::Period, value: Option<f64>, decimals: u8) -> String {
    let (first, last) = period.month_range();
    let months: Vec<f64> = series
        .months
        .iter()
        .filter(|m| (first..=last).contains(&m.month))
        .filter_map(|m| m.value)
        .collect();
    let (Some(value), false) = (value, period.is_month() || months.len() as u8 != last - first + 1) else {
        return String::new();
    };
    let sum = series.aggregation.combine(&months);
    let shown = |x: f64| crate::base::number::format(x, decimals.max(series.decimals));
    if shown(sum) == shown(value) {
        return String::new();
    }
    crate::error::chart_official_note(&shown(value), &shown(sum))
}

/// The workbook of each indicator table of `header["phu_luc"]` marked for .xlsx,
/// with its place beside `pdf` (same name, .xlsx); nothing when there is none.
/// Made only: the caller writes it.
pub fn xlsx_beside(pdf: &Path, header: &crate::layout::Header) -> Result<Option<(PathBuf, Vec<u8>)>> {
    let tables: Vec<&Value> = header
        .appendices
        .iter()
        .filter(|p| p["bieu_chi_tieu"] == true && p["xlsx"] == true)
        .collect();
    if tables.is_empty() {
        return Ok(None);
    }
    let path = pdf.with_extension("xlsx");
    let bytes = xlsx::workbook(&tables).map_err(|e| Error::Xlsx {
        path: path.clone(),
        detail: e.to_string(),
    })?;
    Ok(Some((path, bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(unit: &str, value: f64, cumulative: f64, prior: Option<f64>) -> Indicator {
        Indicator {
            name: "Chỉ tiêu x".into(),
            unit: unit.into(),
            decimals: 1,
            prior,
            cumulative: Some(cumulative),
            location: Location::file("x.csv"),
            ..Indicator::new("x", Some(value))
        }
    }

    fn plan(text: &str, at: Option<AssessAt>, direction: Direction) -> Plan {
        Plan {
            name: String::new(),
            text: text.into(),
            target: target::parse(text).unwrap(),
            direction,
            at,
        }
    }

    #[test]
    fn a_year_plan_is_assessed_only_in_december() {
        let may: Period = "2026-05".parse().unwrap();
        let year: Period = "2026".parse().unwrap();
        let p = plan("1.000", None, Direction::Higher);
        let r = row(&ind("tấn", 100.0, 450.0, Some(80.0)), Some(&p), may, "1".into());
        assert_eq!((r.verdict.as_str(), r.plan_text.as_str()), ("", "1.000"));
        assert_eq!(r.of_plan.map(|x| format(x, 1)), Some("45,0".into()));
        assert_eq!(r.of_prior.map(|x| format(x, 1)), Some("125,0".into()));
        let r = row(&ind("tấn", 1100.0, 1100.0, None), Some(&p), year, "1".into());
        assert_eq!((r.verdict.as_str(), r.of_prior), ("Vượt", None));
    }

    #[test]
    fn a_period_plan_and_a_rate() {
        let q: Period = "2026-Q2".parse().unwrap();
        let p = plan("Dưới 4", Some(AssessAt::Period), Direction::Lower);
        let r = row(&ind("%", 3.6, 3.6, Some(4.2)), Some(&p), q, "2".into());
        assert_eq!(r.verdict, "Đạt");
        // Rates get no "% of plan" or "% of last year".
        assert_eq!((r.of_plan, r.of_prior), (None, None));
        let t = plan("Tăng trưởng khá", Some(AssessAt::Period), Direction::Higher);
        let r = row(&ind("lượt", 3.6, 3.6, None), Some(&t), q, "3".into());
        assert_eq!((r.verdict.as_str(), r.plan_text.as_str()), ("", "Tăng trưởng khá"));
    }

    #[test]
    fn plan_file_findings_name_the_cell() {
        let dir = tempfile::tempdir().unwrap();
        let csv = "linh_vuc,ma,ke_hoach,huong\na,b,Tối thiểu,cao\na,c,5,xuong\na,d,\"7,5–8,0\",thap\n";
        std::fs::write(dir.path().join("kh.csv"), csv).unwrap();
        let mut f = Findings::default();
        let plans = read_plans("kh", &[dir.path()], dir.path(), &mut f);
        let shown: Vec<String> = f.0.iter().map(|x| x.to_string()).collect();
        assert_eq!(f.errors(), 2, "{shown:?}");
        assert!(shown[0].contains("kh.csv, dòng 2, cột 3"), "{shown:?}");
        assert!(
            shown[1].contains("kh.csv, dòng 3, cột 4") && shown[1].contains("xuong"),
            "{shown:?}"
        );
        assert_eq!(plans.order, [("a".to_string(), "d".to_string())]);
        assert_eq!(plans.by_ref[&plans.order[0]].target, Target::Range(7.5, 8.0));
    }
}
