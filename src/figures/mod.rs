//! Stage 1: the period's figures. Each sector file (`data/<period>/<sector>.csv`
//! or a sheet of an .xlsx) holds indicators with a code, name, unit, value and
//! optional parent, prior-year value and plan targets.
pub mod being_saved;
pub mod check;
pub mod derive;
pub mod edit;
pub mod exchange;
pub mod target;

pub mod aggregate;
mod indicators;
pub mod neighbours;
mod parsed;
pub mod remaining;
pub mod sample;
pub mod table;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

#[cfg(test)]
pub use indicators::Targets;
pub use indicators::{Aggregation, Indicator};
use neighbours::Feeds;

use crate::base::period::Period;
use crate::error::{Error, Findings, IoAction, Location, Problem, Result, Severity};

/// One sector: its indicators in file order.
#[derive(Debug, Clone, Default)]
pub struct Sector {
    pub name: String,
    pub source: PathBuf,
    pub indicators: Vec<Indicator>,
}

impl Sector {
    /// The indicator with this code.
    pub fn get(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }
    /// Direct children of `code`.
    pub fn children<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators.iter().filter(move |i| i.parent.as_deref() == Some(code))
    }
}

/// An input file and its SHA-256, for the version manifest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InputFile {
    pub path: String,
    pub sha256: String,
}

/// All figures of one period, with what was found wrong while reading them.
#[derive(Debug, Clone)]
pub struct PeriodData {
    pub period: Period,
    pub sectors: BTreeMap<String, Sector>,
    pub files: Vec<InputFile>,
    pub findings: Findings,
}

impl PeriodData {
    /// The indicator `sector.code`.
    pub fn get(&self, sector: &str, code: &str) -> Option<&Indicator> {
        self.sectors.get(sector)?.get(code)
    }
}

/// Hex SHA-256 of a byte string.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Sector names and indicator codes: a lowercase ASCII letter, then letters, digits, `_`.
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_lowercase()) && b.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

/// Reads one sector's CSV bytes into indicators (what the loader does per file;
/// also the entry point of the fuzz target).
pub fn parse_sector_csv(bytes: &[u8], shown: &Path, sector: &str, findings: &mut Findings) -> Vec<Indicator> {
    table::decode(bytes, shown, findings)
        .and_then(|text| table::parse_csv(&text, shown, sector, findings))
        .map(|t| indicators::from_table(&t, findings))
        .unwrap_or_default()
}

/// The change log's file name inside a period folder (written by [`crate::office::audit`]).
pub const LOG_FILE: &str = "nhat-ky.jsonl";

/// The name of the file marking a period folder shipped as a sample (see data/README.md).
pub const SAMPLE_MARKER: &str = "SO-LIEU-MAU.md";

/// Why a file in a period folder is not read, and what to do; `None` for
/// files that are read or that are not data (documentation, hidden files).
fn unread_hint(path: &Path) -> Option<&'static str> {
    use crate::error::UnreadKind;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if name.starts_with('.') || name.starts_with("~$") || name == LOG_FILE || matches!(ext.as_deref(), Some("csv" | "xlsx" | "md")) {
        return None;
    }
    let head = crate::base::folders::read(path)
        .map(|b| b.get(..2).map(<[u8]>::to_vec))
        .ok()
        .flatten();
    Some(
        match (ext.as_deref(), head.as_deref()) {
            (_, Some([0xFF, 0xFE] | [0xFE, 0xFF])) => UnreadKind::Utf16Text,
            (Some("xls"), _) => UnreadKind::OldExcel,
            _ => UnreadKind::Other,
        }
        .hint(),
    )
}

/// The files directly in `dir`, sorted (no subfolders).
pub fn files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// The period folder's files, sorted; the ones that are not read become warnings first.
fn folder_files(root: &Path, dir: &Path, findings: &mut Findings) -> Result<Vec<PathBuf>> {
    let mut entries = files_in(dir).map_err(|e| Error::io(IoAction::ReadDir, dir, e))?;
    for p in &entries {
        if let Some(hint) = unread_hint(p) {
            findings.push(
                Severity::Warning,
                Location::file(shown(root, p)),
                None,
                Problem::UnreadFile { hint },
            );
        }
    }
    entries.retain(|p| {
        let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        matches!(ext.as_deref(), Some("csv" | "xlsx")) && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("~$"))
    });
    Ok(entries)
}

/// Reads one data file into tables (shared with the parse cache), recording its hash.
fn read_tables(root: &Path, path: &Path, files: &mut Vec<InputFile>, findings: &mut Findings) -> Arc<Vec<table::Table>> {
    let rel = shown(root, path);
    // A file being saved (live preview only) is read as it is being written.
    let being_saved = being_saved::bytes_of(path).filter(|b| b.len() as u64 <= table::MAX_FILE_BYTES);
    // Oversized files are refused below; never read them whole just to hash them.
    let small = || std::fs::metadata(path).is_ok_and(|m| m.len() <= table::MAX_FILE_BYTES);
    let bytes = being_saved.or_else(|| small().then(|| crate::base::folders::read(path).ok().map(Arc::new)).flatten());
    if let Some(bytes) = bytes {
        let sha256 = sha256_hex(&bytes);
        let tables = parsed::tables(&bytes, &sha256, path, &rel, findings);
        files.push(InputFile {
            path: rel.display().to_string(),
            sha256,
        });
        return tables;
    }
    // Too large or unreadable: the readers say why.
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        return Arc::new(table::read_xlsx(path, &rel, findings));
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    let tables = table::read_text(path, &rel, findings)
        .and_then(|text| table::parse_csv(&text, &rel, &stem, findings))
        .into_iter()
        .collect();
    Arc::new(tables)
}

/// Keeps the first table of each valid sector name; bad names and duplicates
/// become errors (listed before anything found inside the tables).
fn distinct_sectors<'a>(tables: impl Iterator<Item = &'a table::Table>, findings: &mut Findings) -> Vec<&'a table::Table> {
    let mut kept: Vec<&table::Table> = Vec::new();
    for t in tables {
        if !is_identifier(&t.sector) {
            let problem = Problem::BadSheetName { name: t.sector.clone() };
            findings.push(Severity::Error, Location::file(&t.source), None, problem);
        } else if let Some(other) = kept.iter().find(|k| k.sector == t.sector) {
            let problem = Problem::DuplicateSector {
                other: other.source.clone(),
            };
            findings.push(Severity::Error, Location::file(&t.source), None, problem);
        } else {
            kept.push(t);
        }
    }
    kept
}

/// Reads every sector file of one period folder (no prior-year lookup).
/// Findings come in this order: files not read, duplicate or badly named
/// sectors, then what is wrong inside the files.
pub fn read_folder(root: &Path, dir: &Path, period: Period) -> Result<PeriodData> {
    let mut findings = Findings::default();
    let entries = folder_files(root, dir, &mut findings)?;
    let (mut files, mut inner) = (Vec::new(), Findings::default());
    let tables: Vec<Arc<Vec<table::Table>>> = entries.iter().map(|p| read_tables(root, p, &mut files, &mut inner)).collect();
    let sectors = sectors_of(tables.iter().flat_map(|t| t.iter()), inner, &mut findings);
    Ok(PeriodData {
        period,
        sectors,
        files,
        findings,
    })
}

/// One sector file's bytes read as [`read_folder`] reads a folder holding that
/// file alone: the same sectors and findings, the findings naming `shown`.
/// `path` gives the kind (.csv, .xlsx) and a CSV's sector name; nothing is read
/// from or written to disk. A name the loader skips (not .csv or .xlsx, or an
/// Excel lock file `~$…`) gives nothing.
pub fn read_bytes(path: &Path, shown: &Path, bytes: &[u8]) -> (BTreeMap<String, Sector>, Findings) {
    let (mut findings, mut inner) = (Findings::default(), Findings::default());
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let tables = if !matches!(ext.as_deref(), Some("csv" | "xlsx")) || name.starts_with("~$") {
        Arc::default()
    } else if bytes.len() as u64 > table::MAX_FILE_BYTES {
        let problem = Problem::TooLarge { bytes: bytes.len() as u64 };
        inner.push(Severity::Error, Location::file(shown), None, problem);
        Arc::default()
    } else {
        parsed::tables(bytes, &sha256_hex(bytes), path, shown, &mut inner)
    };
    let sectors = sectors_of(tables.iter(), inner, &mut findings);
    (sectors, findings)
}

/// The tables of a sector file's bytes, from the process's parse cache (by
/// `path` and content) or parsed; what parsing found is added to `findings`,
/// naming `path`. The tables are shared with the cache.
pub fn parsed_tables(bytes: &[u8], path: &Path, findings: &mut Findings) -> Arc<Vec<table::Table>> {
    parsed::tables(bytes, &sha256_hex(bytes), path, path, findings)
}

/// The sectors of a folder's tables: names checked first (those findings come
/// before `inner`, what parsing found inside the files), then each indicator.
fn sectors_of<'a>(
    tables: impl Iterator<Item = &'a table::Table>,
    mut inner: Findings,
    findings: &mut Findings,
) -> BTreeMap<String, Sector> {
    let tables = distinct_sectors(tables, findings);
    findings.0.append(&mut inner.0);
    let mut sectors: BTreeMap<String, Sector> = BTreeMap::new();
    for t in tables {
        let indicators = indicators::of_table(t, findings);
        sectors.insert(
            t.sector.clone(),
            Sector {
                name: t.sector.clone(),
                source: t.source.clone(),
                indicators,
            },
        );
    }
    sectors
}

/// A neighbouring period's folder, if it exists (read whole; its findings are kept in it).
pub(crate) fn read_neighbour(root: &Path, data_dir: &Path, period: Period) -> Result<Option<PeriodData>> {
    let dir = data_dir.join(period.to_string());
    if !dir.is_dir() {
        return Ok(None);
    }
    read_folder(root, &dir, period).map(Some)
}

/// A neighbour of `period` that may feed it, if it exists: a sample month never
/// feeds a real period ([`sample`]); leaving one out is said in `findings`.
pub(crate) fn read_feeding(
    root: &Path,
    data_dir: &Path,
    neighbour: Period,
    period: Period,
    feeds: Feeds,
    findings: &mut Findings,
) -> Result<Option<PeriodData>> {
    if data_dir.join(neighbour.to_string()).is_dir() && !sample::may_feed(data_dir, neighbour, period) {
        let marker = data_dir.join(neighbour.to_string()).join(SAMPLE_MARKER);
        let problem = Problem::SampleNotUsed {
            month: neighbour.label(),
            feeds: match feeds {
                Feeds::Prior => crate::error::FeedName::Prior,
                Feeds::Cumulative => crate::error::FeedName::Cumulative,
            },
        };
        findings.push(Severity::Warning, Location::file(shown(root, &marker)), None, problem);
        return Ok(None);
    }
    read_neighbour(root, data_dir, neighbour)
}

/// Loads a month's figures with the prior-year values and the cumulative
/// values since January filled in from the neighbouring folders that exist
/// (sample folders only for a sample month).
pub fn load_month(root: &Path, data_dir: &Path, period: Period) -> Result<PeriodData> {
    let dir = data_dir.join(period.to_string());
    if !dir.is_dir() {
        return Err(Error::MissingPeriod {
            period: period.to_string(),
            dir: shown(root, &dir),
        });
    }
    let mut data = read_folder(root, &dir, period)?;
    let last_year = period.same_period_last_year();
    if let Some(prior) = read_feeding(root, data_dir, last_year, period, Feeds::Prior, &mut data.findings)? {
        data.files.extend(prior.files.iter().cloned());
        neighbours::fill(&mut data.sectors, &[prior], Feeds::Prior, &mut data.findings);
    }
    if let Period::Month { year, month } = period {
        let mut earlier = Vec::new();
        for m in 1..month {
            let m = Period::Month { year, month: m };
            earlier.push(read_feeding(root, data_dir, m, period, Feeds::Cumulative, &mut data.findings)?);
        }
        if let Some(earlier) = earlier.into_iter().collect::<Option<Vec<_>>>() {
            data.files.extend(earlier.iter().flat_map(|e| e.files.iter().cloned()));
            neighbours::fill(&mut data.sectors, &earlier, Feeds::Cumulative, &mut data.findings);
        }
    }
    Ok(data)
}

/// The periods with a data folder, oldest first.
pub fn periods(data_dir: &Path) -> Vec<Period> {
    let mut v: Vec<Period> = std::fs::read_dir(data_dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    v.sort();
    v
}

/// Whether a period folder holds figures (sector files).
pub fn has_figures(dir: &Path) -> bool {
    std::fs::read_dir(dir).into_iter().flatten().flatten().any(|e| {
        let p = e.path();
        p.is_file() && matches!(p.extension().and_then(|x| x.to_str()), Some("csv" | "xlsx"))
    })
}

/// Adds a report type's own sector files (`data/<period>/<report>/<sector>.csv|xlsx`,
/// sector names only: appendix tables such as `phu-luc-1.csv` are left to the
/// appendix loader) to the period's figures. A Party resolution dated in a month that
/// also has the monthly report's data keeps its figures apart this way.
pub fn add_report_sectors(root: &Path, dir: &Path, data: &mut PeriodData) {
    for path in files_in(dir).unwrap_or_default() {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        if !is_identifier(&stem) || !matches!(ext.as_deref(), Some("csv" | "xlsx")) {
            continue;
        }
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        if let Ok(bytes) = crate::base::folders::read(&path) {
            data.files.push(InputFile {
                path: shown.display().to_string(),
                sha256: sha256_hex(&bytes),
            });
        }
        let tables = if ext.as_deref() == Some("xlsx") {
            table::read_xlsx(&path, &shown, &mut data.findings)
        } else {
            table::read_text(&path, &shown, &mut data.findings)
                .and_then(|t| table::parse_csv(&t, &shown, &stem, &mut data.findings))
                .into_iter()
                .collect()
        };
        for t in tables {
            if let Some(other) = data.sectors.get(&t.sector) {
                let problem = Problem::DuplicateSector {
                    other: other.source.clone(),
                };
                data.findings.push(Severity::Error, Location::file(&t.source), None, problem);
                continue;
            }
            let indicators = indicators::from_table(&t, &mut data.findings);
            let sector = Sector {
                name: t.sector.clone(),
                source: t.source,
                indicators,
            };
            data.sectors.insert(t.sector, sector);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `read_folder` gives for a folder holding only `name` with `bytes`,
    /// and what `read_bytes` gives for the bytes: (sectors, findings) as text.
    fn both(name: &str, bytes: &[u8]) -> [(String, Vec<String>); 2] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let folder = read_folder(dir.path(), dir.path(), Period::Year { year: 2000 }).unwrap();
        let (sectors, findings) = read_bytes(Path::new(name), Path::new(name), bytes);
        let text = |s: &BTreeMap<String, Sector>, f: &Findings| (format!("{s:?}"), f.0.iter().map(|x| x.to_string()).collect());
        [text(&folder.sectors, &folder.findings), text(&sectors, &findings)]
    }

    #[test]
    fn a_files_bytes_read_alone_give_what_its_folder_gives() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut cases: Vec<(String, Vec<u8>)> = files_in(&repo.join("data/2026-02"))
            .unwrap()
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
            .collect();
        assert!(cases.len() > 5, "the sample month's files");
        let xlsx = std::fs::read(repo.join("fuzz/corpus/xlsx_loader/minimal.xlsx")).unwrap();
        let head = "ma,ten,don_vi,gia_tri\n";
        cases.extend([
            ("nong_nghiep.xlsx".to_string(), xlsx),
            (
                "hong.csv".to_string(),
                format!("{head}dan_trau,Đàn trâu,con,84.860\nx,y\n").into_bytes(),
            ),
            ("Sai-ten.csv".to_string(), format!("{head}dan_trau,Đàn trâu,con,1\n").into_bytes()),
            ("rong.csv".to_string(), Vec::new()),
            ("~$khoa.xlsx".to_string(), b"PK".to_vec()),
        ]);
        for (name, bytes) in cases {
            let [folder, alone] = both(&name, &bytes);
            assert_eq!(folder, alone, "{name}");
        }
    }
}
