//! `baocao watch`: one long-lived process that re-renders when an input changes,
//! reusing Typst's caches (fixed virtual paths, one World).

use super::messages::CliText;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use baocao::{Actor, Project, SHARED_DIR};
use baocao::{Error, Result};
use notify::{RecursiveMode, Watcher};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: super::Target,
    #[command(flatten)]
    output: super::OutputArgs,
}

pub fn run(project: &Project, a: Args) -> Result<ExitCode> {
    let req = a.target.request(project)?;
    let out_dir = a.output.dir(project);
    let (tx, rx) = mpsc::channel();
    let root = project.root.canonicalize().unwrap_or_else(|_| project.root.clone());
    // One render per edit: the program's own bookkeeping (the change log a render
    // writes, kept copies, hidden and temporary files) never counts as a change.
    let input = move |p: &std::path::PathBuf| !baocao::is_bookkeeping(p.strip_prefix(&root).unwrap_or(p));
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            if !matches!(ev.kind, notify::EventKind::Access(_)) && ev.paths.iter().any(&input) {
                let _ = tx.send(());
            }
        }
    })
    .map_err(|e| Error::Watch {
        dir: project.root.clone(),
        detail: e.to_string(),
    })?;
    let data = project.data_dir();
    let watched = [
        data.join(req.period.to_string()),
        data.join(req.period.same_period_last_year().to_string()),
        project.report_dir(&req.report),
        project.templates_dir().join(SHARED_DIR),
    ];
    for dir in watched.iter().filter(|d| d.is_dir()) {
        watcher.watch(dir, RecursiveMode::Recursive).map_err(|e| Error::Watch {
            dir: dir.clone(),
            detail: e.to_string(),
        })?;
    }
    let watching = CliText::Watching {
        report: req.report.clone(),
        period: req.period.to_string(),
    };
    println!("{watching}");
    let mut world = project.world();
    loop {
        let started = Instant::now();
        match project.lay_out(&mut world, &req) {
            Ok(laid) => {
                let mut r = laid.rendered;
                for f in &r.findings.0 {
                    println!("{f}");
                }
                let saved = project.save_version(&Actor::local(), &out_dir, &req, &mut r, a.output.extras(), None);
                match saved {
                    Ok((p, v)) => {
                        let again = CliText::Rerendered {
                            ms: started.elapsed().as_secs_f64() * 1000.0,
                            version: v,
                            pdf: p.display().to_string(),
                        };
                        println!("{again}");
                    }
                    Err(e) => println!("{e}"),
                }
            }
            Err(e) => println!("{e}\n{}", super::messages::CliText::NotRerendered),
        }
        // Wait for a change, then let a burst of saves settle.
        if rx.recv().is_err() {
            return Ok(ExitCode::SUCCESS);
        }
        while rx.recv_timeout(Duration::from_millis(150)).is_ok() {}
    }
}
