//! `baocao history` and `baocao diff`

use std::path::PathBuf;
use std::process::ExitCode;

use super::messages::CliText;
use baocao::compare::{self, TextSource};
use baocao::words::{self, Names};
use baocao::OutputPaths;
use baocao::{Error, History, Issued, Project, Result, VersionManifest};

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
        println!(
            "{}",
            CliText::NoVersions {
                dir: h.dir().display().to_string()
            }
        );
    }
    for v in &h.versions {
        let line = CliText::HistoryLine {
            version: v.version,
            time: words::time(&v.time),
            inputs: v.inputs.len(),
            warnings: v.warnings.len(),
            pdf: h.pdf(v.version).display().to_string(),
            marks: status(v, &h.issues),
        };
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// "ĐÃ BAN HÀNH" and "ĐÍNH CHÍNH" marks of a version.
fn status(v: &VersionManifest, issued: &[Issued]) -> String {
    let mut s = String::new();
    for i in issued.iter().filter(|i| i.version == v.version) {
        let mark = CliText::IssuedMark {
            time: words::time(&i.time),
            who: i.who.clone(),
        };
        s.push_str(&mark.to_string());
    }
    if let Some(note) = &v.note {
        s.push_str(&CliText::VersionNote(note.clone()).to_string());
    }
    if let Some(c) = &v.correction {
        let mark = CliText::CorrectionMark {
            replaces: c.replaces,
            reasons: c.reasons.join("; "),
        };
        s.push_str(&mark.to_string());
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
    let req = a.target.request(project)?;
    let h = history_of(project, &a.target, &a.out)?;
    let (old, new) = pick(&h.versions, a.a, a.b)?;
    let names = Names::load(&project.data_dir(), &project.report_dir(&req.report), req.period);
    let out = a.out.clone().unwrap_or_else(|| project.root.join("out"));
    let paths = OutputPaths::new(&out, &req.report, &req.period.to_string());
    let c = compare::compare(&paths, old, new, &names);
    let heading = CliText::CompareHeading {
        old: c.old,
        new: c.new,
        figures: c.figures.len(),
    };
    println!("{heading}");
    for f in c.figures {
        let line = CliText::FigureChange {
            name: f.name,
            sector: f.sector,
            key: f.key,
            old: f.old,
            new: f.new,
        };
        println!("{line}");
    }
    if c.text == TextSource::None {
        println!("{}", CliText::NoTextCompare);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", CliText::SentencesHeading(c.sentences.len()));
    let mut fragment = None;
    for s in c.sentences {
        if !s.fragment.is_empty() && fragment.as_ref() != Some(&s.fragment) {
            println!("{}", CliText::FragmentHeading(s.fragment.clone()));
            fragment = Some(s.fragment.clone());
        }
        println!("{}", CliText::OldSentence(s.old));
        println!("{}", CliText::NewSentence(s.new));
    }
    Ok(ExitCode::SUCCESS)
}
