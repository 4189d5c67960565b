//! `baocao new` and `baocao new-period`

use std::process::ExitCode;

use baocao::Actor;
use baocao::Period;
use baocao::Project;
use baocao::{Error, Result};

#[derive(clap::Args)]
pub struct NewArgs {
    /// Tên loại báo cáo mới (tên thư mục trong templates/), vd. bao-cao-quy.
    #[arg(value_name = "TÊN")]
    name: String,
    /// Chép từ một loại báo cáo có sẵn, vd. bao-cao-thang.
    #[arg(long, value_name = "TÊN")]
    from: Option<String>,
}

#[derive(clap::Args)]
pub struct NewPeriodArgs {
    /// Tháng mới, vd. 2026-03 (mặc định: tháng sau tháng có số liệu thật gần nhất).
    #[arg(value_name = "KỲ")]
    period: Option<String>,
    /// Tháng dùng làm mẫu (mặc định: tháng có số liệu thật gần nhất trước tháng mới).
    #[arg(long, value_name = "KỲ")]
    from: Option<String>,
    /// Chỉ in ra sẽ chép gì từ đâu, không tạo gì.
    #[arg(long = "xem-truoc")]
    preview: bool,
}

fn parse(p: &str) -> Result<Period> {
    p.parse().map_err(|_| Error::BadPeriod(p.to_string()))
}

pub fn new_report(project: &Project, a: NewArgs) -> Result<ExitCode> {
    let created = project.create_report_type(&Actor::local(), &a.name, a.from.as_deref())?;
    for p in &created {
        println!("  {}", p.strip_prefix(&project.root).unwrap_or(p).display());
    }
    println!("{}", super::messages::CliText::ReportCreated { name: a.name.clone() });
    println!("{}", project.report_dir(&a.name).display());
    Ok(ExitCode::SUCCESS)
}

pub fn new_period(project: &Project, a: NewPeriodArgs) -> Result<ExitCode> {
    let plan = match &a.period {
        Some(p) => project.new_period_plan(parse(p)?, a.from.as_deref().map(parse).transpose()?)?,
        None => project.next_month_plan()?,
    };
    let (period, from) = (plan.period, plan.from);
    if a.preview {
        for line in plan.lines() {
            println!("{line}");
        }
        println!(
            "{}",
            super::messages::CliText::PreviewOnly {
                period: period.to_string()
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    let made = project.create_period(&Actor::local(), period, from)?;
    project.set_current_period(period)?;
    let shown = |p: &std::path::Path| p.strip_prefix(&project.root).unwrap_or(p).display().to_string();
    for line in made.plan.lines() {
        println!("{line}");
    }
    for p in &made.left_alone {
        println!("{}", super::messages::CliText::LeftAlone { file: shown(p) });
    }
    for p in &made.created {
        println!("  {}", shown(p));
    }
    for f in &made.findings.0 {
        println!("{f}");
    }
    let created = super::messages::CliText::PeriodCreated {
        period: period.to_string(),
        label: period.label(),
        from: from.to_string(),
    };
    println!("{created}");
    println!("{}", project.data_dir().join(period.to_string()).display());
    Ok(ExitCode::SUCCESS)
}
