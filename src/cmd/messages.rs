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
    /// `nguoi-dung them`.
    #[error("Đã thêm tài khoản {name} vào {file}.")]
    AccountAdded { name: String, file: &'static str },
    /// `nguoi-dung doi-ten`.
    #[error("Đã đổi tên hiện của {name} thành \"{full_name}\" (trang web và lịch sử cũ cũng hiện theo tên này).")]
    AccountRenamed { name: String, full_name: String },
    /// `nguoi-dung doi-mat-khau`: the account's generation is bumped.
    #[error("Đã đổi mật khẩu của {name}. Các phiên đăng nhập cũ của tài khoản này đã kết thúc.")]
    PasswordChanged { name: String },
    /// `nguoi-dung mo-khoa`.
    #[error("Đã mở khoá tài khoản {name}: máy chủ đang chạy bỏ việc chờ và khoá do nhập sai mật khẩu ở lần đăng nhập tới (phiên đang mở vẫn giữ).")]
    AccountUnlocked { name: String },
    /// `nguoi-dung xoa`.
    #[error("Đã xoá tài khoản {name}.")]
    AccountRemoved { name: String },
    /// `nguoi-dung danh-sach` with no account.
    #[error("Chưa có tài khoản nào ({file}). Trang web chạy cho một người trên máy này.")]
    NoAccounts { file: &'static str },
    /// A department's role in `danh-sach`.
    #[error("so  lĩnh vực: {sectors}")]
    DepartmentRole { sectors: String },
    /// A read-only account's role in `danh-sach`.
    #[error("lanh-dao (chỉ xem)")]
    LeaderRole,
    #[error("Mật khẩu cho {name}: ")]
    PasswordPrompt { name: String },
    #[error("Nhập lại mật khẩu: ")]
    PasswordAgain,
    /// The heading of `check`.
    #[error("Kiểm tra {report} kỳ {period} ({label}):")]
    CheckHeading { report: String, period: String, label: String },
    /// `history` of a report with no version.
    #[error("Chưa có phiên bản nào trong {dir}.")]
    NoVersions { dir: String },
    /// The heading of `nhat-ky`.
    #[error("Nhật ký thay đổi kỳ {period} ({label}): {count} thay đổi.")]
    LogHeading { period: String, label: String, count: usize },
    /// `list`'s two headings.
    #[error("Loại báo cáo (templates/):")]
    ReportTypesHeading,
    #[error("Kỳ có số liệu (data/):")]
    PeriodsHeading,
    /// `new`.
    #[error("Đã tạo loại báo cáo {name}. Thử ngay: baocao render --report {name}")]
    ReportCreated { name: String },
    /// `nhap-word`: what the import made.
    #[error("Đã nhập {file} thành loại báo cáo {name} ({style}), kỳ {period}: {sections} mục lớn, {footnotes} chú thích, {figures} số liệu thành chỉ tiêu{sector_file} ({comparisons} so sánh cùng kỳ tính được), {left} số giữ nguyên chữ, {tables} bảng phụ lục, {unread} chỗ không đọc được.")]
    Imported {
        file: String,
        name: String,
        style: String,
        period: String,
        sections: usize,
        footnotes: usize,
        figures: usize,
        sector_file: String,
        comparisons: usize,
        left: usize,
        tables: usize,
        unread: usize,
    },
    #[error("văn bản của Đảng, Hướng dẫn 36-HD/VPTW")]
    PartyStyle,
    #[error("văn bản hành chính, Nghị định 30/2020")]
    AdministrativeStyle,
    /// `nhap-word`: the heading of the numbers left as text.
    #[error("Số giữ nguyên chữ (không thành chỉ tiêu):")]
    LeftHeading,
    /// `nhap-word`: one number left as text.
    #[error("  {number}: {reason} — {excerpt}")]
    LeftLine { number: String, reason: String, excerpt: String },
    /// `nhap-word`: the heading of what could not be read.
    #[error("Không đọc được:")]
    UnreadHeading,
    #[error("  {what} — đoạn: {paragraph}")]
    UnreadLine { what: String, paragraph: String },
    /// `nhap-word`: what to do next.
    #[error("Thử ngay: baocao render --report {name} --period {period} --text")]
    ImportNext { name: String, period: String },
    /// `nhap-word --so-sanh`: the heading.
    #[error("So sánh chữ của tệp Word (W) với chữ đã dàn trang (P), chỗ khác trong «…»: {count} câu khác")]
    ImportCompareHeading { count: usize },
    #[error("  W: {0}")]
    WordSide(String),
    #[error("  P: {0}")]
    PdfSide(String),
    /// `new-period`.
    #[error("Đã tạo kỳ {period} ({label}) từ kỳ {from} và đặt làm kỳ đang làm (baocao.toml): điền cột gia_tri trong từng tệp, kiểm tra cột cung_ky, sửa lời văn, rồi chạy: baocao check --period {period}")]
    PeriodCreated { period: String, label: String, from: String },
    /// `render --emit-typ`.
    #[error("Đã ghi mã Typst. Dịch thử: typst compile --root {dir} --font-path fonts {dir}/main.typ")]
    TypstWritten { dir: String },
    /// `render --timings`.
    #[error("Thời gian (ms): đọc số liệu {load:.1}; kiểm tra {check:.1}; mẫu {template:.1}; tìm câu của kỳ khác {scan:.1} (cùng lúc với ba việc trên, trên lõi kia); dàn trang {compile:.1} ({layouts} lần); kiểm tra thể thức {layout_check:.1}; xuất PDF {pdf:.1}; bộ nhớ đỉnh {memory:.0} MB")]
    Timings {
        load: f64,
        check: f64,
        scan: f64,
        template: f64,
        compile: f64,
        layouts: u32,
        layout_check: f64,
        pdf: f64,
        memory: f64,
    },
    /// `render`.
    #[error("Đã tạo {pages} trang, phiên bản {version}.")]
    Rendered { pages: usize, version: u32 },
    /// `render --all`.
    #[error("Đã tạo {done}/{all} báo cáo trong {seconds:.2} giây; {failed} lỗi.")]
    BatchDone {
        done: usize,
        all: usize,
        seconds: f64,
        failed: usize,
    },
    /// `watch` starting.
    #[error("Đang theo dõi {report} kỳ {period}; sửa số liệu hoặc mẫu rồi lưu, PDF sẽ được tạo lại. Dừng: Ctrl+C.")]
    Watching { report: String, period: String },
    /// `watch` after one render.
    #[error("Đã tạo lại sau {ms:.0} ms (phiên bản {version}): {pdf}")]
    Rerendered { ms: f64, version: u32, pdf: String },
}
