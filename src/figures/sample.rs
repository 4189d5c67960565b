//! Sample periods (số liệu mẫu): folders the repository ships with invented
//! figures, marked by a `SO-LIEU-MAU.md` file ([`super::SAMPLE_MARKER`]).
//!
//! The rule a careful office wants, in one place:
//! - a real month never takes its cùng kỳ or lũy kế from a sample month: the sample
//!   neighbour is left out and a warning says which one and why (never silent);
//! - a sample month may use other samples (the samples stay usable as a demo);
//! - a longer period (quý, năm) containing a sample month is itself a sample: it is
//!   built as before, with a warning naming the sample months; its own published
//!   figures from a sample folder never override a sum made only of real months.
//!
//! Refuses nothing by itself; it answers questions about folders.

use std::path::Path;

use crate::base::period::Period;

/// Whether a period folder is marked as sample data.
pub fn is_sample_dir(dir: &Path) -> bool {
    dir.join(super::SAMPLE_MARKER).is_file()
}

/// Whether `period` is sample data: a month whose folder is marked, or a longer
/// period whose own folder or any of whose months is marked.
pub fn is_sample_period(data_dir: &Path, period: Period) -> bool {
    let marked = |p: Period| is_sample_dir(&data_dir.join(p.to_string()));
    marked(period) || (!period.is_month() && period.months().into_iter().any(marked))
}

/// The months of `period` whose folders are marked as sample data.
pub fn sample_months(data_dir: &Path, period: Period) -> Vec<Period> {
    period
        .months()
        .into_iter()
        .filter(|m| is_sample_dir(&data_dir.join(m.to_string())))
        .collect()
}

/// Whether a neighbour folder may feed `period` (cùng kỳ, lũy kế): real data feeds
/// anything, sample data feeds only a sample period.
pub fn may_feed(data_dir: &Path, neighbour: Period, period: Period) -> bool {
    !is_sample_dir(&data_dir.join(neighbour.to_string())) || is_sample_period(data_dir, period)
}

/// The newest month with figures that is not a sample (the month a new month continues).
pub fn latest_real_month(data_dir: &Path) -> Option<Period> {
    super::periods(data_dir).into_iter().rfind(|p| {
        let dir = data_dir.join(p.to_string());
        p.is_month() && super::has_figures(&dir) && !is_sample_dir(&dir)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(dir: &Path, name: &str, sample: bool) {
        let d = dir.join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("y_te.csv"), "ma,ten,don_vi,gia_tri\nca,Ca,ca,1\n").unwrap();
        if sample {
            std::fs::write(d.join(crate::figures::SAMPLE_MARKER), "mẫu").unwrap();
        }
    }

    #[test]
    fn samples_feed_only_samples_and_the_latest_real_month_skips_them() {
        let t = tempfile::tempdir().unwrap();
        month(t.path(), "2026-01", true);
        month(t.path(), "2026-02", false);
        month(t.path(), "2026-03", true);
        let p = |s: &str| s.parse::<Period>().unwrap();
        assert_eq!(latest_real_month(t.path()), Some(p("2026-02")));
        assert!(!may_feed(t.path(), p("2026-01"), p("2026-02")));
        assert!(may_feed(t.path(), p("2026-01"), p("2026-03")));
        assert!(may_feed(t.path(), p("2026-02"), p("2026-03")));
        assert!(is_sample_period(t.path(), p("2026-Q1")));
        assert!(!is_sample_period(t.path(), p("2026-02")));
        assert_eq!(sample_months(t.path(), p("2026-Q1")), vec![p("2026-01"), p("2026-03")]);
    }
}
