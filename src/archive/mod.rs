//! The archive: what baocao keeps of what it made. Atomic writes and numbered
//! versions in `out/` ([`output`], [`publish`]), the wording diff between two
//! versions ([`textdiff`]) and the issued version with its corrections
//! ([`issuance`]); two versions compared by name and sentence ([`compare`])
//! and the note each version records ([`note`]). It never reads figures or
//! templates itself.

pub mod compare;
pub mod issuance;
pub mod note;
pub mod output;
pub mod publish;
pub mod textdiff;
