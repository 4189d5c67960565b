//! The short note a version records: who changed what since the version
//! before ("so-y-te sửa: số liệu Đàn trâu; đoạn văn Thương mại - dịch vụ").
//! Who comes from the change log entries made since the previous version
//! (the version's maker when the log names nobody, and for the first
//! version); what comes from the two versions' manifests: figures whose
//! printed value changed, by indicator name, and wording files whose hash
//! changed, by fragment title. It refuses nothing and writes nothing.

use std::path::{Path, PathBuf};

use crate::archive::compare;
use crate::archive::output::VersionManifest;
use crate::base::words::Names;
use crate::error::VersionNoteText;
use crate::office::audit::{self, Entry, Kind};

/// Most names listed per kind; the rest are counted.
const MAX_NAMES: usize = 5;

/// A manifest's local time (`2026-03-05 19:00:22`).
fn manifest_time(m: &VersionManifest) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(&m.time, "%Y-%m-%d %H:%M:%S").ok()
}

/// The changes in the logs of `dirs` made after `previous` was (all of them without one).
pub fn entries_since(dirs: &[PathBuf], previous: Option<&VersionManifest>) -> Vec<Entry> {
    let since = previous.and_then(manifest_time);
    let changed = |e: &Entry| {
        matches!(
            e.kind,
            Kind::EditValue | Kind::Upload | Kind::EditFragment | Kind::EditManifest | Kind::Outside | Kind::NewPeriod
        )
    };
    let after = |e: &Entry| {
        let t = chrono::DateTime::parse_from_rfc3339(&e.time).ok();
        let local = t.map(|t| t.with_timezone(&chrono::Local).naive_local());
        since.is_none_or(|s| local.is_some_and(|l| l >= s))
    };
    let mut out: Vec<Entry> = Vec::new();
    for d in dirs {
        out.extend(
            audit::read(d, Path::new(audit::LOG_FILE))
                .0
                .into_iter()
                .filter(|e| changed(e) && after(e)),
        );
    }
    out
}

/// "a, b, c và 4 khác".
fn listed(mut names: Vec<String>) -> String {
    names.dedup();
    let more = names.len().saturating_sub(MAX_NAMES);
    names.truncate(MAX_NAMES);
    let mut s = names.join(", ");
    if more > 0 {
        s.push_str(&VersionNoteText::More(more).to_string());
    }
    s
}

/// The fragments (file stems of `.txt` wording files) whose hash differs.
fn changed_fragments(old: &VersionManifest, new: &VersionManifest) -> Vec<String> {
    let stem = |p: &str| Path::new(p).file_stem().and_then(|s| s.to_str()).map(str::to_string);
    let is_txt = |p: &str| p.ends_with(".txt");
    let mut out: Vec<String> = new
        .template_files
        .iter()
        .filter(|f| is_txt(&f.path))
        .filter(|f| !old.template_files.iter().any(|o| o.path == f.path && o.sha256 == f.sha256))
        .filter_map(|f| stem(&f.path))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The note of `new`, made by `maker`, after `previous` (none for the first version).
pub fn version_note(entries: &[Entry], previous: Option<&VersionManifest>, new: &VersionManifest, maker: &str, names: &Names) -> String {
    let Some(old) = previous else {
        return VersionNoteText::First { who: maker.to_string() }.to_string();
    };
    let mut who: Vec<String> = Vec::new();
    for e in entries {
        if !who.contains(&e.who) {
            who.push(e.who.clone());
        }
    }
    if who.is_empty() {
        who.push(maker.to_string());
    }
    let who = who.join(", ");
    let figures: Vec<String> = compare::figures(old, new, names).into_iter().map(|f| f.name).collect();
    let fragments: Vec<String> = changed_fragments(old, new).iter().map(|f| names.fragment(f)).collect();
    let mut parts = Vec::new();
    if !figures.is_empty() {
        parts.push(VersionNoteText::Figures(listed(figures)).to_string());
    }
    if !fragments.is_empty() {
        parts.push(VersionNoteText::Fragments(listed(fragments)).to_string());
    }
    if parts.is_empty() {
        parts.push(VersionNoteText::LayoutOnly.to_string());
    }
    VersionNoteText::Changes {
        who,
        what: parts.join("; "),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::InputFile;

    fn manifest(figures: &[(&str, &str)], fragment_hash: &str) -> VersionManifest {
        let pairs = |v: &[(&str, &str)]| v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        VersionManifest {
            version: 1,
            program: String::new(),
            report: "bao-cao-thang".into(),
            period: "2026-03".into(),
            time: "2026-03-05 10:00:00".into(),
            pdf_sha256: String::new(),
            inputs: vec![],
            warnings: vec![],
            figures: pairs(figures),
            template_files: vec![InputFile {
                path: "data/2026-03/bao-cao-thang/kinh-te-thuong-mai.txt".into(),
                sha256: fragment_hash.into(),
            }],
            correction: None,
            figure_names: pairs(&[("y_te.sot_xuat_huyet", "Trường hợp mắc mới sốt xuất huyết")]),
            note: None,
        }
    }

    #[test]
    fn the_note_names_people_figures_and_fragments() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let names = Names::load(
            &root.join("data"),
            &root.join("templates/bao-cao-thang"),
            "2026-03".parse().unwrap(),
        );
        let old = manifest(&[("y_te.sot_xuat_huyet", "2"), ("y_te.khac", "1")], "a");
        let new = manifest(&[("y_te.sot_xuat_huyet", "3"), ("y_te.khac", "1")], "b");
        let mut e = Entry::new("so-y-te", Kind::EditValue, "data/2026-03/y_te.csv");
        e.time = "2026-03-05T11:00:00+07:00".into();
        let note = version_note(&[e], Some(&old), &new, "van-phong", &names);
        assert_eq!(
            note,
            "so-y-te sửa: số liệu Trường hợp mắc mới sốt xuất huyết; đoạn văn Thương mại - dịch vụ"
        );
        assert_eq!(version_note(&[], None, &new, "van-phong", &names), "Bản đầu tiên, do van-phong tạo");
        assert_eq!(
            version_note(&[], Some(&new), &new, "van-phong", &names),
            "van-phong sửa: không đổi số liệu hay lời văn (chỉ tạo lại bản PDF)"
        );
    }
}
