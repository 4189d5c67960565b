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
