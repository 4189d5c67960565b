//! Texts of the office around the pipeline: refusals and their tasks ([`Refused`],
//! [`OfficeTask`]), uploads, the change log's words, submissions, accounts, and the
//! names of files that are not read. Texts only; the decisions live in `project/`
//! and `office/`.

use super::*;

/// What an account was refused (the `what` of [`Error::Forbidden`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    /// A sector file not wholly the account's (one of its sectors is another's).
    #[error("tệp số liệu {file} của kỳ {period} (chỉ được làm các lĩnh vực của mình)")]
    SectorFile { file: String, period: String },
    /// A task only Văn phòng may do.
    #[error("{0} (chỉ Văn phòng UBND được làm)")]
    Office(OfficeTask),
    /// Any change asked by a read-only (lãnh đạo) account.
    #[error("thay đổi (tài khoản lãnh đạo chỉ được xem)")]
    ReadOnly,
}

/// A task only Văn phòng may do (said in [`Refused::Office`]).
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
    #[error("tạo loại báo cáo")]
    NewReport,
    #[error("sửa loại báo cáo (thiết lập, số liệu nhập từ Word, chỉ tiêu)")]
    EditReportType,
    #[error("quản lý tài khoản của các sở")]
    ManageAccounts,
}

impl OfficeTask {
    /// Tasks that only read (a read-only account may do them).
    pub fn reads_only(self) -> bool {
        matches!(self, OfficeTask::CompareVersions | OfficeTask::Fragments | OfficeTask::Versions)
    }
}

/// Why an uploaded file is not used (the detail of [`Error::BadUpload`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UploadProblem {
    #[error("lĩnh vực \"{sector}\" đã có trong {}; đặt tên tệp trùng với tệp đó để thay nó", .other.display())]
    DuplicateSector { sector: String, other: PathBuf },
    /// Most of the stored sector's indicators are not in the upload (another sector's file?).
    #[error("tệp này không phải số liệu của lĩnh vực đang mở: trong {stored} chỉ tiêu của lĩnh vực, tệp chỉ có {shared} (thiếu, ví dụ: {missing}). Có thể đã chọn nhầm tệp của lĩnh vực khác. Chọn đúng tệp, hoặc tải tệp của lĩnh vực này về (Tải về .xlsx) rồi điền vào")]
    OtherSector { shared: usize, stored: usize, missing: String },
    /// An upload that is neither .xlsx nor .csv (a Word file, a text file...).
    #[error("chỉ nhận tệp Excel (.xlsx) hoặc .csv; tệp này không phải (lưu bảng số liệu từ Excel dưới dạng .xlsx rồi gửi lại)")]
    NotATable,
    #[error("không phải tệp Excel .xlsx hợp lệ ({0})")]
    NotXlsx(String),
    #[error("tệp Excel hỏng ({0})")]
    BrokenXlsx(String),
    /// The archive unpacks to more than the limit (a zip bomb?).
    #[error("tệp Excel giải nén ra hơn {mb} MB (nghi là tệp nén bất thường)")]
    Unpacked { mb: u64 },
    #[error("không mở được tệp Excel: {0}")]
    Unopenable(String),
    /// An upload has a column the stored file of its sector has not.
    #[error(
        "tệp gửi lên có cột \"{name}\" mà tệp đang lưu của lĩnh vực này không có; xóa cột đó hoặc tải tệp mẫu của lĩnh vực về rồi điền vào"
    )]
    ExtraColumn { name: String },
    /// The stored workbook holds several sectors: replacing it with one would lose the others.
    #[error("tệp Excel đang lưu có nhiều trang tính ({sheets}); gửi lên từng lĩnh vực bằng chính tệp Excel đó (sửa trong Excel rồi gửi cả tệp), để không mất các trang khác")]
    SeveralSheets { sheets: String },
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
    /// An issue acknowledged while totals did not match their parts (each listed).
    #[error("{report} kỳ {period}, phiên bản {version}: ban hành dù có tổng không khớp với các phần (đã xác nhận): {}", .mismatches.join("; "))]
    TotalsAcknowledged {
        report: String,
        period: String,
        version: u32,
        mismatches: Vec<String>,
    },
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

/// Why a return of a department's file was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReturnProblem {
    #[error("cần ghi lý do trả lại để sở biết phải sửa gì")]
    NoReason,
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

/// One line of what starting a new month does (printed before it by the page,
/// after it by `new-period`); paths relative to the project.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanLine {
    #[error("Tạo {period} ({dir}) từ {from} ({from_dir}).")]
    Start {
        period: String,
        dir: String,
        from: String,
        from_dir: String,
    },
    #[error("Chép {count} tệp số liệu của {from}: cùng chỉ tiêu, cột Giá trị và Ghi chú để trống cho kỳ mới ({files}).")]
    Sectors { count: usize, from: String, files: String },
    #[error("Giữ các chỉ tiêu kế hoạch, dự toán của {from} (cùng năm).")]
    TargetsKept { from: String },
    #[error("Không giữ các chỉ tiêu kế hoạch, dự toán ({why}): các cột Dự toán TW, Dự toán HĐND, Kế hoạch để trống.")]
    TargetsBlank { why: String },
    #[error("Số cùng kỳ (cột Cùng kỳ) lấy từ {month} ({dir}).")]
    PriorFrom { month: String, dir: String },
    #[error("{month} ({dir}) là số liệu mẫu nên không lấy số cùng kỳ từ đó: cột Cùng kỳ để trống, nhập tay từ báo cáo {month}.")]
    PriorSample { month: String, dir: String },
    #[error("Chưa có số liệu {month} ({dir}) nên cột Cùng kỳ để trống: nhập tay từ báo cáo {month}.")]
    PriorNone { month: String, dir: String },
    #[error("Chép thư mục {from} sang {to} (không ghi đè tệp đã có).")]
    Folder { from: String, to: String },
    #[error("Chép tệp {from} sang {to}.")]
    File { from: String, to: String },
    #[error("{dir} là số liệu mẫu kèm chương trình: {count} tệp của nó chuyển sang {aside} (giữ lại, không xóa).")]
    SampleAside { dir: String, count: usize, aside: String },
    #[error("{dir} giữ nguyên tại chỗ (số liệu riêng của một loại báo cáo, không phải số liệu mẫu của tháng).")]
    Kept { dir: String },
}

/// Why the plan targets of a new month are left blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TargetsBlankWhy {
    #[error("kỳ mới sang năm khác")]
    NewYear,
    #[error("tháng nguồn là số liệu mẫu")]
    SampleSource,
}

/// What kind of thing is left to do for a period ("Việc còn lại").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, thiserror::Error)]
pub enum TaskKind {
    #[error("chưa có số liệu")]
    #[serde(rename = "chua-co-so")]
    BlankValue,
    #[error("chưa có số cùng kỳ (lời văn cần để so sánh)")]
    #[serde(rename = "chua-co-cung-ky")]
    BlankPrior,
    #[error("tổng không khớp các thành phần")]
    #[serde(rename = "tong-khong-khop")]
    TotalMismatch,
    #[error("lời văn còn ghi của kỳ khác")]
    #[serde(rename = "loi-van-cu")]
    StaleText,
    #[error("đơn vị chưa gửi số liệu")]
    #[serde(rename = "chua-gui")]
    NotSent,
    #[error("lỗi cần sửa")]
    #[serde(rename = "loi")]
    OtherError,
}

/// Which figure of an indicator a placeholder stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FeedOrValue {
    #[error("giá trị")]
    Value,
    #[error("số cùng kỳ")]
    Prior,
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

/// Why an accounts command was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AccountProblem {
    #[error("đã có tài khoản tên này. Đổi mật khẩu bằng: baocao nguoi-dung doi-mat-khau TÊN")]
    Exists,
    /// [`AccountProblem::Exists`] as the accounts page says it.
    #[error("đã có tài khoản tên này; muốn đổi mật khẩu của nó thì bấm Đặt lại ở dòng của tài khoản đó trong danh sách")]
    ExistsOnPage,
    /// [`AccountProblem::NoSectors`] as the accounts page says it.
    #[error("chưa đánh dấu lĩnh vực nào; đánh dấu các lĩnh vực sở này nhập rồi bấm Tạo tài khoản")]
    NoSectorsTicked,
    #[error("không có tài khoản tên này. Xem danh sách bằng: baocao nguoi-dung danh-sach")]
    Unknown,
    #[error("tên đầy đủ (tên hiện cho mọi người) chỉ một dòng, nhiều nhất {max} ký tự, vd. Sở Y tế")]
    BadFullName { max: usize },
    /// The accounts page asks for the department's name.
    #[error("chưa ghi tên sở, ngành (vd. Sở Y tế); tên này hiện trên trang và trong lịch sử sửa số liệu")]
    NoFullName,
    #[error("tên chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới (1–64 ký tự), bắt đầu bằng chữ hoặc số, vd. so-y-te")]
    BadName,
    #[error("vai trò \"{0}\" không có; chỉ dùng --vai-tro van-phong, --vai-tro so hoặc --vai-tro lanh-dao")]
    UnknownRole(String),
    #[error("tài khoản văn phòng và lãnh đạo thấy mọi lĩnh vực, không ghi --linh-vuc")]
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
    /// A department account while no office account exists would lock Văn phòng out.
    #[error("chưa có tài khoản Văn phòng nào. Tài khoản đầu tiên phải là của Văn phòng (nếu tạo tài khoản sở trước, trang web sẽ đòi đăng nhập và Văn phòng không vào được). Tạo trước: baocao nguoi-dung them van-phong --vai-tro van-phong")]
    NoOfficeYet,
    #[error("đây là tài khoản Văn phòng duy nhất mà vẫn còn tài khoản sở; tạo một tài khoản Văn phòng khác trước, để Văn phòng không bị khoá ngoài trang web")]
    LastOffice,
    /// The office manages department accounts only on the page.
    #[error(
        "đây là tài khoản Văn phòng; trên trang chỉ quản lý được tài khoản của sở (tài khoản Văn phòng sửa bằng lệnh baocao nguoi-dung)"
    )]
    NotDepartment,
}

/// Why issuing a version was refused (the `problem` of [`Error::Issue`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IssueProblem {
    #[error("phiên bản {version} đã ban hành lúc {time} (người ban hành: {who}); không ban hành lại lần nữa. Muốn sửa thì tạo bản đính chính có lý do")]
    AlreadyIssued { version: u32, time: String, who: String },
    /// The figures are the samples shipped with the program (a folder marked `SO-LIEU-MAU.md`).
    #[error("báo cáo làm từ số liệu mẫu ({marked}), không phải số liệu của cơ quan; bản PDF in chéo chữ \"SỐ LIỆU MẪU\" và không được ban hành. Làm kỳ thật trước: trang chủ, nút \"Bắt đầu tháng …\" (hoặc lệnh baocao new-period), rồi nhập số liệu thật")]
    Sample { marked: String },
    #[error("phiên bản {version} cũ hơn phiên bản {issued} đang ban hành; không ban hành bản cũ đè lên bản mới (các bản đính chính sau sẽ bị ghi nhầm là đính chính bản cũ). Xem các phiên bản: baocao history")]
    OlderThanIssued { version: u32, issued: u32 },
}

/// The words of a version's note (who and what changed since the version before).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VersionNoteText {
    #[error("Bản đầu tiên, do {who} tạo")]
    First { who: String },
    #[error("{who} sửa: {what}")]
    Changes { who: String, what: String },
    #[error("số liệu {0}")]
    Figures(String),
    #[error("đoạn văn {0}")]
    Fragments(String),
    #[error("không đổi số liệu hay lời văn (chỉ tạo lại bản PDF)")]
    LayoutOnly,
    #[error(" và {0} mục khác")]
    More(usize),
}
