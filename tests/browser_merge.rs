//! Two people on one text, in real Chromium: Văn phòng's clerk has February's
//! "Nhiệm vụ" open in the editor; meanwhile a colleague saves the same text
//! with a sentence added to its first line. The clerk adds hers to the last
//! line and saves: nothing is lost, the page says both were put together and
//! shows the text as stored, and her next save goes through as usual.

use std::path::Path;

use fantoccini::{Client, Locator};

use crate::browser::{chromium_here, connect, drive, shot, wait_js, Effort};
use crate::server::Server;

const CLERK: (&str, &str) = ("lan", "mat-khau-lan-1");
const COLLEAGUE: (&str, &str) = ("minh", "mat-khau-minh-1");
const TEMPLATE: &str = "templates/bao-cao-thang/nhiem-vu.txt";
const OWN: &str = "data/2026-02/bao-cao-thang/nhiem-vu.txt";
const HERS: &str = " Câu của chị Lan.";
const HIS: &str = " Câu của anh Minh.";
const LATER: &str = " Câu chị Lan thêm sau.";

#[test]
fn an_edit_saved_meanwhile_on_another_line_is_put_together_on_the_page_in_chromium() {
    if !chromium_here() {
        return;
    }
    let scratch = crate::common::Scratch::new();
    for ((name, password), full) in [(CLERK, "Nguyễn Thị Lan"), (COLLEAGUE, "Trần Văn Minh")] {
        let args = ["them", name, "--vai-tro", "van-phong", "--ten-day-du", full];
        let r = crate::server::accounts_cli(&scratch, &args, &format!("{password}\n"));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let s = Server::start_in(scratch, &[], &[]);
    drive(|port, profile| async move { merge_flow(&s, port, &profile).await });
}

async fn merge_flow(s: &Server, port: u16, profile: &Path) {
    let c = connect(port, profile).await;
    let mut e = Effort::default();
    c.goto(&format!("http://{}/", s.host())).await.unwrap();
    e.sign_in(&c, CLERK).await;
    let who = c.find(Locator::Css("header form.nguoi-dung")).await.unwrap().text().await.unwrap();
    assert!(who.contains("Nguyễn Thị Lan"), "the clerk by her name: {who}");
    e.click(&c, "a[href='/bao-cao/bao-cao-thang/2026-02']").await;
    e.click(&c, "a[href^='/doan/bao-cao-thang/nhiem-vu?']").await;
    c.wait().for_element(Locator::Id("van-ban")).await.unwrap();

    // Meanwhile the colleague, from the same text, adds to its first line.
    let given = s.scratch.read(TEMPLATE);
    let first = given.lines().next().unwrap().to_string();
    let his = given.replacen(&first, &format!("{first}{HIS}"), 1);
    s.sign_in(COLLEAGUE.0, COLLEAGUE.1);
    let body = serde_json::json!({"text": his, "hash": crate::server::sha(given.as_bytes()), "ky": "2026-02", "goc": given});
    let r = s.post_json("/api/doan/bao-cao-thang/nhiem-vu", &body);
    assert_eq!(r.status, 200, "{}", r.text());

    // The clerk, who still sees the text without his sentence, adds hers to the last line.
    end_of_last_line(&c).await;
    e.clicks += 1;
    e.type_in(&c, "#van-ban", HERS).await;
    let said = save(&c, &mut e).await;
    assert!(said.starts_with("Đã lưu") && said.contains("đã gộp cả hai"), "{said}");
    let shown = value(&c).await;
    let stored = s.scratch.read(OWN);
    assert_eq!(shown, stored, "the editor shows the text as stored");
    assert!(stored.contains(HIS) && stored.contains(HERS), "both sentences kept: {stored}");
    shot(&c, "g01-doan-da-gop").await;

    // Her next save starts from the text put together: no refusal, nothing to put together.
    end_of_last_line(&c).await;
    e.type_in(&c, "#van-ban", LATER).await;
    let said = save(&c, &mut e).await;
    assert!(said.starts_with("Đã lưu") && !said.contains("gộp"), "{said}");
    let stored = s.scratch.read(OWN);
    assert!([HIS, HERS, LATER].iter().all(|t| stored.contains(t)), "{stored}");
    assert_eq!(value(&c).await, stored);
    assert_eq!(s.scratch.read(TEMPLATE), given, "the report type's text untouched");
    println!("walk (two people, one text): {} clicks, {} keys", e.clicks, e.keys);
    c.close().await.unwrap();
}

/// The caret at the end of the editor's last line with text.
async fn end_of_last_line(c: &Client) {
    let script =
        "const t=document.getElementById('van-ban'); const n=t.value.trimEnd().length; t.focus(); t.setSelectionRange(n,n); return true;";
    c.execute(script, vec![]).await.unwrap();
}

/// "Lưu" pressed; what the page answers once it has.
async fn save(c: &Client, e: &mut Effort) -> String {
    // The answer to the save before is cleared first, never taken for this one's.
    c.execute("document.getElementById('doan-tb').textContent='';", vec![])
        .await
        .unwrap();
    e.click(c, "#form-doan button[type='submit']").await;
    let script = "const t=document.getElementById('doan-tb').textContent; return t && !t.startsWith('Đang') ? t : null;";
    wait_js(c, script, "the text saved").await.as_str().unwrap().to_string()
}

async fn value(c: &Client) -> String {
    c.find(Locator::Id("van-ban")).await.unwrap().prop("value").await.unwrap().unwrap()
}
