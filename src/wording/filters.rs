//! Filters and functions for fragment authors, in Vietnamese conventions.
//! Documented with examples in docs/HUONG-DAN-VIET-DOAN.md.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectExt, ObjectRepr, Rest};
use minijinja::{Environment, Error, ErrorKind, State, Value};

use crate::base::number::format;
use crate::base::period::roman;
use crate::error::FilterProblem;
use crate::figures::derive::{
    change_percent, change_phrase, difference_phrase, difference_phrase_padded, percent_text, points_phrase, ratio_percent,
};
use crate::figures::{Indicator, Sector};

/// An indicator as fragments see it: prints as its value in Vietnamese format.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub sector: String,
    pub ind: Indicator,
    pub parent_value: Option<f64>,
    /// A draft preview: a blank value prints as a placeholder ([`super::placeholder`]).
    pub draft: bool,
    /// A total that disagrees with its parts: a draft marks it where it is printed
    /// ([`super::placeholder::for_value`]).
    pub disagrees: bool,
}

impl IndicatorValue {
    fn full_code(&self) -> String {
        format!("{}.{}", self.sector, self.ind.code)
    }
}

impl Object for IndicatorValue {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let i = &self.ind;
        let num = |x: Option<f64>| Some(x.map(Value::from).unwrap_or(Value::from(())));
        match key.as_str()? {
            "gia_tri" => num(i.value),
            "cung_ky" => num(i.prior),
            "du_toan_tw" => num(i.targets.central_budget),
            "du_toan_hdnd" => num(i.targets.provincial_budget),
            "ke_hoach" => num(i.targets.plan),
            "luy_ke" => num(i.cumulative),
            "ten" => Some(Value::from(i.name.clone())),
            "don_vi" => Some(Value::from(i.unit.clone())),
            "ma" => Some(Value::from(self.full_code())),
            "so_le" => Some(Value::from(i.decimals)),
            "uoc_tinh" => Some(Value::from(i.estimated)),
            _ => None,
        }
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", format(self.ind.value.unwrap_or(0.0), self.ind.decimals))
    }
}

/// A sector as fragments see it: `sector.code` gives an indicator. What a
/// fragment reads of it is noted ([`super::memo`]).
#[derive(Debug)]
pub struct SectorValue {
    pub name: String,
    pub items: BTreeMap<String, Value>,
}

impl SectorValue {
    /// A sector whose blank values print as placeholders when `draft`.
    pub fn with_draft(sector: &Sector, draft: bool) -> Self {
        let items = sector
            .indicators
            .iter()
            .map(|i| {
                let parent_value = i.parent.as_deref().and_then(|p| sector.get(p)).and_then(|p| p.value);
                let v = IndicatorValue {
                    sector: sector.name.clone(),
                    ind: i.clone(),
                    parent_value,
                    draft,
                    disagrees: draft && crate::figures::check::total_disagrees(sector, i),
                };
                (i.code.clone(), Value::from_object(v))
            })
            .collect();
        SectorValue {
            name: sector.name.clone(),
            items,
        }
    }
}

impl Object for SectorValue {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let code = key.as_str()?;
        super::memo::note(self, Some(code));
        self.items.get(code).cloned()
    }
    fn enumerate(self: &Arc<Self>) -> Enumerator {
        super::memo::note(self, None);
        self.mapped_enumerator(|this| Box::new(this.items.keys().cloned().map(Value::from).collect::<Vec<_>>().into_iter()))
    }
}

fn err(problem: FilterProblem) -> Error {
    let kind = match problem {
        FilterProblem::UndefinedArgument { .. } | FilterProblem::UndefinedTarget => ErrorKind::UndefinedError,
        _ => ErrorKind::InvalidOperation,
    };
    Error::new(kind, problem.to_string())
}

/// The message for an indicator without a value.
fn no_value(i: &IndicatorValue) -> Error {
    err(FilterProblem::NoValue {
        code: i.full_code(),
        cell: i.ind.location.clone(),
    })
}

fn as_indicator(v: &Value) -> Option<&IndicatorValue> {
    v.downcast_object_ref::<IndicatorValue>()
}

/// The number in `v` (an indicator's value or a plain number).
fn number(v: &Value, what: &str) -> Result<f64, Error> {
    if let Some(i) = as_indicator(v) {
        return i.ind.value.ok_or_else(|| no_value(i));
    }
    if let Some(s) = v.as_str() {
        return match crate::base::number::parse(s) {
            Ok(crate::base::number::Parsed::Exact { value, .. }) => Ok(value),
            _ => Err(err(FilterProblem::NotANumber {
                filter: what.to_string(),
                text: s.to_string(),
            })),
        };
    }
    f64::try_from(v.clone()).map_err(|_| {
        err(FilterProblem::NeedNumber {
            filter: what.to_string(),
            kind: v.kind().to_string(),
        })
    })
}

fn indicator<'a>(v: &'a Value, filter: &str) -> Result<&'a IndicatorValue, Error> {
    as_indicator(v).ok_or_else(|| {
        err(FilterProblem::NeedIndicator {
            filter: filter.to_string(),
            kind: v.kind().to_string(),
        })
    })
}

fn prior(i: &IndicatorValue, filter: &str) -> Result<(f64, f64), Error> {
    let v = i.ind.value.ok_or_else(|| no_value(i))?;
    let p = i.ind.prior.ok_or_else(|| {
        err(FilterProblem::NoPrior {
            filter: filter.to_string(),
            code: i.full_code(),
            cell: i.ind.location.clone(),
        })
    })?;
    Ok((v, p))
}

/// Optional arguments as given: an undefined (misspelt) name is an error rather
/// than silently "absent" (minijinja maps undefined to `None` for `Option` args).
fn opt_args(filter: &str, rest: Rest<Value>, max: usize) -> Result<Vec<Option<Value>>, Error> {
    if rest.len() > max {
        return Err(err(FilterProblem::TooManyArguments {
            filter: filter.to_string(),
            max,
            given: rest.len(),
        }));
    }
    if rest.iter().any(|v| v.is_undefined()) {
        return Err(err(FilterProblem::UndefinedArgument {
            filter: filter.to_string(),
        }));
    }
    let mut v: Vec<Option<Value>> = rest.iter().cloned().map(Some).collect();
    v.resize(max, None);
    Ok(v)
}

/// The precision argument: absent -> default.
fn digits(d: Option<Value>, default: u8) -> Result<u8, Error> {
    let Some(d) = d else { return Ok(default) };
    match d.as_i64() {
        Some(n) if (0..=6).contains(&n) => Ok(n as u8),
        _ => Err(err(FilterProblem::BadDigits { given: d.to_string() })),
    }
}

/// Decimals a plain number needs (shortest exact form, at most 6): 1.821 -> 3, 6014.0 -> 0.
pub fn decimals_needed(x: f64) -> u8 {
    let s = format!("{}", crate::base::number::round(x, 6));
    s.split_once('.').map_or(0, |(_, f)| f.len().min(6) as u8)
}

/// `so(chu_so)`: 2.192,42. Default precision: as entered for an indicator, as needed for a number.
fn so(v: Value, rest: Rest<Value>) -> Result<String, Error> {
    let [chu_so]: [Option<Value>; 1] = opt_args("so", rest, 1)?.try_into().expect("1 arg");
    let default = match as_indicator(&v) {
        Some(i) => i.ind.decimals,
        None => decimals_needed(number(&v, "so")?),
    };
    Ok(format(number(&v, "so")?, digits(chu_so, default)?))
}

/// `hai_so`: 03 for counts below 10.
fn hai_so(v: Value) -> Result<String, Error> {
    let n = number(&v, "hai_so")?;
    if n.fract() != 0.0 || n < 0.0 {
        return Err(err(FilterProblem::NotACount { value: n }));
    }
    Ok(if n < 10.0 { format!("{:02}", n as i64) } else { format(n, 0) })
}

fn phan_tram(v: Value, rest: Rest<Value>) -> Result<String, Error> {
    let [chu_so]: [Option<Value>; 1] = opt_args("phan_tram", rest, 1)?.try_into().expect("1 arg");
    Ok(percent_text(number(&v, "phan_tram")?, digits(chu_so, 0)?))
}

const MONEY: [(&str, f64); 4] = [("đồng", 1.0), ("nghìn đồng", 1e3), ("triệu đồng", 1e6), ("tỷ đồng", 1e9)];

/// `tien(don_vi, chu_so)`: converts between đồng units, from the indicator's unit (default triệu đồng).
fn tien(v: Value, don_vi: String, rest: Rest<Value>) -> Result<String, Error> {
    let [chu_so]: [Option<Value>; 1] = opt_args("tien", rest, 1)?.try_into().expect("1 arg");
    let from = as_indicator(&v).map(|i| i.ind.unit.clone()).unwrap_or_else(|| "triệu đồng".into());
    let scale = |u: &str| MONEY.iter().find(|(n, _)| *n == u).map(|x| x.1);
    let f = scale(&from).ok_or_else(|| err(FilterProblem::NotMoney { unit: from.clone() }))?;
    let t = scale(&don_vi).ok_or_else(|| err(FilterProblem::UnknownMoneyUnit { unit: don_vi.clone() }))?;
    Ok(format!("{} {don_vi}", format(number(&v, "tien")? * f / t, digits(chu_so, 0)?)))
}

fn tang_giam(v: Value, rest: Rest<Value>) -> Result<String, Error> {
    let [chu_so]: [Option<Value>; 1] = opt_args("tang_giam", rest, 1)?.try_into().expect("1 arg");
    let i = indicator(&v, "tang_giam")?;
    let (val, p) = prior(i, "tang_giam")?;
    let pct = change_percent(val, p).ok_or_else(|| prior_zero("tang_giam", i))?;
    Ok(change_phrase(pct, digits(chu_so, 1)?))
}

fn so_voi_cung_ky(v: Value, rest: Rest<Value>) -> Result<String, Error> {
    let [chu_so]: [Option<Value>; 1] = opt_args("so_voi_cung_ky", rest, 1)?.try_into().expect("1 arg");
    let i = indicator(&v, "so_voi_cung_ky")?;
    let (val, p) = prior(i, "so_voi_cung_ky")?;
    let pct = ratio_percent(val, p).ok_or_else(|| prior_zero("so_voi_cung_ky", i))?;
    Ok(percent_text(pct, digits(chu_so, 0)?))
}

fn prior_zero(filter: &str, i: &IndicatorValue) -> Error {
    err(FilterProblem::PriorZero {
        filter: filter.to_string(),
        code: i.full_code(),
    })
}

/// `chenh_lech(chu_so, hai_so)`: "tăng 30" / "giảm 39"; `hai_so=true` writes "tăng 03".
fn chenh_lech(v: Value, rest: Rest<Value>) -> Result<String, Error> {
    let [chu_so, hai_so]: [Option<Value>; 2] = opt_args("chenh_lech", rest, 2)?.try_into().expect("2 args");
    let i = indicator(&v, "chenh_lech")?;
    let (val, p) = prior(i, "chenh_lech")?;
    let d = digits(chu_so, i.ind.decimals)?;
    Ok(if hai_so.is_some_and(|h| h.is_true()) {
        difference_phrase_padded(val - p, d)
    } else {
        difference_phrase(val - p, d)
    })
}

fn diem(v: Value, rest: Rest<Value>) -> Result<String, Error> {
    let [chu_so]: [Option<Value>; 1] = opt_args("diem", rest, 1)?.try_into().expect("1 arg");
    let i = indicator(&v, "diem")?;
    let (val, p) = prior(i, "diem")?;
    Ok(points_phrase(val - p, digits(chu_so, 1)?))
}

/// `ty_le(muc_tieu, chu_so)`: value as % of a plan target or of another indicator.
fn ty_le(v: Value, muc_tieu: Value, rest: Rest<Value>) -> Result<String, Error> {
    let [chu_so]: [Option<Value>; 1] = opt_args("ty_le", rest, 1)?.try_into().expect("1 arg");
    if muc_tieu.is_undefined() {
        return Err(err(FilterProblem::UndefinedTarget));
    }
    let val = number(&v, "ty_le")?;
    let base = if let Some(name) = muc_tieu.as_str() {
        let i = indicator(&v, "ty_le")?;
        let t = &i.ind.targets;
        let (target, x) = match name {
            "du_toan_tw" => ("du_toan_tw", t.central_budget),
            "du_toan_hdnd" => ("du_toan_hdnd", t.provincial_budget),
            "ke_hoach" => ("ke_hoach", t.plan),
            "cung_ky" => ("cung_ky", i.ind.prior),
            other => return Err(err(FilterProblem::UnknownTarget { name: other.to_string() })),
        };
        x.ok_or_else(|| {
            err(FilterProblem::NoTarget {
                code: i.full_code(),
                target,
            })
        })?
    } else {
        number(&muc_tieu, "ty_le")?
    };
    let pct = ratio_percent(val, base).ok_or_else(|| err(FilterProblem::ZeroBase))?;
    Ok(percent_text(pct, digits(chu_so, 0)?))
}

fn ty_trong(v: Value, rest: Rest<Value>) -> Result<String, Error> {
    let [chu_so]: [Option<Value>; 1] = opt_args("ty_trong", rest, 1)?.try_into().expect("1 arg");
    let i = indicator(&v, "ty_trong")?;
    let p = i.parent_value.ok_or_else(|| err(FilterProblem::NoParent { code: i.full_code() }))?;
    let pct = ratio_percent(number(&v, "ty_trong")?, p).ok_or_else(|| err(FilterProblem::ParentZero))?;
    Ok(percent_text(pct, digits(chu_so, 1)?))
}

fn luy_ke(v: Value, rest: Rest<Value>) -> Result<String, Error> {
    let [chu_so]: [Option<Value>; 1] = opt_args("luy_ke", rest, 1)?.try_into().expect("1 arg");
    let i = indicator(&v, "luy_ke")?;
    let c = i
        .ind
        .cumulative
        .ok_or_else(|| err(FilterProblem::NoCumulative { code: i.full_code() }))?;
    Ok(format(c, digits(chu_so, i.ind.decimals)?))
}

/// `dv`: units with superscripts (m3 -> m³).
fn dv(v: Value) -> String {
    let s = v
        .as_str()
        .map(str::to_string)
        .or_else(|| as_indicator(&v).map(|i| i.ind.unit.clone()))
        .unwrap_or_else(|| v.to_string());
    unit(&s)
}

/// Writes m2/m3/km2 with superscript digits.
pub fn unit(s: &str) -> String {
    let mut out = s.to_string();
    for (a, b) in [("km2", "km²"), ("m3", "m³"), ("m2", "m²"), ("cm3", "cm³")] {
        if out == a || out.ends_with(&format!(" {a}")) || out.starts_with(&format!("{a} ")) {
            out = out.replace(a, b);
        }
    }
    out
}

fn la_ma(v: Value) -> Result<String, Error> {
    let n = number(&v, "la_ma")?;
    if !(1.0..=3999.0).contains(&n) || n.fract() != 0.0 {
        return Err(err(FilterProblem::NotRoman { value: n }));
    }
    Ok(roman(n as u32))
}

fn parse_date(v: &Value) -> Result<chrono::NaiveDate, Error> {
    let s = v.as_str().ok_or_else(|| err(FilterProblem::DateNotText))?;
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| err(FilterProblem::BadDate { text: s.to_string() }))
}

fn ngay(v: Value) -> Result<String, Error> {
    use chrono::Datelike;
    let d = parse_date(&v)?;
    Ok(format!("ngày {:02}/{:02}/{}", d.day(), d.month(), d.year()))
}

fn ngay_day_du(v: Value) -> Result<String, Error> {
    use chrono::Datelike;
    let d = parse_date(&v)?;
    Ok(format!(
        "ngày {:02} tháng {} năm {}",
        d.day(),
        crate::base::period::month_label(d.month() as u8),
        d.year()
    ))
}

/// `typst`: raw Typst markup for layout needs (advanced; never for data).
fn typst(v: Value) -> Value {
    Value::from_safe_string(v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
}

/// `stt()`: 1, 2, 3 ... within one fragment.
fn stt(state: &mut State) -> Value {
    let next = state.get_temp("__stt").and_then(|v| v.as_i64()).unwrap_or(0) + 1;
    state.set_temp("__stt", Value::from(next));
    Value::from(next)
}

/// Registers every filter and function.
pub fn register(env: &mut Environment<'static>) {
    use super::placeholder::add_filter;
    add_filter(env, "so", Value::from_function(so));
    add_filter(env, "hai_so", Value::from_function(hai_so));
    add_filter(env, "phan_tram", Value::from_function(phan_tram));
    add_filter(env, "tien", Value::from_function(tien));
    add_filter(env, "tang_giam", Value::from_function(tang_giam));
    add_filter(env, "so_voi_cung_ky", Value::from_function(so_voi_cung_ky));
    add_filter(env, "chenh_lech", Value::from_function(chenh_lech));
    add_filter(env, "diem", Value::from_function(diem));
    add_filter(env, "ty_le", Value::from_function(ty_le));
    add_filter(env, "ty_trong", Value::from_function(ty_trong));
    add_filter(env, "luy_ke", Value::from_function(luy_ke));
    add_filter(env, "dv", Value::from_function(dv));
    env.add_filter("la_ma", la_ma);
    env.add_filter("ngay", ngay);
    env.add_filter("ngay_day_du", ngay_day_du);
    env.add_filter("typst", typst);
    env.add_function("stt", stt);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;
    use crate::figures::{Indicator, Sector, Targets};

    fn ind(code: &str, value: f64, decimals: u8, prior: Option<f64>, parent: Option<&str>) -> Indicator {
        Indicator {
            name: code.into(),
            unit: "con".into(),
            decimals,
            parent: parent.map(str::to_string),
            prior,
            location: Location::file("t.csv"),
            ..Indicator::new(code, Some(value))
        }
    }

    /// Renders `tmpl` against a sector `s` built from the seed's figures.
    fn r(tmpl: &str) -> String {
        let mut thu = ind("thu_nsdp", 1951.0, 0, None, None);
        thu.unit = "tỷ đồng".into();
        thu.targets = Targets {
            central_budget: Some(10840.0),
            provincial_budget: Some(10900.0),
            plan: None,
        };
        let mut gtsx = ind("gtsx", 307_200.0, 0, Some(291_460.0), None);
        gtsx.unit = "triệu đồng".into();
        let mut gn = ind("giai_ngan", 90.75, 2, Some(83.85), None);
        gn.unit = "%".into();
        let sector = Sector {
            name: "s".into(),
            source: "t.csv".into(),
            indicators: vec![
                ind("gia_suc", 331_630.0, 0, Some(372_618.0), None),
                ind("trau", 84_860.0, 0, None, Some("gia_suc")),
                ind("gia_cam", 1.863, 3, Some(1.821), None),
                ind("dn", 37.0, 0, Some(7.0), None),
                ind("du_an", 5.0, 0, Some(2.0), None),
                ind("lao_dong", 711.0, 0, Some(750.0), None),
                ind("khach", 116_500.0, 0, Some(168_841.0), None),
                ind("vung", 2192.42, 2, None, None),
                thu,
                gtsx,
                gn,
                ind("ke_hoach", 1_908_282.0, 0, None, None),
                ind("giai_ngan_2026", 154_040.0, 0, None, None),
            ],
        };
        let mut env = Environment::new();
        register(&mut env);
        let ctx = minijinja::context! { s => Value::from_object(SectorValue::with_draft(&sector, false)) };
        env.render_str(tmpl, ctx).unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn numbers_as_printed_in_the_seed() {
        assert_eq!(r("{{ s.vung }}"), "2.192,42");
        assert_eq!(r("{{ s.gia_suc }}"), "331.630");
        assert_eq!(r("{{ s.gia_cam }} triệu con"), "1,863 triệu con");
        assert_eq!(r("{{ s.vung | so(1) }}"), "2.192,4");
        assert_eq!(r("{{ 6014 | so }}"), "6.014");
        assert_eq!(r("{{ s.gia_cam.cung_ky | so }}"), "1,821");
        assert_eq!(
            r("{{ s.gia_cam.cung_ky }}"),
            "1.821",
            "plain render (no formatter in this test env)"
        );
        assert_eq!(r("{{ 3 | hai_so }} ổ dịch, {{ 12 | hai_so }} vụ"), "03 ổ dịch, 12 vụ");
        assert_eq!(r("{{ 5.4 | phan_tram(1) }}"), "5,4%");
        assert_eq!(r("{{ s.gtsx | tien('tỷ đồng', 1) }}"), "307,2 tỷ đồng");
        assert_eq!(r("{{ s.thu_nsdp | tien('triệu đồng') }}"), "1.951.000 triệu đồng");
    }

    #[test]
    fn comparisons_as_printed_in_the_seed() {
        assert_eq!(r("{{ s.gia_suc | tang_giam(0) }}"), "giảm 11%");
        assert_eq!(r("{{ s.gia_cam | tang_giam }}"), "tăng 2,3%");
        assert_eq!(r("{{ s.gtsx | tang_giam }}"), "tăng 5,4%");
        assert_eq!(r("bằng {{ s.khach | so_voi_cung_ky }}"), "bằng 69%");
        assert_eq!(r("{{ s.dn | chenh_lech }} doanh nghiệp"), "tăng 30 doanh nghiệp");
        assert_eq!(r("{{ s.du_an | chenh_lech(0, true) }} dự án"), "tăng 03 dự án");
        assert_eq!(r("{{ s.lao_dong | chenh_lech }} người"), "giảm 39 người");
        assert_eq!(r("{{ s.giai_ngan | diem }}"), "cao hơn 6,9\u{a0}điểm\u{a0}%");
        assert_eq!(r("bằng {{ s.thu_nsdp | ty_le('du_toan_tw') }}"), "bằng 18%");
        assert_eq!(r("{{ s.giai_ngan_2026 | ty_le(s.ke_hoach, 2) }}"), "8,07%");
        assert_eq!(r("{{ s.trau | ty_trong }}"), "25,6%");
    }

    #[test]
    fn units_dates_roman() {
        assert_eq!(r("{{ 'm3' | dv }}, {{ 'km2' | dv }}, {{ 'ha' | dv }}"), "m³, km², ha");
        assert_eq!(r("{{ 4 | la_ma }} {{ 14 | la_ma }}"), "IV XIV");
        assert_eq!(r("{{ '2026-01-08' | ngay }}"), "ngày 08/01/2026");
        assert_eq!(r("{{ '08/01/2026' | ngay_day_du }}"), "ngày 08 tháng 01 năm 2026");
        assert_eq!(r("{{ '2026-11-05' | ngay_day_du }}"), "ngày 05 tháng 11 năm 2026");
        assert_eq!(r("{{ stt() }}. a {{ stt() }}. b"), "1. a 2. b");
    }

    #[test]
    fn clear_errors() {
        assert!(r("{{ s.vung | tang_giam }}").contains("không có giá trị cùng kỳ năm trước"));
        assert!(r("{{ s.vung | ty_le('du_toan_tw') }}").contains("chưa có dự toán Trung ương"));
        assert!(r("{{ s.vung | ty_le('dự toán') }}").contains("mục tiêu \"dự toán\" không biết"));
        assert!(r("{{ 'x' | so }}").contains("không phải là số"));
        assert!(r("{{ 12.5 | hai_so }}").contains("số đếm nguyên"));
        assert!(r("{{ s.gia_suc | tien('tỷ đồng') }}").contains("không phải đơn vị tiền"));
        assert!(r("{{ '31/02/2026' | ngay }}").contains("không phải ngày hợp lệ"));
    }
}
