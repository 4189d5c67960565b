//! `baocao ban-hanh`: marks a version of a report as issued.

use std::process::ExitCode;

use baocao::Result;
use baocao::{Actor, Project};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: super::Target,
    /// Số phiên bản ban hành (mặc định: phiên bản mới nhất; xem: baocao history).
    #[arg(long = "version", value_name = "SỐ")]
    version: Option<u32>,
}

pub fn run(project: &Project, a: Args) -> Result<ExitCode> {
    let req = a.target.request(project)?;
    let period = req.period.to_string();
    let issued = project.issue_version(&Actor::local(), &req.report, &period, a.version)?;
    println!(
        "Đã ban hành phiên bản {} của {} kỳ {period} ({}). Từ nay số liệu và lời văn của kỳ này chỉ đọc; muốn đính chính phải ghi lý do (trang web: ô \"lý do\"; dòng lệnh: baocao render --ly-do \"...\").",
        issued.version,
        req.report,
        req.period.label()
    );
    let pdf = project.history_in(&project.root.join("out"), &req).pdf(issued.version);
    println!("{}", pdf.display());
    Ok(ExitCode::SUCCESS)
}
