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
