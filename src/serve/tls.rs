//! HTTPS on a LAN address (issue 27, finding 16): passwords and session cookies
//! never cross the office network in clear.
//!
//! - On any address other than this machine's own loopback (`127.0.0.1`,
//!   `localhost`, `::1`) the server speaks HTTPS (rustls, ring; nothing is
//!   downloaded). The certificate is the project's `https/chung-chi.pem` with its
//!   key `https/khoa-rieng.pem` (PEM): IT may put the office's own there. When
//!   neither exists, a self-signed one is made at first start (rcgen, ECDSA P-256,
//!   for the bound address, the machine's names and addresses and the names given
//!   with `--allow-host`) and kept, so its fingerprint stays the same between starts.
//!   The key file is created 0600 on unix; both files are git-ignored.
//! - The certificate's SHA-256 fingerprint is printed at start: whoever opens the
//!   page compares it with what the browser shows before accepting the certificate.
//! - A plain-HTTP request to the HTTPS port gets a short plain answer (400) that
//!   names the https:// address, and nothing else: no page, no cookie.
//! - Handshakes run beside the accept loop (at most [`MAX_HANDSHAKES`] at once,
//!   [`HANDSHAKE_TIMEOUT`] each), so a slow or silent client holds up no one.
//! - Plain HTTP on a LAN address only with `--plain-http`, and a warning at start.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

use super::WebText;
use crate::error::{Error, Result};

/// The folder of the certificate, at the project root.
pub const TLS_DIR: &str = "https";
/// The certificate (PEM, the server's first).
pub const CERT_FILE: &str = "chung-chi.pem";
/// Its private key (PEM).
pub const KEY_FILE: &str = "khoa-rieng.pem";
/// Handshakes in progress at once.
pub const MAX_HANDSHAKES: usize = 256;
/// Longest handshake (a silent client is dropped after it).
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A server certificate ready to serve.
pub struct Tls {
    pub config: Arc<rustls::ServerConfig>,
    /// SHA-256 of the certificate (DER), `AB:CD:...` as browsers show it.
    pub fingerprint: String,
    pub cert_path: PathBuf,
    /// Made at this start (not read from the project).
    pub created: bool,
}

fn failed(file: &Path, detail: impl std::fmt::Display) -> Error {
    Error::Serve {
        addr: String::new(),
        detail: WebText::TlsFailed {
            file: file.to_path_buf(),
            detail: detail.to_string(),
        }
        .to_string(),
    }
}

/// SHA-256 of `der`, as upper-case hex pairs joined by `:`.
pub fn fingerprint(der: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// The project's certificate, made (self-signed, for `names`) when there is none.
pub fn load_or_create(root: &Path, names: &[String]) -> Result<Tls> {
    let dir = root.join(TLS_DIR);
    let (cert_path, key_path) = (dir.join(CERT_FILE), dir.join(KEY_FILE));
    let created = !cert_path.exists() && !key_path.exists();
    if created {
        create(&dir, &cert_path, &key_path, names)?;
        crate::office::accounts::ensure_git_ignored(root, &["/https/"]);
    }
    let cert_pem = crate::base::folders::read(&cert_path).map_err(|e| failed(&cert_path, e))?;
    let key_pem = crate::base::folders::read(&key_path).map_err(|e| failed(&key_path, e))?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| failed(&cert_path, e))?;
    let first = certs.first().ok_or_else(|| failed(&cert_path, WebText::NoCertificate))?;
    let fingerprint = fingerprint(first);
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| failed(&key_path, e))?;
    // ring, not aws-lc-rs: no C toolchain beyond cc, nothing downloaded. rustls
    // 0.23.48 deprecates it for lacking post-quantum key exchange (X25519MLKEM768);
    // the classical suites it gives are what the office's browsers negotiate today.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| failed(&cert_path, e))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| failed(&cert_path, e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        config: Arc::new(config),
        fingerprint,
        cert_path,
        created,
    })
}

/// Makes a self-signed certificate for `names` and writes it (key 0600 on unix).
fn create(dir: &Path, cert_path: &Path, key_path: &Path, names: &[String]) -> Result<()> {
    let mut sans: Vec<String> = Vec::new();
    for n in names {
        let n = n.trim().trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        let usable = !n.is_empty() && n.parse::<std::net::IpAddr>().map_or(true, |ip| !ip.is_unspecified());
        if usable && !sans.contains(&n) {
            sans.push(n);
        }
    }
    let made = rcgen::generate_simple_self_signed(sans).map_err(|e| failed(cert_path, e))?;
    crate::base::folders::check(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| failed(dir, e))?;
    write_new(key_path, made.signing_key.serialize_pem().as_bytes(), true).map_err(|e| failed(key_path, e))?;
    write_new(cert_path, made.cert.pem().as_bytes(), false).map_err(|e| failed(cert_path, e))?;
    Ok(())
}

/// Creates `path` (never over an existing file or link); `private`: 0600 on unix.
pub fn write_new(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// A listener that hands out finished TLS connections; plain HTTP gets [`WebText::UseHttps`].
pub struct TlsListener {
    rx: tokio::sync::mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    /// Starts accepting on `tcp` (must be called inside the runtime).
    pub fn new(tcp: TcpListener, config: Arc<rustls::ServerConfig>, https_url: String) -> std::io::Result<TlsListener> {
        let local = tcp.local_addr()?;
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let acceptor = TlsAcceptor::from(config);
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_HANDSHAKES));
        let https_url: Arc<str> = https_url.into();
        tokio::spawn(async move {
            loop {
                let (stream, peer) = match tcp.accept().await {
                    Ok(x) => x,
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                if tx.is_closed() {
                    break;
                }
                let Ok(slot) = slots.clone().try_acquire_owned() else {
                    continue; // too many handshakes at once: drop this connection
                };
                let (tx, acceptor, url) = (tx.clone(), acceptor.clone(), https_url.clone());
                tokio::spawn(async move {
                    let _slot = slot;
                    let _ = tokio::time::timeout(HANDSHAKE_TIMEOUT, async move {
                        let mut first = [0u8; 1];
                        if stream.peek(&mut first).await.ok()? == 0 {
                            return None;
                        }
                        // 0x16: a TLS handshake record. Anything else is plain text.
                        if first[0] != 0x16 {
                            refuse_plain(stream, &url).await;
                            return None;
                        }
                        let tls = acceptor.accept(stream).await.ok()?;
                        tx.send((tls, peer)).await.ok()
                    })
                    .await;
                });
            }
        });
        Ok(TlsListener { rx, local })
    }
}

/// Answers a plain-HTTP request on the HTTPS port: 400, the https:// address, closed.
async fn refuse_plain(mut stream: TcpStream, url: &str) {
    // Read the request first, so closing does not reset the connection before the answer is read.
    let mut buf = [0u8; 8192];
    let _ = tokio::time::timeout(Duration::from_millis(500), stream.read(&mut buf)).await;
    let body = WebText::UseHttps(url.to_string()).to_string();
    let head = format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let _ = stream.shutdown().await;
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.rx.recv().await {
            Some(x) => x,
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

/// The client's address, for the per-address slowdown of wrong passwords.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, TcpListener>> for Peer {
    fn connect_info(s: axum::serve::IncomingStream<'_, TcpListener>) -> Peer {
        Peer(*s.remote_addr())
    }
}

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, TlsListener>> for Peer {
    fn connect_info(s: axum::serve::IncomingStream<'_, TlsListener>) -> Peer {
        Peer(*s.remote_addr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = load_or_create(dir.path(), &["127.0.0.2".into(), "may-vp".into(), "0.0.0.0".into()]).unwrap();
        assert!(a.created);
        assert_eq!(a.fingerprint.len(), 32 * 3 - 1);
        let b = load_or_create(dir.path(), &["khac".into()]).unwrap();
        assert!(!b.created);
        assert_eq!(a.fingerprint, b.fingerprint, "kept between starts");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(TLS_DIR).join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
