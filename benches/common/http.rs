//! A plain HTTP/1.1 client for loopback load: one request per connection.
//! Shared by the `serve_load` bench and the `browser_paint` test (which includes
//! this file by path), so both drive the server alike.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// (status, body) of one request with `Connection: close`.
pub fn request(port: u16, method: &str, path: &str, body: &[u8]) -> Result<(u16, Vec<u8>), String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(120))).map_err(|e| e.to_string())?;
    let host = format!("127.0.0.1:{port}");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if method == "POST" {
        req.push_str(&format!("Origin: http://{host}\r\nContent-Type: application/json\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    s.write_all(body).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).map_err(|e| e.to_string())?;
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no header end")?;
    let status = String::from_utf8_lossy(&buf[..end])
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status")?;
    Ok((status, buf[end + 4..].to_vec()))
}
