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
