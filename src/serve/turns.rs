//! Reads take turns: at most [`reading_at_once`] page and file requests (GET)
//! are worked on at once, one core fewer than the machine has (at least one),
//! so a save ("Đã lưu" means on disk), the preview render it starts and the
//! event stream that paints it always find a core free, however many people
//! are reading. A read waits for its turn (first come, first served); it is
//! never refused. The event stream and the page's static files never wait.
//!
//! Reads are also worked on by threads of their own that yield the CPU
//! (nice 10 on Linux): when the machine is busy, a save, its preview render and
//! the event that paints it are served first; reads use every moment left.

use std::sync::{Arc, OnceLock};

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::runtime::Runtime;
use tokio::sync::Semaphore;

/// Reads worked on at once: the machine's cores minus one, at least one.
pub fn reading_at_once() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_sub(1).max(1)
}

/// The turns of one server's reads (kept in its [`super::App`]).
pub struct Turns(Arc<Semaphore>);

impl Default for Turns {
    fn default() -> Self {
        Turns(Arc::new(Semaphore::new(reading_at_once())))
    }
}

/// The middleware: a read waits for its turn and is worked on by the reading
/// threads; anything else goes straight on.
pub async fn reads(State(app): State<Arc<super::App>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let waits = matches!(*req.method(), Method::GET | Method::HEAD) && !path.starts_with("/su-kien/") && !path.starts_with("/tep/");
    if !waits {
        return next.run(req).await;
    }
    let turns = app.turns.0.clone();
    let read = async move {
        // The semaphore is never closed, so a permit always comes; it is held
        // by the read itself, also when the asker has gone.
        let _turn = turns.acquire_owned().await;
        next.run(req).await
    };
    match reading_threads() {
        Some(rt) => rt
            .spawn(read)
            .await
            .unwrap_or_else(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()),
        None => read.await,
    }
}

/// The threads that work on reads (made once per process, at lowered
/// priority); `None` when they could not be made, and reads run where they came in.
fn reading_threads() -> Option<&'static Runtime> {
    static READING: OnceLock<Option<Runtime>> = OnceLock::new();
    READING
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(reading_at_once())
                // Reads take turns, so a thread more than the turns is enough;
                // without a bound, the pool grew to seven threads under the
                // mix, each keeping an allocator arena (`serve_load`).
                .max_blocking_threads(reading_at_once() + 1)
                .thread_name("baocao-doc")
                .on_thread_start(yield_cpu)
                .enable_all()
                .build()
                .ok()
        })
        .as_ref()
}

/// Lowers the calling thread's priority (nice 10). On Linux the nice value is
/// per thread; elsewhere nothing is changed.
fn yield_cpu() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority with PRIO_PROCESS and 0 changes only the calling
    // thread's nice value on Linux; it reads and writes no memory of ours.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}
