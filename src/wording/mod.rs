//! Stage 3: fragments. A minijinja environment that can read only the report
//! type's fragments, escapes every value, and maps every error back to the
//! fragment line the author wrote.
pub mod own_text;
pub mod stale;

pub mod diagnostic;
pub mod filters;
mod kept;
pub mod markup;
mod memo;
pub mod merge;
pub mod numbering;
pub mod placeholder;

use std::path::{Path, PathBuf};

use minijinja::OutputSpan;
use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value};

use crate::base::period::Period;
use crate::error::{Error, ManifestDetail, Result, TemplateMessage};
use crate::figures::PeriodData;
pub use diagnostic::{Diagnostic, Excerpt};
pub use kept::Templates;
use markup::{Converted, RAW_END, RAW_START, VALUE_END, VALUE_START};

/// Fragment file extension.
pub const EXT: &str = "txt";
/// Bound on template work (loop iterations, calls): generous for reports, fatal for runaway loops.
const FUEL: u64 = 5_000_000;

/// Where fragments are looked up: a period's override folder first, then the report type folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentDirs {
    pub root: PathBuf,
    pub report_dir: PathBuf,
    pub override_dir: Option<PathBuf>,
}

impl FragmentDirs {
    /// The file for a template name, if the name is allowed and the file exists.
    pub fn resolve(&self, name: &str) -> Option<PathBuf> {
        let stem = name.strip_suffix(".txt").unwrap_or(name);
        if !crate::base::manifest::is_fragment_name(stem) {
            return None;
        }
        let file = format!("{stem}.{EXT}");
        self.override_dir
            .iter()
            .map(|d| d.join(&file))
            .chain(std::iter::once(self.report_dir.join(&file)))
            .find(|p| p.is_file())
    }

    /// How a path is shown in messages (relative to the project root).
    pub fn shown(&self, p: &Path) -> PathBuf {
        p.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
    }

    /// Shown path for a template name (even when the file is missing).
    pub fn shown_name(&self, name: &str) -> PathBuf {
        let stem = name.strip_suffix(".txt").unwrap_or(name);
        let p = self.resolve(name).unwrap_or_else(|| self.report_dir.join(format!("{stem}.{EXT}")));
        self.shown(&p)
    }
}

/// One fragment after minijinja and conversion to Typst.
#[derive(Debug, Clone)]
pub struct Fragment {
    pub name: String,
    /// Shown path of the fragment file.
    pub file: PathBuf,
    pub template_source: String,
    pub output: String,
    pub spans: Vec<OutputSpan>,
    pub converted: Converted,
}

impl Fragment {
    /// Fragment line and column that produced byte `out_offset` of the minijinja output.
    pub fn locate_output(&self, out_offset: usize) -> (usize, usize) {
        let span = self
            .spans
            .iter()
            .filter(|s| s.output_range().start <= out_offset)
            .find(|s| out_offset < s.output_range().end.max(s.output_range().start + 1))
            .or_else(|| self.spans.iter().rev().find(|s| s.output_range().start <= out_offset));
        let Some(span) = span else { return (1, 1) };
        let src_off = if span.kind() == minijinja::OutputSpanKind::Raw {
            span.source_range().start + (out_offset - span.output_range().start)
        } else {
            span.source_range().start
        };
        line_col(&self.template_source, src_off)
    }

    /// Fragment line and column for a byte offset in the fragment's Typst body.
    pub fn locate_typst(&self, typ_offset: usize) -> (usize, usize) {
        self.locate_output(self.converted.input_offset(typ_offset))
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The text of line `line` (1-based).
pub fn source_line(text: &str, line: usize) -> String {
    text.lines().nth(line.saturating_sub(1)).unwrap_or("").trim_end().to_string()
}

fn display_value(v: &Value) -> String {
    if v.is_none() {
        return String::new();
    }
    match v.kind() {
        minijinja::value::ValueKind::Bool => if v.is_true() { "có" } else { "không" }.into(),
        // Floats in Vietnamese format with the decimals they need (6.014; 1,821);
        // integers (years, counters) as they are.
        minijinja::value::ValueKind::Number if !v.to_string().chars().all(|c| c.is_ascii_digit() || c == '-') => {
            let f = f64::try_from(v.clone()).unwrap_or(0.0);
            crate::base::number::format(f, filters::decimals_needed(f))
        }
        _ => v.to_string(),
    }
}

/// Removes the sentinels and control characters from a value's text.
fn sanitize(s: &str) -> String {
    s.chars()
        .filter(|c| !markup::is_sentinel(*c))
        .map(|c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect()
}

/// The sandboxed environment for one report type and period (kept between
/// renders while its fragments are unchanged: [`kept`]), with the fragments
/// it rendered.
pub fn environment(dirs: &FragmentDirs) -> Templates {
    kept::environment(dirs)
}

/// Builds the sandboxed environment; its loader notes in `loaded` each
/// template it reads (name, file, text).
fn build_environment(dirs: &FragmentDirs, loaded: kept::Loaded) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(50);
    let d = dirs.clone();
    env.set_loader(move |name| match d.resolve(name) {
        Some(p) => {
            let text = crate::base::folders::read_to_string(&p).map_err(|e| {
                minijinja::Error::new(
                    ErrorKind::InvalidOperation,
                    TemplateMessage::Unreadable {
                        file: d.shown(&p),
                        detail: e.to_string(),
                    }
                    .to_string(),
                )
            })?;
            let mut noted = loaded.lock().unwrap_or_else(|e| e.into_inner());
            noted.push((name.to_string(), p, text.clone()));
            Ok(Some(text))
        }
        None => Ok(None),
    });
    env.set_formatter(|out, _state, value| {
        let blank = value
            .downcast_object_ref::<filters::IndicatorValue>()
            .and_then(placeholder::for_value);
        if let Some(markup) = blank {
            out.write_str(&markup).map_err(minijinja::Error::from)
        } else if value.is_safe() {
            write!(out, "{RAW_START}{}{RAW_END}", value.as_str().unwrap_or_default()).map_err(minijinja::Error::from)
        } else {
            write!(out, "{VALUE_START}{}{VALUE_END}", sanitize(&display_value(value))).map_err(minijinja::Error::from)
        }
    });
    filters::register(&mut env);
    env
}

/// The variables every fragment sees; in a `draft`, blank values print as placeholders.
pub fn context_for(data: &PeriodData, draft: bool) -> Value {
    let mut ctx = std::collections::BTreeMap::new();
    let mut all = std::collections::BTreeMap::new();
    for (name, sector) in &data.sectors {
        let v = Value::from_object(filters::SectorValue::with_draft(sector, draft));
        ctx.insert(name.clone(), v.clone());
        all.insert(name.clone(), v);
    }
    ctx.insert("so_lieu".into(), Value::from(all));
    ctx.insert("ky".into(), Value::from(minijinja::value::Serde(period_info(data.period, true))));
    Value::from(ctx)
}

/// What fragments know about a period (`ky.nhan`, `ky.sau.nhan`, ...).
pub fn period_info(p: Period, nested: bool) -> serde_json::Value {
    let (first, last) = p.month_range();
    let mut v = serde_json::json!({
        "ma": p.to_string(),
        "nhan": p.label(),
        "nhan_ngan": p.short_label(),
        "nam": p.year(),
        "thang_dau": first,
        "thang_cuoi": last,
        "la_thang": p.is_month(),
        "loai": crate::base::period::kind_code(p),
        "tu_thang": crate::base::period::month_label(first),
        "den_thang": crate::base::period::month_label(last),
        "so_thang": last - first + 1,
    });
    if let crate::base::period::Period::Month { month, .. } = p {
        v["thang"] = crate::base::period::month_label(month).into();
        v["thang_so"] = month.into();
    }
    if let crate::base::period::Period::Quarter { quarter, .. } = p {
        v["quy"] = crate::base::period::roman(quarter.into()).into();
    }
    if nested {
        v["sau"] = period_info(p.following(), false);
        v["truoc"] = period_info(p.previous(), false);
        v["cung_ky"] = period_info(p.same_period_last_year(), false);
    }
    v
}

/// A mau.toml heading as it reads for `period`, rendered with only `ky` known
/// ("... TRONG {{ ky.sau.nhan | upper }}" -> "... TRONG THÁNG 4 NĂM 2026");
/// `None` when the heading needs more (a figure).
pub fn period_title(text: &str, period: Period) -> Option<String> {
    let env = Environment::new();
    let ctx = minijinja::context! { ky => Value::from(minijinja::value::Serde(period_info(period, true))) };
    env.render_str(text, ctx).ok()
}

/// Converts a minijinja error into the user's diagnostic (fragment, line, column,
/// Vietnamese message, excerpt with a caret).
pub fn diagnose(dirs: &FragmentDirs, e: &minijinja::Error, source: Option<&str>) -> Diagnostic {
    let name = e.name().unwrap_or("?").to_string();
    let file = dirs.shown_name(&name);
    let read;
    let source = match source {
        Some(s) => s,
        None => {
            read = dirs
                .resolve(&name)
                .and_then(|p| crate::base::folders::read_to_string(&p).ok())
                .unwrap_or_default();
            read.as_str()
        }
    };
    let (line, column) = match e.range() {
        Some(r) => {
            let (l, c) = line_col(source, r.start);
            (l, Some(c))
        }
        None => (e.line().unwrap_or(1), None),
    };
    let expr = e.range().and_then(|r| source.get(r)).unwrap_or("").trim().to_string();
    let detail = e.detail().unwrap_or("");
    let text = source.lines().nth(line.saturating_sub(1)).unwrap_or("").trim_end();
    Diagnostic {
        file,
        line,
        column,
        message: diagnostic::explain(e.kind(), &expr, &name, detail),
        detail: diagnostic::english_detail(e.kind(), detail),
        excerpt: (!text.trim().is_empty()).then(|| Excerpt::new(text, column.unwrap_or(1))),
    }
}

/// Converts a minijinja error into the user's message (fragment, line, column, excerpt).
pub fn template_error(dirs: &FragmentDirs, e: &minijinja::Error) -> Error {
    diagnose(dirs, e, None).into_error()
}

/// Most errors one fragment reports in one run.
const MAX_ERRORS: usize = 100;

/// The `{{ ... }}` expression around byte `at`, if the error lies inside one.
fn expression_around(source: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let start = source.get(..at.min(source.len()))?.rfind("{{")?;
    let end = source[start..].find("}}")? + start + 2;
    (end > at && !source[start..at].contains("}}")).then_some(start..end)
}

/// Renders a fragment, collecting every runtime error in it: each failing `{{ ... }}`
/// is blanked out (same length, so later lines and columns stay right) and the
/// fragment rendered again, so four blank cells are four errors in one run.
fn render_all_errors(
    env: &Environment<'static>,
    dirs: &FragmentDirs,
    file_name: &str,
    ctx: &Value,
) -> Result<(String, Vec<OutputSpan>, String)> {
    let tmpl = env.get_template(file_name).map_err(|e| template_error(dirs, &e))?;
    let original = tmpl.source().to_string();
    let mut error = match tmpl.render_with_spans(ctx) {
        Ok((out, spans)) => return Ok((out, spans, original)),
        Err(e) => e,
    };
    let mut source = original.clone();
    let mut found: Vec<Diagnostic> = Vec::new();
    loop {
        // An error in a fragment this one includes is located in that fragment, and not blanked out here.
        let own = error.name() == Some(file_name);
        let mut d = diagnose(dirs, &error, own.then_some(original.as_str()));
        if error.kind() == ErrorKind::UndefinedError {
            let expr = error.range().and_then(|r| original.get(r)).unwrap_or("").trim();
            let known = diagnostic::known_names(ctx);
            if let Some(k) = diagnostic::closest(expr, known.iter().map(String::as_str)) {
                d.message.push_str(&TemplateMessage::DidYouMean { name: k.to_string() }.to_string());
            }
        }
        found.push(d);
        let Some(r) = error.range().filter(|_| own).and_then(|r| expression_around(&source, r.start)) else {
            break;
        };
        if found.len() >= MAX_ERRORS || r.len() < 6 {
            break;
        }
        source.replace_range(r.clone(), &format!("{{{{\"\"{}}}}}", " ".repeat(r.len() - 6)));
        let Ok(t) = env.template_from_named_str(file_name, &source) else {
            break;
        };
        match t.render_with_spans(ctx) {
            Ok(_) => break,
            Err(e) => error = e,
        }
    }
    if found.len() == 1 {
        return Err(found.remove(0).into_error());
    }
    Err(Error::Data(crate::error::Findings(
        found.into_iter().map(Diagnostic::into_finding).collect(),
    )))
}

/// Renders and converts one fragment.
pub fn render_fragment(env: &Environment<'static>, dirs: &FragmentDirs, name: &str, ctx: &Value) -> Result<Fragment> {
    let file_name = format!("{name}.{EXT}");
    let Some(path) = dirs.resolve(&file_name) else {
        return Err(Error::Template {
            file: dirs.shown_name(&file_name),
            line: 1,
            column: None,
            detail: TemplateMessage::MissingFragment {
                file_name: file_name.clone(),
                name: name.to_string(),
            }
            .to_string(),
            source_line: String::new(),
        });
    };
    let (output, spans, template_source) = render_all_errors(env, dirs, &file_name, ctx)?;
    let mut frag = Fragment {
        name: name.to_string(),
        file: dirs.shown(&path),
        template_source,
        output,
        spans,
        converted: Converted::default(),
    };
    match markup::convert(&frag.output) {
        Ok(c) => frag.converted = c,
        Err(m) => {
            let (line, col) = frag.locate_output(m.offset);
            let text = frag.template_source.lines().nth(line - 1).unwrap_or("").trim_end();
            let d = Diagnostic {
                file: frag.file.clone(),
                line,
                column: Some(col),
                message: m.message,
                detail: None,
                excerpt: Some(Excerpt::new(text, col)),
            };
            return Err(d.into_error());
        }
    }
    Ok(frag)
}

/// Renders a one-line template (a title) to plain text.
pub fn render_line(env: &Environment<'static>, text: &str, ctx: &Value, shown: &Path, field: &str) -> Result<String> {
    let out = env.render_str(text, ctx).map_err(|e| Error::Manifest {
        file: shown.to_path_buf(),
        detail: ManifestDetail::BadLine {
            field: field.to_string(),
            text: text.to_string(),
            detail: e.detail().map_or_else(|| e.to_string(), str::to_string),
        }
        .to_string(),
    })?;
    Ok(out.chars().filter(|c| !markup::is_sentinel(*c)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of docs/HUONG-DAN-VIET-DOAN.md, mục 3: what each period variable
    /// prints for every kind of period.
    #[test]
    fn period_variables_print_for_every_kind() {
        let vars = "{{ ky.nhan }}|{{ ky.nhan_ngan }}|{{ ky.loai }}|{{ ky.tu_thang }}|{{ ky.den_thang }}|{{ ky.so_thang }}|{{ ky.nam }}|{{ ky.sau.nhan }}";
        let cases = [
            ("2026-02", "tháng 02 năm 2026|tháng 02|thang|02|02|1|2026|tháng 3 năm 2026"),
            ("2026-Q1", "quý I năm 2026|quý I|quy|01|3|3|2026|quý II năm 2026"),
            (
                "2026-H1",
                "6 tháng đầu năm 2026|6 tháng đầu năm|6-thang-dau|01|6|6|2026|6 tháng cuối năm 2026",
            ),
            ("2026-9T", "9 tháng năm 2026|9 tháng|9-thang|01|9|9|2026|quý IV năm 2026"),
            ("2026", "năm 2026|năm|nam|01|12|12|2026|năm 2027"),
        ];
        for (code, want) in cases {
            let p: Period = code.parse().unwrap();
            assert_eq!(period_title(vars, p).as_deref(), Some(want), "{code}");
        }
        let q: Period = "2026-Q2".parse().unwrap();
        assert_eq!(period_title("{{ ky.quy }}", q).as_deref(), Some("II"));
    }

    #[test]
    fn a_variable_of_another_period_kind_is_named_with_its_replacement() {
        let m = diagnostic::explain(minijinja::ErrorKind::UndefinedError, "ky.thang", "x", "");
        assert!(m.contains("ky.den_thang") && m.contains("một tháng"), "{m}");
        let m = diagnostic::explain(minijinja::ErrorKind::UndefinedError, "ky.sau.thang_so", "x", "");
        assert!(m.contains("ky.sau.thang_cuoi"), "{m}");
        let m = diagnostic::explain(minijinja::ErrorKind::UndefinedError, "ky.thangg", "x", "");
        assert!(m.contains("ky.den_thang") && m.contains("\"thangg\""), "{m}");
        let m = diagnostic::explain(minijinja::ErrorKind::UndefinedError, "nong_nghiep.x", "x", "");
        assert!(!m.contains("ky."), "{m}");
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncdé f", 9), (2, 6));
        assert_eq!(source_line("a\nb\n", 2), "b");
    }
}
