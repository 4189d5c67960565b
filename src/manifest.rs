//! A report type's manifest, `templates/<report>/mau.toml`: everything that
//! differs between report types, typed, with unknown fields refused.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The manifest's file name inside a report type folder.
pub const FILE_NAME: &str = "mau.toml";

/// Document style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
pub enum Style {
    /// State administrative document (Nghị định 30/2020/NĐ-CP).
    #[default]
    #[serde(rename = "hanh-chinh")]
    Administrative,
    /// Party document (Hướng dẫn 36-HD/VPTW).
    #[serde(rename = "dang")]
    Party,
}

/// Which periods a report type is made for (used by `render --all`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
pub enum PeriodKind {
    #[default]
    #[serde(rename = "thang")]
    Month,
    #[serde(rename = "quy")]
    Quarter,
    #[serde(rename = "6-thang")]
    HalfYear,
    #[serde(rename = "9-thang")]
    NineMonths,
    #[serde(rename = "nam")]
    Year,
    /// Only the periods that have a folder for it (data/<period>/<report>/): plans, programmes.
    #[serde(rename = "rieng")]
    Own,
}

/// One section in document order.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Heading level: 1 -> "I.", 2 -> "1.", 3 -> "a)"; none = no heading.
    #[serde(default)]
    pub cap: Option<u8>,
    /// Heading text (minijinja allowed), without its number.
    #[serde(default)]
    pub tieu_de: Option<String>,
    /// Fragment name (file `<doan>.txt`).
    #[serde(default)]
    pub doan: Option<String>,
}

/// One column of an appendix table.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Header text.
    pub ten: String,
    /// Group header above it ("Năm" over 2026..2030); consecutive equal groups merge.
    #[serde(default)]
    pub nhom: String,
    /// Relative width.
    #[serde(default = "one")]
    pub rong: f64,
    /// Numbers: right-aligned, Vietnamese format.
    #[serde(default)]
    pub so: bool,
}

fn one() -> f64 {
    1.0
}

/// An appendix (Phụ lục) with a table filled from CSV.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Appendix {
    /// Its number: "I", "II".
    pub so: String,
    /// Title lines (capitals).
    pub tieu_de: Vec<String>,
    /// "(Kèm theo ...)" line, without parentheses; minijinja allowed.
    #[serde(default)]
    pub kem_theo: String,
    /// Table file stem: data/<period>/<report>/<bang>.csv, else templates/<report>/<bang>.csv.
    pub bang: String,
    /// Landscape page for wide tables.
    #[serde(default)]
    pub ngang: bool,
    pub cot: Vec<Column>,
    /// Assess a target column against a result column (Đạt / Không đạt / Vượt), in an added column.
    #[serde(default)]
    pub danh_gia: Option<AppendixAssessment>,
}

/// An appendix's target column assessed against one of its result columns.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AppendixAssessment {
    /// Header of the added column.
    pub ten: String,
    /// 1-based column of the targets ("≥ 80", "25", "Trong nhóm ...").
    pub cot_chi_tieu: usize,
    /// 1-based column of the figures assessed.
    pub cot_ket_qua: usize,
    /// Which way is better: "cao" (default) or "thap".
    #[serde(default)]
    pub huong: crate::target::Direction,
    /// Relative width of the added column.
    #[serde(default = "one")]
    pub rong: f64,
}

/// A column of the indicator table, by what it shows.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
pub enum TableColumn {
    #[serde(rename = "chi_tieu")]
    Name,
    #[serde(rename = "don_vi")]
    Unit,
    #[serde(rename = "ke_hoach")]
    Plan,
    #[serde(rename = "thuc_hien")]
    Value,
    #[serde(rename = "luy_ke")]
    Cumulative,
    #[serde(rename = "so_ke_hoach")]
    PercentOfPlan,
    #[serde(rename = "so_cung_ky")]
    PercentOfPrior,
    #[serde(rename = "danh_gia")]
    Assessment,
}

/// A group of rows of the indicator table (I, II, ...).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IndicatorGroup {
    /// Group title ("Sản xuất công nghiệp").
    pub ten: String,
    /// "linh_vuc" (a whole sector), "linh_vuc.ma" (one indicator) or "*" (every
    /// indicator of the plan file not listed elsewhere).
    pub chon: Vec<String>,
}

/// What a chart shows.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default)]
pub enum ChartKind {
    /// The months of the year to date against the same months of last year.
    #[default]
    #[serde(rename = "cung-ky")]
    SamePeriod,
    /// The cumulative value month by month against the annual plan.
    #[serde(rename = "luy-ke")]
    CumulativePlan,
}

/// A chart of a monthly series, drawn after the indicator table.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChartSpec {
    /// Title without its number ("Giá trị sản xuất công nghiệp").
    pub tieu_de: String,
    /// "linh_vuc.ma".
    pub chi_tieu: String,
    #[serde(default)]
    pub kieu: ChartKind,
    /// Source line; empty = "Nguồn: số liệu các tháng (data/...)".
    #[serde(default)]
    pub nguon: String,
}

/// The indicator table (Biểu chỉ tiêu chủ yếu) generated from the period's figures.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IndicatorTable {
    /// Appendix number ("I").
    pub so: String,
    pub tieu_de: Vec<String>,
    /// "(Kèm theo ...)" line; minijinja allowed.
    #[serde(default)]
    pub kem_theo: String,
    /// Plan file stem: data/<period>/<report>/<ke_hoach>.csv, else templates/<report>/<ke_hoach>.csv
    /// (columns linh_vuc, ma, ke_hoach; optional huong, danh_gia_theo).
    #[serde(default = "default_plan_file")]
    pub ke_hoach: String,
    /// Columns after TT; empty = all eight.
    #[serde(default)]
    pub cot: Vec<TableColumn>,
    pub nhom: Vec<IndicatorGroup>,
    /// Charts drawn after the table.
    #[serde(default)]
    pub bieu_do: Vec<ChartSpec>,
    /// Also write the table as .xlsx beside the PDF.
    #[serde(default = "yes")]
    pub xlsx: bool,
}

fn default_plan_file() -> String {
    "ke-hoach-nam".into()
}

fn yes() -> bool {
    true
}

/// The manifest of a report type.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(default)]
    pub kieu: Style,
    pub loai_van_ban: String,
    pub ky_hieu: String,
    #[serde(default)]
    pub so: String,
    #[serde(default)]
    pub co_quan_chu_quan: String,
    pub co_quan: Vec<String>,
    /// Empty = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (administrative) or "ĐẢNG CỘNG SẢN VIỆT NAM" (Party).
    #[serde(default)]
    pub quoc_hieu: String,
    /// Empty = "Độc lập - Tự do - Hạnh phúc" (administrative only).
    #[serde(default)]
    pub tieu_ngu: String,
    pub dia_danh: String,
    /// Signing date "YYYY-MM-DD"; empty = day left blank (draft).
    #[serde(default)]
    pub ngay: String,
    pub trich_yeu: Vec<String>,
    #[serde(default)]
    pub noi_nhan: Vec<String>,
    pub quyen_han: Vec<String>,
    pub nguoi_ky: String,
    pub muc: Vec<Section>,
    #[serde(default)]
    pub phu_luc: Vec<Appendix>,
    /// Periods the report is made for: thang, quy, 6-thang, 9-thang, nam, rieng.
    #[serde(default)]
    pub loai_ky: PeriodKind,
    /// For quarter/half-year/year reports: estimate a missing last month (ước đạt).
    #[serde(default)]
    pub uoc_tinh_thang_cuoi: bool,
    /// Heading number patterns per level, e.g. ["I.", "1.", "a)"] (default) or
    /// ["I-", "1.", "1.1."]: `I` Roman, `1` Arabic, `a` letter, `1.1` parent.child.
    #[serde(default)]
    pub danh_so: Vec<String>,
    /// Format rules this report type relaxes, each with its reason
    /// (`[[noi_long]] quy_tac = "thut-dau-dong"`, `ly_do = "..."`).
    #[serde(default, rename = "noi_long")]
    pub relaxed: Vec<RelaxedRule>,
    /// The indicator table appended after the appendices (Biểu chỉ tiêu chủ yếu).
    #[serde(default)]
    pub bieu_chi_tieu: Option<IndicatorTable>,
}

/// A format rule a report type does not follow, and why.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RelaxedRule {
    /// The rule's code (see `layout_check::LayoutRule::code`).
    #[serde(rename = "quy_tac")]
    pub rule: String,
    /// Why the rule is relaxed (required).
    #[serde(rename = "ly_do", default)]
    pub reason: String,
}

impl Manifest {
    /// Parses manifest text; `shown` names the file in messages.
    pub fn parse(text: &str, shown: &Path) -> Result<Manifest> {
        let m: Manifest = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let detail = translate_toml(e.message());
            Error::Manifest {
                file: shown.to_path_buf(),
                detail: match line {
                    Some(l) => format!("dòng {l}: {detail}"),
                    None => detail,
                },
            }
        })?;
        m.validate(shown)?;
        Ok(m)
    }

    /// Reads and parses `dir/mau.toml`.
    pub fn load(dir: &Path, shown: &Path) -> Result<Manifest> {
        let path = dir.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io("đọc", shown, e))?;
        Self::parse(&text, shown)
    }

    fn validate(&self, shown: &Path) -> Result<()> {
        let bad = |detail: String| {
            Err(Error::Manifest {
                file: shown.to_path_buf(),
                detail,
            })
        };
        for r in &self.relaxed {
            if crate::layout_check::LayoutRule::from_code(&r.rule).is_none() {
                let codes: Vec<&str> = crate::layout_check::LayoutRule::ALL.iter().map(|r| r.code()).collect();
                return bad(format!(
                    "[[noi_long]]: không có quy tắc thể thức \"{}\"; các quy tắc: {}",
                    r.rule,
                    codes.join(", ")
                ));
            }
            if r.reason.trim().is_empty() {
                return bad(format!("[[noi_long]] quy_tac = \"{}\": cần ghi lý do (ly_do = \"...\")", r.rule));
            }
        }
        if !self.ngay.is_empty() && chrono::NaiveDate::parse_from_str(&self.ngay, "%Y-%m-%d").is_err() {
            return bad(format!("trường \"ngay\" = \"{}\" không phải ngày dạng 2026-02-25", self.ngay));
        }
        if self.danh_so.len() > 3
            || self
                .danh_so
                .iter()
                .any(|p| !["I", "1", "a", "1.1"].iter().any(|t| p.starts_with(t)))
        {
            return bad("trường \"danh_so\": tối đa 3 mẫu, mỗi mẫu bắt đầu bằng I, 1, a hoặc 1.1 (vd. [\"I.\", \"1.\", \"a)\"])".into());
        }
        for (i, s) in self.muc.iter().enumerate() {
            if let Some(c) = s.cap {
                if !(1..=3).contains(&c) {
                    return bad(format!("mục thứ {}: \"cap\" = {c}; chỉ dùng 1, 2 hoặc 3", i + 1));
                }
                if s.tieu_de.is_none() {
                    return bad(format!("mục thứ {}: có \"cap\" nhưng thiếu \"tieu_de\"", i + 1));
                }
            }
            if s.cap.is_none() && s.tieu_de.is_some() {
                return bad(format!(
                    "mục thứ {}: có \"tieu_de\" nhưng thiếu \"cap\" (1, 2 hoặc 3) nên tiêu đề không được in",
                    i + 1
                ));
            }
            if s.doan.is_none() && s.tieu_de.is_none() {
                return bad(format!("mục thứ {}: cần ít nhất \"tieu_de\" hoặc \"doan\"", i + 1));
            }
            if let Some(d) = &s.doan {
                if !is_fragment_name(d) {
                    return bad(format!(
                        "mục thứ {}: tên đoạn \"{d}\" chỉ được gồm chữ thường không dấu, chữ số, '-' và '_'",
                        i + 1
                    ));
                }
            }
        }
        Ok(())
    }

    /// The national title or, for Party documents, "ĐẢNG CỘNG SẢN VIỆT NAM".
    pub fn national_title(&self) -> &str {
        match (self.quoc_hieu.as_str(), self.kieu) {
            ("", Style::Party) => "ĐẢNG CỘNG SẢN VIỆT NAM",
            ("", Style::Administrative) => "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            (q, _) => q,
        }
    }

    /// The motto under the national title (none for Party documents).
    pub fn motto(&self) -> &str {
        match (self.tieu_ngu.as_str(), self.kieu) {
            ("", Style::Administrative) => "Độc lập - Tự do - Hạnh phúc",
            (t, _) => t,
        }
    }

    /// The signing date, if set.
    pub fn date(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(&self.ngay, "%Y-%m-%d").ok()
    }
}

/// Fragment names are plain file stems: no path separators, no dots.
pub fn is_fragment_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Puts serde/toml's English messages into Vietnamese for the common cases.
fn translate_toml(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!("trường \"{field}\" không được biết (viết sai tên?)");
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!("thiếu trường bắt buộc \"{field}\"");
    }
    format!("tệp TOML không hợp lệ: {}", msg.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"
loai_van_ban = "BÁO CÁO"
ky_hieu = "BC-UBND"
co_quan = ["ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU"]
dia_danh = "Lai Châu"
trich_yeu = ["a"]
quyen_han = ["TM. ỦY BAN NHÂN DÂN"]
nguoi_ky = "X"
[[muc]]
doan = "mo-dau"
"#;

    #[test]
    fn parses_minimal() {
        let m = Manifest::parse(OK, Path::new("mau.toml")).unwrap();
        assert_eq!(m.kieu, Style::Administrative);
        assert_eq!(m.national_title(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    }

    #[test]
    fn unknown_and_missing_fields_are_named() {
        let e = Manifest::parse(&format!("{OK}\nmau_chu = 1\n"), Path::new("t/mau.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t/mau.toml: dòng"), "{e}");
        assert!(e.contains("trường \"mau_chu\" không được biết"), "{e}");
        let e = Manifest::parse(&OK.replace("nguoi_ky = \"X\"", ""), Path::new("t/mau.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("thiếu trường bắt buộc \"nguoi_ky\""), "{e}");
        let e = Manifest::parse("loai_van_ban = ", Path::new("t/mau.toml")).unwrap_err().to_string();
        assert!(e.contains("dòng 1: tệp TOML không hợp lệ"), "{e}");
    }
}
