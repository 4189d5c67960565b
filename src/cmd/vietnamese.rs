//! clap in Vietnamese: headings, the help and version flags, and the usage errors
//! staff meet most (unknown flag, bad value, missing value, unknown command).
//! All the command line's own wording lives here; the library's is in `baocao`.

pub const HELP: &str = "{about}\n\nCách dùng: {usage}\n\n{all-args}";

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// Heading of the flags in `--help`.
const OPTIONS: &str = "Tùy chọn";
/// Heading of the positional arguments in `--help`.
const ARGUMENTS: &str = "Tham số";
/// Heading of the subcommands in `--help`.
const COMMANDS: &str = "Lệnh";

/// `cmd` and all its subcommands with Vietnamese headings and help/version flags.
pub fn command(cmd: Command, root: bool) -> Command {
    let cmd = cmd
        .subcommand_help_heading(COMMANDS)
        .disable_help_flag(true)
        .mut_args(|a| match (a.get_help_heading(), a.is_positional()) {
            (Some(_), _) => a,
            (None, true) => a.help_heading(ARGUMENTS),
            (None, false) => a.help_heading(OPTIONS),
        })
        .arg(
            Arg::new("tro-giup")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In trợ giúp")
                .help_heading(OPTIONS),
        );
    let cmd = if root {
        cmd.disable_version_flag(true).arg(
            Arg::new("phien-ban")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("In số phiên bản")
                .help_heading(OPTIONS),
        )
    } else {
        cmd
    };
    cmd.mut_subcommands(|c| command(c, false))
}

/// A usage error of clap, said in Vietnamese (help and version output pass through).
pub fn error_text(e: &clap::Error) -> Option<String> {
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v.iter().map(StyledStr::to_string).collect::<Vec<_>>().join(", "),
        _ => String::new(),
    };
    let arg = ctx(ContextKind::InvalidArg);
    let said = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::UnknownArgument => format!("không có tùy chọn \"{arg}\"{}", hint(&ctx(ContextKind::SuggestedArg))),
        ErrorKind::InvalidSubcommand => format!(
            "không có lệnh \"{}\"{}",
            ctx(ContextKind::InvalidSubcommand),
            hint(&ctx(ContextKind::SuggestedSubcommand))
        ),
        ErrorKind::InvalidValue if ctx(ContextKind::InvalidValue).is_empty() => format!("{arg} cần một giá trị"),
        ErrorKind::InvalidValue => format!(
            "giá trị \"{}\" của {arg} không hợp lệ{}",
            ctx(ContextKind::InvalidValue),
            match ctx(ContextKind::ValidValue) {
                v if v.is_empty() => String::new(),
                v => format!(" (chọn một trong: {v})"),
            }
        ),
        ErrorKind::MissingRequiredArgument => format!("thiếu {arg}"),
        ErrorKind::ArgumentConflict => format!("{arg} không dùng cùng với {}", ctx(ContextKind::PriorArg)),
        ErrorKind::MissingSubcommand => "thiếu tên lệnh".to_string(),
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!("{arg} cần một giá trị"),
        ErrorKind::TooManyValues => format!("{arg} chỉ nhận một giá trị"),
        _ => return Some(e.to_string()),
    };
    let end = if said.ends_with('?') { "" } else { "." };
    let usage = match localise(&ctx(ContextKind::Usage)) {
        u if u.trim().is_empty() => String::new(),
        u => format!("\n\n{}", u.trim_end()),
    };
    Some(format!("Lỗi: {said}{end}{usage}\n\nXem hướng dẫn: thêm --help vào cuối lệnh."))
}

/// Help or usage text with clap's English placeholders in Vietnamese.
pub fn localise(text: &str) -> String {
    text.replace("Usage:", "Cách dùng:")
        .replace("[OPTIONS]", "[TÙY_CHỌN]")
        .replace("<COMMAND>", "<LỆNH>")
        .replace("[default: ", "[mặc định: ")
        .replace("[possible values: ", "[chọn: ")
}

/// ", có phải là ...?" when clap has a suggestion.
fn hint(suggested: &str) -> String {
    if suggested.is_empty() {
        String::new()
    } else {
        format!("; có phải ý là \"{suggested}\"?")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli() -> Command {
        command(
            Command::new("x")
                .version("1")
                .arg(Arg::new("ky").long("period"))
                .subcommand(Command::new("render").arg(Arg::new("png").long("png").action(ArgAction::SetTrue))),
            true,
        )
    }

    #[test]
    fn help_has_vietnamese_headings_only() {
        let mut c = cli();
        let root = c.render_help().to_string();
        assert!(
            root.contains("Tùy chọn") && root.contains("Lệnh") && root.contains("In trợ giúp"),
            "{root}"
        );
        assert!(!root.contains("Options") && !root.contains("Print help"), "{root}");
        let sub = c.find_subcommand_mut("render").unwrap().render_help().to_string();
        assert!(sub.contains("In trợ giúp") && !sub.contains("Print help"), "{sub}");
    }

    #[test]
    fn usage_errors_are_vietnamese() {
        let e = cli().try_get_matches_from(["x", "render", "--pgn"]).unwrap_err();
        let t = error_text(&e).unwrap();
        assert!(
            t.contains("không có tùy chọn \"--pgn\"") && t.contains("x render [TÙY_CHỌN]"),
            "{t}"
        );
        let e = cli().try_get_matches_from(["x", "rendr"]).unwrap_err();
        assert!(error_text(&e).unwrap().contains("không có lệnh \"rendr\""));
        let e = cli().try_get_matches_from(["x", "--period"]).unwrap_err();
        assert!(error_text(&e).unwrap().contains("cần một giá trị"), "{:?}", error_text(&e));
    }
}
