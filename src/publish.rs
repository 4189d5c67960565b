//! Stage 5b: writing a finished render: the versioned PDF with its manifest
//! and, on request, PNG page previews and the laid-out text.

use std::path::{Path, PathBuf};

use crate::output::{self, OutputPaths, VersionManifest};
use crate::report::{Rendered, Request};
use crate::typeset::{self, text};
use crate::Result;

/// Side files to write beside the PDF.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras {
    /// `<name>-trang-NN.png`, one per page.
    pub png: bool,
    /// `<name>.txt`, the laid-out text page by page.
    pub text: bool,
}

/// Saves `rendered` under `out_dir`; returns the latest PDF's path and its version number.
pub fn publish(out_dir: &Path, req: &Request, rendered: &Rendered, extras: Extras) -> Result<(PathBuf, u32)> {
    let paths = OutputPaths::new(out_dir, &req.report, &req.period.to_string());
    let manifest = VersionManifest {
        phien_ban: 0,
        chuong_trinh: format!("baocao {}", env!("CARGO_PKG_VERSION")),
        bao_cao: req.report.clone(),
        ky: req.period.to_string(),
        thoi_gian: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        sha256_pdf: String::new(),
        tep_dau_vao: rendered.inputs.clone(),
        canh_bao: rendered
            .findings
            .0
            .iter()
            .map(|f| f.to_string())
            .chain(rendered.typst_warnings.iter().cloned())
            .collect(),
        so_lieu: rendered.figures.clone(),
    };
    let (path, version) = output::save(&paths, &rendered.pdf, manifest)?;
    crate::indicator_table::write_xlsx_beside(&path, &rendered.source.header)?;
    let stem = path.with_extension("");
    let handoff = PathBuf::from(format!("{}{}", stem.display(), crate::handoff::SUFFIX));
    output::write_atomic(&handoff, &rendered.handoff.to_json())?;
    if extras.png {
        for (i, png) in typeset::png_pages(&rendered.document, 100.0)?.iter().enumerate() {
            output::write_atomic(&PathBuf::from(format!("{}-trang-{:02}.png", stem.display(), i + 1)), png)?;
        }
    }
    if extras.text {
        output::write_atomic(&path.with_extension("txt"), text::dump(&rendered.document).as_bytes())?;
    }
    Ok((path, version))
}
