//! Numbers as official documents write them: `.` groups thousands, `,` marks
//! decimals (6.014; 2.192,42; 1,863).
//!
//! Reading follows one documented rule (see docs/DAC-TA.md):
//! a comma is always the decimal mark; several dots are thousands separators;
//! a single dot followed by exactly three digits (`1.863`) is *ambiguous* and is
//! resolved by the rest of the file ([`Parsed::Ambiguous`]); any other single dot
//! is a decimal point (`2192.42`).
//!
//! ```
//! use baocao::internals::number::{format, parse, Parsed};
//! assert_eq!(format(2192.42, 2), "2.192,42");
//! assert_eq!(parse("2.192,42"), Ok(Parsed::Exact { value: 2192.42, decimals: 2, style: Some(baocao::internals::number::Style::Vietnamese) }));
//! ```

/// Largest magnitude accepted in data (a thousand trillion).
pub const MAX_ABS: f64 = 1e15;
/// Display precision kept from the data at most (longer fractions are rounded when printed).
pub const MAX_DECIMALS: u8 = 6;

/// Which convention a written number proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `2.192,42`, `1.908.282`, `1,863`.
    Vietnamese,
    /// `2192.42`, `0.5`.
    Plain,
}

/// Result of reading one cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// Unambiguous value; `style` is the convention it proves, if any.
    Exact { value: f64, decimals: u8, style: Option<Style> },
    /// `1.863`: 1863 in Vietnamese style, 1.863 in plain style.
    Ambiguous { thousands: f64, decimal: f64 },
}

/// Why a cell is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    Empty,
    NotANumber,
    BadGrouping,
    TooLarge,
}

/// Reads a number written by a person (see the module docs for the rule).
pub fn parse(text: &str) -> Result<Parsed, NumberError> {
    let (sign, body) = split_sign(text)?;
    match body.matches(',').count() {
        0 => {}
        1 => return parse_comma(sign, body),
        _ => return Err(NumberError::NotANumber),
    }
    match body.matches('.').count() {
        0 => Ok(Parsed::Exact {
            value: signed(sign, digits_value(body, "")?)?,
            decimals: 0,
            style: None,
        }),
        1 => parse_single_dot(sign, body),
        _ => Ok(Parsed::Exact {
            value: signed(sign, digits_value(&ungroup(body)?, "")?)?,
            decimals: 0,
            style: Some(Style::Vietnamese),
        }),
    }
}

/// The sign (1 or -1) and the digits of a trimmed cell, which must be digits,
/// dots and commas beginning and ending with a digit.
fn split_sign(text: &str) -> Result<(f64, &str), NumberError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(NumberError::Empty);
    }
    let (neg, body) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return Err(NumberError::NotANumber);
    }
    if !body.as_bytes()[0].is_ascii_digit() || !body.as_bytes()[body.len() - 1].is_ascii_digit() {
        return Err(NumberError::NotANumber);
    }
    Ok((if neg { -1.0 } else { 1.0 }, body))
}

/// `v` with its sign, refused above [`MAX_ABS`].
fn signed(sign: f64, v: f64) -> Result<f64, NumberError> {
    if v.abs() > MAX_ABS {
        Err(NumberError::TooLarge)
    } else {
        Ok(sign * v)
    }
}

/// A number with one decimal comma (`2.192,42`, `1,863`): Vietnamese style.
fn parse_comma(sign: f64, body: &str) -> Result<Parsed, NumberError> {
    let (int, frac) = body.split_once(',').ok_or(NumberError::NotANumber)?;
    if frac.contains('.') {
        return Err(NumberError::BadGrouping);
    }
    let int = ungroup(int)?;
    let value = signed(sign, digits_value(&int, frac)?)?;
    Ok(Parsed::Exact {
        value,
        decimals: frac.len().min(MAX_DECIMALS as usize) as u8,
        style: Some(Style::Vietnamese),
    })
}

/// A number with one dot and no comma: ambiguous (`1.863`) or a decimal point.
fn parse_single_dot(sign: f64, body: &str) -> Result<Parsed, NumberError> {
    let (int, frac) = body.split_once('.').ok_or(NumberError::NotANumber)?;
    if frac.len() == 3 && int.len() <= 3 {
        let thousands = signed(sign, digits_value(&format!("{int}{frac}"), "")?)?;
        let decimal = signed(sign, digits_value(int, frac)?)?;
        return Ok(Parsed::Ambiguous { thousands, decimal });
    }
    // A decimal point: `2192.42`, or `12345.678` (first group too long for a grouping).
    Ok(Parsed::Exact {
        value: signed(sign, digits_value(int, frac)?)?,
        decimals: frac.len().min(MAX_DECIMALS as usize) as u8,
        style: Some(Style::Plain),
    })
}

/// Removes strict thousands grouping (`1.908.282` -> `1908282`).
fn ungroup(int: &str) -> Result<String, NumberError> {
    if !int.contains('.') {
        return Ok(int.to_string());
    }
    let groups: Vec<&str> = int.split('.').collect();
    let first_ok = !groups[0].is_empty() && groups[0].len() <= 3;
    if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
        return Err(NumberError::BadGrouping);
    }
    Ok(groups.concat())
}

fn digits_value(int: &str, frac: &str) -> Result<f64, NumberError> {
    if int.len() > 18 {
        return Err(NumberError::TooLarge);
    }
    let s = if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    };
    s.parse::<f64>().map_err(|_| NumberError::NotANumber)
}

/// Rounds half away from zero at `decimals` places, working on the decimal
/// expansion so that 5,45 rounds to 5,5 whatever its binary representation.
pub fn round(x: f64, decimals: u8) -> f64 {
    let (neg, int, frac) = round_parts(x, decimals);
    let s = if frac.is_empty() { int } else { format!("{int}.{frac}") };
    let v: f64 = s.parse().unwrap_or(0.0);
    if neg {
        -v
    } else {
        v
    }
}

/// (negative, integer digits, fraction digits) of `x` rounded to `decimals`.
fn round_parts(x: f64, decimals: u8) -> (bool, String, String) {
    if !x.is_finite() {
        return (false, "0".into(), "0".repeat(decimals as usize));
    }
    let d = decimals as usize;
    // 12 guard digits beyond what is needed, then round on the digit string.
    let s = format!("{:.*}", d + 6, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
    let keep = int.len() + d;
    // Inspect the guard digits with a tolerance for binary noise (…4999996).
    let guard: String = frac[d..].to_string();
    let guard_val: f64 = format!("0.{guard}").parse().unwrap_or(0.0);
    let round_up = guard_val >= 0.5 - 1e-6;
    digits.truncate(keep);
    if round_up {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let int_len = digits.len() - d;
    let to_s = |ds: &[u8]| ds.iter().map(|b| (b + b'0') as char).collect::<String>();
    let int_s = to_s(&digits[..int_len]);
    let frac_s = to_s(&digits[int_len..]);
    let is_zero = digits.iter().all(|&b| b == 0);
    (x < 0.0 && !is_zero, int_s, frac_s)
}

/// Formats `x` with `decimals` places in Vietnamese style.
///
/// ```
/// assert_eq!(baocao::internals::number::format(1908282.0, 0), "1.908.282");
/// assert_eq!(baocao::internals::number::format(1.863, 3), "1,863");
/// assert_eq!(baocao::internals::number::format(-39.0, 0), "-39");
/// ```
pub fn format(x: f64, decimals: u8) -> String {
    let (neg, int, frac) = round_parts(x, decimals);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let n = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(&frac);
    }
    out
}

/// Formats a number with up to `max_decimals` places, dropping trailing zeros
/// (`5,4` rather than `5,40`; `11` rather than `11,0`).
pub fn format_trim(x: f64, max_decimals: u8) -> String {
    let s = format(x, max_decimals);
    if s.contains(',') {
        s.trim_end_matches('0').trim_end_matches(',').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(v: f64, d: u8, s: Option<Style>) -> Result<Parsed, NumberError> {
        Ok(Parsed::Exact {
            value: v,
            decimals: d,
            style: s,
        })
    }

    #[test]
    fn parses_seed_figures() {
        assert_eq!(parse("6014"), exact(6014.0, 0, None));
        assert_eq!(parse("2.192,42"), exact(2192.42, 2, Some(Style::Vietnamese)));
        assert_eq!(parse("1.908.282"), exact(1908282.0, 0, Some(Style::Vietnamese)));
        assert_eq!(parse("1,863"), exact(1.863, 3, Some(Style::Vietnamese)));
        assert_eq!(parse("16.344,10"), exact(16344.10, 2, Some(Style::Vietnamese)));
        assert_eq!(parse("2192.42"), exact(2192.42, 2, Some(Style::Plain)));
        assert_eq!(parse(" -39 "), exact(-39.0, 0, None));
        assert_eq!(
            parse("1.863"),
            Ok(Parsed::Ambiguous {
                thousands: 1863.0,
                decimal: 1.863
            })
        );
    }

    #[test]
    fn refuses_garbage() {
        assert_eq!(parse(""), Err(NumberError::Empty));
        assert_eq!(parse("NaN"), Err(NumberError::NotANumber));
        assert_eq!(parse("inf"), Err(NumberError::NotANumber));
        assert_eq!(parse("12a"), Err(NumberError::NotANumber));
        assert_eq!(parse("1.23.4"), Err(NumberError::BadGrouping));
        assert_eq!(parse("1,2,3"), Err(NumberError::NotANumber));
        assert_eq!(parse("1000000000000000000000000000000"), Err(NumberError::TooLarge));
        assert_eq!(parse("5,4%"), Err(NumberError::NotANumber));
    }

    #[test]
    fn formats_like_the_seed() {
        assert_eq!(format(6014.0, 0), "6.014");
        assert_eq!(format(2192.42, 2), "2.192,42");
        assert_eq!(format(1.863, 3), "1,863");
        assert_eq!(format(16344.1, 2), "16.344,10");
        assert_eq!(format(307.2, 1), "307,2");
        assert_eq!(format(331630.0, 0), "331.630");
        assert_eq!(format(999.96, 1), "1.000,0");
        assert_eq!(format(-0.04, 1), "0,0");
        assert_eq!(format_trim(11.0, 1), "11");
        assert_eq!(format_trim(5.4, 1), "5,4");
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(format(5.45, 1), "5,5");
        assert_eq!(format(0.125, 2), "0,13");
        assert_eq!(format(-2.5, 0), "-3");
        assert_eq!(round(8.0721, 2), 8.07);
    }
}
