//! A report type's manifest, `templates/<report>/mau.toml`: everything that
//! differs between report types, typed, with unknown fields refused.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoAction, ManifestDetail, Result};

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
    #[serde(rename = "cap", default)]
    pub level: Option<u8>,
    /// Heading text (minijinja allowed), without its number.
    #[serde(rename = "tieu_de", default)]
    pub title: Option<String>,
    /// Fragment name (file `<doan>.txt`).
    #[serde(rename = "doan", default)]
    pub fragment: Option<String>,
}

/// One column of an appendix table.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Header text.
    #[serde(rename = "ten")]
    pub name: String,
    /// Group header above it ("Năm" over 2026..2030); consecutive equal groups merge.
    #[serde(rename = "nhom", default)]
    pub group: String,
    /// Relative width.
    #[serde(rename = "rong", default = "one")]
    pub width: f64,
    /// Numbers: right-aligned, Vietnamese format.
    #[serde(rename = "so", default)]
    pub numeric: bool,
}

fn one() -> f64 {
    1.0
}

/// An appendix (Phụ lục) with a table filled from CSV.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Appendix {
    /// Its number: "I", "II".
    #[serde(rename = "so")]
    pub number: String,
    /// Title lines (capitals).
    #[serde(rename = "tieu_de")]
    pub title: Vec<String>,
    /// "(Kèm theo ...)" line, without parentheses; minijinja allowed.
    #[serde(rename = "kem_theo", default)]
    pub enclosed_with: String,
    /// Table file stem: data/<period>/<report>/<bang>.csv, else templates/<report>/<bang>.csv.
    #[serde(rename = "bang")]
    pub table: String,
    /// Landscape page for wide tables.
    #[serde(rename = "ngang", default)]
    pub landscape: bool,
    #[serde(rename = "cot")]
    pub columns: Vec<Column>,
    /// Assess a target column against a result column (Đạt / Không đạt / Vượt), in an added column.
    #[serde(rename = "danh_gia", default)]
    pub assessment: Option<AppendixAssessment>,
}

/// An appendix's target column assessed against one of its result columns.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AppendixAssessment {
    /// Header of the added column.
    #[serde(rename = "ten")]
    pub name: String,
    /// 1-based column of the targets ("≥ 80", "25", "Trong nhóm ...").
    #[serde(rename = "cot_chi_tieu")]
    pub target_column: usize,
    /// 1-based column of the figures assessed.
    #[serde(rename = "cot_ket_qua")]
    pub result_column: usize,
    /// Which way is better: "cao" (default) or "thap".
    #[serde(rename = "huong", default)]
    pub direction: crate::figures::target::Direction,
    /// Relative width of the added column.
    #[serde(rename = "rong", default = "one")]
    pub width: f64,
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
    #[serde(rename = "ten")]
    pub name: String,
    /// "linh_vuc" (a whole sector), "linh_vuc.ma" (one indicator) or "*" (every
    /// indicator of the plan file not listed elsewhere).
    #[serde(rename = "chon")]
    pub select: Vec<String>,
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
    #[serde(rename = "tieu_de")]
    pub title: String,
    /// "linh_vuc.ma".
    #[serde(rename = "chi_tieu")]
    pub indicator: String,
    #[serde(rename = "kieu", default)]
    pub kind: ChartKind,
    /// Source line; empty = "Nguồn: số liệu các tháng (data/...)".
    #[serde(rename = "nguon", default)]
    pub source: String,
}

/// The indicator table (Biểu chỉ tiêu chủ yếu) generated from the period's figures.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IndicatorTable {
    /// Appendix number ("I").
    #[serde(rename = "so")]
    pub number: String,
    #[serde(rename = "tieu_de")]
    pub title: Vec<String>,
    /// "(Kèm theo ...)" line; minijinja allowed.
    #[serde(rename = "kem_theo", default)]
    pub enclosed_with: String,
    /// Plan file stem: data/<period>/<report>/<ke_hoach>.csv, else templates/<report>/<ke_hoach>.csv
    /// (columns linh_vuc, ma, ke_hoach; optional huong, danh_gia_theo).
    #[serde(rename = "ke_hoach", default = "default_plan_file")]
    pub plan_file: String,
    /// Columns after TT; empty = all eight.
    #[serde(rename = "cot", default)]
    pub columns: Vec<TableColumn>,
    #[serde(rename = "nhom")]
    pub groups: Vec<IndicatorGroup>,
    /// Charts drawn after the table.
    #[serde(rename = "bieu_do", default)]
    pub charts: Vec<ChartSpec>,
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
    #[serde(rename = "kieu", default)]
    pub style: Style,
    #[serde(rename = "loai_van_ban")]
    pub document_type: String,
    #[serde(rename = "ky_hieu")]
    pub code_notation: String,
    #[serde(rename = "so", default)]
    pub number: String,
    #[serde(rename = "co_quan_chu_quan", default)]
    pub parent_body: String,
    #[serde(rename = "co_quan")]
    pub issuing_body: Vec<String>,
    /// Empty = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (administrative) or "ĐẢNG CỘNG SẢN VIỆT NAM" (Party).
    #[serde(rename = "quoc_hieu", default)]
    pub national_title: String,
    /// Empty = "Độc lập - Tự do - Hạnh phúc" (administrative only).
    #[serde(rename = "tieu_ngu", default)]
    pub motto: String,
    #[serde(rename = "dia_danh")]
    pub place: String,
    /// Signing date "YYYY-MM-DD"; empty = day left blank (draft).
    #[serde(rename = "ngay", default)]
    pub date: String,
    #[serde(rename = "trich_yeu")]
    pub subject: Vec<String>,
    #[serde(rename = "noi_nhan", default)]
    pub recipients: Vec<String>,
    #[serde(rename = "quyen_han")]
    pub signing_authority: Vec<String>,
    #[serde(rename = "nguoi_ky")]
    pub signer: String,
    #[serde(rename = "muc")]
    pub sections: Vec<Section>,
    #[serde(rename = "phu_luc", default)]
    pub appendices: Vec<Appendix>,
    /// Periods the report is made for: thang, quy, 6-thang, 9-thang, nam, rieng.
    #[serde(rename = "loai_ky", default)]
    pub period_kind: PeriodKind,
    /// For quarter/half-year/year reports: estimate a missing last month (ước đạt).
    #[serde(rename = "uoc_tinh_thang_cuoi", default)]
    pub estimate_last_month: bool,
    /// Heading number patterns per level, e.g. ["I.", "1.", "a)"] (default) or
    /// ["I-", "1.", "1.1."]: `I` Roman, `1` Arabic, `a` letter, `1.1` parent.child.
    #[serde(rename = "danh_so", default)]
    pub numbering: Vec<String>,
    /// Format rules this report type relaxes, each with its reason
    /// (`[[noi_long]] quy_tac = "thut-dau-dong"`, `ly_do = "..."`).
    #[serde(default, rename = "noi_long")]
    pub relaxed: Vec<RelaxedRule>,
    /// The indicator table appended after the appendices (Biểu chỉ tiêu chủ yếu).
    #[serde(rename = "bieu_chi_tieu", default)]
    pub indicator_table: Option<IndicatorTable>,
}

/// A format rule a report type does not follow, and why.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RelaxedRule {
    /// The rule's code (see [`LayoutRule::code`]).
    #[serde(rename = "quy_tac")]
    pub rule: String,
    /// Why the rule is relaxed (required).
    #[serde(rename = "ly_do", default)]
    pub reason: String,
}

/// One rule of the format, with the code used in mau.toml to relax it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LayoutRule {
    PaperSize,
    Margins,
    BodySize,
    LinePitch,
    ParagraphSpacing,
    FirstLineIndent,
    PageNumber,
    HeaderElements,
    SignatureAlone,
    PageEndsWithHeading,
    BrokenCode,
    RuleThroughText,
    RaggedLine,
    TextOverCellRule,
    HeaderNameBroken,
    ShortPage,
    LoneLandscapeRow,
    FloatArtefact,
}

impl LayoutRule {
    /// Every rule, in the order they are checked.
    pub const ALL: [LayoutRule; 18] = [
        LayoutRule::PaperSize,
        LayoutRule::Margins,
        LayoutRule::BodySize,
        LayoutRule::LinePitch,
        LayoutRule::ParagraphSpacing,
        LayoutRule::FirstLineIndent,
        LayoutRule::PageNumber,
        LayoutRule::HeaderElements,
        LayoutRule::SignatureAlone,
        LayoutRule::PageEndsWithHeading,
        LayoutRule::BrokenCode,
        LayoutRule::RuleThroughText,
        LayoutRule::RaggedLine,
        LayoutRule::TextOverCellRule,
        LayoutRule::HeaderNameBroken,
        LayoutRule::ShortPage,
        LayoutRule::LoneLandscapeRow,
        LayoutRule::FloatArtefact,
    ];

    /// The code written in mau.toml (`quy_tac = "..."`).
    pub fn code(self) -> &'static str {
        match self {
            LayoutRule::PaperSize => "kho-giay",
            LayoutRule::Margins => "le-trang",
            LayoutRule::BodySize => "co-chu",
            LayoutRule::LinePitch => "dan-dong",
            LayoutRule::ParagraphSpacing => "cach-doan",
            LayoutRule::FirstLineIndent => "thut-dau-dong",
            LayoutRule::PageNumber => "so-trang",
            LayoutRule::HeaderElements => "dau-van-ban",
            LayoutRule::SignatureAlone => "chu-ky",
            LayoutRule::PageEndsWithHeading => "cuoi-trang",
            LayoutRule::BrokenCode => "ngat-ky-hieu",
            LayoutRule::RuleThroughText => "duong-ke",
            LayoutRule::RaggedLine => "can-deu",
            LayoutRule::TextOverCellRule => "tran-o",
            LayoutRule::HeaderNameBroken => "ngat-ten",
            LayoutRule::ShortPage => "trang-thieu",
            LayoutRule::LoneLandscapeRow => "trang-ngang-le",
            LayoutRule::FloatArtefact => "so-le",
        }
    }

    /// The rule for a mau.toml code.
    pub fn from_code(code: &str) -> Option<LayoutRule> {
        LayoutRule::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl Manifest {
    /// Parses manifest text; `shown` names the file in messages.
    pub fn parse(text: &str, shown: &Path) -> Result<Manifest> {
        if let Some(m) = parsed::get(text) {
            return Ok(m);
        }
        let m = Self::parse_anew(text, shown)?;
        parsed::keep(text, &m);
        Ok(m)
    }

    fn parse_anew(text: &str, shown: &Path) -> Result<Manifest> {
        let m: Manifest = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let detail = translate_toml(e.message());
            Error::Manifest {
                file: shown.to_path_buf(),
                detail: match line {
                    Some(line) => ManifestDetail::AtLine { line, detail }.to_string(),
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
        let text = crate::base::folders::read_to_string(&path).map_err(|e| Error::io(IoAction::Read, shown, e))?;
        Self::parse(&text, shown)
    }

    fn validate(&self, shown: &Path) -> Result<()> {
        let bad = |detail: ManifestDetail| {
            Err(Error::Manifest {
                file: shown.to_path_buf(),
                detail: detail.to_string(),
            })
        };
        for r in &self.relaxed {
            if LayoutRule::from_code(&r.rule).is_none() {
                return bad(ManifestDetail::UnknownRule {
                    rule: r.rule.clone(),
                    codes: LayoutRule::ALL.iter().map(|r| r.code()).collect(),
                });
            }
            if r.reason.trim().is_empty() {
                return bad(ManifestDetail::NoReason { rule: r.rule.clone() });
            }
        }
        if !self.date.is_empty() && chrono::NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").is_err() {
            return bad(ManifestDetail::BadDate { date: self.date.clone() });
        }
        if self.numbering.len() > 3
            || self
                .numbering
                .iter()
                .any(|p| !["I", "1", "a", "1.1"].iter().any(|t| p.starts_with(t)))
        {
            return bad(ManifestDetail::BadNumbering);
        }
        for (section, s) in (1..).zip(&self.sections) {
            if let Some(c) = s.level {
                if !(1..=3).contains(&c) {
                    return bad(ManifestDetail::BadLevel { section, level: c });
                }
                if s.title.is_none() {
                    return bad(ManifestDetail::LevelWithoutTitle { section });
                }
            }
            if s.level.is_none() && s.title.is_some() {
                return bad(ManifestDetail::TitleWithoutLevel { section });
            }
            if s.fragment.is_none() && s.title.is_none() {
                return bad(ManifestDetail::EmptySection { section });
            }
            if let Some(d) = &s.fragment {
                if !is_fragment_name(d) {
                    return bad(ManifestDetail::BadFragmentName { section, name: d.clone() });
                }
            }
        }
        Ok(())
    }

    /// The national title or, for Party documents, "ĐẢNG CỘNG SẢN VIỆT NAM".
    pub fn national_title(&self) -> &str {
        match (self.national_title.as_str(), self.style) {
            ("", Style::Party) => "ĐẢNG CỘNG SẢN VIỆT NAM",
            ("", Style::Administrative) => "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            (q, _) => q,
        }
    }

    /// The motto under the national title (none for Party documents).
    pub fn motto(&self) -> &str {
        match (self.motto.as_str(), self.style) {
            ("", Style::Administrative) => "Độc lập - Tự do - Hạnh phúc",
            (t, _) => t,
        }
    }

    /// The signing date, if set.
    pub fn date(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").ok()
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

/// Manifests parsed before, by their exact text (a live preview reads its
/// report type's mau.toml at every edit; parsing it cost ~0.4 ms). A text not
/// seen before, or one that fails, is parsed; at most [`parsed::KEPT`] kept.
mod parsed {
    use super::Manifest;
    use std::sync::Mutex;

    pub(super) const KEPT: usize = 16;

    static PARSED: Mutex<Vec<(String, Manifest)>> = Mutex::new(Vec::new());

    pub(super) fn get(text: &str) -> Option<Manifest> {
        let kept = PARSED.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter().find(|(t, _)| t == text).map(|(_, m)| m.clone())
    }

    pub(super) fn keep(text: &str, m: &Manifest) {
        let mut kept = PARSED.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= KEPT {
            kept.remove(0);
        }
        kept.push((text.to_string(), m.clone()));
    }
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
        assert_eq!(m.style, Style::Administrative);
        assert_eq!(m.national_title(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    }

    #[test]
    fn a_manifest_parsed_again_is_the_same_and_a_changed_or_broken_one_is_parsed_anew() {
        let text = OK.replace("nguoi_ky = \"X\"", "nguoi_ky = \"Kept\"");
        let first = Manifest::parse(&text, Path::new("a/mau.toml")).unwrap();
        assert_eq!(Manifest::parse(&text, Path::new("b/mau.toml")).unwrap(), first);
        assert_eq!(first, Manifest::parse_anew(&text, Path::new("a/mau.toml")).unwrap());
        let changed = Manifest::parse(&text.replace("Kept", "Changed"), Path::new("a/mau.toml")).unwrap();
        assert_eq!(changed.signer, "Changed");
        // A broken text is refused every time, each time naming its own file.
        let broken = format!("{text}\nmau_chu = 1\n");
        for file in ["a/mau.toml", "b/mau.toml"] {
            let e = Manifest::parse(&broken, Path::new(file)).unwrap_err().to_string();
            assert!(e.starts_with(file), "{e}");
        }
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
