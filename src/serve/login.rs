//! The login page, sign-in and logout (the rules are in [`super::auth`]).

use std::sync::Arc;

use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;

use super::auth::{self, no_store};
use super::App;
use crate::error::Error;

#[derive(Deserialize)]
pub struct LoginQuery {
    tiep: Option<String>,
}

/// `GET /dang-nhap`: the form (home page when the project has no accounts).
pub async fn page(State(app): State<Arc<App>>, Query(q): Query<LoginQuery>) -> Response {
    if !app.auth.required() && app.auth.local_fallback {
        return redirect("/", None);
    }
    let tiep = auth::safe_next(q.tiep.as_deref().unwrap_or("/"));
    let html = app.pages.render("login.html", context! { tiep, name => "", message => () });
    no_store(Html(html).into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    ten: String,
    #[serde(default)]
    mat_khau: String,
    #[serde(default)]
    tiep: String,
}

/// `POST /dang-nhap`: a new session, or the same refusal for a wrong password and an unknown name.
pub async fn submit(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<super::tls::Peer>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let name = f.ten.trim().to_lowercase();
    let tiep = auth::safe_next(&f.tiep);
    let addr = app.auth.client(peer.0.ip(), &headers);
    let (a, n) = (app.clone(), name.clone());
    let mark = tokio::task::spawn_blocking(move || a.auth.accounts.lock_mark(&n))
        .await
        .ok()
        .flatten();
    if let Err(e) = app.auth.begin_try(addr, &name, mark) {
        return too_many(&app, &e, &name, &tiep);
    }
    // The global cap on passwords checked at once (each argon2 check takes 19 MiB).
    let permit = match tokio::time::timeout(std::time::Duration::from_secs(10), app.auth.checking.acquire()).await {
        Ok(Ok(p)) => p,
        _ => {
            app.auth.abandon_try(addr, &name);
            return too_many(&app, &Error::LoginBusy, &name, &tiep);
        }
    };
    let (a, n, pw) = (app.clone(), name.clone(), f.mat_khau);
    // The generation is read before the password is checked: a change in between
    // leaves the new session bound to the old generation, which is then refused.
    let signed = tokio::task::spawn_blocking(move || {
        let generation = a.auth.accounts.get(&n).ok().flatten().map(|acc| auth::generation_of(&acc));
        a.auth.accounts.verify(&n, &pw).zip(generation)
    })
    .await
    .ok()
    .flatten();
    drop(permit);
    app.auth.end_try(addr, &name, signed.is_some());
    let Some((actor, generation)) = signed else {
        return refusal(&app, StatusCode::UNAUTHORIZED, &Error::LoginFailed, &name, &tiep);
    };
    let old = auth::session_id(&headers);
    match app.auth.open(&actor.name, &generation, old.as_deref()) {
        Ok(id) => redirect(&tiep, Some(app.auth.cookie(Some(&id), app.auth.secure(&headers)))),
        Err(e) => refusal(&app, StatusCode::INTERNAL_SERVER_ERROR, &e, &name, &tiep),
    }
}

/// `POST /dang-xuat`: ends the session and clears the cookie.
pub async fn logout(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(id) = auth::session_id(&headers) {
        app.auth.close(&id);
    }
    redirect("/dang-nhap", Some(app.auth.cookie(None, app.auth.secure(&headers))))
}

/// A 429 refusal with `Retry-After`.
fn too_many(app: &App, e: &Error, name: &str, tiep: &str) -> Response {
    let wait = match e {
        Error::TooManyTries { seconds } => *seconds,
        Error::AccountLocked => 60,
        _ => 1,
    };
    let mut r = refusal(app, StatusCode::TOO_MANY_REQUESTS, e, name, tiep);
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
    r
}

/// The login form again with a message (never a cookie).
fn refusal(app: &App, status: StatusCode, e: &Error, name: &str, tiep: &str) -> Response {
    let html = app.pages.render("login.html", context! { tiep, name, message => e.to_string() });
    no_store((status, Html(html)).into_response())
}

fn redirect(to: &str, cookie: Option<String>) -> Response {
    let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response();
    if let Some(c) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        r.headers_mut().insert(header::SET_COOKIE, c);
    }
    no_store(r)
}
