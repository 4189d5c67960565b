//! Texts of the wording stage: stale text of another period ([`StaleReason`]),
//! `mau.toml` problems ([`ManifestDetail`]), fragment and filter errors
//! ([`TemplateMessage`], [`FilterProblem`]). Texts only.

use super::*;

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

/// What a minijinja error means for a fragment author, and what to do
/// (`expr`: the source text the error points at; `name`: the fragment).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TemplateHint {
    #[error("\"{expr}\" không có trong số liệu hay trong mẫu (viết sai tên, hoặc thiếu dòng chỉ tiêu trong tệp số liệu của kỳ)")]
    Undefined { expr: String },
    #[error("\"{expr}\" chỉ có khi kỳ là {kind}, kỳ đang làm thì không: dùng \"{instead}\" (in đúng cho mọi loại kỳ: tháng, quý, 6 tháng, 9 tháng, năm; bảng biến kỳ trong docs/THEM-LOAI-BAO-CAO.md, mục 2.4)")]
    PeriodKindOnly {
        expr: String,
        kind: PeriodKindWord,
        instead: String,
    },
    #[error("\"{expr}\": kỳ không có biến \"{name}\"; các biến kỳ dùng được cho mọi loại kỳ: {known} (bảng trong docs/THEM-LOAI-BAO-CAO.md, mục 2.4)")]
    PeriodUnknown { expr: String, name: String, known: String },
    #[error("lỗi cú pháp mẫu: {0}")]
    Syntax(SyntaxHint),
    #[error("không có bộ lọc \"{expr}\"; xem danh sách bộ lọc trong docs/HUONG-DAN-VIET-DOAN.md, mục 4")]
    UnknownFilter { expr: String },
    #[error("không có hàm \"{expr}\"; các hàm có sẵn: stt()")]
    UnknownFunction { expr: String },
    #[error("không có phép thử \"{expr}\" sau \"is\"")]
    UnknownTest { expr: String },
    #[error("\"{expr}\" không có phương thức này; dùng bộ lọc (dấu |) thay cho dấu chấm")]
    UnknownMethod { expr: String },
    #[error("\"{expr}\": thừa tham số; xem số tham số của bộ lọc trong docs/HUONG-DAN-VIET-DOAN.md, mục 4")]
    TooManyArguments { expr: String },
    #[error("\"{expr}\": thiếu tham số; xem docs/HUONG-DAN-VIET-DOAN.md, mục 4")]
    MissingArgument { expr: String },
    #[error("\"{expr}\": phép tính hay bộ lọc không dùng được với giá trị này (ví dụ cộng chữ với số, lọc số bằng bộ lọc chữ)")]
    InvalidOperation { expr: String },
    #[error("\"{expr}\": giá trị không đúng kiểu mà bộ lọc cần")]
    WrongType { expr: String },
    #[error("chuỗi trong ngoặc kép có dấu \\ không hợp lệ; bỏ dấu \\ hoặc viết \\\\")]
    BadEscape,
    #[error("mẫu chạy quá nhiều bước (vòng lặp quá lớn hoặc không dừng)")]
    OutOfFuel,
    #[error("không tìm thấy đoạn \"{name}\" (tên đoạn chỉ gồm chữ thường không dấu, số, '-', '_', nằm trong thư mục mẫu)")]
    NotFound { name: String },
    #[error("\"{expr}\": mẫu không chạy được ở chỗ này; kiểm tra cách viết {{{{ ... }}}} và {{% ... %}}")]
    Other { expr: String },
}

/// The kind of period a kind-only period variable belongs to.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum PeriodKindWord {
    #[error("một tháng")]
    Month,
    #[error("một quý")]
    Quarter,
}

/// minijinja's usual syntax errors, said with the fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyntaxHint {
    #[error("gặp {got} ở chỗ cần {want}; kiểm tra dấu ngoặc và các cặp {{{{ }}}} trong đoạn")]
    Expected { got: SyntaxToken, want: SyntaxToken },
    #[error("gặp {0} không đúng chỗ; kiểm tra dấu ngoặc và các cặp {{{{ }}}}")]
    Unexpected(SyntaxToken),
    #[error("lệnh sau {{% không có; các lệnh dùng được: if, elif, else, endif, for, endfor, set")]
    UnknownStatement,
    #[error("thiếu phần đóng ({{{{ cần }}}}, {{% cần %}}, {{% if %}} cần {{% endif %}})")]
    Unclosed,
    #[error("cách viết {{{{ ... }}}} hoặc {{% ... %}} không đúng; so với ví dụ trong docs/HUONG-DAN-VIET-DOAN.md")]
    Other,
}

/// A token of a syntax error, as a fragment author calls it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyntaxToken {
    #[error("hết đoạn")]
    EndOfInput,
    #[error("dấu đóng }}}}")]
    EndOfVariable,
    #[error("dấu đóng %}}")]
    EndOfBlock,
    #[error("dấu phẩy")]
    Comma,
    #[error("dấu đóng ngoặc )")]
    CloseParen,
    #[error("dấu đóng ngoặc ]")]
    CloseBracket,
    #[error("một tên")]
    Identifier,
    #[error("một biểu thức (tên chỉ tiêu, số hoặc chữ trong ngoặc kép)")]
    Expression,
    #[error("\"{0}\"")]
    Literal(String),
}

/// The line that carries minijinja's English detail under a fragment error.
pub const DETAIL_MARK: &str = "\n    (chi tiết: ";
/// The text of a placeholder in a draft preview ("[chưa có: Số ca tay chân miệng]").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceholderText {
    pub name: String,
    /// The blank is the cùng kỳ value, not the value itself.
    pub prior: bool,
}

impl std::fmt::Display for PlaceholderText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.prior {
            false => write!(f, "[chưa có: {}]", self.name),
            true => write!(f, "[chưa có số cùng kỳ: {}]", self.name),
        }
    }
}

/// Words for people ([`crate::base::words`]): periods, times and names as the
/// page and the console show them.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Words {
    /// "tháng 3/2026" (months 1-2 with a leading zero, as official dates write them).
    #[error("tháng {month}/{year}")]
    Month { month: String, year: i32 },
    #[error("quý {quarter}/{year}")]
    Quarter { quarter: String, year: i32 },
    #[error("6 tháng đầu năm {year}")]
    HalfYear { year: i32 },
    #[error("6 tháng cuối năm {year}")]
    SecondHalf { year: i32 },
    #[error("9 tháng đầu năm {year}")]
    NineMonths { year: i32 },
    #[error("năm {year}")]
    Year { year: i32 },
    /// "19:00 ngày 05/12/2026".
    #[error("{hour:02}:{minute:02} ngày {day:02}/{month:02}/{year}")]
    Time {
        hour: u32,
        minute: u32,
        day: u32,
        month: u32,
        year: i32,
    },
    /// The title of a fragment that has no heading (the opening paragraph).
    #[error("Đoạn mở đầu")]
    Opening,
}
