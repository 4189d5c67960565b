//! Fonts: Liberation Serif (metric-compatible with Times New Roman, complete
//! for Vietnamese) is embedded in the binary; font files in the project's
//! `fonts/` folder are loaded too and come first, so an office can drop in
//! Times New Roman. No system fonts are used.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

static EMBEDDED: [&[u8]; 4] = [
    include_bytes!("../../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../fonts/LiberationSerif-BoldItalic.ttf"),
];

/// The fonts of a project, loaded once and shared by every render.
#[derive(Debug, Clone)]
pub struct Fonts {
    pub book: Arc<LazyHash<FontBook>>,
    pub fonts: Arc<Vec<Font>>,
}

/// What identifies a fonts folder's contents: each font file's name, size and time.
type Listing = Vec<(PathBuf, u64, Option<SystemTime>)>;

impl Fonts {
    /// The fonts of `dir` and the embedded ones, parsed once per process: a second
    /// project (or a second `Project::open` of the same one) shares them, unless a
    /// font file was added, removed or changed in between.
    pub fn shared(dir: &Path) -> Fonts {
        static LOADED: OnceLock<Mutex<HashMap<PathBuf, (Listing, Fonts)>>> = OnceLock::new();
        let listing = listing(dir);
        let mut cache = LOADED.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        match cache.get(dir) {
            Some((l, fonts)) if *l == listing => fonts.clone(),
            _ => {
                let fonts = Fonts::load(Some(dir));
                cache.insert(dir.to_path_buf(), (listing, fonts.clone()));
                fonts
            }
        }
    }

    /// Loads `dir`'s font files (if any), then the embedded ones not already present.
    pub fn load(dir: Option<&Path>) -> Fonts {
        let mut fonts: Vec<Font> = Vec::new();
        if let Some(dir) = dir {
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            paths.sort();
            for p in paths {
                let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                if matches!(ext.as_deref(), Some("ttf" | "otf" | "ttc" | "otc")) {
                    if let Ok(bytes) = std::fs::read(&p) {
                        fonts.extend(Font::iter(Bytes::new(bytes)));
                    }
                }
            }
        }
        for data in EMBEDDED {
            for f in Font::iter(Bytes::new(data)) {
                let dup = fonts
                    .iter()
                    .any(|g| g.info().family == f.info().family && g.info().variant == f.info().variant);
                if !dup {
                    fonts.push(f);
                }
            }
        }
        let book = FontBook::from_fonts(&fonts);
        Fonts {
            book: Arc::new(LazyHash::new(book)),
            fonts: Arc::new(fonts),
        }
    }
}

/// The font files of `dir` with their sizes and times, sorted.
fn listing(dir: &Path) -> Listing {
    let mut l: Listing = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            Some((e.path(), m.len(), m.modified().ok()))
        })
        .collect();
    l.sort();
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_parsed_once_until_it_changes() {
        let dir = std::env::temp_dir().join(format!("baocao-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = Fonts::shared(&dir);
        let b = Fonts::shared(&dir);
        assert!(Arc::ptr_eq(&a.fonts, &b.fonts), "parsed twice");
        std::fs::write(dir.join("khong-phai-phong.txt"), "x").unwrap();
        let c = Fonts::shared(&dir);
        assert!(!Arc::ptr_eq(&a.fonts, &c.fonts), "a changed folder must be read again");
        assert_eq!(a.fonts.len(), c.fonts.len());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
