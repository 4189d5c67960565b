//! The console's own words: the lines the commands print themselves (progress,
//! failures of one report in a batch, what `new-period` moved). Library errors keep
//! their texts in the library's `error/`.

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
    /// `new-period` found a file already at its target and left it as it was.
    #[error("{file} đã có nên giữ nguyên, không chép đè.")]
    LeftAlone { file: String },
    /// `new-period --xem-truoc`: nothing was made.
    #[error("(Chỉ xem trước: chưa tạo gì. Tạo thật: baocao new-period {period})")]
    PreviewOnly { period: String },
    /// `render --ban-nhap`: a draft was written (no version).
    #[error("Đã tạo bản nháp {pages} trang (không phải phiên bản, không ban hành được): chỗ còn thiếu số hiện \"[chưa có: ...]\" tô vàng. Danh sách đủ: baocao viec-con-lai")]
    DraftWritten { pages: usize },
    /// `list`: a period folder marked as sample data.
    #[error("SỐ LIỆU MẪU, không phải số thật")]
    SampleTag,
    /// `viec-con-lai`: the heading.
    #[error("Việc còn lại của {report} kỳ {period} ({label}): {count} việc")]
    RemainingHeading {
        report: String,
        period: String,
        label: String,
        count: usize,
    },
    /// `viec-con-lai`: nothing left.
    #[error("Không còn việc nào: tạo được bản PDF (baocao render --period {period}).")]
    NothingLeft { period: String },
    /// `viec-con-lai`: one file's heading.
    #[error("{file} ({count} việc)")]
    RemainingFile { file: String, count: usize },
    /// `viec-con-lai`: where a task is done.
    #[error("ô {code}, cột {column}")]
    AtCell { code: String, column: String },
    #[error("dòng {line}")]
    AtLine { line: usize },
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
