//! Reading a sector's table from CSV or from one sheet of an .xlsx workbook,
//! refusing what would be read as garbage (UTF-16, legacy code pages).

use std::path::{Path, PathBuf};

use crate::error::{DataText, Findings, Location, Problem, Severity};

/// Files above this size are refused (a sector sheet is a few KB).
pub const MAX_FILE_BYTES: u64 = 20_000_000;

/// A cell as read: text from CSV or a text cell, or a number from an xlsx cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(t) if t.trim().is_empty())
    }
    /// The cell as text (numbers in plain notation).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) => format!("{n}"),
        }
    }
}

/// One data row with its 1-based line (CSV) or row (xlsx) number.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<Cell>,
}

/// A sector table: header names and rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Shown in messages ("data/2026-02/nong_nghiep.csv" or "...xlsx, trang tính nong_nghiep").
    pub source: PathBuf,
    pub sector: String,
    pub header: Vec<String>,
    /// 1-based line (CSV) or row (xlsx) of the header: 1 unless title rows stand above it.
    pub header_line: usize,
    pub rows: Vec<Row>,
    /// Its indicators, once read from the fields above ([`super::indicators::of_table`]).
    /// A table is never changed once read, and the parse cache shares it: an
    /// unchanged file's indicators are read once per process, not at every preview.
    pub(crate) indicators: ReadOnce,
}

/// What reading a table's rows as indicators gave, kept with the table.
#[derive(Clone, Default)]
pub(crate) struct ReadOnce(pub(crate) std::sync::OnceLock<(Vec<super::Indicator>, Vec<crate::error::Finding>)>);

impl std::fmt::Debug for ReadOnce {
    /// Left out of a table's debug text (it is derived from the rest).
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Ok(())
    }
}

impl Table {
    /// The name of column `i` (from 0) as the header writes it, without the
    /// spaces and byte-order mark a spreadsheet may leave around it.
    pub fn column_name(&self, i: usize) -> Option<&str> {
        self.header.get(i).map(|h| h.trim().trim_start_matches('\u{feff}'))
    }

    /// The position (from 0) of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        (0..self.header.len()).find(|&i| self.column_name(i) == Some(name))
    }
}

/// How many non-blank rows to look at for the header row under title rows.
const HEADER_SEARCH_ROWS: usize = 20;

/// The position among the first non-blank rows of the header row: the first
/// with a cell `ma` (title rows and merged title cells above it are skipped);
/// 0 when none has one (the first row is the header, as before).
pub fn header_position<I, R>(rows: I) -> usize
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = String>,
{
    let is_code = |c: &String| c.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case("ma");
    rows.into_iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|r| r.into_iter().any(|c| is_code(&c)))
        .unwrap_or(0)
}

/// The non-blank records of a CSV text (as far as they read), for
/// [`header_position`]; `rdr` is left at the start of the text again (one reader
/// per file: making one costs as much as reading a small file).
fn leading_records(rdr: &mut CsvReader) -> Vec<Vec<String>> {
    let leading = rdr
        .records()
        .map_while(|r| r.ok())
        .filter(|r| !r.iter().all(|c| c.trim().is_empty()))
        .take(HEADER_SEARCH_ROWS)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    // Seeking a reader over bytes in memory cannot fail.
    let _ = rdr.seek(csv::Position::new());
    leading
}

/// A CSV reader over a text in memory.
type CsvReader<'a> = csv::Reader<std::io::Cursor<&'a [u8]>>;

/// Checks size and encoding, returns the text without BOM.
pub fn read_text(path: &Path, shown: &Path, findings: &mut Findings) -> Option<String> {
    let err = |f: &mut Findings, p| f.push(Severity::Error, Location::file(shown), None, p);
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            err(findings, Problem::CsvSyntax { detail: e.to_string() });
            return None;
        }
    };
    if meta.len() > MAX_FILE_BYTES {
        err(findings, Problem::TooLarge { bytes: meta.len() });
        return None;
    }
    let bytes = match crate::base::folders::read(path) {
        Ok(b) => b,
        Err(e) => {
            err(findings, Problem::CsvSyntax { detail: e.to_string() });
            return None;
        }
    };
    decode(&bytes, shown, findings)
}

/// Decodes a data file's bytes: UTF-8 with or without BOM; UTF-16 and legacy
/// code pages are refused with a finding (never read as garbage).
pub fn decode(bytes: &[u8], shown: &Path, findings: &mut Findings) -> Option<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || looks_utf16(bytes) {
        findings.push(Severity::Error, Location::file(shown), None, Problem::Utf16);
        return None;
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Some(s.to_string()),
        Err(e) => {
            let line = body[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
            findings.push(Severity::Error, Location::at(shown, line, None), None, Problem::NotUtf8);
            None
        }
    }
}

/// 1-based line of the record starting at byte `start` (the reader may report
/// the offset before the previous record's line break).
fn record_line(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut b = start.min(bytes.len());
    while b < bytes.len() && (bytes[b] == b'\r' || bytes[b] == b'\n') {
        b += 1;
    }
    bytes[..b].iter().filter(|&&c| c == b'\n').count() + 1
}

/// Line and cell (1-based) of a `"` that opens a quoted cell never closed
/// (quotes inside a quoted cell are doubled, so a well-formed file balances).
fn unclosed_quote(text: &str, delim: u8) -> Option<(usize, usize)> {
    let mut open_at = None;
    let (mut line, mut cell) = (1, 1);
    for c in text.chars() {
        match c {
            '"' => open_at = if open_at.is_some() { None } else { Some((line, cell)) },
            '\n' if open_at.is_none() => {
                line += 1;
                cell = 1;
            }
            '\n' => line += 1,
            c if open_at.is_none() && c as u32 == delim as u32 => cell += 1,
            _ => {}
        }
    }
    open_at
}

fn looks_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(200)];
    head.len() >= 4 && head.iter().filter(|&&b| b == 0).count() * 4 >= head.len()
}

/// Picks `;` when the header line has more semicolons than commas (Excel in
/// Vietnamese locale), else `,`. The header line is the first line naming the
/// `ma` column when title lines stand above it, else the first line.
pub fn delimiter(text: &str) -> u8 {
    delimiter_of_table(text)
}

fn delimiter_of_table(text: &str) -> u8 {
    let named = text.lines().take(HEADER_SEARCH_ROWS).find(|l| {
        l.split([',', ';'])
            .any(|c| c.trim().trim_matches('"').trim_start_matches('\u{feff}').eq_ignore_ascii_case("ma"))
    });
    let first = named.or(text.lines().next()).unwrap_or("");
    if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// The tables of a sector file's bytes: a CSV gives one, named after the file;
/// an .xlsx one per sheet. Every problem becomes a finding.
pub fn tables_of(bytes: &[u8], path: &Path, shown: &Path, findings: &mut Findings) -> Vec<Table> {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        return read_xlsx_bytes(bytes, shown, findings);
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    decode(bytes, shown, findings)
        .and_then(|text| parse_csv(&text, shown, stem, findings))
        .into_iter()
        .collect()
}

/// Parses CSV text into a table; every problem becomes a finding.
pub fn parse_csv(text: &str, shown: &Path, sector: &str, findings: &mut Findings) -> Option<Table> {
    if !csv_precheck(text, shown, findings) {
        return None;
    }
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(std::io::Cursor::new(text.as_bytes()));
    let mut titles = header_position(leading_records(&mut rdr));
    let before = findings.0.len();
    let mut header: Option<Vec<String>> = None;
    let mut header_line = 1;
    let mut rows = Vec::new();
    let mut ok = true;
    let mut rec = csv::StringRecord::new();
    while next_record(&mut rdr, &mut rec, shown, findings)? {
        let line = record_line(text, rec.position().map_or(0, |p| p.byte() as usize));
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if header.is_none() && titles > 0 {
            titles -= 1;
            continue;
        }
        no_line_break(&rec, line, shown, findings)?;
        match &header {
            None => {
                header_line = line;
                header = Some(rec.iter().map(|h| h.trim().to_string()).collect());
            }
            Some(h) if rec.len() != h.len() => {
                ragged_row(findings, shown, line, h.len(), rec.len());
                ok = false;
            }
            Some(_) => rows.push(Row {
                line,
                cells: rec.iter().map(|c| Cell::Text(c.to_string())).collect(),
            }),
        }
    }
    if !ok
        && header
            .as_ref()
            .is_some_and(|h| h.iter().filter(|c| !c.trim().is_empty()).count() <= 1)
    {
        // A title line taken for the header: one hint instead of an error per row.
        findings.0.truncate(before);
        let first = header.into_iter().flatten().find(|c| !c.trim().is_empty()).unwrap_or_default();
        findings.push(Severity::Error, Location::file(shown), None, Problem::NoHeaderRow { first });
        return None;
    }
    finish_table(header.map(|h| (h, header_line)), rows, ok, shown, sector, findings)
}

/// Refuses an empty text and a quote never closed (before the CSV reader
/// would swallow the rest of the file into one cell).
fn csv_precheck(text: &str, shown: &Path, findings: &mut Findings) -> bool {
    if text.trim().is_empty() {
        findings.push(Severity::Error, Location::file(shown), None, Problem::EmptyFile);
        return false;
    }
    if let Some((line, cell)) = unclosed_quote(text, delimiter(text)) {
        findings.push(
            Severity::Error,
            Location::at(shown, line, Some(cell)),
            None,
            Problem::CsvSyntax {
                detail: DataText::UnclosedQuote.to_string(),
            },
        );
        return false;
    }
    true
}

/// Reads the next record: `Some(true)` read, `Some(false)` at the end, `None`
/// after a syntax error (reported with its line).
fn next_record(rdr: &mut CsvReader, rec: &mut csv::StringRecord, shown: &Path, findings: &mut Findings) -> Option<bool> {
    let line = rdr.position().line() as usize;
    match rdr.read_record(rec) {
        Ok(more) => Some(more),
        Err(e) => {
            let at = e.position().map(|p| p.line() as usize).unwrap_or(line);
            findings.push(
                Severity::Error,
                Location::at(shown, at.max(1), None),
                None,
                Problem::CsvSyntax { detail: e.to_string() },
            );
            None
        }
    }
}

/// Refuses a record with a line break inside a cell (an unbalanced quote).
fn no_line_break(rec: &csv::StringRecord, line: usize, shown: &Path, findings: &mut Findings) -> Option<()> {
    let Some(col) = rec.iter().position(|c| c.contains('\n') || c.contains('\r')) else {
        return Some(());
    };
    findings.push(
        Severity::Error,
        Location::at(shown, line, Some(col + 1)),
        None,
        Problem::CsvSyntax {
            detail: DataText::NewlineInCell.to_string(),
        },
    );
    None
}

/// Reports a row whose number of cells differs from the header's.
fn ragged_row(findings: &mut Findings, shown: &Path, line: usize, expected: usize, found: usize) {
    findings.push(
        Severity::Error,
        Location::at(shown, line, None),
        None,
        Problem::RaggedRow { expected, found },
    );
}

/// The table read, unless it has no header, only a header, or (`ok` false)
/// rows already reported as wrong.
fn finish_table(
    header: Option<(Vec<String>, usize)>,
    rows: Vec<Row>,
    ok: bool,
    source: &Path,
    sector: &str,
    findings: &mut Findings,
) -> Option<Table> {
    let Some((header, header_line)) = header else {
        findings.push(Severity::Error, Location::file(source), None, Problem::EmptyFile);
        return None;
    };
    if rows.is_empty() && ok {
        findings.push(Severity::Error, Location::file(source), None, Problem::HeaderOnly);
        return None;
    }
    ok.then(|| Table {
        source: source.to_path_buf(),
        sector: sector.to_string(),
        header,
        header_line,
        rows,
        indicators: ReadOnce::default(),
    })
}

/// An .xlsx workbook as opened by calamine.
type Workbook = calamine::Xlsx<std::io::BufReader<std::fs::File>>;

/// Reads every sheet of an .xlsx workbook as one sector table each.
pub fn read_xlsx(path: &Path, shown: &Path, findings: &mut Findings) -> Vec<Table> {
    use calamine::Reader;
    let Some(mut wb) = open_xlsx(path, shown, findings) else {
        return vec![];
    };
    let mut out = Vec::new();
    for name in wb.sheet_names().to_owned() {
        out.extend(read_sheet(&mut wb, &name, shown, findings));
    }
    out
}

/// Opens a workbook, refusing one too large or unreadable.
fn open_xlsx(path: &Path, shown: &Path, findings: &mut Findings) -> Option<Workbook> {
    if let Ok(m) = std::fs::metadata(path) {
        if m.len() > MAX_FILE_BYTES {
            findings.push(Severity::Error, Location::file(shown), None, Problem::TooLarge { bytes: m.len() });
            return None;
        }
    }
    match crate::base::folders::guard_io(path)
        .map_err(calamine::XlsxError::Io)
        .and_then(|_| calamine::open_workbook(path))
    {
        Ok(w) => Some(w),
        Err(e) => {
            findings.push(
                Severity::Error,
                Location::file(shown),
                None,
                Problem::CsvSyntax {
                    detail: DataText::Unopenable(e.to_string()).to_string(),
                },
            );
            None
        }
    }
}

/// Reads every sheet of an .xlsx workbook held in memory (an upload) as one sector table each.
pub fn read_xlsx_bytes(bytes: &[u8], shown: &Path, findings: &mut Findings) -> Vec<Table> {
    use calamine::Reader;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        findings.push(
            Severity::Error,
            Location::file(shown),
            None,
            Problem::TooLarge { bytes: bytes.len() as u64 },
        );
        return vec![];
    }
    let mut wb = match calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())) {
        Ok(w) => w,
        Err(e) => {
            let detail = DataText::Unopenable(e.to_string()).to_string();
            findings.push(Severity::Error, Location::file(shown), None, Problem::CsvSyntax { detail });
            return vec![];
        }
    };
    let mut out = Vec::new();
    for name in wb.sheet_names().to_owned() {
        out.extend(read_sheet(&mut wb, &name, shown, findings));
    }
    out
}

/// Reads one sheet as a sector table (named after the sheet).
fn read_sheet<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Xlsx<RS>,
    name: &str,
    shown: &Path,
    findings: &mut Findings,
) -> Option<Table> {
    use calamine::Reader;
    let shown_sheet = PathBuf::from(
        DataText::Sheet {
            file: shown.to_path_buf(),
            sheet: name.to_string(),
        }
        .to_string(),
    );
    let range = match wb.worksheet_range(name) {
        Ok(r) => r,
        Err(e) => {
            let problem = Problem::CsvSyntax { detail: e.to_string() };
            findings.push(Severity::Error, Location::file(&shown_sheet), None, problem);
            return None;
        }
    };
    let start_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let formulas = wb.worksheet_formula(name).ok();
    formulas_without_values(&range, formulas.as_ref(), &shown_sheet, findings);
    let non_blank = range.rows().filter(|r| !r.iter().map(xlsx_cell).all(|c| c.is_blank()));
    let mut titles = header_position(non_blank.map(|r| r.iter().map(|d| xlsx_cell(d).text()).collect::<Vec<_>>()));
    let mut header: Option<(Vec<String>, usize)> = None;
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let cells: Vec<Cell> = r.iter().map(xlsx_cell).collect();
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        match &header {
            None if titles > 0 => titles -= 1,
            None => header = Some((xlsx_header(&cells), start_row + i + 1)),
            Some((h, _)) => rows.extend(xlsx_row(cells, h.len(), start_row + i + 1, &shown_sheet, findings)),
        }
    }
    finish_table(header, rows, true, &shown_sheet, name.trim(), findings)
}

/// A workbook cell: numbers stay numbers, everything else becomes text.
fn xlsx_cell(d: &calamine::Data) -> Cell {
    match d {
        calamine::Data::Int(n) => Cell::Number(*n as f64),
        calamine::Data::Float(f) => Cell::Number(*f),
        calamine::Data::Empty => Cell::Text(String::new()),
        other => Cell::Text(other.to_string()),
    }
}

/// The header names of a sheet, without the blank cells at its right.
fn xlsx_header(cells: &[Cell]) -> Vec<String> {
    let mut h: Vec<String> = cells.iter().map(Cell::text).collect();
    while h.last().is_some_and(|s| s.is_empty()) {
        h.pop();
    }
    h
}

/// One data row of a sheet padded or cut to the header's width (blank cells at
/// the right do not count); a row with more cells than the header is reported.
fn xlsx_row(mut cells: Vec<Cell>, width: usize, line: usize, shown: &Path, findings: &mut Findings) -> Option<Row> {
    cells.truncate(width.max(cells.iter().rposition(|c| !c.is_blank()).map_or(0, |p| p + 1)));
    cells.resize(width.max(cells.len()), Cell::Text(String::new()));
    if cells.len() != width {
        ragged_row(findings, shown, line, width, cells.len());
        return None;
    }
    Some(Row { line, cells })
}

/// A formula cell whose computed value was not saved (a file written by a program,
/// not by Excel) reads as blank: say so, with the fix, instead of "thiếu giá trị" alone.
fn formulas_without_values(
    values: &calamine::Range<calamine::Data>,
    formulas: Option<&calamine::Range<String>>,
    shown: &Path,
    findings: &mut Findings,
) {
    let Some(formulas) = formulas else { return };
    let Some((r0, c0)) = formulas.start() else { return };
    for (i, row) in formulas.rows().enumerate() {
        for (j, f) in row.iter().enumerate() {
            let pos = (r0 + i as u32, c0 + j as u32);
            let blank = match values.get_value(pos) {
                None | Some(calamine::Data::Empty) => true,
                Some(calamine::Data::String(s)) => s.trim().is_empty(),
                _ => false,
            };
            if !f.trim().is_empty() && blank {
                let at = Location::at(shown, pos.0 as usize + 1, Some(pos.1 as usize + 1));
                findings.push(Severity::Error, at, None, Problem::FormulaWithoutValue { formula: f.clone() });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> (Option<Table>, Findings) {
        let mut f = Findings::default();
        (parse_csv(text, Path::new("x.csv"), "x", &mut f), f)
    }

    #[test]
    fn semicolon_bom_crlf() {
        let (t, f) = csv("ma;ten\r\na;\"b; c\"\r\n");
        assert!(f.0.is_empty(), "{f}");
        let t = t.unwrap();
        assert_eq!(t.header, vec!["ma", "ten"]);
        assert_eq!(t.rows[0].cells[1], Cell::Text("b; c".into()));
        assert_eq!(t.rows[0].line, 2);
    }

    #[test]
    fn ragged_and_unclosed() {
        let (_, f) = csv("ma,ten\na,b,c\n");
        assert_eq!(f.0[0].location.line, Some(2));
        assert!(matches!(f.0[0].problem, Problem::RaggedRow { expected: 2, found: 3 }));
        let (_, f) = csv("ma,ten\na,\"b\nc,d\n");
        assert!(matches!(f.0[0].problem, Problem::CsvSyntax { .. }), "{f}");
        assert_eq!((f.0[0].location.line, f.0[0].location.column), (Some(2), Some(2)));
        let (_, f) = csv("ma,ten\na,b\nc,\"d");
        assert_eq!((f.0[0].location.line, f.0[0].location.column), (Some(3), Some(2)), "{f}");
        let (t, f) = csv("ma,ten\na,\"say \"\"hi\"\"\"\n");
        assert!(f.0.is_empty() && t.is_some(), "{f}");
        assert!(matches!(csv(",,\n,,\n").1 .0[0].problem, Problem::EmptyFile));
    }

    #[test]
    fn title_lines_above_the_header_keep_their_line_numbers() {
        // One reader reads the leading lines to find the header, then the file
        // again from its start: rows keep the lines a clerk sees.
        let (t, f) = csv("BÁO CÁO NGÀNH Y TẾ\n\nKỳ: 02/2026\nma,ten,gia_tri\na,Ca bệnh,12\nb,Ca khỏi,\"1,5\"\n");
        assert!(f.0.is_empty(), "{f}");
        let t = t.unwrap();
        assert_eq!(t.header, vec!["ma", "ten", "gia_tri"]);
        assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![5, 6]);
        assert_eq!(t.rows[1].cells[2], Cell::Text("1,5".into()));
        let (_, f) = csv("Tiêu đề\nma,ten\na,b,c\n");
        assert_eq!(f.0[0].location.line, Some(3), "{f}");
    }

    #[test]
    fn empty_and_header_only() {
        assert!(matches!(csv("").1 .0[0].problem, Problem::EmptyFile));
        assert!(matches!(csv("ma,ten\n").1 .0[0].problem, Problem::HeaderOnly));
    }
}
