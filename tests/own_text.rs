//! Issue 25, a month's text belongs to that month: an edit for a period writes
//! only that period's own copy (made on first edit from the previous month's
//! own copy, else the template), `new-period` carries last month's own texts
//! into the new month, and the stale check names, sentence by sentence, what
//! the new month still says of the old one (fragment, line, column).

use crate::common::Scratch;
use baocao::internals::own_text::edit_target;
use baocao::internals::stale::report_sentences;
use baocao::Period;

const TEMPLATE: &str = "templates/bao-cao-thang/nhiem-vu.txt";

/// February's own text: the template's first line replaced by a dated sentence.
const FEB_TEXT: &str = "{{ stt() }}. Lũy kế đến ngày 25/02/2026 giải ngân đạt 20%; chuẩn bị đón Tết Nguyên đán.\n\n{{ stt() }}. Theo dõi thị trường {{ ky.nhan }}.\n";

#[test]
fn an_edit_for_february_writes_its_own_copy_and_march_starts_from_it_and_flags_its_dates() {
    let s = Scratch::new();
    let template = s.read(TEMPLATE);
    let feb: Period = "2026-02".parse().unwrap();
    let t = edit_target(&s.file("data"), &s.file("templates/bao-cao-thang"), feb, "nhiem-vu").unwrap();
    assert_eq!(t.path, s.file("data/2026-02/bao-cao-thang/nhiem-vu.txt"));
    assert_eq!(
        t.created_from,
        Some(s.file(TEMPLATE)),
        "February has no previous own copy: the template"
    );
    assert_eq!(std::fs::read_to_string(&t.path).unwrap(), template);
    std::fs::write(&t.path, FEB_TEXT).unwrap();
    assert_eq!(s.read(TEMPLATE), template, "the shared template is never written");
    let feb_pdf = |s: &Scratch| {
        let r = s.run(&["render", "--period", "2026-02"]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("phiên bản 1."), "February's PDF changed: {}", r.stdout);
        std::fs::read(s.file("out/bao-cao-thang-2026-02.pdf")).unwrap()
    };
    let feb_before = feb_pdf(&s);

    let r = s.run(&["new-period", "2026-03", "--from", "2026-02"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        s.read("data/2026-03/bao-cao-thang/nhiem-vu.txt"),
        FEB_TEXT,
        "March starts from February's text"
    );

    let march: Period = "2026-03".parse().unwrap();
    let again = edit_target(&s.file("data"), &s.file("templates/bao-cao-thang"), march, "nhiem-vu").unwrap();
    assert_eq!(
        again.created_from, None,
        "March's copy exists: an edit writes it, nothing is copied over it"
    );
    std::fs::write(&again.path, "Tháng 3 đã sửa.\n").unwrap();
    assert_eq!(
        s.read("data/2026-02/bao-cao-thang/nhiem-vu.txt"),
        FEB_TEXT,
        "February unchanged by March's edit"
    );
    assert!(feb_pdf(&s) == feb_before, "February's PDF is byte-identical after March's edit");

    // Back to February's text in March: the stale sentences, with their place.
    std::fs::write(&again.path, FEB_TEXT).unwrap();
    let found = report_sentences(
        s.path(),
        &s.file("templates/bao-cao-thang"),
        &s.file("data/2026-03/bao-cao-thang"),
        march,
    );
    let mine: Vec<_> = found.iter().filter(|x| x.fragment == "nhiem-vu").collect();
    assert_eq!(mine.len(), 2, "{mine:#?}");
    assert_eq!(mine[0].file, std::path::Path::new("data/2026-03/bao-cao-thang/nhiem-vu.txt"));
    assert_eq!((mine[0].line, mine[0].column), (1, 1));
    assert_eq!(mine[0].sentence, "{{ stt() }}. Lũy kế đến ngày 25/02/2026 giải ngân đạt 20%;");
    assert_eq!(mine[0].hits[0].1.text, "25/02/2026");
    let col = FEB_TEXT.split("25/02").next().unwrap().chars().count() + 1;
    assert_eq!((mine[0].hits[0].0, mine[0].hits[0].1.column), (1, col));
    assert_eq!(mine[1].sentence, "chuẩn bị đón Tết Nguyên đán.");
    assert!(mine[1].hits[0].1.reason.contains("tháng 12, 01, 02"), "{:?}", mine[1].hits);
}

/// The page edits the text of the period it was opened for (`?ky=`), not the
/// current one: February's report page, after March was started, edits
/// February's own copy and leaves March's text alone; a period that is not a
/// period name is refused without writing.
#[test]
fn the_text_page_edits_the_period_it_was_opened_for() {
    let scratch = Scratch::new();
    let r = scratch.run(&["new-period", "2026-03"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let s = crate::server::Server::start_in(scratch, &[], &[]);
    let report = s.get("/bao-cao/bao-cao-thang/2026-02").text();
    assert!(
        report.contains("/doan/bao-cao-thang/nhiem-vu?ky=2026-02"),
        "the report page links its own period's text"
    );
    let page = s.get("/doan/bao-cao-thang/nhiem-vu?ky=2026-02");
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("tháng 02 năm 2026"), "{}", page.text());
    let text = s.scratch.read(TEMPLATE);
    let hash = crate::server::sha(text.as_bytes());
    let edited = text.replacen("{{ stt() }}.", "{{ stt() }}. Câu riêng của tháng 02.", 1);
    let body = serde_json::json!({"text": edited, "hash": hash, "ky": "2026-02"});
    let saved = s.post_json("/api/doan/bao-cao-thang/nhiem-vu", &body);
    assert_eq!(saved.status, 200, "{}", saved.text());
    assert!(s
        .scratch
        .read("data/2026-02/bao-cao-thang/nhiem-vu.txt")
        .contains("Câu riêng của tháng 02."));
    assert!(
        !s.scratch.file("data/2026-03/bao-cao-thang/nhiem-vu.txt").exists(),
        "March's text untouched"
    );
    for bad in ["../2026-02", "2026-2", "2026-02/x", "2019-01"] {
        let body = serde_json::json!({"text": "x", "hash": "x", "ky": bad});
        let r = s.post_json("/api/doan/bao-cao-thang/nhiem-vu", &body);
        assert!(r.status == 400 || r.status == 404, "{bad}: {} {}", r.status, r.text());
    }
    assert_eq!(s.scratch.read(TEMPLATE), text, "the template is never written");
    assert!(
        !s.scratch.file("data/2019-01").exists(),
        "a period from a request never makes a folder"
    );
    assert_eq!(s.get("/doan/bao-cao-thang/nhiem-vu?ky=2019-01").status, 404);
}

/// Two people edit February's text from the same page load: edits of different
/// lines are both kept (the second is answered with the text put together); an
/// edit of the same line, or a "text as given" that is not what was given, is refused.
#[test]
fn two_edits_of_one_text_on_different_lines_are_both_kept() {
    let s = crate::server::Server::start(&[]);
    let own = "data/2026-02/bao-cao-thang/nhiem-vu.txt";
    let given = s.scratch.read(TEMPLATE);
    let hash = crate::server::sha(given.as_bytes());
    let lines: Vec<&str> = given.lines().collect();
    assert!(lines.len() > 8, "{given}");
    let (first, last) = (lines[0].to_string(), lines[lines.len() - 1].to_string());
    let save = |text: &str, goc: &str, hash: &str| {
        let body = serde_json::json!({"text": text, "hash": hash, "ky": "2026-02", "goc": goc});
        s.post_json("/api/doan/bao-cao-thang/nhiem-vu", &body)
    };
    let a = given.replacen(&first, &format!("{first} Câu của người thứ nhất."), 1);
    let r = save(&a, &given, &hash);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["gop"].is_null(), "nothing to put together: {}", r.text());
    // The second person, from the same page load, changed the last line.
    let b = given.replacen(&last, &format!("{last} Câu của người thứ hai."), 1);
    let r = save(&b, &given, &hash);
    assert_eq!(r.status, 200, "{}", r.text());
    let stored = s.scratch.read(own);
    assert!(
        stored.contains("Câu của người thứ nhất.") && stored.contains("Câu của người thứ hai."),
        "{stored}"
    );
    assert_eq!(r.json()["gop"].as_str(), Some(stored.as_str()), "the page is given the text stored");
    assert_eq!(r.json()["hash"].as_str(), Some(crate::server::sha(stored.as_bytes()).as_str()));
    // A third, from the same load, changed the first line differently: refused, nothing written.
    let c = given.replacen(&first, &format!("{first} Câu khác."), 1);
    let r = save(&c, &given, &hash);
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("đã được sửa ở nơi khác"), "{}", r.text());
    // A "text as given" that was not given is not believed.
    let r = save(&b, &a, &hash);
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(s.scratch.read(own), stored, "a refused edit writes nothing");
}
