//! The month on one page, its figures and periods half (issue 25): sample data never
//! taken for real, `new-period` for real months only and never moving another
//! report type's data, department files read as they come, the draft preview with
//! placeholders, and the complete list of what is left.

use crate::common::*;

use baocao::internals::exchange;
use baocao::CheckOptions;
use baocao::Project;

/// The cells of column `col` in a CSV of the scratch project.
fn column(s: &Scratch, rel: &str, col: &str) -> Vec<String> {
    let text = s.read(rel);
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let i = rdr.headers().unwrap().iter().position(|h| h == col).unwrap();
    rdr.records().map(|r| r.unwrap()[i].to_string()).collect()
}

#[test]
fn new_period_refuses_a_quarter_saying_it_is_built_from_its_months() {
    let s = Scratch::new();
    let r = s.run(&["new-period", "2026-Q2"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("2026-Q2 (quý II năm 2026) không tạo bằng new-period: kỳ dài hơn một tháng được tổng hợp từ các tháng"),
        "{}",
        r.stderr
    );
    assert!(!s.file("data/2026-Q2").exists(), "nothing is created");
    let from = s.run(&["new-period", "2026-04", "--from", "2026-Q1"]);
    assert_eq!(from.code, 1, "a quarter is no source either: {}", from.stdout);
}

#[test]
fn new_period_keeps_another_report_types_data_in_place_and_names_everything() {
    let s = Scratch::new();
    let resolution = s.read("data/2026-03/nghi-quyet-tinh-uy/giao_duc.csv");
    let n = s.run(&["new-period", "2026-03"]);
    assert_eq!(n.code, 0, "{}{}", n.stdout, n.stderr);
    assert!(
        n.stdout
            .contains("Tạo tháng 3 năm 2026 (data/2026-03) từ tháng 02 năm 2026 (data/2026-02)."),
        "{}",
        n.stdout
    );
    assert!(
        n.stdout.contains("data/2026-03/nghi-quyet-tinh-uy giữ nguyên tại chỗ"),
        "the kept folder is named: {}",
        n.stdout
    );
    assert!(n.stdout.contains("Chép 14 tệp số liệu của tháng 02 năm 2026"), "{}", n.stdout);
    assert_eq!(s.read("data/2026-03/nghi-quyet-tinh-uy/giao_duc.csv"), resolution, "never moved");
    assert!(!s.file("data/_mau/2026-03/nghi-quyet-tinh-uy").exists());
    assert!(
        s.file("data/_mau/2026-03/SO-LIEU-MAU.md").is_file(),
        "the sample's own files are aside"
    );
    // The resolution of March still renders (it did not drop out of render --all).
    let r = s.run(&["render", "--report", "nghi-quyet-tinh-uy", "--period", "2026-03"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn a_new_year_takes_no_prior_year_values_from_a_sample_month() {
    let s = Scratch::new();
    let n = s.run(&["new-period", "2027-01"]);
    assert_eq!(n.code, 0, "{}{}", n.stdout, n.stderr);
    assert!(
        n.stdout.contains("từ tháng 02 năm 2026 (data/2026-02)"),
        "the newest real month: {}",
        n.stdout
    );
    assert!(
        n.stdout
            .contains("tháng 01 năm 2026 (data/2026-01) là số liệu mẫu nên không lấy số cùng kỳ"),
        "{}",
        n.stdout
    );
    let sample_jan = column(&s, "data/2026-01/y_te.csv", "gia_tri");
    assert!(sample_jan.iter().any(|v| !v.is_empty()), "the sample has values to leak");
    for sector in ["y_te", "nong_nghiep", "tai_chinh"] {
        let prior = column(&s, &format!("data/2027-01/{sector}.csv"), "cung_ky");
        assert!(prior.iter().all(String::is_empty), "{sector}: {prior:?}");
    }
}

#[test]
fn a_real_month_never_sums_a_sample_month_into_its_luy_ke() {
    let s = Scratch::new();
    let c = s.run(&["check", "--period", "2026-02"]);
    assert!(
        c.stdout.contains("data/2026-01/SO-LIEU-MAU.md: tháng 01 năm 2026 là số liệu mẫu")
            && c.stdout.contains("không được dùng để tính lũy kế"),
        "{}",
        c.stdout
    );
    let p = Project::open(s.path());
    let feb = p.load_data("2026-02".parse().unwrap(), false).unwrap();
    assert!(feb.sectors.values().flat_map(|x| &x.indicators).all(|i| i.cumulative.is_none()));
    assert!(p.is_sample_period("2026-Q1".parse().unwrap()));
    assert!(!p.is_sample_period("2026-02".parse().unwrap()));
    let plan = p.next_month_plan().unwrap();
    assert_eq!(plan.period.to_string(), "2026-03", "the month after the newest real one");
    assert_eq!(plan.from.to_string(), "2026-02");
}

#[test]
fn a_sample_published_quarter_figure_never_overrides_real_months() {
    let s = Scratch::new();
    // January and March become real (their markers removed): the quarter is real.
    std::fs::remove_file(s.file("data/2026-01/SO-LIEU-MAU.md")).unwrap();
    std::fs::remove_file(s.file("data/2026-03/SO-LIEU-MAU.md")).unwrap();
    let p = Project::open(s.path());
    let q1 = p.load_data("2026-Q1".parse().unwrap(), true).unwrap();
    let months: f64 = ["2026-01", "2026-02", "2026-03"]
        .iter()
        .map(|m| {
            p.load_data(m.parse().unwrap(), false)
                .unwrap()
                .get("cong_nghiep", "gtsx")
                .unwrap()
                .value
                .unwrap()
        })
        .sum();
    let got = q1.get("cong_nghiep", "gtsx").unwrap().value.unwrap();
    assert!(
        (got - months).abs() < 1e-6,
        "the real sum {months}, not the sample's published figure: {got}"
    );
    let text = q1.findings.to_string();
    assert!(text.contains("số công bố trong thư mục này là số liệu mẫu"), "{text}");
}

#[test]
fn the_header_row_is_found_under_title_rows_and_a_file_without_one_gets_one_hint() {
    let s = Scratch::new();
    let csv = s.read("data/2026-02/y_te.csv");
    s.write(
        "data/2026-02/y_te.csv",
        format!(
            "\u{feff}BÁO CÁO SỐ LIỆU NGÀNH Y TẾ THÁNG 02/2026,,,\nĐơn vị: Sở Y tế,,,\n,,,\n{}",
            csv.trim_start_matches('\u{feff}')
        ),
    );
    let c = s.run(&["check", "--period", "2026-02"]);
    assert!(
        !c.stdout.contains("y_te.csv") || !c.stdout.contains("LỖI: data/2026-02/y_te.csv"),
        "{}",
        c.stdout
    );
    s.write(
        "data/2026-02/y_te.csv",
        "BÁO CÁO Y TẾ\nSTT;Chỉ tiêu;ĐVT;Số liệu\n1;Ca bệnh;ca;3\n2;Tiêm chủng;trẻ;4\n",
    );
    let c = s.run(&["check", "--period", "2026-02"]);
    let errors: Vec<&str> = c.stdout.lines().filter(|l| l.starts_with("LỖI: data/2026-02/y_te.csv")).collect();
    assert_eq!(errors.len(), 1, "{}", c.stdout);
    assert!(errors[0].contains("không tìm thấy dòng tiêu đề cột"), "{}", errors[0]);
}

/// An .xlsx as a department sends it: a merged title row above the header, a formula with its cached value.
fn department_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    ws.merge_range(0, 0, 0, 3, "SỐ LIỆU Y TẾ THÁNG 3/2026", &rust_xlsxwriter::Format::new())
        .unwrap();
    for (j, h) in ["ma", "ten", "don_vi", "gia_tri"].iter().enumerate() {
        ws.write_string(2, j as u16, *h).unwrap();
    }
    ws.write_string(3, 0, "ca").unwrap();
    ws.write_string(3, 1, "=Số ca").unwrap();
    ws.write_string(3, 2, "ca").unwrap();
    ws.write_formula(3, 3, rust_xlsxwriter::Formula::new("=2+3").set_result("5"))
        .unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn an_uploaded_xlsx_with_a_title_row_becomes_the_stored_csv_and_downloads_are_excel_safe() {
    let name = exchange::upload_name("y_te-2026-03 (1).xlsx").unwrap();
    assert_eq!(name.sector, "y_te");
    let mut f = baocao::Findings::default();
    let shown = std::path::Path::new("y_te-2026-03 (1).xlsx");
    exchange::check_name_period(&name, "2026-04".parse().unwrap(), shown, &mut f);
    assert!(
        f.to_string()
            .contains("tên tệp ghi tháng 3 năm 2026 nhưng đang nhập vào tháng 4 năm 2026"),
        "{f}"
    );
    let t = exchange::read_upload(&department_xlsx(), &name, shown, "y_te", &mut f).expect("read");
    assert_eq!(
        t.header,
        ["ma", "ten", "don_vi", "gia_tri"],
        "the header under the merged title row"
    );
    let stored = "\u{feff}ma;ten;gia_tri;don_vi;ghi_chu\r\nca;Số ca;;ca;\r\n".as_bytes();
    let out = exchange::to_stored_format(&t, stored, false).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "\u{feff}ma;ten;gia_tri;don_vi;ghi_chu\nca;=Số ca;5;ca;\n"
    );
    // A download: BOM, the formula-looking name prefixed; reading it back gives the same values.
    let csv = exchange::table_csv(&t);
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(text.contains("ca,'=Số ca,ca,5"), "{text}");
    let back = exchange::read_upload(&csv, &exchange::upload_name("y_te.csv").unwrap(), shown, "y_te", &mut f).unwrap();
    let again = exchange::to_stored_format(&back, stored, false).unwrap();
    assert_eq!(again, exchange::to_stored_format(&t, stored, false).unwrap(), "round trip");
    let xlsx = exchange::table_xlsx(&t).unwrap();
    assert!(xlsx.starts_with(b"PK"));
}

#[test]
fn a_file_of_last_months_values_is_said_to_be_so() {
    let feb_dir = repo().join("data/2026-02");
    let feb = baocao::internals::read_folder(&repo(), &feb_dir, "2026-02".parse().unwrap()).unwrap();
    let name = exchange::upload_name("y_te.csv").unwrap();
    let shown = std::path::Path::new("y_te.csv");
    let mut f = baocao::Findings::default();
    let bytes = std::fs::read(feb_dir.join("y_te.csv")).unwrap();
    let sent_again = exchange::read_upload(&bytes, &name, shown, "y_te", &mut f).unwrap();
    exchange::check_not_last_month(&sent_again, &feb, shown, &mut f);
    assert!(f.to_string().contains("giá trị của tệp giống hệt tháng 02 năm 2026"), "{f}");
    // One value changed: a real new month, nothing said.
    let text = String::from_utf8(bytes).unwrap();
    let line = text.lines().find(|l| l.starts_with("tay_chan_mieng,")).unwrap();
    let cells: Vec<&str> = line.split(',').collect();
    let changed = [&cells[..3], &["999"], &cells[4..]].concat().join(",");
    let new = exchange::read_upload(text.replace(line, &changed).as_bytes(), &name, shown, "y_te", &mut f).unwrap();
    let mut g = baocao::Findings::default();
    exchange::check_not_last_month(&new, &feb, shown, &mut g);
    assert!(g.0.is_empty(), "{g}");
}

#[test]
fn the_draft_preview_shows_placeholders_and_a_version_is_refused_naming_them() {
    let s = Scratch::new();
    let line = s
        .read("data/2026-02/y_te.csv")
        .lines()
        .find(|l| l.starts_with("tay_chan_mieng,"))
        .unwrap()
        .to_string();
    let cells: Vec<&str> = line.split(',').collect();
    let blank = [&cells[..3], &[""], &cells[4..]].concat().join(",");
    s.edit("data/2026-02/y_te.csv", &line, &blank);
    let p = Project::open(s.path());
    let req = p.request("bao-cao-thang", "2026-02").unwrap();
    let mut laid = p
        .lay_out_pages(&mut p.world(), &req, CheckOptions::draft())
        .expect("a draft lays out");
    // To look at it: BAOCAO_KEEP_DRAFT=/tmp/draft.pdf cargo test ... the_draft_preview
    if let Ok(path) = std::env::var("BAOCAO_KEEP_DRAFT") {
        baocao::internals::export_pdf(&mut laid).unwrap();
        std::fs::write(path, &laid.pdf).unwrap();
    }
    let text = baocao::internals::text::dump(&laid.document);
    let name = cells[1];
    assert!(text.contains(&format!("[chưa có: {name}]")), "placeholder for {name}");
    let refused = p.lay_out_pages(&mut p.world(), &req, CheckOptions::default());
    let Err(e @ baocao::Error::Unfilled { count: 1, .. }) = refused else {
        panic!("a version is refused: {:?}", refused.err())
    };
    // Named as people know it, then where it is.
    assert!(e.to_string().contains(&format!("{name} (y_te.csv, dòng ")), "{e}");
    assert!(!e.to_string().contains("tay_chan_mieng"), "{e}");
    let r = s.run(&["render", "--period", "2026-02"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("còn 1 chỗ trống"), "{}", r.stderr);
}

/// Copies February's sector file into March with the cùng kỳ column blank.
fn march_without_priors(s: &Scratch, sector: &str) {
    let text = s.read(&format!("data/2026-02/{sector}.csv"));
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = rdr.headers().unwrap().clone();
    let prior = header.iter().position(|h| h == "cung_ky");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    for r in rdr.records() {
        let r = r.unwrap();
        w.write_record(r.iter().enumerate().map(|(i, c)| if Some(i) == prior { "" } else { c }))
            .unwrap();
    }
    s.write(&format!("data/2026-03/{sector}.csv"), w.into_inner().unwrap());
}

#[test]
fn whats_left_lists_every_blank_value_and_prior_at_once() {
    let s = Scratch::new();
    assert_eq!(s.run(&["new-period", "2026-03"]).code, 0);
    let p = Project::open(s.path());
    let req = p.request("bao-cao-thang", "2026-03").unwrap();
    let tasks = |kind| {
        let left = p.remaining(&req).unwrap();
        left.groups.iter().flat_map(|g| &g.tasks).filter(|t| t.kind == kind).count()
    };
    let check = s.run(&["check", "--period", "2026-03"]);
    let missing = check.stdout.lines().filter(|l| l.contains("thiếu giá trị")).count();
    assert!(missing > 100, "{missing}");
    assert_eq!(tasks(baocao::TaskKind::BlankValue), missing, "every blank value at once");
    // The empty new month lays out as a draft: one placeholder per blank value the text uses.
    let laid = p
        .lay_out_pages(&mut p.world(), &req, CheckOptions::draft())
        .expect("the empty month lays out");
    let placeholders = flat(&baocao::internals::text::dump(&laid.document)).matches("[chưa có: ").count();
    assert!(placeholders > 100, "{placeholders}");
    // Values in, cùng kỳ blank: every prior the text needs is listed in one pass,
    // where a render stops at the first.
    for sector in ["nong_nghiep", "cong_nghiep", "thuong_mai", "tai_chinh", "doanh_nghiep", "y_te"] {
        march_without_priors(&s, sector);
    }
    let priors = tasks(baocao::TaskKind::BlankPrior);
    assert!(priors > 3, "{priors}");
    let laid = p.lay_out_pages(&mut p.world(), &req, CheckOptions::draft()).expect("lays out");
    let shown = flat(&baocao::internals::text::dump(&laid.document))
        .matches("[chưa có số cùng kỳ: ")
        .count();
    assert!(
        shown >= priors,
        "every blank prior the text needs is on the page: {shown} < {priors}"
    );
    let left = p.remaining(&req).unwrap();
    let prior = left
        .groups
        .iter()
        .flat_map(|g| &g.tasks)
        .find(|t| t.kind == baocao::TaskKind::BlankPrior)
        .unwrap();
    let baocao::RemainingTarget::Cell { file, column, .. } = &prior.target else {
        panic!("{prior:?}")
    };
    assert!(file.starts_with("data/2026-03") && column == "cung_ky", "{file:?} {column}");
    let r = s.run(&["render", "--period", "2026-03"]);
    assert_eq!(r.code, 1, "a render stops at one missing prior");
}

#[test]
fn the_cli_marks_samples_previews_the_next_real_month_and_lists_whats_left() {
    let s = Scratch::new();
    let l = s.run(&["list"]);
    let line = |slug: &str| {
        l.stdout
            .lines()
            .find(|x| x.contains(&format!("--period {slug})")))
            .unwrap_or_default()
            .to_string()
    };
    assert!(line("2026-01").contains("SỐ LIỆU MẪU"), "{}", l.stdout);
    assert!(!line("2026-02").is_empty() && !line("2026-02").contains("MẪU"), "{}", l.stdout);
    let pv = s.run(&["new-period", "--xem-truoc"]);
    assert_eq!(pv.code, 0, "{}", pv.stderr);
    assert!(
        pv.stdout.starts_with("Tạo tháng 3 năm 2026 (data/2026-03) từ tháng 02 năm 2026"),
        "{}",
        pv.stdout
    );
    assert!(pv.stdout.contains("Chỉ xem trước"), "{}", pv.stdout);
    assert!(s.file("data/2026-03/SO-LIEU-MAU.md").is_file(), "a preview does nothing");
    let n = s.run(&["new-period"]);
    assert_eq!(n.code, 0, "{}", n.stderr);
    assert!(s.read("baocao.toml").contains("ky = \"2026-03\""));
    let left = s.run(&["viec-con-lai"]);
    assert_eq!(left.code, 1, "{}", left.stderr);
    assert!(
        left.stdout
            .starts_with("Việc còn lại của bao-cao-thang kỳ 2026-03 (tháng 3 năm 2026): "),
        "{}",
        left.stdout
    );
    assert!(left.stdout.contains("\ndata/2026-03/y_te.csv ("), "{}", left.stdout);
    assert!(left.stdout.contains("  - chưa có số liệu: "), "{}", left.stdout);
    assert!(left.stdout.contains("cột gia_tri)"), "{}", left.stdout);
}

#[test]
fn render_ban_nhap_writes_a_draft_with_placeholders_and_no_version() {
    let s = Scratch::new();
    assert_eq!(s.run(&["new-period", "2026-03"]).code, 0);
    let refused = s.run(&["render"]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("chỗ trống \"[chưa có: ...]\""), "{}", refused.stderr);
    let r = s.run(&["render", "--ban-nhap"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Đã tạo bản nháp"), "{}", r.stdout);
    assert!(r.last_line().ends_with("bao-cao-thang-2026-03-ban-nhap.pdf"), "{}", r.last_line());
    assert!(s.file("out/bao-cao-thang-2026-03-ban-nhap.pdf").is_file());
    assert!(!s.file("out/lich-su/bao-cao-thang/2026-03").exists(), "no version");
    assert!(!s.file("out/bao-cao-thang-2026-03.pdf").exists());
}

#[test]
fn a_downloaded_workbook_holds_figures_as_numbers_and_sent_back_unchanged_changes_nothing() {
    use calamine::Reader;
    let mut files = 0;
    for month in ["2026-02", "2026-03"] {
        let dir = repo().join("data").join(month);
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(sector) = name.strip_suffix(".csv") else { continue };
            let stored = std::fs::read(entry.path()).unwrap();
            let shown = std::path::Path::new(&name);
            let mut f = baocao::Findings::default();
            let as_csv = exchange::read_upload(&stored, &exchange::upload_name(&name).unwrap(), shown, sector, &mut f).unwrap();
            let xlsx = exchange::table_xlsx(&as_csv).unwrap();
            // In Excel, the figures are numbers (they add up), the names text.
            let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.clone())).unwrap();
            let range = book.worksheet_range(sector).unwrap();
            let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
            let (value, ten) = (
                header.iter().position(|h| h == "gia_tri").unwrap(),
                header.iter().position(|h| h == "ten").unwrap(),
            );
            let rows: Vec<_> = range.rows().skip(1).collect();
            assert!(rows.iter().all(|r| matches!(r[ten], calamine::Data::String(_))), "{name}");
            assert!(
                rows.iter()
                    .all(|r| matches!(r[value], calamine::Data::Float(_) | calamine::Data::Empty)),
                "{month}/{name}: {:?}",
                rows.iter().map(|r| &r[value]).collect::<Vec<_>>()
            );
            // Sent back as it came, the stored file is written as a CSV upload would write it:
            // `16.344,10` stays so, though the workbook holds 16344.1.
            let back = exchange::read_upload(
                &xlsx,
                &exchange::upload_name(&format!("{sector}.xlsx")).unwrap(),
                shown,
                sector,
                &mut f,
            )
            .unwrap();
            assert_eq!(
                String::from_utf8(exchange::to_stored_format(&back, &stored, false).unwrap()).unwrap(),
                String::from_utf8(exchange::to_stored_format(&as_csv, &stored, false).unwrap()).unwrap(),
                "{month}/{name}"
            );
            files += 1;
        }
    }
    assert!(files >= 20, "{files}");
}

/// The preview does not wait for the disk: laid out from the moment a saved
/// value has passed its checks (as the web page's save starts it), it shows the
/// new value, and no "changed outside baocao" warning for the clerk's own save,
/// while the file on disk and every other reader still have the old value. Once
/// the save has returned, the disk has it and the preview is the same.
#[test]
fn the_preview_reads_a_value_being_saved_and_nothing_else_does() {
    let s = Scratch::new();
    let p = Project::open(s.path());
    let req = p.request("bao-cao-thang", "2026-02").unwrap();
    let file = s.path().join("data/2026-02/nong_nghiep.csv");
    let edit = |value: &str| baocao::CellEdit {
        period: "2026-02".into(),
        file: "nong_nghiep.csv".into(),
        sheet: "nong_nghiep".into(),
        code: "dan_trau".into(),
        column: "gia_tri".into(),
        value: value.into(),
        hash: baocao::internals::sha256_hex(&std::fs::read(&file).unwrap()),
        reason: None,
    };
    let who = baocao::Actor::local();
    // Saved once, so the log knows the file (else no change could look "outside").
    p.save_value(&who, &edit("84.866"), None).unwrap();
    let text = |d: &baocao::Rendered| baocao::internals::text::dump(&d.document);
    let dan_trau = || {
        p.load_data(req.period, false)
            .unwrap()
            .get("nong_nghiep", "dan_trau")
            .unwrap()
            .value
    };
    let mut world = p.world();
    let mut during = None;
    p.save_value_then(&who, &edit("84.871"), None, || {
        let draft = p.lay_out_draft(&mut world, &req).unwrap();
        let r = draft.rendered();
        let outside: Vec<String> = r
            .findings
            .0
            .iter()
            .map(|f| f.to_string())
            .filter(|f| f.contains("ngoài baocao"))
            .collect();
        assert!(outside.is_empty(), "{outside:?}");
        assert!(s.read("data/2026-02/nong_nghiep.csv").contains("84.866"), "not yet on disk");
        assert_eq!(dan_trau(), Some(84866.0), "other readers read the disk");
        during = Some(text(r));
    })
    .unwrap();
    let during = during.expect("the preview was laid out during the save");
    assert!(
        during.contains("84.871") && !during.contains("84.866"),
        "the value being saved is shown"
    );
    assert!(s.read("data/2026-02/nong_nghiep.csv").contains("84.871"));
    assert_eq!(dan_trau(), Some(84871.0));
    let after = p.lay_out_draft(&mut p.world(), &req).unwrap();
    assert_eq!(text(after.rendered()), during, "the same preview from the disk");
}
