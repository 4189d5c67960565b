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
    /// A report type in `list`: its title, then the name commands take.
    #[error("  {title}  (--report {slug})")]
    ReportLine { title: String, slug: String },
    /// A period in `list`.
    #[error("  {words}  (--period {slug})")]
    PeriodLine { words: String, slug: String },
    /// One version in `history`.
    #[error("{version:>3}  {time}  {inputs} tệp đầu vào, {warnings} cảnh báo  {pdf}{marks}")]
    HistoryLine {
        version: u32,
        time: String,
        inputs: usize,
        warnings: usize,
        pdf: String,
        marks: String,
    },
    /// The issued mark of a version in `history`.
    #[error("  [ĐÃ BAN HÀNH lúc {time}, người ban hành: {who}]")]
    IssuedMark { time: String, who: String },
    /// The correction mark of a version in `history`.
    #[error("  [ĐÍNH CHÍNH phiên bản {replaces}: {reasons}]")]
    CorrectionMark { replaces: u32, reasons: String },
    /// The note of a version in `history` (who and what changed since the version before).
    #[error("  ({0})")]
    VersionNote(String),
    /// The first line of `diff`.
    #[error("So sánh phiên bản {old} và {new}: {figures} số liệu thay đổi.")]
    CompareHeading { old: u32, new: u32, figures: usize },
    /// One changed figure in `diff`, by name.
    #[error("{name}: {old} -> {new}  ({sector}; mã {key})")]
    FigureChange {
        name: String,
        sector: String,
        key: String,
        old: String,
        new: String,
    },
    #[error("Lời văn thay đổi: {0} câu (chữ thay đổi trong «»).")]
    SentencesHeading(usize),
    /// The fragment (by title) the next changed sentences belong to.
    #[error("  [{0}]")]
    FragmentHeading(String),
    #[error("  cũ:  {}", if .0.is_empty() { "(không có)" } else { .0.as_str() })]
    OldSentence(String),
    #[error("  mới: {}", if .0.is_empty() { "(không có)" } else { .0.as_str() })]
    NewSentence(String),
    /// `ban-hanh` done.
    #[error("Đã ban hành phiên bản {version} của {title}, {period} (--period {slug}). Từ nay số liệu và lời văn của kỳ này chỉ đọc; muốn đính chính phải ghi lý do (trang web: ô \"lý do\"; dòng lệnh: baocao render --ly-do \"...\").")]
    Issued {
        version: u32,
        title: String,
        period: String,
        slug: String,
    },
}
