//! Sector files already parsed, kept by the process: the last content parsed of
//! each file, by the file's name as shown, with the SHA-256 of its bytes. A file read again unchanged (the other
//! departments' files at each preview after one cell is saved; the earlier months
//! that every later month of a batch reads for its cumulative figures) is not
//! parsed again. Parsing is a function of the bytes and the name only, so an entry
//! is exact; a changed byte replaces the file's entry (a server saving one cell a
//! thousand times keeps one). It refuses nothing and never reads a file: callers
//! hand it the bytes they hashed. At most [`MAX_ENTRIES`] files (cleared when
//! full), so memory stays bounded in a long batch or server.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::table::{self, Table};
use crate::error::{Finding, Findings};

/// Files kept at most (a month of 14 sector files is 14 entries).
const MAX_ENTRIES: usize = 256;

/// What parsing one file gave: its tables and the findings it made.
struct Parsed {
    tables: Arc<Vec<Table>>,
    findings: Vec<Finding>,
}

type Cache = Mutex<HashMap<PathBuf, (String, Arc<Parsed>)>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The tables of a sector file whose `bytes` hash to `sha256`, shown as `shown`:
/// from the cache, else parsed (CSV, or every sheet of an .xlsx) and kept. The
/// findings parsing made are added to `findings` either way. The tables are
/// shared with the cache, never copied.
pub fn tables(bytes: &[u8], sha256: &str, path: &Path, shown: &Path, findings: &mut Findings) -> Arc<Vec<Table>> {
    let hit = cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(shown)
        .filter(|(kept, _)| kept == sha256)
        .map(|(_, p)| p.clone());
    let parsed = match hit {
        Some(p) => p,
        None => {
            let p = Arc::new(parse(bytes, path, shown));
            let mut c = cache().lock().unwrap_or_else(|e| e.into_inner());
            if c.len() >= MAX_ENTRIES && !c.contains_key(shown) {
                c.clear();
            }
            c.insert(shown.to_path_buf(), (sha256.to_string(), p.clone()));
            p
        }
    };
    findings.0.extend(parsed.findings.iter().cloned());
    parsed.tables.clone()
}

fn parse(bytes: &[u8], path: &Path, shown: &Path) -> Parsed {
    let mut f = Findings::default();
    let tables = Arc::new(table::tables_of(bytes, path, shown, &mut f));
    Parsed { tables, findings: f.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::sha256_hex;

    fn read(text: &str, findings: &mut Findings) -> Arc<Vec<Table>> {
        let p = Path::new("data/2041-01/nong_nghiep.csv");
        tables(text.as_bytes(), &sha256_hex(text.as_bytes()), p, p, findings)
    }

    #[test]
    fn a_file_read_again_gives_the_same_tables_and_the_same_findings() {
        let bad = "ma,ten,don_vi,gia_tri\ndan_trau,Dan trau,con,84.860\nx,y\n";
        let (mut f1, mut f2) = (Findings::default(), Findings::default());
        let (t1, t2) = (read(bad, &mut f1), read(bad, &mut f2));
        assert!(!f1.0.is_empty(), "the ragged row is found");
        assert_eq!(f1.0, f2.0, "a second read says it again");
        assert_eq!(format!("{t1:?}"), format!("{t2:?}"));
        // One byte changed: parsed anew, not the kept tables.
        let good = bad.replace("\nx,y\n", "\n").replace("84.860", "84.861");
        let mut f3 = Findings::default();
        let t3 = read(&good, &mut f3);
        assert!(f3.0.is_empty(), "{:?}", f3.0);
        assert!(format!("{t3:?}").contains("84.861"));
        // The file's one entry is now the new content (the old one is not kept).
        let kept = cache()
            .lock()
            .unwrap()
            .get(Path::new("data/2041-01/nong_nghiep.csv"))
            .map(|(h, _)| h.clone());
        assert_eq!(kept, Some(sha256_hex(good.as_bytes())));
    }
}
