//! Stage 1: the period's figures. Each sector file (`data/<period>/<sector>.csv`
//! or a sheet of an .xlsx) holds indicators with a code, name, unit, value and
//! optional parent, prior-year value and plan targets.

pub mod aggregate;
mod indicators;
pub mod table;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use indicators::{Aggregation, Indicator, Targets};

use crate::error::{Error, Findings, Location, Problem, Result, Severity};
use crate::period::Period;

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

/// Reads every sector file of one period folder (no prior-year lookup).
pub fn read_folder(root: &Path, dir: &Path, period: Period) -> Result<PeriodData> {
    let mut findings = Findings::default();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io("đọc thư mục", dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    let mut tables = Vec::new();
    let mut files = Vec::new();
    for path in &entries {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let Some(ext) = ext.filter(|e| e == "csv" || e == "xlsx") else {
            continue;
        };
        let rel = shown(root, path);
        // Oversized files are refused below; never read them whole just to hash them.
        let small = std::fs::metadata(path).is_ok_and(|m| m.len() <= table::MAX_FILE_BYTES);
        if let Some(bytes) = small.then(|| std::fs::read(path).ok()).flatten() {
            files.push(InputFile {
                path: rel.display().to_string(),
                sha256: sha256_hex(&bytes),
            });
        }
        if ext == "xlsx" {
            tables.extend(table::read_xlsx(path, &rel, &mut findings));
            continue;
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        if let Some(text) = table::read_text(path, &rel, &mut findings) {
            tables.extend(table::parse_csv(&text, &rel, &stem, &mut findings));
        }
    }
    let mut sectors: BTreeMap<String, Sector> = BTreeMap::new();
    for t in tables {
        if !is_identifier(&t.sector) {
            findings.push(
                Severity::Error,
                Location::file(&t.source),
                None,
                Problem::BadSheetName { name: t.sector.clone() },
            );
            continue;
        }
        if let Some(other) = sectors.get(&t.sector) {
            findings.push(
                Severity::Error,
                Location::file(&t.source),
                None,
                Problem::DuplicateSector {
                    other: other.source.clone(),
                },
            );
            continue;
        }
        let indicators = indicators::from_table(&t, &mut findings);
        sectors.insert(
            t.sector.clone(),
            Sector {
                name: t.sector,
                source: t.source,
                indicators,
            },
        );
    }
    Ok(PeriodData {
        period,
        sectors,
        files,
        findings,
    })
}

/// Loads a month's figures with the prior-year values and the cumulative
/// values since January filled in from the neighbouring folders that exist.
pub fn load_month(root: &Path, data_dir: &Path, period: Period) -> Result<PeriodData> {
    let dir = data_dir.join(period.to_string());
    if !dir.is_dir() {
        return Err(Error::MissingPeriod {
            period: period.to_string(),
            dir: shown(root, &dir),
        });
    }
    let mut data = read_folder(root, &dir, period)?;
    let last_year_dir = data_dir.join(period.same_period_last_year().to_string());
    if last_year_dir.is_dir() {
        let prior = read_folder(root, &last_year_dir, period.same_period_last_year())?;
        data.findings.0.extend(prior.findings.0.iter().cloned());
        data.files.extend(prior.files.iter().cloned());
        for sector in data.sectors.values_mut() {
            for ind in &mut sector.indicators {
                if let Some(p) = prior.get(&sector.name, &ind.code).and_then(|p| p.value) {
                    ind.prior = Some(p);
                }
            }
        }
    }
    if let Period::Month { year, month } = period {
        let earlier: Vec<PeriodData> = (1..month)
            .map(|m| data_dir.join(Period::Month { year, month: m }.to_string()))
            .filter(|d| d.is_dir())
            .filter_map(|d| read_folder(root, &d, Period::Month { year, month }).ok())
            .collect();
        if earlier.len() == (month - 1) as usize {
            for sector in data.sectors.values_mut() {
                for ind in &mut sector.indicators {
                    let vals: Option<Vec<f64>> = earlier
                        .iter()
                        .map(|e| e.get(&sector.name, &ind.code).and_then(|i| i.value))
                        .collect();
                    if let (Some(mut vals), Some(v)) = (vals, ind.value) {
                        vals.push(v);
                        ind.cumulative = Some(ind.aggregation.combine(&vals));
                    }
                }
            }
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
