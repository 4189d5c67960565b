//! `baocao render`

use std::path::PathBuf;
use std::process::ExitCode;

use baocao::check::CheckOptions;
use baocao::output::{self, OutputPaths, VersionManifest};
use baocao::report::Project;
use baocao::typeset::{self, text};
use baocao::Result;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: super::Target,
    /// Thư mục ghi PDF (mặc định out/ trong thư mục dự án).
    #[arg(long, value_name = "THƯ_MỤC")]
    out: Option<PathBuf>,
    /// Ghi thêm ảnh PNG từng trang bên cạnh PDF.
    #[arg(long)]
    png: bool,
    /// Ghi thêm chữ đã dàn trang (từng trang, từng dòng) vào tệp .txt bên cạnh PDF.
    #[arg(long)]
    text: bool,
    /// In thời gian từng bước (đọc số liệu, kiểm tra, mẫu, dàn trang, xuất PDF).
    #[arg(long)]
    timings: bool,
}

pub fn run(project: &Project, a: Args) -> Result<ExitCode> {
    let req = a.target.request(project)?;
    let mut world = project.world();
    let rendered = project.render(&mut world, &req, CheckOptions::default())?;
    for f in &rendered.findings.0 {
        println!("{f}");
    }
    for w in &rendered.typst_warnings {
        println!("{w}");
    }
    let out_dir = a.out.unwrap_or_else(|| project.root.join("out"));
    let paths = OutputPaths::new(&out_dir, &req.report, &req.period.to_string());
    let manifest = VersionManifest {
        phien_ban: 0,
        chuong_trinh: format!("baocao {}", env!("CARGO_PKG_VERSION")),
        bao_cao: req.report.clone(),
        ky: req.period.to_string(),
        thoi_gian: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        sha256_pdf: String::new(),
        tep_dau_vao: rendered.inputs.clone(),
        canh_bao: rendered.findings.0.iter().map(|f| f.to_string()).collect(),
        so_lieu: rendered.figures.clone(),
    };
    let (path, version) = output::save(&paths, &rendered.pdf, manifest)?;
    let stem = path.with_extension("");
    if a.png {
        for (i, png) in typeset::png_pages(&rendered.document, 100.0)?.iter().enumerate() {
            output::write_atomic(&PathBuf::from(format!("{}-trang-{:02}.png", stem.display(), i + 1)), png)?;
        }
    }
    if a.text {
        output::write_atomic(&path.with_extension("txt"), text::dump(&rendered.document).as_bytes())?;
    }
    if a.timings {
        let t = &rendered.timings;
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        println!(
            "Thời gian (ms): đọc số liệu {:.1}; kiểm tra {:.1}; mẫu {:.1}; dàn trang {:.1}; xuất PDF {:.1}",
            ms(t.load),
            ms(t.check),
            ms(t.template),
            ms(t.compile),
            ms(t.pdf)
        );
    }
    println!("Đã tạo {} trang, phiên bản {version}.", rendered.document.pages().len());
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}
