//! `baocao check`

use super::messages::CliText;
use std::process::ExitCode;

use baocao::Result;
use baocao::{CheckOptions, Project};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: super::Target,
    /// Cảnh báo khi một giá trị gấp (hoặc bằng 1/) hơn số lần này so với cùng kỳ.
    #[arg(long = "he-so", default_value_t = 3.0, value_name = "SỐ")]
    factor: f64,
}

pub fn run(project: &Project, a: Args) -> Result<ExitCode> {
    let req = a.target.request(project)?;
    let findings = project.check(
        &req,
        CheckOptions {
            change_factor: a.factor,
            ..CheckOptions::default()
        },
    )?;
    let heading = CliText::CheckHeading {
        report: req.report.clone(),
        period: req.period.to_string(),
        label: req.period.label(),
    };
    println!("{heading}");
    println!("{findings}");
    Ok(if findings.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
