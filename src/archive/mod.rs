//! The archive: what baocao keeps of what it made. Atomic writes and numbered
//! versions in `out/` ([`output`], [`publish`]), the wording diff between two
//! versions ([`textdiff`]) and the issued version with its corrections
//! ([`issuance`]). It never reads figures or templates itself.

pub mod issuance;
pub mod output;
pub mod publish;
pub mod textdiff;
