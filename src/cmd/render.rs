//! `baocao render`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::messages::CliText;
use baocao::Result;
use baocao::{batch_workers, Finished, InOrder};
use baocao::{peak_memory_mb, Actor, Project, Rendered, Request, World};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: super::Target,
    #[command(flatten)]
    output: super::OutputArgs,
    /// In thời gian từng bước (đọc số liệu, kiểm tra, mẫu, dàn trang, kiểm tra thể thức, xuất PDF) và bộ nhớ đỉnh.
    #[arg(long)]
    timings: bool,
    /// Ghi mã Typst sinh ra, dữ liệu và bố cục vào THƯ_MỤC (để xem hoặc dịch bằng typst CLI), không tạo PDF.
    #[arg(long = "emit-typ", value_name = "THƯ_MỤC")]
    emit_typ: Option<PathBuf>,
    /// Tạo mọi loại báo cáo cho mọi kỳ có số liệu, song song trên các lõi CPU.
    #[arg(long, conflicts_with_all = ["report", "period", "emit_typ"])]
    all: bool,
    /// Lý do đính chính, khi báo cáo của kỳ này đã ban hành (phiên bản mới được ghi là bản đính chính).
    #[arg(long = "ly-do", value_name = "LÝ_DO")]
    reason: Option<String>,
    /// Bản nháp để xem: số chưa có hiện là "[chưa có: tên chỉ tiêu]" tô vàng; ghi <loại>-<kỳ>-ban-nhap.pdf, không tạo phiên bản.
    #[arg(long = "ban-nhap", conflicts_with_all = ["all", "emit_typ", "reason"])]
    draft: bool,
}

/// Writes a draft PDF beside the versions (never a version, never in the history).
fn render_draft(project: &Project, req: &Request, out_dir: &Path) -> Result<ExitCode> {
    let (path, rendered) = project.write_draft(req, out_dir)?;
    for f in &rendered.findings.0 {
        println!("{f}");
    }
    println!(
        "{}",
        CliText::DraftWritten {
            pages: rendered.document.pages().len()
        }
    );
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// Renders one request and saves the PDF (and the side files asked for).
fn render_one(project: &Project, world: &mut World, req: &Request, out_dir: &Path, a: &Args) -> Result<(PathBuf, u32, Rendered)> {
    let mut rendered = project.lay_out(world, req)?.rendered;
    let (path, version) = project.save_version(&Actor::local(), out_dir, req, &mut rendered, a.output.extras(), a.reason.as_deref())?;
    Ok((path, version, rendered))
}

pub fn run(project: &Project, a: Args) -> Result<ExitCode> {
    let out_dir = a.output.dir(project);
    if a.all {
        return run_all(project, &out_dir, &a);
    }
    let req = a.target.request(project)?;
    if let Some(dir) = &a.emit_typ {
        project.emit_typst(&req, dir)?;
        println!(
            "{}",
            CliText::TypstWritten {
                dir: dir.display().to_string()
            }
        );
        println!("{}", dir.join("main.typ").display());
        return Ok(ExitCode::SUCCESS);
    }
    if a.draft {
        return render_draft(project, &req, &out_dir);
    }
    let mut world = project.world();
    let (path, version, rendered) = render_one(project, &mut world, &req, &out_dir, &a)?;
    for f in &rendered.findings.0 {
        println!("{f}");
    }
    for w in &rendered.typst_warnings {
        println!("{w}");
    }
    if a.timings {
        let t = &rendered.timings;
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        let timings = CliText::Timings {
            load: ms(t.load),
            check: ms(t.check),
            scan: ms(t.scan),
            template: ms(t.template),
            compile: ms(t.compile),
            layouts: t.layouts,
            layout_check: ms(t.layout_check),
            pdf: ms(t.pdf),
            memory: peak_memory_mb().unwrap_or(0.0),
        };
        println!("{timings}");
    }
    println!(
        "{}",
        CliText::Rendered {
            pages: rendered.document.pages().len(),
            version
        }
    );
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// Batch: every report type × period on a fixed pool of workers (one per core,
/// each report written and dropped before the worker takes the next, so memory
/// does not grow with the batch); failures are listed, not fatal. Progress moves
/// as each report is written; the paths are printed in the batch's order.
fn run_all(project: &Project, out_dir: &Path, a: &Args) -> Result<ExitCode> {
    let requests = project.all_requests();
    let n = requests.len();
    // A bar on a terminal; plain progress lines when the output is redirected.
    let bar = indicatif::ProgressBar::new(n as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let tty = !bar.is_hidden();
    let started = std::time::Instant::now();
    let (mut finished, mut failed) = (0, 0);
    let mut in_order = InOrder::default();
    let job = |world: &mut World, req: &Request| {
        render_one(project, world, req, out_dir, a)
            .map(|(p, _, _)| p)
            .map_err(|e| e.to_string())
    };
    project.run_batch(
        requests,
        batch_workers(n),
        job,
        |f: Finished<std::result::Result<PathBuf, String>>| {
            finished += 1;
            let status = if f.outcome.is_ok() { CliText::Done } else { CliText::Failed };
            let (report, period) = (&f.request.report, f.request.period);
            if tty {
                bar.set_message(format!("{report} {period}: {status}"));
                bar.inc(1);
            } else {
                eprintln!("[{finished}/{n}] {report} {period}: {status}");
            }
            for (req, outcome) in in_order.push(f.index, (f.request, f.outcome)) {
                let line = match outcome {
                    Ok(p) => p.display().to_string(),
                    Err(error) => {
                        failed += 1;
                        CliText::BatchFailed {
                            report: req.report,
                            period: req.period.to_string(),
                            error,
                        }
                        .to_string()
                    }
                };
                bar.suspend(|| println!("{line}"));
            }
        },
    );
    bar.finish_and_clear();
    let done = CliText::BatchDone {
        done: n - failed,
        all: n,
        seconds: started.elapsed().as_secs_f64(),
        failed,
    };
    println!("{done}");
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
