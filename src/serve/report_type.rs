//! The report type pages (issue 29): "Tạo loại báo cáo từ tệp Word" (`/loai-moi`,
//! the file sent by the page's script to `/api/nhap-word`) and a type's own page
//! (`/loai/{report}`): what the import did, its figures to keep or turn back into
//! words, its indicators, its settings form. Plain forms answered by a redirect
//! back with what was done. Who may is decided in the hall (Văn phòng only);
//! every name from the path goes through the hall before anything is read.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Extension, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use minijinja::context;
use serde::Deserialize;

use super::answer::{blocking, ser, Fail};
use super::App;
use crate::office::actor::Actor;
use crate::project::{NewIndicator, TypeSettings};

/// The largest Word file the page takes.
pub const MAX_WORD_BYTES: usize = 20 * 1024 * 1024;

type Shared = State<Arc<App>>;
type Who = Extension<Actor>;

/// The Word upload, with its own body limit.
pub fn upload_routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/nhap-word", post(import))
        .layer(DefaultBodyLimit::max(MAX_WORD_BYTES))
}

/// The routes of the report type pages (forms: the common body limit).
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/loai-moi", get(new_page))
        .route("/loai/{report}", get(page))
        .route("/loai/{report}/so-sanh", get(comparison))
        .route("/loai/{report}/so-lieu/{code}/giu", post(keep))
        .route("/loai/{report}/so-lieu/{code}/tra-ve-chu", post(to_text))
        .route("/loai/{report}/chi-tieu/them", post(add))
        .route("/loai/{report}/chi-tieu/{code}/doi-ten", post(rename))
        .route("/loai/{report}/chi-tieu/{code}/xoa", post(remove))
        .route("/loai/{report}/thiet-lap", post(settings))
}

/// `GET /loai-moi`: the upload form (office accounts only).
async fn new_page(State(app): Shared, Extension(actor): Who) -> Result<Html<String>, Fail> {
    let who = actor.clone();
    let a = app.clone();
    let types = blocking(move || a.project.type_list(&who)).await.map_err(Fail::page)?;
    let types: Vec<_> = types.into_iter().map(|(name, title)| context! { title, name }).collect();
    Ok(Html(app.page("word.html", &actor, context! { types })))
}

#[derive(Deserialize)]
struct ImportQuery {
    /// The file's name as the browser gave it.
    tep: String,
    /// The new type's name (default: from the file's name).
    ten: Option<String>,
}

/// `POST /api/nhap-word?tep=…&ten=…`: the Word file as the body; answers the new type's name.
async fn import(State(app): Shared, Extension(actor): Who, Query(q): Query<ImportQuery>, body: Bytes) -> Result<Response, Fail> {
    let a = app.clone();
    let done = blocking(move || a.project.import_word_upload(&actor, &q.tep, &body, q.ten.as_deref()))
        .await
        .map_err(Fail::api)?;
    let name = done.imported.summary.name.clone();
    Ok(Json(serde_json::json!({ "loai": name, "trang": format!("/loai/{name}?da=nhap") })).into_response())
}

#[derive(Deserialize, Default)]
struct Done {
    da: Option<String>,
    ma: Option<String>,
}

/// `GET /loai/{report}`: the report type page.
async fn page(
    State(app): Shared,
    Extension(actor): Who,
    Path(report): Path<String>,
    Query(done): Query<Done>,
) -> Result<Html<String>, Fail> {
    let (a, who) = (app.clone(), actor.clone());
    let view = blocking(move || a.project.type_page(&who, &report)).await.map_err(Fail::page)?;
    let waiting = view
        .import
        .as_ref()
        .map(|i| i.figures.iter().filter(|f| !f.confirmed).count())
        .unwrap_or(0);
    Ok(Html(app.page(
        "report_type.html",
        &actor,
        context! { t => ser(&view), waiting, done => done.da, code => done.ma },
    )))
}

/// `GET /loai/{report}/so-sanh`: the Word text beside the rendered text.
async fn comparison(State(app): Shared, Extension(actor): Who, Path(report): Path<String>) -> Result<Html<String>, Fail> {
    let (a, who, r) = (app.clone(), actor.clone(), report.clone());
    let (period, changes) = blocking(move || a.project.word_comparison(&who, &r)).await.map_err(Fail::page)?;
    let marked = super::routes::marked;
    let sentences: Vec<_> = changes
        .iter()
        .map(|c| context! { word => marked(&c.old), pdf => marked(&c.new) })
        .collect();
    let title = app.project.report_title(&report);
    Ok(Html(app.page(
        "word_compare.html",
        &actor,
        context! { report, title, period => period.to_string(), label => period.label(), sentences },
    )))
}

/// `POST …/so-lieu/{code}/giu`: keeps an imported figure as an indicator.
async fn keep(State(app): Shared, Extension(actor): Who, Path((report, code)): Path<(String, String)>) -> Result<Response, Fail> {
    let (a, r, c) = (app.clone(), report.clone(), code.clone());
    blocking(move || a.project.keep_figure(&actor, &r, &c)).await.map_err(Fail::page)?;
    Ok(back(&report, "giu", &code, &format!("so-{code}")))
}

/// `POST …/so-lieu/{code}/tra-ve-chu`: turns an imported figure back into words.
async fn to_text(State(app): Shared, Extension(actor): Who, Path((report, code)): Path<(String, String)>) -> Result<Response, Fail> {
    let (a, r, c, who) = (app.clone(), report.clone(), code.clone(), actor.name.clone());
    blocking(move || a.project.figure_to_text(&actor, &r, &c))
        .await
        .map_err(Fail::page)?;
    app.live.report_changed(&report, &who);
    Ok(back(&report, "chu", &code, "so-lieu"))
}

/// `POST …/chi-tieu/them`: adds an indicator (`ma`, `ten`, `don_vi`, `gia_tri`).
async fn add(State(app): Shared, Extension(actor): Who, Path(report): Path<String>, body: Bytes) -> Result<Response, Fail> {
    let f = form(&body);
    let new = NewIndicator {
        code: f.one("ma"),
        name: f.one("ten"),
        unit: f.one("don_vi"),
        value: f.one("gia_tri"),
    };
    let (a, r, code, who) = (app.clone(), report.clone(), new.code.clone(), actor.name.clone());
    blocking(move || a.project.add_indicator(&actor, &r, &new))
        .await
        .map_err(Fail::page)?;
    app.live.report_changed(&report, &who);
    Ok(back(&report, "them", code.trim(), "chi-tieu"))
}

/// `POST …/chi-tieu/{code}/doi-ten`: renames an indicator (`ten`).
async fn rename(
    State(app): Shared,
    Extension(actor): Who,
    Path((report, code)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Fail> {
    let name = form(&body).one("ten");
    let (a, r, c, who) = (app.clone(), report.clone(), code.clone(), actor.name.clone());
    blocking(move || a.project.rename_indicator(&actor, &r, &c, &name))
        .await
        .map_err(Fail::page)?;
    app.live.report_changed(&report, &who);
    Ok(back(&report, "doi-ten", &code, "chi-tieu"))
}

/// `POST …/chi-tieu/{code}/xoa`: removes an indicator no text uses.
async fn remove(State(app): Shared, Extension(actor): Who, Path((report, code)): Path<(String, String)>) -> Result<Response, Fail> {
    let (a, r, c, who) = (app.clone(), report.clone(), code.clone(), actor.name.clone());
    blocking(move || a.project.remove_indicator(&actor, &r, &c))
        .await
        .map_err(Fail::page)?;
    app.live.report_changed(&report, &who);
    Ok(back(&report, "xoa", &code, "chi-tieu"))
}

/// `POST …/thiet-lap`: saves the settings form (lists one entry per line).
async fn settings(State(app): Shared, Extension(actor): Who, Path(report): Path<String>, body: Bytes) -> Result<Response, Fail> {
    let f = form(&body);
    let s = TypeSettings {
        document_type: f.one("loai_van_ban"),
        number: f.one("so"),
        code: f.one("ky_hieu"),
        parent_body: f.one("co_quan_chu_quan"),
        issuer: f.lines("co_quan"),
        place: f.one("dia_danh"),
        subject: f.lines("trich_yeu"),
        recipients: f.lines("noi_nhan"),
        authority: f.lines("quyen_han"),
        signer: f.one("nguoi_ky"),
        hash: f.one("ma_tep"),
    };
    let (a, r, who) = (app.clone(), report.clone(), actor.name.clone());
    blocking(move || a.project.save_type_settings(&actor, &r, &s))
        .await
        .map_err(Fail::page)?;
    app.live.report_changed(&report, &who);
    Ok(back(&report, "thiet-lap", "", "thiet-lap"))
}

/// A url-encoded form's fields.
struct FormFields(Vec<(String, String)>);

impl FormFields {
    fn one(&self, key: &str) -> String {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    fn lines(&self, key: &str) -> Vec<String> {
        self.one(key).lines().map(str::to_string).collect()
    }
}

fn form(body: &[u8]) -> FormFields {
    FormFields(
        form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    )
}

/// Back to the type page, at `anchor`, saying what was done.
fn back(report: &str, done: &str, code: &str, anchor: &str) -> Response {
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let to = format!("/loai/{}?da={done}&ma={}#{anchor}", enc(report), enc(code));
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}
