//! What `check` finds in a period's figures: [`Problem`] (one finding's text) and
//! [`TargetProblem`] (a plan or target that cannot be compared). Texts only; the
//! checks that raise them live in `figures/`.

use std::fmt;

use super::*;

/// What is wrong (the text staff read).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("{}", number_text(.cell, .kind))]
    Number { cell: String, kind: NumberError },
    #[error("\"{cell}\" không rõ nghĩa vì tệp này có số viết dấu chấm thập phân (kiểu 2.5): nếu là số nguyên hãy viết {}, nếu là số thập phân hãy viết {}", .cell.replace('.', ""), .cell.replace('.', ","))]
    AmbiguousNumber { cell: String },
    #[error("\"{cell}\" không phải là một số hữu hạn")]
    NotFinite { cell: String },
    /// An Excel number stored with binary noise (433.9999999999999): printed rounded.
    #[error("ô lưu giá trị {raw} (số lẻ do Excel tính toán); văn bản in {shown}: nên sửa ô thành đúng {shown}")]
    FloatArtefact { raw: String, shown: String },
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
    /// No row of the file names the columns (title rows only, another layout).
    #[error("không tìm thấy dòng tiêu đề cột: trong 20 dòng đầu không dòng nào có ô \"ma\" (dòng đầu ghi \"{first}\"). Dòng tiêu đề cần các cột ma, ten, don_vi, gia_tri (có thể thêm cha, cung_ky, ghi_chu...); các dòng tên bảng phía trên nó được bỏ qua. Cách dễ nhất: tải tệp mẫu của lĩnh vực này về, điền số vào đó rồi gửi lại")]
    NoHeaderRow { first: String },
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
    #[error("đơn vị \"{unit}\" đếm từng cái nhưng số có phần lẻ ({value}){}", .thousands.as_ref().map(|t| format!("; dấu phẩy là phần lẻ: nếu là số hàng nghìn thì viết {t}")).unwrap_or_else(|| "; kiểm tra lại số".into()))]
    FractionalCount {
        unit: String,
        value: String,
        thousands: Option<String>,
    },
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
    /// A sample month (SO-LIEU-MAU.md) left out of a real period's cùng kỳ or lũy kế.
    #[error("{month} là số liệu mẫu (thư mục có tệp SO-LIEU-MAU.md, số tự đặt ra) nên không được dùng để tính {feeds} của kỳ này; {feeds} để trống cho đến khi có số liệu thật của {month}")]
    SampleNotUsed { month: String, feeds: FeedName },
    /// A longer period built with sample months in it.
    #[error("{period} có số liệu MẪU (không phải số thật) của {months}: các số của kỳ này chỉ để thử, không dùng để báo cáo")]
    SampleMonths { period: String, months: String },
    /// A sample folder's published figures not applied over real months.
    #[error("số công bố trong thư mục này là số liệu mẫu (có tệp SO-LIEU-MAU.md) nên không thay số tổng hợp từ các tháng thật; xóa thư mục mẫu này hoặc ghi số công bố thật vào thư mục không có tệp SO-LIEU-MAU.md")]
    SampleOfficialIgnored,
    /// A blank value shown as a placeholder in a draft preview.
    #[error("chưa có {what}: bản xem trước hiện chỗ trống \"[chưa có: {name}]\"; điền vào để tạo được bản PDF")]
    Placeholder { what: FeedOrValue, name: String },
    /// An upload whose name names another period than the one it goes into.
    #[error(
        "tên tệp ghi {named} nhưng đang nhập vào {target}: kiểm tra đúng tệp của {target} chưa (tệp tải về từ trang mang tên kỳ của nó)"
    )]
    UploadOtherPeriod { named: String, target: String },
    /// A workbook of several sheets, none named for the sector it is uploaded to.
    #[error("tệp có nhiều trang tính ({sheets}) nhưng không trang nào tên \"{sector}\"; đổi tên trang tính của lĩnh vực này thành {sector}, hoặc gửi tệp chỉ có một trang")]
    UploadNoSheet { sector: String, sheets: String },
    /// Every value of an upload equals last month's.
    #[error("cả {count} giá trị của tệp giống hệt {month}: có thể đơn vị gửi lại tệp tháng trước; kiểm tra trước khi dùng")]
    UploadSameAsLastMonth { count: usize, month: String },
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
