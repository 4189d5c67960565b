//! The accounts page of Văn phòng (`/tai-khoan`): the department accounts with
//! their sectors, a form to create one, and per account "đặt lại mật khẩu" and
//! "xoá". Plain HTML forms, answered by a redirect back with what was done. Who
//! may is decided in the hall ([`crate::project::Project::departments`]); any
//! other account gets the hall's refusal (403).

use std::sync::Arc;

use axum::extract::{Extension, Form, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;

use super::answer::{blocking, ser, Fail};
use super::App;
use crate::error::{AccountProblem, Error};
use crate::office::actor::Actor;

#[derive(Deserialize, Default)]
pub struct Done {
    /// What was just done: "tao", "ten", "mat-khau", "xoa".
    da: Option<String>,
    ten: Option<String>,
}

/// `GET /tai-khoan`: the department accounts and the forms.
pub async fn page(State(app): State<Arc<App>>, Extension(actor): Extension<Actor>, Query(done): Query<Done>) -> Result<Html<String>, Fail> {
    let (a, who) = (app.clone(), actor.clone());
    let (accounts, choices) = blocking(move || Ok((a.project.departments(&who)?, a.project.sector_choices(&who)?)))
        .await
        .map_err(Fail::page)?;
    let titles: std::collections::BTreeMap<_, _> = choices.iter().map(|c| (c.sector.clone(), c.title.clone())).collect();
    let accounts: Vec<_> = accounts
        .iter()
        .map(|d| {
            let sectors: Vec<String> = d
                .sectors
                .iter()
                .map(|s| titles.get(s).cloned().unwrap_or_else(|| s.clone()))
                .collect();
            context! { name => d.name.clone(), full_name => d.full_name.clone(), sectors }
        })
        .collect();
    Ok(Html(app.page(
        "accounts.html",
        &actor,
        context! { accounts, choices => ser(&choices), done => done.da, name => done.ten },
    )))
}

/// The create form: name, the department's name, password, the sectors ticked
/// (`linh_vuc`, repeated).
#[derive(Default)]
struct NewAccount {
    name: String,
    full_name: String,
    password: String,
    sectors: Vec<String>,
}

impl NewAccount {
    fn read(body: &[u8]) -> NewAccount {
        let mut f = NewAccount::default();
        for (k, v) in form_urlencoded::parse(body) {
            match &*k {
                "ten" => f.name = v.trim().to_string(),
                "ten_day_du" => f.full_name = v.trim().to_string(),
                "mat_khau" => f.password = v.into_owned(),
                "linh_vuc" => f.sectors.push(v.into_owned()),
                _ => {}
            }
        }
        f
    }
}

/// `POST /tai-khoan/them`: creates a department account.
pub async fn create(State(app): State<Arc<App>>, Extension(actor): Extension<Actor>, body: axum::body::Bytes) -> Result<Response, Fail> {
    let f = NewAccount::read(&body);
    let (a, name) = (app.clone(), f.name.clone());
    blocking(move || a.project.create_department(&actor, &f.name, &f.full_name, &f.sectors, &f.password))
        .await
        .map_err(|e| Fail::page(said_on_the_page(e)))?;
    Ok(back("tao", &name))
}

/// A refusal worded for the page (a box to tick, a button) rather than the command line.
fn said_on_the_page(e: Error) -> Error {
    match e {
        Error::Account { name, problem } => Error::Account {
            name,
            problem: match problem {
                AccountProblem::Exists => AccountProblem::ExistsOnPage,
                AccountProblem::NoSectors => AccountProblem::NoSectorsTicked,
                other => other,
            },
        },
        other => other,
    }
}

#[derive(Deserialize)]
pub struct NewName {
    ten_day_du: String,
}

/// `POST /tai-khoan/{name}/ten`: renames a department as people read it.
pub async fn rename(
    State(app): State<Arc<App>>,
    Extension(actor): Extension<Actor>,
    Path(name): Path<String>,
    Form(f): Form<NewName>,
) -> Result<Response, Fail> {
    let (a, n) = (app.clone(), name.clone());
    blocking(move || a.project.rename_department(&actor, &n, &f.ten_day_du))
        .await
        .map_err(Fail::page)?;
    Ok(back("ten", &name))
}

#[derive(Deserialize)]
pub struct NewPassword {
    mat_khau: String,
}

/// `POST /tai-khoan/{name}/mat-khau`: sets a department account's new password.
pub async fn reset(
    State(app): State<Arc<App>>,
    Extension(actor): Extension<Actor>,
    Path(name): Path<String>,
    Form(f): Form<NewPassword>,
) -> Result<Response, Fail> {
    let (a, n) = (app.clone(), name.clone());
    blocking(move || a.project.reset_department_password(&actor, &n, &f.mat_khau))
        .await
        .map_err(Fail::page)?;
    Ok(back("mat-khau", &name))
}

/// `POST /tai-khoan/{name}/xoa`: deletes a department account.
pub async fn delete(State(app): State<Arc<App>>, Extension(actor): Extension<Actor>, Path(name): Path<String>) -> Result<Response, Fail> {
    let (a, n) = (app.clone(), name.clone());
    blocking(move || a.project.delete_department(&actor, &n))
        .await
        .map_err(Fail::page)?;
    Ok(back("xoa", &name))
}

fn back(done: &str, name: &str) -> Response {
    let name: String = url_escape(name);
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/tai-khoan?da={done}&ten={name}"))],
    )
        .into_response()
}

/// Percent-encodes everything but unreserved ASCII (a name in a query string).
fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
