//! Words for people: how the page and the console name periods ("tháng 3/2026"),
//! times ("19:00 ngày 05/12/2026", local time), report types (the title the
//! first comment line of their mau.toml gives), fragments (their section's
//! heading in mau.toml) and sectors (`data/linh-vuc.toml`, `y_te = "Y tế"`).
//!
//! Headings are rendered for the period through [`crate::wording::period_title`].
//! Every function falls back to the slug or the raw text it was given rather
//! than fail: a name is never lost, at worst shown as stored. Nothing here
//! writes a file.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, Timelike};

use crate::base::manifest::Manifest;
use crate::base::period::{month_label, roman, Period};
use crate::error::Words;

/// The file of sector titles, in the data folder (`y_te = "Y tế"`).
pub const SECTOR_TITLES_FILE: &str = "linh-vuc.toml";

/// A period as people say it: "tháng 3/2026", "tháng 02/2026", "quý I/2026",
/// "6 tháng đầu năm 2026", "9 tháng đầu năm 2026", "năm 2026".
pub fn period(p: Period) -> String {
    match p {
        Period::Month { year, month } => Words::Month {
            month: month_label(month),
            year,
        },
        Period::Quarter { year, quarter } => Words::Quarter {
            quarter: roman(quarter as u32),
            year,
        },
        Period::HalfYear { year } => Words::HalfYear { year },
        Period::SecondHalf { year } => Words::SecondHalf { year },
        Period::NineMonths { year } => Words::NineMonths { year },
        Period::Year { year } => Words::Year { year },
    }
    .to_string()
}

/// A period folder name as people say it ("2026-03" -> "tháng 3/2026"); other text as it is.
pub fn period_name(slug: &str) -> String {
    slug.parse::<Period>().map_or_else(|_| slug.to_string(), period)
}

/// The columns of a sector file as the figures page names them, by the name
/// the file gives them ("cung_ky" -> "Cùng kỳ").
pub const COLUMNS: [(&str, &str); 8] = [
    ("ma", "Mã"),
    ("ten", "Tên chỉ tiêu"),
    ("don_vi", "Đơn vị"),
    ("gia_tri", "Giá trị"),
    ("cung_ky", "Cùng kỳ"),
    ("du_toan_tw", "Dự toán TW"),
    ("du_toan_hdnd", "Dự toán HĐND"),
    ("ke_hoach", "Kế hoạch"),
];

/// A sector file's column as people name it; `None` for a column the page does not show.
pub fn column(name: &str) -> Option<&'static str> {
    COLUMNS.iter().find(|(n, _)| *n == name).map(|(_, title)| *title)
}

/// A stored time as people read it, in local time: "19:00 ngày 05/12/2026".
/// Takes RFC 3339 (`2026-12-05T19:00:22+00:00`, the logs and issue records) and
/// the versions' local `2026-12-05 19:00:22`; anything else is returned as it is.
pub fn time(stored: &str) -> String {
    let s = stored.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return format_local(t.with_timezone(&chrono::Local).naive_local());
    }
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return format_local(t);
        }
    }
    stored.to_string()
}

fn format_local(t: chrono::NaiveDateTime) -> String {
    Words::Time {
        hour: t.hour(),
        minute: t.minute(),
        day: t.day(),
        month: t.month(),
        year: t.year(),
    }
    .to_string()
}

/// A report type's title: the leading comment of its mau.toml up to the
/// first ':' or sentence end, without a closing parenthesis ("# Báo cáo
/// tháng: tình hình ..." -> "Báo cáo tháng"), else the document type
/// ("BÁO CÁO" -> "Báo cáo"), else the slug.
pub fn report_title(report_dir: &Path) -> String {
    let slug = report_dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let Ok(text) = crate::base::folders::read_to_string(report_dir.join(crate::base::manifest::FILE_NAME)) else {
        return slug;
    };
    let comment: Vec<&str> = text
        .lines()
        .map_while(|l| l.trim().strip_prefix('#'))
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect();
    let comment = comment.join(" ");
    if !comment.is_empty() {
        return title_of(&comment);
    }
    text.lines()
        .find_map(|l| l.trim().strip_prefix("loai_van_ban"))
        .and_then(|rest| rest.split('"').nth(1))
        .map(sentence_case)
        .unwrap_or(slug)
}

/// The title part of a description: up to ':' or ". ", a final "(...)" dropped.
fn title_of(text: &str) -> String {
    let end = [text.find(':'), text.find(". ")].into_iter().flatten().min().unwrap_or(text.len());
    let mut t = text[..end].trim().trim_end_matches('.').trim();
    if t.ends_with(')') {
        if let Some(open) = t.rfind(" (") {
            t = t[..open].trim();
        }
    }
    t.to_string()
}

/// "BÁO CÁO" -> "Báo cáo".
fn sentence_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut c = lower.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A fragment's title: the heading of the section that holds it in mau.toml,
/// rendered for `period` when given (else its template expressions removed),
/// trailing ':' removed ("Thương mại - dịch vụ");
/// a fragment without a heading (the opening) is named by its place
/// ("Đoạn mở đầu" for the first section); else the name.
pub fn fragment_title(manifest: &Manifest, fragment: &str, period: Option<Period>) -> String {
    let Some(i) = manifest.sections.iter().position(|s| s.fragment.as_deref() == Some(fragment)) else {
        return fragment.to_string();
    };
    let plain = |t: &str| {
        let rendered = period.and_then(|p| crate::wording::period_title(t, p));
        let plain = rendered.unwrap_or_else(|| crate::archive::textdiff::without_spans(t, "{{", "}}"));
        let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        plain.trim_end_matches(':').trim().to_string()
    };
    let section = &manifest.sections[i];
    match section.title.as_deref() {
        Some(t) => {
            let title = plain(t);
            // A title several sections share ("Công tác triển khai thực hiện") is
            // told apart by the heading it stands under ("Đối với Nghị quyết số 57-NQ/TW").
            let shared = manifest.sections.iter().filter(|s| s.title.as_deref() == Some(t)).count() > 1;
            let parent = manifest.sections[..i]
                .iter()
                .rev()
                .find(|s| s.level.is_some() && s.level < section.level)
                .and_then(|s| s.title.as_deref());
            match parent {
                Some(p) if shared => format!("{title} ({})", plain(p)),
                _ => title,
            }
        }
        None if i == 0 => Words::Opening.to_string(),
        None => fragment.to_string(),
    }
}

/// The sector titles of a project (`data/linh-vuc.toml`); empty when the file is missing or unreadable.
pub fn sector_titles(data_dir: &Path) -> BTreeMap<String, String> {
    crate::base::folders::read_to_string(data_dir.join(SECTOR_TITLES_FILE))
        .ok()
        .and_then(|t| toml::from_str::<BTreeMap<String, String>>(&t).ok())
        .unwrap_or_default()
}

/// A sector's title ("y_te" -> "Y tế"), else its name.
pub fn sector_title(titles: &BTreeMap<String, String>, sector: &str) -> String {
    titles.get(sector).cloned().unwrap_or_else(|| sector.to_string())
}

/// The names one report type's pages need: its sector titles and its mau.toml (for fragment titles).
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub sectors: BTreeMap<String, String>,
    pub manifest: Option<Manifest>,
    /// The period headings are rendered for.
    pub period: Option<Period>,
}

impl Names {
    /// The names of a project's data folder and one report type's folder (an unreadable mau.toml gives none).
    pub fn load(data_dir: &Path, report_dir: &Path, period: Period) -> Names {
        Names {
            sectors: sector_titles(data_dir),
            manifest: Manifest::load(report_dir, Path::new(crate::base::manifest::FILE_NAME)).ok(),
            period: Some(period),
        }
    }

    /// A sector's title, else its name.
    pub fn sector(&self, sector: &str) -> String {
        sector_title(&self.sectors, sector)
    }

    /// A fragment's title, else its name.
    pub fn fragment(&self, fragment: &str) -> String {
        self.manifest
            .as_ref()
            .map_or_else(|| fragment.to_string(), |m| fragment_title(m, fragment, self.period))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_as_people_say_them() {
        let p = |s: &str| period(s.parse().unwrap());
        assert_eq!(p("2026-03"), "tháng 3/2026");
        assert_eq!(p("2026-02"), "tháng 02/2026");
        assert_eq!(p("2026-Q1"), "quý I/2026");
        assert_eq!(p("2026-H1"), "6 tháng đầu năm 2026");
        assert_eq!(p("2026-9T"), "9 tháng đầu năm 2026");
        assert_eq!(p("2026"), "năm 2026");
        assert_eq!(period_name("_mau"), "_mau");
    }

    #[test]
    fn times_in_local_time() {
        assert_eq!(time("2026-12-05 19:00:22"), "19:00 ngày 05/12/2026");
        let utc = "2026-12-05T19:00:22+00:00";
        let local = chrono::DateTime::parse_from_rfc3339(utc).unwrap().with_timezone(&chrono::Local);
        assert_eq!(time(utc), local.format("%H:%M ngày %d/%m/%Y").to_string());
        assert_eq!(time("hôm qua"), "hôm qua");
    }

    #[test]
    fn titles_of_the_shipped_templates_and_sectors() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(report_title(&root.join("templates/bao-cao-thang")), "Báo cáo tháng");
        assert_eq!(report_title(&root.join("templates/khong-co")), "khong-co");
        assert_eq!(
            report_title(&root.join("templates/nghi-quyet-tinh-uy")),
            "Nghị quyết của Ban Chấp hành Đảng bộ tỉnh (Tỉnh ủy Lai Châu) về phát triển giáo dục và đào tạo"
        );
        assert_eq!(
            report_title(&root.join("templates/ke-hoach")),
            "Kế hoạch của UBND tỉnh Lai Châu triển khai thực hiện Quyết định số 489/QĐ-TTg"
        );
        let dir = root.join("templates/bao-cao-thang");
        let m = Manifest::load(&dir, Path::new("mau.toml")).unwrap();
        assert_eq!(fragment_title(&m, "kinh-te-thuong-mai", None), "Thương mại - dịch vụ");
        assert_eq!(fragment_title(&m, "mo-dau", None), "Đoạn mở đầu");
        // A title several sections share names the heading it stands under.
        assert_eq!(
            fragment_title(&m, "nq57-trien-khai", None),
            "Công tác triển khai thực hiện (Đối với Nghị quyết số 57-NQ/TW)"
        );
        let march: Period = "2026-03".parse().unwrap();
        assert_eq!(
            fragment_title(&m, "nhiem-vu", Some(march)),
            format!("MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM TRONG {}", march.next().label().to_uppercase())
        );
        let titles = sector_titles(&root.join("data"));
        assert_eq!(sector_title(&titles, "y_te"), "Y tế");
        assert_eq!(sector_title(&titles, "khong_co"), "khong_co");
    }
}
