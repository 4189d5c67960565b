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
    /// Trên địa chỉ mạng (khác 127.0.0.1): dùng HTTP không mã hoá thay cho HTTPS (chỉ sau một proxy HTTPS hoặc trong mạng tin cậy).
    #[arg(long)]
    plain_http: bool,
    /// Trên địa chỉ mạng: thêm một tên máy được nhận (Host), vd. baocao.vp.laichau (lặp lại được).
    #[arg(long, value_name = "TÊN")]
    allow_host: Vec<String>,
}

pub fn run(project: &Project, a: Args) -> Result<ExitCode> {
    let opts = baocao::serve::Options {
        host: a.host,
        port: a.port,
        open_browser: !a.no_browser,
        plain_http: a.plain_http,
        allowed_hosts: a.allow_host,
    };
    baocao::serve::run(Project::open(&project.root), opts)?;
    Ok(ExitCode::SUCCESS)
}
