//! Every request passes here: Host check (DNS rebinding), credentials on a
//! non-loopback address (token printed at start), CSRF check on state-changing
//! requests (Origin / Sec-Fetch-Site), and strict security headers on every answer.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::App;
use super::WebText;

/// Name of the cookie that carries the access token.
pub const COOKIE: &str = "baocao_ma";
/// Query parameter that carries the token in the printed URL.
pub const TOKEN_PARAM: &str = "ma";
/// Content-Security-Policy of every answer: only this server's own files, no frames.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Who may talk to the server.
#[derive(Debug, Clone)]
pub struct Guard {
    /// Accepted `Host` values (`None`: bound to every interface, any name, token required).
    pub hosts: Option<Vec<String>>,
    /// Access token required on a non-loopback address.
    pub token: Option<String>,
    /// Behind a reverse proxy that serves HTTPS (`BAOCAO_PROXY_HTTPS=1`): pages have an `https://` origin.
    pub https_proxy: bool,
}

/// The middleware: refuse, or pass and add the security headers.
pub async fn check(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let mut resp = match refuse(&app.guard, &req) {
        Some(r) => r,
        None => next.run(req).await,
    };
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    resp
}

/// The refusal for a request, if it must be refused.
fn refuse(g: &Guard, req: &Request) -> Option<Response> {
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if let Some(hosts) = &g.hosts {
        if !hosts.contains(&host) {
            return Some(text(StatusCode::BAD_REQUEST, WebText::BadHost));
        }
    }
    if let Some(token) = &g.token {
        if let Some(r) = token_refusal(token, req) {
            return Some(r);
        }
    }
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD);
    if changes && !same_origin(headers, &host, g.https_proxy) {
        return Some(text(StatusCode::FORBIDDEN, WebText::CrossOrigin));
    }
    None
}

/// Refuses a request without the token (cookie), or turns `?ma=TOKEN` into the cookie.
fn token_refusal(token: &str, req: &Request) -> Option<Response> {
    let cookie_ok = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .flat_map(|c| c.split(';'))
        .filter_map(|kv| kv.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .any(|v| equal(v, token));
    if cookie_ok {
        return None;
    }
    let query = req.uri().query().unwrap_or("");
    let given = query.split('&').find_map(|kv| kv.strip_prefix(TOKEN_PARAM)?.strip_prefix('='));
    if given.is_some_and(|v| equal(v, token)) && req.method() == Method::GET {
        let cookie = format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
        let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, req.uri().path().to_string())]).into_response();
        r.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).ok()?);
        return Some(r);
    }
    Some(text(StatusCode::UNAUTHORIZED, WebText::NeedToken))
}

/// Whether a state-changing request comes from this server's own page.
fn same_origin(h: &HeaderMap, host: &str, https_proxy: bool) -> bool {
    let get = |n: &str| h.get(n).and_then(|v| v.to_str().ok());
    let site_ok = get("sec-fetch-site").map(|s| s == "same-origin" || s == "none");
    // A plain HTML form under `Referrer-Policy: no-referrer` is sent with `Origin: null`:
    // then only Sec-Fetch-Site decides (a browser sets it; a sandboxed page gets "cross-site").
    let origin_ok = get("origin")
        .filter(|o| *o != "null")
        .map(|o| o.eq_ignore_ascii_case(&format!("http://{host}")) || (https_proxy && o.eq_ignore_ascii_case(&format!("https://{host}"))));
    !matches!((site_ok, origin_ok), (Some(false), _) | (_, Some(false)) | (None, None))
}

/// Compares without stopping at the first difference.
fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn text(status: StatusCode, msg: WebText) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], msg.to_string()).into_response()
}

/// A fresh random token (64 hex digits) from the OS-seeded hasher state.
pub fn new_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut seed = Vec::new();
    for i in 0..8u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        seed.extend(h.finish().to_le_bytes());
    }
    crate::figures::sha256_hex(&seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_rules() {
        let mut h = HeaderMap::new();
        assert!(!same_origin(&h, "127.0.0.1:5", false), "no Origin and no Sec-Fetch-Site");
        h.insert("origin", HeaderValue::from_static("http://127.0.0.1:5"));
        assert!(same_origin(&h, "127.0.0.1:5", false));
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h, "127.0.0.1:5", false));
        h.insert("origin", HeaderValue::from_static("http://evil.example"));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(!same_origin(&h, "127.0.0.1:5", false));
        h.insert("origin", HeaderValue::from_static("null"));
        assert!(
            same_origin(&h, "127.0.0.1:5", false),
            "a form under no-referrer, same-origin fetch site"
        );
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h, "127.0.0.1:5", false));
        h.remove("sec-fetch-site");
        assert!(!same_origin(&h, "127.0.0.1:5", false), "Origin null alone");
        assert_ne!(new_token(), new_token());
        assert!(equal("abc", "abc") && !equal("abc", "abd"));
    }
}
