//! `baocao nguoi-dung`: the accounts of the web page (see `baocao::accounts`).

use super::messages::CliText;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use baocao::accounts::{self, Accounts};
use baocao::AccountProblem;
use baocao::Project;
use baocao::Role;
use baocao::{Error, Result};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Thêm tài khoản; mật khẩu hỏi trên màn hình (không hiện chữ) hoặc đọc từ đầu vào chuẩn.
    Them {
        /// Tên đăng nhập, vd. so-y-te.
        #[arg(value_name = "TÊN")]
        name: String,
        /// van-phong (mọi lĩnh vực, đoạn văn, tạo PDF), so (chỉ các lĩnh vực ghi trong --linh-vuc) hoặc lanh-dao (xem mọi thứ, không sửa gì).
        #[arg(long = "vai-tro", value_name = "VAI_TRÒ")]
        role: String,
        /// Các lĩnh vực của sở, cách nhau bằng dấu phẩy (tên tệp số liệu không đuôi), vd. y_te,tai_chinh.
        #[arg(long = "linh-vuc", value_name = "DANH_SÁCH", value_delimiter = ',')]
        sectors: Vec<String>,
        /// Tên hiện trên trang và trong lịch sử sửa số liệu, vd. "Sở Y tế" (không ghi: hiện tên đăng nhập).
        #[arg(long = "ten-day-du", value_name = "TÊN_SỞ", default_value = "")]
        full_name: String,
    },
    /// Đổi tên đầy đủ (tên hiện trên trang và trong lịch sử) của một tài khoản, vd. doi-ten so-y-te "Sở Y tế".
    #[command(name = "doi-ten")]
    DoiTen {
        #[arg(value_name = "TÊN")]
        name: String,
        #[arg(value_name = "TÊN_ĐẦY_ĐỦ")]
        full_name: String,
    },
    /// Đổi mật khẩu của một tài khoản.
    #[command(name = "doi-mat-khau")]
    DoiMatKhau {
        #[arg(value_name = "TÊN")]
        name: String,
    },
    /// Mở khoá một tài khoản bị khoá hoặc phải chờ vì nhập sai mật khẩu nhiều lần (không đổi mật khẩu).
    #[command(name = "mo-khoa")]
    MoKhoa {
        #[arg(value_name = "TÊN")]
        name: String,
    },
    /// Xoá một tài khoản.
    Xoa {
        #[arg(value_name = "TÊN")]
        name: String,
    },
    /// Liệt kê các tài khoản (không bao giờ in mật khẩu hay mã băm).
    #[command(name = "danh-sach")]
    DanhSach,
}

pub fn run(project: &Project, a: Args) -> Result<ExitCode> {
    let acc = Accounts::of(&project.root);
    match a.action {
        Action::Them {
            name,
            role,
            sectors,
            full_name,
        } => {
            let role = accounts::parse_role(&name, &role)?;
            accounts::check_role(&name, role, &sectors)?;
            accounts::check_full_name(&name, &full_name)?;
            acc.check_new(&name, role)?;
            let password = ask_password(&name)?;
            acc.add_named(&name, role, &sectors, &full_name, &password)?;
            println!(
                "{}",
                CliText::AccountAdded {
                    name,
                    file: accounts::ACCOUNTS_FILE
                }
            );
        }
        Action::DoiTen { name, full_name } => {
            acc.set_full_name(&name, &full_name)?;
            println!("{}", CliText::AccountRenamed { name, full_name });
        }
        Action::DoiMatKhau { name } => {
            if acc.get(&name)?.is_none() {
                return Err(Error::Account {
                    name,
                    problem: AccountProblem::Unknown,
                });
            }
            let password = ask_password(&name)?;
            acc.set_password(&name, &password)?;
            println!("{}", CliText::PasswordChanged { name });
        }
        Action::Xoa { name } => {
            acc.remove(&name)?;
            println!("{}", CliText::AccountRemoved { name });
        }
        Action::MoKhoa { name } => {
            acc.unlock(&name)?;
            println!("{}", CliText::AccountUnlocked { name });
        }
        Action::DanhSach => list(&acc)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn list(acc: &Accounts) -> Result<()> {
    let all = acc.list()?;
    if all.is_empty() {
        println!(
            "{}",
            CliText::NoAccounts {
                file: accounts::ACCOUNTS_FILE
            }
        );
    }
    for a in all {
        let role = match a.role {
            Role::Office => "van-phong".to_string(),
            Role::Department => CliText::DepartmentRole {
                sectors: a.sectors.join(", "),
            }
            .to_string(),
            Role::Leader => CliText::LeaderRole.to_string(),
        };
        match a.full_name.as_str() {
            "" => println!("{:<24} {role}", a.name),
            shown => println!("{:<24} {role} – {shown}", a.name),
        }
    }
    Ok(())
}

/// The password: asked twice without echo on a terminal, else the first line of stdin.
fn ask_password(name: &str) -> Result<String> {
    let read_err = |e: std::io::Error| Error::Account {
        name: name.to_string(),
        problem: AccountProblem::ReadPassword(e.to_string()),
    };
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(CliText::PasswordPrompt { name: name.to_string() }.to_string()).map_err(read_err)?;
        accounts::check_password(name, &first)?;
        let again = rpassword::prompt_password(CliText::PasswordAgain.to_string()).map_err(read_err)?;
        if again != first {
            return Err(Error::Account {
                name: name.to_string(),
                problem: AccountProblem::PasswordMismatch,
            });
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(read_err)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    accounts::check_password(name, &password)?;
    Ok(password)
}
