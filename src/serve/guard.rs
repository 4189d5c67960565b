//! Every request passes here: Host check (DNS rebinding), credentials on a
//! non-loopback address (token printed at start, exchanged on first use for a
//! random cookie that expires; the token never sits in a cookie or the history), CSRF check on state-changing
//! requests (Origin / Sec-Fetch-Site), and strict security headers on every answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
/// Content-Security-Policy of every answer: only this server's own files, no
/// frames; images also from `blob:` (page images the page's own script made
/// from the SVG pushed in a preview event).
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Who may talk to the server.
#[derive(Debug, Clone)]
pub struct Guard {
    /// Accepted `Host` values (`None`: bound to every interface, any name, token required).
    pub hosts: Option<Vec<String>>,
    /// Access token required on a non-loopback address.
    pub token: Option<String>,
    /// Behind a reverse proxy that serves HTTPS (`BAOCAO_PROXY_HTTPS=1`): pages have an `https://` origin.
    pub https_proxy: bool,
    /// The server itself speaks HTTPS (a LAN address, see `tls.rs`): pages have an
    /// `https://` origin only, and the grant cookie is `Secure`.
    pub tls: bool,
    /// Browser cookies the token was exchanged for, with when each ends.
    pub grants: Grants,
}

/// How long a browser keeps access after it opened the printed URL.
pub const GRANT_LIFETIME: Duration = Duration::from_secs(8 * 3600);

/// Cookies given for the token (the token itself never goes into a cookie).
pub type Grants = Arc<Mutex<HashMap<String, Instant>>>;

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
        if let Some(r) = token_refusal(token, &g.grants, g.tls, req) {
            return Some(r);
        }
    }
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD);
    let schemes = Schemes {
        http: !g.tls,
        https: g.tls || g.https_proxy,
    };
    if changes && !same_origin(headers, &host, schemes) {
        return Some(text(StatusCode::FORBIDDEN, WebText::CrossOrigin));
    }
    None
}

/// Refuses a request without a live grant cookie; exchanges `?ma=TOKEN` (GET)
/// for a fresh random cookie that ends after [`GRANT_LIFETIME`], and redirects
/// to the same path without the token (so it leaves the address bar and history).
fn token_refusal(token: &str, grants: &Grants, tls: bool, req: &Request) -> Option<Response> {
    let now = Instant::now();
    let mut live = grants.lock().unwrap_or_else(|e| e.into_inner());
    live.retain(|_, until| *until > now);
    let cookie_ok = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .flat_map(|c| c.split(';'))
        .filter_map(|kv| kv.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .any(|v| live.contains_key(v));
    if cookie_ok {
        return None;
    }
    let query = req.uri().query().unwrap_or("");
    let given = query.split('&').find_map(|kv| kv.strip_prefix(TOKEN_PARAM)?.strip_prefix('='));
    if given.is_some_and(|v| equal(v, token)) && req.method() == Method::GET {
        let id = random_id()?;
        live.insert(id.clone(), now + GRANT_LIFETIME);
        let cookie = format!(
            "{COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}",
            GRANT_LIFETIME.as_secs(),
            if tls { "; Secure" } else { "" }
        );
        let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, req.uri().path().to_string())]).into_response();
        r.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).ok()?);
        return Some(r);
    }
    Some(text(StatusCode::UNAUTHORIZED, WebText::NeedToken))
}

/// 256 random bits from the OS, as hex.
fn random_id() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The schemes a page of this server may have.
#[derive(Clone, Copy)]
struct Schemes {
    http: bool,
    https: bool,
}

/// Whether a state-changing request comes from this server's own page.
fn same_origin(h: &HeaderMap, host: &str, schemes: Schemes) -> bool {
    let get = |n: &str| h.get(n).and_then(|v| v.to_str().ok());
    let site_ok = get("sec-fetch-site").map(|s| s == "same-origin" || s == "none");
    // A plain HTML form under `Referrer-Policy: no-referrer` is sent with `Origin: null`:
    // then only Sec-Fetch-Site decides (a browser sets it; a sandboxed page gets "cross-site").
    let origin_ok = get("origin").filter(|o| *o != "null").map(|o| {
        (schemes.http && o.eq_ignore_ascii_case(&format!("http://{host}")))
            || (schemes.https && o.eq_ignore_ascii_case(&format!("https://{host}")))
    });
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

    const HTTP: Schemes = Schemes { http: true, https: false };

    #[test]
    fn origin_rules() {
        let mut h = HeaderMap::new();
        assert!(!same_origin(&h, "127.0.0.1:5", HTTP), "no Origin and no Sec-Fetch-Site");
        h.insert("origin", HeaderValue::from_static("http://127.0.0.1:5"));
        assert!(same_origin(&h, "127.0.0.1:5", HTTP));
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h, "127.0.0.1:5", HTTP));
        h.insert("origin", HeaderValue::from_static("http://evil.example"));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(!same_origin(&h, "127.0.0.1:5", HTTP));
        h.insert("origin", HeaderValue::from_static("null"));
        assert!(
            same_origin(&h, "127.0.0.1:5", HTTP),
            "a form under no-referrer, same-origin fetch site"
        );
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h, "127.0.0.1:5", HTTP));
        h.remove("sec-fetch-site");
        assert!(!same_origin(&h, "127.0.0.1:5", HTTP), "Origin null alone");
        assert_ne!(new_token(), new_token());
        assert!(equal("abc", "abc") && !equal("abc", "abd"));
        let tls = Schemes { http: false, https: true };
        let mut h = HeaderMap::new();
        h.insert("origin", HeaderValue::from_static("https://10.0.0.5:8080"));
        assert!(same_origin(&h, "10.0.0.5:8080", tls));
        assert!(!same_origin(&h, "10.0.0.5:8080", HTTP));
        h.insert("origin", HeaderValue::from_static("http://10.0.0.5:8080"));
        assert!(
            !same_origin(&h, "10.0.0.5:8080", tls),
            "a plain-http page is another origin under HTTPS"
        );
    }
}
