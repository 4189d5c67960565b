//! A project's folders as the stages see them: its root, `data/`, `templates/`,
//! `out/`, and the report types present. Only paths and a directory listing:
//! no settings, no fonts, no pipeline. The hall's `Project` is these folders plus
//! what a running program keeps (fonts, settings).

use std::path::{Path, PathBuf};

/// The folders of a baocao project.
#[derive(Debug, Clone)]
pub struct Folders {
    pub root: PathBuf,
}

impl Folders {
    pub fn new(root: impl Into<PathBuf>) -> Folders {
        Folders { root: root.into() }
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

    /// Report types: folders of templates/ with a mau.toml.
    pub fn report_types(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.templates_dir())
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join(crate::base::manifest::FILE_NAME).is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        v.sort();
        v
    }
}
