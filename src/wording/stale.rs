//! Staleness check: wording copied from an earlier report that still names
//! another period. `check` and every render scan the report type's fragments,
//! the period's narrative overrides and mau.toml, line by line, for dates,
//! months, dated document references and seasonal events that do not belong
//! to the period being reported; `new-period` flags indicator names that carry
//! a date. Every hit is a warning (never an error) naming the file, line and
//! column; a line holding [`MARKER`] is skipped (the old date is meant).

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::base::period::Period;
use crate::error::{Findings, Location, Problem, Severity, StaleReason};

/// Written on a line (in a fragment as the comment `{# giu-nguyen #}`, in
/// mau.toml as `# giu-nguyen`) to keep an old date or event on purpose.
pub use crate::error::KEEP_MARKER as MARKER;

/// One thing the check looks for; `checklist` is the line of the guide's
/// "Mỗi tháng cần sửa gì" list (generated from this table, see [`checklist`]).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    pub checklist: &'static str,
}

/// Every rule, in the order of the guide's checklist.
pub const RULES: [Rule; 5] = [
    Rule {
        name: "ngay",
        checklist: "Ngày viết sẵn trong lời văn (`lũy kế đến ngày 15/02/2026`, `2026-02-15`) trước ngày đầu kỳ \
                    (báo cáo tháng 3 không còn ghi ngày của tháng 02); ngày ký trong mau.toml (`ngay`) trước đầu kỳ cũng bị báo.",
    },
    Rule {
        name: "thang",
        checklist: "Tháng viết sẵn (`tháng 02`, `tháng 02/2026`, `tháng 02 năm 2026`) trước tháng đầu của kỳ \
                    (\"tháng 02\" trong báo cáo tháng 3); tháng cùng kỳ năm trước không bị báo. Nên viết `{{ ky.nhan }}` thay cho tháng viết tay.",
    },
    Rule {
        name: "van_ban",
        checklist: "Văn bản dẫn kèm ngày ban hành từ đầu năm đến trước kỳ trước (`Chỉ thị số 03/CT-BYT ngày 28/01/2026` trong báo cáo \
                    tháng 3): văn bản của kỳ cũ, thay bằng văn bản chỉ đạo mới. Văn bản của kỳ trước, của kỳ này và của các năm trước \
                    (nghị quyết, chương trình còn hiệu lực) không bị báo.",
    },
    Rule {
        name: "su_kien",
        checklist: "Sự kiện theo mùa ngoài mùa của nó: Tết Nguyên đán (tháng 12, 01, 02), Tết trồng cây (tháng 01 - 03), \
                    Trung thu (tháng 8 - 9), Quốc khánh (tháng 8 - 9), Giáng sinh (tháng 12).",
    },
    Rule {
        name: "ten_chi_tieu",
        checklist: "Tên chỉ tiêu trong tệp số liệu có ghi ngày (`lũy kế đến 15/02/2026`): `new-period` báo khi chép sang kỳ mới; \
                    sửa cột `ten` cho kỳ mới.",
    },
];

/// The guide's checklist, one Markdown item per rule.
pub fn checklist() -> String {
    RULES.iter().map(|r| format!("- [ ] {}\n", r.checklist)).collect()
}

/// Seasonal events: a word, the word after it that narrows it (if any), and the months it belongs to.
const EVENTS: [(&str, &str, &[u32]); 6] = [
    ("tết", "trồng", &[1, 2, 3]),
    ("tết", "", &[12, 1, 2]),
    ("trung", "thu", &[8, 9]),
    ("quốc", "khánh", &[8, 9]),
    ("giáng", "sinh", &[12]),
    ("noel", "", &[12]),
];

/// A token of a line: a run of digits, a word, or one other character.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(u32, usize),
    Word(String),
    Sym(char),
}

/// Tokens with their char column (1-based); spaces are dropped.
fn tokens(line: &str) -> Vec<(usize, Tok)> {
    let chars: Vec<char> = line.chars().collect();
    let (mut i, mut out) = (0, Vec::new());
    while i < chars.len() {
        let start = i;
        let c = chars[i];
        if c.is_ascii_digit() {
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            out.push((start + 1, Tok::Num(s.parse().unwrap_or(u32::MAX), i - start)));
        } else if c.is_alphabetic() {
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            out.push((start + 1, Tok::Word(chars[start..i].iter().collect::<String>().to_lowercase())));
        } else {
            if !c.is_whitespace() {
                out.push((start + 1, Tok::Sym(c)));
            }
            i += 1;
        }
    }
    out
}

/// What one hit is: its column, the text as written, and why it is stale.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub column: usize,
    pub text: String,
    pub reason: String,
}

/// A date at token `i`: `d/m/yyyy` or `yyyy-mm-dd`; returns it and the tokens used.
fn date_at(t: &[(usize, Tok)], i: usize) -> Option<(NaiveDate, usize)> {
    let num = |k: usize| match t.get(k) {
        Some((_, Tok::Num(n, w))) => Some((*n, *w)),
        _ => None,
    };
    let sym = |k: usize, c: char| matches!(t.get(k), Some((_, Tok::Sym(x))) if *x == c);
    let (a, aw) = num(i)?;
    if aw <= 2 && sym(i + 1, '/') && sym(i + 3, '/') {
        let (b, bw) = num(i + 2)?;
        let (y, yw) = num(i + 4)?;
        return (bw <= 2 && yw == 4).then(|| NaiveDate::from_ymd_opt(y as i32, b, a).map(|d| (d, 5)))?;
    }
    if aw == 4 && sym(i + 1, '-') && sym(i + 3, '-') {
        let (m, _) = num(i + 2)?;
        let (d, _) = num(i + 4)?;
        return NaiveDate::from_ymd_opt(a as i32, m, d).map(|x| (x, 5));
    }
    None
}

/// A month at token `i` ("tháng" then 1-2 digits, then `/yyyy` or `năm yyyy`): (month, year if written).
fn month_at(t: &[(usize, Tok)], i: usize) -> Option<(u32, Option<i32>)> {
    if t.get(i).map(|x| &x.1) != Some(&Tok::Word("tháng".into())) {
        return None;
    }
    let Some((_, Tok::Num(m, w))) = t.get(i + 1) else {
        return None;
    };
    if *w > 2 || !(1..=12).contains(m) {
        return None;
    }
    let year = match (t.get(i + 2).map(|x| &x.1), t.get(i + 3).map(|x| &x.1)) {
        (Some(Tok::Sym('/')), Some(Tok::Num(y, 4))) => Some(*y as i32),
        (Some(Tok::Word(w)), Some(Tok::Num(y, 4))) if w == "năm" => Some(*y as i32),
        _ => None,
    };
    Some((*m, year))
}

/// First day of a period.
fn first_day(p: Period) -> NaiveDate {
    NaiveDate::from_ymd_opt(p.year(), p.month_range().0 as u32, 1).unwrap_or_default()
}

/// Whether a month named in the text is before the period (same months last year excepted).
fn month_is_stale(period: Period, month: u32, year: Option<i32>) -> bool {
    let (first, last) = period.month_range();
    let y = year.unwrap_or(period.year());
    let in_range = (first as u32..=last as u32).contains(&month);
    if y == period.year() - 1 && in_range {
        return false;
    }
    (y, month) < (period.year(), first as u32)
}

/// Whether an event's months and the period's months meet.
fn in_season(period: Period, months: &[u32]) -> bool {
    let (a, b) = period.month_range();
    (a as u32..=b as u32).any(|m| months.contains(&m))
}

/// The stale things on one line of narrative for `period`.
pub fn scan_line(line: &str, period: Period) -> Vec<Hit> {
    let t = tokens(line);
    let mut hits = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if let Some((d, used)) = date_at(&t, i) {
            hits.extend(date_hit(&t, i, d, period));
            i += used;
            continue;
        }
        if let Some((m, y)) = month_at(&t, i) {
            if month_is_stale(period, m, y) {
                let text = match y {
                    Some(y) => format!("tháng {m:02}/{y}"),
                    None => format!("tháng {m:02}"),
                };
                hits.push(Hit {
                    column: t[i].0,
                    text,
                    reason: StaleReason::MonthBefore { period }.to_string(),
                });
            }
            i += 2;
            continue;
        }
        hits.extend(event_at(&t, i, period));
        i += 1;
    }
    hits
}

/// Whether the date at token `i` is a document's date: `ngày` before it and a
/// reference such as `03/CT-BYT` or `05-CTr/TU` (a `/` then letters) shortly before that.
fn is_document_date(t: &[(usize, Tok)], i: usize) -> bool {
    i >= 1
        && t[i - 1].1 == Tok::Word("ngày".into())
        && (i.saturating_sub(8)..i - 1).any(|k| t[k].1 == Tok::Sym('/') && matches!(t.get(k + 1), Some((_, Tok::Word(_)))))
}

/// A date of another period: a document's date before the previous period,
/// any other date before the period itself.
fn date_hit(t: &[(usize, Tok)], i: usize, d: NaiveDate, period: Period) -> Option<Hit> {
    let text = d.format("%d/%m/%Y").to_string();
    let reason = if is_document_date(t, i) {
        // Documents of earlier years are standing policy; this year's, before the previous period, are stale.
        let limit = first_day(period.previous());
        (d < limit && d.year() == period.year()).then(|| StaleReason::OldDocument {
            previous: period.previous(),
            limit,
        })?
    } else {
        (d < first_day(period)).then_some(StaleReason::DateBefore { period })?
    };
    Some(Hit {
        column: t[i].0,
        text,
        reason: reason.to_string(),
    })
}

/// A seasonal event at token `i` outside its season.
fn event_at(t: &[(usize, Tok)], i: usize, period: Period) -> Option<Hit> {
    let Tok::Word(w) = &t[i].1 else { return None };
    let next = match t.get(i + 1) {
        Some((_, Tok::Word(n))) => n.as_str(),
        _ => "",
    };
    let (_, _, months) = EVENTS.iter().find(|(a, b, _)| a == w && (b.is_empty() || *b == next))?;
    if in_season(period, months) {
        return None;
    }
    let text = if EVENTS.iter().any(|(a, b, _)| a == w && !b.is_empty() && *b == next) {
        format!("{w} {next}")
    } else {
        w.clone()
    };
    Some(Hit {
        column: t[i].0,
        text,
        reason: StaleReason::OutOfSeason {
            months: months.to_vec(),
            period,
        }
        .to_string(),
    })
}

/// The narrative part of a line: template comments (`{# … #}`) and, in mau.toml, `# …` comments removed.
fn narrative(line: &str, toml: bool) -> String {
    if toml {
        return line.split('#').next().unwrap_or_default().to_string();
    }
    crate::archive::textdiff::without_spans(line, "{#", "#}")
}

/// Scans one file's text; findings name `shown` and the line.
pub fn scan_file(text: &str, shown: &Path, period: Period, toml: bool, findings: &mut Findings) {
    for (n, line) in text.lines().enumerate() {
        if line.contains(MARKER) {
            continue;
        }
        let mut hits = scan_line(&narrative(line, toml), period);
        if toml && line.trim_start().starts_with("ngay") {
            hits.extend(signing_date(&narrative(line, true), period));
        }
        for h in hits {
            findings.push(
                Severity::Warning,
                Location::at(shown, n + 1, Some(h.column)),
                None,
                Problem::Stale {
                    text: h.text,
                    reason: h.reason,
                },
            );
        }
    }
}

/// mau.toml's `ngay = "2026-02-25"` before the period starts.
fn signing_date(line: &str, period: Period) -> Option<Hit> {
    let t = tokens(line);
    let i = (0..t.len()).find(|&i| date_at(&t, i).is_some())?;
    let (d, _) = date_at(&t, i)?;
    let start = first_day(period);
    (d < start && d >= first_day(period.previous())).then(|| Hit {
        column: t[i].0,
        text: d.format("%d/%m/%Y").to_string(),
        reason: StaleReason::SignedBefore { period }.to_string(),
    })
}

/// The narrative files of a report type for a period: mau.toml, then each
/// fragment (the period's override replacing the report type's own).
pub fn narrative_files(report_dir: &Path, override_dir: &Path) -> Vec<PathBuf> {
    let list = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        v.sort();
        v
    };
    let own = list(override_dir);
    let mut files = vec![report_dir.join(crate::base::manifest::FILE_NAME)];
    files.extend(
        list(report_dir)
            .into_iter()
            .filter(|p| !own.iter().any(|o| o.file_name() == p.file_name())),
    );
    files.extend(own);
    files
}

/// Runs the check over a report type's narrative; paths are shown relative to `root`.
pub fn check_report(root: &Path, report_dir: &Path, override_dir: &Path, period: Period, findings: &mut Findings) {
    for f in narrative_files(report_dir, override_dir) {
        let Ok(text) = crate::base::folders::read_to_string(&f) else {
            continue;
        };
        let shown = f.strip_prefix(root).unwrap_or(&f);
        let toml = f.extension().is_some_and(|x| x == "toml");
        scan_file_again(text, shown, period, toml, findings);
    }
}

/// Files scanned at most (a report type has a few dozen fragments).
const MAX_SCANNED: usize = 512;

/// What a file's text gave for a period, by its shown name, period and kind.
type Scanned = std::sync::Mutex<std::collections::HashMap<(PathBuf, Period, bool), (String, Vec<crate::error::Finding>)>>;

/// [`scan_file`], remembering what each text gave: the preview scans the same
/// unchanged fragments after every saved figure. Exact (the text itself is
/// compared); at most [`MAX_SCANNED`] files kept (cleared when full).
fn scan_file_again(text: String, shown: &Path, period: Period, toml: bool, findings: &mut Findings) {
    static SCANNED: std::sync::OnceLock<Scanned> = std::sync::OnceLock::new();
    let cache = SCANNED.get_or_init(Default::default);
    let key = (shown.to_path_buf(), period, toml);
    if let Some((kept, found)) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        if *kept == text {
            findings.0.extend(found.iter().cloned());
            return;
        }
    }
    let mut found = Findings::default();
    scan_file(&text, shown, period, toml, &mut found);
    findings.0.extend(found.0.iter().cloned());
    let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
    if c.len() >= MAX_SCANNED && !c.contains_key(&key) {
        c.clear();
    }
    c.insert(key, (text, found.0));
}

/// The check for one render or `check`: skipped for one-off documents
/// (`loai_ky = "rieng"`: plans and programmes cite their own history).
pub fn check_request(
    project: &crate::base::folders::Folders,
    req: &crate::base::request::Request,
    manifest: &crate::base::manifest::Manifest,
    findings: &mut Findings,
) {
    if manifest.period_kind == crate::base::manifest::PeriodKind::Own {
        return;
    }
    let report_dir = project.report_dir(&req.report);
    let override_dir = project.data_dir().join(req.period.to_string()).join(&req.report);
    check_report(&project.root, &report_dir, &override_dir, req.period, findings);
}

/// A sentence of a fragment that still carries another period's dates or
/// events: where it starts (1-based line and char column, for the page to
/// jump to), its text as written, and every stale thing in it.
#[derive(Debug, Clone, PartialEq)]
pub struct StaleSentence {
    /// Shown path of the fragment file (the period's own copy or the template).
    pub file: PathBuf,
    /// The fragment's name (file stem).
    pub fragment: String,
    pub line: usize,
    pub column: usize,
    pub sentence: String,
    /// Each stale thing: its line, and the hit (column, text, reason).
    pub hits: Vec<(usize, Hit)>,
}

/// A sentence's span in a text: start and end (line, column), and its words.
#[derive(Debug, Clone, Default)]
struct Span {
    start: (usize, usize),
    end: (usize, usize),
    text: String,
}

/// The sentences of a fragment's source: cut after `.`, `;` or `:` before a
/// space or the line's end, at blank lines and before `- ` items.
fn sentence_spans(text: &str) -> Vec<Span> {
    let (mut out, mut cur): (Vec<Span>, Option<Span>) = (Vec::new(), None);
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with("- ") {
            out.extend(cur.take());
        }
        let chars: Vec<char> = line.chars().collect();
        for (k, &c) in chars.iter().enumerate() {
            let at = (n + 1, k + 1);
            let span = cur.get_or_insert_with(|| Span {
                start: at,
                ..Span::default()
            });
            if span.text.is_empty() && c.is_whitespace() {
                cur = None;
                continue;
            }
            span.text.push(c);
            span.end = at;
            let next_blank = chars.get(k + 1).is_none_or(|x| x.is_whitespace());
            if matches!(c, '.' | ';' | ':') && next_blank && !crate::archive::textdiff::is_item_number(&span.text) {
                out.extend(cur.take());
            }
        }
        if let Some(span) = cur.as_mut() {
            span.text.push(' ');
        }
    }
    out.extend(cur);
    for s in &mut out {
        s.text = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}

/// The sentences of one fragment's text that carry stale things for `period`
/// (lines holding [`MARKER`] and template comments are not read).
pub fn stale_sentences(text: &str, shown: &Path, period: Period) -> Vec<StaleSentence> {
    let spans = sentence_spans(text);
    let fragment = shown.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    let mut out: Vec<StaleSentence> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.contains(MARKER) {
            continue;
        }
        for h in scan_line(&narrative(line, false), period) {
            let at = (n + 1, h.column);
            let Some(span) = spans.iter().find(|s| s.start <= at && at <= s.end) else {
                continue;
            };
            match out.iter_mut().find(|x| (x.line, x.column) == span.start) {
                Some(x) => x.hits.push((n + 1, h)),
                None => out.push(StaleSentence {
                    file: shown.to_path_buf(),
                    fragment: fragment.clone(),
                    line: span.start.0,
                    column: span.start.1,
                    sentence: span.text.clone(),
                    hits: vec![(n + 1, h)],
                }),
            }
        }
    }
    out
}

/// The stale sentences of every fragment a report and period is rendered from
/// (the period's own copies replacing the templates); paths shown relative to `root`.
pub fn report_sentences(root: &Path, report_dir: &Path, override_dir: &Path, period: Period) -> Vec<StaleSentence> {
    let mut out = Vec::new();
    for f in narrative_files(report_dir, override_dir) {
        if f.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let Ok(text) = crate::base::folders::read_to_string(&f) else {
            continue;
        };
        out.extend(stale_sentences(&text, f.strip_prefix(root).unwrap_or(&f), period));
    }
    out
}

/// The first date written in an indicator name (`lũy kế đến 15/02/2026`), as written.
pub fn date_in_name(name: &str) -> Option<String> {
    let t = tokens(name);
    for i in 0..t.len() {
        if let Some((d, _)) = date_at(&t, i) {
            return Some(d.format("%d/%m/%Y").to_string());
        }
        if let Some((m, Some(y))) = month_at(&t, i) {
            return Some(format!("tháng {m:02}/{y}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn march() -> Period {
        "2026-03".parse().unwrap()
    }

    #[test]
    fn a_text_scanned_again_gives_the_same_findings_and_a_changed_one_its_own() {
        let shown = Path::new("templates/x-scan-again/mo-dau.txt");
        let scan = |text: &str| {
            let mut f = Findings::default();
            scan_file_again(text.to_string(), shown, march(), false, &mut f);
            f.0.iter().map(|x| x.to_string()).collect::<Vec<_>>()
        };
        let old = "trong tháng 02 năm 2026\n";
        let first = scan(old);
        assert_eq!(first.len(), 1, "{first:?}");
        assert_eq!(scan(old), first, "the kept findings, said again");
        assert!(scan("trong tháng 03 năm 2026\n").is_empty(), "the new text, scanned");
        assert_eq!(scan(old), first);
    }

    #[test]
    fn old_dates_months_documents_and_events_in_march() {
        let hits = scan_line("lũy kế đến ngày 04/02/2026 và trong tháng 02", march());
        let texts: Vec<(String, usize)> = hits.iter().map(|h| (h.text.clone(), h.column)).collect();
        assert_eq!(texts, [("04/02/2026".to_string(), 17), ("tháng 02".to_string(), 37)]);
        assert_eq!(
            scan_line("Công văn số 1766/BTC-NSNN ngày 11/02/2026", march()),
            [],
            "a document of the previous month"
        );
        let line = "theo Chỉ thị số 03/CT-BYT ngày 28/01/2026 đón Tết Nguyên đán";
        let h = scan_line(line, march());
        assert_eq!(h.len(), 2, "{h:?}");
        let col = line[..line.find("28/01").unwrap()].chars().count() + 1;
        assert_eq!((h[0].text.as_str(), h[0].column), ("28/01/2026", col));
        assert!(h[0].reason.contains("văn bản"), "{}", h[0].reason);
        assert_eq!(h[1].text, "tết");
    }

    #[test]
    fn the_period_itself_last_year_and_future_are_fine() {
        let feb: Period = "2026-02".parse().unwrap();
        for ok in [
            "đến ngày 15/02/2026 đạt",
            "so với tháng 02/2025",
            "trong tháng 3 tới",
            "Tết Nguyên đán Bính Ngọ",
            "Nghị quyết số 01/NQ-CP ngày 08/01/2026",
            "Nghị quyết số 57-NQ/TW ngày 22/12/2024",
            "3 tháng đầu năm",
            "{{ \"2026-02-01\" | ngay }}",
        ] {
            assert!(scan_line(ok, feb).is_empty(), "{ok}: {:?}", scan_line(ok, feb));
        }
        assert_eq!(scan_line("Tết trồng cây", march()), []);
    }

    #[test]
    fn marker_and_comments_silence() {
        let mut f = Findings::default();
        let text = "a 01/01/2026 {# giu-nguyen #}\nb {# 01/01/2026 #}\nc 02/01/2026\n";
        scan_file(text, Path::new("x.txt"), march(), false, &mut f);
        assert_eq!(f.0.len(), 1);
        assert_eq!(f.0[0].location, Location::at("x.txt", 3, Some(3)));
    }

    #[test]
    fn stale_sentences_name_their_place() {
        let text = "Mở đầu đúng kỳ.\nLũy kế đến ngày 15/02/2026 đạt 5 tỷ,\n  tăng so với tháng 02; còn lại.\n\n- Đón Tết Nguyên đán: xong. {# giu-nguyen #}\n- Tết Nguyên đán vui.\n";
        let got = stale_sentences(text, Path::new("data/2026-03/bao-cao-thang/nhiem-vu.txt"), march());
        let brief: Vec<_> = got.iter().map(|s| (s.line, s.column, s.sentence.as_str(), s.hits.len())).collect();
        assert_eq!(
            brief,
            [
                (2, 1, "Lũy kế đến ngày 15/02/2026 đạt 5 tỷ, tăng so với tháng 02;", 2),
                (6, 1, "- Tết Nguyên đán vui.", 1),
            ]
        );
        assert_eq!(got[0].fragment, "nhiem-vu");
        assert_eq!((got[0].hits[1].0, got[0].hits[1].1.text.as_str()), (3, "tháng 02"));
    }

    #[test]
    fn dated_indicator_names() {
        assert_eq!(date_in_name("Tổng thu (lũy kế đến 15/02/2026)").as_deref(), Some("15/02/2026"));
        assert_eq!(date_in_name("Thu tháng 02/2026").as_deref(), Some("tháng 02/2026"));
        assert_eq!(date_in_name("Tổng thu ngân sách"), None);
    }

    #[test]
    fn checklist_has_every_rule() {
        let c = checklist();
        assert_eq!(c.lines().count(), RULES.len());
    }
}
