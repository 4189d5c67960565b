//! `baocao nhap-word <tệp.docx> [--ten <loại>] [--so-sanh]`: a Word document becomes
//! a new report type (`Project::import_word`); prints what was made, every number
//! left as text and every part not read; `--so-sanh` sets the Word text beside the
//! rendered text.

use std::path::PathBuf;
use std::process::ExitCode;

use baocao::{Actor, Project, Result};

use super::messages::CliText;

#[derive(clap::Args)]
pub struct Args {
    /// Tệp Word (.docx; .doc khi máy có LibreOffice).
    #[arg(value_name = "TỆP")]
    file: PathBuf,
    /// Tên loại báo cáo mới (tên thư mục trong templates/); mặc định theo tên tệp.
    #[arg(long = "ten", value_name = "TÊN")]
    name: Option<String>,
    /// Sau khi nhập, tạo bản dàn trang và in các câu khác giữa tệp Word và bản in.
    #[arg(long = "so-sanh")]
    compare: bool,
}

pub fn run(project: &Project, a: Args) -> Result<ExitCode> {
    let done = project.import_word(&Actor::local(), &a.file, a.name.as_deref())?;
    let s = &done.imported.summary;
    for p in &done.written {
        println!("  {}", p.strip_prefix(&project.root).unwrap_or(p).display());
    }
    if !s.left.is_empty() {
        println!("{}", CliText::LeftHeading);
    }
    for (number, reason, excerpt) in &s.left {
        println!(
            "{}",
            CliText::LeftLine {
                number: number.clone(),
                reason: reason.to_string(),
                excerpt: excerpt.clone()
            }
        );
    }
    if !s.unread.is_empty() {
        println!("{}", CliText::UnreadHeading);
    }
    for (what, paragraph) in &s.unread {
        println!(
            "{}",
            CliText::UnreadLine {
                what: what.to_string(),
                paragraph: paragraph.clone()
            }
        );
    }
    let period = s.period.map(|p| p.to_string()).unwrap_or_default();
    if a.compare {
        let period_value = s.period.ok_or_else(|| baocao::Error::BadPeriod(period.clone()))?;
        let changes = project.compare_import(&s.name, period_value, &done.imported.word_text)?;
        println!("{}", CliText::ImportCompareHeading { count: changes.len() });
        for c in &changes {
            println!("{}\n{}", CliText::WordSide(c.old.clone()), CliText::PdfSide(c.new.clone()));
        }
    }
    println!("{}", summary(&a.file, s, &period));
    println!(
        "{}",
        CliText::ImportNext {
            name: s.name.clone(),
            period
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn summary(file: &std::path::Path, s: &baocao::ImportSummary, period: &str) -> CliText {
    CliText::Imported {
        file: file.display().to_string(),
        name: s.name.clone(),
        style: if s.party {
            CliText::PartyStyle
        } else {
            CliText::AdministrativeStyle
        }
        .to_string(),
        period: period.to_string(),
        sections: s.sections,
        footnotes: s.footnotes,
        figures: s.indicators,
        sector_file: match s.indicators {
            0 => String::new(),
            _ => format!(" data/{period}/{}.csv", s.sector),
        },
        comparisons: s.comparisons,
        left: s.left.len(),
        tables: s.tables,
        unread: s.unread.len(),
    }
}
