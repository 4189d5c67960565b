//! Periods longer than a month (quý, 6 tháng, 9 tháng, năm) built from the
//! monthly folders: flows summed, stocks taken at the end, rates never averaged;
//! official figures in the period's own folder take precedence.

use std::collections::BTreeMap;
use std::path::Path;

use super::neighbours::{self, Feeds};
use super::{read_folder, Indicator, PeriodData, Sector};
use crate::base::number::format;
use crate::base::period::Period;
use crate::error::{Error, Findings, Location, Problem, Result, Severity};

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
    // Sample months feed only a sample period: the first one is named when left out.
    let feeds_prior = match super::sample::sample_months(data_dir, last_year).first() {
        Some(m) if !super::sample::is_sample_period(data_dir, period) => {
            super::read_feeding(root, data_dir, *m, period, Feeds::Prior, findings)?;
            false
        }
        _ => true,
    };
    if feeds_prior && last_year.months().iter().all(|m| data_dir.join(m.to_string()).is_dir()) {
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
        .map(|m| super::read_feeding(root, data_dir, *m, period, Feeds::Cumulative, findings))
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

/// The months of a period as read: those with figures, and whether the last
/// one is an estimate (a copy of the month before it).
struct Months {
    present: Vec<PeriodData>,
    estimated: bool,
}

/// Aggregates the months of `period` (all must exist, except an estimated last month).
pub fn load(root: &Path, data_dir: &Path, period: Period, opts: AggregateOptions) -> Result<PeriodData> {
    let Months { present, estimated } = read_months(root, data_dir, period, opts)?;
    let mut findings = Findings::default();
    let mut files = Vec::new();
    for p in &present {
        findings.0.extend(p.findings.0.iter().cloned());
        files.extend(p.files.iter().cloned());
    }
    let mut sectors = combine_months(period, &present, estimated, &mut findings);
    fill_neighbours(root, data_dir, period, &mut sectors, &mut findings)?;
    let own = data_dir.join(period.to_string());
    if own.is_dir() {
        let official = read_folder(root, &own, period)?;
        findings.0.extend(official.findings.0.iter().cloned());
        files.extend(official.files.iter().cloned());
        if official_applies(root, data_dir, period, &mut findings) {
            apply_official(&official, &mut sectors, &mut findings);
        }
    }
    note_sample_months(root, data_dir, period, &mut findings);
    if estimated {
        let last = *period.months().last().expect("a period has months");
        let shown = last_month_dir(root, data_dir, last);
        findings.push(
            Severity::Warning,
            Location::file(shown),
            None,
            Problem::EstimatedLastMonth { month: last.label() },
        );
    }
    Ok(PeriodData {
        period,
        sectors,
        files,
        findings,
    })
}

/// Whether the period's own published figures apply: a sample folder's never
/// override a sum made only of real months (said in `findings`).
fn official_applies(root: &Path, data_dir: &Path, period: Period, findings: &mut Findings) -> bool {
    let own = data_dir.join(period.to_string());
    if !super::sample::is_sample_dir(&own) || !super::sample::sample_months(data_dir, period).is_empty() {
        return true;
    }
    let marker = last_month_dir(root, data_dir, period).join(super::SAMPLE_MARKER);
    findings.push(Severity::Warning, Location::file(marker), None, Problem::SampleOfficialIgnored);
    false
}

/// A warning naming the sample months a longer period was built from.
fn note_sample_months(root: &Path, data_dir: &Path, period: Period, findings: &mut Findings) {
    let months = super::sample::sample_months(data_dir, period);
    let Some(first) = months.first() else { return };
    let problem = Problem::SampleMonths {
        period: period.label(),
        months: months.iter().map(|m| m.label()).collect::<Vec<_>>().join(", "),
    };
    let marker = last_month_dir(root, data_dir, *first).join(super::SAMPLE_MARKER);
    findings.push(Severity::Warning, Location::file(marker), None, problem);
}

/// The folder of `month` as shown to the user (relative to the project).
fn last_month_dir(root: &Path, data_dir: &Path, month: Period) -> std::path::PathBuf {
    let dir = data_dir.join(month.to_string());
    dir.strip_prefix(root).map(Path::to_path_buf).unwrap_or(dir)
}

/// Reads every month of `period`; refuses missing ones unless only the last is
/// missing and may be estimated.
fn read_months(root: &Path, data_dir: &Path, period: Period, opts: AggregateOptions) -> Result<Months> {
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
        return Err(Error::MissingMonths {
            period: period.to_string(),
            label: period.label(),
            months: months.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(", "),
            missing: list.join(", "),
            last_only: missing == [last],
        });
    }
    if estimated {
        // The last month is the month before it again, marked as an estimate.
        let mut guess = present.last().expect("checked").clone();
        guess.period = last;
        present.push(guess);
    }
    Ok(Months { present, estimated })
}

/// The period's sectors: each indicator of the last month combined over the months.
fn combine_months(period: Period, present: &[PeriodData], estimated: bool, findings: &mut Findings) -> BTreeMap<String, Sector> {
    let base = present.last().expect("checked");
    let mut sectors = BTreeMap::new();
    for (name, sector) in &base.sectors {
        let indicators = sector
            .indicators
            .iter()
            .filter_map(|ind| combine_indicator(period, present, name, ind, estimated, findings))
            .collect();
        let sector = Sector {
            name: name.clone(),
            source: sector.source.clone(),
            indicators,
        };
        sectors.insert(name.clone(), sector);
    }
    sectors
}

/// One indicator over the months (sum, end value...), or a finding naming the
/// months without a value.
fn combine_indicator(
    period: Period,
    present: &[PeriodData],
    sector: &str,
    ind: &Indicator,
    estimated: bool,
    findings: &mut Findings,
) -> Option<Indicator> {
    let per_month: Vec<Option<&Indicator>> = present.iter().map(|p| p.get(sector, &ind.code)).collect();
    let absent: Vec<String> = per_month
        .iter()
        .zip(present)
        .filter(|(i, _)| i.and_then(|i| i.value).is_none())
        .map(|(_, p)| p.period.to_string())
        .collect();
    if !absent.is_empty() {
        let problem = Problem::MonthsMissing {
            months: absent,
            period: period.label(),
        };
        findings.push(Severity::Error, ind.location.clone(), Some(&ind.code), problem);
        return None;
    }
    let values: Vec<f64> = per_month.iter().filter_map(|i| i.and_then(|i| i.value)).collect();
    let priors: Option<Vec<f64>> = per_month.iter().map(|i| i.and_then(|i| i.prior)).collect();
    let months = period.months();
    let (first, last) = (
        months.first().expect("a period has months"),
        months.last().expect("a period has months"),
    );
    let mut agg = ind.clone();
    // The figure is the period's, not one month's: say so where it points.
    let place = crate::error::DataText::Aggregated {
        file: ind.location.file.clone(),
        first: first.to_string(),
        last: last.to_string(),
    };
    agg.location.file = std::path::PathBuf::from(place.to_string());
    agg.value = Some(ind.aggregation.combine(&values));
    agg.prior = priors.map(|p| ind.aggregation.combine(&p));
    agg.decimals = per_month.iter().filter_map(|i| i.map(|i| i.decimals)).max().unwrap_or(ind.decimals);
    agg.estimated = estimated;
    agg.cumulative = None;
    Some(agg)
}

/// Official figures for the whole period override the computed ones.
fn apply_official(official: &PeriodData, sectors: &mut BTreeMap<String, Sector>, findings: &mut Findings) {
    for (name, sector) in &official.sectors {
        for o in sector.indicators.iter().filter(|o| o.value.is_some()) {
            match sectors
                .get_mut(name)
                .and_then(|s| s.indicators.iter_mut().find(|i| i.code == o.code))
            {
                Some(ind) => override_one(ind, o, findings),
                None => {
                    let problem = Problem::OfficialUnknown { sector: name.clone() };
                    findings.push(Severity::Error, o.location.clone(), Some(&o.code), problem);
                }
            }
        }
    }
}

/// `ind` takes the official value of `o`; a warning when it differs from the computed one.
fn override_one(ind: &mut Indicator, o: &Indicator, findings: &mut Findings) {
    let Some(ov) = o.value else { return };
    if let Some(computed) = ind.value {
        let d = ind.decimals.max(o.decimals);
        if (computed - ov).abs() > 0.5 * 10f64.powi(-(d as i32)) {
            let problem = Problem::OfficialDiffers {
                official: format(ov, d),
                computed: format(computed, d),
                diff: format((ov - computed).abs(), d),
            };
            findings.push(Severity::Warning, o.location.clone(), Some(&o.code), problem);
        }
    }
    ind.value = Some(ov);
    ind.decimals = o.decimals;
    ind.estimated = false;
    if o.prior.is_some() {
        ind.prior = o.prior;
    }
}
