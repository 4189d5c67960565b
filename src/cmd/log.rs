//! `baocao nhat-ky`: the change log of a period, readably, oldest first.

use super::messages::CliText;
use std::process::ExitCode;

use baocao::Period;
use baocao::Project;
use baocao::{Error, Result};

#[derive(clap::Args)]
pub struct Args {
    /// Kỳ (mặc định: kỳ đang làm ghi trong baocao.toml).
    #[arg(long, value_name = "KỲ")]
    period: Option<String>,
    /// Chỉ in các thay đổi của tệp này (tên tệp, vd. y_te.csv, hoặc đường dẫn data/2026-02/y_te.csv).
    #[arg(long = "tep", value_name = "TỆP")]
    file: Option<String>,
}

pub fn run(project: &Project, a: Args) -> Result<ExitCode> {
    let period: Period = match &a.period {
        Some(p) => p.parse().map_err(|_| Error::BadPeriod(p.clone()))?,
        None => project.current_period()?,
    };
    let (entries, warnings) = project.change_log(period);
    for w in &warnings {
        eprintln!("{w}");
    }
    let wanted = |f: &str| match &a.file {
        Some(t) => f == t || f.rsplit('/').next() == Some(t.as_str()),
        None => true,
    };
    let shown: Vec<_> = entries.iter().filter(|e| wanted(&e.file)).collect();
    let heading = CliText::LogHeading {
        period: period.to_string(),
        label: period.label(),
        count: shown.len(),
    };
    println!("{heading}");
    for e in shown {
        println!("{}", e.describe());
    }
    Ok(ExitCode::SUCCESS)
}
