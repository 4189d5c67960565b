//! What handlers answer with: an error as a status and a page or JSON
//! `{"loi": ...}`, and facade work run off the async threads.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use minijinja::{context, Value};

use crate::error::Error;

/// An error answer: JSON `{"loi": ...}` for the API, a page otherwise.
pub struct Fail {
    status: StatusCode,
    message: String,
    page: bool,
}

impl Fail {
    pub(super) fn api(e: Error) -> Fail {
        Fail {
            status: status_of(&e),
            message: e.to_string(),
            page: false,
        }
    }
    pub(super) fn page(e: Error) -> Fail {
        Fail {
            page: true,
            ..Fail::api(e)
        }
    }
}

/// The HTTP status of a refusal of the report type page.
fn review_status(e: &crate::error::ReviewError) -> StatusCode {
    use crate::error::ReviewError as R;
    match e {
        R::NotImported(_) | R::UnknownFigure(_) | R::UnknownIndicator(_) => StatusCode::NOT_FOUND,
        R::InUse { .. } | R::CodeExists(_) | R::StaleSettings => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The HTTP status of an error.
fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::BadName(_) => StatusCode::BAD_REQUEST,
        // A period spelled otherwise than its folder (`2026-q1`, ` 2026-02`) is no page.
        Error::BadPeriod(_) => StatusCode::NOT_FOUND,
        Error::LoginFailed => StatusCode::UNAUTHORIZED,
        Error::NeedLogin => StatusCode::FORBIDDEN,
        Error::TooManyTries { .. } | Error::AccountLocked | Error::LoginBusy => StatusCode::TOO_MANY_REQUESTS,
        Error::NotFound(_) | Error::UnknownReport { .. } | Error::MissingPeriod { .. } | Error::UnknownVersion(_) | Error::NoPeriods(_) => {
            StatusCode::NOT_FOUND
        }
        Error::StaleFile { .. } | Error::Locked { .. } | Error::InUse { .. } => StatusCode::CONFLICT,
        Error::Issue { .. } | Error::TotalsNotAcknowledged { .. } => StatusCode::CONFLICT,
        Error::LockedForDepartment { .. } => StatusCode::FORBIDDEN,
        Error::Forbidden { .. } | Error::NotRegular(_) => StatusCode::FORBIDDEN,
        Error::UploadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        Error::Review(r) => review_status(r),
        Error::Import { .. } | Error::BadReportName(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::ReportExists { .. } => StatusCode::CONFLICT,
        Error::BadCell(_)
        | Error::BadUpload { .. }
        | Error::UnknownCell { .. }
        | Error::Data(_)
        | Error::Template { .. }
        | Error::Manifest { .. }
        | Error::BadField { .. }
        | Error::Account { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        if self.page {
            let html = super::pages::Pages::new().render(
                "error.html",
                context! { title => super::WebText::ErrorTitle.to_string(), message => self.message },
            );
            (self.status, Html(html)).into_response()
        } else {
            (self.status, Json(serde_json::json!({ "loi": self.message }))).into_response()
        }
    }
}

/// A serializable value for a page template.
pub(super) fn ser<T: serde::Serialize>(x: T) -> Value {
    Value::from(minijinja::value::Serde(x))
}

/// Runs facade work off the async threads.
pub(super) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> crate::Result<T> + Send + 'static) -> crate::Result<T> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(Error::Serve {
            addr: String::new(),
            detail: e.to_string(),
        })
    })
}
