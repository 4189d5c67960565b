//! Live preview: one render worker per report and period (at most one render in
//! flight for it; edits that arrive meanwhile are coalesced, the latest state
//! wins), the page images it keeps, and the "pages changed" events sent to
//! browsers (server-sent events) only after a render finished.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::base::period::Period;
use crate::project::Laid;
use crate::project::{Project, Request};

/// One page image of the last good layout.
#[derive(Clone)]
pub struct PageState {
    pub hash: u128,
    pub svg: Arc<String>,
    /// The page's laid-out text.
    pub text: Arc<String>,
    /// Generation in which this page's image last changed.
    pub generation: u64,
}

/// What the browser is told about a report and period.
#[derive(Clone, Default)]
pub struct SlotState {
    /// An edit arrived that is not rendered yet.
    pub dirty: bool,
    /// A render is running.
    pub running: bool,
    /// Renders finished so far (good or failed).
    pub generation: u64,
    pub pages: Vec<PageState>,
    pub findings: Vec<FindingView>,
    /// The error of the last render (the pages stay those of the last good one).
    pub error: Option<String>,
    /// Version of the last PDF written.
    pub version: Option<u32>,
    /// Milliseconds from the request of the last render to its page images.
    pub pages_ms: f64,
    requested: Option<Instant>,
    /// The account whose edit or click asked for the render waiting or running.
    asked_by: String,
}

/// A finding as the page lists it, linked to its cell or fragment line.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FindingView {
    pub text: String,
    pub href: Option<String>,
}

impl FindingView {
    fn of(f: &crate::error::Finding) -> FindingView {
        FindingView {
            text: f.to_string(),
            href: link(&f.location.file, f.location.line),
        }
    }
}

/// The page that shows a place: a sector row (`data/<period>/<file>`) or a
/// fragment line (`templates/<report>/<name>.txt`).
pub fn link(file: &std::path::Path, line: Option<usize>) -> Option<String> {
    let text = file.to_string_lossy().replace('\\', "/");
    let text = text.split(" (").next().unwrap_or_default();
    let parts: Vec<&str> = text.split('/').collect();
    let anchor = line.map(|l| format!("#dong-{l}")).unwrap_or_default();
    match parts.as_slice() {
        ["data", period, file] => Some(format!("/so-lieu/{period}?tep={file}{anchor}")),
        ["templates", report, name] => Some(format!("/doan/{report}/{}{anchor}", name.strip_suffix(".txt")?)),
        ["data", _, report, name] => Some(format!("/doan/{report}/{}{anchor}", name.strip_suffix(".txt")?)),
        _ => None,
    }
}

/// A report and period being previewed.
pub struct Slot {
    pub req: Request,
    pub state: Mutex<SlotState>,
    wake: Condvar,
}

/// Sent to the browsers after a render: `kind` is "trang" (page images ready),
/// "pdf" (PDF written) or "loi" (the render failed).
#[derive(Clone, Debug)]
pub struct Changed {
    pub key: String,
    pub generation: u64,
    pub kind: &'static str,
}

/// All render workers of the server.
pub struct Live {
    project: Arc<Project>,
    slots: Mutex<HashMap<String, Arc<Slot>>>,
    pub events: broadcast::Sender<Changed>,
    busy: Arc<AtomicUsize>,
}

/// The key of a report and period ("bao-cao-thang/2026-02").
pub fn key(req: &Request) -> String {
    format!("{}/{}", req.report, req.period)
}

impl Live {
    pub fn new(project: Arc<Project>) -> Live {
        Live {
            project,
            slots: Mutex::new(HashMap::new()),
            events: broadcast::channel(256).0,
            busy: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The slot of a report and period, starting its worker on first use.
    pub fn slot(&self, req: &Request) -> Arc<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = slots.get(&key(req)) {
            return s.clone();
        }
        let slot = Arc::new(Slot {
            req: req.clone(),
            state: Mutex::new(SlotState::default()),
            wake: Condvar::new(),
        });
        slots.insert(key(req), slot.clone());
        let (project, events, busy, s) = (self.project.clone(), self.events.clone(), self.busy.clone(), slot.clone());
        std::thread::spawn(move || worker(&project, &s, &events, &busy));
        slot
    }

    /// Asks for a render of a report and period on behalf of `who` (coalesced
    /// with any pending one; the PDF is saved under the last one who asked).
    pub fn trigger(&self, req: &Request, who: &str) {
        let slot = self.slot(req);
        let mut st = slot.state.lock().unwrap_or_else(|e| e.into_inner());
        st.dirty = true;
        st.asked_by = who.to_string();
        st.requested.get_or_insert_with(Instant::now);
        slot.wake.notify_one();
    }

    /// Re-renders every open preview that reads data of `period`, and the default one of it.
    pub fn data_changed(&self, period: Period, default_report: Option<String>, who: &str) {
        for r in self
            .open_requests()
            .iter()
            .filter(|r| r.period == period || r.period.months().contains(&period) || r.period.same_period_last_year() == period)
        {
            self.trigger(r, who);
        }
        if let Some(report) = default_report {
            self.trigger(&Request { report, period }, who);
        }
    }

    /// Re-renders every open preview of a report type.
    pub fn report_changed(&self, report: &str, who: &str) {
        for r in self.open_requests().iter().filter(|r| r.report == report) {
            self.trigger(r, who);
        }
    }

    /// The report and period of every preview opened so far.
    fn open_requests(&self) -> Vec<Request> {
        self.slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .map(|s| s.req.clone())
            .collect()
    }

    /// Starts the first render of a preview that was never rendered.
    pub fn ensure_started(&self, req: &Request, who: &str) {
        let idle = self
            .slot(req)
            .state
            .lock()
            .map(|s| s.generation == 0 && !s.running)
            .unwrap_or(false);
        if idle {
            self.trigger(req, who);
        }
    }

    /// Renders in flight or pending (shutdown waits for them).
    pub fn busy(&self) -> usize {
        let pending = self
            .slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .filter(|s| s.state.lock().map(|st| st.dirty || st.running).unwrap_or(false))
            .count();
        pending.max(self.busy.load(Ordering::SeqCst))
    }
}

/// The findings to list for a failed render (each linked to its place).
fn error_findings(e: &crate::Error) -> Vec<FindingView> {
    match e {
        crate::Error::Data(f) => f.0.iter().map(FindingView::of).collect(),
        crate::Error::Template { file, line, .. } | crate::Error::Typst { file, line, .. } => vec![FindingView {
            text: super::WebText::ErrorLine(e.to_string()).to_string(),
            href: link(file, Some(*line)),
        }],
        other => vec![FindingView {
            text: super::WebText::ErrorLine(other.to_string()).to_string(),
            href: None,
        }],
    }
}

/// The loop of one report and period: wait for an edit, lay out, send the
/// changed page images, then write the PDF unless a newer edit is already waiting.
fn worker(project: &Project, slot: &Slot, events: &broadcast::Sender<Changed>, busy: &AtomicUsize) {
    let mut world = project.world();
    let key = key(&slot.req);
    loop {
        let (previous, requested) = slot.wait_for_edit();
        busy.fetch_add(1, Ordering::SeqCst);
        let laid = project.lay_out(&mut world, &slot.req);
        let publish = {
            let mut st = slot.lock();
            st.generation += 1;
            let generation = st.generation;
            let (kind, publish) = match laid {
                Ok(laid) => {
                    st.show_layout(&laid, &previous, requested, generation);
                    ("trang", (!st.dirty).then(|| (laid, st.asked_by.clone())))
                }
                Err(e) => {
                    st.show_error(&e);
                    ("loi", None)
                }
            };
            let _ = events.send(Changed {
                key: key.clone(),
                generation,
                kind,
            });
            publish
        };
        if let Some((laid, who)) = publish {
            write_pdf(project, slot, laid, &who, events, &key);
        }
        slot.lock().running = false;
        busy.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Slot {
    /// The state, even if a worker panicked while holding it.
    fn lock(&self) -> std::sync::MutexGuard<'_, SlotState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for an edit and marks the render running; returns the hashes of
    /// the pages shown and when the render was first asked for.
    fn wait_for_edit(&self) -> (Vec<u128>, Option<Instant>) {
        let mut st = self.lock();
        while !st.dirty {
            st = self.wake.wait(st).unwrap_or_else(|e| e.into_inner());
        }
        st.dirty = false;
        st.running = true;
        (st.pages.iter().map(|p| p.hash).collect(), st.requested.take())
    }
}

impl SlotState {
    /// Keeps the page images of a good layout (only the pages that changed are
    /// replaced), its findings and warnings, and the time it took.
    fn show_layout(&mut self, laid: &Laid, previous: &[u128], requested: Option<Instant>, generation: u64) {
        let images = crate::project::page_images(&laid.rendered.document, previous);
        self.pages.truncate(images.len());
        for (i, img) in images.into_iter().enumerate() {
            let Some(svg) = img.svg else { continue };
            let page = PageState {
                hash: img.hash,
                svg: Arc::new(svg),
                text: Arc::new(img.text.unwrap_or_default()),
                generation,
            };
            match self.pages.get_mut(i) {
                Some(p) => *p = page,
                None => self.pages.push(page),
            }
        }
        self.findings = laid.rendered.findings.0.iter().map(FindingView::of).collect();
        self.findings.extend(laid.rendered.typst_warnings.iter().map(|w| FindingView {
            text: w.clone(),
            href: None,
        }));
        self.error = None;
        self.pages_ms = requested.map(|t| t.elapsed().as_secs_f64() * 1000.0).unwrap_or(0.0);
    }

    /// Keeps the error of a failed render (the pages stay those of the last good one).
    fn show_error(&mut self, e: &crate::Error) {
        self.findings = error_findings(e);
        self.error = Some(match e {
            crate::Error::Data(f) => super::WebText::DataErrors(f.errors()).to_string(),
            other => other.to_string(),
        });
    }
}

/// Writes the PDF of a good layout, keeps its version (or the error) and tells the browsers.
fn write_pdf(project: &Project, slot: &Slot, laid: Laid, who: &str, events: &broadcast::Sender<Changed>, key: &str) {
    let written = project.publish_laid(&slot.req, laid, who);
    let mut st = slot.lock();
    match written {
        Ok((_, v)) => st.version = Some(v),
        Err(e) => st.error = Some(e.to_string()),
    }
    let _ = events.send(Changed {
        key: key.to_string(),
        generation: st.generation,
        kind: "pdf",
    });
}
