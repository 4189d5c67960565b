//! Stage 2a: values computed from the figures, never typed by hand, and the
//! Vietnamese phrases that state them ("tăng 5,4%", "giảm 39", "cao hơn 6,9 điểm %").
//!
//! ```
//! use baocao::internals::derive::*;
//! assert_eq!(change_phrase(change_percent(307.2, 291.5).unwrap(), 1), "tăng 5,4%");
//! assert_eq!(difference_phrase(711.0 - 750.0, 0), "giảm 39");
//! assert_eq!(points_phrase(90.75 - 83.85, 1), "cao hơn 6,9\u{a0}điểm\u{a0}%");
//! ```

use crate::base::number::{format, round};

/// Percentage change of `value` against `base`: (value - base) / base × 100.
pub fn change_percent(value: f64, base: f64) -> Option<f64> {
    (base != 0.0).then(|| (value - base) / base * 100.0)
}

/// `value` as a percentage of `base` (ratio to prior year, to a plan, share of a parent).
pub fn ratio_percent(value: f64, base: f64) -> Option<f64> {
    (base != 0.0).then(|| value / base * 100.0)
}

/// "tăng 5,4%" / "giảm 11%" / "tương đương" (when it rounds to zero).
pub fn change_phrase(pct: f64, decimals: u8) -> String {
    signed_phrase(pct, decimals, ("tăng", "giảm"), "%")
}

/// "tăng 30" / "giảm 39" (the template writes the unit after it).
pub fn difference_phrase(diff: f64, decimals: u8) -> String {
    signed_phrase(diff, decimals, ("tăng", "giảm"), "")
}

/// "cao hơn 6,9 điểm %" / "thấp hơn 1,2 điểm %" (non-breaking spaces keep "6,9 điểm %" on one line).
pub fn points_phrase(diff: f64, decimals: u8) -> String {
    signed_phrase(diff, decimals, ("cao hơn", "thấp hơn"), "\u{a0}điểm\u{a0}%")
}

fn signed_phrase(x: f64, decimals: u8, words: (&str, &str), suffix: &str) -> String {
    signed_phrase_with(x, decimals, words, suffix, false)
}

/// Like [`difference_phrase`], counts below 10 with a leading zero ("tăng 03").
pub fn difference_phrase_padded(diff: f64, decimals: u8) -> String {
    signed_phrase_with(diff, decimals, ("tăng", "giảm"), "", true)
}

fn signed_phrase_with(x: f64, decimals: u8, words: (&str, &str), suffix: &str, pad: bool) -> String {
    let r = round(x, decimals);
    if r == 0.0 {
        return "tương đương".into();
    }
    let word = if r > 0.0 { words.0 } else { words.1 };
    let n = if pad && decimals == 0 && r.abs() < 10.0 {
        format!("{:02}", r.abs() as i64)
    } else {
        format(r.abs(), decimals)
    };
    format!("{word} {n}{suffix}")
}

/// "69%" for a percentage with the given decimals.
pub fn percent_text(pct: f64, decimals: u8) -> String {
    format!("{}%", format(pct, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases() {
        assert_eq!(change_phrase(-11.02, 0), "giảm 11%");
        assert_eq!(change_phrase(2.34, 1), "tăng 2,3%");
        assert_eq!(change_phrase(0.04, 1), "tương đương");
        assert_eq!(difference_phrase(30.0, 0), "tăng 30");
        assert_eq!(points_phrase(-1.25, 1), "thấp hơn 1,3\u{a0}điểm\u{a0}%");
        assert_eq!(percent_text(ratio_percent(154040.0, 1908282.0).unwrap(), 2), "8,07%");
        assert_eq!(percent_text(ratio_percent(154040.0, 1566393.0).unwrap(), 2), "9,83%");
        assert_eq!(change_percent(1.0, 0.0), None);
    }
}
