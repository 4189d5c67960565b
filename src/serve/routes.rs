//! The router: which URL is which handler. Handlers validate nothing themselves:
//! every name goes through the facade first.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Extension, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use minijinja::{context, Value};
use serde::Deserialize;

use super::answer::{blocking, ser, Fail};
use super::auth;
use super::{accounts, guard, live, login, nop, App};
use crate::error::{Error, OfficeTask};
use crate::office::actor::Actor;
use crate::project::{self as facade, CellEdit, FragmentEdit, TabUpload, MAX_UPLOAD_BYTES};
use crate::words;

/// Body limit of every request but uploads.
const BODY_LIMIT: usize = 256 * 1024;

type Shared = State<Arc<App>>;
/// The signed-in person (inserted by [`auth::check`]).
type Who = Extension<Actor>;

/// All routes, behind the guard.
pub fn router(app: Arc<App>) -> Router {
    let upload = Router::new()
        .route("/api/tai-len/{period}/{file}", post(upload))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES as usize + 1024));
    Router::new()
        .route("/", get(home))
        .route("/so-lieu/{period}", get(figures))
        .route("/bao-cao/{report}/{period}", get(report_page))
        .route("/doan/{report}/{name}", get(fragment_page))
        .route("/tai-ve/{period}/{file}/{format}", get(download))
        .route("/pdf/{report}/{period}/{version}", get(pdf))
        .route("/anh/{report}/{period}/{page}", get(page_image))
        .route("/ve/{report}/{period}/{page}", get(page_drawing))
        .route("/chu/{report}/{period}/{page}", get(page_text))
        .route("/api/trang/{report}/{period}", get(status))
        .route("/su-kien/{report}/{period}", get(events))
        .route("/tep/{name}", get(asset))
        .route("/api/luu", post(save_value))
        .route("/api/doan/{report}/{name}", post(save_fragment))
        .route("/api/tao-pdf/{report}/{period}", post(make_pdf))
        .route("/api/ky-moi", post(new_period))
        .route("/api/ban-hanh/{report}/{period}/{version}", post(issue_version))
        .route("/dang-nhap", get(login::page).post(login::submit))
        .route("/dang-xuat", post(login::logout))
        .route("/tai-khoan", get(accounts::page))
        .route("/tai-khoan/them", post(accounts::create))
        .route("/tai-khoan/{name}/mat-khau", post(accounts::reset))
        .route("/tai-khoan/{name}/ten", post(accounts::rename))
        .route("/tai-khoan/{name}/xoa", post(accounts::delete))
        .route("/nop/{period}", get(nop::page))
        .route("/nop/{period}/{file}/gui", post(nop::send))
        .route("/nop/{period}/{file}/tra-lai", post(nop::give_back))
        .merge(super::history_api::routes())
        .merge(super::report_type::routes())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .merge(upload)
        .merge(super::report_type::upload_routes())
        .layer(axum::middleware::from_fn_with_state(app.clone(), super::turns::reads))
        .layer(axum::middleware::from_fn_with_state(app.clone(), auth::check))
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard::check))
        .with_state(app)
}

async fn home(State(app): Shared, Extension(actor): Who) -> Result<Html<String>, Fail> {
    let a = app.clone();
    let items = blocking(move || Ok(a.project.overview())).await.map_err(Fail::page)?;
    let current_period = app.project.current_period().ok();
    let current = current_period.map(|p| p.to_string()).unwrap_or_default();
    let current_label = current_period.map(|p| p.label()).unwrap_or_default();
    let plan = app.project.next_month_plan().ok();
    let next_label = plan.as_ref().map(|p| p.period.label()).unwrap_or_default();
    let plan: Vec<String> = plan.map(|p| p.lines().iter().map(|l| l.to_string()).collect()).unwrap_or_default();
    Ok(Html(app.page(
        "home.html",
        &actor,
        context! { items => ser(&items), current, current_label, next_label, plan },
    )))
}

#[derive(Deserialize)]
struct FiguresQuery {
    tep: Option<String>,
    bao_cao: Option<String>,
}

/// The sector columns' names for people, by the names the files give them.
fn column_titles() -> std::collections::BTreeMap<&'static str, &'static str> {
    crate::base::words::COLUMNS.into_iter().collect()
}

async fn figures(
    State(app): Shared,
    Extension(actor): Who,
    Path(period): Path<String>,
    Query(q): Query<FiguresQuery>,
) -> Result<Html<String>, Fail> {
    let tab = q.tep.unwrap_or_default();
    let (a, p, who, t) = (app.clone(), period.clone(), actor.clone(), tab.clone());
    let sectors = blocking(move || a.project.visible_sectors(&who, &p, &t))
        .await
        .map_err(Fail::page)?;
    let report = match q.bao_cao {
        Some(r) => r,
        None => app.project.default_report().map_err(Fail::page)?,
    };
    let req = app.project.request(&report, &period).map_err(Fail::page)?;
    let chosen = sectors
        .iter()
        .position(|s| format!("{}:{}", s.file, s.sector) == tab || s.file == tab)
        .unwrap_or(0);
    if let Some(s) = sectors.get(chosen) {
        if let Ok(path) = app.project.sector_path(&period, &s.file) {
            if let Ok(bytes) = crate::base::folders::read(path) {
                app.remember(&s.hash, bytes);
            }
        }
    }
    app.live.ensure_started(&req, &actor.name);
    let sample = app.project.is_sample_report(&report, req.period);
    let issued = app.project.issued_over(req.period).map(|(r, p, v)| {
        let p = p.parse::<crate::Period>().map(|p| p.label()).unwrap_or(p);
        context! { title => app.project.report_title(&r), label => p, version => v }
    });
    let tabs: Vec<_> = sectors.iter().map(|s| context! { file => s.file.clone(), sector => s.sector.clone(), title => app.project.sector_title(&s.sector), errors => s.rows.iter().any(|r| !r.findings.is_empty()) || !s.findings.is_empty() }).collect();
    let label = req.period.label();
    Ok(Html(app.page(
        "figures.html",
        &actor,
        context! { period, label, title => app.project.report_title(&report), report, tabs, chosen, sample, issued, sector => ser(sectors.get(chosen)), names => column_titles() },
    )))
}

#[derive(Deserialize)]
struct DiffQuery {
    a: Option<u32>,
    b: Option<u32>,
}

async fn report_page(
    State(app): Shared,
    Extension(actor): Who,
    Path((report, period)): Path<(String, String)>,
    Query(q): Query<DiffQuery>,
) -> Result<Html<String>, Fail> {
    let req = app.project.preview_request(&actor, &report, &period).map_err(Fail::page)?;
    app.live.ensure_started(&req, &actor.name);
    let offers = app.project.offers(&actor);
    let office = offers.versions;
    let issues = app.project.issues_of(&req);
    let people = app.project.people();
    let versions: Vec<_> = app
        .project
        .versions(&req)
        .iter()
        .rev()
        .filter(|_| office)
        .map(|m| {
            let issued = issues
                .iter()
                .find(|i| i.version == m.version)
                .map(|i| format!("{} ({})", words::time(&i.time), people.shown(&i.who)));
            let corrects = m.correction.as_ref().map(|c| c.replaces);
            let reasons = m.correction.as_ref().map(|c| c.reasons.join("; "));
            context! { n => m.version, time => words::time(&m.time), warnings => m.warnings.len(), issued, corrects, reasons, note => m.note.clone() }
        })
        .collect();
    let diff = match (q.a, q.b) {
        (Some(a), Some(b)) => Some(comparison_view(
            &app.project.compare_versions(&actor, &req, a, b).map_err(Fail::page)?,
        )),
        _ => None,
    };
    let names = words::Names::load(&app.project.data_dir(), &app.project.report_dir(&report), req.period);
    let fragments = app.project.fragment_names(&report).unwrap_or_default();
    let fragments: Vec<Value> = fragments
        .into_iter()
        .filter(|_| offers.fragments)
        .map(|f| context! { title => names.fragment(&f), name => f })
        .collect();
    let label = req.period.label();
    let sample = app.project.is_sample_report(&report, req.period);
    let (a2, r2) = (app.clone(), req.clone());
    let remaining = blocking(move || a2.project.remaining(&r2)).await.ok();
    let remaining = remaining.map(|r| remaining_view(&r, &names, &report, &period, offers.fragments));
    Ok(Html(app.page(
        "report.html",
        &actor,
        context! { title => app.project.report_title(&report), report, period, label, versions, diff => ser(&diff), a => q.a, b => q.b, fragments, sample, remaining },
    )))
}

#[derive(Deserialize)]
struct TextQuery {
    ky: Option<String>,
}

async fn fragment_page(
    State(app): Shared,
    Extension(actor): Who,
    Path((report, name)): Path<(String, String)>,
    Query(q): Query<TextQuery>,
) -> Result<Html<String>, Fail> {
    let current = text_period(&app, q.ky.as_deref()).map_err(Fail::page)?;
    let (text, hash) = app.project.read_fragment(&actor, &report, &name, current).map_err(Fail::page)?;
    let period = current.to_string();
    let names = words::Names::load(&app.project.data_dir(), &app.project.report_dir(&report), current);
    let fragments: Vec<Value> = app
        .project
        .fragment_names(&report)
        .unwrap_or_default()
        .into_iter()
        .map(|f| context! { title => names.fragment(&f), name => f })
        .collect();
    let title = names.fragment(&name);
    Ok(Html(app.page(
        "fragment.html",
        &actor,
        context! { report, name, title, text, hash, period, label => current.label(), fragments },
    )))
}

async fn download(
    State(app): Shared,
    Extension(actor): Who,
    Path((period, file, format)): Path<(String, String, String)>,
) -> Result<Response, Fail> {
    let (file, sheet) = match file.split_once(':') {
        Some((f, s)) => (f.to_string(), s.to_string()),
        None => (file, String::new()),
    };
    let a = app.clone();
    let (p, f, s, fmt) = (period.clone(), file.clone(), sheet.clone(), format.clone());
    let (bytes, ctype) = blocking(move || a.project.sector_download(&actor, &p, &f, &s, &fmt))
        .await
        .map_err(Fail::api)?;
    let stem = std::path::Path::new(&file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("so-lieu");
    let stem = if sheet.is_empty() { stem.to_string() } else { sheet };
    let disposition = format!("attachment; filename=\"{stem}-{period}.{format}\"");
    Ok((
        [
            (header::CONTENT_TYPE, ctype.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

async fn pdf(
    State(app): Shared,
    Extension(actor): Who,
    Path((report, period, version)): Path<(String, String, String)>,
) -> Result<Response, Fail> {
    let req = app
        .project
        .task_request(&actor, OfficeTask::Versions, &report, &period)
        .map_err(Fail::api)?;
    let n: u32 = if version == "moi-nhat" {
        0
    } else {
        version.parse().map_err(|_| Fail::api(Error::UnknownVersion(version.clone())))?
    };
    let bytes = app.project.version_pdf(&req, n).map_err(Fail::api)?;
    let disposition = format!("attachment; filename=\"{report}-{period}.pdf\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// Page `page` (from 1; `.svg` after it allowed) of the live preview of a
/// report and period the actor may see; not found past the last page.
fn preview_page(app: &App, actor: &Actor, report: &str, period: &str, page: &str) -> Result<live::PageState, Fail> {
    let req = app.project.preview_request(actor, report, period).map_err(Fail::api)?;
    let n: usize = page
        .trim_end_matches(".svg")
        .parse()
        .map_err(|_| Fail::api(Error::BadName(page.to_string())))?;
    let slot = app.live.slot(&req);
    let kept = slot.state.lock().ok().and_then(|s| s.pages.get(n.wrapping_sub(1)).cloned());
    kept.ok_or_else(|| Fail::api(Error::NotFound(format!("trang {n}").into())))
}

/// A page's image or drawing, kept an hour by the browser (its address names the generation).
fn kept_an_hour(content_type: &'static str, body: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        body.to_string(),
    )
        .into_response()
}

async fn page_image(
    State(app): Shared,
    Extension(actor): Who,
    Path((report, period, page)): Path<(String, String, String)>,
) -> Result<Response, Fail> {
    let p = preview_page(&app, &actor, &report, &period, &page)?;
    // Made on first request (a few milliseconds): off the threads that answer people.
    let svg = blocking(move || Ok(p.svg())).await.map_err(Fail::api)?;
    Ok(kept_an_hour("image/svg+xml", &svg))
}

/// A page's drawing for the canvas (JSON); not found for a page that has only its SVG image.
async fn page_drawing(
    State(app): Shared,
    Extension(actor): Who,
    Path((report, period, page)): Path<(String, String, String)>,
) -> Result<Response, Fail> {
    let p = preview_page(&app, &actor, &report, &period, &page)?;
    match p.drawing {
        Some(d) => Ok(kept_an_hour("application/json", &d)),
        None => Err(Fail::api(Error::NotFound(format!("trang {page}").into()))),
    }
}

async fn page_text(
    State(app): Shared,
    Extension(actor): Who,
    Path((report, period, page)): Path<(String, String, String)>,
) -> Result<Response, Fail> {
    let p = preview_page(&app, &actor, &report, &period, &page)?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], p.text.as_str().to_string()).into_response())
}

async fn status(State(app): Shared, Extension(actor): Who, Path((report, period)): Path<(String, String)>) -> Result<Response, Fail> {
    let req = app.project.preview_request(&actor, &report, &period).map_err(Fail::api)?;
    let slot = app.live.slot(&req);
    let mut st = slot.state.lock().map(|s| s.clone()).unwrap_or_default();
    // A finding in the text links to its line only for whom may open the text.
    if !app.project.offers(&actor).fragments {
        st.findings
            .iter_mut()
            .filter(|f| f.href.as_deref().is_some_and(|h| h.starts_with("/doan/")))
            .for_each(|f| f.href = None);
    }
    Ok(Json(serde_json::json!({
        "generation": st.generation,
        "running": st.busy(),
        "pages": st.pages.iter().map(|p| p.generation).collect::<Vec<_>>(),
        "drawn": st.pages.iter().map(|p| p.drawing.is_some()).collect::<Vec<_>>(),
        "findings": st.findings,
        "error": st.error,
        "version": st.version,
        "pages_ms": st.pages_ms,
    }))
    .into_response())
}

async fn events(State(app): Shared, Extension(actor): Who, Path((report, period)): Path<(String, String)>) -> Result<Response, Fail> {
    let req = app.project.preview_request(&actor, &report, &period).map_err(Fail::api)?;
    let key = live::key(&req);
    let rx = app.live.events.subscribe();
    let stop = app.stopping.clone();
    // Listening from here on, the page is first told to ask for the state: a
    // render that ended between its first question and this stream is not missed.
    let stream = futures_util::stream::unfold((rx, stop, key, true), |(mut rx, mut stop, key, first)| async move {
        let ask_again = || Event::default().event(live::ASK_AGAIN).data("{}");
        if first {
            return Some((Ok::<_, std::convert::Infallible>(ask_again()), (rx, stop, key, false)));
        }
        loop {
            tokio::select! {
                _ = stop.changed() => return None,
                ev = rx.recv() => match ev {
                    Ok(c) if c.key == key => {
                        let event = Event::default().event(c.kind).data(event_data(&c));
                        return Some((Ok(event), (rx, stop, key, false)));
                    }
                    Ok(_) => continue,
                    // Events dropped for a slow browser: it asks for the state instead.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        return Some((Ok(ask_again()), (rx, stop, key, false)));
                    }
                    Err(_) => return None,
                },
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()).into_response())
}

/// A "trang" event's data: `{"generation", "pages", "ve": {page: drawing},
/// "svg": {page: SVG}}`. The drawings are JSON written by the program from
/// glyph numbers and numbers only ([`crate::layout::drawing`]), so they are set in as they are.
fn event_data(c: &live::Changed) -> String {
    let mut svg = serde_json::Map::new();
    let mut drawings = Vec::new();
    for (i, image) in c.images.iter() {
        match image {
            live::Image::Drawing(d) => drawings.push(format!("\"{i}\":{d}")),
            live::Image::Svg(s) => {
                svg.insert(i.to_string(), s.as_str().into());
            }
        }
    }
    let head = serde_json::json!({ "generation": c.generation, "pages": *c.pages, "svg": svg }).to_string();
    format!("{},\"ve\":{{{}}}}}", &head[..head.len() - 1], drawings.join(","))
}

async fn asset(Path(name): Path<String>) -> Response {
    match super::pages::ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, ctype, body)) => ([(header::CONTENT_TYPE, *ctype)], *body).into_response(),
        None => (StatusCode::NOT_FOUND, super::WebText::NoSuchAsset.to_string()).into_response(),
    }
}

async fn save_value(State(app): Shared, Extension(actor): Who, Json(s): Json<CellEdit>) -> Result<Response, Fail> {
    let seen = app.snapshots.lock().ok().and_then(|m| m.get(&s.hash).cloned());
    let a = app.clone();
    let s = Arc::new(s);
    let v = s.clone();
    let who = actor.name.clone();
    let mut saved = blocking(move || {
        // The preview starts once the value has passed its checks, while it is
        // written and synced (it reads the value being saved); the answer waits
        // for the disk. Then a sent file's mark is updated and the row's new
        // comparisons are computed, as the preview goes on.
        let preview = || {
            if let Ok(p) = facade::parse_period(&v.period) {
                a.live
                    .data_changed(p, a.project.default_report().ok().filter(|_| p.is_month()), &who);
            }
        };
        let started = std::cell::Cell::new(false);
        let saved = a.project.save_value_then(&actor, &v, seen.as_deref(), || {
            started.set(true);
            preview();
        });
        if saved.is_err() && started.get() {
            // Laid out again from what is on disk.
            preview();
        }
        let saved = saved?;
        after_edit(&a.project, &actor, &v.period, &v.file);
        Ok(saved)
    })
    .await
    .map_err(Fail::api)?;
    let a = app.clone();
    saved.row = blocking(move || a.project.row_view(&s.period, &s.file, &s.sheet, &s.code))
        .await
        .unwrap_or(None);
    Ok(Json(saved).into_response())
}

async fn upload(
    State(app): Shared,
    Extension(actor): Who,
    Path((period, file)): Path<(String, String)>,
    Query(q): Query<UploadQuery>,
    body: Bytes,
) -> Result<Response, Fail> {
    let (file, sheet) = match file.split_once(':') {
        Some((f, s)) => (f.to_string(), s.to_string()),
        None => (file, String::new()),
    };
    let up = TabUpload {
        period: period.clone(),
        name: q.ten.unwrap_or_else(|| file.clone()),
        file: file.clone(),
        sheet,
        bytes: body.to_vec(),
        reason: q.ly_do,
    };
    let a = app.clone();
    let who = actor.name.clone();
    let (kept, findings) = blocking(move || {
        let done = a.project.upload_to_tab(&actor, &up)?;
        after_edit(&a.project, &actor, &up.period, &up.file);
        Ok(done)
    })
    .await
    .map_err(Fail::api)?;
    if let Ok(p) = facade::parse_period(&period) {
        app.live
            .data_changed(p, app.project.default_report().ok().filter(|_| p.is_month()), &who);
    }
    let kept = kept.map(|k| k.display().to_string());
    // Shown under the tab of the file they are about: no path.
    let warnings: Vec<String> = findings.0.iter().map(|f| f.on_page(None)).collect();
    Ok(Json(serde_json::json!({ "ok": true, "ban_cu": kept, "canh_bao": warnings })).into_response())
}

/// An upload's own file name (`?ten=`) and the reason of a correction to an
/// issued period (`?ly_do=`).
#[derive(Deserialize)]
struct UploadQuery {
    ten: Option<String>,
    ly_do: Option<String>,
}

#[derive(Deserialize)]
struct SaveFragment {
    text: String,
    hash: String,
    #[serde(default)]
    ly_do: Option<String>,
    /// The period whose text this is (the page's `?ky=`); else the current one.
    #[serde(default)]
    ky: Option<String>,
    /// The text as the page was given it (someone else's edit saved meanwhile
    /// is kept beside this one when they changed different lines).
    #[serde(default, rename = "goc")]
    base: Option<String>,
}

/// The period a text page is about: `ky` when given (validated), else the current one.
fn text_period(app: &App, ky: Option<&str>) -> Result<crate::Period, Error> {
    match ky.filter(|k| !k.is_empty()) {
        Some(k) => facade::parse_period(k),
        None => app.project.current_period(),
    }
}

async fn save_fragment(
    State(app): Shared,
    Extension(actor): Who,
    Path((report, name)): Path<(String, String)>,
    Json(s): Json<SaveFragment>,
) -> Result<Response, Fail> {
    let period = text_period(&app, s.ky.as_deref()).map_err(Fail::api)?;
    let a = app.clone();
    let r = report.clone();
    let who = actor.name.clone();
    let saved = blocking(move || {
        let edit = FragmentEdit {
            report: r,
            name,
            text: s.text,
            hash: s.hash,
            base: s.base,
            period,
            reason: s.ly_do,
        };
        a.project.save_fragment(&actor, &edit)
    })
    .await
    .map_err(Fail::api)?;
    app.live.report_changed(&report, &who);
    app.live.trigger(&crate::project::Request { report, period }, &who);
    let errors: Vec<_> = saved
        .errors
        .into_iter()
        .map(|(line, message)| serde_json::json!({ "line": line, "message": message }))
        .collect();
    Ok(Json(serde_json::json!({ "hash": saved.hash, "errors": errors, "gop": saved.merged })).into_response())
}

async fn make_pdf(State(app): Shared, Extension(actor): Who, Path((report, period)): Path<(String, String)>) -> Result<Response, Fail> {
    let req = app
        .project
        .task_request(&actor, OfficeTask::Render, &report, &period)
        .map_err(Fail::api)?;
    app.live.publish(&req, &actor.name);
    Ok(Json(serde_json::json!({ "ok": true, "url": format!("/bao-cao/{report}/{period}") })).into_response())
}

/// The body of "Ban hành": the acknowledgement of totals that do not match their parts.
#[derive(Deserialize, Default)]
struct IssueBody {
    #[serde(default)]
    xac_nhan: Option<String>,
}

async fn issue_version(
    State(app): Shared,
    Extension(actor): Who,
    Path((report, period, version)): Path<(String, String, u32)>,
    Json(body): Json<IssueBody>,
) -> Result<Response, Fail> {
    let a = app.clone();
    let issued = blocking(move || {
        a.project
            .issue_checked(&actor, &report, &period, Some(version), body.xac_nhan.as_deref())
    })
    .await
    .map_err(Fail::api)?;
    Ok(Json(serde_json::json!({ "ok": true, "version": issued.version, "time": issued.time })).into_response())
}

async fn new_period(State(app): Shared, Extension(actor): Who) -> Result<Response, Fail> {
    let a = app.clone();
    let p = blocking(move || a.project.create_next_period(&actor)).await.map_err(Fail::api)?;
    Ok(Json(serde_json::json!({ "ok": true, "period": p.to_string(), "url": format!("/so-lieu/{p}") })).into_response())
}

/// "Việc còn lại" as the report page lists it: per file, each task with the
/// page it is done on (a cell of the figures page, a line of a fragment).
fn remaining_view(r: &crate::Remaining, names: &words::Names, report: &str, period: &str, text_open: bool) -> Value {
    let groups: Vec<Value> = r
        .groups
        .iter()
        .map(|g| {
            let mut seen = std::collections::BTreeSet::new();
            let tasks: Vec<Value> = g
                .tasks
                .iter()
                .map(|t| (t, task_link(t, report, period)))
                .filter(|(t, href)| seen.insert((t.kind.to_string(), t.title.clone(), href.clone())))
                // A line of text is a link only for whom may open the text.
                .map(|(t, href)| (t, href.clone(), text_open || !href.starts_with("/doan/")))
                .map(|(t, href, open)| context! { title => task_title(t, names), what => t.kind.to_string(), detail => t.said.clone(), href => open.then_some(href) })
                .collect();
            context! { file => group_title(&g.file, names), tasks }
        })
        .collect();
    let count: usize = groups
        .iter()
        .map(|g| g.get_attr("tasks").ok().and_then(|t| t.len()).unwrap_or(0))
        .sum();
    context! { count, groups }
}

/// A task's words: a whole file by its sector's title, else the task's own title.
fn task_title(t: &crate::RemainingTask, names: &words::Names) -> String {
    match &t.target {
        crate::RemainingTarget::File { file } => group_title(file, names),
        _ => t.title.clone(),
    }
}

/// A group of "Việc còn lại" by what people call it: a sector file by its
/// sector's title, a fragment by its title.
fn group_title(file: &std::path::Path, names: &words::Names) -> String {
    let stem = file.file_stem().and_then(|n| n.to_str()).unwrap_or_default();
    match file.extension().and_then(|x| x.to_str()) {
        Some("csv" | "xlsx") => names.sector(stem),
        _ => names.fragment(stem),
    }
}

/// Two versions compared for the page: figures by name and sector, the changed
/// sentences with the differing words marked.
fn comparison_view(c: &crate::compare::Comparison) -> Value {
    let figures: Vec<Value> = c
        .figures
        .iter()
        .map(|f| context! { name => f.name.clone(), sector => f.sector.clone(), old => f.old.clone(), new => f.new.clone() })
        .collect();
    let sentences: Vec<Value> = c
        .sentences
        .iter()
        .map(|s| context! { fragment => s.fragment.clone(), old => marked(&s.old), new => marked(&s.new) })
        .collect();
    context! { figures, sentences, laid_out => c.text == crate::compare::TextSource::LaidOut }
}

/// A compared sentence (changed words in «…», see [`crate::textdiff::mark_words`]) as pieces: (text, changed).
pub(super) fn marked(s: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (i, part) in s.split(['«', '»']).enumerate() {
        if !part.is_empty() {
            out.push((part.to_string(), i % 2 == 1));
        }
    }
    out
}

/// Where a task of "Việc còn lại" is done. A line of text names what to change
/// on it (`tim`: the stale date or word), which the page selects, not the whole paragraph.
fn task_link(task: &crate::RemainingTask, report: &str, period: &str) -> String {
    let name = |f: &std::path::Path| f.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let stem = |f: &std::path::Path| f.file_stem().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    match &task.target {
        crate::RemainingTarget::Cell { file, code, column } => {
            let code = code.rsplit('.').next().unwrap_or(code);
            format!("/so-lieu/{period}?bao_cao={report}&tep={}#o-{code}-{column}", name(file))
        }
        crate::RemainingTarget::Text { file, line } => {
            let find: String = form_urlencoded::byte_serialize(task.title.as_bytes()).collect();
            format!("/doan/{report}/{}?ky={period}&tim={find}#dong-{}", stem(file), line.unwrap_or(1))
        }
        crate::RemainingTarget::File { file } => format!("/so-lieu/{period}?bao_cao={report}&tep={}", name(file)),
    }
}

impl App {
    /// Renders a page with who is signed in (`user`: none in single-user mode) and the role.
    pub fn page(&self, name: &str, actor: &Actor, ctx: Value) -> String {
        let people = self.project.people();
        let user = self.auth.required().then(|| people.shown(&actor.name));
        let named = people.named(&actor.name);
        let office = self.project.offers(actor).office;
        self.pages.render(name, context! { user, named, office, ..ctx })
    }
}

/// Updates the submission mark after a saved edit; the edit is saved already,
/// so a failure here is reported on the server's console, not to the page.
fn after_edit(project: &crate::project::Project, actor: &Actor, period: &str, file: &str) {
    if let Err(e) = project.edited_by(actor, period, file) {
        let note = super::WebText::MarkNotUpdated {
            file: file.to_string(),
            period: period.to_string(),
            detail: e.to_string(),
        };
        eprintln!("{note}");
    }
}
