//! The hash the change log last recorded for each file of a period, read
//! incrementally. Every save and every look at a period asks it; reading the
//! whole log each time made a save cost more with every change of the month
//! (0,14 ms at the first save, 1,5–2 ms after 500).
//!
//! The log is append-only, so a process keeps, per log, what it has read (its
//! file identity, the length read up to the last whole line, the last bytes
//! before that point, the hashes found) and reads only the lines appended
//! since, by itself or by another process. Anything else it treats as a new
//! log and reads whole: another file at that path, a shorter file, or changed
//! bytes at the end of what was read. A line still being written (no newline
//! yet) counts for this answer only and is read again next time.
//!
//! It refuses nothing: an unreadable log has no hashes, as [`super::audit::read`]
//! gives it no entries.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::audit::Entry;

/// The bytes before the point read that must still be there for a log to be the same one.
const TAIL: usize = 64;
/// Logs remembered at once (all forgotten when full: a server looks at a few periods).
const MAX_LOGS: usize = 256;

/// What one process has read of one log.
struct Seen {
    dev: u64,
    ino: u64,
    /// Bytes read, up to and including the last newline.
    upto: u64,
    /// The last (at most [`TAIL`]) bytes before `upto`.
    tail: Vec<u8>,
    hashes: BTreeMap<String, String>,
}

fn reads() -> std::sync::MutexGuard<'static, HashMap<PathBuf, Seen>> {
    static READS: OnceLock<Mutex<HashMap<PathBuf, Seen>>> = OnceLock::new();
    READS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// The hash the log at `log` last recorded for each file (relative path → SHA-256),
/// as reading the whole log ([`super::audit::read`]) would give it.
pub fn last_hashes(log: &Path) -> BTreeMap<String, String> {
    let Ok(mut f) = File::open(log) else {
        reads().remove(log);
        return BTreeMap::new();
    };
    let Ok(meta) = f.metadata() else { return BTreeMap::new() };
    let known = reads().remove(log);
    let mut read = known
        .filter(|r| r.dev == meta.dev() && r.ino == meta.ino() && r.upto <= meta.len() && same_tail(&f, r))
        .unwrap_or(Seen {
            dev: meta.dev(),
            ino: meta.ino(),
            upto: 0,
            tail: Vec::new(),
            hashes: BTreeMap::new(),
        });
    let mut new = Vec::new();
    if f.seek(SeekFrom::Start(read.upto)).and_then(|_| f.read_to_end(&mut new)).is_err() {
        return BTreeMap::new();
    }
    let whole = new.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    add_lines(&new[..whole], &mut read.hashes);
    read.upto += whole as u64;
    read.tail.extend_from_slice(&new[..whole]);
    read.tail.drain(..read.tail.len().saturating_sub(TAIL));
    let mut answer = read.hashes.clone();
    add_lines(&new[whole..], &mut answer);
    let mut all = reads();
    if all.len() >= MAX_LOGS {
        all.clear();
    }
    all.insert(log.to_path_buf(), read);
    answer
}

/// Whether the bytes before the point read are those read then.
fn same_tail(f: &File, read: &Seen) -> bool {
    let mut now = vec![0; read.tail.len()];
    f.read_exact_at(&mut now, read.upto - read.tail.len() as u64).is_ok() && now == read.tail
}

/// Records the hash of each readable entry of `lines` (whole lines; an
/// unreadable one is skipped, as the log's reader skips it).
fn add_lines(lines: &[u8], hashes: &mut BTreeMap<String, String>) {
    for line in lines.split(|b| *b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if let Ok(Entry { file, sha256: Some(h), .. }) = serde_json::from_slice::<Entry>(line) {
            hashes.insert(file, h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::audit::{log_path, read, Kind, PeriodLock};
    use std::io::Write;

    fn entry(file: &str, hash: &str) -> Entry {
        let mut e = Entry::new("t", Kind::EditValue, file);
        e.sha256 = Some(hash.into());
        e
    }

    /// What reading the whole log gives.
    fn whole(dir: &Path) -> BTreeMap<String, String> {
        read(dir, Path::new("l"))
            .0
            .into_iter()
            .filter_map(|e| Some((e.file, e.sha256?)))
            .collect()
    }

    #[test]
    fn reading_what_was_appended_gives_what_reading_the_whole_log_gives() {
        let dir = tempfile::tempdir().unwrap();
        let log = log_path(dir.path());
        assert!(last_hashes(&log).is_empty());
        let lock = PeriodLock::take(dir.path()).unwrap();
        for i in 0..40 {
            lock.append(&entry(&format!("f{}", i % 3), &format!("h{i}"))).unwrap();
            if i % 7 == 3 {
                lock.append(&Entry::new("t", Kind::Upload, "f0")).unwrap();
            }
            assert_eq!(last_hashes(&log), whole(dir.path()), "after {i}");
        }
        assert_eq!(last_hashes(&log)["f0"], "h39");
    }

    #[test]
    fn a_line_cut_short_is_read_again_when_it_is_finished_or_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let log = log_path(dir.path());
        let lock = PeriodLock::take(dir.path()).unwrap();
        lock.append(&entry("a", "1")).unwrap();
        let line = serde_json::to_vec(&entry("b", "2")).unwrap();
        let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        f.write_all(&line[..10]).unwrap();
        assert_eq!(last_hashes(&log), whole(dir.path()));
        // Finished later (no newline: a log written by hand), then a torn line and a new one.
        f.write_all(&line[10..]).unwrap();
        assert_eq!(last_hashes(&log).get("b").map(String::as_str), Some("2"));
        f.write_all(b"\n{\"thoi_gian\":\"20").unwrap();
        lock.append(&entry("c", "3")).unwrap();
        assert_eq!(last_hashes(&log), whole(dir.path()));
        assert_eq!(last_hashes(&log).len(), 3);
    }

    #[test]
    fn a_log_put_in_its_place_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let log = log_path(dir.path());
        let lock = PeriodLock::take(dir.path()).unwrap();
        lock.append(&entry("a", "1")).unwrap();
        lock.append(&entry("b", "2")).unwrap();
        assert_eq!(last_hashes(&log).len(), 2);
        // Another file (restored from a copy), shorter.
        let one = [serde_json::to_vec(&entry("a", "9")).unwrap(), b"\n".to_vec()].concat();
        std::fs::write(dir.path().join("moi"), &one).unwrap();
        std::fs::rename(dir.path().join("moi"), &log).unwrap();
        assert_eq!(last_hashes(&log), whole(dir.path()));
        // The same file rewritten in place with other lines of the same length.
        let two = [serde_json::to_vec(&entry("a", "8")).unwrap(), b"\n".to_vec()].concat();
        assert_eq!(one.len(), two.len());
        std::fs::OpenOptions::new().write(true).open(&log).unwrap().write_all(&two).unwrap();
        assert_eq!(last_hashes(&log)["a"], "8");
        std::fs::remove_file(&log).unwrap();
        assert!(last_hashes(&log).is_empty());
    }
}
