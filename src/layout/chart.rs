//! Monthly series of one indicator from the data folders, and the charts the
//! layout draws from them (templates/_chung/bieu-do.typ): months of the year to
//! date against the same months of last year, or the cumulative value against
//! the annual plan. The series is also for the web page's trend line.

use std::path::Path;

use crate::base::manifest::{ChartKind, ChartSpec};
use crate::base::number::format;
use crate::base::period::Period;
use crate::error::{Error, ManifestDetail, Result};
use crate::figures::{self, Aggregation};

/// One month of a series: its value and the same month of last year (from last
/// year's folder when it exists, else from the month's `cung_ky` column).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MonthPoint {
    pub month: u8,
    pub value: Option<f64>,
    pub prior: Option<f64>,
}

/// An indicator month by month, January to the period's last month.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Series {
    pub year: i32,
    pub name: String,
    pub unit: String,
    pub decimals: u8,
    pub aggregation: Aggregation,
    pub months: Vec<MonthPoint>,
}

impl Series {
    /// Values since January, month by month (none after a month without a value).
    pub fn cumulative(&self) -> Vec<Option<f64>> {
        let mut seen = Vec::new();
        let mut gap = false;
        self.months
            .iter()
            .map(|m| {
                match m.value {
                    Some(v) if !gap => seen.push(v),
                    _ => gap = true,
                }
                (!gap).then(|| self.aggregation.combine(&seen))
            })
            .collect()
    }
}

/// The monthly series of `sector.code` for the months of `period`'s year up to its
/// last month, read from `data_dir/<year>-<month>/` (months without a folder or a
/// value, and sample months of a real period, are `None`). Public for the web page's trend line.
pub fn monthly_series(root: &Path, data_dir: &Path, period: Period, sector: &str, code: &str) -> Result<Series> {
    let year = period.year();
    let last = period.month_range().1;
    let mut series = Series {
        year,
        name: String::new(),
        unit: String::new(),
        decimals: 0,
        aggregation: Aggregation::Sum,
        months: Vec::new(),
    };
    for month in 1..=last {
        let read = |year: i32| -> Result<Option<figures::Indicator>> {
            let p = Period::Month { year, month };
            let dir = data_dir.join(p.to_string());
            // A sample month never shows in a real period's chart (a gap instead).
            if !dir.is_dir() || !figures::sample::may_feed(data_dir, p, period) {
                return Ok(None);
            }
            Ok(figures::read_folder(root, &dir, p)?.get(sector, code).cloned())
        };
        let this = read(year)?;
        let before = read(year - 1)?;
        if let Some(i) = &this {
            series.name.clone_from(&i.name);
            series.unit.clone_from(&i.unit);
            series.decimals = series.decimals.max(i.decimals);
            series.aggregation = i.aggregation;
        }
        let prior = before.and_then(|b| b.value).or(this.as_ref().and_then(|i| i.prior));
        series.months.push(MonthPoint {
            month,
            value: this.and_then(|i| i.value),
            prior,
        });
    }
    Ok(series)
}

/// A round step for about five grid lines up to `max`.
fn nice_step(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

/// One drawn series: legend, grey or black, values and their printed labels.
fn bars(legend: String, grey: bool, values: &[Option<f64>], decimals: u8) -> serde_json::Value {
    serde_json::json!({
        "chu_giai": legend,
        "mau": if grey { "xam" } else { "den" },
        "gia_tri": values,
        "nhan": values.iter().map(|v| v.map(|v| format(v, decimals)).unwrap_or_default()).collect::<Vec<_>>(),
    })
}

/// The JSON one chart is drawn from: numbered title, axis ticks, series, plan line, source.
pub fn chart_json(n: usize, spec: &ChartSpec, series: &Series, plan: Option<f64>, source: &str) -> serde_json::Value {
    let d = series.decimals;
    let (labels, drawn): (Vec<String>, Vec<serde_json::Value>) = match spec.kind {
        ChartKind::SamePeriod => {
            let now: Vec<Option<f64>> = series.months.iter().map(|m| m.value).collect();
            let before: Vec<Option<f64>> = series.months.iter().map(|m| m.prior).collect();
            let labels = series.months.iter().map(|m| format!("T{}", m.month)).collect();
            let drawn = vec![
                bars(format!("Năm {}", series.year - 1), true, &before, d),
                bars(format!("Năm {}", series.year), false, &now, d),
            ];
            (labels, drawn)
        }
        ChartKind::CumulativePlan => {
            let mut cum = series.cumulative();
            cum.resize(12, None);
            let labels = (1..=12).map(|m| format!("T{m}")).collect();
            (labels, vec![bars(format!("Lũy kế năm {}", series.year), false, &cum, d)])
        }
    };
    let plan = plan.filter(|_| spec.kind == ChartKind::CumulativePlan);
    let top = drawn
        .iter()
        .flat_map(|s| s["gia_tri"].as_array().into_iter().flatten().filter_map(|v| v.as_f64()))
        .chain(plan)
        .fold(0.0, f64::max);
    let step = nice_step(top * 1.1);
    let max = ((top * 1.1 / step).ceil() * step).max(step);
    let ticks: Vec<serde_json::Value> = (0..=((max / step).round() as usize))
        .map(|i| serde_json::json!({ "v": i as f64 * step, "t": crate::base::number::format_trim(i as f64 * step, 2) }))
        .collect();
    serde_json::json!({
        "tieu_de": format!("Biểu đồ {n}. {}", spec.title),
        "don_vi": series.unit,
        "nhan": labels,
        "day": drawn,
        "max": max,
        "vach": ticks,
        "ke_hoach": plan,
        "nhan_ke_hoach": plan.map(|p| format!("Kế hoạch năm {}: {}", series.year, crate::base::number::format_trim(p, d))),
        "nguon": source,
    })
}

/// "linh_vuc.ma" split; a message naming the manifest field otherwise.
pub fn split_ref<'a>(r: &'a str, field: &str, manifest: &Path) -> Result<(&'a str, &'a str)> {
    r.split_once('.')
        .filter(|(s, c)| figures::is_identifier(s) && figures::is_identifier(c))
        .ok_or_else(|| Error::Manifest {
            file: manifest.to_path_buf(),
            detail: ManifestDetail::BadReference {
                field: field.to_string(),
                reference: r.to_string(),
            }
            .to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(vals: &[Option<f64>]) -> Series {
        Series {
            year: 2026,
            name: "x".into(),
            unit: "tỷ đồng".into(),
            decimals: 1,
            aggregation: Aggregation::Sum,
            months: vals
                .iter()
                .enumerate()
                .map(|(i, v)| MonthPoint {
                    month: i as u8 + 1,
                    value: *v,
                    prior: v.map(|v| v - 1.0),
                })
                .collect(),
        }
    }

    #[test]
    fn cumulative_stops_at_a_gap() {
        let s = series(&[Some(1.0), Some(2.0), None, Some(4.0)]);
        assert_eq!(s.cumulative(), [Some(1.0), Some(3.0), None, None]);
    }

    #[test]
    fn chart_scales_to_the_plan() {
        let spec = ChartSpec {
            title: "Giá trị".into(),
            indicator: "a.b".into(),
            kind: ChartKind::CumulativePlan,
            source: String::new(),
        };
        let j = chart_json(2, &spec, &series(&[Some(300.0), Some(310.0)]), Some(4000.0), "Nguồn: x");
        assert_eq!(j["tieu_de"], "Biểu đồ 2. Giá trị");
        assert!(j["max"].as_f64().unwrap() >= 4000.0);
        assert_eq!(j["nhan"].as_array().unwrap().len(), 12);
        assert_eq!(j["day"][0]["nhan"][1], "610,0");
        assert_eq!(nice_step(4400.0), 1000.0);
    }
}
