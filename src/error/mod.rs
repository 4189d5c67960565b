//! Every message a user can see, in Vietnamese, in one place.
//!
//! [`Error`] stops a command; [`Finding`] is one problem found in the data by
//! `check` (errors and warnings are collected, all reported at once).

use std::fmt;
use std::path::PathBuf;

use crate::base::number::NumberError;

mod findings;
mod import;
mod layout;
mod office;
mod wording;

pub use findings::*;
pub use import::*;
pub use layout::*;
pub use office::*;
pub use wording::*;

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

/// What a finding is about, by the names people know ([`Finding::about`]).
#[derive(Debug, Clone, Copy)]
pub enum About<'a> {
    /// An indicator of a sector file, by the sector's title and its name.
    Indicator { sector: &'a str, name: &'a str },
    /// A sector file (a line of it, when known), by the sector's title.
    Sector { sector: &'a str, line: Option<usize> },
    /// A text of the report (a line of it), by its title.
    Text { title: &'a str, line: Option<usize> },
    /// A period's folder ("tháng 1/2026"): its figures as a whole.
    Month { label: &'a str },
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

impl Finding {
    /// The finding as a page that already shows its file and row says it:
    /// "Cảnh báo: …", or "Lỗi ở cột Cùng kỳ: …" when `column` names the
    /// column (as people name it); never a path or an indicator's code.
    pub fn on_page(&self, column: Option<&str>) -> String {
        let tag = self.tag();
        match column {
            Some(column) => format!("{tag} ở cột {column}: {}", self.problem),
            None => format!("{tag}: {}", self.problem),
        }
    }

    /// The finding as a list grouped by its file says it: its line, if any, and
    /// the problem ("Dòng 7 – Cảnh báo: …"), never the path or a character column.
    pub fn in_its_file(&self) -> String {
        match self.location.line {
            Some(line) => format!("Dòng {line} – {}", self.on_page(None)),
            None => self.on_page(None),
        }
    }

    /// The finding as a list of a report's findings says it, by what it is about
    /// as people name it: "Cảnh báo – Nông nghiệp và nông thôn mới – Đàn trâu: …",
    /// "Cảnh báo – Văn hóa - xã hội, dòng 7: …".
    pub fn about(&self, about: About<'_>) -> String {
        let line = |l: Option<usize>| l.map(|l| format!(", dòng {l}")).unwrap_or_default();
        let about = match about {
            About::Indicator { sector, name } => format!("{sector} – {name}"),
            About::Sector { sector, line: l } => format!("{sector}{}", line(l)),
            About::Text { title, line: l } => format!("{title}{}", line(l)),
            About::Month { label } => format!("Số liệu {label}"),
        };
        format!("{} – {about}: {}", self.tag(), self.problem)
    }

    /// "Lỗi" or "Cảnh báo", as a page writes it.
    fn tag(&self) -> &'static str {
        match self.severity {
            Severity::Error => "Lỗi",
            Severity::Warning => "Cảnh báo",
        }
    }

    /// The finding without its severity: place, indicator, problem.
    pub fn what(&self) -> String {
        match &self.indicator {
            Some(code) => format!("{} [{code}]: {}", self.location, self.problem),
            None => format!("{}: {}", self.location, self.problem),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.severity {
            Severity::Error => "LỖI",
            Severity::Warning => "CẢNH BÁO",
        };
        write!(f, "{tag}: {}", self.what())
    }
}

// ---- Texts of the layout check, the staleness check and mau.toml ----

/// A number as the format check prints it (Vietnamese decimal comma, `d` decimals).
fn dec(x: &f64, d: u8) -> String {
    crate::base::number::format(*x, d)
}

/// Months as "12, 01, 02".
fn two_digits(months: &[u32]) -> String {
    months.iter().map(|m| format!("{m:02}")).collect::<Vec<_>>().join(", ")
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
    #[error("Không nhập được {}: {problem}", file.display())]
    Import { file: PathBuf, problem: ImportError },
    /// The report type page refused a change (see [`ReviewError`]).
    #[error("{0}")]
    Review(ReviewError),
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
    #[error("{} là một liên kết (symlink) hoặc không phải tệp thường: baocao không đi theo liên kết trong thư mục dự án, để không đọc hay ghi một tệp ở ngoài dự án. Hãy thay nó bằng chính tệp (hoặc thư mục) thật.", .0.display())]
    NotRegular(PathBuf),
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
    /// `ban-hanh` while totals do not match their parts, with no acknowledgement.
    #[error("Chưa ban hành: số liệu có tổng không khớp với các phần của nó, ký văn bản này là ký cả chỗ không khớp:\n{}\nSửa số liệu rồi ban hành, hoặc nếu đúng như vậy (ví dụ bản gốc in như thế) thì ban hành kèm lý do: baocao ban-hanh --xac-nhan \"lý do\"; lý do được ghi vào nhật ký của kỳ.", .mismatches.iter().map(|m| format!("  - {m}")).collect::<Vec<_>>().join("\n"))]
    TotalsNotAcknowledged { mismatches: Vec<String> },
    /// The period is issued (ban hành): a change needs a reason and becomes a correction.
    #[error("Kỳ {period} đã ban hành nên số liệu và văn bản chỉ đọc. Muốn đính chính thì ghi rõ lý do; thay đổi sẽ được ghi vào nhật ký và tạo phiên bản đính chính.")]
    Locked { period: String },
    /// A department's change to an issued period: only Văn phòng corrects it.
    #[error("Kỳ {period} đã ban hành: chỉ Văn phòng UBND được đính chính số liệu. Cần sửa gì, xin báo Văn phòng (ghi rõ chỉ tiêu, số đúng và lý do).")]
    LockedForDepartment { period: String },
    /// Issuing a version was refused by the period's state (already issued, older than the issued one).
    #[error("Chưa ban hành kỳ {period}: {problem}.")]
    Issue { period: String, problem: IssueProblem },
    /// An accounts command was refused (unknown role, short password, existing name...).
    #[error("Tài khoản \"{name}\": {problem}")]
    Account { name: String, problem: AccountProblem },
    /// Sign-in refused (same text whether or not the account exists).
    #[error("Tên đăng nhập hoặc mật khẩu không đúng.")]
    LoginFailed,
    /// Too many wrong passwords for this name: wait before trying again.
    #[error("Đã nhập sai mật khẩu nhiều lần. Chờ {seconds} giây rồi thử lại.")]
    TooManyTries { seconds: u64 },
    /// Too many wrong passwords for this name from every address together.
    #[error("Tài khoản này tạm khoá vì bị nhập sai mật khẩu quá nhiều lần (có thể có người dò mật khẩu). Văn phòng mở khoá bằng lệnh: baocao nguoi-dung mo-khoa TÊN (hoặc đặt lại mật khẩu); máy đã đăng nhập được tài khoản này trước đó vẫn vào được.")]
    AccountLocked,
    /// Too many sign-ins being checked at once (the server's global cap).
    #[error("Máy chủ đang kiểm tra quá nhiều lần đăng nhập cùng lúc. Chờ vài giây rồi thử lại.")]
    LoginBusy,
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
    /// `new-period` makes months only; longer periods are built from their months.
    #[error("{period} ({label}) không tạo bằng new-period: kỳ dài hơn một tháng được tổng hợp từ các tháng của nó (chạy baocao render --period {period} khi các tháng đã có số liệu). Chỉ tạo được kỳ tháng, vd. baocao new-period 2026-04.")]
    NotAMonth { period: String, label: String },
    /// A numbered version or an issue asked for while placeholders remain.
    #[error("Chưa tạo được bản PDF có số phiên bản (hay ban hành) vì còn {count} chỗ trống \"[chưa có: ...]\": {list}{more}. Điền các số này rồi làm lại (danh sách đủ: Việc còn lại, hoặc baocao viec-con-lai); bản xem trước vẫn hiện được.")]
    Unfilled { count: usize, list: String, more: MoreBlanks },
    #[error("Không ghi được {path}: tệp đang mở trong chương trình khác (Excel, trình đọc PDF...) hoặc thư mục không cho ghi. Đóng tệp đó rồi làm lại; tệp cũ giữ nguyên.")]
    InUse { path: PathBuf },
}

/// The blanks not named in [`Error::Unfilled`] (the first few are).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoreBlanks {
    #[error("")]
    None,
    #[error(" và {0} chỗ khác")]
    Some(usize),
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

/// How `ty_le` names a target column in its messages.
fn target_label(key: &str) -> &'static str {
    match key {
        "du_toan_tw" => "dự toán Trung ương (du_toan_tw)",
        "du_toan_hdnd" => "dự toán HĐND tỉnh (du_toan_hdnd)",
        "ke_hoach" => "kế hoạch (ke_hoach)",
        _ => "cùng kỳ (cung_ky)",
    }
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
            Manifest { file, .. } | NotFound(file) | NotRegular(file) | UnknownCell { file, .. } | StaleFile { file, .. } => {
                Location::file(file)
            }
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
        // A link refused inside the project reads the same wherever it was met.
        if let Some(r) = source.get_ref().and_then(|e| e.downcast_ref::<crate::base::folders::Refusal>()) {
            return Error::NotRegular(r.0.clone());
        }
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
