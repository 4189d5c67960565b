//! HTTPS on a LAN-style address (issue 27, finding 16 and acceptance 3) and the
//! Host allow-list there (finding 13), over real connections to the real binary.
//! `127.0.0.2` is a LAN-style bind: only `127.0.0.1` / `::1` count as this machine.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::common::Scratch;
use crate::server::{accounts_cli, form_encode, parse, Resp, Server};

const VP: (&str, &str) = ("van-phong", "mat-khau-van-phong");
const LAN: &str = "127.0.0.2";

/// Accepts exactly the certificate whose SHA-256 was printed, nothing else.
#[derive(Debug)]
struct Pinned {
    sha256: String,
    provider: Arc<CryptoProvider>,
}

fn sha256_colons(der: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if sha256_colons(end_entity) == self.sha256 {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "certificate fingerprint differs from the printed one".into(),
            ))
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// A TLS client that pins `sha256`.
fn pinned_client(sha256: &str) -> Arc<rustls::ClientConfig> {
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(Pinned {
        sha256: sha256.to_string(),
        provider: provider.clone(),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Arc::new(config)
}

/// One request over TLS to `LAN:port` (Connection: close).
fn https(
    config: &Arc<rustls::ClientConfig>,
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Resp, String> {
    let tcp = TcpStream::connect((LAN, port)).map_err(|e| e.to_string())?;
    tcp.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let conn = rustls::ClientConnection::new(config.clone(), ServerName::try_from(LAN).unwrap()).map_err(|e| e.to_string())?;
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    tls.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    tls.write_all(body).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    match tls.read_to_end(&mut buf) {
        Ok(_) => {}
        Err(e) if !buf.is_empty() && e.kind() == std::io::ErrorKind::UnexpectedEof => {}
        Err(e) => return Err(e.to_string()),
    }
    Ok(parse(&buf))
}

/// One plain-HTTP request to `LAN:port`: the answer, or the connection error.
fn plain(port: u16, path: &str, host: &str) -> Result<Resp, String> {
    let mut s = TcpStream::connect((LAN, port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).map_err(|e| e.to_string())?;
    if buf.is_empty() {
        return Err("closed without an answer".into());
    }
    Ok(parse(&buf))
}

fn office_project() -> Scratch {
    let scratch = Scratch::new();
    let r = accounts_cli(&scratch, &["them", VP.0, "--vai-tro", "van-phong"], &format!("{}\n", VP.1));
    assert_eq!(r.code, 0, "{}", r.stderr);
    scratch
}

/// The fingerprint the server printed at start.
fn printed_fingerprint(s: &Server) -> String {
    let lines = s.stdout.lock().unwrap().clone();
    let line = lines
        .iter()
        .find(|l| l.contains("SHA-256"))
        .unwrap_or_else(|| panic!("no fingerprint printed: {lines:?}"));
    line.rsplit(' ').next().unwrap().trim().to_string()
}

#[test]
fn a_lan_bind_serves_https_with_a_pinned_certificate_and_secure_cookies() {
    let s = Server::start_in(office_project(), &["--host", LAN], &[]);
    assert!(s.url.starts_with(&format!("https://{LAN}:")), "{}", s.url);
    let fp = printed_fingerprint(&s);
    assert_eq!(fp.len(), 95, "{fp}");
    // The certificate on disk is the one printed, and its key is private to its owner.
    let pem = std::fs::read(s.scratch.file("https/chung-chi.pem")).unwrap();
    let der = rustls::pki_types::pem::PemObject::from_pem_slice(&pem)
        .map(|c: CertificateDer| c.to_vec())
        .unwrap();
    assert_eq!(sha256_colons(&der), fp);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.scratch.file("https/khoa-rieng.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "key file mode {mode:o}");
    }

    let client = pinned_client(&fp);
    let host = format!("{LAN}:{}", s.port);
    let origin = format!("https://{host}");
    let page = https(&client, s.port, "GET", "/dang-nhap", &[("Host", &host)], b"").unwrap();
    assert_eq!(page.status, 200, "{}", page.text());
    let body = format!("ten={}&mat_khau={}&tiep=/", form_encode(VP.0), form_encode(VP.1));
    let login = https(
        &client,
        s.port,
        "POST",
        "/dang-nhap",
        &[
            ("Host", &host),
            ("Origin", &origin),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(login.status, 303, "{}", login.text());
    let cookie = login.header("set-cookie").unwrap().to_string();
    assert!(cookie.contains("; Secure"), "session cookie without Secure: {cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let session = cookie.split(';').next().unwrap().to_string();
    let home = https(&client, s.port, "GET", "/", &[("Host", &host), ("Cookie", &session)], b"").unwrap();
    assert_eq!(home.status, 200, "signed in over HTTPS: {}", home.text());
    // A plain-http page is another origin: its POST is refused.
    let cross = https(
        &client,
        s.port,
        "POST",
        "/api/ky-moi",
        &[
            ("Host", &host),
            ("Cookie", &session),
            ("Origin", &format!("http://{host}")),
            ("Content-Type", "application/json"),
        ],
        b"{}",
    )
    .unwrap();
    assert_eq!(cross.status, 403, "{}", cross.text());

    // Another certificate (a man in the middle) is refused by the pinning client.
    let wrong = pinned_client(&"00:".repeat(32)[..95]);
    assert!(https(&wrong, s.port, "GET", "/dang-nhap", &[("Host", &host)], b"").is_err());

    // Plain HTTP to the same port: a short refusal naming the https:// address,
    // no page, no cookie.
    let r = plain(s.port, "/dang-nhap", &host).expect("a plain answer to plain HTTP");
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains(&format!("https://{host}/")), "{}", r.text());
    assert!(r.header("set-cookie").is_none() && !r.text().contains("mat_khau"));

    // The certificate is kept: a second start shows the same fingerprint.
    let mut s = s;
    let _ = s.child.kill();
    let _ = s.child.wait();
    let scratch = std::mem::replace(&mut s.scratch, Scratch::new());
    drop(s);
    let again = Server::start_in(scratch, &["--host", LAN], &[]);
    assert_eq!(printed_fingerprint(&again), fp, "certificate made again");
}

#[test]
fn plain_http_on_a_lan_bind_only_with_the_flag_and_a_warning() {
    let s = Server::start_in(office_project(), &["--host", LAN, "--plain-http"], &[]);
    assert!(s.url.starts_with(&format!("http://{LAN}:")), "{}", s.url);
    let lines = s.stdout.lock().unwrap().clone();
    assert!(
        lines.iter().any(|l| l.contains("CẢNH BÁO") && l.contains("--plain-http")),
        "{lines:?}"
    );
    assert!(!s.scratch.file("https").exists(), "no certificate made for plain HTTP");
    let host = format!("{LAN}:{}", s.port);
    let r = plain(s.port, "/dang-nhap", &host).unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
}

/// Finding 13: on a LAN address (here also 0.0.0.0) the Host allow-list stays on:
/// this machine's addresses and names, and the names given with --allow-host.
#[test]
fn a_lan_bind_keeps_the_host_allow_list() {
    let s = Server::start_in(
        office_project(),
        &["--host", LAN, "--plain-http", "--allow-host", "Bao-Cao.VP.local"],
        &[],
    );
    let p = s.port;
    for (host, ok) in [
        (format!("{LAN}:{p}"), true),
        (format!("bao-cao.vp.local:{p}"), true),
        (format!("localhost:{p}"), true),
        (format!("evil.example:{p}"), false),
        (format!("{LAN}.nip.io:{p}"), false),
        ("evil.example".to_string(), false),
        (String::new(), false),
    ] {
        let r = plain(p, "/dang-nhap", &host).unwrap();
        if ok {
            assert_eq!(r.status, 200, "{host}: {}", r.text());
        } else {
            assert_eq!(r.status, 400, "{host} let through: {}", r.text());
        }
    }
    let lines = s.stdout.lock().unwrap().clone();
    assert!(
        lines.iter().any(|l| l.contains("bao-cao.vp.local")),
        "allowed names printed: {lines:?}"
    );

    let any = Server::start_in(office_project(), &["--host", "0.0.0.0", "--plain-http"], &[]);
    let host = any.host(); // 127.0.0.1:PORT, one of this machine's own addresses
    assert_eq!(any.raw_plain("GET", "/dang-nhap", &[("Host", &host)], b"").status, 200);
    let evil = format!("evil.example:{}", any.port);
    let r = any.raw_plain("GET", "/dang-nhap", &[("Host", &evil)], b"");
    assert_eq!(r.status, 400, "DNS rebinding on 0.0.0.0: {}", r.text());
}
