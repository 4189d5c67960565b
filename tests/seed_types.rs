//! The two Party report types made from seeds 000 (Nghị quyết of the Tỉnh ủy) and 002
//! (Kế hoạch of the Đảng ủy Văn phòng UBND tỉnh): the real binary on their sample
//! periods, the laid-out text compared with the seed text the way tests/render.rs does
//! for the monthly report (sections in order, every figure found, header and end blocks).

use crate::common::*;

const SEED_000: &str = include_str!("fixtures/seed-000-nghi-quyet-tinh-uy.txt");
const SEED_002: &str = include_str!("fixtures/seed-002-ke-hoach-dang-uy.txt");

fn render(report: &str, period: &str) -> String {
    let (_, dump) = Scratch::new().render_text(&["--report", report, "--period", period]);
    flat(&dump)
}

fn in_order(text: &str, items: &[&str]) {
    let mut at = 0;
    for h in items {
        let found = text[at..].find(h).unwrap_or_else(|| panic!("not found after offset {at}: {h}"));
        at += found + h.len();
    }
}

/// The seed with whitespace normalised (its lines are the PDF's lines).
fn seed_flat(seed: &str) -> String {
    seed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every figure (a number followed by "%" or by a word) of the seed's text up to `end`
/// is in the rendered text. Returns how many were checked.
fn every_figure(seed: &str, end: &str, text: &str) -> usize {
    let seed = seed_flat(seed);
    let seed = &seed[..seed.find(end).expect("end marker in seed")];
    let text = format!(" {text} ");
    let mut checked = 0;
    for (i, _) in seed.match_indices(' ') {
        let rest = &seed[i + 1..];
        let tok: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '%' || *c == '/')
            .collect();
        let tok = tok.trim_end_matches([',', '/']).to_string();
        let next = rest[tok.len()..].chars().nth(1);
        let is_figure = tok.ends_with('%') || (rest[tok.len()..].starts_with(' ') && next.is_some_and(char::is_lowercase));
        if tok.is_empty() || !tok.starts_with(|c: char| c.is_ascii_digit()) || !is_figure {
            continue;
        }
        assert!(
            text.contains(&format!(" {tok}")),
            "figure {tok} (seed: …{}…) not in the PDF",
            &rest[..rest.len().min(50)]
        );
        checked += 1;
    }
    checked
}

#[test]
fn nghi_quyet_header_sections_and_end() {
    let text = render("nghi-quyet-tinh-uy", "2026-03");
    assert!(!text.contains("ngày 16 tháng 3"), "a draft's day stays blank");
    in_order(
        &text,
        &[
            "TỈNH ỦY LAI CHÂU",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "*",
            "-NQ/TU",
            // A draft without its number leaves the day blank as well (issue 26).
            "Lai Châu, ngày",
            "tháng 3 năm 2026",
            "NGHỊ QUYẾT",
            "-----",
            "I- TÌNH HÌNH",
            "Những năm qua, Đảng và Nhà nước",
            "II- QUAN ĐIỂM, MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP",
            "1. Quan điểm",
            "- Nhận thức sâu sắc",
            "2. Mục tiêu",
            "2.1. Mục tiêu chung",
            "2.2. Mục tiêu cụ thể",
            "(1) Đến năm 2030",
            "(5) Phấn đấu đến năm 2030",
            "3. Nhiệm vụ và giải pháp",
            "3.1. Nâng cao nhận thức",
            "3.2. Hoàn thiện cơ chế",
            "3.3. Củng cố, phát triển hệ thống trường nội trú",
            "3.4. Phát triển, nâng cao chất lượng đội ngũ nhà giáo",
            "3.5. Nâng cao chất lượng giáo dục toàn diện",
            "III- TỔ CHỨC THỰC HIỆN",
            "7. Đảng ủy các xã, phường",
            "Nghị quyết này phổ biến đến chi bộ.",
            "Nơi nhận:",
        ],
    );
    // Nơi nhận and the signature block stand side by side: each line somewhere after.
    let end = &text[text.find("Nơi nhận:").unwrap()..];
    for s in ["- Bộ Chính trị, Ban Bí thư", "- Lưu VPTU.", "T/M TỈNH ỦY", "BÍ THƯ", "Lê Minh Ngân"] {
        assert!(end.contains(s), "missing {s:?}");
    }
    // The digital-signature lines of the extraction are not typeset.
    for absent in ["leminhngan@laichau.gov.vn", "signedBy", "EMAILADDRESS", "2026-03-16T"] {
        assert!(!text.contains(absent), "{absent} typeset");
    }
}

#[test]
fn nghi_quyet_every_figure_of_the_seed() {
    let text = render("nghi-quyet-tinh-uy", "2026-03");
    let n = every_figure(SEED_000, "Nơi nhận:", &text);
    assert!(n >= 20, "only {n} figures checked");
    for phrase in [
        "Mẫu giáo đạt 99,8%, tiểu học đạt 99,9%, trung học cơ sở đạt 98%, trung học phổ thông đạt từ 60% trở lên",
        "tại 11 trường phổ thông nội trú liên cấp",
        "nâng cấp 3 trường phổ thông",
        "có ít nhất 01 phòng học trực tuyến",
        "lớp, học sinh tại 31/31 trường trung học phổ thông",
        "tối thiểu 2 lưu học sinh",
    ] {
        assert!(text.contains(phrase), "missing {phrase:?}");
    }
}

#[test]
fn nghi_quyet_figures_come_from_the_data() {
    let s = Scratch::new();
    s.edit(
        "data/2026-03/nghi-quyet-tinh-uy/giao_duc.csv",
        "huy_dong_thcs,Tỷ lệ huy động học sinh trung học cơ sở trong độ tuổi (mục tiêu 2030),%,98",
        "huy_dong_thcs,Tỷ lệ huy động học sinh trung học cơ sở trong độ tuổi (mục tiêu 2030),%,97",
    );
    let (_, dump) = s.render_text(&["--report", "nghi-quyet-tinh-uy", "--period", "2026-03"]);
    assert!(flat(&dump).contains("trung học cơ sở đạt 97%"));
    // The monthly report of the same month does not see the resolution's figures.
    let r = s.run(&["check", "--period", "2026-03"]);
    assert!(!r.stdout.contains("giao_duc"), "{}", r.stdout);
}

#[test]
fn ke_hoach_dang_uy_header_sections_and_end() {
    let text = render("ke-hoach-dang-uy", "2025-11");
    in_order(
        &text,
        &[
            "ĐẢNG BỘ UBND TỈNH LAI",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "ĐẢNG ỦY VĂN PHÒNG",
            "*",
            "-KH/ĐU",
            "tháng 11 năm 2025",
            "KẾ HOẠCH",
            "thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XV, nhiệm",
            "-----",
            "Thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XV,",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "1. Mục đích",
            "2. Yêu cầu",
            "II. MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP",
            "1. Mục tiêu chung",
            "2. Nhiệm vụ trọng tâm",
            "2.1. Xây dựng Đảng bộ trong sạch, vững mạnh toàn diện",
            "2.1.1. Xây dựng Đảng bộ trong sạch",
            "2.1.2. Nâng cao hiệu lực",
            "2.1.3. Phát huy dân chủ",
            "2.2. Tiếp tục cơ cấu lại các ngành kinh tế",
            "2.3. Tập trung xây dựng văn hóa, xã hội",
            "2.4. Củng cố, tăng cường quốc phòng",
            "3. Các khâu đột phá",
            "(1) Đột phá về hạ tầng giao thông",
            "(3) Đột phá về nâng cao chất lượng nguồn nhân lực",
            "4. Các nghị quyết chuyên đề, đề án và các nhiệm vụ trọng tâm",
            "5. Các giải pháp chủ yếu",
            "III. TỔ CHỨC THỰC HIỆN",
            "5. Uỷ ban kiểm tra Đảng uỷ chủ trì",
            "của Đảng bộ văn phòng UBND tỉnh./.",
            "Nơi nhận:",
        ],
    );
    let end = &text[text.find("Nơi nhận:").unwrap()..];
    for s in [
        "- Đảng uỷ UBND tỉnh (b/c),",
        "- Lưu VT, ĐU (Hương).",
        "T/M ĐẢNG UỶ",
        "BÍ THƯ",
        "Phạm Hồng Trường",
    ] {
        assert!(end.contains(s), "missing {s:?}");
    }
}

#[test]
fn ke_hoach_dang_uy_every_figure_of_the_seed() {
    let text = render("ke-hoach-dang-uy", "2025-11");
    let n = every_figure(SEED_002, "Nơi nhận:", &text);
    assert!(n >= 2, "only {n} figures checked");
    for phrase in ["đạt bình quân 10%/năm trở lên", "chính quyền địa phương 02 cấp"] {
        assert!(text.contains(phrase), "missing {phrase:?}");
    }
}
