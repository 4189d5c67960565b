//! The `baocao` command: parses flags and calls the library (see `cmd/`).

mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            // A malformed argument is a usage error, like clap's own (exit 2).
            ExitCode::from(if matches!(e, baocao::Error::BadPeriod(_)) { 2 } else { 1 })
        }
    }
}
