//! Two versions compared the way people read them: figures by their
//! indicator's NAME (and sector title), never only by code, and the changed
//! sentences of the document from its own text (`NNN.van-ban.txt`: the
//! rendered fragments, footnotes apart from their sentence), each with the
//! title of the fragment it belongs to. Versions made before the document's
//! text was kept fall back to the laid-out text, and say so; nothing here
//! writes a file.

use crate::archive::output::{self, OutputPaths, VersionManifest};
use crate::archive::textdiff::{self, SentenceChange};
use crate::base::words::Names;

/// One figure whose printed value differs.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureChange {
    /// `sector.code` as stored.
    pub key: String,
    /// The indicator's name ("Trường hợp mắc mới Tay - Chân - Miệng"), else its code.
    pub name: String,
    /// The sector's title ("Y tế"), else its file name.
    pub sector: String,
    pub old: String,
    pub new: String,
}

/// Which text the sentences were compared on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSource {
    /// The document's own text (both versions kept it).
    Document,
    /// The laid-out page text (an older version kept only that).
    LaidOut,
    /// Neither version kept a text.
    None,
}

/// The comparison of two versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub old: u32,
    pub new: u32,
    pub figures: Vec<FigureChange>,
    /// Changed sentences; `fragment` holds the fragment's TITLE here.
    pub sentences: Vec<SentenceChange>,
    pub text: TextSource,
}

/// The name of `key` (`sector.code`) in either version, else the code.
fn figure_name(key: &str, old: &VersionManifest, new: &VersionManifest) -> String {
    let find = |m: &VersionManifest| m.figure_names.iter().find(|(k, _)| k == key).map(|(_, n)| n.clone());
    find(new)
        .or_else(|| find(old))
        .unwrap_or_else(|| key.split_once('.').map_or(key, |(_, c)| c).to_string())
}

/// The figures that differ, by name.
pub fn figures(old: &VersionManifest, new: &VersionManifest, names: &Names) -> Vec<FigureChange> {
    output::diff(old, new)
        .into_iter()
        .map(|(key, o, n)| FigureChange {
            name: figure_name(&key, old, new),
            sector: names.sector(key.split_once('.').map_or("", |(s, _)| s)),
            key,
            old: o,
            new: n,
        })
        .collect()
}

/// The sentences that differ, with their fragment's title.
pub fn sentences(paths: &OutputPaths, old: u32, new: u32, names: &Names) -> (Vec<SentenceChange>, TextSource) {
    let (a, b) = (paths.document_text(old), paths.document_text(new));
    if !a.is_empty() && !b.is_empty() {
        let mut changes = textdiff::document_changes(&a, &b);
        for c in &mut changes {
            c.fragment = names.fragment(&c.fragment);
        }
        return (changes, TextSource::Document);
    }
    let lines = |n: u32| paths.version_text(n).lines().map(str::to_string).collect::<Vec<_>>();
    let (a, b) = (lines(old), lines(new));
    if a.is_empty() || b.is_empty() {
        return (Vec::new(), TextSource::None);
    }
    let changes = textdiff::changes(&a, &b).into_iter().map(|c| SentenceChange {
        fragment: String::new(),
        old: c.old,
        new: c.new,
    });
    (changes.collect(), TextSource::LaidOut)
}

/// Compares two versions of one report and period.
pub fn compare(paths: &OutputPaths, old: &VersionManifest, new: &VersionManifest, names: &Names) -> Comparison {
    let (sentences, text) = sentences(paths, old.version, new.version, names);
    Comparison {
        old: old.version,
        new: new.version,
        figures: figures(old, new, names),
        sentences,
        text,
    }
}
