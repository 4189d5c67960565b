//! Plan targets as people write them ("7,5–8,0", "Dưới 4", "≥ 80", "Tối thiểu 60",
//! "Khoảng 4", "100% xã/phường", "Trong nhóm các tỉnh trung bình...") and their
//! assessment against a figure: Đạt / Không đạt / Vượt.

use crate::base::number::{self, Parsed};

/// Which way is better for an indicator (declared, never guessed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
pub enum Direction {
    /// More is better (production, revenue, coverage).
    #[default]
    #[serde(rename = "cao")]
    Higher,
    /// Less is better (poverty rate, accidents, cases).
    #[serde(rename = "thap")]
    Lower,
}

/// The side of a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// "Dưới 4", "< 4".
    Below,
    /// "Không quá 4", "Tối đa 4", "≤ 4".
    AtMost,
    /// "Trên 4", "> 4".
    Above,
    /// "Tối thiểu 60", "Ít nhất 60", "≥ 80".
    AtLeast,
}

/// A target after reading.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A plain number ("25", "23.500", "100%").
    Number(f64),
    /// A range ("7,5–8,0", "7,5 - 8"), low then high.
    Range(f64, f64),
    /// A bound ("Dưới 4", "≥ 80").
    Bound(Bound, f64),
    /// "Khoảng 4": within ±[`APPROX_TOLERANCE`] of the number.
    About(f64),
    /// Words for a person to assess ("Trong nhóm các tỉnh trung bình của cả nước").
    Text(String),
}

/// Relative tolerance of an approximate target ("Khoảng 4": 3,8 to 4,2).
pub const APPROX_TOLERANCE: f64 = 0.05;

/// The assessment of a figure against a numeric target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    NotMet,
    Exceeded,
}

impl Verdict {
    /// "Đạt" / "Không đạt" / "Vượt".
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Met => "Đạt",
            Verdict::NotMet => "Không đạt",
            Verdict::Exceeded => "Vượt",
        }
    }
}

/// Why a target that looks numeric could not be read (its text is in error.rs).
pub use crate::error::TargetProblem as Malformed;

const BOUND_WORDS: [(&str, Bound); 12] = [
    ("≥", Bound::AtLeast),
    (">=", Bound::AtLeast),
    ("≤", Bound::AtMost),
    ("<=", Bound::AtMost),
    (">", Bound::Above),
    ("<", Bound::Below),
    ("dưới", Bound::Below),
    ("trên", Bound::Above),
    ("tối thiểu", Bound::AtLeast),
    ("ít nhất", Bound::AtLeast),
    ("không quá", Bound::AtMost),
    ("tối đa", Bound::AtMost),
];

/// Reads a target. Text without a leading number or bound word is [`Target::Text`];
/// a bound word or a leading digit that is not followed by a readable number is malformed.
pub fn parse(s: &str) -> Result<Target, Malformed> {
    let t = s.trim();
    let lower = t.to_lowercase();
    for (word, bound) in BOUND_WORDS {
        if let Some(rest) = strip_word(&lower, t, word) {
            return amount(rest, t).map(|v| Target::Bound(bound, v));
        }
    }
    if let Some(rest) = strip_word(&lower, t, "khoảng") {
        return amount(rest, t).map(Target::About);
    }
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok(Target::Text(t.to_string()));
    }
    if let Some((a, b)) = split_range(t) {
        let lo = amount(a, t)?;
        let hi = amount(b, t)?;
        if lo > hi {
            return Err(Malformed::ReversedRange { text: t.to_string() });
        }
        return Ok(Target::Range(lo, hi));
    }
    amount(t, t).map(Target::Number)
}

/// `rest` of `orig` after a leading `word` (matched case-insensitively on `lower`).
fn strip_word<'a>(lower: &str, orig: &'a str, word: &str) -> Option<&'a str> {
    if !lower.starts_with(word) {
        return None;
    }
    let rest = orig.get(word.len()..)?;
    // Words must end there ("Trên 4", not "Trường ..."); symbols need no space.
    let symbol = !word.starts_with(|c: char| c.is_alphabetic());
    (symbol || rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some(rest)
}

/// "7,5–8,0" / "7,5 - 8" split at the dash between two numbers.
fn split_range(t: &str) -> Option<(&str, &str)> {
    let i = t.find(['–', '—', '-'])?;
    let dash = t[i..].chars().next()?.len_utf8();
    Some((&t[..i], &t[i + dash..]))
}

/// A number, optionally followed by "%" and a unit in words ("100% xã/phường").
fn amount(s: &str, whole: &str) -> Result<f64, Malformed> {
    let s = s.trim();
    let end = s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(s.len());
    let (num, tail) = s.split_at(end);
    let tail = tail.trim_start().trim_start_matches('%').trim();
    let unit_ok = tail.is_empty() || (tail.starts_with(char::is_alphabetic) && !tail.contains(|c: char| c.is_ascii_digit()));
    if num.is_empty() || !unit_ok {
        return Err(Malformed::Unreadable { text: whole.to_string() });
    }
    match number::parse(num) {
        Ok(Parsed::Exact { value, .. }) => Ok(value),
        Ok(Parsed::Ambiguous { thousands, .. }) => Ok(thousands),
        Err(_) => Err(Malformed::NotVietnamese {
            text: whole.to_string(),
            number: num.to_string(),
        }),
    }
}

impl Target {
    /// The one rule for "% so với kế hoạch" and a chart's plan line: the figure
    /// that meets the target. A number or an approximate number ("Khoảng 9.000")
    /// itself, a bound's figure ("Tối thiểu 300", "≥ 95"), a range's end that meets
    /// it ("45–50": 45 when more is better, 50 when less is); none for text.
    pub fn plan_value(&self, dir: Direction) -> Option<f64> {
        match self {
            Target::Number(v) | Target::About(v) | Target::Bound(_, v) => Some(*v),
            Target::Range(lo, hi) => Some(if dir == Direction::Lower { *hi } else { *lo }),
            Target::Text(_) => None,
        }
    }

    /// Assesses `value` (at `decimals` places as printed); none for a text target.
    pub fn evaluate(&self, value: f64, decimals: u8, dir: Direction) -> Option<Verdict> {
        let v = number::round(value, decimals);
        let r = |x: f64| number::round(x, decimals);
        // Position against [lo, hi] in the good direction: below, inside, beyond.
        let against = |lo: f64, hi: f64| {
            let (worse, better) = match dir {
                Direction::Higher => (v < r(lo), v > r(hi)),
                Direction::Lower => (v > r(hi), v < r(lo)),
            };
            if worse {
                Verdict::NotMet
            } else if better {
                Verdict::Exceeded
            } else {
                Verdict::Met
            }
        };
        let ok = |met: bool| if met { Verdict::Met } else { Verdict::NotMet };
        Some(match self {
            Target::Number(n) => against(*n, *n),
            Target::Range(lo, hi) => against(*lo, *hi),
            Target::About(n) => against(n * (1.0 - APPROX_TOLERANCE), n * (1.0 + APPROX_TOLERANCE)),
            Target::Bound(Bound::Below, n) => ok(v < r(*n)),
            Target::Bound(Bound::AtMost, n) => ok(v <= r(*n)),
            Target::Bound(Bound::Above, n) => ok(v > r(*n)),
            Target::Bound(Bound::AtLeast, n) => ok(v >= r(*n)),
            Target::Text(_) => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{Higher, Lower};

    #[test]
    fn parses_every_form() {
        assert_eq!(parse("25"), Ok(Target::Number(25.0)));
        assert_eq!(parse("23.500"), Ok(Target::Number(23500.0)));
        assert_eq!(parse("100%"), Ok(Target::Number(100.0)));
        assert_eq!(parse("100% Xã/phường"), Ok(Target::Number(100.0)));
        assert_eq!(parse("7,5–8,0"), Ok(Target::Range(7.5, 8.0)));
        assert_eq!(parse("7,5 - 8"), Ok(Target::Range(7.5, 8.0)));
        assert_eq!(parse("Dưới 4"), Ok(Target::Bound(Bound::Below, 4.0)));
        assert_eq!(parse("dưới 4%"), Ok(Target::Bound(Bound::Below, 4.0)));
        assert_eq!(parse("≥ 80"), Ok(Target::Bound(Bound::AtLeast, 80.0)));
        assert_eq!(parse("≥62"), Ok(Target::Bound(Bound::AtLeast, 62.0)));
        assert_eq!(parse("Tối thiểu 60"), Ok(Target::Bound(Bound::AtLeast, 60.0)));
        assert_eq!(parse("Trên 1.000"), Ok(Target::Bound(Bound::Above, 1000.0)));
        assert_eq!(parse("Không quá 2,5"), Ok(Target::Bound(Bound::AtMost, 2.5)));
        assert_eq!(parse("Tối đa 3"), Ok(Target::Bound(Bound::AtMost, 3.0)));
        assert_eq!(parse("Khoảng 4"), Ok(Target::About(4.0)));
        let text = "Trong nhóm các tỉnh trung bình của cả nước";
        assert_eq!(parse(text), Ok(Target::Text(text.into())));
        // A word that merely begins like a bound word is text.
        assert_eq!(parse("Trường chuẩn"), Ok(Target::Text("Trường chuẩn".into())));
    }

    #[test]
    fn malformed_numeric_targets() {
        for bad in [
            "Dưới",
            "≥ tám mươi",
            "7,5–",
            "7,5–8,0–9",
            "1.2.3",
            "8,0–7,5",
            "21 (8/38)",
            "Khoảng 4,5,6",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.to_string().contains(bad.trim()), "{bad}: {e:?}");
        }
    }

    #[test]
    fn evaluates_by_direction() {
        let ev = |t: &str, v: f64, d| parse(t).unwrap().evaluate(v, 1, d).map(Verdict::label);
        assert_eq!(ev("25", 25.0, Higher), Some("Đạt"));
        assert_eq!(ev("25", 26.0, Higher), Some("Vượt"));
        assert_eq!(ev("25", 24.0, Higher), Some("Không đạt"));
        assert_eq!(ev("25", 24.0, Lower), Some("Vượt"));
        assert_eq!(ev("7,5–8,0", 7.8, Higher), Some("Đạt"));
        assert_eq!(ev("7,5–8,0", 8.2, Higher), Some("Vượt"));
        assert_eq!(ev("7,5–8,0", 7.2, Higher), Some("Không đạt"));
        assert_eq!(ev("7,5–8,0", 7.2, Lower), Some("Vượt"));
        assert_eq!(ev("Dưới 4", 3.9, Lower), Some("Đạt"));
        assert_eq!(ev("Dưới 4", 4.0, Lower), Some("Không đạt"));
        assert_eq!(ev("Không quá 4", 4.0, Lower), Some("Đạt"));
        assert_eq!(ev("Trên 4", 4.0, Higher), Some("Không đạt"));
        assert_eq!(ev("≥ 80", 80.0, Higher), Some("Đạt"));
        assert_eq!(ev("≥ 80", 71.9, Higher), Some("Không đạt"));
        assert_eq!(ev("Tối thiểu 60", 61.0, Higher), Some("Đạt"));
        assert_eq!(ev("Khoảng 4", 4.1, Higher), Some("Đạt"));
        assert_eq!(ev("Khoảng 4", 3.7, Higher), Some("Không đạt"));
        assert_eq!(ev("Khoảng 4", 4.3, Higher), Some("Vượt"));
        assert_eq!(ev("Trong nhóm các tỉnh trung bình", 4.0, Higher), None);
        // Compared as printed: 79,96 shows as 80,0 and meets "≥ 80".
        assert_eq!(ev("≥ 80", 79.96, Higher), Some("Đạt"));
    }

    #[test]
    fn plan_values() {
        assert_eq!(parse("7,5–8,0").unwrap().plan_value(Higher), Some(7.5));
        assert_eq!(parse("7,5–8,0").unwrap().plan_value(Lower), Some(8.0));
        assert_eq!(parse("Khoảng 4").unwrap().plan_value(Higher), Some(4.0));
        assert_eq!(parse("Tối thiểu 300").unwrap().plan_value(Higher), Some(300.0));
        assert_eq!(parse("Dưới 4").unwrap().plan_value(Lower), Some(4.0));
        assert_eq!(parse("Trong nhóm các tỉnh trung bình").unwrap().plan_value(Higher), None);
    }
}
