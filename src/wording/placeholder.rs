//! Draft previews: a figure not entered yet is shown in the document as a
//! highlighted "[chưa có: Số ca tay chân miệng]" instead of stopping the whole
//! render, so a clerk sees her work from the first figure.
//!
//! Only the draft preview does this ([`crate::figures::check::CheckOptions::draft`]);
//! a numbered version and issuing refuse while any placeholder remains
//! ([`crate::Error::Unfilled`]). The name comes from the sector file (untrusted):
//! it is written as a Typst string literal, never as markup. Each placeholder
//! carries a stable label (`<chua-co.SECTOR.CODE.COLUMN>`) the page links to its cell.

use minijinja::value::Rest;
use minijinja::{Environment, Error, State, Value};

use super::filters::IndicatorValue;
use super::markup::{RAW_END, RAW_START};

/// The Typst label of the placeholder for `sector.code`'s `column` (`gia_tri`, `cung_ky`).
pub fn id(sector: &str, code: &str, column: &str) -> String {
    format!("chua-co.{sector}.{code}.{column}")
}

/// The visible text of a placeholder.
pub fn text(name: &str, column: &str) -> String {
    crate::error::PlaceholderText {
        name: name.to_string(),
        prior: column == "cung_ky",
    }
    .to_string()
}

/// A Typst string literal of `s` (only `\`, `"` escaped; control and sentinel characters dropped).
fn typst_string(s: &str) -> String {
    let body: String = s
        .chars()
        .filter(|c| !c.is_control() && !super::markup::is_sentinel(*c))
        .flat_map(|c| match c {
            '\\' | '"' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("\"{body}\"")
}

/// The raw Typst markup of a placeholder (the formatter puts it between the raw sentinels).
pub fn markup(sector: &str, code: &str, name: &str, column: &str) -> String {
    format!(
        "#highlight(fill: rgb(\"#ffd966\"))[#{}]<{}>",
        typst_string(&text(name, column)),
        id(sector, code, column)
    )
}

/// The placeholder for the first draft indicator among `args` missing what a
/// filter needs: its value, else (when `prior_needed`) its cùng kỳ.
fn for_args(args: &[Value], prior_needed: bool) -> Option<Value> {
    let inds = args
        .iter()
        .filter_map(|a| a.downcast_object_ref::<IndicatorValue>())
        .filter(|i| i.draft);
    let mut missing_prior = None;
    for i in inds {
        let (sector, code, name) = (&i.sector, &i.ind.code, &i.ind.name);
        if i.ind.value.is_none() {
            return Some(Value::from_safe_string(markup(sector, code, name, "gia_tri")));
        }
        if prior_needed && i.ind.prior.is_none() && missing_prior.is_none() {
            missing_prior = Some(Value::from_safe_string(markup(sector, code, name, "cung_ky")));
        }
    }
    missing_prior
}

/// The Typst label of a total that disagrees with its parts (`sector.code`).
pub fn disagreement_id(sector: &str, code: &str) -> String {
    format!("khong-khop.{sector}.{code}")
}

/// The raw Typst markup of a printed total that disagrees with its parts, in a
/// draft: its value, highlighted in pink and labelled, so that the preview shows
/// the sentence that a signer would otherwise read as consistent.
fn disagreement_markup(i: &IndicatorValue) -> String {
    let value = crate::base::number::format(i.ind.value.unwrap_or(0.0), i.ind.decimals);
    format!(
        "#highlight(fill: rgb(\"#f4b6c2\"))[#{}]<{}>",
        typst_string(&value),
        disagreement_id(&i.sector, &i.ind.code)
    )
}

/// What an indicator prints as in a draft instead of its plain value: a
/// placeholder when it has no value, a marked value when it is a total that
/// disagrees with its parts; `None` otherwise (and always outside a draft).
pub fn for_value(i: &IndicatorValue) -> Option<String> {
    if !i.draft {
        return None;
    }
    let m = if i.ind.value.is_none() {
        markup(&i.sector, &i.ind.code, &i.ind.name, "gia_tri")
    } else if i.disagrees {
        disagreement_markup(i)
    } else {
        return None;
    };
    Some(format!("{RAW_START}{m}{RAW_END}"))
}

/// Registers `name` so that, in a draft, a failure caused by a blank value
/// (or a blank cùng kỳ) prints a placeholder instead; otherwise `filter` as is.
pub fn add_filter(env: &mut Environment<'static>, name: &'static str, filter: Value) {
    env.add_filter(name, move |state: &mut State, args: Rest<Value>| -> Result<Value, Error> {
        match filter.call(state, &args) {
            Ok(v) => Ok(v),
            Err(e) => for_args(&args, true).ok_or(e),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_string_literals_and_ids_are_labels() {
        let m = markup("y_te", "ca", "Ca \"x\" \\ #y <z>", "gia_tri");
        assert!(m.contains("#\"[chưa có: Ca \\\"x\\\" \\\\ #y <z>]\""), "{m}");
        assert!(m.ends_with("<chua-co.y_te.ca.gia_tri>"), "{m}");
        assert!(text("Ca", "cung_ky").contains("cùng kỳ"));
    }
}
