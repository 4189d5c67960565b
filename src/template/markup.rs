//! The fragment text language -> Typst markup.
//!
//! Fragment text is printed as written: every ASCII punctuation character is
//! escaped, so `#`, `*`, `_`, `//`, `@`, `<`, `$`, URLs and e-mail addresses
//! cannot change the document. Only these constructs are active:
//! a blank line (new paragraph), a line starting with `- ` (new dash
//! paragraph), `^[ ... ]` (footnote), `**bold**`, `__italic__`.
//!
//! Values interpolated by minijinja arrive between sentinel characters (see
//! [`VALUE_START`]) and are never parsed: they become `#so-lieu-doan.at(N);`, an index into
//! the fragment's value list that Typst reads from a JSON file and shows as text.

/// Starts an interpolated value (private-use character, stripped from data).
pub const VALUE_START: char = '\u{E000}';
/// Ends an interpolated value.
pub const VALUE_END: char = '\u{E001}';
/// Starts raw Typst markup produced by the `typst` filter.
pub const RAW_START: char = '\u{E002}';
/// Ends raw Typst markup.
pub const RAW_END: char = '\u{E003}';

/// True for the characters reserved as sentinels.
pub fn is_sentinel(c: char) -> bool {
    ('\u{E000}'..='\u{E003}').contains(&c)
}

/// Result of converting one fragment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Converted {
    /// Typst markup (without the `#let v = ...` preamble).
    pub typst: String,
    /// The interpolated values, shown as text.
    pub values: Vec<String>,
    /// (offset in `typst`, offset in the input) checkpoints, ascending.
    pub map: Vec<(usize, usize)>,
}

impl Converted {
    /// The input offset that produced the Typst byte at `typ_offset`.
    pub fn input_offset(&self, typ_offset: usize) -> usize {
        match self.map.binary_search_by(|(t, _)| t.cmp(&typ_offset)) {
            Ok(i) => self.map[i].1,
            Err(0) => 0,
            Err(i) => {
                let (t, inp) = self.map[i - 1];
                inp + (typ_offset - t)
            }
        }
    }
}

/// A construct left open or closed without opening; offset in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupError {
    pub offset: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Footnote,
    Bracket,
    Strong,
    Emph,
}

impl Open {
    fn name(self) -> &'static str {
        match self {
            Open::Footnote => "chú thích ^[",
            Open::Bracket => "dấu ngoặc [",
            Open::Strong => "chữ đậm **",
            Open::Emph => "chữ nghiêng __",
        }
    }
}

/// Escapes plain text for Typst markup (used for literal fragment text).
pub fn escape_char(c: char, out: &mut String) {
    match c {
        '\r' => {}
        '\t' => out.push(' '),
        c if c.is_ascii_punctuation() => {
            out.push('\\');
            out.push(c);
        }
        c if c.is_control() => {}
        c => out.push(c),
    }
}

/// Converts minijinja output (fragment text with sentinel-wrapped values) to Typst.
pub fn convert(input: &str) -> Result<Converted, MarkupError> {
    let mut out = Converted::default();
    let mut stack: Vec<(Open, usize)> = Vec::new();
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let mut i = 0;
    let mut line_start = true;
    let mut pending_blank = false;
    let mut block_has_text = false;
    let peek = |k: usize| chars.get(k).map(|x| x.1);
    while i < chars.len() {
        let (off, c) = chars[i];
        // Line handling: blank lines end a paragraph, "- " starts one.
        if line_start {
            let mut j = i;
            while matches!(peek(j), Some(' ') | Some('\t') | Some('\r')) {
                j += 1;
            }
            if matches!(peek(j), Some('\n')) {
                pending_blank = true;
                i = j + 1;
                continue;
            }
            if j >= chars.len() {
                break;
            }
            let dash = peek(j) == Some('-') && matches!(peek(j + 1), Some(' ') | Some('\t'));
            if block_has_text && (pending_blank || dash) {
                out.typst.push_str("\n\n");
            } else if block_has_text {
                out.typst.push(' ');
            }
            pending_blank = false;
            line_start = false;
            i = j;
            continue;
        }
        out.map.push((out.typst.len(), off));
        match c {
            '\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            VALUE_START | RAW_START => {
                let end = if c == VALUE_START { VALUE_END } else { RAW_END };
                let mut j = i + 1;
                let mut text = String::new();
                while let Some(x) = peek(j) {
                    if x == end {
                        break;
                    }
                    text.push(x);
                    j += 1;
                }
                if c == VALUE_START {
                    if !text.is_empty() {
                        out.typst.push_str(&format!("#so-lieu-doan.at({});", out.values.len()));
                        out.values.push(text);
                    }
                } else {
                    if let Some(last) = out.map.last_mut() {
                        last.1 = off + c.len_utf8();
                    }
                    out.typst.push_str(&text);
                    // Keep the map exact inside raw markup (errors point into it).
                    out.map.push((out.typst.len(), chars.get(j).map_or(input.len(), |x| x.0)));
                }
                block_has_text = true;
                i = j + 1;
                continue;
            }
            VALUE_END | RAW_END => {
                i += 1;
                continue;
            }
            '^' if peek(i + 1) == Some('[') => {
                out.typst.push_str("#footnote[");
                stack.push((Open::Footnote, off));
                i += 2;
            }
            '[' if stack.iter().any(|s| s.0 == Open::Footnote) => {
                out.typst.push_str("\\[");
                stack.push((Open::Bracket, off));
                i += 1;
            }
            ']' if matches!(stack.last(), Some((Open::Footnote, _)) | Some((Open::Bracket, _))) => {
                let (kind, _) = stack.pop().unwrap();
                out.typst.push_str(if kind == Open::Footnote { "]" } else { "\\]" });
                i += 1;
            }
            ']' if stack.iter().any(|s| s.0 == Open::Footnote) => {
                let (kind, at) = *stack.last().unwrap();
                return Err(MarkupError {
                    offset: at,
                    message: format!("{} chưa đóng trước dấu ] của chú thích", kind.name()),
                });
            }
            '*' | '_' if peek(i + 1) == Some(c) => {
                let kind = if c == '*' { Open::Strong } else { Open::Emph };
                if stack.last().map(|s| s.0) == Some(kind) {
                    stack.pop();
                    out.typst.push(']');
                } else {
                    out.typst.push_str(if c == '*' { "#strong[" } else { "#emph[" });
                    stack.push((kind, off));
                }
                i += 2;
            }
            c => {
                escape_char(c, &mut out.typst);
                i += 1;
            }
        }
        block_has_text = true;
    }
    if let Some((kind, at)) = stack.pop() {
        return Err(MarkupError {
            offset: at,
            message: format!("{} mở ở đây nhưng không được đóng", kind.name()),
        });
    }
    out.map.push((out.typst.len(), input.len()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> String {
        convert(s).unwrap().typst
    }

    #[test]
    fn paragraphs_and_dashes() {
        assert_eq!(t("a\nb\n\nc"), "a b\n\nc");
        assert_eq!(t("a\n- b\n- c"), "a\n\n\\- b\n\n\\- c");
        assert_eq!(t("\n\n  x  \n\n\n"), "x  ");
    }

    #[test]
    fn escapes_everything_else() {
        assert_eq!(
            t("a@b.gov.vn // x *y* #z $m$ <l> http://a"),
            "a\\@b\\.gov\\.vn \\/\\/ x \\*y\\* \\#z \\$m\\$ \\<l\\> http\\:\\/\\/a"
        );
        assert_eq!(t("= h"), "\\= h");
    }

    #[test]
    fn footnotes_and_emphasis() {
        assert_eq!(t("ha^[Gồm: [1] x]."), "ha#footnote[Gồm\\: \\[1\\] x]\\.");
        assert_eq!(t("**đậm** __nghiêng__"), "#strong[đậm] #emph[nghiêng]");
        assert_eq!(t("a^[x\n\n- y\n- z]"), "a#footnote[x\n\n\\- y\n\n\\- z]");
        assert!(convert("a^[x").is_err());
        assert!(convert("**a").is_err());
        assert!(convert("^[**a]").is_err());
        assert_eq!(t("a ] b"), "a \\] b");
    }

    #[test]
    fn values_become_indexes() {
        let c = convert("đạt \u{E000}6.014\u{E001} ha\u{E000}#x]\u{E001}").unwrap();
        assert_eq!(c.typst, "đạt #so-lieu-doan.at(0); ha#so-lieu-doan.at(1);");
        assert_eq!(c.values, vec!["6.014", "#x]"]);
        let c = convert("\u{E002}#pagebreak()\u{E003}").unwrap();
        assert_eq!(c.typst, "#pagebreak()");
    }

    #[test]
    fn map_points_back() {
        let input = "ab\ncd \u{E002}#bad(\u{E003}";
        let c = convert(input).unwrap();
        let typ_off = c.typst.find("#bad").unwrap() + 2;
        let inp = c.input_offset(typ_off);
        assert_eq!(&input[inp..inp + 2], "ad");
    }
}
