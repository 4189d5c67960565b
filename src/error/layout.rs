//! Texts of the layout stage: the layout check's details ([`LayoutDetail`]), Typst's
//! messages put in Vietnamese ([`TypesetMessage`]) and the files the Typst world
//! refuses ([`WorldProblem`]). Texts only; the measuring lives in `layout/`.

use super::*;

/// What the layout check measured against a format rule: the `detail` of
/// [`Problem::Layout`]. Lengths are in mm, sizes and distances in pt.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LayoutDetail {
    #[error("khổ giấy {} × {} mm, không phải A4 (210 × 297 mm)", dec(.width_mm, 1), dec(.height_mm, 1))]
    PaperSize { width_mm: f64, height_mm: f64 },
    /// One margin of one page outside its range `lo`–`hi` mm.
    #[error("lề {side} {} mm, ngoài khoảng {lo}–{hi} mm", dec(.got_mm, 1))]
    Margin { side: MarginSide, got_mm: f64, lo: f64, hi: f64 },
    /// The right margin at the longest line (justified lines reach it) is too wide.
    #[error("lề phải {} mm (dòng dài nhất), ngoài khoảng tối đa {hi} mm", dec(.got_mm, 1))]
    WidestRightMargin { got_mm: f64, hi: f64 },
    #[error("cỡ chữ thân bài {} pt, cần 13–14 pt", dec(.size, 1))]
    BodySize { size: f64 },
    /// Two lines closer than single spacing (`single` pt): the diacritics touch.
    #[error("hai dòng cỡ {} pt cách nhau {} pt, dưới dòng đơn ({} pt): dấu tiếng Việt chạm dòng trên (\"{excerpt}\")", dec(.size, 1), dec(.pitch, 1), dec(.single, 1))]
    LinesTooClose {
        size: f64,
        pitch: f64,
        single: f64,
        excerpt: String,
    },
    #[error("thụt đầu dòng {} cm, cần 1–1,27 cm (\"{excerpt}\")", dec(.cm, 2))]
    Indent { cm: f64, excerpt: String },
    #[error("khoảng cách trước đoạn {} pt, cần ít nhất 6 pt (\"{excerpt}\")", dec(.gap, 1))]
    ParagraphSpacing { gap: f64, excerpt: String },
    /// The body's line pitch is more than 1.5 lines (`max` pt).
    #[error("khoảng cách dòng thân bài {} pt, quá 1,5 dòng ({} pt)", dec(.pitch, 1), dec(.max, 1))]
    BodyPitch { pitch: f64, max: f64 },
    #[error("trang đầu không đánh số trang")]
    FirstPageNumbered,
    #[error("thiếu số trang ở giữa lề trên")]
    NoPageNumber,
    #[error("số trang không nằm giữa lề trên (lệch {} mm)", dec(.off_mm, 1))]
    PageNumberOffCentre { off_mm: f64 },
    #[error("trang đầu thiếu \"{text}\"")]
    MissingHeader { text: String },
    #[error("Nơi nhận và chữ ký đứng một mình ở trang cuối, không có dòng nào của thân bài")]
    SignatureAlone,
    #[error("trang kết thúc bằng tiêu đề mục \"{excerpt}\"; tiêu đề phải đi cùng đoạn sau")]
    EndsWithHeading { excerpt: String },
    /// The page ends with a sentence introducing a list (ending in ':').
    #[error("trang kết thúc bằng câu dẫn \"{excerpt}\"; câu dẫn phải đi cùng các ý sau")]
    EndsWithLeadIn { excerpt: String },
    /// A document code split over two lines (`end` | `next`).
    #[error("dòng bị ngắt giữa số, ký hiệu văn bản \"{end} | {next}\"")]
    BrokenCode { end: String, next: String },
    #[error("địa danh \"{place}\" bị tách ra hai dòng")]
    SplitPlace { place: String },
    /// A rule `below` pt under a line's baseline, through its descenders.
    #[error("đường kẻ cách chân dòng chữ {} pt, cắt qua phần dưới chữ và dấu nặng (\"{excerpt}\")", dec(.below, 1))]
    RuleThroughText { below: f64, excerpt: String },
    /// A line inside a justified paragraph (not its last) ends `short_mm` before the margin.
    #[error("dòng giữa đoạn văn kết thúc cách lề phải {} mm: đoạn không được căn đều hai bên (\"{excerpt}\")", dec(.short_mm, 1))]
    RaggedLine { short_mm: f64, excerpt: String },
    /// Text of a table cell runs over the cell's rule.
    #[error("chữ \"{excerpt}\" tràn qua đường kẻ của ô bảng")]
    TextOverCellRule { excerpt: String },
    /// An agency or place name of the header printed over two lines.
    #[error("\"{name}\" ở đầu văn bản bị ngắt xuống dòng; tên cơ quan, địa danh phải nằm trên một dòng")]
    HeaderNameBroken { name: String },
    /// The page's last table row is a group row; its items start on the next page.
    #[error("trang kết thúc bằng dòng nhóm \"{excerpt}\" của bảng; dòng nhóm phải đi cùng chỉ tiêu đầu tiên của nó")]
    EndsWithGroupRow { excerpt: String },
    /// The page ends `empty_mm` early (about `lines` lines) while the next page goes on with text.
    #[error("trang kết thúc sớm, còn trống {} mm (khoảng {lines} dòng) trong khi trang sau tiếp tục văn bản: khối tiếp theo lẽ ra được tách để lấp chỗ trống", dec(.empty_mm, 1))]
    ShortPage { empty_mm: f64, lines: usize },
    /// A landscape page holding a single table row.
    #[error("trang ngang chỉ có một dòng của bảng (\"{excerpt}\")")]
    LoneLandscapeRow { excerpt: String },
    /// A number printed with the binary noise of a spreadsheet formula.
    #[error("số \"{number}\" in ra quá nhiều chữ số thập phân (số lẻ do Excel tính toán); cần làm tròn theo số chữ số của chỉ tiêu")]
    FloatArtefact { number: String },
}

/// Which margin of a page (said in [`LayoutDetail::Margin`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MarginSide {
    #[error("trái")]
    Left,
    #[error("phải")]
    Right,
    #[error("trên")]
    Top,
    #[error("dưới")]
    Bottom,
}

/// Messages of the typesetting stage (Typst errors, PDF/A warning).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TypesetMessage {
    /// One of Typst's hints, on its own line under the error.
    #[error("\n    gợi ý: {hint}")]
    Hint { hint: String },
    /// Shown as the file of an error Typst does not place in a file.
    #[error("(tài liệu)")]
    WholeDocument,
    /// Shown as the file of an error in a Typst file baocao generated.
    #[error("(tệp sinh tự động {vpath})")]
    Generated { vpath: String },
    /// The fonts lack these characters, so the PDF is not PDF/A-2b.
    #[error("CẢNH BÁO: phông chữ không có ký tự {} nên PDF không đạt chuẩn lưu trữ PDF/A-2b; bỏ các ký tự này hoặc thêm phông có chúng vào fonts/.", .chars.join(" "))]
    MissingGlyphs { chars: Vec<String> },
}

/// Why the Typst world refused a file (Typst shows it at the line that asked).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WorldProblem {
    #[error("baocao không cho đọc \"{path}\": mẫu chỉ được đọc tệp trong thư mục của loại báo cáo (đường dẫn bắt đầu bằng {prefix})")]
    OutsideReport { path: String, prefix: &'static str },
    #[error("baocao chạy không cần mạng nên không dùng gói Typst bên ngoài (@preview/...)")]
    Package,
}

/// The title of a sector as a chart's source line names it ("công nghiệp" for the
/// sector file `cong_nghiep`); an unknown sector by its name with spaces.
pub fn sector_title(name: &str) -> String {
    let known = match name {
        "nong_nghiep" => "nông nghiệp, thủy sản",
        "lam_nghiep" => "lâm nghiệp",
        "cong_nghiep" => "công nghiệp",
        "thuong_mai" => "thương mại, dịch vụ, du lịch",
        "tai_chinh" => "tài chính - ngân sách",
        "doanh_nghiep" => "doanh nghiệp, đầu tư",
        "dau_tu_cong" => "đầu tư công",
        "giao_duc" => "giáo dục - đào tạo",
        "y_te" => "y tế",
        "lao_dong" => "lao động, việc làm, an sinh xã hội",
        "khcn" => "khoa học và công nghệ",
        "tai_nguyen" => "tài nguyên - môi trường",
        "chinh_quyen" => "xây dựng chính quyền",
        "quoc_phong" => "quốc phòng, an ninh, đối ngoại",
        "nghi_quyet" => "thực hiện các nghị quyết",
        other => return other.replace('_', " "),
    };
    known.to_string()
}

/// The default source line of a chart: the sector by its title, the months shown.
pub fn chart_source(sector: &str, first: u8, last: u8, year: i32) -> String {
    format!(
        "Nguồn: số liệu lĩnh vực {} các tháng {first:02} - {last:02}/{year}",
        sector_title(sector)
    )
}

/// Added to a chart's source line when the text prints an official figure for the
/// period that differs from the sum of the months drawn.
pub fn chart_official_note(official: &str, months: &str) -> String {
    format!(". Số cả kỳ trong báo cáo ({official}) là số công bố; các tháng trong biểu đồ cộng lại {months}")
}
