//! Periods longer than a month (quý, 6 tháng, 9 tháng, năm) built from the
//! monthly folders: flows summed, stocks taken at the end, rates never averaged;
//! official figures in the period's own folder take precedence.

use std::collections::BTreeMap;
use std::path::Path;

use super::neighbours::{self, Feeds};
use super::{read_folder, read_neighbour, Indicator, PeriodData, Sector};
use crate::error::{Error, Findings, Location, Problem, Result, Severity};
use crate::number::format;
use crate::period::Period;

/// How to treat a missing last month.
#[derive(Debug, Clone, Copy, Default)]
pub struct AggregateOptions {
    /// Estimate a missing last month (ước đạt) from the month before it.
    pub estimate_last_month: bool,
}

/// Prior-year values (the same period last year, when all its months exist)
/// and cumulative values since January (when the earlier months exist), by
/// the path months use ([`super::neighbours`]).
fn fill_neighbours(
    root: &Path,
    data_dir: &Path,
    period: Period,
    sectors: &mut BTreeMap<String, Sector>,
    findings: &mut Findings,
) -> Result<()> {
    let last_year = period.same_period_last_year();
    if last_year.months().iter().all(|m| data_dir.join(m.to_string()).is_dir()) {
        let prior = load(root, data_dir, last_year, AggregateOptions::default())?;
        neighbours::fill(sectors, &[prior], Feeds::Prior, findings);
    }
    let (first, _) = period.month_range();
    let earlier: Vec<Period> = (1..first)
        .map(|month| Period::Month {
            year: period.year(),
            month,
        })
        .collect();
    let before: Option<Vec<PeriodData>> = earlier
        .iter()
        .map(|m| read_neighbour(root, data_dir, *m))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .collect();
    if let Some(before) = before {
        neighbours::fill(sectors, &before, Feeds::Cumulative, findings);
    }
    Ok(())
}

/// Whether a month folder has no value entered yet (just made by `new-period`).
fn not_entered(month: &PeriodData) -> bool {
    !month.sectors.is_empty()
        && month
            .sectors
            .values()
            .all(|s| s.indicators.iter().all(|i| i.value.is_none() && !i.invalid))
}

/// Aggregates the months of `period` (all must exist, except an estimated last month).
pub fn load(root: &Path, data_dir: &Path, period: Period, opts: AggregateOptions) -> Result<PeriodData> {
    let shown = |p: &Path| p.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| p.to_path_buf());
    let months = period.months();
    let mut present: Vec<PeriodData> = Vec::new();
    let mut missing: Vec<Period> = Vec::new();
    for m in &months {
        let dir = data_dir.join(m.to_string());
        match dir.is_dir().then(|| read_folder(root, &dir, *m)).transpose()? {
            Some(month) if !not_entered(&month) => present.push(month),
            _ => missing.push(*m),
        }
    }
    let last = *months.last().expect("a period has months");
    let estimated = opts.estimate_last_month && missing == [last] && !present.is_empty();
    if !missing.is_empty() && !estimated {
        let list: Vec<String> = missing.iter().map(|m| format!("{} ({})", m, m.label())).collect();
        return Err(Error::Other(format!(
            "Kỳ {} ({}) cần số liệu của các tháng {}, nhưng thiếu thư mục: {}. Tạo các thư mục đó (baocao new-period ...) {}",
            period,
            period.label(),
            months.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(", "),
            list.join(", "),
            if missing == [last] {
                "hoặc cho phép ước tính tháng cuối (uoc_tinh_thang_cuoi = true trong mau.toml)."
            } else {
                "rồi chạy lại."
            }
        )));
    }
    let mut findings = Findings::default();
    let mut files = Vec::new();
    for p in &present {
        findings.0.extend(p.findings.0.iter().cloned());
        files.extend(p.files.iter().cloned());
    }
    if estimated {
        // The last month is the month before it again, marked as an estimate.
        let mut guess = present.last().expect("checked").clone();
        guess.period = last;
        present.push(guess);
    }
    let base = present.last().expect("checked");
    let mut sectors: BTreeMap<String, Sector> = BTreeMap::new();
    for (name, sector) in &base.sectors {
        let mut out = Vec::new();
        for ind in &sector.indicators {
            let per_month: Vec<Option<&Indicator>> = present.iter().map(|p| p.get(name, &ind.code)).collect();
            let absent: Vec<String> = per_month
                .iter()
                .zip(&present)
                .filter(|(i, _)| i.and_then(|i| i.value).is_none())
                .map(|(_, p)| p.period.to_string())
                .collect();
            if !absent.is_empty() {
                findings.push(
                    Severity::Error,
                    ind.location.clone(),
                    Some(&ind.code),
                    Problem::Template(format!(
                        "chỉ tiêu thiếu giá trị ở tháng {} nên không tổng hợp được cho {}",
                        absent.join(", "),
                        period.label()
                    )),
                );
                continue;
            }
            let values: Vec<f64> = per_month.iter().filter_map(|i| i.and_then(|i| i.value)).collect();
            let priors: Option<Vec<f64>> = per_month.iter().map(|i| i.and_then(|i| i.prior)).collect();
            let mut agg = ind.clone();
            // The figure is the period's, not one month's: say so where it points.
            let first_month = months.first().expect("a period has months");
            agg.location.file = std::path::PathBuf::from(format!("{} (tổng hợp {first_month}..{last})", ind.location.file.display()));
            agg.value = Some(ind.aggregation.combine(&values));
            agg.prior = priors.map(|p| ind.aggregation.combine(&p));
            agg.decimals = per_month.iter().filter_map(|i| i.map(|i| i.decimals)).max().unwrap_or(ind.decimals);
            agg.estimated = estimated;
            agg.cumulative = None;
            out.push(agg);
        }
        sectors.insert(
            name.clone(),
            Sector {
                name: name.clone(),
                source: sector.source.clone(),
                indicators: out,
            },
        );
    }

    fill_neighbours(root, data_dir, period, &mut sectors, &mut findings)?;

    // Official figures for the whole period override the computed ones.
    let own = data_dir.join(period.to_string());
    if own.is_dir() {
        let official = read_folder(root, &own, period)?;
        findings.0.extend(official.findings.0.iter().cloned());
        files.extend(official.files.iter().cloned());
        for (name, sector) in &official.sectors {
            for o in &sector.indicators {
                let Some(ov) = o.value else { continue };
                let Some(ind) = sectors
                    .get_mut(name)
                    .and_then(|s| s.indicators.iter_mut().find(|i| i.code == o.code))
                else {
                    findings.push(
                        Severity::Error,
                        o.location.clone(),
                        Some(&o.code),
                        Problem::Template(format!("số liệu cả kỳ cho chỉ tiêu không có trong các tháng (lĩnh vực {name})")),
                    );
                    continue;
                };
                if let Some(computed) = ind.value {
                    let d = ind.decimals.max(o.decimals);
                    if (computed - ov).abs() > 0.5 * 10f64.powi(-(d as i32)) {
                        findings.push(
                            Severity::Warning,
                            o.location.clone(),
                            Some(&o.code),
                            Problem::Template(format!(
                                "số công bố cho cả kỳ {} khác số tổng hợp từ các tháng {} (chênh {}); dùng số công bố",
                                format(ov, d),
                                format(computed, d),
                                format((ov - computed).abs(), d)
                            )),
                        );
                    }
                }
                ind.value = Some(ov);
                ind.decimals = o.decimals;
                ind.estimated = false;
                if o.prior.is_some() {
                    ind.prior = o.prior;
                }
            }
        }
    }
    if estimated {
        findings.push(
            Severity::Warning,
            Location::file(shown(&data_dir.join(last.to_string()))),
            None,
            Problem::Template(format!(
                "chưa có số liệu {}: ước tính bằng số của tháng trước (các số được đánh dấu ước đạt)",
                last.label()
            )),
        );
    }
    Ok(PeriodData {
        period,
        sectors,
        files,
        findings,
    })
}
