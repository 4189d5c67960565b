//! Stage 2b: consistency checks on a period's figures (warnings; errors come
//! from reading the data and from the fragments that use it).

use crate::base::number::format;
use crate::error::{Finding, Findings, Location, Problem, Severity};
use crate::figures::derive::ratio_percent;
use crate::figures::{Indicator, PeriodData, Sector};

/// Limits for the warnings.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// Warn when a value is more than this many times (or less than 1/this) its prior-year value.
    pub change_factor: f64,
    /// A draft preview: blank values lay out as visible placeholders
    /// ([`crate::wording::placeholder`]) and are warnings, not errors. Off for a
    /// numbered version and for issuing, which refuse while any value is blank.
    pub draft: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            change_factor: 3.0,
            draft: false,
        }
    }
}

impl CheckOptions {
    /// The options of a draft preview (placeholders for blank values).
    pub fn draft() -> Self {
        CheckOptions {
            draft: true,
            ..Self::default()
        }
    }
}

/// In a draft, each blank value ("thiếu giá trị") becomes a warning saying the
/// preview shows a placeholder for it.
pub fn blanks_as_placeholders(data: &PeriodData, findings: &mut Findings) {
    for f in findings.0.iter_mut().filter(|f| f.problem == Problem::MissingValue) {
        let code = f.indicator.clone().unwrap_or_default();
        let name = data
            .sectors
            .values()
            .find_map(|s| s.get(&code).filter(|i| i.location.file == f.location.file))
            .map_or(code.clone(), |i| i.name.clone());
        f.severity = Severity::Warning;
        f.problem = Problem::Placeholder {
            what: crate::error::FeedOrValue::Value,
            name,
        };
    }
}

/// The blank values among `findings`, as people look them up: the indicator's
/// name, then its file and line ("Số cuộc thanh tra (chinh_quyen.csv, dòng 2)").
pub fn blank_values(findings: &Findings, data: &PeriodData) -> Vec<String> {
    let blank = |f: &&crate::error::Finding| f.severity == Severity::Error && f.problem == Problem::MissingValue;
    let name = |f: &crate::error::Finding| {
        let code = f.indicator.as_deref()?;
        let mut all = data.sectors.values().flat_map(|s| &s.indicators);
        let found = all.find(|i| i.code == code && i.location.file == f.location.file);
        Some(found.map_or_else(|| code.to_string(), |i| i.name.clone()))
    };
    findings
        .0
        .iter()
        .filter(blank)
        .map(|f| {
            let file = f
                .location
                .file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let place = match f.location.line {
                Some(line) => format!("{file}, dòng {line}"),
                None => file,
            };
            match name(f) {
                Some(name) => format!("{name} ({place})"),
                None => place,
            }
        })
        .collect()
}

/// Adds the consistency warnings for `data` to `out`.
pub fn check(data: &PeriodData, opts: CheckOptions, out: &mut Findings) {
    for sector in data.sectors.values() {
        for ind in &sector.indicators {
            let Some(v) = ind.value else { continue };
            children_sum(sector, ind, v, out);
            big_change(ind, v, opts.change_factor, out);
            over_plan(ind, v, out);
            fractional_count(ind, v, out);
        }
    }
}

/// Adds a warning about `ind`.
fn warn(out: &mut Findings, ind: &Indicator, problem: Problem) {
    out.push(Severity::Warning, ind.location.clone(), Some(&ind.code), problem);
}

/// Whether a total given in the data (not computed) disagrees with its parts: it
/// differs from their sum, or is below it when some parts are partial ("trong đó").
/// The warnings of [`check`] and the draft preview's mark on the printed total.
pub fn total_disagrees(sector: &Sector, ind: &Indicator) -> bool {
    let Some(v) = ind.value else { return false };
    let kids: Vec<_> = sector.children(&ind.code).collect();
    if ind.computed || kids.is_empty() || !kids.iter().all(|k| k.value.is_some()) {
        return false;
    }
    let sum: f64 = kids.iter().filter_map(|k| k.value).sum();
    let tolerance = 0.5 * 10f64.powi(-(ind.decimals as i32)) + 1e-9;
    if kids.iter().any(|k| k.partial) {
        sum > v + tolerance
    } else {
        (sum - v).abs() > tolerance
    }
}

/// A total given in the data (not computed) must equal the sum of its parts,
/// or be at least their sum when some parts are partial ("trong đó").
fn children_sum(sector: &Sector, ind: &Indicator, v: f64, out: &mut Findings) {
    if !total_disagrees(sector, ind) {
        return;
    }
    let kids: Vec<_> = sector.children(&ind.code).collect();
    let sum: f64 = kids.iter().filter_map(|k| k.value).sum();
    let d = kids.iter().map(|k| k.decimals).chain([ind.decimals]).max().unwrap_or(0);
    let tolerance = 0.5 * 10f64.powi(-(ind.decimals as i32)) + 1e-9;
    if kids.iter().any(|k| k.partial) {
        if sum > v + tolerance {
            let problem = Problem::PartsExceed {
                sum: format(sum, d),
                value: format(v, ind.decimals),
            };
            warn(out, ind, problem);
        }
    } else if (sum - v).abs() > tolerance {
        let problem = Problem::ChildrenSum {
            sum: format(sum, d),
            value: format(v, ind.decimals),
            diff: format((v - sum).abs(), d),
        };
        warn(out, ind, problem);
    }
}

/// A value more than `factor` times (or less than 1/`factor`) its prior-year value.
fn big_change(ind: &Indicator, v: f64, factor: f64, out: &mut Findings) {
    let Some(p) = ind.prior.filter(|p| *p > 0.0) else { return };
    if v > 0.0 && (v / p > factor || p / v > factor) {
        let problem = Problem::BigChange {
            value: format(v, ind.decimals),
            prior: format(p, ind.decimals),
            factor,
        };
        warn(out, ind, problem);
    }
}

/// Units that measure (money, area, weight, volume, energy, shares, rates):
/// their figures may have decimals. Any other unit counts things.
const MEASURES: [&str; 27] = [
    "đồng", "usd", "ha", "tấn", "tạ", "kg", "g", "m", "m2", "m3", "km", "km2", "lít", "kwh", "mw", "triệu", "nghìn", "ngàn", "tỷ", "%",
    "độ", "lần", "điểm", "năm", "tháng", "ngày", "giờ",
];

/// Whether `unit` counts things (người, hộ, trường hợp, doanh nghiệp...): no word of it measures.
fn counts(unit: &str) -> bool {
    let unit = unit.to_lowercase();
    let mut words = unit
        .split(|c: char| c.is_whitespace() || c == '/' || c == '(' || c == ')')
        .filter(|w| !w.is_empty());
    !unit.trim().is_empty() && !unit.contains('%') && words.all(|w| !MEASURES.contains(&w))
}

/// A count written with decimals: "1,205 trường hợp" is most likely 1.205 typed
/// with a comma (the English way), which reads as one and a fifth.
fn fractional_count(ind: &Indicator, v: f64, out: &mut Findings) {
    if ind.decimals == 0 || ind.computed || !counts(&ind.unit) {
        return;
    }
    let thousands = (ind.decimals == 3).then(|| format(v * 1000.0, 0));
    let problem = Problem::FractionalCount {
        unit: ind.unit.clone(),
        value: format(v, ind.decimals),
        thousands,
    };
    warn(out, ind, problem);
}

/// A value above one of its plan targets.
fn over_plan(ind: &Indicator, v: f64, out: &mut Findings) {
    let t = &ind.targets;
    for (name, target) in [
        ("dự toán Trung ương", t.central_budget),
        ("dự toán HĐND tỉnh", t.provincial_budget),
        ("kế hoạch", t.plan),
    ] {
        if let Some(pct) = target.and_then(|t| ratio_percent(v, t)).filter(|p| *p > 100.0) {
            let problem = Problem::OverPlan {
                target: name,
                percent: format!("{}%", format(pct, 1)),
            };
            warn(out, ind, problem);
        }
    }
}

/// A character of a name as fragments write it (`nong_nghiep.dan_trau`).
fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// Whether `text` names `name` as a whole (not as the start of a longer name).
fn names(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(ident_char);
        !ident(before) && !ident(after)
    })
}

/// Warns about indicators of the period that no fragment or title of the report type
/// names (`texts`: the fragments' and mau.toml's text). Often one of the two names is
/// misspelt. The parts of a named total count as used (they make its sum), and a
/// sector that fragments walk through (`so_lieu`, `for ... in sector`) is used whole.
/// A sector none of whose indicators is named is another report's data in the same
/// period folder (the monthly files under a Party resolution of that month): not listed.
///
/// What it found is remembered with exactly what it looked at (the texts, and
/// each indicator's code, parent and cell): the preview asks again after every
/// corrected figure, and a value changes none of these.
pub fn unused_indicators(data: &PeriodData, report: &str, texts: &[&str], out: &mut Findings) {
    type Looked = (String, Vec<String>, Vec<(String, String, Option<String>, Location)>);
    static LAST: std::sync::Mutex<Vec<(Looked, Vec<Finding>)>> = std::sync::Mutex::new(Vec::new());
    let indicators = data.sectors.values().flat_map(|s| s.indicators.iter().map(|i| (s.name.clone(), i)));
    let indicators = indicators.map(|(s, i)| (s, i.code.clone(), i.parent.clone(), i.location.clone()));
    let looked: Looked = (
        report.to_string(),
        texts.iter().map(|t| t.to_string()).collect(),
        indicators.collect(),
    );
    let lock = || LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, found)) = lock().iter().find(|(l, _)| *l == looked) {
        out.0.extend(found.iter().cloned());
        return;
    }
    let mut found = Findings::default();
    find_unused(data, report, texts, &mut found);
    out.0.extend(found.0.iter().cloned());
    let mut last = lock();
    // A few report types and periods previewed at once.
    if last.len() >= 4 {
        last.remove(0);
    }
    last.push((looked, found.0));
}

fn find_unused(data: &PeriodData, report: &str, texts: &[&str], out: &mut Findings) {
    if texts.iter().any(|t| t.contains("so_lieu")) {
        return;
    }
    // Every name the texts write whole (what `names` finds), read once.
    let named: std::collections::HashSet<&str> = texts
        .iter()
        .flat_map(|t| t.split(|c: char| !ident_char(c)))
        .filter(|w| !w.is_empty())
        .collect();
    for sector in data.sectors.values() {
        let prefix = format!("{}.", sector.name);
        let walked = texts.iter().any(|t| names(t, &sector.name) && !t.contains(&prefix));
        if walked || texts.iter().any(|t| t.contains(&format!("in {}", sector.name))) {
            continue;
        }
        let used = |code: &str| named.contains(format!("{prefix}{code}").as_str());
        if !sector.indicators.iter().any(|i| used(&i.code)) {
            continue;
        }
        for ind in &sector.indicators {
            let mut parent = ind.parent.as_deref();
            let mut parent_used = false;
            for _ in 0..sector.indicators.len() {
                let Some(code) = parent else { break };
                parent_used |= used(code);
                parent = sector.get(code).and_then(|i| i.parent.as_deref());
            }
            if used(&ind.code) || parent_used {
                continue;
            }
            let problem = Problem::UnusedIndicator {
                report: report.to_string(),
            };
            out.push(Severity::Warning, ind.location.clone(), Some(&ind.code), problem);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The warnings of one sector table (CSV text).
    fn warnings(csv: &str) -> Vec<String> {
        let mut f = Findings::default();
        let p = std::path::Path::new("data/2041-01/y_te.csv");
        let indicators = crate::figures::parse_sector_csv(csv.as_bytes(), p, "y_te", &mut f);
        let mut out = Findings::default();
        for ind in &indicators {
            fractional_count(ind, ind.value.unwrap_or_default(), &mut out);
        }
        out.0.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn a_count_with_decimals_is_questioned_and_a_measure_is_not() {
        let said = warnings(
            "ma,ten,don_vi,gia_tri\nca,Ca mắc mới,trường hợp,\"1,205\"\nho,Hộ thoát nghèo,hộ,\"2,5\"\n\
             dt,Diện tích,ha,\"2.192,42\"\nthu,Thu ngân sách,tỷ đồng,\"282,2\"\ntl,Tỷ lệ,%,\"83,85\"\n\
             gia,Đàn gia cầm,triệu con,\"1,863\"\nn,Người,người,1.863\n",
        );
        assert_eq!(said.len(), 2, "{said:#?}");
        assert!(
            said[0].contains("đơn vị \"trường hợp\" đếm từng cái nhưng số có phần lẻ (1,205)")
                && said[0].contains("dấu phẩy là phần lẻ: nếu là số hàng nghìn thì viết 1.205"),
            "{}",
            said[0]
        );
        assert!(said[1].contains("(2,5); kiểm tra lại số"), "{}", said[1]);
    }

    #[test]
    fn the_units_of_the_sample_months_that_measure_are_told_from_those_that_count() {
        for unit in [
            "triệu đồng",
            "tỷ đồng",
            "ha",
            "tấn",
            "%",
            "triệu USD",
            "triệu con",
            "triệu kWh",
            "triệu m3",
            "m3",
            "kg",
        ] {
            assert!(!counts(unit), "{unit}");
        }
        for unit in [
            "người",
            "trường hợp",
            "hộ",
            "doanh nghiệp",
            "lượt người",
            "thôn, bản",
            "CSDL",
            "hồ sơ",
            "con",
        ] {
            assert!(counts(unit), "{unit}");
        }
    }
}
