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
//! - Wrong passwords (issue 27, finding 15: a lockout must not lock the office
//!   out). Typed names are lower-cased, and unknown names are counted the same
//!   way, so the answer never tells whether a name exists. The client address is
//!   the TCP peer (behind the HTTPS proxy, `BAOCAO_PROXY_HTTPS=1`, the last
//!   `X-Forwarded-For` entry).
//!   1. Per address and name: the first 5 wrong passwords cost nothing; the k-th
//!      wrong one after that makes that address wait 2^k seconds for that name,
//!      at most 15 minutes. Another computer is not slowed by it. While it waits,
//!      every try — even with the right password — is refused at once with 429
//!      and `Retry-After`. One try per address and name at a time. A good login
//!      clears the count.
//!   2. Per address, all names: 20 wrong passwords free (in an hour), then the
//!      same doubling wait for every name tried from that address (password spraying).
//!   3. Per name, all addresses: after 50 wrong passwords (since the last good
//!      login, password change or unlock) the name is locked for every address
//!      that has not signed in to it before during this run of the server — the
//!      office's own computer keeps working. The office lifts the lock with
//!      `baocao nguoi-dung mo-khoa TÊN` (or a new password): the server sees the
//!      account's `mo_khoa` / `the_he` change in the file at the next try.
//!   4. Global cap: past 120 wrong passwords a minute on the whole server, an
//!      address that had a wrong one in that minute is refused until the minute
//!      has passed; at most 4 passwords are checked at once (argon2 uses 19 MiB
//!      each), a try that cannot start within 10 s gets 429.
//!
//! Who the actor is is decided here; what the actor may do is decided in the
//! hall (`project/access.rs`), which every route goes through.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::IpAddr;
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
/// Wrong passwords allowed (per address and name) before the slowdown starts.
pub const FREE_TRIES: u32 = 5;
/// Wrong passwords allowed per address, whatever the names, before it slows down.
pub const FREE_PER_ADDRESS: u32 = 20;
/// Wrong passwords for one name from every address together before it is locked.
pub const LOCK_AFTER: u32 = 50;
/// Wrong passwords a minute on the whole server before recent offenders are refused.
pub const GLOBAL_PER_MINUTE: usize = 120;
/// Passwords checked at once.
pub const CHECKS_AT_ONCE: usize = 4;
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

/// Wrong passwords of one address and name, or of one address.
#[derive(Default)]
struct Tries {
    failures: u32,
    until: Option<Instant>,
    busy: bool,
    last: Option<Instant>,
}

impl Tries {
    fn wait_left(&self) -> Duration {
        self.until.map(|u| u.saturating_duration_since(Instant::now())).unwrap_or_default()
    }
}

/// Wrong passwords of one name from every address.
#[derive(Default)]
struct NameTries {
    failures: u32,
    /// The account's (generation, unlocks) when counting started: a change clears the count.
    mark: Option<(u64, u64)>,
}

/// Everything the wrong-password rules remember.
#[derive(Default)]
struct Limits {
    pair: HashMap<(IpAddr, String), Tries>,
    address: HashMap<IpAddr, Tries>,
    name: HashMap<String, NameTries>,
    /// (address, name) that signed in well during this run.
    known: HashSet<(IpAddr, String)>,
    /// Wrong passwords of the last minute, server-wide.
    recent: VecDeque<(Instant, IpAddr)>,
}

fn wait_error(left: Duration) -> Error {
    Error::TooManyTries {
        seconds: (left.as_secs() + u64::from(left.subsec_nanos() > 0)).max(1),
    }
}

/// Sessions, slowdown and the accounts file of a server.
pub struct Auth {
    pub accounts: Accounts,
    sessions: Mutex<HashMap<String, Session>>,
    limits: Mutex<Limits>,
    /// The global cap on passwords checked at once.
    pub checking: tokio::sync::Semaphore,
    idle: Duration,
    absolute: Duration,
    /// `BAOCAO_PROXY_HTTPS=1`: trust `X-Forwarded-Proto` from the reverse proxy.
    pub https_proxy: bool,
    /// The server speaks HTTPS itself (a LAN address): every cookie is `Secure`.
    pub tls: bool,
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
            limits: Mutex::new(Limits::default()),
            checking: tokio::sync::Semaphore::new(CHECKS_AT_ONCE),
            idle: env_secs("BAOCAO_SESSION_TTL").unwrap_or(IDLE),
            absolute: env_secs("BAOCAO_SESSION_MAX").unwrap_or(ABSOLUTE),
            https_proxy: std::env::var("BAOCAO_PROXY_HTTPS").is_ok_and(|v| v == "1"),
            tls: false,
            local_fallback: true,
        }
    }

    /// Whether sign-in is required (a broken accounts file counts as "yes": fail closed).
    pub fn required(&self) -> bool {
        self.accounts.any().unwrap_or(true)
    }

    /// The client address of a request: the TCP peer, or behind the HTTPS proxy
    /// the last `X-Forwarded-For` entry (the one the proxy added).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.https_proxy {
            return peer;
        }
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|v| v.trim().parse().ok())
            .next_back()
            .unwrap_or(peer)
    }

    /// Starts a try for `name` from `addr`, or refuses it (429): a wait left, a
    /// try already running, a locked name, the global cap. `mark` is the
    /// account's (generation, unlocks) now (`None`: no such account).
    pub fn begin_try(&self, addr: IpAddr, name: &str, mark: Option<(u64, u64)>) -> Result<()> {
        let mut guard = self.limits.lock().unwrap_or_else(|e| e.into_inner());
        let l = &mut *guard;
        let now = Instant::now();
        if l.pair.len() + l.address.len() + l.name.len() > 20_000 {
            let hour = Duration::from_secs(3600);
            l.pair.retain(|_, v| v.busy || v.until.is_some_and(|u| u > now));
            l.address.retain(|_, v| v.last.is_some_and(|t| now.duration_since(t) < hour));
            l.name.retain(|_, v| v.failures >= FREE_TRIES);
        }
        // An unlock or a new password (seen in the file) clears everything about the name.
        let n = l.name.entry(name.to_string()).or_default();
        if n.mark != mark {
            n.failures = 0;
            n.mark = mark;
            l.pair.retain(|(_, who), v| who != name || v.busy);
        }
        let known = l.known.contains(&(addr, name.to_string()));
        if n.failures >= LOCK_AFTER && !known {
            return Err(Error::AccountLocked);
        }
        while l
            .recent
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) >= Duration::from_secs(60))
        {
            l.recent.pop_front();
        }
        if l.recent.len() >= GLOBAL_PER_MINUTE {
            if let Some((t, _)) = l.recent.iter().find(|(_, a)| *a == addr) {
                return Err(wait_error(Duration::from_secs(60).saturating_sub(now.duration_since(*t))));
            }
        }
        let left = l.address.get(&addr).map(Tries::wait_left).unwrap_or_default();
        if !left.is_zero() {
            return Err(wait_error(left));
        }
        let e = l.pair.entry((addr, name.to_string())).or_default();
        let left = e.wait_left();
        if e.busy || !left.is_zero() {
            return Err(wait_error(left));
        }
        e.busy = true;
        Ok(())
    }

    /// Gives up a started try without counting it (the password was not checked).
    pub fn abandon_try(&self, addr: IpAddr, name: &str) {
        let mut l = self.limits.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = l.pair.get_mut(&(addr, name.to_string())) {
            e.busy = false;
        }
    }

    /// Ends a try: a good one clears the counts of the name, a bad one counts
    /// everywhere and may start a wait.
    pub fn end_try(&self, addr: IpAddr, name: &str, ok: bool) {
        let mut guard = self.limits.lock().unwrap_or_else(|e| e.into_inner());
        let l = &mut *guard;
        let now = Instant::now();
        let key = (addr, name.to_string());
        if ok {
            l.pair.remove(&key);
            if let Some(n) = l.name.get_mut(name) {
                n.failures = 0;
            }
            l.known.insert(key);
            return;
        }
        let e = l.pair.entry(key).or_default();
        e.busy = false;
        e.failures += 1;
        let wait = wait_after(e.failures);
        e.until = (!wait.is_zero()).then(|| now + wait);
        let a = l.address.entry(addr).or_default();
        if a.last.is_some_and(|t| now.duration_since(t) > Duration::from_secs(3600)) {
            *a = Tries::default();
        }
        a.failures += 1;
        a.last = Some(now);
        let wait = wait_after(a.failures.saturating_sub(FREE_PER_ADDRESS - FREE_TRIES));
        a.until = (!wait.is_zero()).then(|| now + wait);
        l.name.entry(name.to_string()).or_default().failures += 1;
        l.recent.push_back((now, addr));
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
        self.tls
            || self.https_proxy
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
        && !["/api/", "/tai-ve/", "/pdf/", "/anh/", "/ve/", "/chu/", "/su-kien/"]
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
    use std::path::Path;

    #[test]
    fn slowdown_rule() {
        assert_eq!(wait_after(4), Duration::ZERO);
        assert_eq!(wait_after(5), Duration::from_secs(2));
        assert_eq!(wait_after(6), Duration::from_secs(4));
        assert_eq!(wait_after(40), MAX_WAIT);
    }

    fn auth() -> Auth {
        Auth {
            accounts: Accounts::of(Path::new("/nonexistent")),
            sessions: Mutex::new(HashMap::new()),
            limits: Mutex::new(Limits::default()),
            checking: tokio::sync::Semaphore::new(CHECKS_AT_ONCE),
            idle: IDLE,
            absolute: ABSOLUTE,
            https_proxy: false,
            tls: false,
            local_fallback: true,
        }
    }

    fn fail(a: &Auth, ip: IpAddr, name: &str, mark: Option<(u64, u64)>) -> Result<()> {
        a.begin_try(ip, name, mark)?;
        a.end_try(ip, name, false);
        Ok(())
    }

    #[test]
    fn an_attacker_slows_only_itself_and_a_lock_is_lifted_by_the_office() {
        let a = auth();
        let (attacker, office) = (IpAddr::from([10, 0, 0, 66]), IpAddr::from([10, 0, 0, 5]));
        let mark = Some((0, 0));
        for _ in 0..FREE_TRIES {
            fail(&a, attacker, "van-phong", mark).unwrap();
        }
        assert!(matches!(a.begin_try(attacker, "van-phong", mark), Err(Error::TooManyTries { .. })));
        // The office's computer is not slowed by the attacker.
        a.begin_try(office, "van-phong", mark).unwrap();
        a.end_try(office, "van-phong", true);
        // Many addresses together lock the name, except for the office's computer, which signed in before.
        for i in 0..LOCK_AFTER {
            let ip = IpAddr::from([10, 1, (i / 200) as u8, (i % 200) as u8]);
            fail(&a, ip, "van-phong", mark).unwrap();
        }
        let fresh = IpAddr::from([10, 2, 0, 1]);
        assert!(matches!(a.begin_try(fresh, "van-phong", mark), Err(Error::AccountLocked)));
        a.begin_try(office, "van-phong", mark).unwrap();
        a.end_try(office, "van-phong", true);
        // The office's unlock (a new mark in the file) lifts the lock and the attacker's wait.
        for i in 0..LOCK_AFTER {
            fail(&a, IpAddr::from([10, 3, 0, i as u8]), "van-phong", mark).unwrap();
        }
        assert!(matches!(a.begin_try(fresh, "van-phong", mark), Err(Error::AccountLocked)));
        let unlocked = Some((0, 1));
        a.begin_try(fresh, "van-phong", unlocked).unwrap();
        a.end_try(fresh, "van-phong", true);
        a.begin_try(attacker, "van-phong", unlocked).unwrap();
        a.end_try(attacker, "van-phong", false);
    }

    #[test]
    fn one_address_spraying_names_is_slowed_and_the_global_cap_holds() {
        let a = auth();
        let sprayer = IpAddr::from([10, 0, 0, 77]);
        for i in 0..FREE_PER_ADDRESS {
            fail(&a, sprayer, &format!("ten-{i}"), None).unwrap();
        }
        assert!(matches!(a.begin_try(sprayer, "ten-moi", None), Err(Error::TooManyTries { .. })));
        let b = auth();
        for i in 0..GLOBAL_PER_MINUTE {
            let ip = IpAddr::from([10, 9, (i / 250) as u8, (i % 250) as u8]);
            fail(&b, ip, &format!("ten-{i}"), None).unwrap();
        }
        let recent = IpAddr::from([10, 9, 0, 0]);
        assert!(matches!(b.begin_try(recent, "khac", None), Err(Error::TooManyTries { .. })));
        b.begin_try(IpAddr::from([10, 8, 0, 1]), "van-phong", None).unwrap();
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
