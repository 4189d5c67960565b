//! The education sector of the sample month 2026-01 (data/2026-01/giao_duc.csv,
//! sample figures): printed in section II.2 of the monthly report when the period
//! has it, absent otherwise.

use crate::common::*;

#[test]
fn education_figures_are_printed_in_section_two_when_present() {
    let s = Scratch::new();
    let csv = s.read("data/2026-01/giao_duc.csv");
    assert!(
        csv.lines().skip(1).all(|l| l.ends_with("số liệu mẫu")),
        "every row marked as sample"
    );
    let (_, dump) = s.render_text(&["--report", "bao-cao-thang", "--period", "2026-01"]);
    let all = flat(&dump);
    let section = all.find("2. Về văn hóa - xã hội").expect("section II.2");
    let sentence = all
        .find("Tỷ lệ huy động trẻ em mẫu giáo đến trường đạt 99,2%, trẻ em 6 tuổi vào lớp 1 đạt 99,8%, học sinh hoàn thành tiểu học vào lớp 6 đạt 98,9%; toàn tỉnh có 312 trường đạt chuẩn quốc gia, 7.950 giáo viên các cấp học; trong tháng có 37 học sinh bỏ học.")
        .unwrap_or_else(|| panic!("{all}"));
    let next = all.find("3. Về khoa học").unwrap_or(all.len());
    assert!(section < sentence && sentence < next, "in II.2");
    // February has no education file: no such sentence.
    let (_, feb) = s.render_text(&["--report", "bao-cao-thang", "--period", "2026-02"]);
    assert!(!flat(&feb).contains("Tỷ lệ huy động trẻ em mẫu giáo"));
}
