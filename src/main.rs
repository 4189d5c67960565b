//! The `baocao` command: parses flags and calls the library (see `cmd/`).

mod cmd;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

/// On Linux the program allocates with jemalloc, not glibc's malloc. glibc
/// kept what the busiest moments of a server took: after 30 s of twenty
/// readers and five clerks the server stayed 8–16 % above where it was after
/// the first 100 edits (`cargo bench --bench serve_load`, three runs
/// interleaved with this build: +13,9 / +8,5 / +15,2 %), though it did not
/// grow further. jemalloc has a fixed set of arenas whatever the number of
/// threads, and gives freed pages back after a second on a thread of its own:
/// +6,1 / +4,4 / +1,4 % in the same runs, −1,0 % at 1.000 and +2,4 % more at
/// 3.000 edits. It holds some 12 MB more (about 92 MB after 1.000 edits, against
/// 82–85), and a cold render takes as long (0,98× wall, 20 interleaved pairs).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read when it starts: freed pages go back to the system
/// after about a second, on jemalloc's own background thread.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(non_upper_case_globals)]
#[export_name = "_rjem_malloc_conf"]
pub static malloc_conf: &[u8] = b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0\0";

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
