//! Batch rendering: which (report type, period) pairs `render --all` makes, and
//! how a batch runs them in constant memory.
//!
//! A batch runs on a fixed pool of [`workers`] plain threads (one per core), each
//! with one Typst World, taking the next report in order. A report is written as
//! soon as it is done and its document dropped before the worker takes the next,
//! so at most `workers` documents are alive at once: memory is bounded by the
//! worker count (plus Typst's cache, trimmed after every compile), not by the
//! number of reports.
//!
//! The workers are deliberately not rayon tasks. Typst parallelises inside one
//! compile on rayon's global pool; a batch loop on that same pool lets a thread
//! that waits for its own compile's parallel part steal the *next report* and
//! start it on top of its stack, then the next, ... : every report of the batch
//! ends up in flight at once (memory linear in N, none finished before the end).
//! From a plain thread Typst's parallel work is handed to the pool and the thread
//! just waits, so it never picks up another report.
//!
//! Beyond one machine the batch needs nothing of its own: every report is a
//! stateless job (`baocao render --report R --period P` on a copy of the project
//! folder, or `render --all` on a slice of it), so an existing scheduler (a CI
//! matrix, Slurm array, Kubernetes Job with indices, GNU parallel over ssh) runs
//! them and collects `out/`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::base::period::Period;
use crate::figures;
use crate::layout::world::BaocaoWorld;
use crate::project::{Project, Request};

/// Layouts whose use keeps an entry in Typst's cache during a batch. Each
/// report is another document: what the next one shares with this one (the
/// shared layout, fonts, words already shaped) is used again within two
/// layouts. Keeping ten, as a long-lived preview does, held 153-159 MB at the
/// peak of 100 and 300 reports, against 94-96 MB, and was slower (0,61 against
/// 0,66-0,70 x the typst CLI; docs/hieu-nang.md, "Phiên sáu").
const BATCH_CACHE_AGE: usize = 2;

/// Overrides the worker count of a batch (for measurements and tests).
pub const WORKERS_ENV: &str = "BAOCAO_BATCH_WORKERS";

/// Worker threads for a batch of `jobs` reports: one per core (or
/// [`WORKERS_ENV`]), at least one and never more than the jobs.
pub fn workers(jobs: usize) -> usize {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let asked = std::env::var(WORKERS_ENV).ok().and_then(|v| v.parse::<usize>().ok());
    asked.unwrap_or(cores).min(jobs).max(1)
}

/// One finished report of a batch: its place in the batch's order, the request
/// and what the job returned.
pub struct Finished<T> {
    pub index: usize,
    pub request: Request,
    pub outcome: T,
}

/// Puts finished reports back in the batch's order: `push` returns those that
/// are now next in line (none while an earlier one is still running).
pub struct InOrder<T> {
    next: usize,
    waiting: BTreeMap<usize, T>,
}

impl<T> Default for InOrder<T> {
    fn default() -> Self {
        InOrder {
            next: 0,
            waiting: BTreeMap::new(),
        }
    }
}

impl<T> InOrder<T> {
    /// Takes item `index`; returns the run of items now ready, in order.
    pub fn push(&mut self, index: usize, item: T) -> Vec<T> {
        self.waiting.insert(index, item);
        let mut ready = Vec::new();
        while let Some(item) = self.waiting.remove(&self.next) {
            ready.push(item);
            self.next += 1;
        }
        ready
    }
}

impl Project {
    /// Runs `job` for every request on `workers` threads (each with its own
    /// World), in the requests' order, and calls `done` on the calling thread as
    /// each report finishes (in the order they finish). `job` should write its
    /// report and return only a small outcome: whatever it returns is all that
    /// outlives the report.
    pub fn run_batch<T, J, D>(&self, requests: Vec<Request>, workers: usize, job: J, mut done: D)
    where
        T: Send,
        J: Fn(&mut BaocaoWorld, &Request) -> T + Sync,
        D: FnMut(Finished<T>),
    {
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::sync_channel::<Finished<T>>(workers.max(1));
        let (requests, job, next) = (&requests, &job, &next);
        std::thread::scope(|scope| {
            for _ in 0..workers.max(1) {
                let tx = tx.clone();
                scope.spawn(move || {
                    let mut world = self.world();
                    world.keep_cache_for(BATCH_CACHE_AGE);
                    world.keep_last_layouts(0);
                    loop {
                        let index = next.fetch_add(1, Ordering::SeqCst);
                        let Some(request) = requests.get(index) else { break };
                        let outcome = job(&mut world, request);
                        let finished = Finished {
                            index,
                            request: request.clone(),
                            outcome,
                        };
                        if tx.send(finished).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            for finished in rx {
                done(finished);
            }
        });
    }

    /// Every (report type, period) pair to render in a batch, from each type's
    /// `loai_ky`: months with figures, the quarters (half-years, ...) whose months
    /// are all there (the last may be missing when it is estimated), or, for
    /// `rieng`, the periods with a folder of their own (data/<period>/<report>/).
    pub fn all_requests(&self) -> Vec<Request> {
        use crate::base::manifest::PeriodKind;
        let periods = figures::periods(&self.data_dir());
        let months: Vec<Period> = periods
            .iter()
            .copied()
            .filter(|p| p.is_month() && figures::has_figures(&self.data_dir().join(p.to_string())))
            .collect();
        let mut out = Vec::new();
        for report in self.report_types() {
            let Ok(m) = self.manifest(&report) else { continue };
            let complete = |p: &Period| {
                let need = p.months();
                let have = need.iter().filter(|x| months.contains(x)).count();
                have == need.len() || (m.estimate_last_month && have + 1 == need.len() && !months.contains(need.last().unwrap()))
            };
            let years: std::collections::BTreeSet<i32> = months.iter().map(|p| p.year()).collect();
            let candidates: Vec<Period> = match m.period_kind {
                PeriodKind::Month => months.clone(),
                PeriodKind::Own => periods
                    .iter()
                    .copied()
                    .filter(|p| self.data_dir().join(p.to_string()).join(&report).is_dir())
                    .collect(),
                PeriodKind::Quarter => years
                    .iter()
                    .flat_map(|&year| (1..=4).map(move |quarter| Period::Quarter { year, quarter }))
                    .filter(complete)
                    .collect(),
                PeriodKind::HalfYear => years
                    .iter()
                    .flat_map(|&year| [Period::HalfYear { year }, Period::SecondHalf { year }])
                    .filter(complete)
                    .collect(),
                PeriodKind::NineMonths => years.iter().map(|&year| Period::NineMonths { year }).filter(complete).collect(),
                PeriodKind::Year => years.iter().map(|&year| Period::Year { year }).filter(complete).collect(),
            };
            out.extend(candidates.into_iter().map(|period| Request {
                report: report.clone(),
                period,
            }));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::InOrder;
    use crate::project::{Project, Request};
    use std::sync::Mutex;

    /// At most `workers` reports are ever in flight, they start in the batch's
    /// order, and each finished one reaches the caller: what bounds memory.
    #[test]
    fn a_batch_holds_at_most_its_workers_reports_and_finishes_them_all() {
        let project = Project::open(std::env::temp_dir().join("baocao-batch-test-none"));
        let requests: Vec<Request> = (1..=12)
            .map(|m| Request {
                report: "r".into(),
                period: crate::base::period::Period::Month { year: 2030, month: m },
            })
            .collect();
        let state = Mutex::new((0usize, 0usize, Vec::new()));
        let job = |_: &mut crate::layout::world::BaocaoWorld, r: &Request| {
            {
                let mut s = state.lock().unwrap();
                s.0 += 1;
                s.1 = s.1.max(s.0);
                s.2.push(r.period);
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
            state.lock().unwrap().0 -= 1;
            r.period
        };
        let mut got = Vec::new();
        project.run_batch(requests.clone(), 3, job, |f| {
            assert_eq!(f.outcome, requests[f.index].period);
            got.push(f.index);
        });
        let (_, most, mut started) = state.into_inner().unwrap();
        assert!(most <= 3, "{most} in flight");
        started.sort();
        assert_eq!(started, requests.iter().map(|r| r.period).collect::<Vec<_>>());
        got.sort();
        assert_eq!(got, (0..12).collect::<Vec<_>>());
    }

    #[test]
    fn in_order_holds_back_what_finished_early() {
        let mut o = InOrder::default();
        assert!(o.push(1, "b").is_empty());
        assert!(o.push(2, "c").is_empty());
        assert_eq!(o.push(0, "a"), vec!["a", "b", "c"]);
        assert_eq!(o.push(3, "d"), vec!["d"]);
    }
}
