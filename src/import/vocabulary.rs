//! The document words the importer recognises in a Word file (NĐ 30/2020 and
//! HD 36-HD/VPTW layouts): header and signature words, the words before a number
//! that make it a date or a document's number, the units and counted nouns that
//! make it a figure, comparison words. Vocabulary only: no message lives here
//! (those are in `src/error/import.rs`).

/// The Party's name in the header (HD 36): the document is in the Party style.
pub const PARTY: &str = "ĐẢNG CỘNG SẢN VIỆT NAM";
/// The administrative motto's first words (NĐ 30).
pub const MOTTO_START: &str = "Độc lập";
/// "Nơi nhận" opens the recipients' cell of the signature table.
pub const RECIPIENTS: &str = "Nơi nhận";
/// "Số" opens the number line of the header ("Số: 15/BC-UBND", "Số 05-CTr/TU").
pub const NUMBER: &str = "Số";
/// Words of the place and date line ("Lai Châu, ngày 05 tháng 4 năm 2026").
pub const DAY: &str = "ngày";
pub const MONTH: &str = "tháng";
pub const YEAR: &str = "năm";

/// Words right before a number that make it part of a date, a document's number,
/// an ordinal or a term, not a figure.
pub const NOT_FIGURE_BEFORE: [&str; 38] = [
    "ngày",
    "tháng",
    "năm",
    "số",
    "khóa",
    "khoá",
    "thứ",
    "giai đoạn",
    "kỳ",
    "quý",
    "học kỳ",
    "lần",
    "đợt",
    "điều",
    "khoản",
    "điểm",
    "mục",
    "phụ lục",
    "nghị định",
    "nghị quyết",
    "quyết định",
    "chỉ thị",
    "kết luận",
    "kế hoạch",
    "công văn",
    "thông báo",
    "chương trình",
    "luật",
    "thông tư",
    "tờ trình",
    "báo cáo",
    "hướng dẫn",
    "đến",
    "từ",
    "trước",
    "sau",
    "nhiệm kỳ",
    "bước",
];

/// Units written after a number (longest first where one starts another).
pub const UNITS: [&str; 65] = [
    "kg",
    "nghìn tỷ đồng",
    "tỷ đồng",
    "triệu đồng",
    "nghìn đồng",
    "triệu USD",
    "USD",
    "đồng",
    "triệu kWh",
    "kWh",
    "triệu viên",
    "triệu m3",
    "m3",
    "m2",
    "km2",
    "km",
    "ha",
    "tấn",
    "tạ",
    "triệu con",
    "nghìn con",
    "con",
    "lượt người",
    "lượt khách",
    "lượt phát",
    "lượt",
    "người",
    "hộ gia đình",
    "hộ",
    "doanh nghiệp",
    "dự án",
    "trường hợp",
    "trẻ",
    "học sinh",
    "sinh viên",
    "giáo viên",
    "trường",
    "phòng học",
    "cơ sở",
    "xã",
    "thôn, bản",
    "thôn",
    "bản",
    "cuộc",
    "hội nghị",
    "vụ",
    "ổ dịch",
    "thủ tục",
    "hồ sơ",
    "văn bản",
    "tài khoản",
    "công trình",
    "mã số",
    "hợp tác xã",
    "đối tượng",
    "phụ nữ",
    "đơn vị",
    "lao động",
    "giờ",
    "tuổi",
    "lớp",
    "nhóm",
    "mô hình",
    "điểm",
    "giải",
];

/// Words dropped from the end of an indicator's name taken from the text before
/// its number ("giá trị sản xuất ước đạt" -> "giá trị sản xuất").
pub const NAME_TAIL: [&str; 19] = [
    "ước đạt",
    "đạt",
    "là",
    "được",
    "có",
    "với",
    "gồm",
    "khoảng",
    "trên",
    "dưới",
    "gần",
    "hơn",
    "tổng",
    "tối thiểu",
    "tổ chức",
    "cho",
    "tại",
    "của",
    "và",
];

/// Comparison words before a percent or a difference.
pub const UP: &str = "tăng";
pub const DOWN: &str = "giảm";
/// The words that make a comparison one with the same period of last year.
pub const SAME_PERIOD: &str = "cùng kỳ";

/// Vietnamese letters and their ASCII base letter (for indicator codes).
const FOLD: [(&str, char); 14] = [
    ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
    ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'a'),
    ("èéẻẽẹêềếểễệ", 'e'),
    ("ÈÉẺẼẸÊỀẾỂỄỆ", 'e'),
    ("ìíỉĩị", 'i'),
    ("ÌÍỈĨỊ", 'i'),
    ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
    ("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'o'),
    ("ùúủũụưừứửữự", 'u'),
    ("ÙÚỦŨỤƯỪỨỬỮỰ", 'u'),
    ("ỳýỷỹỵ", 'y'),
    ("ỲÝỶỸỴ", 'y'),
    ("đ", 'd'),
    ("Đ", 'd'),
];

/// A letter without its marks, lower case ('Ệ' -> 'e'); other characters as they are.
pub fn fold(c: char) -> char {
    for (from, to) in FOLD {
        if from.contains(c) {
            return to;
        }
    }
    c.to_ascii_lowercase()
}

/// The text of a document's Heading styles: Word's ids and their level.
pub fn heading_style_level(style: &str) -> Option<u8> {
    let digits = style.trim_start_matches(|c: char| c.is_alphabetic());
    let lower = style.to_ascii_lowercase();
    if !(lower.starts_with("heading") || lower.starts_with("tieude") || lower.starts_with("muc")) {
        return None;
    }
    digits.parse().ok().filter(|l| (1..=3).contains(l))
}

#[cfg(test)]
mod tests {
    #[test]
    fn folds_vietnamese_letters() {
        let s: String = "Giá trị sản xuất Đồng".chars().map(super::fold).collect();
        assert_eq!(s, "gia tri san xuat dong");
    }
}
