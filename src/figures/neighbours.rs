//! One path for the values a period takes from its neighbours: the same
//! period of the previous year (cùng kỳ) and the earlier months of the year
//! (lũy kế), shared by months and longer periods. A neighbour that cannot be
//! read whole is never skipped silently: each of its broken files becomes a
//! finding naming the file and the values of this period left uncomputed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{PeriodData, Sector};
use crate::error::{DataText, FeedName, Findings, Location, Problem, Severity};

/// Which value a neighbour feeds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Feeds {
    /// `cung_ky`, from the same period of the previous year.
    Prior,
    /// `luy_ke`, from the earlier months of the year (with this period's own value).
    Cumulative,
}

impl Feeds {
    fn label(self) -> FeedName {
        match self {
            Feeds::Prior => FeedName::Prior,
            Feeds::Cumulative => FeedName::Cumulative,
        }
    }
}

/// The broken file of `source` that holds `sector`, if reading it failed.
fn blame(source: &PeriodData, sector: &str) -> Option<PathBuf> {
    let errors = || source.findings.0.iter().filter(|f| f.severity == Severity::Error);
    let stem = |p: &Path| p.file_stem().and_then(|s| s.to_str()).map(str::to_string);
    errors()
        .find(|f| stem(&f.location.file).as_deref() == Some(sector))
        .or_else(|| errors().find(|_| !source.sectors.contains_key(sector)))
        .map(|f| f.location.file.clone())
}

/// Fills `feeds` for every indicator of `sectors` from `sources` (all must hold
/// the value); where a source's file is broken, a warning names it and the values lost.
pub fn fill(sectors: &mut BTreeMap<String, Sector>, sources: &[PeriodData], feeds: Feeds, findings: &mut Findings) {
    let mut lost: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for sector in sectors.values_mut() {
        for ind in &mut sector.indicators {
            let vals: Vec<Option<f64>> = sources
                .iter()
                .map(|s| s.get(&sector.name, &ind.code).and_then(|i| i.value))
                .collect();
            if let Some(vals) = vals.iter().copied().collect::<Option<Vec<f64>>>() {
                match feeds {
                    Feeds::Prior => ind.prior = vals.first().copied().or(ind.prior),
                    Feeds::Cumulative => ind.cumulative = ind.value.map(|v| ind.aggregation.combine(&[vals.as_slice(), &[v]].concat())),
                }
                continue;
            }
            let broken = sources
                .iter()
                .zip(&vals)
                .filter(|(_, v)| v.is_none())
                .find_map(|(s, _)| blame(s, &sector.name));
            let keeps_own = feeds == Feeds::Prior && ind.prior.is_some();
            if let (Some(file), false) = (broken, keeps_own) {
                lost.entry(file).or_default().push(format!("{}.{}", sector.name, ind.code));
            }
        }
    }
    for (file, codes) in lost {
        findings.push(
            Severity::Warning,
            Location::file(&file),
            None,
            Problem::NeighbourFailed {
                file: file.clone(),
                values: DataText::NeighbourValues {
                    feeds: feeds.label(),
                    count: codes.len(),
                    codes: codes.join(", "),
                }
                .to_string(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::period::Period;
    use crate::figures::Indicator;

    /// A sector name with its (code, value) pairs.
    type SectorSpec<'a> = (&'a str, &'a [(&'a str, Option<f64>)]);

    fn period(sectors: &[SectorSpec], errors: &[&str]) -> PeriodData {
        let mut findings = Findings::default();
        for e in errors {
            findings.push(Severity::Error, Location::at(*e, 3, Some(1)), None, Problem::EmptyFile);
        }
        PeriodData {
            period: Period::Month { year: 2026, month: 1 },
            sectors: sectors
                .iter()
                .map(|(name, inds)| {
                    let indicators = inds
                        .iter()
                        .map(|(code, value)| Indicator {
                            location: Location::file("x.csv"),
                            ..Indicator::new(code, *value)
                        })
                        .collect();
                    (
                        name.to_string(),
                        Sector {
                            name: name.to_string(),
                            source: PathBuf::new(),
                            indicators,
                        },
                    )
                })
                .collect(),
            files: vec![],
            findings,
        }
    }

    #[test]
    fn a_broken_month_is_named_with_the_values_it_costs() {
        let mut feb = period(
            &[
                ("tai_chinh", &[("thu", Some(2.0)), ("chi", Some(1.0))]),
                ("y_te", &[("ca", Some(4.0))]),
            ],
            &[],
        );
        let jan = period(&[("y_te", &[("ca", Some(3.0))])], &["data/2026-01/tai_chinh.csv"]);
        let mut f = Findings::default();
        fill(&mut feb.sectors, &[jan], Feeds::Cumulative, &mut f);
        assert_eq!(feb.get("y_te", "ca").unwrap().cumulative, Some(7.0));
        assert_eq!(feb.get("tai_chinh", "thu").unwrap().cumulative, None);
        assert_eq!(f.0.len(), 1, "{f}");
        let msg = f.0[0].to_string();
        assert!(
            msg.contains("data/2026-01/tai_chinh.csv") && msg.contains("lũy kế của 2 chỉ tiêu: tai_chinh.thu, tai_chinh.chi"),
            "{msg}"
        );
    }
}
