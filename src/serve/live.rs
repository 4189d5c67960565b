//! Live preview: a bounded set of previews (at most [`MAX_PREVIEWS`] report ×
//! period kept, idle ones dropped) rendered by a fixed pool of [`WORKERS`]
//! threads, each with one Typst World; at most one render in flight per
//! preview, edits that arrive meanwhile coalesced (the latest state wins); the
//! page images kept, and the "pages changed" events sent to browsers
//! (server-sent events) only after a render laid the pages out: the changed
//! page images first ("trang"), then, once the format check has run on them,
//! its findings ("kiem-tra").
//!
//! It refuses to write on a read: an edit or a page view renders the preview
//! only; a numbered PDF version is written only when [`Live::publish`] was
//! asked ("Tạo PDF"). It never makes a preview by itself: the hall validated
//! the report type and the period (both exist) before a request gets here.

use std::collections::HashMap;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::base::period::Period;
use crate::layout::world::BaocaoWorld;
use crate::project::{Laid, Rendered};
use crate::project::{Project, Request};

/// One page image of the last good layout.
#[derive(Clone)]
pub struct PageState {
    pub hash: u128,
    /// The laid-out page (its SVG is made when first asked: [`PageState::svg`]).
    page: typst_layout::Page,
    svg: Arc<std::sync::OnceLock<Arc<String>>>,
    /// Its drawing for the page's canvas, when it has one.
    pub drawing: Option<Arc<String>>,
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
    /// Waiting for a render thread.
    queued: bool,
    /// Who asked for a PDF version ("Tạo PDF") not written yet.
    pub publish: Option<String>,
}

impl SlotState {
    /// A render waiting or running (or a PDF asked for and not written yet).
    pub fn busy(&self) -> bool {
        self.dirty || self.running || self.queued || self.publish.is_some()
    }
}

/// A finding as the page lists it, linked to its cell or fragment line.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FindingView {
    pub text: String,
    pub href: Option<String>,
    /// An error (listed first), not a warning.
    #[serde(rename = "loi")]
    pub error: bool,
}

impl FindingView {
    /// A report's findings, each said for people ([`Project::findings_said`])
    /// and linked to its place.
    fn all(project: &Project, req: &Request, findings: &crate::error::Findings, names: &[(String, String)]) -> Vec<FindingView> {
        let said = project.findings_said(req, findings, names);
        findings
            .0
            .iter()
            .zip(said)
            .map(|(f, text)| FindingView {
                text,
                href: link(&f.location.file, f.location.line),
                error: f.severity == crate::error::Severity::Error,
            })
            .collect()
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

/// Live previews kept at once (each holds its page images); the least
/// recently used idle one is dropped to make room.
pub const MAX_PREVIEWS: usize = 8;
/// Render threads, each with one Typst World, shared by every preview.
pub const WORKERS: usize = 2;
/// Events the channel holds for a slow browser. The channel keeps its last
/// events (with their page drawings) until newer ones replace them, so this
/// bounds the memory they take; a browser that falls further behind asks for
/// the page state again and misses nothing.
pub const EVENTS_KEPT: usize = 16;
/// The event that tells a browser to ask for the preview's state again
/// (`/api/trang/...`): sent first on each event stream, so a render that ended
/// before the browser listened is not missed, and in place of events a slow
/// browser fell too far behind to receive.
pub const ASK_AGAIN: &str = "tinh-trang";
/// A preview nobody asked about for this long is dropped.
pub const IDLE: Duration = Duration::from_secs(10 * 60);

/// A report and period being previewed.
pub struct Slot {
    pub req: Request,
    pub state: Mutex<SlotState>,
    last_used: Mutex<Instant>,
}

impl PageState {
    /// The page's SVG image (made once, when first asked).
    pub fn svg(&self) -> Arc<String> {
        self.svg.get_or_init(|| Arc::new(crate::project::page_svg(&self.page))).clone()
    }

    /// What a browser paints: the drawing, else the SVG image.
    pub fn image(&self) -> Image {
        match &self.drawing {
            Some(d) => Image::Drawing(d.clone()),
            None => Image::Svg(self.svg()),
        }
    }
}

/// A page image as sent to the browser.
#[derive(Clone, Debug)]
pub enum Image {
    /// Drawing operations for a canvas (JSON written by [`crate::layout::drawing`]).
    Drawing(Arc<String>),
    Svg(Arc<String>),
}

/// Sent to the browsers after a render: `kind` is "trang" (page images ready),
/// "pdf" (PDF written) or "loi" (the render failed). A "trang" event carries
/// the generation of every page and the images of the pages that changed
/// (drawings, or SVG for a page that has none), so a browser paints them
/// without asking again (the event stream is behind the same permission as the
/// images).
#[derive(Clone, Debug)]
pub struct Changed {
    pub key: String,
    pub generation: u64,
    pub kind: &'static str,
    /// Generation of each page's image (empty but for "trang").
    pub pages: Arc<Vec<u64>>,
    /// (page index from 0, image) of the pages whose image changed in this render.
    pub images: Arc<Vec<(usize, Image)>>,
}

/// Previews waiting for a render thread (each at most once).
#[derive(Default)]
struct Queue {
    jobs: Mutex<VecDeque<Arc<Slot>>>,
    wake: Condvar,
}

impl Queue {
    fn push(&self, slot: Arc<Slot>) {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).push_back(slot);
        self.wake.notify_one();
    }

    fn pop(&self) -> Arc<Slot> {
        let mut q = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(s) = q.pop_front() {
                return s;
            }
            q = self.wake.wait(q).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// The previews of the server: at most [`MAX_PREVIEWS`] kept, rendered by
/// [`WORKERS`] threads. Requests reach it only validated by the hall (an
/// existing report type and period), so its keys are few and bounded.
pub struct Live {
    slots: Mutex<HashMap<String, Arc<Slot>>>,
    queue: Arc<Queue>,
    pub events: broadcast::Sender<Changed>,
    busy: Arc<AtomicUsize>,
}

/// The key of a report and period ("bao-cao-thang/2026-02").
pub fn key(req: &Request) -> String {
    format!("{}/{}", req.report, req.period)
}

impl Live {
    /// The previews of `project`, with their render threads started.
    pub fn new(project: Arc<Project>) -> Live {
        let live = Live {
            slots: Mutex::new(HashMap::new()),
            queue: Arc::new(Queue::default()),
            events: broadcast::channel(EVENTS_KEPT).0,
            busy: Arc::new(AtomicUsize::new(0)),
        };
        // The render threads run at the priority of the threads answering people.
        // Lowered (nice 10), a clerk's preview waited behind 20 readers: Enter ->
        // painted under the mix p95 314 / 374 ms, against 222 / 276 ms; saves
        // under the mix p95 40-43 ms, against 38-46 (docs/hieu-nang.md, phiên tám).
        let shared = project.world();
        for _ in 0..WORKERS {
            let (p, q, ev, busy) = (project.clone(), live.queue.clone(), live.events.clone(), live.busy.clone());
            let mut world = project.world();
            world.share_last_layouts(&shared);
            std::thread::spawn(move || worker(&p, world, &q, &ev, &busy));
        }
        live
    }

    /// The preview of a report and period (kept, or made in room freed by
    /// dropping idle and least recently used ones). No thread, no render.
    pub fn slot(&self, req: &Request) -> Arc<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        slots.retain(|_, s| s.pinned() || now.duration_since(s.used()) < IDLE);
        if let Some(s) = slots.get(&key(req)) {
            *s.last_used.lock().unwrap_or_else(|e| e.into_inner()) = now;
            return s.clone();
        }
        while slots.len() >= MAX_PREVIEWS {
            let oldest = slots.iter().min_by_key(|(_, s)| (s.pinned(), s.used())).map(|(k, _)| k.clone());
            match oldest {
                Some(k) => slots.remove(&k),
                None => break,
            };
        }
        let slot = Arc::new(Slot {
            req: req.clone(),
            state: Mutex::new(SlotState::default()),
            last_used: Mutex::new(now),
        });
        slots.insert(key(req), slot.clone());
        slot
    }

    /// Previews kept now (at most [`MAX_PREVIEWS`]).
    pub fn kept(&self) -> usize {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Asks for a render of a report and period on behalf of `who` (coalesced
    /// with any pending one). The preview only: no PDF is written.
    pub fn trigger(&self, req: &Request, who: &str) {
        self.ask(&self.slot(req), who, false);
    }

    /// Asks for a render that ends in a new numbered PDF version ("Tạo PDF").
    pub fn publish(&self, req: &Request, who: &str) {
        self.ask(&self.slot(req), who, true);
    }

    fn ask(&self, slot: &Arc<Slot>, who: &str, publish: bool) {
        let mut st = slot.lock();
        st.dirty = true;
        st.asked_by = who.to_string();
        if publish {
            st.publish = Some(who.to_string());
        }
        st.requested.get_or_insert_with(Instant::now);
        if !st.queued && !st.running {
            st.queued = true;
            self.queue.push(slot.clone());
        }
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

    /// The report and period of every preview kept.
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
        let slot = self.slot(req);
        let idle = {
            let st = slot.lock();
            st.generation == 0 && !st.busy()
        };
        if idle {
            self.ask(&slot, who, false);
        }
    }

    /// Renders in flight or pending (shutdown waits for them).
    pub fn busy(&self) -> usize {
        let queued = self.queue.jobs.lock().map(|q| q.len()).unwrap_or(0);
        queued.max(self.busy.load(Ordering::SeqCst))
    }
}

/// The findings and Typst's warnings of a good layout, to list.
fn findings_of(project: &Project, req: &Request, rendered: &Rendered) -> Vec<FindingView> {
    let mut found = FindingView::all(project, req, &rendered.findings, &rendered.figure_names);
    found.extend(rendered.typst_warnings.iter().map(|w| FindingView {
        text: w.clone(),
        href: None,
        error: false,
    }));
    found
}

/// The findings to list for a failed render (each linked to its place).
fn error_findings(project: &Project, req: &Request, e: &crate::Error) -> Vec<FindingView> {
    match e {
        crate::Error::Data(f) => FindingView::all(project, req, f, &[]),
        crate::Error::Template { file, line, .. } | crate::Error::Typst { file, line, .. } => vec![FindingView {
            text: super::WebText::ErrorLine(e.to_string()).to_string(),
            href: link(file, Some(*line)),
            error: true,
        }],
        other => vec![FindingView {
            text: super::WebText::ErrorLine(other.to_string()).to_string(),
            href: None,
            error: true,
        }],
    }
}

/// One render thread: takes the next waiting preview, lays it out in its own
/// World (sharing the last layouts with the other's), sends the changed page
/// images, and writes a PDF only when one was asked for ("Tạo PDF") and no
/// newer edit is waiting.
fn worker(project: &Project, mut world: BaocaoWorld, queue: &Queue, events: &broadcast::Sender<Changed>, busy: &AtomicUsize) {
    loop {
        let slot = queue.pop();
        busy.fetch_add(1, Ordering::SeqCst);
        render_once(project, &mut world, &slot, events);
        // The images are out: Typst's cache is tidied now, not before the next layout.
        world.tidy_cache();
        let mut st = slot.lock();
        st.running = false;
        if st.dirty {
            st.queued = true;
            queue.push(slot.clone());
        }
        drop(st);
        busy.fetch_sub(1, Ordering::SeqCst);
    }
}

fn render_once(project: &Project, world: &mut BaocaoWorld, slot: &Slot, events: &broadcast::Sender<Changed>) {
    let key = key(&slot.req);
    let (previous, requested) = slot.start();
    // A PDF asked for ("Tạo PDF") is laid out as a version: refused, naming them,
    // while blanks remain; otherwise the preview is a draft with placeholders,
    // whose page images go out before its format check, the findings after.
    if slot.lock().publish.is_none() {
        match project.lay_out_draft(world, &slot.req) {
            Ok(draft) => {
                let generation = {
                    let mut st = slot.lock();
                    let generation = st.next_generation();
                    st.show_pages(draft.rendered(), &previous, requested, generation);
                    st.tell(events, &key, "trang", generation);
                    generation
                };
                let laid = draft.checked();
                let found = findings_of(project, &slot.req, &laid.rendered);
                let mut st = slot.lock();
                st.findings = found;
                st.tell(events, &key, "kiem-tra", generation);
            }
            Err(e) => {
                let found = error_findings(project, &slot.req, &e);
                slot.lock().show_error(&e, found, events, &key)
            }
        }
        return;
    }
    let publish = match project.lay_out(world, &slot.req) {
        Ok(laid) => {
            let found = findings_of(project, &slot.req, &laid.rendered);
            let mut st = slot.lock();
            let generation = st.next_generation();
            st.show_pages(&laid.rendered, &previous, requested, generation);
            st.findings = found;
            let who = if st.dirty { None } else { st.publish.take() };
            st.tell(events, &key, "trang", generation);
            who.map(|w| (laid, w))
        }
        Err(e) => {
            let found = error_findings(project, &slot.req, &e);
            let mut st = slot.lock();
            st.publish = None;
            st.show_error(&e, found, events, &key);
            None
        }
    };
    if let Some((laid, who)) = publish {
        write_pdf(project, slot, laid, &who, events, &key);
    }
}

impl Slot {
    /// The state, even if a worker panicked while holding it.
    fn lock(&self) -> std::sync::MutexGuard<'_, SlotState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn used(&self) -> Instant {
        *self.last_used.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A preview with a render waiting or running, or a PDF asked for, is not dropped.
    fn pinned(&self) -> bool {
        let st = self.lock();
        st.busy() || st.publish.is_some()
    }

    /// Marks the render running; returns the hashes of the pages shown and
    /// when the render was first asked for.
    fn start(&self) -> (Vec<u128>, Option<Instant>) {
        let mut st = self.lock();
        st.dirty = false;
        st.queued = false;
        st.running = true;
        (st.pages.iter().map(|p| p.hash).collect(), st.requested.take())
    }
}

impl SlotState {
    /// A render finished (good or failed): its generation.
    fn next_generation(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    /// Keeps the page images of a good layout (only the pages that changed are
    /// replaced) and the time it took.
    fn show_pages(&mut self, rendered: &Rendered, previous: &[u128], requested: Option<Instant>, generation: u64) {
        let images = crate::project::page_images(rendered, previous);
        self.pages.truncate(images.len());
        for (i, img) in images.into_iter().enumerate() {
            let Some(page) = img.page else { continue };
            let page = PageState {
                hash: img.hash,
                page,
                svg: Default::default(),
                drawing: img.drawing.map(Arc::new),
                text: Arc::new(img.text.unwrap_or_default()),
                generation,
            };
            match self.pages.get_mut(i) {
                Some(p) => *p = page,
                None => self.pages.push(page),
            }
        }
        if self.error.take().is_some() {
            // They described the failure; this layout's own follow.
            self.findings.clear();
        }
        self.pages_ms = requested.map(|t| t.elapsed().as_secs_f64() * 1000.0).unwrap_or(0.0);
    }

    /// Tells the browsers of `key` what `generation` brought: "trang" sends the
    /// page images changed in it; "kiem-tra" (its findings) and "loi" send nothing.
    fn tell(&self, events: &broadcast::Sender<Changed>, key: &str, kind: &'static str, generation: u64) {
        let (pages, images) = match kind {
            "trang" => self.shown_in(generation),
            _ => Default::default(),
        };
        let _ = events.send(Changed {
            key: key.to_string(),
            generation,
            kind,
            pages: Arc::new(pages),
            images: Arc::new(images),
        });
    }

    /// The generation of every page, and the images changed in `generation`.
    fn shown_in(&self, generation: u64) -> (Vec<u64>, Vec<(usize, Image)>) {
        let gens = self.pages.iter().map(|p| p.generation).collect();
        let images = self
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.generation == generation)
            .map(|(i, p)| (i, p.image()))
            .collect();
        (gens, images)
    }

    /// Keeps the error of a failed render (the pages stay those of the last
    /// good one) and tells the browsers.
    fn show_error(&mut self, e: &crate::Error, found: Vec<FindingView>, events: &broadcast::Sender<Changed>, key: &str) {
        let generation = self.next_generation();
        self.findings = found;
        self.error = Some(match e {
            crate::Error::Data(f) => super::WebText::DataErrors(f.errors()).to_string(),
            other => other.to_string(),
        });
        self.tell(events, key, "loi", generation);
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
        pages: Default::default(),
        images: Default::default(),
    });
}
