//! Batch rendering: which (report type, period) pairs `render --all` makes.

use crate::base::period::Period;
use crate::figures;
use crate::project::{Project, Request};

impl Project {
    /// Every (report type, period) pair to render in a batch, from each type's
    /// `loai_ky`: months with figures, the quarters (half-years, ...) whose months
    /// are all there (the last may be missing when it is estimated), or, for
    /// `rieng`, the periods with a folder of their own (data/<period>/<report>/).
    pub fn all_requests(&self) -> Vec<Request> {
        use crate::base::manifest::PeriodKind;
        let periods = figures::periods(&self.data_dir());
        let months: Vec<Period> = periods
            .iter()
            .copied()
            .filter(|p| p.is_month() && figures::has_figures(&self.data_dir().join(p.to_string())))
            .collect();
        let mut out = Vec::new();
        for report in self.report_types() {
            let Ok(m) = self.manifest(&report) else { continue };
            let complete = |p: &Period| {
                let need = p.months();
                let have = need.iter().filter(|x| months.contains(x)).count();
                have == need.len() || (m.estimate_last_month && have + 1 == need.len() && !months.contains(need.last().unwrap()))
            };
            let years: std::collections::BTreeSet<i32> = months.iter().map(|p| p.year()).collect();
            let candidates: Vec<Period> = match m.period_kind {
                PeriodKind::Month => months.clone(),
                PeriodKind::Own => periods
                    .iter()
                    .copied()
                    .filter(|p| self.data_dir().join(p.to_string()).join(&report).is_dir())
                    .collect(),
                PeriodKind::Quarter => years
                    .iter()
                    .flat_map(|&year| (1..=4).map(move |quarter| Period::Quarter { year, quarter }))
                    .filter(complete)
                    .collect(),
                PeriodKind::HalfYear => years
                    .iter()
                    .flat_map(|&year| [Period::HalfYear { year }, Period::SecondHalf { year }])
                    .filter(complete)
                    .collect(),
                PeriodKind::NineMonths => years.iter().map(|&year| Period::NineMonths { year }).filter(complete).collect(),
                PeriodKind::Year => years.iter().map(|&year| Period::Year { year }).filter(complete).collect(),
            };
            out.extend(candidates.into_iter().map(|period| Request {
                report: report.clone(),
                period,
            }));
        }
        out
    }
}
