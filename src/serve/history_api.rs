//! The history of one cell, read-only, for the figures page:
//! `GET /api/lich-su-o/{period}/{file}?code=..&column=..` answers the logged
//! changes of that cell as JSON (oldest first). No route writes the log: it
//! only grows as a side effect of a change made through the facade.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Deserialize;

use super::answer::{blocking, Fail};
use super::App;
use crate::office::actor::Actor;

/// The route, to merge into the router (behind its guard).
pub fn routes() -> Router<Arc<App>> {
    Router::new().route("/api/lich-su-o/{period}/{file}", get(cell_history))
}

#[derive(Deserialize)]
struct CellQuery {
    code: String,
    column: String,
}

async fn cell_history(
    State(app): State<Arc<App>>,
    Extension(actor): Extension<Actor>,
    Path((period, file)): Path<(String, String)>,
    Query(q): Query<CellQuery>,
) -> Result<Response, Fail> {
    let project = app.project.clone();
    let entries = blocking(move || project.cell_history(&actor, &period, &file, &q.code, &q.column))
        .await
        .map_err(Fail::api)?;
    Ok(Json(serde_json::json!({ "lich_su": entries })).into_response())
}
