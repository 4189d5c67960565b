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
mod report_type;
pub mod routes;
pub mod tls;
mod turns;

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
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
    /// Plain HTTP on a LAN address (`--plain-http`): off by default, HTTPS is used.
    pub plain_http: bool,
    /// More names the Host check accepts on a LAN address (`--allow-host`).
    pub allowed_hosts: Vec<String>,
}

/// Whether `ip` is this machine's own loopback (`127.0.0.1`, `::1`): the only
/// addresses served in plain HTTP without a token. Every other address, even
/// `127.0.0.2`, is treated as a LAN address (HTTPS, Host allow-list, token).
pub fn local_only(ip: IpAddr) -> bool {
    ip == IpAddr::V4(Ipv4Addr::LOCALHOST) || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
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
    /// Reads take turns, so a save and its preview always find a core.
    pub turns: turns::Turns,
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
fn guard_for(host: &str, addr: SocketAddr, auth: &auth::Auth, names: &[String]) -> guard::Guard {
    let mut g = guard_by_address(host, addr, names);
    g.https_proxy = auth.https_proxy;
    g.tls = auth.tls;
    if auth.required() {
        g.token = None;
    }
    g
}

/// Accepted Host values and whether a token is needed, for the bound address
/// and `names` (the LAN names, see [`lan_names`]).
fn guard_by_address(host: &str, addr: SocketAddr, names: &[String]) -> guard::Guard {
    let p = addr.port();
    let ip = addr.ip();
    if local_only(ip) {
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
            tls: false,
            grants: Default::default(),
        };
    }
    // DNS rebinding: on a LAN address, even 0.0.0.0, only this machine's own
    // names and addresses and the names given at start are accepted as Host.
    let mut hosts = Vec::new();
    for n in names.iter().map(String::as_str).chain([host]) {
        let n = n.to_ascii_lowercase();
        let shown = match n.parse::<IpAddr>() {
            Ok(IpAddr::V6(v6)) => format!("[{v6}]"),
            _ => n,
        };
        let mut forms = vec![format!("{shown}:{p}")];
        // Without a port only on the scheme's default port (a browser then sends none).
        if p == 443 || p == 80 {
            forms.push(shown);
        }
        for h in forms {
            if !hosts.contains(&h) {
                hosts.push(h);
            }
        }
    }
    guard::Guard {
        hosts: Some(hosts),
        token: Some(guard::new_token()),
        https_proxy: false,
        tls: false,
        grants: Default::default(),
    }
}

/// The names a LAN address is reached by: the bound address (or, on 0.0.0.0 /
/// `::`, every address of this machine), the machine's host name (also
/// `NAME.local`), `localhost`, and the names given with `--allow-host`.
pub fn lan_names(ip: IpAddr, extra: &[String]) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    let mut add = |s: String| {
        let s = s.trim().trim_end_matches('.').to_ascii_lowercase();
        if !s.is_empty() && !v.contains(&s) {
            v.push(s);
        }
    };
    if ip.is_unspecified() {
        for a in own_addresses() {
            add(a.to_string());
        }
    } else {
        add(ip.to_string());
    }
    if let Some(h) = host_name() {
        add(format!("{h}.local"));
        add(h);
    }
    add("localhost".into());
    for e in extra {
        add(e.clone());
    }
    v
}

/// The machine's host name, if known.
fn host_name() -> Option<String> {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname writes at most that.
        let r = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        if r == 0 {
            let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
            return std::str::from_utf8(&buf[..end]).ok().map(str::to_string).filter(|s| !s.is_empty());
        }
        None
    }
    #[cfg(not(unix))]
    {
        std::env::var("COMPUTERNAME").ok()
    }
}

/// Every address of this machine's interfaces (unix: getifaddrs; elsewhere the
/// loopback addresses and the address the system routes out by: name other
/// addresses with `--allow-host`).
fn own_addresses() -> Vec<IpAddr> {
    let mut out = vec![IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)];
    // The source address of a route to a documentation address (no packet is sent).
    let routed = std::net::UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .and_then(|s| s.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).and_then(|_| s.local_addr()));
    if let Ok(a) = routed {
        out.push(a.ip());
    }
    #[cfg(unix)]
    // SAFETY: the list getifaddrs returns is walked read-only, each address read
    // as the type its family says, and freed once with freeifaddrs.
    unsafe {
        let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
        if libc::getifaddrs(&mut list) == 0 {
            let mut p = list;
            while !p.is_null() {
                let a = (*p).ifa_addr;
                if !a.is_null() {
                    match i32::from((*a).sa_family) {
                        libc::AF_INET => {
                            let s = &*(a as *const libc::sockaddr_in);
                            out.push(IpAddr::V4(Ipv4Addr::from(u32::from_be(s.sin_addr.s_addr))));
                        }
                        libc::AF_INET6 => {
                            let s = &*(a as *const libc::sockaddr_in6);
                            out.push(IpAddr::V6(Ipv6Addr::from(s.sin6_addr.s6_addr)));
                        }
                        _ => {}
                    }
                }
                p = (*p).ifa_next;
            }
            libc::freeifaddrs(list);
        }
    }
    out.retain(|a| !a.is_unspecified());
    out.sort();
    out.dedup();
    out
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
    let lan = !local_only(ip);
    let names = if lan { lan_names(ip, &opts.allowed_hosts) } else { Vec::new() };
    // HTTPS on every LAN address unless --plain-http; the certificate is made before anything is printed.
    let tls = match lan && !opts.plain_http {
        true => Some(tls::load_or_create(&project.root, &names)?),
        false => None,
    };
    let mut auth = auth::Auth::new(&project);
    auth.tls = tls.is_some();
    let guard = guard_for(&opts.host, addr, &auth, &names);
    auth.local_fallback = !lan || guard.token.is_some();
    let shown_host = match addr.ip() {
        a if a.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
        a => a.to_string(),
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let url = format!("{scheme}://{shown_host}:{}/", addr.port());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let app = new_app(Arc::new(project), guard.clone(), auth, stop_rx);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| serve_err(e.to_string()))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| serve_err(e.to_string()))?;
        if lan {
            announce_lan(&names, tls.as_ref());
        }
        let clean_url = url.clone();
        let url = announce(&app, &guard, url);
        if open_browser {
            let _ = webbrowser::open(&url);
        }
        let service = routes::router(app.clone()).into_make_service_with_connect_info::<tls::Peer>();
        let stopped = async move {
            let _ = tokio::signal::ctrl_c().await;
            let _ = stop_tx.send(true);
        };
        let served = match tls {
            Some(t) => {
                let l = tls::TlsListener::new(listener, t.config, clean_url).map_err(|e| serve_err(e.to_string()))?;
                axum::serve(l, service).with_graceful_shutdown(stopped).await
            }
            None => axum::serve(listener, service).with_graceful_shutdown(stopped).await,
        };
        served.map_err(|e| serve_err(e.to_string()))?;
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
    // Rayon's threads (Typst lays pages out on them) are made here, at the
    // priority of this thread: made by a read, they would inherit its lowered one.
    rayon::current_num_threads();
    let app = Arc::new(App {
        live: live::Live::new(project.clone()),
        project: project.clone(),
        guard,
        auth,
        pages: pages::Pages::new(),
        snapshots: Mutex::new(HashMap::new()),
        turns: turns::Turns::default(),
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

/// Prints what a LAN start needs checked: the certificate and its fingerprint
/// (or the warning of plain HTTP) and the names the Host check accepts.
fn announce_lan(names: &[String], tls: Option<&tls::Tls>) {
    match tls {
        Some(t) => {
            let line = match t.created {
                true => WebText::CertificateMade(t.cert_path.clone()),
                false => WebText::CertificateUsed(t.cert_path.clone()),
            };
            println!("{line}");
            println!("{}", WebText::Fingerprint(t.fingerprint.clone()));
        }
        None => println!("{}", WebText::PlainHttpWarning),
    }
    println!("{}", WebText::AllowedHosts(names.join(", ")));
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
