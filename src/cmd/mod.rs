//! Subcommands. Each file parses its flags and calls the library.

mod accounts;
mod check;
mod history;
mod issue;
mod log;
mod messages;
mod new;
mod nhap_word;
mod remaining;
mod render;
mod serve;
pub mod vietnamese;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use baocao::{Error, Result};
use baocao::{Period, Project, Request};
use clap::{Parser, Subcommand};

use vietnamese::HELP;

/// baocao — tạo báo cáo định kỳ của UBND tỉnh Lai Châu từ số liệu.
#[derive(Parser)]
#[command(name = "baocao", version, help_template = HELP, disable_help_subcommand = true)]
pub struct Cli {
    /// Thư mục dự án (chứa data/, templates/, fonts/, out/); mặc định thư mục đang đứng.
    #[arg(
        long = "du-an",
        global = true,
        default_value = ".",
        hide_default_value = true,
        value_name = "THƯ_MỤC"
    )]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Tạo PDF cho một loại báo cáo và một kỳ (mặc định: kỳ đang làm trong baocao.toml).
    #[command(help_template = HELP)]
    Render(render::Args),
    /// Theo dõi số liệu và mẫu, tự tạo lại PDF mỗi khi có thay đổi.
    #[command(help_template = HELP)]
    Watch(watch::Args),
    /// Kiểm tra số liệu và mẫu, liệt kê mọi lỗi và cảnh báo (không tạo PDF).
    #[command(help_template = HELP)]
    Check(check::Args),
    /// Liệt kê các phiên bản PDF đã tạo của một báo cáo.
    #[command(help_template = HELP)]
    History(history::HistoryArgs),
    /// So sánh số liệu giữa hai phiên bản (mặc định: hai phiên bản cuối).
    #[command(help_template = HELP)]
    Diff(history::DiffArgs),
    /// Liệt kê các loại báo cáo và các kỳ có số liệu.
    #[command(help_template = HELP)]
    List,
    /// Tạo loại báo cáo mới trong templates/ (chép từ loại có sẵn hoặc mẫu khởi đầu).
    #[command(help_template = HELP)]
    New(new::NewArgs),
    /// Tạo thư mục số liệu cho kỳ mới từ kỳ trước (cùng chỉ tiêu, giá trị để trống, cùng kỳ tra sẵn).
    #[command(name = "new-period", help_template = HELP)]
    NewPeriod(new::NewPeriodArgs),
    /// Mở trang web của dự án (số liệu, xem trước từng trang, PDF, lịch sử) trên máy này.
    #[command(help_template = HELP)]
    Serve(serve::Args),
    /// Tài khoản đăng nhập trang web: them, doi-ten, doi-mat-khau, mo-khoa, xoa, danh-sach.
    #[command(name = "nguoi-dung", help_template = HELP)]
    NguoiDung(accounts::Args),
    /// In nhật ký thay đổi của một kỳ (ai, lúc nào, tệp, chỉ tiêu, cũ → mới, lý do), cũ trước mới sau.
    #[command(name = "nhat-ky", help_template = HELP)]
    Log(log::Args),
    /// Việc còn lại của một kỳ, đủ một lần: số chưa có, số cùng kỳ lời văn cần, tổng không khớp, lời văn cũ, đơn vị chưa gửi.
    #[command(name = "viec-con-lai", help_template = HELP)]
    Remaining(Target),
    /// Ban hành một phiên bản của báo cáo: từ đó số liệu và lời văn của kỳ chỉ đọc, sửa phải ghi lý do (đính chính).
    #[command(name = "ban-hanh", help_template = HELP)]
    Issue(issue::Args),
    /// Tạo loại báo cáo mới từ một văn bản Word (.docx; .doc khi có LibreOffice): phần đầu, các mục, chú thích, số liệu của kỳ.
    #[command(name = "nhap-word", help_template = HELP)]
    ImportWord(nhap_word::Args),
}

/// Where to write and which side files to add (render and watch).
#[derive(clap::Args, Clone)]
pub struct OutputArgs {
    /// Thư mục ghi PDF (mặc định out/ trong thư mục dự án).
    #[arg(long, value_name = "THƯ_MỤC")]
    pub out: Option<PathBuf>,
    /// Ghi thêm ảnh PNG từng trang bên cạnh PDF.
    #[arg(long)]
    pub png: bool,
    /// Ghi thêm chữ đã dàn trang (từng trang, từng dòng) vào tệp .txt bên cạnh PDF.
    #[arg(long)]
    pub text: bool,
}

impl OutputArgs {
    /// The output folder (default: out/ of the project).
    pub fn dir(&self, project: &Project) -> PathBuf {
        self.out.clone().unwrap_or_else(|| project.root.join("out"))
    }
    /// The side files asked for.
    pub fn extras(&self) -> baocao::Extras {
        baocao::Extras {
            png: self.png,
            text: self.text,
        }
    }
}

/// Report and period options shared by several commands.
#[derive(clap::Args, Clone)]
pub struct Target {
    /// Loại báo cáo (tên thư mục trong templates/), mặc định bao-cao-thang.
    #[arg(long, value_name = "TÊN")]
    pub report: Option<String>,
    /// Kỳ báo cáo: 2026-02, 2026-Q1, 2026-H1, 2026-9T, 2026. Mặc định: kỳ đang làm ghi trong baocao.toml, nếu không có thì tháng mới nhất trong data/.
    #[arg(long, value_name = "KỲ")]
    pub period: Option<String>,
}

impl Target {
    pub fn request(&self, project: &Project) -> Result<Request> {
        let period: Period = match &self.period {
            Some(p) => p.parse().map_err(|_| Error::BadPeriod(p.clone()))?,
            None => project.current_period()?,
        };
        let report = match &self.report {
            Some(r) => r.clone(),
            None => project.default_report()?,
        };
        Ok(Request { report, period })
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let project = Project::open(&cli.root);
    match cli.command {
        Command::Render(a) => render::run(&project, a),
        Command::Check(a) => check::run(&project, a),
        Command::Watch(a) => watch::run(&project, a),
        Command::History(a) => history::history(&project, a),
        Command::Diff(a) => history::diff(&project, a),
        Command::New(a) => new::new_report(&project, a),
        Command::NewPeriod(a) => new::new_period(&project, a),
        Command::Serve(a) => serve::run(&project, a),
        Command::NguoiDung(a) => accounts::run(&project, a),
        Command::Log(a) => log::run(&project, a),
        Command::Issue(a) => issue::run(&project, a),
        Command::Remaining(t) => remaining::run(&project, &t),
        Command::ImportWord(a) => nhap_word::run(&project, a),
        Command::List => {
            println!("{}", messages::CliText::ReportTypesHeading);
            for r in project.report_types() {
                let title = baocao::words::report_title(&project.report_dir(&r));
                println!("{}", messages::CliText::ReportLine { title, slug: r });
            }
            println!("{}", messages::CliText::PeriodsHeading);
            for p in project.periods() {
                let line = messages::CliText::PeriodLine {
                    words: baocao::words::period(p),
                    slug: p.to_string(),
                };
                match project.is_sample_period(p) {
                    true => println!("{line} — {}", messages::CliText::SampleTag),
                    false => println!("{line}"),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
