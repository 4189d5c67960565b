//! Reporting periods as staff name them: `2026-02` (tháng 02/2026), `2026-Q1`
//! (quý I), `2026-H1` (6 tháng đầu năm), `2026-H2` (6 tháng cuối năm), `2026-9T`
//! (9 tháng), `2026` (năm). Refuses any other name (`2026-13`, `2026-2`, `../x`).
//!
//! ```
//! use baocao::Period;
//! let p: Period = "2026-02".parse().unwrap();
//! assert_eq!(p.label(), "tháng 02 năm 2026");
//! assert_eq!(p.next().label(), "tháng 3 năm 2026");
//! assert_eq!(p.same_period_last_year().to_string(), "2025-02");
//! let h: Period = "2026-H1".parse().unwrap();
//! assert_eq!(h.label(), "6 tháng đầu năm 2026");
//! assert_eq!(h.following().label(), "6 tháng cuối năm 2026");
//! ```

use std::fmt;
use std::str::FromStr;

/// One reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Month { year: i32, month: u8 },
    Quarter { year: i32, quarter: u8 },
    HalfYear { year: i32 },
    SecondHalf { year: i32 },
    NineMonths { year: i32 },
    Year { year: i32 },
}

/// A period name that is not one of the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPeriod(pub String);

impl FromStr for Period {
    type Err = BadPeriod;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadPeriod(s.to_string());
        let s2 = s.trim().to_ascii_uppercase();
        let (y, rest) = match s2.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s2.as_str(), None),
        };
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        if !(1900..=2999).contains(&year) {
            return Err(bad());
        }
        Ok(match rest {
            None => Period::Year { year },
            Some("H1") | Some("6T") => Period::HalfYear { year },
            Some("H2") => Period::SecondHalf { year },
            Some("9T") => Period::NineMonths { year },
            Some(q) if q.len() == 2 && q.starts_with('Q') => {
                let quarter: u8 = q[1..].parse().map_err(|_| bad())?;
                if !(1..=4).contains(&quarter) {
                    return Err(bad());
                }
                Period::Quarter { year, quarter }
            }
            Some(m) if m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
                let month: u8 = m.parse().map_err(|_| bad())?;
                if !(1..=12).contains(&month) {
                    return Err(bad());
                }
                Period::Month { year, month }
            }
            _ => return Err(bad()),
        })
    }
}

impl fmt::Display for Period {
    /// The folder name of the period under data/.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Month { year, month } => write!(f, "{year}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            Period::HalfYear { year } => write!(f, "{year}-H1"),
            Period::SecondHalf { year } => write!(f, "{year}-H2"),
            Period::NineMonths { year } => write!(f, "{year}-9T"),
            Period::Year { year } => write!(f, "{year}"),
        }
    }
}

/// Month number as official dates write it: months 1-2 with a leading zero
/// ("tháng 02"), months 3-12 without ("tháng 3").
pub fn month_label(month: u8) -> String {
    if month < 3 {
        format!("{month:02}")
    } else {
        month.to_string()
    }
}

/// The period variables only one kind of period has (`ky.thang` for a month), and
/// the variable that prints right for every kind instead.
pub const KIND_ONLY: [(&str, &str); 3] = [("thang", "den_thang"), ("thang_so", "thang_cuoi"), ("quy", "nhan_ngan")];

/// The variables every period has (`ky.<name>`, also under `ky.sau`, `ky.truoc`, `ky.cung_ky`).
pub const EVERY_KIND: [&str; 11] = [
    "ma",
    "nhan",
    "nhan_ngan",
    "nam",
    "loai",
    "tu_thang",
    "den_thang",
    "so_thang",
    "thang_dau",
    "thang_cuoi",
    "la_thang",
];

/// The kind of a period as `ky.loai` prints it: thang, quy, 6-thang-dau,
/// 6-thang-cuoi, 9-thang, nam.
pub fn kind_code(p: Period) -> &'static str {
    match p {
        Period::Month { .. } => "thang",
        Period::Quarter { .. } => "quy",
        Period::HalfYear { .. } => "6-thang-dau",
        Period::SecondHalf { .. } => "6-thang-cuoi",
        Period::NineMonths { .. } => "9-thang",
        Period::Year { .. } => "nam",
    }
}

/// Roman numeral (1..=3999), used for quarters and level-1 headings.
pub fn roman(mut n: u32) -> String {
    const T: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in T {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

impl Period {
    /// The year the period belongs to.
    pub fn year(&self) -> i32 {
        match *self {
            Period::Month { year, .. }
            | Period::Quarter { year, .. }
            | Period::HalfYear { year }
            | Period::SecondHalf { year }
            | Period::NineMonths { year }
            | Period::Year { year } => year,
        }
    }

    /// First and last month (inclusive).
    pub fn month_range(&self) -> (u8, u8) {
        match *self {
            Period::Month { month, .. } => (month, month),
            Period::Quarter { quarter, .. } => (quarter * 3 - 2, quarter * 3),
            Period::HalfYear { .. } => (1, 6),
            Period::SecondHalf { .. } => (7, 12),
            Period::NineMonths { .. } => (1, 9),
            Period::Year { .. } => (1, 12),
        }
    }

    /// The months the period spans, as month periods.
    pub fn months(&self) -> Vec<Period> {
        let (a, b) = self.month_range();
        (a..=b).map(|month| Period::Month { year: self.year(), month }).collect()
    }

    /// Whether this is a single month.
    pub fn is_month(&self) -> bool {
        matches!(self, Period::Month { .. })
    }

    /// The same period one year earlier.
    pub fn same_period_last_year(&self) -> Period {
        self.with_year(self.year() - 1)
    }

    fn with_year(&self, year: i32) -> Period {
        match *self {
            Period::Month { month, .. } => Period::Month { year, month },
            Period::Quarter { quarter, .. } => Period::Quarter { year, quarter },
            Period::HalfYear { .. } => Period::HalfYear { year },
            Period::SecondHalf { .. } => Period::SecondHalf { year },
            Period::NineMonths { .. } => Period::NineMonths { year },
            Period::Year { .. } => Period::Year { year },
        }
    }

    /// The following period of the same kind (March after February, Q2 after Q1).
    pub fn next(&self) -> Period {
        let y = self.year();
        match *self {
            Period::Month { month: 12, .. } => Period::Month { year: y + 1, month: 1 },
            Period::Month { month, .. } => Period::Month { year: y, month: month + 1 },
            Period::Quarter { quarter: 4, .. } => Period::Quarter { year: y + 1, quarter: 1 },
            Period::Quarter { quarter, .. } => Period::Quarter {
                year: y,
                quarter: quarter + 1,
            },
            other => other.with_year(y + 1),
        }
    }

    /// The period a report's "next period" tasks are for: the month, quarter or year
    /// after; after the first half the second half, after nine months quarter IV,
    /// after the second half the first half of the next year.
    pub fn following(&self) -> Period {
        let year = self.year();
        match *self {
            Period::HalfYear { .. } => Period::SecondHalf { year },
            Period::SecondHalf { .. } => Period::HalfYear { year: year + 1 },
            Period::NineMonths { .. } => Period::Quarter { year, quarter: 4 },
            other => other.next(),
        }
    }

    /// The preceding period of the same kind.
    pub fn previous(&self) -> Period {
        let y = self.year();
        match *self {
            Period::Month { month: 1, .. } => Period::Month { year: y - 1, month: 12 },
            Period::Month { month, .. } => Period::Month { year: y, month: month - 1 },
            Period::Quarter { quarter: 1, .. } => Period::Quarter { year: y - 1, quarter: 4 },
            Period::Quarter { quarter, .. } => Period::Quarter {
                year: y,
                quarter: quarter - 1,
            },
            other => other.with_year(y - 1),
        }
    }

    /// Short label without the year: "tháng 02", "quý I", "6 tháng đầu năm", "năm".
    pub fn short_label(&self) -> String {
        match *self {
            Period::Month { month, .. } => format!("tháng {}", month_label(month)),
            Period::Quarter { quarter, .. } => format!("quý {}", roman(quarter as u32)),
            Period::HalfYear { .. } => "6 tháng đầu năm".into(),
            Period::SecondHalf { .. } => "6 tháng cuối năm".into(),
            Period::NineMonths { .. } => "9 tháng".into(),
            Period::Year { .. } => "năm".into(),
        }
    }

    /// Full Vietnamese label: "tháng 02 năm 2026", "quý I năm 2026", "6 tháng đầu
    /// năm 2026", "9 tháng năm 2026", "năm 2026" (the word "năm" once, never twice).
    pub fn label(&self) -> String {
        let short = self.short_label();
        if short.ends_with("năm") {
            format!("{short} {}", self.year())
        } else {
            format!("{short} năm {}", self.year())
        }
    }

    /// Last calendar day of the period (the default report date).
    pub fn last_day(&self) -> chrono::NaiveDate {
        let (_, last) = self.month_range();
        let (y, m) = if last == 12 {
            (self.year() + 1, 1)
        } else {
            (self.year(), last as u32 + 1)
        };
        chrono::NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_kinds() {
        for s in ["2026-02", "2026-Q1", "2026-H1", "2026-H2", "2026-9T", "2026"] {
            let p: Period = s.parse().unwrap();
            assert_eq!(p.to_string(), s);
        }
        assert!("2026-13".parse::<Period>().is_err());
        assert!("2026-2".parse::<Period>().is_err());
        assert!("26-02".parse::<Period>().is_err());
        assert!("../etc".parse::<Period>().is_err());
    }

    #[test]
    fn labels_follow_official_style() {
        let q: Period = "2026-Q1".parse().unwrap();
        assert_eq!(q.label(), "quý I năm 2026");
        assert_eq!(q.months().len(), 3);
        let m: Period = "2026-12".parse().unwrap();
        assert_eq!(m.label(), "tháng 12 năm 2026");
        assert_eq!(m.next().to_string(), "2027-01");
        assert_eq!(m.last_day().to_string(), "2026-12-31");
        assert_eq!("2026-02".parse::<Period>().unwrap().last_day().to_string(), "2026-02-28");
        assert_eq!(roman(14), "XIV");
    }

    #[test]
    fn every_kind_has_its_words_and_its_following_period() {
        let cases = [
            ("2026-02", "tháng 02 năm 2026", "tháng 3 năm 2026"),
            ("2026-12", "tháng 12 năm 2026", "tháng 01 năm 2027"),
            ("2026-Q1", "quý I năm 2026", "quý II năm 2026"),
            ("2026-Q2", "quý II năm 2026", "quý III năm 2026"),
            ("2026-Q3", "quý III năm 2026", "quý IV năm 2026"),
            ("2026-Q4", "quý IV năm 2026", "quý I năm 2027"),
            ("2026-H1", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026"),
            ("2026-H2", "6 tháng cuối năm 2026", "6 tháng đầu năm 2027"),
            ("2026-9T", "9 tháng năm 2026", "quý IV năm 2026"),
            ("2026", "năm 2026", "năm 2027"),
        ];
        for (code, label, following) in cases {
            let p: Period = code.parse().unwrap();
            assert_eq!(p.label(), label, "{code}");
            assert_eq!(p.following().label(), following, "{code}");
        }
        let h2: Period = "2026-H2".parse().unwrap();
        assert_eq!((h2.month_range(), h2.last_day().to_string()), ((7, 12), "2026-12-31".to_string()));
    }
}
