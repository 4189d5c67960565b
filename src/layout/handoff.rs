//! Hand-off to the e-office system: the outgoing document's metadata that
//! Nghị định 30/2020/NĐ-CP Phụ lục VI, Phần II, mục I lists, filled from the
//! manifest and the laid-out document, written beside each PDF as
//! `<report>-<period>.edoc.json`. The number and the date stay blank for the
//! Văn thư to stamp when they are blank in the manifest (as in the PDF).

use serde::Serialize;

use crate::base::manifest::Manifest;

/// File name suffix of the hand-off file.
pub const SUFFIX: &str = ".edoc.json";

/// The outgoing document's metadata (field names as in NĐ 30 Phụ lục VI).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct OutgoingDocument {
    pub type_name: String,
    pub code_number: String,
    pub code_notation: String,
    pub issued_date: String,
    pub organ_name: String,
    pub subject: String,
    pub language: String,
    pub page_amount: usize,
    pub signer_info: SignerInfo,
    pub to: Vec<Recipient>,
}

/// Who signs: the authority line(s) and the name.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct SignerInfo {
    pub competence: String,
    pub position: String,
    pub full_name: String,
}

/// One recipient of Nơi nhận (the archive copy "Lưu: ..." is not a recipient).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Recipient {
    pub organ_name: String,
}

impl OutgoingDocument {
    /// The metadata of a document made from `m`, with its rendered trích yếu and page count.
    ///
    /// ```
    /// let m = baocao::internals::manifest::Manifest::parse(
    ///     r#"loai_van_ban = "BÁO CÁO"
    /// ky_hieu = "BC-UBND"
    /// co_quan = ["ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU"]
    /// dia_danh = "Lai Châu"
    /// trich_yeu = ["Tình hình kinh tế - xã hội"]
    /// noi_nhan = ["Bộ Tài chính;", "Lưu: VT, Th1."]
    /// quyen_han = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    /// nguoi_ky = "Hà Trọng Hải"
    /// [[muc]]
    /// doan = "mo-dau"
    /// "#,
    ///     std::path::Path::new("mau.toml"),
    /// )
    /// .unwrap();
    /// let d = baocao::internals::handoff::OutgoingDocument::new(&m, &["Tình hình kinh tế - xã hội".into()], 16);
    /// assert_eq!(d.code_notation, "BC-UBND");
    /// assert_eq!(d.signer_info.position, "PHÓ CHỦ TỊCH");
    /// assert_eq!(d.to.len(), 1);
    /// assert_eq!(d.to[0].organ_name, "Bộ Tài chính");
    /// ```
    pub fn new(m: &Manifest, trich_yeu: &[String], pages: usize) -> OutgoingDocument {
        let clean = |s: &str| s.trim().trim_end_matches([';', ',', '.']).trim().to_string();
        OutgoingDocument {
            type_name: m.document_type.clone(),
            code_number: m.number.clone(),
            code_notation: m.code_notation.clone(),
            issued_date: m.date.clone(),
            organ_name: m.issuing_body.join(" "),
            subject: trich_yeu.join(" "),
            language: "vi".into(),
            page_amount: pages,
            signer_info: SignerInfo {
                competence: m.signing_authority.first().cloned().unwrap_or_default(),
                position: m.signing_authority.last().cloned().unwrap_or_default(),
                full_name: m.signer.clone(),
            },
            to: m
                .recipients
                .iter()
                .filter(|r| !r.trim_start().starts_with("Lưu"))
                .map(|r| Recipient { organ_name: clean(r) })
                .collect(),
        }
    }

    /// The JSON written beside the PDF.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).expect("plain strings and numbers serialise")
    }
}
