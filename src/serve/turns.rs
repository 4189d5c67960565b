//! Reads take turns: at most [`reading_at_once`] page and file requests (GET)
//! are worked on at once, one core fewer than the machine has (at least one),
//! so a save ("Đã lưu" means on disk), the preview render it starts and the
//! event stream that paints it always find a core free, however many people
//! are reading. A read waits for its turn (first come, first served); it is
//! never refused. The event stream and the page's static files never wait.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::Semaphore;

/// Reads worked on at once: the machine's cores minus one, at least one.
pub fn reading_at_once() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_sub(1).max(1)
}

/// The turns of one server's reads (kept in its [`super::App`]).
pub struct Turns(Semaphore);

impl Default for Turns {
    fn default() -> Self {
        Turns(Semaphore::new(reading_at_once()))
    }
}

/// The middleware: a read waits for its turn; anything else goes straight on.
pub async fn reads(State(app): State<Arc<super::App>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let waits = matches!(*req.method(), Method::GET | Method::HEAD) && !path.starts_with("/su-kien/") && !path.starts_with("/tep/");
    if !waits {
        return next.run(req).await;
    }
    // The semaphore is never closed, so a permit always comes.
    let _turn = app.turns.0.acquire().await;
    next.run(req).await
}
