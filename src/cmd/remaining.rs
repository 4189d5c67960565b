//! `baocao viec-con-lai`: everything left for a report and period, grouped by
//! file, each line what and where, its technical detail indented under it.
//! Prints only; exits 1 while something is left (so scripts can wait on it).

use std::process::ExitCode;

use baocao::Result;
use baocao::{Project, RemainingTarget};

use super::messages::CliText;

pub fn run(project: &Project, target: &super::Target) -> Result<ExitCode> {
    let req = target.request(project)?;
    let left = project.remaining(&req)?;
    let heading = CliText::RemainingHeading {
        report: req.report.clone(),
        period: req.period.to_string(),
        label: req.period.label(),
        count: left.count,
    };
    println!("{heading}");
    for g in &left.groups {
        let file = g.file.display().to_string();
        println!(
            "{}",
            CliText::RemainingFile {
                file,
                count: g.tasks.len()
            }
        );
        for t in &g.tasks {
            let place = match &t.target {
                RemainingTarget::Cell { code, column, .. } => CliText::AtCell {
                    code: code.clone(),
                    column: column.clone(),
                }
                .to_string(),
                RemainingTarget::Text { line: Some(line), .. } => CliText::AtLine { line: *line }.to_string(),
                _ => String::new(),
            };
            let place = if place.is_empty() { place } else { format!(" ({place})") };
            println!("  - {}: {}{place}", t.kind, t.title);
            if !t.detail.is_empty() {
                println!("      {}", t.detail);
            }
        }
    }
    if left.count == 0 {
        println!(
            "{}",
            CliText::NothingLeft {
                period: req.period.to_string()
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    Ok(ExitCode::from(1))
}
