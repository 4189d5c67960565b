//! `baocao serve`: the office web page. One long-lived process over the project
//! folder: startup (address, token), shared state, clean shutdown on Ctrl-C.
//! The web layer calls only the facade ([`crate::project`]) and never builds a
//! path from a name the facade did not validate.

pub mod accounts;
pub mod answer;
pub mod auth;
pub mod guard;
pub mod history_api;
pub mod live;
pub mod login;
mod messages;
pub mod nop;
pub mod pages;
pub mod routes;

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::project::Project;
pub use messages::WebText;

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    pub host: String,
    pub port: u16,
    pub open_browser: bool,
}

/// Shared state of the server.
pub struct App {
    pub project: Arc<Project>,
    pub guard: guard::Guard,
    /// Accounts, sessions and the slowdown of wrong passwords.
    pub auth: auth::Auth,
    pub live: live::Live,
    pub pages: pages::Pages,
    /// Files as the pages last saw them, by hash (to say what changed on a stale save).
    pub snapshots: Mutex<HashMap<String, Vec<u8>>>,
    /// Becomes true when the server stops (ends the event streams).
    pub stopping: tokio::sync::watch::Receiver<bool>,
}

impl App {
    /// Remembers a file version a page was given.
    pub fn remember(&self, hash: &str, bytes: Vec<u8>) {
        let mut s = self.snapshots.lock().unwrap_or_else(|e| e.into_inner());
        if s.len() > 500 {
            s.clear();
        }
        s.insert(hash.to_string(), bytes);
    }
}

/// Accepted Host values and whether a token is needed, for the bound address
/// (no token when the project has accounts: sign-in replaces it).
fn guard_for(host: &str, addr: SocketAddr, auth: &auth::Auth) -> guard::Guard {
    let mut g = guard_by_address(host, addr);
    g.https_proxy = auth.https_proxy;
    if auth.required() {
        g.token = None;
    }
    g
}

/// Accepted Host values and whether a token is needed, for the bound address alone.
fn guard_by_address(host: &str, addr: SocketAddr) -> guard::Guard {
    let p = addr.port();
    let ip = addr.ip();
    if ip.is_loopback() {
        let mut hosts = vec![
            format!("127.0.0.1:{p}"),
            format!("localhost:{p}"),
            format!("[::1]:{p}"),
            format!("{ip}:{p}"),
        ];
        hosts.push(format!("{}:{p}", host.to_ascii_lowercase()));
        return guard::Guard {
            hosts: Some(hosts),
            token: None,
            https_proxy: false,
            grants: Default::default(),
        };
    }
    let hosts = (!ip.is_unspecified()).then(|| vec![format!("{ip}:{p}"), format!("{}:{p}", host.to_ascii_lowercase())]);
    guard::Guard {
        hosts,
        token: Some(guard::new_token()),
        https_proxy: false,
        grants: Default::default(),
    }
}

/// Runs the server until Ctrl-C; prints the URL as the last line of its start.
pub fn run(project: Project, opts: Options) -> Result<()> {
    let wanted = format!("{}:{}", opts.host, opts.port);
    let serve_err = move |detail: String| Error::Serve {
        addr: wanted.clone(),
        detail,
    };
    let open_browser = opts.open_browser;
    let (ip, listener, addr) = bind(&opts, &serve_err)?;
    let mut auth = auth::Auth::new(&project);
    let guard = guard_for(&opts.host, addr, &auth);
    auth.local_fallback = ip.is_loopback() || guard.token.is_some();
    let shown_host = if ip.is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    let url = format!("http://{shown_host}:{}/", addr.port());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let app = new_app(Arc::new(project), guard.clone(), auth, stop_rx);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| serve_err(e.to_string()))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| serve_err(e.to_string()))?;
        let url = announce(&app, &guard, url);
        if open_browser {
            let _ = webbrowser::open(&url);
        }
        let server = axum::serve(listener, routes::router(app.clone())).with_graceful_shutdown(async move {
            let _ = tokio::signal::ctrl_c().await;
            let _ = stop_tx.send(true);
        });
        server.await.map_err(|e| serve_err(e.to_string()))?;
        wait_for_renders(&app.live).await;
        println!("{}", WebText::Stopped);
        Ok(())
    })
}

/// The address asked for, and a non-blocking listener bound to it.
fn bind(opts: &Options, serve_err: &impl Fn(String) -> Error) -> Result<(IpAddr, std::net::TcpListener, SocketAddr)> {
    let ip: IpAddr = match opts.host.as_str() {
        "localhost" => IpAddr::from([127, 0, 0, 1]),
        h => h.parse().map_err(|_| serve_err(WebText::BadAddress.to_string()))?,
    };
    let listener = std::net::TcpListener::bind((ip, opts.port)).map_err(|e| serve_err(e.to_string()))?;
    listener.set_nonblocking(true).map_err(|e| serve_err(e.to_string()))?;
    let addr = listener.local_addr().map_err(|e| serve_err(e.to_string()))?;
    Ok((ip, listener, addr))
}

/// The shared state, with the preview of the default report and current
/// period already started.
fn new_app(project: Arc<Project>, guard: guard::Guard, auth: auth::Auth, stopping: tokio::sync::watch::Receiver<bool>) -> Arc<App> {
    let app = Arc::new(App {
        live: live::Live::new(project.clone()),
        project: project.clone(),
        guard,
        auth,
        pages: pages::Pages::new(),
        snapshots: Mutex::new(HashMap::new()),
        stopping,
    });
    if let (Ok(report), Ok(period)) = (project.default_report(), project.current_period()) {
        app.live.trigger(
            &crate::project::Request { report, period },
            &crate::office::actor::Actor::local().name,
        );
    }
    app
}

/// Prints the start lines (project, how to stop, token, accounts) and, last,
/// the URL to open, which it returns (with the token when one is needed).
fn announce(app: &App, guard: &guard::Guard, mut url: String) -> String {
    let root = app.project.root.canonicalize().unwrap_or_else(|_| app.project.root.clone());
    println!("{}", WebText::Running(root));
    println!("{}", WebText::HowToStop);
    if let Some(t) = &guard.token {
        println!("{}", WebText::Token(t.clone()));
        url = format!("{url}?{}={t}", guard::TOKEN_PARAM);
    }
    if app.auth.required() {
        println!("{}", WebText::HasAccounts(crate::office::accounts::ACCOUNTS_FILE));
    }
    println!("{url}");
    let _ = std::io::stdout().flush();
    url
}

/// Lets a render in flight finish writing (each file is written atomically
/// anyway), for at most 20 seconds.
async fn wait_for_renders(live: &live::Live) {
    let t = Instant::now();
    while live.busy() > 0 && t.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
