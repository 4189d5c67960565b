//! The document header (`/van-ban.json`): what the layout draws the first page's
//! header, the titles, the end block and the appendices from. A typed value, read
//! by the layout as data (never markup); Vietnamese keys are the layout's names.

use serde::Serialize;

/// Everything the layout reads from `/van-ban.json`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Header {
    /// Cơ quan chủ quản (the body above the issuer), may be empty.
    #[serde(rename = "co_quan_chu_quan")]
    pub parent_body: String,
    /// The issuing body, one entry per line.
    #[serde(rename = "co_quan")]
    pub issuer: Vec<String>,
    /// Quốc hiệu (or the Party's name).
    #[serde(rename = "quoc_hieu")]
    pub national_title: String,
    /// Tiêu ngữ (empty for the Party).
    #[serde(rename = "tieu_ngu")]
    pub motto: String,
    /// "Số: …/BC-UBND" or "Số …-BC/ĐU".
    #[serde(rename = "so_ky_hieu")]
    pub number_and_code: String,
    /// Place name (địa danh).
    #[serde(rename = "dia_danh")]
    pub place: String,
    /// "Lai Châu, ngày … tháng … năm …".
    #[serde(rename = "dia_danh_ngay")]
    pub place_and_date: String,
    /// Document type (BÁO CÁO, KẾ HOẠCH…).
    #[serde(rename = "loai_van_ban")]
    pub document_type: String,
    /// Trích yếu lines.
    #[serde(rename = "trich_yeu")]
    pub subject: Vec<String>,
    /// Nơi nhận lines.
    #[serde(rename = "noi_nhan")]
    pub recipients: Vec<String>,
    /// Authority lines above the signature (TM. UBND, KT. CHỦ TỊCH…).
    #[serde(rename = "quyen_han")]
    pub authority: Vec<String>,
    /// The signer's name.
    #[serde(rename = "nguoi_ky")]
    pub signer: String,
    /// Section titles, in order.
    #[serde(rename = "muc")]
    pub section_titles: Vec<String>,
    /// PDF title.
    #[serde(rename = "tieu_de_tai_lieu")]
    pub pdf_title: String,
    /// PDF author.
    #[serde(rename = "tac_gia")]
    pub pdf_author: String,
    /// Year, month, day of the document.
    #[serde(rename = "ngay_tai_lieu")]
    pub pdf_date: [i32; 3],
    /// Made from sample figures (số liệu mẫu): every page is marked across
    /// "SỐ LIỆU MẪU", so it is never taken for a real report.
    #[serde(rename = "so_lieu_mau")]
    pub sample: bool,
    /// Appendices and the indicator table, as the layout draws them.
    #[serde(rename = "phu_luc")]
    pub appendices: Vec<serde_json::Value>,
}
