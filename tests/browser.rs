//! The real server in Debian's Chromium (chromium + chromium-driver, driven over
//! WebDriver with fantoccini): home -> February 2026 -> đàn trâu 84.860 -> 90.000
//! -> the preview page shows 90.000 and the recomputed total -> the PDF.
//! Skipped, with a message, when /usr/bin/chromedriver is missing.
//! Screenshots go to target/browser-screens/.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::server::Server;
use fantoccini::{Client, ClientBuilder, Locator};

const DRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn screens() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-screens");
    std::fs::create_dir_all(&d).unwrap();
    d
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screens().join(format!("{name}.png")), png).unwrap();
}

async fn wait_js(c: &Client, script: &str, what: &str) -> serde_json::Value {
    let t = Instant::now();
    loop {
        let v = c.execute(script, vec![]).await.unwrap();
        if !(v.is_null() || v == false) {
            return v;
        }
        assert!(t.elapsed() < Duration::from_secs(90), "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn connect(port: u16, profile: &Path) -> Client {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1366,768",
    ];
    let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), serde_json::json!({ "binary": CHROMIUM, "args": args }));
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let t = Instant::now();
    loop {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return c,
            Err(e) => {
                assert!(t.elapsed() < Duration::from_secs(30), "chromedriver: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}

#[test]
fn clerk_corrects_dan_trau_in_chromium() {
    if !Path::new(DRIVER).exists() || !Path::new(CHROMIUM).exists() {
        println!("browser test skipped: {DRIVER} or {CHROMIUM} missing (apt-get install chromium chromium-driver)");
        return;
    }
    let s = Server::start(&[]);
    drive(|port, profile| async move { flow(&s, port, &profile).await });
}

async fn flow(s: &Server, port: u16, profile: &Path) {
    let c = connect(port, profile).await;
    c.goto(&s.url).await.unwrap();
    shot(&c, "1-trang-chu").await;
    c.find(Locator::Css("a[href='/so-lieu/2026-02?bao_cao=bao-cao-thang']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css("#bang")).await.unwrap();
    c.find(Locator::Css("nav.the a[href*='tep=nong_nghiep.csv']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let cell = c
        .wait()
        .for_element(Locator::Css("tr[data-code='dan_trau'] input[data-col='gia_tri']"))
        .await
        .unwrap();
    assert_eq!(cell.prop("value").await.unwrap().as_deref(), Some("84.860"));
    // Wait for the first preview (all page images painted).
    wait_js(
        &c,
        "const i=[...document.querySelectorAll('#trang img')]; return i.length>=10 && i.every(x=>x.complete && x.naturalWidth>0);",
        "first preview",
    )
    .await;
    shot(&c, "2-so-lieu").await;

    // Correct the figure several times; the last one is 90.000. Each time: request -> changed image painted.
    let values = ["85.000", "86.000", "87.000", "88.000", "90.000"];
    for (i, v) in values.iter().enumerate() {
        let cell = c
            .find(Locator::Css("tr[data-code='dan_trau'] input[data-col='gia_tri']"))
            .await
            .unwrap();
        cell.clear().await.unwrap();
        cell.send_keys(&format!("{v}\u{E007}")).await.unwrap();
        wait_js(
            &c,
            &format!("return window.baocaoPaint.length >= {};", i + 1),
            "updated page painted",
        )
        .await;
    }
    let times: Vec<f64> = serde_json::from_value(c.execute("return window.baocaoPaint;", vec![]).await.unwrap()).unwrap();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "browser: request -> updated page painted, ms: {times:?}; median {:.0} ms",
        sorted[sorted.len() / 2]
    );

    // The table shows the recomputed total; the changed preview page shows 90.000 and it.
    let total = "return document.querySelector(\"tr[data-code='dan_gia_suc'] .so-sanh\").textContent.includes('336.770');";
    wait_js(&c, total, "recomputed total in the table").await;
    let page_text = wait_js(
        &c,
        "const imgs=[...document.querySelectorAll('#trang img')]; const g=Math.max(...imgs.map(i=>+i.dataset.gen)); \
         const n=imgs.findIndex(i=>+i.dataset.gen===g)+1; const x=new XMLHttpRequest(); \
         x.open('GET','/chu/bao-cao-thang/2026-02/'+n,false); x.send(); window.__changed=n; return x.responseText;",
        "changed page text",
    )
    .await;
    let page_text = page_text.as_str().unwrap().to_string();
    assert!(page_text.contains("90.000") && page_text.contains("336.770"), "{page_text}");
    let n = c.execute("return window.__changed;", vec![]).await.unwrap();
    c.execute(&format!("document.querySelectorAll('#trang img')[{n}-1].scrollIntoView();"), vec![])
        .await
        .unwrap();
    shot(&c, "3-xem-truoc-sau-khi-sua").await;

    // The report page: "Tạo PDF" makes the version of the last state (an edit
    // updates the preview only), then download it.
    let made = s.post_json("/api/tao-pdf/bao-cao-thang/2026-02", &serde_json::json!({}));
    assert_eq!(made.status, 200, "{}", made.text());
    s.wait_render("bao-cao-thang/2026-02", 0);
    c.goto(&format!("http://{}/bao-cao/bao-cao-thang/2026-02", s.host())).await.unwrap();
    wait_js(
        &c,
        "return document.querySelectorAll('#trang img').length>=10 && document.getElementById('trang-thai').textContent.includes('PDF');",
        "report page",
    )
    .await;
    shot(&c, "4-bao-cao").await;
    let href = c.find(Locator::Id("tai-pdf")).await.unwrap().attr("href").await.unwrap().unwrap();
    let pdf = wait_js(
        &c,
        &format!("const x=new XMLHttpRequest(); x.open('GET','{href}',false); x.overrideMimeType('text/plain; charset=x-user-defined'); x.send(); \
                  if (x.status!==200) return null; let h=''; for (let i=0;i<x.responseText.length;i++) h+=String.fromCharCode(x.responseText.charCodeAt(i)&255); return btoa(h);"),
        "PDF download",
    )
    .await;
    let pdf = base64_decode(pdf.as_str().unwrap());
    assert!(pdf.starts_with(b"%PDF"));
    c.close().await.unwrap();
    check_pdf_text(s, &pdf);
}

/// A department signs in through the login page, enters a figure of its own
/// sector and marks it sent; the status page shows it (screenshots 5-7).
#[test]
fn department_signs_in_and_marks_its_sector_sent_in_chromium() {
    if !Path::new(DRIVER).exists() || !Path::new(CHROMIUM).exists() {
        println!("browser test skipped: {DRIVER} or {CHROMIUM} missing (apt-get install chromium chromium-driver)");
        return;
    }
    let scratch = crate::common::Scratch::new();
    let r = crate::server::accounts_cli(&scratch, &["them", "van-phong", "--vai-tro", "van-phong"], "mat-khau-vp-1\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = crate::server::accounts_cli(
        &scratch,
        &["them", "so-y-te", "--vai-tro", "so", "--linh-vuc", "y_te"],
        "mat-khau-y-te\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = Server::start_in(scratch, &[], &[]);
    drive(|port, profile| async move { department_flow(&s, port, &profile).await });
}

/// Starts chromedriver on a free port with a fresh profile and runs `flow` against it.
fn drive<F: std::future::Future<Output = ()>>(flow: impl FnOnce(u16, std::path::PathBuf) -> F) {
    let port = free_port();
    let _driver = Driver(
        Command::new(DRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let profile = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(flow(port, profile.path().to_path_buf()));
}

async fn department_flow(s: &Server, port: u16, profile: &Path) {
    let c = connect(port, profile).await;
    c.goto(&format!("http://{}/nop/2026-02", s.host())).await.unwrap();
    c.wait().for_element(Locator::Css("form.dang-nhap")).await.unwrap();
    assert!(c.current_url().await.unwrap().as_str().contains("/dang-nhap?tiep=/nop/2026-02"));
    c.find(Locator::Id("ten")).await.unwrap().send_keys("so-y-te").await.unwrap();
    c.find(Locator::Id("mat_khau"))
        .await
        .unwrap()
        .send_keys("mat-khau-y-te")
        .await
        .unwrap();
    shot(&c, "5-dang-nhap").await;
    c.find(Locator::Css("form.dang-nhap button")).await.unwrap().click().await.unwrap();
    let row = c.wait().for_element(Locator::Css("tr.tt-dang-nhap")).await.unwrap();
    assert!(row.text().await.unwrap().contains("y_te.csv"));
    let rows = c.find_all(Locator::Css("table.nop tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 1, "a department sees only its own file");
    c.find(Locator::Css("form[action='/nop/2026-02/y_te.csv/gui'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let sent = c.wait().for_element(Locator::Css("tr.tt-da-gui")).await.unwrap();
    let text = sent.text().await.unwrap();
    assert!(text.contains("đã gửi") && text.contains("so-y-te"), "{text}");
    shot(&c, "6-trang-thai-nop").await;
    c.goto(&format!("http://{}/so-lieu/2026-02", s.host())).await.unwrap();
    c.wait().for_element(Locator::Css("#bang")).await.unwrap();
    let tabs = c.find_all(Locator::Css("nav.the a")).await.unwrap();
    assert_eq!(tabs.len(), 1, "figures page lists other sectors");
    shot(&c, "7-so-lieu-so-y-te").await;
    c.close().await.unwrap();
}

/// The downloaded PDF's text: renders are deterministic, so rendering the same
/// inputs again with the text dump (baocao::internals::text) gives these very bytes
/// and the text laid out in them.
fn check_pdf_text(s: &Server, pdf: &[u8]) {
    let (run, text) = s.scratch.render_text(&[]);
    let again = std::fs::read(s.scratch.path().join(run.last_line())).unwrap();
    assert_eq!(
        crate::server::sha(&again),
        crate::server::sha(pdf),
        "the downloaded PDF is the current render"
    );
    let flat = crate::common::flat(&text);
    assert!(flat.contains("trâu 90.000 con"), "PDF text lacks 90.000");
    assert!(flat.contains("336.770"), "PDF text lacks the recomputed total");
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=').map(val).collect();
    bytes
        .chunks(4)
        .flat_map(|ch| {
            let n = ch.iter().enumerate().fold(0u32, |acc, (i, &v)| acc | ((v as u32) << (18 - 6 * i)));
            let out = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            out.into_iter().take(ch.len().saturating_sub(1))
        })
        .collect()
}
