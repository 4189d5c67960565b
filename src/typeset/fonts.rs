//! Fonts: Liberation Serif (metric-compatible with Times New Roman, complete
//! for Vietnamese) is embedded in the binary; font files in the project's
//! `fonts/` folder are loaded too and come first, so an office can drop in
//! Times New Roman. No system fonts are used.

use std::path::Path;
use std::sync::Arc;

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

impl Fonts {
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
