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
