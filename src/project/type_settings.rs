//! A report type's settings as a form edits them (issue 29): the header (type
//! name, number and code, issuing body, place), the trích yếu, the Nơi nhận and
//! the signature (authority lines, signer). Saved into `mau.toml` with every
//! other key, comment and order kept (toml_edit).
//!
//! Văn phòng only. Refuses a form made from an older `mau.toml` (someone saved
//! in between), an empty required field, control characters and overlong lines,
//! and anything after which `mau.toml` would no longer read as a manifest. The
//! trích yếu is written escaped for the fragment language, so a form cannot put
//! markup in the document; the other fields are data to the layout already.

use std::sync::Mutex;

use serde::Serialize;
use toml_edit::{Array, DocumentMut, Item, Value};

use super::access::{allow, Access};
use super::Project;
use crate::archive::output::write_atomic;
use crate::base::manifest::{Manifest, FILE_NAME};
use crate::error::{Error, IoAction, OfficeTask, Result, ReviewError, TypeField};
use crate::figures::sha256_hex;
use crate::import::figures::escape;
use crate::office::actor::Actor;

/// One save of settings at a time (read, compare, write).
static SAVING: Mutex<()> = Mutex::new(());

/// The settings the form shows and sends back.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TypeSettings {
    pub document_type: String,
    pub number: String,
    pub code: String,
    pub parent_body: String,
    pub issuer: Vec<String>,
    pub place: String,
    pub subject: Vec<String>,
    pub recipients: Vec<String>,
    pub authority: Vec<String>,
    pub signer: String,
    /// The hash of `mau.toml` the form was made from.
    pub hash: String,
}

impl Project {
    /// The settings of report type `report`, for the form.
    pub fn type_settings(&self, actor: &Actor, report: &str) -> Result<TypeSettings> {
        allow(actor, &Access::Office(OfficeTask::EditReportType))?;
        let m = self.manifest(report)?;
        let path = self.report_dir(report).join(FILE_NAME);
        let bytes = crate::base::folders::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        Ok(TypeSettings {
            document_type: m.document_type,
            number: m.number,
            code: m.code_notation,
            parent_body: m.parent_body,
            issuer: m.issuing_body,
            place: m.place,
            subject: m.subject.iter().map(|l| unescape(l)).collect(),
            recipients: m.recipients,
            authority: m.signing_authority,
            signer: m.signer,
            hash: sha256_hex(&bytes),
        })
    }

    /// Saves the settings into `mau.toml`; returns its new hash.
    pub fn save_type_settings(&self, actor: &Actor, report: &str, s: &TypeSettings) -> Result<String> {
        allow(actor, &Access::Office(OfficeTask::EditReportType))?;
        self.manifest(report)?;
        let s = checked(s)?;
        let path = self.report_dir(report).join(FILE_NAME);
        let _one = SAVING.lock().unwrap_or_else(|e| e.into_inner());
        let old = crate::base::folders::read_to_string(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        if sha256_hex(old.as_bytes()) != s.hash {
            return Err(Error::Review(ReviewError::StaleSettings));
        }
        let new = edited(&old, &s).map_err(|detail| Error::Manifest {
            file: path.clone(),
            detail,
        })?;
        toml::from_str::<Manifest>(&new).map_err(|e| Error::Manifest {
            file: path.clone(),
            detail: e.to_string(),
        })?;
        write_atomic(&path, new.as_bytes())?;
        Ok(sha256_hex(new.as_bytes()))
    }
}

/// The form's values trimmed, empty lines dropped; refuses what the document cannot take.
fn checked(s: &TypeSettings) -> Result<TypeSettings> {
    let one = field_text;
    let lines = |v: &[String], f: TypeField, required: bool| -> Result<Vec<String>> {
        let v: Vec<String> = v.iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
        if required && v.is_empty() {
            return Err(Error::Review(ReviewError::Empty(f)));
        }
        v.iter().map(|l| one(l, f, false)).collect()
    };
    Ok(TypeSettings {
        document_type: one(&s.document_type, TypeField::DocumentType, true)?,
        number: one(&s.number, TypeField::Code, false)?,
        code: one(&s.code, TypeField::Code, true)?,
        parent_body: one(&s.parent_body, TypeField::Issuer, false)?,
        issuer: lines(&s.issuer, TypeField::Issuer, true)?,
        place: one(&s.place, TypeField::Place, true)?,
        subject: lines(&s.subject, TypeField::Subject, true)?,
        recipients: lines(&s.recipients, TypeField::Recipients, false)?,
        authority: lines(&s.authority, TypeField::Authority, true)?,
        signer: one(&s.signer, TypeField::Signer, true)?,
        hash: s.hash.clone(),
    })
}

/// A form field's text, trimmed; refuses an empty required field, control
/// characters and a line over 300 characters.
pub(super) fn field_text(v: &str, field: TypeField, required: bool) -> Result<String> {
    let v = v.trim();
    match () {
        _ if required && v.is_empty() => Err(Error::Review(ReviewError::Empty(field))),
        _ if v.chars().any(char::is_control) || v.chars().count() > 300 => Err(Error::Review(ReviewError::BadText(field))),
        _ => Ok(v.to_string()),
    }
}

/// `mau.toml` with the settings' keys set; every other line as it was.
fn edited(old: &str, s: &TypeSettings) -> std::result::Result<String, String> {
    let mut doc: DocumentMut = old.parse().map_err(|e: toml_edit::TomlError| e.to_string())?;
    let text = |v: &str| Item::Value(Value::from(v));
    let list = |v: &[String]| Item::Value(Value::Array(v.iter().map(String::as_str).collect::<Array>()));
    let subject: Vec<String> = s.subject.iter().map(|l| escape(l)).collect();
    doc["loai_van_ban"] = text(&s.document_type);
    doc["so"] = text(&s.number);
    doc["ky_hieu"] = text(&s.code);
    doc["co_quan_chu_quan"] = text(&s.parent_body);
    doc["co_quan"] = list(&s.issuer);
    doc["dia_danh"] = text(&s.place);
    doc["trich_yeu"] = list(&subject);
    doc["noi_nhan"] = list(&s.recipients);
    doc["quyen_han"] = list(&s.authority);
    doc["nguoi_ky"] = text(&s.signer);
    Ok(doc.to_string())
}

/// A trích yếu line as people wrote it: `{{ "*" }}` runs (see
/// [`escape`]) back to their characters.
fn unescape(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("{{ \"") {
        let after = &rest[start + 4..];
        let run_len = after
            .find("\" }}")
            .filter(|&n| n > 0 && after[..n].chars().all(|c| "{}*_^[]".contains(c)));
        match run_len {
            Some(n) => {
                out.push_str(&rest[..start]);
                out.push_str(&after[..n]);
                rest = &after[n + 4..];
            }
            None => {
                out.push_str(&rest[..start + 4]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_line_goes_through_escape_and_back() {
        for line in ["về {dự án} *A* [1]_^", "bình thường", "{{ \"x\" }} gõ tay"] {
            assert_eq!(unescape(&escape(line)), line);
        }
    }

    #[test]
    fn editing_keeps_the_rest_of_the_file() {
        let old = "# Kế hoạch\nloai_van_ban = \"KẾ HOẠCH\" # giữ\nky_hieu = \"KH-UBND\"\n\n[[muc]]\ncap = 1\n";
        let s = TypeSettings {
            document_type: "KẾ HOẠCH".into(),
            code: "KH-UBND".into(),
            issuer: vec!["ỦY BAN NHÂN DÂN".into()],
            place: "Lai Châu".into(),
            subject: vec!["về *x*".into()],
            authority: vec!["CHỦ TỊCH".into()],
            signer: "Nguyễn \"Văn\" A".into(),
            ..TypeSettings::default()
        };
        let new = edited(old, &s).unwrap();
        assert!(new.starts_with("# Kế hoạch\n"), "{new}");
        assert!(new.contains("[[muc]]\ncap = 1"), "{new}");
        let back: toml::Table = toml::from_str(&new).unwrap();
        assert_eq!(back["nguoi_ky"].as_str(), Some("Nguyễn \"Văn\" A"));
        assert_eq!(back["trich_yeu"][0].as_str(), Some("về {{ \"*\" }}x{{ \"*\" }}"));
    }
}
