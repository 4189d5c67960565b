//! Sign-in and permissions of `baocao serve`.
//!
//! - When the project's accounts file ([`crate::office::accounts`]) has accounts, every
//!   page and API except the login page (`/dang-nhap`) and the static files
//!   (`/tep/...`) needs a session. Without a session a page (GET of an HTML
//!   page) is redirected (303) to the login page; an API call, a download or a
//!   preview image gets 403 with `{"loi": ...}`.
//! - Without accounts the server works as before for one person
//!   ([`Actor::local`]): on loopback freely, elsewhere with the printed token.
//! - Session cookie `baocao_phien`: HttpOnly, SameSite=Strict, Path=/, and
//!   Secure when the request came over HTTPS. baocao itself speaks plain HTTP,
//!   so HTTPS means a reverse proxy in front: with `BAOCAO_PROXY_HTTPS=1` in the
//!   server's environment, a request carrying `X-Forwarded-Proto: https` gets
//!   the Secure flag (the header is ignored otherwise).
//! - A new random id (256 bits from the OS) at every login; the id the browser
//!   had before is dropped. A session is bound to the account and its
//!   generation ([`generation_of`]): changing the password or the role, or
//!   deleting the account (even if re-created under the same name), ends it. Sessions end after 30 minutes without a request
//!   (`BAOCAO_SESSION_TTL`, seconds) and 8 hours after login in any case
//!   (`BAOCAO_SESSION_MAX`, seconds); logout (`POST /dang-xuat`) ends one at once.
//! - Slowdown per account name (typed names are lower-cased, and unknown names
//!   are counted the same way, so the answer never tells whether a name exists):
//!   the first 5 wrong passwords cost nothing; the k-th wrong one after that
//!   (k = 1, 2, ...) makes the name wait 2^k seconds, at most 15 minutes. While
//!   a name waits, every try — even with the right password — is refused at once
//!   with 429 and `Retry-After`, without checking the password. One try per
//!   name at a time (a concurrent one is refused the same way). A good login
//!   clears the count.
//!
//! Who the actor is is decided here; what the actor may do is decided in the
//! hall (`project/access.rs`), which every route goes through.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::App;
use super::WebText;
use crate::error::{Error, Result};
use crate::office::accounts::{Account, Accounts};
use crate::office::actor::Actor;
use crate::project::Project;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "baocao_phien";
/// Wrong passwords allowed before the slowdown starts.
pub const FREE_TRIES: u32 = 5;
/// Longest wait of the slowdown.
pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// Default idle and absolute session lifetimes.
const IDLE: Duration = Duration::from_secs(30 * 60);
const ABSOLUTE: Duration = Duration::from_secs(8 * 3600);

/// One signed-in browser, bound to an account and its generation.
struct Session {
    name: String,
    generation: String,
    created: Instant,
    last: Instant,
}

/// Wrong passwords of one name.
#[derive(Default)]
struct Tries {
    failures: u32,
    until: Option<Instant>,
    busy: bool,
}

/// Sessions, slowdown and the accounts file of a server.
pub struct Auth {
    pub accounts: Accounts,
    sessions: Mutex<HashMap<String, Session>>,
    tries: Mutex<HashMap<String, Tries>>,
    idle: Duration,
    absolute: Duration,
    /// `BAOCAO_PROXY_HTTPS=1`: trust `X-Forwarded-Proto` from the reverse proxy.
    pub https_proxy: bool,
    /// Without accounts, act as [`Actor::local`] (loopback, or the token guards the address).
    /// False on a shared address whose token was dropped because accounts existed at start:
    /// removing every account then locks the page instead of opening it to everyone.
    pub local_fallback: bool,
}

fn env_secs(name: &str) -> Option<Duration> {
    std::env::var(name).ok()?.trim().parse().ok().map(Duration::from_secs)
}

/// How long a name waits after `failures` wrong passwords.
pub fn wait_after(failures: u32) -> Duration {
    if failures < FREE_TRIES {
        return Duration::ZERO;
    }
    let k = (failures - FREE_TRIES + 1).min(20);
    Duration::from_secs(1u64 << k).min(MAX_WAIT)
}

impl Auth {
    /// The sign-in state of a server over `project` (lifetimes from the environment).
    pub fn new(project: &Project) -> Auth {
        crate::office::accounts::prepare();
        Auth {
            accounts: Accounts::of(&project.root),
            sessions: Mutex::new(HashMap::new()),
            tries: Mutex::new(HashMap::new()),
            idle: env_secs("BAOCAO_SESSION_TTL").unwrap_or(IDLE),
            absolute: env_secs("BAOCAO_SESSION_MAX").unwrap_or(ABSOLUTE),
            https_proxy: std::env::var("BAOCAO_PROXY_HTTPS").is_ok_and(|v| v == "1"),
            local_fallback: true,
        }
    }

    /// Whether sign-in is required (a broken accounts file counts as "yes": fail closed).
    pub fn required(&self) -> bool {
        self.accounts.any().unwrap_or(true)
    }

    /// Starts a try for `name`, or the wait left (429) when it must wait or another try runs.
    pub fn begin_try(&self, name: &str) -> Result<()> {
        let mut t = self.tries.lock().unwrap_or_else(|e| e.into_inner());
        if t.len() > 10_000 {
            let now = Instant::now();
            t.retain(|_, v| v.busy || v.until.is_some_and(|u| u > now));
        }
        let e = t.entry(name.to_string()).or_default();
        let left = e.until.map(|u| u.saturating_duration_since(Instant::now())).unwrap_or_default();
        if e.busy || !left.is_zero() {
            return Err(Error::TooManyTries {
                seconds: (left.as_secs() + u64::from(left.subsec_nanos() > 0)).max(1),
            });
        }
        e.busy = true;
        Ok(())
    }

    /// Ends a try: a good one clears the count, a bad one may start a wait.
    pub fn end_try(&self, name: &str, ok: bool) {
        let mut t = self.tries.lock().unwrap_or_else(|e| e.into_inner());
        let e = t.entry(name.to_string()).or_default();
        e.busy = false;
        if ok {
            t.remove(name);
            return;
        }
        e.failures += 1;
        let wait = wait_after(e.failures);
        e.until = (!wait.is_zero()).then(|| Instant::now() + wait);
    }

    /// A new session for `name` at account generation `generation` (the old id,
    /// if any, is dropped); returns its id.
    pub fn open(&self, name: &str, generation: &str, old: Option<&str>) -> Result<String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| Error::Serve {
            addr: String::new(),
            detail: WebText::NoRandom(e.to_string()).to_string(),
        })?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let now = Instant::now();
        let mut s = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = old {
            s.remove(old);
        }
        let (idle, absolute) = (self.idle, self.absolute);
        s.retain(|_, v| now.duration_since(v.last) < idle && now.duration_since(v.created) < absolute);
        s.insert(
            id.clone(),
            Session {
                name: name.to_string(),
                generation: generation.to_string(),
                created: now,
                last: now,
            },
        );
        Ok(id)
    }

    /// Ends a session.
    pub fn close(&self, id: &str) {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
    }

    /// The account name and generation of a live session (touches it); an expired one is removed.
    fn session_of(&self, id: &str) -> Option<(String, String)> {
        let mut s = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let live = s
            .get(id)
            .is_some_and(|v| now.duration_since(v.last) < self.idle && now.duration_since(v.created) < self.absolute);
        if !live {
            s.remove(id);
            return None;
        }
        let v = s.get_mut(id)?;
        v.last = now;
        Some((v.name.clone(), v.generation.clone()))
    }

    /// The actor of a request's session: the account as the file says now, if it
    /// is still the same generation (a password change, a role change, a delete
    /// and re-create end every session of the account).
    pub fn actor_of(&self, headers: &HeaderMap) -> Option<Actor> {
        let id = session_id(headers)?;
        let (name, generation) = self.session_of(&id)?;
        let account = self.accounts.get(&name).ok().flatten();
        match account {
            Some(a) if generation_of(&a) == generation => Some(a.actor()),
            _ => {
                self.close(&id);
                None
            }
        }
    }

    /// Whether the answer to this request may carry a Secure cookie.
    pub fn secure(&self, headers: &HeaderMap) -> bool {
        self.https_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
    }

    /// The Set-Cookie value of a session id (`None`: clears the cookie).
    pub fn cookie(&self, id: Option<&str>, secure: bool) -> String {
        let flags = if secure { "; Secure" } else { "" };
        match id {
            Some(id) => format!(
                "{SESSION_COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{flags}",
                self.absolute.as_secs()
            ),
            None => format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{flags}"),
        }
    }
}

/// The generation a session is bound to: the account's own generation counter
/// (`the_he` in the accounts file), with its role and sectors.
pub fn generation_of(a: &Account) -> String {
    // The account's generation (bumped on password change, role change and
    // delete, never reused after a delete) plus the role and sectors, so a
    // session never outlives what it was granted.
    format!("{}\0{}\0{:?}\0{}", a.name, a.generation, a.role, a.sectors.join(","))
}

/// The session id the browser sent, if any.
pub fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .flat_map(|c| c.split(';'))
        .filter_map(|kv| kv.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('='))
        .find(|v| !v.is_empty())
        .map(str::to_string)
}

/// Paths open without a session: the login page and the static files.
fn open_path(path: &str) -> bool {
    path == "/dang-nhap" || path.starts_with("/tep/")
}

/// GET requests answered with a redirect to the login page (HTML pages).
fn is_page(req: &Request) -> bool {
    let p = req.uri().path();
    req.method() == Method::GET
        && !["/api/", "/tai-ve/", "/pdf/", "/anh/", "/chu/", "/su-kien/"]
            .iter()
            .any(|x| p.starts_with(x))
}

/// The middleware: puts the request's [`Actor`] into its extensions, or refuses it.
pub async fn check(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    if open_path(req.uri().path()) {
        return next.run(req).await;
    }
    if !app.auth.required() && app.auth.local_fallback {
        req.extensions_mut().insert(Actor::local());
        return next.run(req).await;
    }
    match app.auth.actor_of(req.headers()) {
        Some(actor) => {
            req.extensions_mut().insert(actor);
            next.run(req).await
        }
        None if is_page(&req) => {
            let back = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let to = format!("/dang-nhap?tiep={}", encode(back));
            (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
        }
        None => (
            StatusCode::FORBIDDEN,
            axum::Json(serde_json::json!({ "loi": Error::NeedLogin.to_string() })),
        )
            .into_response(),
    }
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Where to go after login: a path of this server, else the home page.
/// Refused: anything not starting with one `/`, any backslash, and any space or
/// control character (browsers drop TAB/CR/LF, so `/<TAB>/evil.example` would
/// become `//evil.example`, another server).
pub fn safe_next(next: &str) -> String {
    let clean = !next.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    let local = clean && next.starts_with('/') && !next.starts_with("//");
    if local && !next.starts_with("/dang-nhap") {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// The login answers' headers: never cached.
pub fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slowdown_rule() {
        assert_eq!(wait_after(4), Duration::ZERO);
        assert_eq!(wait_after(5), Duration::from_secs(2));
        assert_eq!(wait_after(6), Duration::from_secs(4));
        assert_eq!(wait_after(40), MAX_WAIT);
    }

    #[test]
    fn next_page_stays_on_this_server() {
        assert_eq!(safe_next("/so-lieu/2026-02?tep=y_te.csv"), "/so-lieu/2026-02?tep=y_te.csv");
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "/dang-nhap",
            "/\t/evil.example",
            "/\n/x",
            " /x",
            "/\u{a0}/x",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
        assert_eq!(encode("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
    }
}
