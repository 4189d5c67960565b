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

use crate::actor::Actor;
use crate::serve::App;

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
) -> Response {
    let project = app.project.clone();
    let found = tokio::task::spawn_blocking(move || {
        crate::serve::auth::allow_file(&project, &actor, &period, &file, "")?;
        project.cell_history(&actor, &period, &file, &q.code, &q.column)
    })
    .await;
    match found {
        Ok(Ok(entries)) => Json(serde_json::json!({ "lich_su": entries })).into_response(),
        Ok(Err(e)) => (status_of(&e), Json(serde_json::json!({ "loi": e.to_string() }))).into_response(),
        Err(e) => (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            Json(serde_json::json!({ "loi": e.to_string() })),
        )
            .into_response(),
    }
}

/// The HTTP status of a refusal of this route.
fn status_of(e: &crate::Error) -> axum::http::StatusCode {
    use axum::http::StatusCode;
    match e {
        crate::Error::Forbidden { .. } => StatusCode::FORBIDDEN,
        crate::Error::BadName(_) | crate::Error::BadPeriod(_) => StatusCode::BAD_REQUEST,
        crate::Error::NotFound(_) => StatusCode::NOT_FOUND,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
