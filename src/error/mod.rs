//! Every message a user can see, in Vietnamese, in one place.
//!
//! [`Error`] stops a command; [`Finding`] is one problem found in the data by
//! `check` (errors and warnings are collected, all reported at once).

use std::fmt;
use std::path::PathBuf;

use crate::base::number::NumberError;

/// The word that tells the staleness check a date or period in a line is meant
/// (written `{# giu-nguyen #}` in a fragment, `# giu-nguyen` in mau.toml).
pub const KEEP_MARKER: &str = "giu-nguyen";

/// Where a problem is: a file and, when known, line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }
    pub fn at(file: impl Into<PathBuf>, line: usize, column: Option<usize>) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ", dòng {l}")?;
        }
        if let Some(c) = self.column {
            write!(f, ", cột {c}")?;
        }
        Ok(())
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in the data, with its place and the indicator concerned.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub location: Location,
    pub indicator: Option<String>,
    pub problem: Problem,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.severity {
            Severity::Error => "LỖI",
            Severity::Warning => "CẢNH BÁO",
        };
        write!(f, "{tag}: {}", self.location)?;
        if let Some(code) = &self.indicator {
            write!(f, " [{code}]")?;
        }
        write!(f, ": {}", self.problem)
    }
}

/// What is wrong (the text staff read).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("{}", number_text(.cell, .kind))]
    Number { cell: String, kind: NumberError },
    #[error("\"{cell}\" không rõ nghĩa vì tệp này có số viết dấu chấm thập phân (kiểu 2.5): nếu là số nguyên hãy viết {}, nếu là số thập phân hãy viết {}", .cell.replace('.', ""), .cell.replace('.', ","))]
    AmbiguousNumber { cell: String },
    #[error("\"{cell}\" không phải là một số hữu hạn")]
    NotFinite { cell: String },
    #[error("\"{cell}\" viết dấu chấm thập phân trong khi tệp này viết số kiểu Việt Nam (2.192,42); hãy viết {}", .cell.replace('.', ","))]
    MixedNumberStyle { cell: String },
    #[error("giá trị âm \"{cell}\" không hợp lệ cho chỉ tiêu đếm/đo; nếu là mức giảm, hãy nhập giá trị của kỳ và giá trị cùng kỳ, chương trình tự tính")]
    Negative { cell: String },
    #[error("mã chỉ tiêu trùng với dòng {first_line}; mỗi mã chỉ được dùng một lần trong một tệp")]
    DuplicateCode { first_line: usize },
    #[error("mã \"{code}\" không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ (vd. dan_trau)")]
    BadCode { code: String },
    #[error("cột cha ghi \"{parent}\" nhưng không có chỉ tiêu nào mang mã này trong tệp")]
    UnknownParent { parent: String },
    #[error("quan hệ cha - con bị vòng (chỉ tiêu là cha của chính nó qua các cấp)")]
    ParentCycle,
    #[error("thiếu giá trị (cột gia_tri trống và chỉ tiêu không có chỉ tiêu con để cộng)")]
    MissingValue,
    #[error("thiếu cột bắt buộc \"{name}\" ở dòng tiêu đề")]
    MissingColumn { name: &'static str },
    #[error("cột \"{name}\" không được biết; các cột dùng được: ma, ten, don_vi, gia_tri, cha, trong_do, cung_ky, du_toan_tw, du_toan_hdnd, ke_hoach, tong_hop, ghi_chu")]
    UnknownColumn { name: String },
    #[error("cột \"{name}\" xuất hiện hai lần ở dòng tiêu đề")]
    DuplicateColumn { name: String },
    #[error("dòng có {found} ô nhưng dòng tiêu đề có {expected} cột; kiểm tra dấu phân cách hoặc dấu ngoặc kép")]
    RaggedRow { expected: usize, found: usize },
    #[error("tệp trống, cần ít nhất dòng tiêu đề và một dòng số liệu")]
    EmptyFile,
    #[error("tệp chỉ có dòng tiêu đề, chưa có số liệu")]
    HeaderOnly,
    #[error("tệp được lưu dạng UTF-16 (Unicode Text); hãy mở trong Excel và chọn Lưu thành > \"CSV UTF-8 (Comma delimited)\"")]
    Utf16,
    #[error("tệp không phải UTF-8 (có thể là bảng mã Windows-1258/TCVN3 cũ); hãy mở trong Excel và chọn Lưu thành > \"CSV UTF-8 (Comma delimited)\"")]
    NotUtf8,
    #[error("lỗi cú pháp CSV: {detail}")]
    CsvSyntax { detail: String },
    #[error("tệp quá lớn ({} MB); một tệp số liệu không được vượt quá 20 MB", .bytes / 1_000_000)]
    TooLarge { bytes: u64 },
    #[error("cột tong_hop ghi \"{value}\"; chỉ dùng: cong, cuoi_ky, tinh")]
    BadAggregation { value: String },
    #[error("tên \"{name}\" không dùng được làm tên lĩnh vực: chỉ dùng chữ thường không dấu, chữ số và dấu gạch dưới")]
    BadSheetName { name: String },
    #[error("lĩnh vực này đã có trong {}", .other.display())]
    DuplicateSector { other: PathBuf },
    #[error("tổng các chỉ tiêu con là {sum}, khác giá trị ghi {value} (chênh {diff})")]
    ChildrenSum { sum: String, value: String, diff: String },
    #[error("các phần \"trong đó\" cộng lại {sum}, lớn hơn giá trị tổng {value}")]
    PartsExceed { sum: String, value: String },
    #[error("giá trị {value} thay đổi hơn {factor} lần so với cùng kỳ ({prior}); kiểm tra đơn vị, dấu chấm/phẩy")]
    BigChange { value: String, prior: String, factor: f64 },
    #[error("đạt {percent} so với {target}, vượt 100%; kiểm tra lại")]
    OverPlan { target: &'static str, percent: String },
    #[error("{0}")]
    Template(String),
    /// A format rule the laid-out document breaks (rule code, page, mm from the top edge).
    #[error("thể thức [{rule}] trang {page}{}: {detail} (nếu loại văn bản này cố ý khác, ghi [[noi_long]] quy_tac = \"{rule}\" và ly_do trong mau.toml)", from_top(.y_mm))]
    Layout {
        rule: &'static str,
        page: usize,
        y_mm: f64,
        detail: String,
    },
    #[error("ô chứa công thức ={formula} nhưng tệp không lưu giá trị đã tính (tệp do chương trình khác tạo ra); mở tệp bằng Excel và lưu lại để có giá trị, hoặc gõ thẳng số vào ô")]
    FormulaWithoutValue { formula: String },
    #[error("không đoạn nào của loại báo cáo {report} dùng chỉ tiêu này (viết sai mã ở tệp số liệu hoặc ở đoạn? chỉ tiêu chỉ để lưu thì ghi chú thích được, không sao)")]
    UnusedIndicator { report: String },
    #[error(
        "lời văn còn ghi \"{text}\" {reason}; sửa cho kỳ này, hoặc nếu cố ý giữ thì thêm {{# {} #}} vào cuối dòng (trong mau.toml: # {})",
        KEEP_MARKER,
        KEEP_MARKER
    )]
    Stale { text: String, reason: String },
    #[error("tệp này không được đọc: {hint}")]
    UnreadFile { hint: &'static str },
    #[error("không đọc được {} nên không tính được {values}; sửa lỗi trong tệp đó (chạy baocao check --period cho kỳ của tệp) rồi chạy lại", .file.display())]
    NeighbourFailed { file: PathBuf, values: String },
    #[error("tên chỉ tiêu chép từ kỳ trước còn ghi \"{text}\"; sửa cột ten cho kỳ mới")]
    DatedName { text: String },
    /// The file's hash differs from the one the change log last recorded.
    #[error("tệp đã được sửa ngoài baocao (bằng Excel hoặc trình soạn thảo) kể từ lần baocao ghi nhận trước; đã ghi vào nhật ký (xem: baocao nhat-ky). Ô thay đổi: {changes}")]
    ChangedOutside { changes: String },
    /// The change log could not be read or written.
    #[error("không ghi được nhật ký thay đổi: {detail}")]
    LogUnwritable { detail: String },
    /// A longer period's last month has no data and is estimated (ước đạt).
    #[error("chưa có số liệu {month}: ước tính bằng số của tháng trước (các số được đánh dấu ước đạt)")]
    EstimatedLastMonth { month: String },
    /// An indicator has no value in some months of a longer period.
    #[error("chỉ tiêu thiếu giá trị ở tháng {} nên không tổng hợp được cho {period}", .months.join(", "))]
    MonthsMissing { months: Vec<String>, period: String },
    /// An official whole-period figure names an indicator no month has.
    #[error("số liệu cả kỳ cho chỉ tiêu không có trong các tháng (lĩnh vực {sector})")]
    OfficialUnknown { sector: String },
    /// The official whole-period figure differs from the sum of the months.
    #[error("số công bố cho cả kỳ {official} khác số tổng hợp từ các tháng {computed} (chênh {diff}); dùng số công bố")]
    OfficialDiffers { official: String, computed: String, diff: String },
    /// A plan file (kế hoạch năm) lacks its required columns.
    #[error("tệp kế hoạch cần các cột linh_vuc, ma, ke_hoach (và có thể huong, danh_gia_theo, ten)")]
    PlanColumnsMissing,
    /// The `huong` cell of a plan row is neither `cao` nor `thap`.
    #[error("hướng \"{value}\" không hợp lệ: viết cao (càng cao càng tốt) hoặc thap (càng thấp càng tốt)")]
    BadDirection { value: String },
    /// The `danh_gia_theo` cell of a plan row is neither `ky` nor `nam`.
    #[error("danh_gia_theo \"{value}\" không hợp lệ: viết ky (đánh giá mỗi kỳ) hoặc nam (chỉ đánh giá cả năm)")]
    BadAssessAt { value: String },
    /// An appendix table's columns do not match those mau.toml declares.
    #[error("bảng có {found} cột nhưng mau.toml khai báo {declared} cột (cot) cho Phụ lục {appendix}; sửa cho khớp")]
    AppendixColumns { found: usize, declared: usize, appendix: String },
    /// A plan target that looks numeric but cannot be read.
    #[error("{0}")]
    Target(TargetProblem),
}

/// Why a plan target that looks numeric could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetProblem {
    /// "8,0–7,5": the first number of a range is the larger.
    ReversedRange { text: String },
    /// Starts like a number but is not one.
    Unreadable { text: String },
    /// The number is not written the Vietnamese way.
    NotVietnamese { text: String, number: String },
}

impl fmt::Display for TargetProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetProblem::ReversedRange { text } => write!(f, "khoảng \"{text}\" có số đầu lớn hơn số cuối"),
            TargetProblem::Unreadable { text } => write!(f, "chỉ tiêu \"{text}\" trông như một số nhưng không đọc được"),
            TargetProblem::NotVietnamese { text, number } => write!(
                f,
                "chỉ tiêu \"{text}\": \"{number}\" không phải số viết đúng kiểu Việt Nam (vd. 7,5 hoặc 23.500)"
            ),
        }
    }
}

// ---- Texts of the layout check, the staleness check and mau.toml ----

/// A number as the format check prints it (Vietnamese decimal comma, `d` decimals).
fn dec(x: &f64, d: u8) -> String {
    crate::base::number::format(*x, d)
}

/// What the layout check measured against a format rule: the `detail` of
/// [`Problem::Layout`]. Lengths are in mm, sizes and distances in pt.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LayoutDetail {
    #[error("khổ giấy {} × {} mm, không phải A4 (210 × 297 mm)", dec(.width_mm, 1), dec(.height_mm, 1))]
    PaperSize { width_mm: f64, height_mm: f64 },
    /// One margin of one page outside its range `lo`–`hi` mm.
    #[error("lề {side} {} mm, ngoài khoảng {lo}–{hi} mm", dec(.got_mm, 1))]
    Margin { side: MarginSide, got_mm: f64, lo: f64, hi: f64 },
    /// The right margin at the longest line (justified lines reach it) is too wide.
    #[error("lề phải {} mm (dòng dài nhất), ngoài khoảng tối đa {hi} mm", dec(.got_mm, 1))]
    WidestRightMargin { got_mm: f64, hi: f64 },
    #[error("cỡ chữ thân bài {} pt, cần 13–14 pt", dec(.size, 1))]
    BodySize { size: f64 },
    /// Two lines closer than single spacing (`single` pt): the diacritics touch.
    #[error("hai dòng cỡ {} pt cách nhau {} pt, dưới dòng đơn ({} pt): dấu tiếng Việt chạm dòng trên (\"{excerpt}\")", dec(.size, 1), dec(.pitch, 1), dec(.single, 1))]
    LinesTooClose {
        size: f64,
        pitch: f64,
        single: f64,
        excerpt: String,
    },
    #[error("thụt đầu dòng {} cm, cần 1–1,27 cm (\"{excerpt}\")", dec(.cm, 2))]
    Indent { cm: f64, excerpt: String },
    #[error("khoảng cách trước đoạn {} pt, cần ít nhất 6 pt (\"{excerpt}\")", dec(.gap, 1))]
    ParagraphSpacing { gap: f64, excerpt: String },
    /// The body's line pitch is more than 1.5 lines (`max` pt).
    #[error("khoảng cách dòng thân bài {} pt, quá 1,5 dòng ({} pt)", dec(.pitch, 1), dec(.max, 1))]
    BodyPitch { pitch: f64, max: f64 },
    #[error("trang đầu không đánh số trang")]
    FirstPageNumbered,
    #[error("thiếu số trang ở giữa lề trên")]
    NoPageNumber,
    #[error("số trang không nằm giữa lề trên (lệch {} mm)", dec(.off_mm, 1))]
    PageNumberOffCentre { off_mm: f64 },
    #[error("trang đầu thiếu \"{text}\"")]
    MissingHeader { text: String },
    #[error("Nơi nhận và chữ ký đứng một mình ở trang cuối, không có dòng nào của thân bài")]
    SignatureAlone,
    #[error("trang kết thúc bằng tiêu đề mục \"{excerpt}\"; tiêu đề phải đi cùng đoạn sau")]
    EndsWithHeading { excerpt: String },
    /// The page ends with a sentence introducing a list (ending in ':').
    #[error("trang kết thúc bằng câu dẫn \"{excerpt}\"; câu dẫn phải đi cùng các ý sau")]
    EndsWithLeadIn { excerpt: String },
    /// A document code split over two lines (`end` | `next`).
    #[error("dòng bị ngắt giữa số, ký hiệu văn bản \"{end} | {next}\"")]
    BrokenCode { end: String, next: String },
    #[error("địa danh \"{place}\" bị tách ra hai dòng")]
    SplitPlace { place: String },
    /// A rule `below` pt under a line's baseline, through its descenders.
    #[error("đường kẻ cách chân dòng chữ {} pt, cắt qua phần dưới chữ và dấu nặng (\"{excerpt}\")", dec(.below, 1))]
    RuleThroughText { below: f64, excerpt: String },
}

/// Which margin of a page (said in [`LayoutDetail::Margin`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MarginSide {
    #[error("trái")]
    Left,
    #[error("phải")]
    Right,
    #[error("trên")]
    Top,
    #[error("dưới")]
    Bottom,
}

/// Why a date, month or event in the wording belongs to another period (the
/// `reason` of [`Problem::Stale`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StaleReason {
    #[error("là tháng trước {}", .period.label())]
    MonthBefore { period: crate::base::period::Period },
    /// A document of this year issued before `previous` (which starts on `limit`).
    #[error("là ngày của văn bản ban hành trong năm trước {} (trước {}): văn bản của kỳ cũ", .previous.label(), .limit.format("%d/%m/%Y"))]
    OldDocument {
        previous: crate::base::period::Period,
        limit: chrono::NaiveDate,
    },
    #[error("là ngày trước {}", .period.label())]
    DateBefore { period: crate::base::period::Period },
    /// A seasonal event whose months (written 01, 02...) miss the period.
    #[error("là sự kiện của tháng {}, không thuộc {}", two_digits(.months), .period.label())]
    OutOfSeason {
        months: Vec<u32>,
        period: crate::base::period::Period,
    },
    #[error("là ngày ký trước đầu {}", .period.label())]
    SignedBefore { period: crate::base::period::Period },
}

/// Months as "12, 01, 02".
fn two_digits(months: &[u32]) -> String {
    months.iter().map(|m| format!("{m:02}")).collect::<Vec<_>>().join(", ")
}

/// What is wrong in a report type's mau.toml and what it declares (the
/// `detail` of [`Error::Manifest`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ManifestDetail {
    /// A TOML error (already in Vietnamese) at a line.
    #[error("dòng {line}: {detail}")]
    AtLine { line: usize, detail: String },
    #[error("[[noi_long]]: không có quy tắc thể thức \"{rule}\"; các quy tắc: {}", .codes.join(", "))]
    UnknownRule { rule: String, codes: Vec<&'static str> },
    #[error("[[noi_long]] quy_tac = \"{rule}\": cần ghi lý do (ly_do = \"...\")")]
    NoReason { rule: String },
    #[error("trường \"ngay\" = \"{date}\" không phải ngày dạng 2026-02-25")]
    BadDate { date: String },
    #[error("trường \"danh_so\": tối đa 3 mẫu, mỗi mẫu bắt đầu bằng I, 1, a hoặc 1.1 (vd. [\"I.\", \"1.\", \"a)\"])")]
    BadNumbering,
    /// Section `section` (1-based) has a level other than 1, 2, 3.
    #[error("mục thứ {section}: \"cap\" = {level}; chỉ dùng 1, 2 hoặc 3")]
    BadLevel { section: usize, level: u8 },
    #[error("mục thứ {section}: có \"cap\" nhưng thiếu \"tieu_de\"")]
    LevelWithoutTitle { section: usize },
    #[error("mục thứ {section}: có \"tieu_de\" nhưng thiếu \"cap\" (1, 2 hoặc 3) nên tiêu đề không được in")]
    TitleWithoutLevel { section: usize },
    #[error("mục thứ {section}: cần ít nhất \"tieu_de\" hoặc \"doan\"")]
    EmptySection { section: usize },
    #[error("mục thứ {section}: tên đoạn \"{name}\" chỉ được gồm chữ thường không dấu, chữ số, '-' và '_'")]
    BadFragmentName { section: usize, name: String },
    /// A one-line template field (a title) failed to render.
    #[error("trường {field} = \"{text}\": {detail}")]
    BadLine { field: String, text: String, detail: String },
    /// A chart's or table's reference is not `linh_vuc.ma`.
    #[error("{field} = \"{reference}\": cần dạng linh_vuc.ma (vd. cong_nghiep.gtsx)")]
    BadReference { field: String, reference: String },
    /// An indicator table names a sector or indicator the period's data lacks.
    #[error("bieu_chi_tieu: \"{what}\" không có trong số liệu {} (các lĩnh vực: {})", .period.label(), .sectors.join(", "))]
    UnknownTableRow {
        what: String,
        period: crate::base::period::Period,
        sectors: Vec<String>,
    },
    /// None of the files an appendix's table may be in exists.
    #[error("Không tìm thấy bảng của Phụ lục {number}: cần tệp {}", .files.join(" hoặc "))]
    NoAppendixTable { number: String, files: Vec<String> },
}

/// Messages of the fragment renderer besides minijinja's own (those are
/// translated in template/diagnostic.rs).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TemplateMessage {
    /// A fragment an `include` asked for could not be read.
    #[error("không đọc được {}: {detail}", .file.display())]
    Unreadable { file: PathBuf, detail: String },
    /// Appended to an unknown name's message: the closest known name.
    #[error("; có phải là \"{name}\"?")]
    DidYouMean { name: String },
    #[error("không tìm thấy tệp đoạn \"{file_name}\" mà mau.toml khai báo (trường doan = \"{name}\")")]
    MissingFragment { file_name: String, name: String },
}

/// Messages of the typesetting stage (Typst errors, PDF/A warning).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TypesetMessage {
    /// One of Typst's hints, on its own line under the error.
    #[error("\n    gợi ý: {hint}")]
    Hint { hint: String },
    /// Shown as the file of an error Typst does not place in a file.
    #[error("(tài liệu)")]
    WholeDocument,
    /// Shown as the file of an error in a Typst file baocao generated.
    #[error("(tệp sinh tự động {vpath})")]
    Generated { vpath: String },
    /// The fonts lack these characters, so the PDF is not PDF/A-2b.
    #[error("CẢNH BÁO: phông chữ không có ký tự {} nên PDF không đạt chuẩn lưu trữ PDF/A-2b; bỏ các ký tự này hoặc thêm phông có chúng vào fonts/.", .chars.join(" "))]
    MissingGlyphs { chars: Vec<String> },
}

/// Where on the page a format finding is ("" at the top edge).
fn from_top(y_mm: &f64) -> String {
    if *y_mm > 0.0 {
        format!(", cách mép trên {} mm", crate::base::number::format(*y_mm, 0))
    } else {
        String::new()
    }
}

/// What is wrong with a cell that should hold a number.
fn number_text(cell: &str, kind: &NumberError) -> String {
    match kind {
        NumberError::Empty => "ô trống, cần một số".to_string(),
        NumberError::NotANumber => {
            format!("\"{cell}\" không phải là số (viết kiểu 2.192,42 hoặc 2192,42: dấu phẩy thập phân, không kèm đơn vị hay dấu %)")
        }
        NumberError::BadGrouping => {
            format!("\"{cell}\": dấu chấm phải ngăn cách từng nhóm 3 chữ số (1.908.282); phần thập phân dùng dấu phẩy (2.192,42)")
        }
        NumberError::TooLarge => format!("\"{cell}\" quá lớn (vượt 10^15), kiểm tra lại đơn vị hoặc số chữ số"),
    }
}

/// A list of findings (what `check` prints).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    pub fn push(&mut self, severity: Severity, location: Location, indicator: Option<&str>, problem: Problem) {
        self.0.push(Finding {
            severity,
            location,
            indicator: indicator.map(str::to_string),
            problem,
        });
    }
    pub fn errors(&self) -> usize {
        self.0.iter().filter(|f| f.severity == Severity::Error).count()
    }
    pub fn warnings(&self) -> usize {
        self.0.iter().filter(|f| f.severity == Severity::Warning).count()
    }
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }
}

impl fmt::Display for Findings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for x in &self.0 {
            writeln!(f, "{x}")?;
        }
        write!(f, "Tổng cộng: {} lỗi, {} cảnh báo.", self.errors(), self.warnings())
    }
}

/// An error that stops a command. Its Display is the message staff read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Số liệu có lỗi, chưa tạo PDF. Sửa các lỗi sau rồi chạy lại:\n{0}")]
    Data(Findings),
    #[error("Kỳ báo cáo \"{0}\" không hợp lệ. Viết theo dạng 2026-02 (tháng), 2026-Q1 (quý), 2026-H1 (6 tháng), 2026-9T (9 tháng) hoặc 2026 (năm).")]
    BadPeriod(String),
    #[error("Không có thư mục số liệu cho kỳ {period}: {dir} không tồn tại. Tạo kỳ mới bằng: baocao new-period {period}")]
    MissingPeriod { period: String, dir: PathBuf },
    #[error("Không tìm thấy kỳ nào trong {0}. Mỗi kỳ là một thư mục như data/2026-02/.")]
    NoPeriods(PathBuf),
    #[error("Không có loại báo cáo \"{name}\" trong {dir}. Các loại hiện có: {available}.")]
    UnknownReport { name: String, dir: PathBuf, available: String },
    #[error("{file}: {detail}")]
    Manifest { file: PathBuf, detail: String },
    #[error("{file}, dòng {line}{col}: {detail}{quoted}", col = column.map(|c| format!(", cột {c}")).unwrap_or_default(), quoted = quote(source_line))]
    Template {
        file: PathBuf,
        line: usize,
        column: Option<usize>,
        detail: String,
        source_line: String,
    },
    #[error("Lỗi dàn trang (Typst) tại {file}, dòng {line}: {message}{hints}{quoted}", quoted = quote(source_line))]
    Typst {
        file: PathBuf,
        line: usize,
        message: String,
        hints: String,
        source_line: String,
    },
    #[error("Không {action} được {path}: {source}")]
    Io {
        action: IoAction,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("Đường dẫn ra {0} là một thư mục có sẵn; chọn tên tệp khác hoặc xoá thư mục đó.")]
    OutputIsDirectory(PathBuf),
    #[error("Phiên bản \"{0}\" không có trong lịch sử. Xem các phiên bản bằng: baocao history")]
    UnknownVersion(String),
    #[error("Không tạo được bảng Excel {path}: {detail}")]
    Xlsx { path: PathBuf, detail: String },
    #[error("Dừng trước khi đổi tên {} (kiểm thử {env})", tmp.display())]
    StoppedBeforeRename { tmp: PathBuf, env: &'static str },
    #[error("Không ghi được tệp mô tả phiên bản: {0}")]
    ManifestJson(String),
    #[error("Cần ít nhất hai phiên bản để so sánh; xem: baocao history")]
    NeedTwoVersions,
    #[error("{} đã có; không ghi đè số liệu đã nhập. Muốn làm lại kỳ này thì đổi tên hoặc chuyển thư mục đó đi chỗ khác rồi chạy lại; muốn sửa số liệu thì sửa trực tiếp các tệp trong đó.", dir.display())]
    PeriodExists { dir: PathBuf },
    #[error("Tên \"{0}\" không hợp lệ: không được chứa \"..\", \"/\", \"\\\", ký tự NUL hay là đường dẫn tuyệt đối.")]
    BadName(String),
    #[error("Không có tệp {0}.")]
    NotFound(PathBuf),
    #[error("{file}: không có chỉ tiêu mã \"{code}\" hoặc cột \"{column}\" để sửa.")]
    UnknownCell { file: PathBuf, code: String, column: String },
    #[error("Giá trị không được nhận, tệp giữ nguyên:\n{0}")]
    BadCell(String),
    #[error("{file} đã được sửa ở nơi khác sau khi trang này được mở, nên chưa lưu (để không mất thay đổi của người khác). Đã đổi: {changes}. Tải lại trang rồi sửa lại.")]
    StaleFile { file: PathBuf, changes: String },
    #[error("Tệp tải lên {name} không dùng được, tệp cũ giữ nguyên:\n{detail}")]
    BadUpload { name: String, detail: String },
    #[error("Tệp tải lên quá lớn ({bytes} byte); giới hạn là {limit} byte.")]
    UploadTooLarge { bytes: u64, limit: u64 },
    #[error("Không mở được máy chủ web tại {addr}: {detail}")]
    Serve { addr: String, detail: String },
    #[error("Tên loại báo cáo \"{0}\" chỉ được gồm chữ thường không dấu, chữ số, '-' và '_' (vd. bao-cao-quy).")]
    BadReportName(String),
    #[error("{} đã có; chọn tên khác hoặc sửa trực tiếp các tệp trong đó.", dir.display())]
    ReportExists { dir: PathBuf },
    #[error("Không có loại báo cáo \"{name}\" để chép (cần {}).", manifest.display())]
    UnknownSourceReport { name: String, manifest: PathBuf },
    #[error("{}: {detail}", location)]
    Csv { location: Location, detail: String },
    #[error("Kỳ {period} ({label}) cần số liệu của các tháng {months}, nhưng thiếu thư mục: {missing}. Tạo các thư mục đó (baocao new-period ...) {}", if *last_only { "hoặc cho phép ước tính tháng cuối (uoc_tinh_thang_cuoi = true trong mau.toml)." } else { "rồi chạy lại." })]
    MissingMonths {
        period: String,
        label: String,
        months: String,
        missing: String,
        last_only: bool,
    },
    #[error("Không theo dõi được {}: {detail}", dir.display())]
    Watch { dir: PathBuf, detail: String },
    #[error("Không xuất được PDF: {0}")]
    Pdf(String),
    #[error("Không tạo được ảnh PNG của trang {page}: {detail}")]
    Png { page: usize, detail: String },
    #[error("Ngày ban hành {0} không ghi được vào PDF (năm phải từ 0 đến 9999).")]
    PdfDate(String),
    /// The actor may not read or change `what` (another sector, a fragment for a department...).
    #[error("Tài khoản {who} không có quyền với {what}.")]
    Forbidden { who: String, what: String },
    /// The period is issued (ban hành): a change needs a reason and becomes a correction.
    #[error("Kỳ {period} đã ban hành nên số liệu và văn bản chỉ đọc. Muốn đính chính thì ghi rõ lý do; thay đổi sẽ được ghi vào nhật ký và tạo phiên bản đính chính.")]
    Locked { period: String },
    /// An accounts command was refused (unknown role, short password, existing name...).
    #[error("Tài khoản \"{name}\": {problem}")]
    Account { name: String, problem: AccountProblem },
    /// Sign-in refused (same text whether or not the account exists).
    #[error("Tên đăng nhập hoặc mật khẩu không đúng.")]
    LoginFailed,
    /// Too many wrong passwords for this name: wait before trying again.
    #[error("Đã nhập sai mật khẩu nhiều lần. Chờ {seconds} giây rồi thử lại.")]
    TooManyTries { seconds: u64 },
    /// The page or action needs a signed-in account.
    #[error("Cần đăng nhập trước. Mở trang /dang-nhap.")]
    NeedLogin,
    /// A form field is missing or wrong (`field` names it).
    #[error("Ô \"{field}\": {detail}")]
    BadField { field: &'static str, detail: String },
    /// `render` of an issued report whose PDF would change, with no reason logged or given.
    #[error("Báo cáo kỳ {period} đã ban hành và số liệu hoặc lời văn đã đổi từ đó (xem: baocao nhat-ky --period {period}), nên chưa tạo phiên bản mới. Muốn tạo bản đính chính thì ghi lý do: baocao render --period {period} --ly-do \"...\". Bản đã ban hành giữ nguyên.")]
    LockedRender { period: String },
    /// A file could not be replaced: another program holds it open (Excel, a
    /// PDF reader; on Windows) or the folder is not writable.
    #[error("Không ghi được {path}: tệp đang mở trong chương trình khác (Excel, trình đọc PDF...) hoặc thư mục không cho ghi. Đóng tệp đó rồi làm lại; tệp cũ giữ nguyên.")]
    InUse { path: PathBuf },
}

/// What a failed file operation was doing (said in "Không đọc được ...").
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IoAction {
    #[error("đọc")]
    Read,
    #[error("ghi")]
    Write,
    #[error("tạo thư mục")]
    CreateDir,
    #[error("đọc thư mục")]
    ReadDir,
    #[error("chép")]
    Copy,
    #[error("tạo tệp khoá")]
    CreateLock,
    #[error("mở")]
    Open,
    #[error("khoá")]
    Lock,
    #[error("chuyển")]
    Move,
}

// ---- Texts of the facade, the change log and the web page ----

/// What an account was refused (the `what` of [`Error::Forbidden`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    /// A sector file named after a sector not the account's.
    #[error("lĩnh vực {sector} (data/{period}/{file})")]
    SectorFile { sector: String, period: String, file: String },
    /// A sector inside a file (a workbook's sheet) not the account's.
    #[error("lĩnh vực {sector} ({})", .file.display())]
    Sector { sector: String, file: PathBuf },
    #[error("đoạn văn {report}/{name}")]
    Fragment { report: String, name: String },
    #[error("tạo kỳ mới")]
    NewPeriod,
    #[error("tạo loại báo cáo")]
    NewReport,
    #[error("ban hành")]
    Issue,
    /// A web request on a sector file not the account's.
    #[error("tệp số liệu {file} của kỳ {period} (chỉ được làm các lĩnh vực của mình)")]
    WebSectorFile { file: String, period: String },
    /// A web request only Văn phòng may make.
    #[error("{0} (chỉ Văn phòng UBND được làm)")]
    WebOffice(OfficeTask),
}

/// A web action only Văn phòng may do (said in [`Refused::WebOffice`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OfficeTask {
    #[error("trả lại số liệu đã gửi")]
    ReturnSubmission,
    #[error("so sánh các phiên bản")]
    CompareVersions,
    #[error("đoạn văn của báo cáo")]
    Fragments,
    #[error("tệp PDF và các phiên bản đã lưu")]
    Versions,
    #[error("sửa đoạn văn của báo cáo")]
    EditFragment,
    #[error("tạo PDF")]
    Render,
    #[error("ban hành báo cáo")]
    Issue,
    #[error("tạo kỳ mới")]
    NewPeriod,
}

/// Why an uploaded file is not used (the detail of [`Error::BadUpload`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UploadProblem {
    #[error("lĩnh vực \"{sector}\" đã có trong {}; đặt tên tệp trùng với tệp đó để thay nó", .other.display())]
    DuplicateSector { sector: String, other: PathBuf },
    #[error("không phải tệp Excel .xlsx hợp lệ ({0})")]
    NotXlsx(String),
    #[error("tệp Excel hỏng ({0})")]
    BrokenXlsx(String),
    /// The archive unpacks to more than the limit (a zip bomb?).
    #[error("tệp Excel giải nén ra hơn {mb} MB (nghi là tệp nén bất thường)")]
    Unpacked { mb: u64 },
    #[error("không mở được tệp Excel: {0}")]
    Unopenable(String),
}

/// The notes, names and descriptions the change log (nhật ký) records.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChangeNote {
    #[error("bản cũ giữ ở {}", .0.display())]
    KeptAt(PathBuf),
    #[error("tệp mới")]
    NewFile,
    #[error("từ kỳ {0}")]
    FromPeriod(String),
    #[error("chép từ {from}, {files} tệp")]
    CopiedReport { from: String, files: usize },
    #[error("mẫu khởi đầu, {files} tệp")]
    StarterReport { files: usize },
    #[error("{report} kỳ {period}, phiên bản {version}")]
    Issued { report: String, period: String, version: u32 },
    #[error("phiên bản {version} đính chính phiên bản {replaces} đã ban hành")]
    Correction { version: u32, replaces: u32 },
    /// An outside change that changed no value.
    #[error("chỉ đổi cách ghi tệp, không ô nào đổi giá trị")]
    FormatOnly,
    /// An outside change that cannot be compared cell by cell.
    #[error("không còn bản cũ để so từng ô")]
    NoCopy,
    /// Who is named for a change noticed from outside baocao.
    #[error("(không rõ, ngoài baocao)")]
    OutsideWho,
    /// The "code" of a changed line of a fragment, or of a row without `ma`.
    #[error("dòng {0}")]
    Line(usize),
    /// More changed cells than a warning lists.
    #[error("và {0} ô khác")]
    MoreCells(usize),
    /// The reason at the end of a log line.
    #[error("  lý do: {0}")]
    Reason(String),
    #[error("CẢNH BÁO: {}, dòng {line}: dòng nhật ký không đọc được (có thể bị ngắt khi máy tắt đột ngột), đã bỏ qua.", .file.display())]
    UnreadableLine { file: PathBuf, line: usize },
}

/// The name `baocao nhat-ky` prints for a kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChangeKindName {
    #[error("sửa số liệu")]
    EditValue,
    #[error("tải lên tệp")]
    Upload,
    #[error("sửa đoạn văn")]
    EditFragment,
    #[error("sửa mau.toml")]
    EditManifest,
    #[error("tạo kỳ mới")]
    NewPeriod,
    #[error("tạo loại báo cáo")]
    NewReport,
    #[error("ban hành")]
    Issue,
    #[error("đính chính")]
    Correction,
    #[error("đổi ngoài baocao")]
    Outside,
}

/// What changed in a file since a page saw it (the `changes` of [`Error::StaleFile`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChangeDescription {
    #[error("nội dung đoạn văn")]
    FragmentText,
    #[error("tệp (không còn bản cũ để so)")]
    NoOldCopy,
    #[error("dòng {line} ({code}), cột {column}: \"{old}\" → \"{new}\"")]
    Cell {
        line: usize,
        code: String,
        column: String,
        old: String,
        new: String,
    },
    #[error("số dòng {before} → {after}")]
    RowCount { before: usize, after: usize },
    #[error("định dạng tệp (không đổi giá trị nào)")]
    FormatOnly,
}

/// The state of a sector file's submission (nộp), as pages show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SubmissionName {
    #[error("chưa nhập")]
    Empty,
    #[error("đang nhập")]
    InProgress,
    #[error("đã gửi")]
    Sent,
    #[error("có lỗi")]
    Errors,
}

/// Messages of the web server: refusals, page errors and the lines it prints.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WebText {
    #[error("Tên máy (Host) của yêu cầu không được phép. Mở trang bằng đúng địa chỉ máy chủ đã in ra khi khởi động.")]
    BadHost,
    #[error("Yêu cầu thay đổi dữ liệu đến từ trang khác (không cùng nguồn) nên bị từ chối.")]
    CrossOrigin,
    #[error("Cần mã truy cập. Mở trang bằng đường dẫn có mã (?ma=...) đã in ra khi máy chủ khởi động.")]
    NeedToken,
    #[error("Không có tệp này.")]
    NoSuchAsset,
    /// The title of the error page.
    #[error("Có lỗi")]
    ErrorTitle,
    #[error("Lỗi trang {name}: {detail}")]
    PageFailed { name: String, detail: String },
    /// The preview's short text when the figures have errors.
    #[error("số liệu có {0} lỗi (xem danh sách)")]
    DataErrors(usize),
    #[error("không lấy được số ngẫu nhiên cho phiên đăng nhập: {0}")]
    NoRandom(String),
    #[error("địa chỉ không hợp lệ (vd. 127.0.0.1 hoặc 0.0.0.0)")]
    BadAddress,
    #[error("Đã dừng máy chủ.")]
    Stopped,
    #[error("Máy chủ baocao đang chạy cho dự án {}.", .0.display())]
    Running(PathBuf),
    #[error("Dừng máy chủ: nhấn Ctrl+C.")]
    HowToStop,
    #[error("Địa chỉ này mở cho máy khác trong mạng nên cần mã truy cập (chỉ in một lần): {0}")]
    Token(String),
    #[error("Dự án có tài khoản ({0}): mỗi người đăng nhập bằng tài khoản của mình.")]
    HasAccounts(&'static str),
    /// A saved edit whose submission mark could not be updated (server console).
    #[error("Không cập nhật được trạng thái nộp của {file} ({period}): {detail}")]
    MarkNotUpdated { file: String, period: String, detail: String },
    #[error("cần ghi lý do trả lại để sở biết phải sửa gì")]
    NeedReturnReason,
    /// A failed render's error in the preview's list of findings.
    #[error("LỖI: {0}")]
    ErrorLine(String),
}

/// Where in a file a JSON or TOML error is ("dòng L, cột C: ...").
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("dòng {line}, cột {column}: {detail}")]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
    pub detail: String,
}

/// Texts of the data, version and accounts files' own areas (details, places, notes).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataText {
    #[error("dấu ngoặc kép \" mở ở ô này không được đóng")]
    UnclosedQuote,
    #[error("ô chứa xuống dòng, thường do dấu ngoặc kép \" chưa được đóng")]
    NewlineInCell,
    #[error("không mở được tệp Excel: {0}")]
    Unopenable(String),
    /// The place of a workbook's sheet ("file (trang tính NAME)").
    #[error("{} (trang tính {sheet})", .file.display())]
    Sheet { file: PathBuf, sheet: String },
    /// The place of a figure added up over months.
    #[error("{} (tổng hợp {first}..{last})", .file.display())]
    Aggregated { file: PathBuf, first: String, last: String },
    /// Which values of a neighbouring period could not be computed.
    #[error("{feeds} của {count} chỉ tiêu: {codes}")]
    NeighbourValues { feeds: FeedName, count: usize, codes: String },
    /// The version asked for when none was named.
    #[error("mới nhất")]
    Newest,
    /// A figure missing from one of two compared versions.
    #[error("(không có)")]
    Absent,
    #[error("# Tài khoản đăng nhập trang web baocao. Chỉ chứa mã băm argon2 của mật khẩu.\n# Sửa bằng lệnh: baocao nguoi-dung them|doi-mat-khau|xoa|danh-sach\n\n{0}")]
    AccountsFile(String),
}

/// The values a neighbouring period gives (said in [`DataText::NeighbourValues`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FeedName {
    #[error("cùng kỳ")]
    Prior,
    #[error("lũy kế")]
    Cumulative,
}

/// A file in a period folder that is not read (its hint is [`Problem::UnreadFile`]'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnreadKind {
    Utf16Text,
    OldExcel,
    Other,
}

impl UnreadKind {
    /// What to do with the file.
    pub fn hint(self) -> &'static str {
        match self {
            UnreadKind::Utf16Text => "đây là tệp UTF-16 (Excel lưu kiểu \"Unicode Text\" đuôi .txt); mở trong Excel, chọn Lưu thành > \"CSV UTF-8 (Comma delimited)\" với tên <lĩnh_vực>.csv rồi xoá tệp này",
            UnreadKind::OldExcel => "Excel 97-2003 (.xls) không đọc được; mở trong Excel và lưu thành .xlsx hoặc CSV UTF-8",
            UnreadKind::Other => "chương trình chỉ đọc tệp .csv và .xlsx; đổi thành <lĩnh_vực>.csv (CSV UTF-8) hoặc chuyển tệp này ra khỏi thư mục kỳ",
        }
    }
}

/// The error and warning lines the command-line commands print themselves.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CliText {
    /// The version `history --diff A` compares A with (said when there is none).
    #[error("cuối")]
    LastVersion,
    #[error("Không so sánh được lời văn: phiên bản cũ chưa lưu chữ đã dàn trang.")]
    NoTextCompare,
    /// After a failed render in `watch`.
    #[error("Chưa tạo lại: bản PDF trước vẫn giữ nguyên. Sửa lỗi trên rồi lưu lại tệp.")]
    NotRerendered,
    /// `new-period` moved the sample figures shipped with the program aside.
    #[error("{was} là số liệu mẫu kèm chương trình (có tệp {marker}), không phải số liệu của cơ quan: đã chuyển sang {aside} để giữ lại. Báo cáo mẫu dùng tháng này (quý mẫu 2026-Q1) nay lấy kỳ {period} mới tạo; khi kỳ này chưa nhập số, số của tháng cuối quý được ước tính từ tháng trước.")]
    SampleMoved {
        was: String,
        marker: &'static str,
        aside: String,
        period: String,
    },
    /// One failed report of `render --all`.
    #[error("LỖI {report} {period}:\n{error}")]
    BatchFailed { report: String, period: String, error: String },
    /// The progress status of a failed report.
    #[error("LỖI")]
    Failed,
    /// The progress status of a finished report.
    #[error("xong")]
    Done,
}

/// Why an accounts command was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AccountProblem {
    #[error("đã có tài khoản tên này. Đổi mật khẩu bằng: baocao nguoi-dung doi-mat-khau TÊN")]
    Exists,
    #[error("không có tài khoản tên này. Xem danh sách bằng: baocao nguoi-dung danh-sach")]
    Unknown,
    #[error("tên chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới (1–64 ký tự), bắt đầu bằng chữ hoặc số, vd. so-y-te")]
    BadName,
    #[error("vai trò \"{0}\" không có; chỉ dùng --vai-tro van-phong hoặc --vai-tro so")]
    UnknownRole(String),
    #[error("tài khoản văn phòng được làm mọi lĩnh vực, không ghi --linh-vuc")]
    SectorsForOffice,
    #[error("tài khoản sở cần ít nhất một lĩnh vực, vd. --linh-vuc y_te,tai_chinh (tên tệp số liệu không có đuôi)")]
    NoSectors,
    #[error("lĩnh vực \"{0}\" không hợp lệ (chỉ chữ thường không dấu, số, gạch dưới, vd. y_te)")]
    BadSector(String),
    #[error("mật khẩu trống; nhập mật khẩu (ít nhất {min} ký tự)")]
    EmptyPassword { min: usize },
    #[error("mật khẩu quá ngắn ({len} ký tự); cần ít nhất {min} ký tự")]
    ShortPassword { len: usize, min: usize },
    #[error("hai lần nhập mật khẩu không giống nhau")]
    PasswordMismatch,
    #[error("không đọc được mật khẩu: {0}")]
    ReadPassword(String),
    #[error("tệp tài khoản đang bị lệnh khác giữ ({0}); chờ một lát rồi chạy lại, hoặc xoá tệp khoá đó nếu không còn lệnh nào chạy")]
    Busy(String),
    #[error("không tạo được mã băm mật khẩu: {0}")]
    Hash(String),
}

/// Why a filter in a fragment could not give its text (minijinja shows it with
/// the fragment's name and line).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FilterProblem {
    #[error("chỉ tiêu {code} chưa có giá trị (ô gia_tri trống: {cell})")]
    NoValue { code: String, cell: Location },
    #[error("{filter}: \"{text}\" không phải là số")]
    NotANumber { filter: String, text: String },
    #[error("{filter}: cần một chỉ tiêu hoặc một số, nhận được {kind}")]
    NeedNumber { filter: String, kind: String },
    #[error("bộ lọc {filter} cần một chỉ tiêu (vd. nong_nghiep.dan_trau), nhận được {kind}")]
    NeedIndicator { filter: String, kind: String },
    #[error("bộ lọc {filter}: chỉ tiêu {code} không có giá trị cùng kỳ năm trước (ô cung_ky trống: {cell}; điền ô đó, hoặc thêm thư mục số liệu cùng kỳ năm trước)")]
    NoPrior { filter: String, code: String, cell: Location },
    #[error("bộ lọc {filter} nhận tối đa {max} tham số, nhận được {given}")]
    TooManyArguments { filter: String, max: usize, given: usize },
    #[error("một tham số của bộ lọc {filter} là tên không xác định (viết sai?)")]
    UndefinedArgument { filter: String },
    #[error("số chữ số thập phân {given} không hợp lệ (số nguyên từ 0 đến 6)")]
    BadDigits { given: String },
    #[error("hai_so chỉ dùng cho số đếm nguyên, nhận được {value}")]
    NotACount { value: f64 },
    #[error("tien: đơn vị của chỉ tiêu là \"{unit}\", không phải đơn vị tiền (đồng, nghìn đồng, triệu đồng, tỷ đồng)")]
    NotMoney { unit: String },
    #[error("tien: đơn vị \"{unit}\" không biết; dùng đồng, nghìn đồng, triệu đồng hoặc tỷ đồng")]
    UnknownMoneyUnit { unit: String },
    #[error("{filter}: giá trị cùng kỳ của {code} bằng 0")]
    PriorZero { filter: String, code: String },
    #[error("mục tiêu của bộ lọc ty_le là tên không xác định (viết sai?)")]
    UndefinedTarget,
    #[error("ty_le: mục tiêu \"{name}\" không biết; dùng du_toan_tw, du_toan_hdnd, ke_hoach, cung_ky hoặc một chỉ tiêu khác")]
    UnknownTarget { name: String },
    #[error("ty_le: chỉ tiêu {code} chưa có {}", target_label(target))]
    NoTarget { code: String, target: &'static str },
    #[error("ty_le: mẫu số bằng 0")]
    ZeroBase,
    #[error("ty_trong: chỉ tiêu {code} không có chỉ tiêu cha (cột cha)")]
    NoParent { code: String },
    #[error("ty_trong: chỉ tiêu cha bằng 0")]
    ParentZero,
    #[error("luy_ke: chưa tính được lũy kế của {code} (thiếu số liệu các tháng trước trong năm)")]
    NoCumulative { code: String },
    #[error("la_ma: {value} không viết được bằng số La Mã")]
    NotRoman { value: f64 },
    #[error("ngày cần viết dạng \"2026-01-08\" hoặc \"08/01/2026\"")]
    DateNotText,
    #[error("\"{text}\" không phải ngày hợp lệ (viết 2026-01-08 hoặc 08/01/2026)")]
    BadDate { text: String },
}

/// How `ty_le` names a target column in its messages.
fn target_label(key: &str) -> &'static str {
    match key {
        "du_toan_tw" => "dự toán Trung ương (du_toan_tw)",
        "du_toan_hdnd" => "dự toán HĐND tỉnh (du_toan_hdnd)",
        "ke_hoach" => "kế hoạch (ke_hoach)",
        _ => "cùng kỳ (cung_ky)",
    }
}

/// Why the Typst world refused a file (Typst shows it at the line that asked).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WorldProblem {
    #[error("baocao không cho đọc \"{path}\": mẫu chỉ được đọc tệp trong thư mục của loại báo cáo (đường dẫn bắt đầu bằng {prefix})")]
    OutsideReport { path: String, prefix: &'static str },
    #[error("baocao chạy không cần mạng nên không dùng gói Typst bên ngoài (@preview/...)")]
    Package,
}

/// The offending line under a message, or nothing when there is none.
fn quote(line: &str) -> String {
    if line.trim().is_empty() {
        String::new()
    } else {
        format!("\n    {line}")
    }
}

impl Error {
    /// Where the problem is, when it has a place (file, and line and column when known).
    ///
    /// ```
    /// use baocao::Error;
    /// let e = Error::Typst { file: "mau.typ".into(), line: 3, message: "x".into(), hints: String::new(), source_line: String::new() };
    /// assert_eq!(e.location().unwrap().to_string(), "mau.typ, dòng 3");
    /// assert!(Error::NeedTwoVersions.location().is_none());
    /// ```
    pub fn location(&self) -> Option<Location> {
        use Error::*;
        Some(match self {
            Manifest { file, .. } | NotFound(file) | UnknownCell { file, .. } | StaleFile { file, .. } => Location::file(file),
            Template { file, line, column, .. } => Location::at(file, *line, *column),
            Typst { file, line, .. } => Location::at(file, *line, None),
            Io { path, .. } | Xlsx { path, .. } | InUse { path } => Location::file(path),
            MissingPeriod { dir, .. } | PeriodExists { dir } | ReportExists { dir } | Watch { dir, .. } => Location::file(dir),
            NoPeriods(dir) | OutputIsDirectory(dir) => Location::file(dir),
            UnknownReport { dir, .. } => Location::file(dir),
            UnknownSourceReport { manifest, .. } => Location::file(manifest),
            Csv { location, .. } => location.clone(),
            Data(findings) => findings.0.iter().find(|f| f.severity == Severity::Error)?.location.clone(),
            _ => return None,
        })
    }

    /// Shorthand for an I/O error with the action that failed.
    pub fn io(action: IoAction, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod text_tests {
    use super::*;
    use crate::base::period::Period;

    #[test]
    fn layout_details_read_as_before() {
        let m = LayoutDetail::Margin {
            side: MarginSide::Left,
            got_mm: 28.44,
            lo: 30.0,
            hi: 35.0,
        };
        assert_eq!(m.to_string(), "lề trái 28,4 mm, ngoài khoảng 30–35 mm");
        let i = LayoutDetail::Indent {
            cm: 1.5,
            excerpt: "a".into(),
        };
        assert_eq!(i.to_string(), "thụt đầu dòng 1,50 cm, cần 1–1,27 cm (\"a\")");
    }

    #[test]
    fn stale_reasons_and_manifest_details_name_what_varies() {
        let p: Period = "2026-03".parse().unwrap();
        let r = StaleReason::OutOfSeason {
            months: vec![12, 1, 2],
            period: p,
        };
        assert_eq!(r.to_string(), format!("là sự kiện của tháng 12, 01, 02, không thuộc {}", p.label()));
        let d = ManifestDetail::NoAppendixTable {
            number: "I".into(),
            files: vec!["a.csv".into(), "b.csv".into()],
        };
        assert_eq!(d.to_string(), "Không tìm thấy bảng của Phụ lục I: cần tệp a.csv hoặc b.csv");
    }
}
