//! Helpers for the audit-trail and issue tests: a server restarted on the same
//! project folder, one-value saves, and replaying the change log.

use std::path::Path;

use baocao::internals::audit::{Entry, Kind};

use crate::common::Scratch;
use crate::server::{Resp, Server};

/// Starts `baocao serve --port 0 --no-browser` in an existing project folder.
pub fn start_in(scratch: Scratch) -> Server {
    Server::start_in(scratch, &[], &[])
}

/// Kills the server with SIGKILL (no chance to clean up) and hands back its project folder.
pub fn kill(mut s: Server) -> Scratch {
    s.child.kill().unwrap();
    s.child.wait().unwrap();
    let scratch = std::mem::replace(&mut s.scratch, Scratch::new());
    drop(s);
    scratch
}

/// Saves `value` in column gia_tri of `code` in `data/2026-02/<file>` as the page does.
pub fn save(s: &Server, file: &str, code: &str, value: &str, hash: &str, reason: Option<&str>) -> Resp {
    let sheet = file.trim_end_matches(".csv");
    let mut body = serde_json::json!({"period": "2026-02", "file": file, "sheet": sheet, "code": code,
        "column": "gia_tri", "value": value, "hash": hash});
    if let Some(r) = reason {
        body["ly_do"] = r.into();
    }
    s.post_json("/api/luu", &body)
}

/// The hash of a file now.
pub fn hash_of(p: &Path) -> String {
    baocao::internals::sha256_hex(&std::fs::read(p).unwrap())
}

/// The entries of data/2026-02's log and the warnings of its reader.
pub fn log(project: &Path) -> (Vec<Entry>, Vec<String>) {
    baocao::internals::audit::read(&project.join("data/2026-02"), Path::new("nhat-ky.jsonl"))
}

/// Replays the logged value edits of `file` (`data/2026-02/<file>`) on its
/// original bytes, checking each step's hash against the log; returns the
/// bytes it ends with and the number of edits replayed.
pub fn replay(original: &[u8], entries: &[Entry], file: &str) -> (Vec<u8>, usize) {
    let rel = format!("data/2026-02/{file}");
    let mut bytes = original.to_vec();
    let mut n = 0;
    for e in entries.iter().filter(|e| e.file == rel && e.kind == Kind::EditValue) {
        for c in &e.cells {
            bytes = baocao::internals::set_csv_cell(&bytes, &c.code, &c.column, &c.new).unwrap();
        }
        assert_eq!(
            e.sha256.as_deref(),
            Some(baocao::internals::sha256_hex(&bytes).as_str()),
            "replaying the log does not give the file's logged hash at {e:?}"
        );
        n += 1;
    }
    (bytes, n)
}
