//! The minijinja environments kept between renders, so a fragment is compiled
//! once while its text stays the same (compiling every fragment again cost
//! ~3 M instructions, ~1 ms, at each live preview of the monthly report).
//!
//! An environment is kept per set of fragment folders (report type, period
//! override). Before one is used again, every template it loaded is looked up
//! and read again: if any now resolves to another file or its text changed,
//! a new environment is built. So an edited fragment is never shown stale;
//! what is saved is the compiling, not the reading. At most [`KEPT`]
//! environments are kept (the least recently used goes). Each keeps the
//! fragments it rendered with what they read ([`super::memo`]).

use std::sync::{Arc, Mutex, OnceLock};

use minijinja::Environment;

use super::FragmentDirs;

/// Environments kept at once: a few report types and periods being previewed.
const KEPT: usize = 4;

/// What an environment's loader read: template name, file, text.
pub(super) type Loaded = Arc<Mutex<Vec<(String, std::path::PathBuf, String)>>>;

struct Kept {
    dirs: FragmentDirs,
    templates: Templates,
    loaded: Loaded,
}

/// A kept environment and the fragments rendered with it.
#[derive(Clone)]
pub struct Templates {
    pub env: Arc<Environment<'static>>,
    pub rendered: Arc<super::memo::Memo>,
}

impl Kept {
    /// Whether every template loaded so far is still the same file with the same text.
    fn current(&self) -> bool {
        let loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        loaded.iter().all(|(name, path, text)| {
            self.dirs.resolve(name).as_ref() == Some(path) && crate::base::folders::read_to_string(path).is_ok_and(|now| now == *text)
        })
    }
}

/// The environment for `dirs`: a kept one whose templates are unchanged, else a
/// new one. Templates are read again outside the lock: renders of other folders
/// never wait on this one's files.
pub fn environment(dirs: &FragmentDirs) -> Templates {
    let found = {
        let mut kept = all_kept();
        kept.iter().position(|k| k.dirs == *dirs).map(|i| kept.remove(i))
    };
    let k = match found {
        Some(k) if k.current() => k,
        _ => {
            let loaded = Loaded::default();
            Kept {
                dirs: dirs.clone(),
                templates: Templates {
                    env: Arc::new(super::build_environment(dirs, loaded.clone())),
                    rendered: Default::default(),
                },
                loaded,
            }
        }
    };
    let templates = k.templates.clone();
    let mut kept = all_kept();
    // Another render of the same folders may have put one back meanwhile: it gives way to this one.
    kept.retain(|other| other.dirs != k.dirs);
    if kept.len() >= KEPT {
        kept.remove(0);
    }
    kept.push(k);
    templates
}

fn all_kept() -> std::sync::MutexGuard<'static, Vec<Kept>> {
    static KEPT_ENVS: OnceLock<Mutex<Vec<Kept>>> = OnceLock::new();
    KEPT_ENVS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(dirs: &FragmentDirs, name: &str) -> String {
        environment(dirs)
            .env
            .get_template(name)
            .unwrap()
            .render(minijinja::context! {})
            .unwrap()
    }

    #[test]
    fn a_kept_environment_never_shows_an_old_text() {
        let root = tempfile::tempdir().unwrap();
        let (report, period) = (root.path().join("mau"), root.path().join("ky"));
        std::fs::create_dir_all(&report).unwrap();
        std::fs::create_dir_all(&period).unwrap();
        std::fs::write(report.join("doan.txt"), "một {% include 'phu.txt' %}").unwrap();
        std::fs::write(report.join("phu.txt"), "hai").unwrap();
        let dirs = FragmentDirs {
            root: root.path().to_path_buf(),
            report_dir: report.clone(),
            override_dir: Some(period.clone()),
        };
        assert_eq!(render(&dirs, "doan.txt"), "một hai");
        assert!(
            Arc::ptr_eq(&environment(&dirs).env, &environment(&dirs).env),
            "kept while nothing changed"
        );
        // An included fragment edited, then a period's own copy added.
        std::fs::write(report.join("phu.txt"), "ba").unwrap();
        assert_eq!(render(&dirs, "doan.txt"), "một ba");
        std::fs::write(period.join("doan.txt"), "riêng {% include 'phu.txt' %}").unwrap();
        assert_eq!(render(&dirs, "doan.txt"), "riêng ba");
        std::fs::remove_file(period.join("doan.txt")).unwrap();
        assert_eq!(render(&dirs, "doan.txt"), "một ba");
    }
}
