//! Fragment errors as staff can act on them: a short window of the offending line
//! with a caret under the column (like rustc), the error kind said in Vietnamese
//! with what to do, the original English kept only as a detail line. The same
//! facts are available as data ([`Diagnostic`]) for other layers (the web page).

use std::path::PathBuf;

use minijinja::ErrorKind;

use crate::error::{Error, Finding, Location, Problem, Severity, SyntaxHint, SyntaxToken, TemplateHint, DETAIL_MARK};

/// Characters of the line shown around the column.
pub const WINDOW: usize = 80;
/// Characters kept before the column when the line is cut.
const BEFORE: usize = 40;

/// A window of one source line and where the caret goes in it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Excerpt {
    /// At most [`WINDOW`] characters of the line, with "…" where it was cut.
    pub text: String,
    /// 0-based character index in `text` of the character the error is at.
    pub caret: usize,
}

impl Excerpt {
    /// The window of `line` around 1-based character column `column`.
    pub fn new(line: &str, column: usize) -> Excerpt {
        let chars: Vec<char> = line.chars().collect();
        let col = column.saturating_sub(1).min(chars.len());
        let mut start = col.saturating_sub(BEFORE);
        let end = (start + WINDOW).min(chars.len());
        if end - start < WINDOW {
            start = end.saturating_sub(WINDOW);
        }
        let mut text = String::new();
        if start > 0 {
            text.push('…');
        }
        text.extend(&chars[start..end]);
        if end < chars.len() {
            text.push('…');
        }
        Excerpt {
            text,
            caret: col - start + usize::from(start > 0),
        }
    }

    /// Two lines for the terminal: the window, and the caret under the column
    /// (the second line indented like the first one is by the error's display).
    pub fn render(&self) -> String {
        format!("{}\n    {}^", self.text, " ".repeat(self.caret))
    }
}

/// One fragment error as structured data: where, what (Vietnamese), the original
/// English detail if any, and the excerpt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub column: Option<usize>,
    pub message: String,
    pub detail: Option<String>,
    pub excerpt: Option<Excerpt>,
}

impl Diagnostic {
    /// The error staff see (its Display puts the excerpt and caret under the message).
    pub fn into_error(self) -> Error {
        let detail = match &self.detail {
            Some(d) => format!("{}{DETAIL_MARK}{d})", self.message),
            None => self.message.clone(),
        };
        Error::Template {
            file: self.file,
            line: self.line,
            column: self.column,
            detail,
            source_line: self.excerpt.as_ref().map(Excerpt::render).unwrap_or_default(),
        }
    }

    /// The diagnostic as one of several findings of a run (message, detail and excerpt
    /// on the lines under "LỖI: file, dòng, cột").
    pub fn into_finding(self) -> Finding {
        let mut text = self.message.clone();
        if let Some(d) = &self.detail {
            text.push_str(&format!("{DETAIL_MARK}{d})"));
        }
        if let Some(x) = &self.excerpt {
            text.push_str("\n    ");
            text.push_str(&x.render());
        }
        Finding {
            severity: Severity::Error,
            location: Location::at(&self.file, self.line, self.column),
            indicator: None,
            problem: Problem::Template(text),
        }
    }

    /// The structured form of a fragment error (`None` for other errors).
    pub fn from_error(e: &Error) -> Option<Diagnostic> {
        let Error::Template {
            file,
            line,
            column,
            detail,
            source_line,
        } = e
        else {
            return None;
        };
        let (message, english) = match detail.split_once(DETAIL_MARK) {
            Some((m, d)) => (m.to_string(), Some(d.strip_suffix(')').unwrap_or(d).to_string())),
            None => (detail.clone(), None),
        };
        let excerpt = source_line.split_once("\n    ").map(|(text, caret)| Excerpt {
            text: text.to_string(),
            caret: caret.chars().count().saturating_sub(1),
        });
        Some(Diagnostic {
            file: file.clone(),
            line: *line,
            column: *column,
            message,
            detail: english,
            excerpt,
        })
    }
}

/// What a minijinja error means for a fragment author, and what to do.
/// `expr` is the source text the error points at.
pub fn explain(kind: ErrorKind, expr: &str, name: &str, detail: &str) -> String {
    let expr = expr.to_string();
    let own = !detail.is_empty() && !is_english(detail);
    let hint = match kind {
        ErrorKind::UndefinedError | ErrorKind::InvalidOperation if own => return detail.to_string(),
        ErrorKind::UndefinedError => period_hint(&expr).unwrap_or(TemplateHint::Undefined { expr }),
        ErrorKind::SyntaxError => TemplateHint::Syntax(syntax(detail)),
        ErrorKind::UnknownFilter => TemplateHint::UnknownFilter { expr },
        ErrorKind::UnknownFunction => TemplateHint::UnknownFunction { expr },
        ErrorKind::UnknownTest => TemplateHint::UnknownTest { expr },
        ErrorKind::UnknownMethod => TemplateHint::UnknownMethod { expr },
        ErrorKind::TooManyArguments => TemplateHint::TooManyArguments { expr },
        ErrorKind::MissingArgument => TemplateHint::MissingArgument { expr },
        ErrorKind::InvalidOperation => TemplateHint::InvalidOperation { expr },
        ErrorKind::CannotUnpack | ErrorKind::CannotDeserialize => TemplateHint::WrongType { expr },
        ErrorKind::BadEscape => TemplateHint::BadEscape,
        ErrorKind::OutOfFuel => TemplateHint::OutOfFuel,
        ErrorKind::TemplateNotFound => TemplateHint::NotFound { name: name.to_string() },
        _ if own => return detail.to_string(),
        _ => TemplateHint::Other { expr },
    };
    hint.to_string()
}

/// An undefined `ky.<name>` (or `ky.sau.<name>`, ...) said with the variable that
/// works for every period kind; `None` for anything that is not a period variable.
fn period_hint(expr: &str) -> Option<TemplateHint> {
    use crate::base::period::{EVERY_KIND, KIND_ONLY};
    let rest = expr.trim().strip_prefix("ky.")?;
    let (prefix, name) = match rest.split_once('.') {
        Some((sub @ ("sau" | "truoc" | "cung_ky"), name)) => (format!("ky.{sub}."), name),
        Some(_) => return None,
        None => ("ky.".to_string(), rest),
    };
    if let Some((_, instead)) = KIND_ONLY.iter().find(|(only, _)| *only == name) {
        let kind = match name {
            "quy" => crate::error::PeriodKindWord::Quarter,
            _ => crate::error::PeriodKindWord::Month,
        };
        let instead = format!("{prefix}{instead}");
        return Some(TemplateHint::PeriodKindOnly {
            expr: expr.to_string(),
            kind,
            instead,
        });
    }
    let known = EVERY_KIND.iter().map(|k| format!("{prefix}{k}")).collect::<Vec<_>>().join(", ");
    Some(TemplateHint::PeriodUnknown {
        expr: expr.to_string(),
        name: name.to_string(),
        known,
    })
}

/// The English detail worth keeping under the Vietnamese message.
pub fn english_detail(kind: ErrorKind, detail: &str) -> Option<String> {
    let d = if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {detail}")
    };
    (is_english(detail) || detail.is_empty()).then_some(d)
}

/// Whether a message is minijinja's own English text (ours have Vietnamese letters).
fn is_english(s: &str) -> bool {
    s.is_ascii()
}

/// The usual syntax error texts of minijinja, said in Vietnamese with the fix.
fn syntax(detail: &str) -> SyntaxHint {
    let tok = |t: &str| match t.trim_matches('`') {
        "end of input" => SyntaxToken::EndOfInput,
        "end of variable block" | "}}" => SyntaxToken::EndOfVariable,
        "end of block" | "%}" => SyntaxToken::EndOfBlock,
        "," => SyntaxToken::Comma,
        ")" => SyntaxToken::CloseParen,
        "]" => SyntaxToken::CloseBracket,
        "identifier" => SyntaxToken::Identifier,
        "expression" => SyntaxToken::Expression,
        other => SyntaxToken::Literal(other.to_string()),
    };
    if let Some(rest) = detail.strip_prefix("unexpected ") {
        return match rest.split_once(", expected ") {
            Some((got, want)) => SyntaxHint::Expected {
                got: tok(got),
                want: tok(want),
            },
            None => SyntaxHint::Unexpected(tok(rest)),
        };
    }
    if detail.contains("unknown statement") {
        return SyntaxHint::UnknownStatement;
    }
    if detail.contains("unexpected end of") || detail.contains("missing end of") {
        return SyntaxHint::Unclosed;
    }
    SyntaxHint::Other
}

/// Edit distance (Levenshtein, in characters) between two names.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The existing name closest to a misspelt one, if it is close enough to be meant.
pub fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// Every `sector.code` name the fragments of a period can use.
pub fn known_names(ctx: &minijinja::Value) -> Vec<String> {
    let mut out = Vec::new();
    for sector in ctx.try_iter().into_iter().flatten() {
        let Some(s) = sector.as_str() else { continue };
        out.push(s.to_string());
        let Ok(v) = ctx.get_attr(s) else { continue };
        if s == "ky" || s == "so_lieu" {
            continue;
        }
        for code in v.try_iter().into_iter().flatten() {
            if let Some(c) = code.as_str() {
                out.push(format!("{s}.{c}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_and_caret() {
        let line: String = (0..2000).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        let e = Excerpt::new(&line, 1000);
        assert!(e.text.chars().count() <= WINDOW + 2);
        let at: char = e.text.chars().nth(e.caret).unwrap();
        assert_eq!(at, line.chars().nth(999).unwrap());
        let short = Excerpt::new("abc", 2);
        assert_eq!((short.text.as_str(), short.caret), ("abc", 1));
        let end = Excerpt::new(&line, 2000);
        assert_eq!(end.text.chars().nth(end.caret), line.chars().last());
    }

    #[test]
    fn round_trip_through_the_error() {
        let d = Diagnostic {
            file: "templates/x/a.txt".into(),
            line: 3,
            column: Some(7),
            message: "lỗi cú pháp mẫu".into(),
            detail: Some("syntax error: unexpected `}`".into()),
            excerpt: Some(Excerpt::new("abc {{ x } def", 7)),
        };
        let e = d.clone().into_error();
        assert_eq!(Diagnostic::from_error(&e), Some(d));
    }

    #[test]
    fn syntax_errors_in_vietnamese() {
        assert_eq!(
            closest("y_te.tay_chan_miengx", ["y_te.tay_chan_mieng", "y_te.sot_xuat_huyet"]),
            Some("y_te.tay_chan_mieng")
        );
        assert_eq!(closest("abc", ["xyz"]), None);
        let s = syntax("unexpected `}`, expected `,`").to_string();
        assert!(s.starts_with("gặp \"}\" ở chỗ cần dấu phẩy"), "{s}");
    }
}
