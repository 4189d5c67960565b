//! The `baocao` command: parses flags and calls the library (see `cmd/`).

mod cmd;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(e) => return e,
    };
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            // A malformed argument is a usage error, like clap's own (exit 2).
            ExitCode::from(if matches!(e, baocao::Error::BadPeriod(_)) { 2 } else { 1 })
        }
    }
}

/// Parses the command line with the Vietnamese help and usage errors.
fn parse() -> Result<cmd::Cli, ExitCode> {
    let command = cmd::vietnamese::command(cmd::Cli::command(), true);
    let parsed = command.try_get_matches().and_then(|m| cmd::Cli::from_arg_matches(&m));
    parsed.map_err(|e| match cmd::vietnamese::error_text(&e) {
        None => {
            println!("{}", cmd::vietnamese::localise(e.render().to_string().trim_end()));
            ExitCode::SUCCESS
        }
        Some(text) => {
            eprintln!("{text}");
            ExitCode::from(2)
        }
    })
}
