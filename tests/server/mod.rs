//! The real `baocao serve` on a scratch copy of the project, and a small HTTP/1.1
//! client over a plain TCP socket (so each test sets exactly the headers it means).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Scratch;

pub mod audit_helpers;

/// A running server; killed when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
    pub port: u16,
    pub scratch: Scratch,
    pub stdout: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// Cookie header sent by [`Server::get`] and the POST helpers (a signed-in browser).
    pub cookie: std::sync::Mutex<Option<String>>,
}

/// An HTTP answer.
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

impl Server {
    /// Starts `baocao serve --port 0 --no-browser ARGS` and reads the URL (last startup line).
    pub fn start(extra: &[&str]) -> Server {
        Server::start_in(Scratch::new(), extra, &[])
    }

    /// Starts the server on a prepared scratch project with extra environment variables.
    pub fn start_in(scratch: Scratch, extra: &[&str], envs: &[(&str, &str)]) -> Server {
        let mut args = vec!["serve", "--port", "0", "--no-browser"];
        args.extend_from_slice(extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
            .args(&args)
            .envs(envs.iter().copied())
            .current_dir(scratch.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = Vec::new();
        let url = loop {
            let line = lines.next().expect("server ended before printing its URL").unwrap();
            seen.push(line.clone());
            if line.starts_with("http://") || line.starts_with("https://") {
                break line;
            }
        };
        let stdout = std::sync::Arc::new(std::sync::Mutex::new(seen));
        let sink = stdout.clone();
        std::thread::spawn(move || {
            for l in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(l);
            }
        });
        let port = url
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .split(['/', '?'])
            .next()
            .unwrap()
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        Server {
            child,
            url,
            port,
            scratch,
            stdout,
            cookie: std::sync::Mutex::new(None),
        }
    }

    /// Signs in by the login form; returns the answer (its Set-Cookie, if any, is not kept).
    pub fn login(&self, name: &str, password: &str, extra: &[(&str, &str)]) -> Resp {
        let (host, origin) = (self.host(), format!("http://{}", self.host()));
        let body = format!("ten={}&mat_khau={}&tiep=/", form_encode(name), form_encode(password));
        let mut headers = vec![
            ("Host", host.as_str()),
            ("Origin", origin.as_str()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ];
        headers.extend_from_slice(extra);
        self.raw_plain("POST", "/dang-nhap", &headers, body.as_bytes())
    }

    /// Signs in (must succeed) and makes the following requests carry the session.
    pub fn sign_in(&self, name: &str, password: &str) -> String {
        let r = self.login(name, password, &[]);
        assert_eq!(r.status, 303, "login of {name} failed: {}", r.text());
        let id = session_cookie(&r).unwrap_or_else(|| panic!("no session cookie: {:?}", r.headers));
        self.use_session(Some(&id));
        id
    }

    /// Sends `baocao_phien=ID` with the following requests (`None`: no cookie).
    pub fn use_session(&self, id: Option<&str>) {
        *self.cookie.lock().unwrap() = id.map(|i| format!("baocao_phien={i}"));
    }

    /// Same-origin POST of an HTML form (`application/x-www-form-urlencoded`).
    pub fn post_form(&self, path: &str, body: &str) -> Resp {
        let (host, origin) = (self.host(), format!("http://{}", self.host()));
        self.raw(
            "POST",
            path,
            &[
                ("Host", &host),
                ("Origin", &origin),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            body.as_bytes(),
        )
    }

    /// The Host and Origin a page of this server has.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// A request with exactly these headers (plus Content-Length and Connection: close).
    pub fn raw(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        let cookie = self.cookie.lock().unwrap().clone();
        let mut all = headers.to_vec();
        if let Some(c) = &cookie {
            all.push(("Cookie", c.as_str()));
        }
        self.raw_plain(method, path, &all, body)
    }

    /// A request with exactly these headers (no session cookie added).
    pub fn raw_plain(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        // A server that refuses early (413) may close before the body is sent.
        let _ = s.write_all(body);
        let mut buf = Vec::new();
        if let Err(e) = s.read_to_end(&mut buf) {
            assert!(!buf.is_empty(), "no answer: {e}");
        }
        parse(&buf)
    }

    /// GET as the browser on this computer would send it.
    pub fn get(&self, path: &str) -> Resp {
        let host = self.host();
        self.raw("GET", path, &[("Host", &host)], b"")
    }

    /// Same-origin POST with a JSON body.
    pub fn post_json(&self, path: &str, body: &serde_json::Value) -> Resp {
        let (host, origin) = (self.host(), format!("http://{}", self.host()));
        let b = body.to_string();
        self.raw(
            "POST",
            path,
            &[("Host", &host), ("Origin", &origin), ("Content-Type", "application/json")],
            b.as_bytes(),
        )
    }

    /// Same-origin POST with raw bytes (upload).
    pub fn post_bytes(&self, path: &str, body: &[u8]) -> Resp {
        let (host, origin) = (self.host(), format!("http://{}", self.host()));
        self.raw(
            "POST",
            path,
            &[("Host", &host), ("Origin", &origin), ("Content-Type", "application/octet-stream")],
            body,
        )
    }

    /// Waits until the preview of `report/period` has finished a render after
    /// `after` generations and nothing is waiting (no edit, no PDF asked for).
    pub fn wait_preview(&self, report_period: &str, after: u64) -> serde_json::Value {
        let t = Instant::now();
        loop {
            let st = self.get(&format!("/api/trang/{report_period}")).json();
            let g = st["generation"].as_u64().unwrap_or(0);
            if g > after && !st["running"].as_bool().unwrap_or(true) {
                return st;
            }
            assert!(t.elapsed() < Duration::from_secs(120), "render did not finish: {st}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the preview of `report/period` has finished a render after
    /// `after` generations and written its PDF; returns the status.
    pub fn wait_render(&self, report_period: &str, after: u64) -> serde_json::Value {
        let t = Instant::now();
        loop {
            let st = self.get(&format!("/api/trang/{report_period}")).json();
            let g = st["generation"].as_u64().unwrap_or(0);
            if g > after && !st["running"].as_bool().unwrap_or(true) && (st["version"].is_u64() || !st["error"].is_null()) {
                return st;
            }
            assert!(t.elapsed() < Duration::from_secs(120), "render did not finish: {st}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn parse(buf: &[u8]) -> Resp {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n").expect("no header end");
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = buf[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Resp { status, headers, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(p) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..p]).trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[p + 2..p + 2 + n]);
        b = &b[p + 2 + n + 2..];
    }
    out
}

/// Hex SHA-256 (as the server computes file hashes).
pub fn sha(bytes: &[u8]) -> String {
    baocao::internals::sha256_hex(bytes)
}

/// The session id a login answer sets, if any.
pub fn session_cookie(r: &Resp) -> Option<String> {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .find_map(|(_, v)| {
            v.strip_prefix("baocao_phien=")?
                .split(';')
                .next()
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        })
}

/// Percent-encodes a form value.
pub fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// SHA-256 over every file (path and bytes) under the given folders of a project,
/// but for the change log's own working copies (`.nhat-ky/`: the last version of
/// each file it has seen, made on first read, and its lock).
pub fn tree_hash(root: &std::path::Path, dirs: &[&str]) -> String {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == ".nhat-ky") {
                continue;
            }
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    for d in dirs {
        walk(&root.join(d), &mut files);
    }
    files.sort();
    let mut all = Vec::new();
    for f in files {
        all.extend(f.strip_prefix(root).unwrap().to_string_lossy().as_bytes());
        all.push(0);
        all.extend(std::fs::read(&f).unwrap());
        all.push(0);
    }
    sha(&all)
}

/// `baocao nguoi-dung ARGS` in a scratch project with `stdin` as standard input (not a terminal).
pub fn accounts_cli(scratch: &Scratch, args: &[&str], stdin: &str) -> crate::common::Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .arg("nguoi-dung")
        .args(args)
        .current_dir(scratch.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command refused before it asks for the password exits without reading.
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap().into()
}
