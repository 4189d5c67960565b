//! `baocao serve`: the office web page (see `baocao::serve`).

use std::process::ExitCode;

use baocao::Project;
use baocao::Result;

#[derive(clap::Args)]
pub struct Args {
    /// Cổng (mặc định 8080; 0 = chọn một cổng còn trống).
    #[arg(long, default_value_t = 8080, hide_default_value = true, value_name = "CỔNG")]
    port: u16,
    /// Địa chỉ nghe. Mặc định 127.0.0.1 (chỉ máy này). Địa chỉ khác (vd. 0.0.0.0) cần mã truy cập in ra khi khởi động.
    #[arg(long, default_value = "127.0.0.1", hide_default_value = true, value_name = "ĐỊA_CHỈ")]
    host: String,
    /// Không tự mở trình duyệt.
    #[arg(long)]
    no_browser: bool,
}

pub fn run(project: &Project, a: Args) -> Result<ExitCode> {
    let opts = baocao::serve::Options {
        host: a.host,
        port: a.port,
        open_browser: !a.no_browser,
    };
    baocao::serve::run(Project::open(&project.root), opts)?;
    Ok(ExitCode::SUCCESS)
}
