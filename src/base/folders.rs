//! A project's folders as the stages see them: its root, `data/`, `templates/`,
//! `out/`, and the report types present. Only paths and a directory listing:
//! no settings, no fonts, no pipeline. The hall's `Project` is these folders plus
//! what a running program keeps (fonts, settings).
//!
//! Links are never followed inside a project (finding 8 of issue 27: a
//! `data/2026-02/passwd.csv` link to `/etc/passwd` was served, and change-log
//! lines were appended through a linked folder). Every project root is
//! registered when its [`Folders`] is made; [`check`] refuses a path when any
//! part of it below a registered root is a symbolic link, or when it exists and
//! is neither a regular file nor a folder (a FIFO, a device). [`read`],
//! [`read_to_string`] and [`guard_io`] are the same check for the places that
//! read or write with `std::io` errors; on unix the final open also uses
//! `O_NOFOLLOW`, so a link swapped in after the check is not followed either.
//! Paths outside every project (fonts, temporary folders) are not concerned.

use std::path::{Component, Path, PathBuf};
use std::sync::RwLock;

use crate::error::{Error, Result};

/// Absolute roots of the projects this process opened.
static ROOTS: RwLock<Vec<PathBuf>> = RwLock::new(Vec::new());

/// The folders of a baocao project.
#[derive(Debug, Clone)]
pub struct Folders {
    pub root: PathBuf,
}

impl Folders {
    pub fn new(root: impl Into<PathBuf>) -> Folders {
        let root = root.into();
        register(&root);
        Folders { root }
    }
    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }
    pub fn out_dir(&self) -> PathBuf {
        self.root.join("out")
    }
    pub fn report_dir(&self, report: &str) -> PathBuf {
        self.templates_dir().join(report)
    }

    /// `path` as shown to people: relative to the project root when inside it.
    pub fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }

    /// Report types: folders of templates/ with a mau.toml (a linked folder is no report type).
    pub fn report_types(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.templates_dir())
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| e.path().join(crate::base::manifest::FILE_NAME).is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        v.sort();
        v
    }
}

/// `path` made absolute without resolving links, `.` dropped.
fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    abs.components().filter(|c| !matches!(c, Component::CurDir)).collect()
}

/// Registers a project root (idempotent).
fn register(root: &Path) {
    let abs = absolute(root);
    let mut roots = ROOTS.write().unwrap_or_else(|e| e.into_inner());
    if !roots.contains(&abs) {
        roots.push(abs);
    }
}

/// Refuses `path` when a part of it below its project root is a link, or when
/// it exists and is neither a regular file nor a folder. The error names the
/// offending part relative to the root.
pub fn check(path: &Path) -> Result<()> {
    let abs = absolute(path);
    let Some(root) = root_of(&abs) else {
        return Ok(());
    };
    let Ok(rest) = abs.strip_prefix(&root) else {
        return Ok(());
    };
    let mut at = root.clone();
    for part in rest.components() {
        at.push(part);
        let meta = match std::fs::symlink_metadata(&at) {
            Ok(m) => m,
            // What does not exist yet cannot lead anywhere.
            Err(_) => return Ok(()),
        };
        let t = meta.file_type();
        if t.is_symlink() || !(t.is_file() || t.is_dir()) {
            let shown = at.strip_prefix(&root).map(Path::to_path_buf).unwrap_or(at);
            return Err(Error::NotRegular(shown));
        }
    }
    Ok(())
}

/// A refused link inside an `std::io::Error` ([`crate::error::Error::io`] turns
/// it back into [`Error::NotRegular`], so every caller reports it the same way).
#[derive(Debug)]
pub struct Refusal(pub PathBuf);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Error::NotRegular(self.0.clone()).fmt(f)
    }
}

impl std::error::Error for Refusal {}

/// The registered project root `abs` lies in (the innermost), if any.
fn root_of(abs: &Path) -> Option<PathBuf> {
    let roots = ROOTS.read().unwrap_or_else(|e| e.into_inner());
    roots
        .iter()
        .filter(|r| abs.starts_with(r))
        .max_by_key(|r| r.as_os_str().len())
        .cloned()
}

/// [`check`] as an `std::io` error (for the places that report I/O errors).
pub fn guard_io(path: &Path) -> std::io::Result<()> {
    check(path).map_err(|e| match e {
        Error::NotRegular(p) => std::io::Error::new(std::io::ErrorKind::PermissionDenied, Refusal(p)),
        other => std::io::Error::other(other.to_string()),
    })
}

/// Opens a file of the project for reading, refusing links (see the module note).
pub fn open(path: impl AsRef<Path>) -> std::io::Result<std::fs::File> {
    let path = path.as_ref();
    guard_io(path)?;
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    if root_of(&absolute(path)).is_some() {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW);
    }
    o.open(path)
}

/// `std::fs::read` refusing links.
pub fn read(path: impl AsRef<Path>) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut f = open(path)?;
    let mut v = Vec::new();
    f.read_to_end(&mut v)?;
    Ok(v)
}

/// `std::fs::read_to_string` refusing links.
pub fn read_to_string(path: impl AsRef<Path>) -> std::io::Result<String> {
    String::from_utf8(read(path)?).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_below_a_root_are_refused_and_outside_ones_are_not_concerned() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("du-an");
        std::fs::create_dir_all(root.join("data/2026-02")).unwrap();
        let outside = dir.path().join("bi-mat.txt");
        std::fs::write(&outside, "bi mat").unwrap();
        std::fs::write(root.join("data/2026-02/y_te.csv"), "ma\n").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("data/2026-02/passwd.csv")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("data/2026-03")).unwrap();
        Folders::new(&root);
        assert!(read(root.join("data/2026-02/y_te.csv")).is_ok());
        let e = check(&root.join("data/2026-02/passwd.csv")).unwrap_err();
        assert!(
            matches!(&e, Error::NotRegular(p) if p == Path::new("data/2026-02/passwd.csv")),
            "{e}"
        );
        assert!(read(root.join("data/2026-02/passwd.csv")).is_err());
        let e = check(&root.join("data/2026-03/bi-mat.txt")).unwrap_err();
        assert!(matches!(&e, Error::NotRegular(p) if p == Path::new("data/2026-03")), "{e}");
        assert!(read(root.join("./data/2026-03/bi-mat.txt")).is_err());
        assert!(check(&root.join("data/2026-04/moi.csv")).is_ok(), "not there yet");
        assert!(read(&outside).is_ok(), "outside every project");
    }
}
