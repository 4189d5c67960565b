//! Texts of the Word importer (`baocao nhap-word`, issue 29): why a file is refused,
//! why a number stayed text, what could not be read. Texts only; the decisions
//! live in `src/import/`.

use super::*;

/// A Word file the importer refuses.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error(
        "không đọc được như tệp Word .docx ({0}). Mở tệp bằng Word, chọn Lưu thành (Save As) kiểu \"Word Document (.docx)\" rồi chạy lại."
    )]
    NotDocx(String),
    #[error("tệp .doc (Word 97-2003) cần LibreOffice để chuyển sang .docx, nhưng máy này không có lệnh soffice. Mở tệp bằng Word, chọn Lưu thành (Save As) kiểu \"Word Document (.docx)\" rồi nhập tệp .docx; hoặc cài LibreOffice.")]
    DocWithoutOffice,
    #[error("LibreOffice không chuyển được tệp .doc sang .docx: {0}")]
    DocConversion(String),
    #[error("không thấy bảng phần đầu văn bản (bảng hai cột: tên cơ quan và dòng \"Số: ...\" | quốc hiệu hoặc \"ĐẢNG CỘNG SẢN VIỆT NAM\", địa danh và ngày). Văn bản theo Nghị định 30/2020 hay Hướng dẫn 36-HD/VPTW có bảng này ở đầu trang 1.")]
    NoHeader,
    #[error("không thấy bảng \"Nơi nhận\" và chữ ký ở cuối văn bản (bảng hai cột: Nơi nhận | quyền hạn, chức vụ, họ tên người ký).")]
    NoSignature,
    #[error("không đọc được tháng và năm ở dòng địa danh, ngày của phần đầu (ví dụ \"Lai Châu, ngày 05 tháng 4 năm 2026\"), nên không biết số liệu thuộc kỳ nào. Ghi tháng và năm vào dòng đó (ngày có thể để trống) rồi nhập lại.")]
    NoDate,
}

/// Why a number of the document stayed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, thiserror::Error)]
pub enum TextReason {
    #[error("ngày tháng, năm hoặc số hiệu văn bản")]
    DateOrDocumentNumber,
    #[error("một phần của chữ hay ký hiệu")]
    PartOfWord,
    #[error("số thứ tự")]
    Ordinal,
    #[error("năm")]
    Year,
    #[error("số không viết theo kiểu Việt Nam (dấu chấm chỉ ngăn hàng nghìn, dấu phẩy thập phân): không biết giá trị nên giữ như bản gốc")]
    NotVietnameseNumber,
    #[error("không có đơn vị hay danh từ đếm sau số")]
    NoUnit,
    #[error("so sánh chưa tính được: không có số liệu đứng trước cùng đơn vị, hoặc không phải so với cùng kỳ")]
    Comparison,
}

/// A part of the document the importer could not read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UnreadPart {
    #[error("dấu chú thích số {0} không có nội dung chú thích trong tệp (bỏ qua dấu)")]
    MissingNote(String),
    #[error("chú thích đặt trong tiêu đề mục (tiêu đề giữ chữ, chú thích bỏ)")]
    NoteInHeading,
}

impl ImportError {
    /// The error of the library, with the file's name.
    pub fn in_file(self, file: &std::path::Path) -> Error {
        Error::Import {
            file: file.to_path_buf(),
            problem: self,
        }
    }
}

/// A form field of the report type page, by its label on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TypeField {
    #[error("Loại văn bản")]
    DocumentType,
    #[error("Ký hiệu")]
    Code,
    #[error("Cơ quan ban hành")]
    Issuer,
    #[error("Địa danh")]
    Place,
    #[error("Trích yếu")]
    Subject,
    #[error("Nơi nhận")]
    Recipients,
    #[error("Quyền hạn, chức vụ người ký")]
    Authority,
    #[error("Người ký")]
    Signer,
    #[error("Tên chỉ tiêu")]
    IndicatorName,
    #[error("Đơn vị tính")]
    Unit,
}

/// What the report type page refuses (the figures of a Word import, its
/// indicators, its settings).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReviewError {
    #[error("Loại báo cáo \"{0}\" không được nhập từ tệp Word (không có bản ghi nhap-tu-word.toml), nên không có số liệu nhập để xác nhận hay chỉ tiêu để sửa ở đây.")]
    NotImported(String),
    #[error("Không có số liệu mã \"{0}\" trong bản nhập (có thể đã được giữ hoặc trả về chữ ở một trang khác). Tải lại trang.")]
    UnknownFigure(String),
    #[error("Không có chỉ tiêu mã \"{0}\" trong tệp số liệu của loại báo cáo này. Tải lại trang.")]
    UnknownIndicator(String),
    #[error("Chỉ tiêu \"{code}\" còn được dùng trong lời văn ({fragments}). Sửa đoạn đó (bỏ chỗ điền số {{{{ … }}}}) rồi mới xoá được chỉ tiêu.")]
    InUse { code: String, fragments: String },
    #[error("Mã chỉ tiêu \"{0}\" đã có trong tệp số liệu; chọn mã khác.")]
    CodeExists(String),
    #[error(
        "Mã chỉ tiêu \"{0}\" chỉ được gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ (ví dụ so_truong_dat_chuan)."
    )]
    BadCode(String),
    #[error("Ô \"{0}\" không được để trống.")]
    Empty(TypeField),
    #[error("Ô \"{0}\" có ký tự điều khiển hoặc dài quá 300 ký tự một dòng; hãy gõ lại.")]
    BadText(TypeField),
    #[error("Giá trị \"{0}\" không phải là số viết kiểu Việt Nam (dấu chấm ngăn hàng nghìn, dấu phẩy thập phân, ví dụ 1.234,5), hoặc để trống nếu chưa có.")]
    BadValue(String),
    #[error("Thiết lập của loại báo cáo này đã được sửa ở nơi khác sau khi trang được mở, nên chưa lưu (để không mất thay đổi của người khác). Tải lại trang rồi sửa lại.")]
    StaleSettings,
    #[error("Tên tệp \"{0}\" không phải tệp Word: chọn tệp .docx (hoặc .doc).")]
    NotWordFile(String),
}
