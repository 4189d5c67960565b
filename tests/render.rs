//! The monthly report end to end: the real binary on data/2026-02, checked
//! from the laid-out text (`render --text`) and the PDF bytes.

use crate::common::*;

const SEED: &str = include_str!("fixtures/seed-004-bao-cao-thang-02-2026.txt");

#[test]
fn render_writes_the_pdf_and_prints_its_path_last() {
    let s = Scratch::new();
    let r = s.run(&["render"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.last_line(), "./out/bao-cao-thang-2026-02.pdf");
    let pdf = std::fs::read(s.file("out/bao-cao-thang-2026-02.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.len() > 50_000, "PDF too small: {} bytes", pdf.len());
}

#[test]
fn sections_and_headings_in_the_seed_order() {
    let (_, dump) = Scratch::new().render_text(&[]);
    let text = flat(&dump);
    let headings = [
        "I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT SỐ 01/NQ-CP NĂM 2026 CỦA CHÍNH PHỦ",
        "II. TÌNH HÌNH KINH TẾ - XÃ HỘI, BẢO ĐẢM QUỐC PHÒNG, AN NINH THÁNG 02 NĂM 2026",
        "1. Về phát triển kinh tế",
        "a) Sản xuất nông - lâm nghiệp - thủy sản, xây dựng nông thôn mới",
        "b) Lĩnh vực công nghiệp, giao thông, xây dựng",
        "c) Thương mại - dịch vụ",
        "d) Tài chính - Ngân hàng",
        "đ) Phát triển doanh nghiệp và thu hút đầu tư",
        "e) Triển khai thực hiện kế hoạch vốn đầu tư công",
        "2. Về văn hóa - xã hội",
        "3. Về khoa học và công nghệ; tài nguyên - môi trường",
        "4. Xây dựng chính quyền",
        "5. Quốc phòng, an ninh, đối ngoại",
        "III. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN CÁC NGHỊ QUYẾT CHIẾN LƯỢC CỦA BỘ CHÍNH TRỊ",
        "1. Đối với Nghị quyết số 57-NQ/TW",
        "a) Công tác triển khai thực hiện",
        "b) Khó khăn, vướng mắc; đề xuất, kiến nghị: không.",
        "2. Đối với Nghị quyết số 59-NQ/TW",
        "3. Đối với Nghị quyết số 66-NQ/TW",
        "4. Đối với Nghị quyết số 68-NQ/TW",
        "5. Đối với Nghị quyết số 70-NQ/TW",
        "6. Đối với Nghị quyết số 71-NQ/TW",
        "7. Đối với Nghị quyết số 72-NQ/TW",
        "IV. MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM TRONG THÁNG 3 NĂM 2026",
        "11. Chủ động nắm chắc tình hình",
        "an ninh, trật tự./.",
    ];
    let mut at = 0;
    for h in headings {
        let found = text[at..]
            .find(h)
            .unwrap_or_else(|| panic!("heading not found after offset {at}: {h}"));
        at += found + h.len();
    }
}

#[test]
fn header_and_end_blocks() {
    let (_, dump) = Scratch::new().render_text(&[]);
    let text = flat(&dump);
    for s in [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LAI CHÂU",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/BC-UBND",
        "Lai Châu, ngày",
        "tháng 02 năm 2026",
        "BÁO CÁO",
        "Tình hình thực hiện Nghị quyết số 01/NQ-CP năm 2026;",
        "nhiệm vụ trọng tâm tháng 3 năm 2026",
        "Nơi nhận:",
        "- Văn phòng Chính phủ;",
        "- Lưu: VT, Th1.",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Hà Trọng Hải",
    ] {
        assert!(text.contains(s), "missing {s:?}");
    }
    // Page numbers from page 2, alone at the top.
    let pages = pages(&dump);
    assert!(pages.len() >= 13, "only {} pages", pages.len());
    assert_ne!(pages[0][0].1, "1");
    for (i, p) in pages.iter().enumerate().skip(1) {
        assert_eq!(p[0].1, (i + 1).to_string(), "page number of page {}", i + 1);
    }
}

/// Every figure the seed prints with a unit after it appears in the PDF text.
#[test]
fn every_figure_of_the_seed() {
    let (_, dump) = Scratch::new().render_text(&[]);
    let text = format!(" {} ", flat(&dump));
    let seed = SEED.split_whitespace().collect::<Vec<_>>().join(" ");
    // Seed tokens with a footnote mark glued on, and the seed's one dot-decimal typo.
    let corrected = [("2733", "27"), ("13.21934", "13.219"), ("280.5", "280,5")];
    let mut checked = 0;
    for (i, _) in seed.match_indices(' ') {
        let rest = &seed[i + 1..];
        let tok: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',' || *c == '%')
            .collect();
        let tok = tok.trim_end_matches(['.', ',']).to_string();
        let after = rest[tok.len()..].chars().nth(1);
        if tok.is_empty()
            || !tok.starts_with(|c: char| c.is_ascii_digit())
            || !rest[tok.len()..].starts_with(' ')
            || !after.is_some_and(char::is_lowercase)
        {
            continue;
        }
        let want = corrected.iter().find(|(a, _)| *a == tok).map_or(tok.as_str(), |(_, b)| b);
        let delimited = text
            .match_indices(&format!("{want} "))
            .any(|(i, _)| !text[..i].ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == ','));
        assert!(delimited, "figure {want} (seed: …{}…) not in the PDF", &rest[..rest.len().min(40)]);
        checked += 1;
    }
    assert!(checked > 200, "only {checked} figures checked");
    for phrase in [
        "6.014 ha",
        "2.192,42 ha",
        "1,863 triệu con, tăng 2,3% so với cùng kỳ năm trước",
        "331.630 con, giảm 11% so với cùng kỳ năm trước",
        "307,2 tỷ đồng, tăng 5,4% so với cùng kỳ năm trước",
        "bằng 69% so cùng kỳ năm trước",
        "bằng 52% so với cùng kỳ năm trước",
        "bằng 18% so với dự toán Trung ương và 18% dự toán HĐND tỉnh giao",
        "bằng 14% so với dự toán Trung ương và 12% so với dự toán HĐND tỉnh, tăng 18,6% so với cùng kỳ",
        "tăng 30 doanh nghiệp",
        "tăng 03 dự án",
        "đạt 90,75% kế hoạch giao chi tiết, cao hơn 6,9 điểm % so với cùng kỳ năm 2024",
        "bằng 8,07% tổng kế hoạch, bằng 9,83% kế hoạch giao chi tiết",
        "giảm 39 người",
        "tăng 33 người",
        "72.223 m³",
        "16.344,10 triệu đồng",
    ] {
        assert!(text.contains(phrase), "missing {phrase:?}");
    }
}

/// Footnotes 1..44, consecutive, each at the foot of the page of its mark.
#[test]
fn footnotes_numbered_on_the_page_of_their_mark() {
    let (_, dump) = Scratch::new().render_text(&[]);
    let mut entries = Vec::new();
    for (pi, page) in pages(&dump).iter().enumerate() {
        let body = page.iter().filter(|(size, _)| *size >= 13);
        let marks: Vec<u32> = body.flat_map(|(_, t)| marks_in(t)).collect();
        for (size, t) in page {
            if *size <= 10 && t.starts_with("^{") {
                let n = marks_in(t)[0];
                assert!(marks.contains(&n), "footnote {n} is on page {} but its mark is not", pi + 1);
                entries.push(n);
            }
        }
    }
    assert_eq!(entries, (1..=44).collect::<Vec<_>>());
}

fn marks_in(t: &str) -> Vec<u32> {
    t.match_indices("^{")
        .filter_map(|(i, _)| t[i + 2..].split('}').next()?.parse().ok())
        .collect()
}

#[test]
fn same_inputs_give_identical_pdf_bytes() {
    let s = Scratch::new();
    assert_eq!(s.run(&["render", "--out", "a"]).code, 0);
    assert_eq!(s.run(&["render", "--out", "b"]).code, 0);
    let a = std::fs::read(s.file("a/bao-cao-thang-2026-02.pdf")).unwrap();
    let b = std::fs::read(s.file("b/bao-cao-thang-2026-02.pdf")).unwrap();
    assert!(a == b, "two renders differ");
}

/// Issue 3: one corrected raw value updates it and everything derived from it.
#[test]
fn a_corrected_buffalo_herd_updates_total_and_change() {
    let s = Scratch::new();
    let (_, before) = s.render_text(&[]);
    assert!(flat(&before).contains("đàn trâu 84.860 con"));
    s.edit("data/2026-02/nong_nghiep.csv", "84.860", "90.860");
    let (_, after) = s.render_text(&[]);
    let t = flat(&after);
    assert!(t.contains("đàn trâu 90.860 con"), "new value");
    assert!(
        t.contains("337.630 con, giảm 9% so với cùng kỳ năm trước"),
        "computed total and its change"
    );
    assert!(!t.contains("331.630"));
}

/// `render --all` streams: reports start in the batch's order on a fixed pool
/// of workers, so report `j` cannot finish before `j + 1 - workers` others did
/// (on rayon's pool, Typst's own parallel work stole the next reports and the
/// last report finished first, with every report in memory at once), and the
/// paths are printed in the batch's order.
#[test]
fn batch_finishes_reports_in_order_with_a_bounded_pool() {
    let s = Scratch::new();
    for e in std::fs::read_dir(s.file("templates")).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name != "_chung" && name != "bao-cao-thang" {
            std::fs::remove_dir_all(e.path()).unwrap();
        }
    }
    let months: Vec<String> = (1..=6).map(|m| format!("2041-{m:02}")).collect();
    for m in &months {
        for e in std::fs::read_dir(s.file("data/2026-02"))
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_file())
        {
            s.write(
                &format!("data/{m}/{}", e.file_name().to_string_lossy()),
                std::fs::read(e.path()).unwrap(),
            );
        }
    }
    const WORKERS: usize = 2;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["render", "--all"])
        .env(baocao::internals::BATCH_WORKERS_ENV, WORKERS.to_string())
        .current_dir(s.path())
        .output()
        .unwrap();
    let r = Run::from(out);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let printed: Vec<&str> = r.stdout.lines().filter(|l| l.ends_with(".pdf")).collect();
    let mut sorted = printed.clone();
    sorted.sort();
    assert_eq!(printed, sorted, "paths in the batch's order");
    assert!(printed.len() >= months.len(), "{}", r.stdout);
    // Completion order, from the progress lines "[k/n] report period: ...".
    let finished: Vec<String> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with('['))
        .filter_map(|l| l.split(' ').nth(2).map(|p| p.trim_end_matches(':').to_string()))
        .collect();
    assert_eq!(finished.len(), printed.len(), "{}", r.stderr);
    let order: Vec<String> = printed
        .iter()
        .map(|p| {
            p.trim_end_matches(".pdf")
                .rsplitn(3, '-')
                .take(2)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect();
    for (j, period) in order.iter().enumerate() {
        let done_at = finished.iter().position(|p| p == period).unwrap();
        assert!(done_at + WORKERS > j, "report {j} ({period}) finished {done_at}th:\n{}", r.stderr);
    }
}
