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
//! the fragment's value list that Typst reads from a JSON file and shows as text (in a
//! footnote `#so-lieu-doan-khi-dan(N);`, the same value read when the page is laid out).

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

/// Whether `c` is copied to Typst as it is: what [`escape_char`] would write
/// unchanged and no construct or sentinel starts with.
fn is_plain(c: char) -> bool {
    !c.is_ascii_punctuation() && !c.is_control() && !is_sentinel(c)
}

/// Converts minijinja output (fragment text with sentinel-wrapped values) to Typst.
pub fn convert(input: &str) -> Result<Converted, MarkupError> {
    Converter::new(input).run()
}

/// The state of one conversion: the output so far, the open constructs and
/// where the current line and paragraph stand.
struct Converter<'a> {
    input: &'a str,
    chars: Vec<(usize, char)>,
    out: Converted,
    /// Open constructs with the input offset that opened each.
    stack: Vec<(Open, usize)>,
    /// The next character starts a line.
    line_start: bool,
    /// A blank line was seen since the last text.
    pending_blank: bool,
    /// The current paragraph (or footnote block) already has text.
    block_has_text: bool,
}

impl<'a> Converter<'a> {
    fn new(input: &'a str) -> Self {
        Converter {
            input,
            chars: input.char_indices().collect(),
            out: Converted::default(),
            stack: Vec::new(),
            line_start: true,
            pending_blank: false,
            block_has_text: false,
        }
    }

    /// The character at index `k`, if any.
    fn peek(&self, k: usize) -> Option<char> {
        self.chars.get(k).map(|x| x.1)
    }

    /// Walks the input token by token, then checks nothing is left open.
    fn run(mut self) -> Result<Converted, MarkupError> {
        let mut i = 0;
        while i < self.chars.len() {
            if self.line_start {
                match self.start_line(i) {
                    Some(next) => i = next,
                    None => break,
                }
            } else {
                i = self.token(i)?;
            }
        }
        if let Some((kind, at)) = self.stack.pop() {
            return Err(MarkupError {
                offset: at,
                message: format!("{} mở ở đây nhưng không được đóng", kind.name()),
            });
        }
        self.mark(self.input.len());
        Ok(self.out)
    }

    /// Records that the next Typst byte comes from input offset `off`. Only
    /// what [`Converted::input_offset`] could not tell from the last checkpoint
    /// is kept (text copied as is needs none); of two checkpoints at one Typst
    /// offset the later wins (the earlier token wrote nothing).
    fn mark(&mut self, off: usize) {
        let t = self.out.typst.len();
        match self.out.map.last() {
            Some(&(lt, _)) if lt == t => {
                self.out.map.pop();
            }
            Some(&(lt, lo)) if lo + (t - lt) == off => return,
            _ => {}
        }
        self.out.map.push((t, off));
    }

    /// Line handling at index `i`: blank lines end a paragraph, "- " starts one.
    /// Returns the next index, or `None` when only blanks remain.
    fn start_line(&mut self, i: usize) -> Option<usize> {
        let mut j = i;
        while matches!(self.peek(j), Some(' ') | Some('\t') | Some('\r')) {
            j += 1;
        }
        if matches!(self.peek(j), Some('\n')) {
            self.pending_blank = true;
            return Some(j + 1);
        }
        if j >= self.chars.len() {
            return None;
        }
        let dash = self.peek(j) == Some('-') && matches!(self.peek(j + 1), Some(' ') | Some('\t'));
        if self.block_has_text && (self.pending_blank || dash) {
            self.out.typst.push_str("\n\n");
        } else if self.block_has_text {
            self.out.typst.push(' ');
        }
        self.pending_blank = false;
        self.line_start = false;
        Some(j)
    }

    /// One token inside a line starting at index `i`; returns the next index.
    fn token(&mut self, i: usize) -> Result<usize, MarkupError> {
        let (off, c) = self.chars[i];
        self.mark(off);
        match c {
            '\n' => {
                self.line_start = true;
                Ok(i + 1)
            }
            VALUE_START | RAW_START => Ok(self.sentinel(i)),
            VALUE_END | RAW_END => Ok(i + 1),
            c if is_plain(c) => {
                // A run of plain text is copied as it is, in one piece.
                let end = (i..self.chars.len())
                    .find(|&k| !is_plain(self.chars[k].1))
                    .unwrap_or(self.chars.len());
                let end_off = self.chars.get(end).map_or(self.input.len(), |x| x.0);
                self.out.typst.push_str(&self.input[off..end_off]);
                self.block_has_text = true;
                Ok(end)
            }
            _ => {
                let next = self.inline(i)?;
                self.block_has_text = true;
                Ok(next)
            }
        }
    }

    /// A value or raw markup between sentinels starting at index `i`; returns
    /// the index after its end sentinel.
    fn sentinel(&mut self, i: usize) -> usize {
        let (off, c) = self.chars[i];
        let end = if c == VALUE_START { VALUE_END } else { RAW_END };
        let j = (i + 1..self.chars.len())
            .find(|&k| self.chars[k].1 == end)
            .unwrap_or(self.chars.len());
        let text: String = self.chars[i + 1..j].iter().map(|x| x.1).collect();
        if c == VALUE_START {
            self.value(text);
        } else {
            self.raw(&text, off + c.len_utf8(), j);
        }
        self.block_has_text = true;
        j + 1
    }

    /// An interpolated value: an index into the value list (nothing if empty).
    /// In a footnote it is read when the page is laid out, not when the fragment
    /// is evaluated: the footnote's content then stays the same when only a
    /// figure changes, and so do the footnote numbers Typst counts from it
    /// (a figure changed in a footnote otherwise lays every numbered footnote
    /// out again: 29-44 ms against 13-16 ms in `typst watch`, docs/hieu-nang.md).
    fn value(&mut self, text: String) {
        if !text.is_empty() {
            let index = self.out.values.len();
            let read = if self.in_footnote() {
                "so-lieu-doan-khi-dan"
            } else {
                "so-lieu-doan.at"
            };
            self.out.typst.push_str(&format!("#{read}({index});"));
            self.out.values.push(text);
        }
    }

    /// Raw Typst markup copied as is; `text_off` is its input offset and `end`
    /// the index of its end sentinel.
    fn raw(&mut self, text: &str, text_off: usize, end: usize) {
        self.mark(text_off);
        self.out.typst.push_str(text);
        // Keep the map exact inside raw markup (errors point into it).
        let end_off = self.chars.get(end).map_or(self.input.len(), |x| x.0);
        self.mark(end_off);
    }

    /// Inside a footnote (`^[ ... ]`), however deep.
    fn in_footnote(&self) -> bool {
        self.stack.iter().any(|s| s.0 == Open::Footnote)
    }

    /// Footnotes, brackets, emphasis or an escaped character at index `i`.
    fn inline(&mut self, i: usize) -> Result<usize, MarkupError> {
        let (off, c) = self.chars[i];
        let in_footnote = self.in_footnote();
        match c {
            '^' if self.peek(i + 1) == Some('[') => {
                self.out.typst.push_str("#footnote[");
                self.stack.push((Open::Footnote, off));
                Ok(i + 2)
            }
            '[' if in_footnote => {
                self.out.typst.push_str("\\[");
                self.stack.push((Open::Bracket, off));
                Ok(i + 1)
            }
            ']' if matches!(self.stack.last(), Some((Open::Footnote | Open::Bracket, _))) => {
                self.close_bracket();
                Ok(i + 1)
            }
            ']' if in_footnote => Err(self.unclosed_in_footnote()),
            '*' | '_' if self.peek(i + 1) == Some(c) => {
                self.toggle_emphasis(c, off);
                Ok(i + 2)
            }
            c => {
                escape_char(c, &mut self.out.typst);
                Ok(i + 1)
            }
        }
    }

    /// Closes the footnote or bracket on top of the stack.
    fn close_bracket(&mut self) {
        if let Some((kind, _)) = self.stack.pop() {
            self.out.typst.push_str(if kind == Open::Footnote { "]" } else { "\\]" });
        }
    }

    /// The error for a footnote's `]` while another construct is still open.
    fn unclosed_in_footnote(&self) -> MarkupError {
        let (kind, at) = *self.stack.last().expect("a footnote is open");
        MarkupError {
            offset: at,
            message: format!("{} chưa đóng trước dấu ] của chú thích", kind.name()),
        }
    }

    /// `**` or `__` at input offset `off`: closes the same construct when it
    /// is the innermost one, else opens it.
    fn toggle_emphasis(&mut self, c: char, off: usize) {
        let kind = if c == '*' { Open::Strong } else { Open::Emph };
        if self.stack.last().map(|s| s.0) == Some(kind) {
            self.stack.pop();
            self.out.typst.push(']');
        } else {
            self.out.typst.push_str(if c == '*' { "#strong[" } else { "#emph[" });
            self.stack.push((kind, off));
        }
    }
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

    /// A value in a footnote is read as the page is laid out, so the footnote's
    /// content (from which Typst numbers the footnotes) does not change with it.
    #[test]
    fn values_in_footnotes_are_read_when_laid_out() {
        let c = convert("đạt \u{E000}6.014\u{E001} con^[đàn trâu \u{E000}84.860\u{E001} con]").unwrap();
        assert_eq!(
            c.typst,
            "đạt #so-lieu-doan.at(0); con#footnote[đàn trâu #so-lieu-doan-khi-dan(1); con]"
        );
        assert_eq!(c.values, vec!["6.014", "84.860"]);
    }

    #[test]
    fn map_points_back() {
        let input = "ab\ncd \u{E002}#bad(\u{E003}";
        let c = convert(input).unwrap();
        let typ_off = c.typst.find("#bad").unwrap() + 2;
        let inp = c.input_offset(typ_off);
        assert_eq!(&input[inp..inp + 2], "ad");
    }

    /// Each letter and each escaped character maps back to itself, and text
    /// copied as is needs no checkpoint of its own.
    #[test]
    fn the_map_keeps_only_what_it_cannot_tell() {
        let input = "Tổng đàn trâu đạt \u{E000}6.014\u{E001} con, tăng 2% (so với cùng kỳ).^[Theo **số liệu** của Sở.]\n- Dòng mới";
        let c = convert(input).unwrap();
        assert!(c.map.len() < 30, "{} checkpoints for {} bytes", c.map.len(), c.typst.len());
        // What the conversion writes itself: the value's call, footnote, bold.
        let made: Vec<_> = ["#so-lieu-doan.at(0);", "#footnote[", "#strong["]
            .iter()
            .map(|m| c.typst.find(m).map(|at| at..at + m.len()).unwrap())
            .collect();
        let mut letters = 0;
        for (t, ch) in c.typst.char_indices().filter(|(t, _)| !made.iter().any(|m| m.contains(t))) {
            if ch.is_alphabetic() {
                let i = c.input_offset(t);
                assert_eq!(input[i..].chars().next(), Some(ch), "Typst byte {t} maps to input byte {i}");
                letters += 1;
            }
        }
        assert!(letters > 50);
        for escaped in ["\\,", "\\(", "\\%", "\\)"] {
            let t = c.typst.find(escaped).unwrap();
            assert_eq!(&input[c.input_offset(t)..][..1], &escaped[1..], "{escaped}");
        }
    }
}
