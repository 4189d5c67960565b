//! The web page's own words: what the server prints at start and stop, the short
//! answers of its guards, and the texts it wraps around library errors. Library
//! errors keep their texts in `error/`; the HTML pages' words are in `assets/`.

use std::path::PathBuf;

/// Messages of the web server: refusals, page errors and the lines it prints.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WebText {
    #[error("Tên máy (Host) của yêu cầu không được phép. Mở trang bằng đúng địa chỉ máy chủ đã in ra khi khởi động.")]
    BadHost,
    #[error("Yêu cầu thay đổi dữ liệu đến từ trang khác (không cùng nguồn) nên bị từ chối.")]
    CrossOrigin,
    #[error("Cần mã truy cập. Mở trang bằng đường dẫn có mã (?ma=...) đã in ra khi máy chủ khởi động.")]
    NeedToken,
    #[error("Không có tệp này.")]
    NoSuchAsset,
    /// The title of the error page.
    #[error("Có lỗi")]
    ErrorTitle,
    #[error("Lỗi trang {name}: {detail}")]
    PageFailed { name: String, detail: String },
    /// The preview's short text when the figures have errors.
    #[error("số liệu có {0} lỗi (xem danh sách)")]
    DataErrors(usize),
    #[error("không lấy được số ngẫu nhiên cho phiên đăng nhập: {0}")]
    NoRandom(String),
    #[error("địa chỉ không hợp lệ (vd. 127.0.0.1 hoặc 0.0.0.0)")]
    BadAddress,
    #[error("Đã dừng máy chủ.")]
    Stopped,
    #[error("Máy chủ baocao đang chạy cho dự án {}.", .0.display())]
    Running(PathBuf),
    #[error("Dừng máy chủ: nhấn Ctrl+C.")]
    HowToStop,
    #[error("Địa chỉ này mở cho máy khác trong mạng nên cần mã truy cập (chỉ in một lần): {0}")]
    Token(String),
    #[error("Dự án có tài khoản ({0}): mỗi người đăng nhập bằng tài khoản của mình.")]
    HasAccounts(&'static str),
    /// A saved edit whose submission mark could not be updated (server console).
    #[error("Không cập nhật được trạng thái nộp của {file} ({period}): {detail}")]
    MarkNotUpdated { file: String, period: String, detail: String },
    /// A failed render's error in the preview's list of findings.
    #[error("LỖI: {0}")]
    ErrorLine(String),
    #[error("không dùng được chứng chỉ HTTPS {}: {detail}", file.display())]
    TlsFailed { file: PathBuf, detail: String },
    #[error("tệp không có chứng chỉ nào (cần dạng PEM, -----BEGIN CERTIFICATE-----)")]
    NoCertificate,
    /// The answer to a plain-HTTP request on the HTTPS port.
    #[error("Máy chủ này chỉ nhận HTTPS (mã hoá). Mở trang bằng {0}")]
    UseHttps(String),
    #[error("Đã tạo chứng chỉ HTTPS tự ký cho máy này: {}", .0.display())]
    CertificateMade(PathBuf),
    #[error("HTTPS: chứng chỉ {}.", .0.display())]
    CertificateUsed(PathBuf),
    /// The certificate's fingerprint, printed at every start on a LAN address.
    #[error("Dấu vân tay SHA-256 của chứng chỉ (so với trình duyệt trước khi chấp nhận): {0}")]
    Fingerprint(String),
    #[error("CẢNH BÁO: đang chạy HTTP không mã hoá trên địa chỉ mạng (--plain-http): mật khẩu và phiên đăng nhập đi qua mạng ở dạng đọc được. Chỉ dùng sau một proxy HTTPS hoặc trong mạng hoàn toàn tin cậy.")]
    PlainHttpWarning,
    /// The names the Host check accepts on a LAN address.
    #[error("Tên máy được nhận (Host): {0}. Thêm tên khác bằng --allow-host TÊN.")]
    AllowedHosts(String),
}
