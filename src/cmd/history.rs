//! `baocao history` and `baocao diff`

use std::process::ExitCode;

use baocao::output::{self, OutputPaths};
use baocao::report::Project;
use baocao::{Error, Result};

#[derive(clap::Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    target: super::Target,
}

#[derive(clap::Args)]
pub struct DiffArgs {
    #[command(flatten)]
    target: super::Target,
    /// Phiên bản cũ (số), mặc định phiên bản áp chót.
    a: Option<u32>,
    /// Phiên bản mới (số), mặc định phiên bản cuối.
    b: Option<u32>,
}

fn paths(project: &Project, t: &super::Target) -> Result<OutputPaths> {
    let req = t.request(project)?;
    Ok(OutputPaths::new(&project.root.join("out"), &req.report, &req.period.to_string()))
}

pub fn history(project: &Project, a: HistoryArgs) -> Result<ExitCode> {
    let p = paths(project, &a.target)?;
    let versions = p.versions();
    if versions.is_empty() {
        println!("Chưa có phiên bản nào trong {}.", p.history.display());
    }
    for v in versions {
        println!(
            "{:>3}  {}  {} tệp đầu vào, {} cảnh báo  {}",
            v.phien_ban,
            v.thoi_gian,
            v.tep_dau_vao.len(),
            v.canh_bao.len(),
            p.version_pdf(v.phien_ban).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn diff(project: &Project, a: DiffArgs) -> Result<ExitCode> {
    let p = paths(project, &a.target)?;
    let versions = p.versions();
    let find = |n: u32| {
        versions
            .iter()
            .find(|v| v.phien_ban == n)
            .ok_or_else(|| Error::UnknownVersion(n.to_string()))
    };
    let (old, new) = match (a.a, a.b) {
        (Some(x), Some(y)) => (find(x)?, find(y)?),
        (Some(x), None) => (find(x)?, versions.last().ok_or_else(|| Error::UnknownVersion("cuối".into()))?),
        _ if versions.len() >= 2 => (&versions[versions.len() - 2], &versions[versions.len() - 1]),
        _ => return Err(Error::Other("Cần ít nhất hai phiên bản để so sánh; xem: baocao history".into())),
    };
    let changes = output::diff(old, new);
    println!(
        "So sánh phiên bản {} và {}: {} số liệu thay đổi.",
        old.phien_ban,
        new.phien_ban,
        changes.len()
    );
    for (code, o, n) in changes {
        println!("{code}: {o} -> {n}");
    }
    Ok(ExitCode::SUCCESS)
}
