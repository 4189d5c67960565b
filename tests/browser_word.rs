//! From a Word document to a report type on the page, in real Chromium (issue 29,
//! acceptance 3): Văn phòng opens "Loại báo cáo", uploads the resolution's .docx,
//! keeps two figures as figures (and turns one back into words), changes the
//! signer in the settings form, makes the PDF on the report page and downloads
//! it; the PDF's text has the new signer and the document's figures.

use std::path::Path;

use fantoccini::{Client, Locator};

use crate::browser::{base64_decode, chromium_here, connect, dialog, drive, shot, wait_js, Effort};
use crate::server::Server;

const OFFICE: (&str, &str) = ("van-phong", "mat-khau-vp-1");
const SIGNER: &str = "Giàng A Páo";

#[test]
fn a_word_file_becomes_a_report_type_on_the_page_in_chromium() {
    if !chromium_here() {
        return;
    }
    let scratch = crate::common::Scratch::new();
    let r = crate::server::accounts_cli(&scratch, &["them", OFFICE.0, "--vai-tro", "van-phong"], "mat-khau-vp-1\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = Server::start_in(scratch, &[], &[]);
    drive(|port, profile| async move { word_flow(&s, port, &profile).await });
}

async fn word_flow(s: &Server, port: u16, profile: &Path) {
    let c = connect(port, profile).await;
    let mut e = Effort::default();
    c.goto(&format!("http://{}/", s.host())).await.unwrap();
    e.sign_in(&c, OFFICE).await;
    e.click(&c, "header nav a[href='/loai-moi']").await;
    c.wait().for_element(Locator::Id("word-form")).await.unwrap();
    let docx = crate::common::repo().join("tests/fixtures/word/nghi-quyet.docx");
    c.find(Locator::Id("word-tep"))
        .await
        .unwrap()
        .send_keys(&docx.display().to_string())
        .await
        .unwrap();
    e.clicks += 2;
    e.click(&c, "#word-ten").await;
    e.type_in(&c, "#word-ten", "nghi-quyet-giao-duc").await;
    shot(&c, "w01-nhap-word").await;
    e.click(&c, "#word-gui").await;
    wait_js(
        &c,
        "return location.pathname === '/loai/nghi-quyet-giao-duc';",
        "the new type's page",
    )
    .await;
    shot(&c, "w02-so-lieu-nhap").await;
    let waiting = c.find(Locator::Css("#so-lieu")).await.unwrap().text().await.unwrap();
    assert!(waiting.contains("số chờ xem"), "{waiting}");

    // Two figures kept, one turned back into the document's words (it asks first).
    for code in ["mau_giao", "tieu_hoc"] {
        e.click(&c, &format!("#giu-{code}")).await;
        let kept = format!("const r=document.getElementById('so-{code}'); return r && r.classList.contains('da-giu');");
        wait_js(&c, &kept, "figure kept").await;
    }
    e.click(&c, "#chu-trung_hoc_co_so").await;
    let ask = dialog(&c).await;
    assert!(ask.contains("98%"), "{ask}");
    c.accept_alert().await.unwrap();
    e.clicks += 1;
    wait_js(
        &c,
        "return !document.getElementById('so-trung_hoc_co_so') && location.search.includes('da=chu');",
        "turned back",
    )
    .await;
    shot(&c, "w03-da-giu-va-tra-ve-chu").await;

    // The signer, changed in the settings form.
    let signer = c.find(Locator::Id("nguoi-ky")).await.unwrap();
    signer.clear().await.unwrap();
    e.click(&c, "#nguoi-ky").await;
    e.type_in(&c, "#nguoi-ky", SIGNER).await;
    e.click(&c, "#luu-thiet-lap").await;
    wait_js(&c, "return location.search.includes('da=thiet-lap');", "settings saved").await;
    shot(&c, "w04-thiet-lap").await;
    let toml = s.scratch.read("templates/nghi-quyet-giao-duc/mau.toml");
    assert!(toml.contains(&format!("nguoi_ky = \"{SIGNER}\"")), "{toml}");

    // The Word text beside the rendered one.
    e.click(&c, "#so-sanh-word").await;
    let cmp = c.wait().for_element(Locator::Css("main h1")).await.unwrap().text().await.unwrap();
    assert!(cmp.contains("so với tệp Word"), "{cmp}");
    shot(&c, "w05-so-sanh-word").await;
    c.back().await.unwrap();

    // The report page: make the PDF, download it.
    e.click(&c, "#xem-ban-dung").await;
    c.wait().for_element(Locator::Css("button.tao-pdf")).await.unwrap();
    s.sign_in(OFFICE.0, OFFICE.1);
    let st = s.wait_preview("nghi-quyet-giao-duc/2026-03", 0);
    let before = st["generation"].as_u64().unwrap();
    e.click(&c, "button.tao-pdf").await;
    let st = s.wait_render("nghi-quyet-giao-duc/2026-03", before);
    assert_eq!(st["version"].as_u64(), Some(1), "{st}");
    // The page lists the new version by itself (it loads itself again once):
    // no reload by hand, which would race with the page's own.
    wait_js(&c, "return !!document.getElementById('tai-pdf');", "the new version listed").await;
    let pdf = download(&c).await;
    shot(&c, "w06-bao-cao").await;
    println!("walk (Word import): {} clicks, {} keys", e.clicks, e.keys);
    c.close().await.unwrap();

    assert!(pdf.starts_with(b"%PDF"));
    let (run, dump) = s.scratch.render_text(&["--report", "nghi-quyet-giao-duc", "--period", "2026-03"]);
    let again = std::fs::read(s.scratch.path().join(run.last_line())).unwrap();
    assert_eq!(
        crate::server::sha(&again),
        crate::server::sha(&pdf),
        "the download is the current render"
    );
    let text = crate::common::flat(&dump);
    for needle in [SIGNER, "Mẫu giáo đạt 99,8%, tiểu học đạt 99,9%, trung học cơ sở đạt 98%"] {
        assert!(text.contains(needle), "{needle:?} not in the PDF: {text}");
    }
    let fragment = s.scratch.read("templates/nghi-quyet-giao-duc/muc-2-2.txt");
    assert!(fragment.contains("trung học cơ sở đạt 98%") && fragment.contains("nghi_quyet_giao_duc.tieu_hoc"));
}

/// The "Tải PDF" link's bytes, fetched by the page itself.
async fn download(c: &Client) -> Vec<u8> {
    let href = wait_js(
        c,
        "const a=document.getElementById('tai-pdf'); return a && a.getAttribute('href');",
        "Tải PDF",
    )
    .await;
    let href = href.as_str().unwrap();
    let pdf = wait_js(
        c,
        &format!(
            "const x=new XMLHttpRequest(); x.open('GET','{href}',false); x.overrideMimeType('text/plain; charset=x-user-defined'); x.send(); \
             if (x.status!==200) return null; let h=''; for (let i=0;i<x.responseText.length;i++) h+=String.fromCharCode(x.responseText.charCodeAt(i)&255); return btoa(h);"
        ),
        "PDF download",
    )
    .await;
    base64_decode(pdf.as_str().unwrap())
}
