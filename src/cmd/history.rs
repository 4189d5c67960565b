//! `baocao history` and `baocao diff`

use std::path::PathBuf;
use std::process::ExitCode;

use super::messages::CliText;
use baocao::{textdiff, Error, Result};
use baocao::{History, Issued, Project, VersionManifest};

#[derive(clap::Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    target: super::Target,
    /// Thư mục PDF đã ghi (mặc định out/ trong thư mục dự án), như --out của render.
    #[arg(long, value_name = "THƯ_MỤC")]
    out: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct DiffArgs {
    #[command(flatten)]
    target: super::Target,
    /// Thư mục PDF đã ghi (mặc định out/ trong thư mục dự án), như --out của render.
    #[arg(long, value_name = "THƯ_MỤC")]
    out: Option<PathBuf>,
    /// Phiên bản cũ (số), mặc định phiên bản áp chót.
    a: Option<u32>,
    /// Phiên bản mới (số), mặc định phiên bản cuối.
    b: Option<u32>,
}

fn history_of(project: &Project, t: &super::Target, out: &Option<PathBuf>) -> Result<History> {
    let req = t.request(project)?;
    let dir = out.clone().unwrap_or_else(|| project.root.join("out"));
    Ok(project.history_in(&dir, &req))
}

pub fn history(project: &Project, a: HistoryArgs) -> Result<ExitCode> {
    let h = history_of(project, &a.target, &a.out)?;
    if h.versions.is_empty() {
        println!("Chưa có phiên bản nào trong {}.", h.dir().display());
    }
    for v in &h.versions {
        println!(
            "{:>3}  {}  {} tệp đầu vào, {} cảnh báo  {}{}",
            v.version,
            v.time,
            v.inputs.len(),
            v.warnings.len(),
            h.pdf(v.version).display(),
            status(v, &h.issues)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// "ĐÃ BAN HÀNH" and "ĐÍNH CHÍNH" marks of a version.
fn status(v: &VersionManifest, issued: &[Issued]) -> String {
    let mut s = String::new();
    for i in issued.iter().filter(|i| i.version == v.version) {
        s.push_str(&format!("  [ĐÃ BAN HÀNH {} bởi {}]", i.time, i.who));
    }
    if let Some(c) = &v.correction {
        s.push_str(&format!("  [ĐÍNH CHÍNH phiên bản {}: {}]", c.replaces, c.reasons.join("; ")));
    }
    s
}

/// The two versions to compare: as given, else the last two.
fn pick(versions: &[VersionManifest], a: Option<u32>, b: Option<u32>) -> Result<(&VersionManifest, &VersionManifest)> {
    let find = |n: u32| {
        versions
            .iter()
            .find(|v| v.version == n)
            .ok_or_else(|| Error::UnknownVersion(n.to_string()))
    };
    match (a, b) {
        (Some(x), Some(y)) => Ok((find(x)?, find(y)?)),
        (Some(x), None) => Ok((
            find(x)?,
            versions
                .last()
                .ok_or_else(|| Error::UnknownVersion(CliText::LastVersion.to_string()))?,
        )),
        _ if versions.len() >= 2 => Ok((&versions[versions.len() - 2], &versions[versions.len() - 1])),
        _ => Err(Error::NeedTwoVersions),
    }
}

pub fn diff(project: &Project, a: DiffArgs) -> Result<ExitCode> {
    let h = history_of(project, &a.target, &a.out)?;
    let (old, new) = pick(&h.versions, a.a, a.b)?;
    let changes = History::figure_changes(old, new);
    println!(
        "So sánh phiên bản {} và {}: {} số liệu thay đổi.",
        old.version,
        new.version,
        changes.len()
    );
    for (code, o, n) in changes {
        println!("{code}: {o} -> {n}");
    }
    let lines = |n: u32| h.text(n).lines().map(str::to_string).collect::<Vec<_>>();
    let (before, after) = (lines(old.version), lines(new.version));
    if before.is_empty() || after.is_empty() {
        println!("{}", CliText::NoTextCompare);
        return Ok(ExitCode::SUCCESS);
    }
    let sentences = textdiff::changes(&before, &after);
    println!("Lời văn thay đổi: {} câu (chữ thay đổi trong «»).", sentences.len());
    for c in sentences {
        println!("  cũ:  {}", if c.old.is_empty() { "(không có)" } else { &c.old });
        println!("  mới: {}", if c.new.is_empty() { "(không có)" } else { &c.new });
    }
    Ok(ExitCode::SUCCESS)
}
