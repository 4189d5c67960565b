//! `baocao ban-hanh`: marks a version of a report as issued.

use std::process::ExitCode;

use super::messages::CliText;
use baocao::words;
use baocao::Result;
use baocao::{Actor, Project};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: super::Target,
    /// Số phiên bản ban hành (mặc định: phiên bản mới nhất; xem: baocao history).
    #[arg(long = "version", value_name = "SỐ")]
    version: Option<u32>,
    /// Xác nhận ban hành dù có tổng không khớp với các phần (baocao check báo), kèm lý do; lý do ghi vào nhật ký của kỳ.
    #[arg(long = "xac-nhan", value_name = "LÝ DO")]
    acknowledge: Option<String>,
}

pub fn run(project: &Project, a: Args) -> Result<ExitCode> {
    let req = a.target.request(project)?;
    let period = req.period.to_string();
    let issued = project.issue_checked(&Actor::local(), &req.report, &period, a.version, a.acknowledge.as_deref())?;
    let done = CliText::Issued {
        version: issued.version,
        title: words::report_title(&project.report_dir(&req.report)),
        period: words::period(req.period),
        slug: period.clone(),
    };
    println!("{done}");
    let pdf = project.history_in(&project.root.join("out"), &req).pdf(issued.version);
    println!("{}", pdf.display());
    Ok(ExitCode::SUCCESS)
}
