//! The submission status page of a period (`/nop/{period}`): per sector file
//! its state, the deadline, "đã gửi" by a department, "trả lại" by Văn phòng
//! (see [`crate::project::submissions`] for the rules). Plain HTML forms (no script).

use std::sync::Arc;

use axum::extract::{Extension, Form, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;

use super::answer::{blocking, ser, Fail};
use super::App;
use crate::office::actor::Actor;

/// `GET /nop/{period}`: the files the account may open, with their state.
pub async fn page(
    State(app): State<Arc<App>>,
    Extension(actor): Extension<Actor>,
    Path(period): Path<String>,
) -> Result<Html<String>, Fail> {
    let (a, p, who) = (app.clone(), period.clone(), actor.clone());
    let st = blocking(move || a.project.submission_seen_by(&who, &p)).await.map_err(Fail::page)?;
    let sent = st
        .files
        .iter()
        .filter(|f| f.state == crate::project::submissions::State::Sent)
        .count();
    let titles: std::collections::BTreeMap<String, String> = st
        .files
        .iter()
        .flat_map(|f| f.sectors.iter())
        .map(|s| (s.clone(), app.project.sector_title(s)))
        .collect();
    Ok(Html(app.page(
        "nop.html",
        &actor,
        context! { st => ser(&st), period, sent, total => st.files.len(), titles },
    )))
}

/// `POST /nop/{period}/{file}/gui`: marks a file "đã gửi".
pub async fn send(
    State(app): State<Arc<App>>,
    Extension(actor): Extension<Actor>,
    Path((period, file)): Path<(String, String)>,
) -> Result<Response, Fail> {
    let (a, p) = (app.clone(), period.clone());
    blocking(move || a.project.mark_sent(&actor, &p, &file)).await.map_err(Fail::page)?;
    Ok(back(&period))
}

#[derive(Deserialize)]
pub struct ReturnForm {
    #[serde(default)]
    ly_do: String,
}

/// `POST /nop/{period}/{file}/tra-lai`: Văn phòng returns a file with a reason.
pub async fn give_back(
    State(app): State<Arc<App>>,
    Extension(actor): Extension<Actor>,
    Path((period, file)): Path<(String, String)>,
    Form(f): Form<ReturnForm>,
) -> Result<Response, Fail> {
    let (a, p) = (app.clone(), period.clone());
    blocking(move || a.project.mark_returned(&actor, &p, &file, &f.ly_do))
        .await
        .map_err(Fail::page)?;
    Ok(back(&period))
}

fn back(period: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/nop/{period}"))]).into_response()
}
