//! Starting new things from existing ones: a report type (`baocao new`) and a
//! period folder (`baocao new-period`), so staff never start from an empty folder.

use std::path::{Path, PathBuf};

use crate::base::manifest::{is_fragment_name, FILE_NAME};
use crate::base::period::Period;
use crate::error::{Error, IoAction, Result};
use crate::figures;

const STARTER_MANIFEST: &str = r#"# Loại báo cáo mới. Mỗi trường được giải thích trong docs/DAC-TA.md.
kieu = "hanh-chinh"                 # "hanh-chinh" (Nghị định 30) hoặc "dang" (Hướng dẫn 36)
loai_van_ban = "BÁO CÁO"
ky_hieu = "BC-UBND"                  # in ra "Số:      /BC-UBND" khi chưa có số
so = ""                              # số văn bản; để trống khi là dự thảo
co_quan = ["ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU"]
dia_danh = "Lai Châu"
ngay = ""                            # "2026-02-25"; để trống: chừa ngày, lấy tháng, năm của kỳ
trich_yeu = ["Về việc ... {{ ky.nhan }}"]
noi_nhan = ["Như trên;", "Lưu: VT."]
quyen_han = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
nguoi_ky = "Họ và tên"

# Các mục theo thứ tự; cap 1 -> I., 2 -> 1., 3 -> a) (chương trình tự đánh số).
[[muc]]
doan = "mo-dau"

[[muc]]
cap = 1
tieu_de = "NỘI DUNG"
doan = "noi-dung"
"#;

const STARTER_OPENING: &str = "Thực hiện ..., Ủy ban nhân dân tỉnh Lai Châu báo cáo {{ ky.nhan }} như sau:\n";
const STARTER_BODY: &str = "Viết nội dung ở đây. Số liệu lấy từ thư mục data/, ví dụ {{ \"{{ nong_nghiep.lua_dong_xuan }}\" }}; chú thích viết ngay sau từ cần chú thích^[Nội dung chú thích.].\n\nĐoạn cuối cùng kết thúc bằng dấu ./.\n";

fn copy_tree(from: &Path, to: &Path, created: &mut Vec<PathBuf>) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| Error::io(IoAction::CreateDir, to, e))?;
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .map_err(|e| Error::io(IoAction::ReadDir, from, e))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &target, created)?;
        } else {
            std::fs::copy(e.path(), &target).map_err(|err| Error::io(IoAction::Copy, e.path(), err))?;
            created.push(target);
        }
    }
    Ok(())
}

/// Creates `templates/<name>/`, copied from `from` or with a starter manifest.
pub fn new_report(templates: &Path, name: &str, from: Option<&str>) -> Result<Vec<PathBuf>> {
    if !is_fragment_name(name) {
        return Err(Error::BadReportName(name.to_string()));
    }
    let dir = templates.join(name);
    if dir.exists() {
        return Err(Error::ReportExists { dir });
    }
    let mut created = Vec::new();
    match from {
        Some(src) => {
            let src_dir = templates.join(src);
            if !src_dir.join(FILE_NAME).is_file() {
                return Err(Error::UnknownSourceReport {
                    name: src.to_string(),
                    manifest: src_dir.join(FILE_NAME),
                });
            }
            copy_tree(&src_dir, &dir, &mut created)?;
        }
        None => {
            std::fs::create_dir_all(&dir).map_err(|e| Error::io(IoAction::CreateDir, &dir, e))?;
            for (file, text) in [
                (FILE_NAME, STARTER_MANIFEST),
                ("mo-dau.txt", STARTER_OPENING),
                ("noi-dung.txt", STARTER_BODY),
            ] {
                let p = dir.join(file);
                std::fs::write(&p, text).map_err(|e| Error::io(IoAction::Write, &p, e))?;
                created.push(p);
            }
        }
    }
    Ok(created)
}

/// Folder (inside data/) where sample periods are moved when a real period takes their place.
pub const SAMPLES_DIR: &str = "_mau";

/// What `new-period` did.
#[derive(Debug, Default)]
pub struct NewPeriod {
    /// Files written.
    pub created: Vec<PathBuf>,
    /// A sample folder that stood in the way and where it was moved.
    pub moved_sample: Option<(PathBuf, PathBuf)>,
    /// Indicator names copied with a date in them (to rename for the new period).
    pub findings: crate::error::Findings,
}

/// Whether a period folder is one of the samples the repository ships.
pub fn is_sample(dir: &Path) -> bool {
    dir.join(figures::SAMPLE_MARKER).is_file()
}

/// Makes room for `dir`: a sample folder is moved to data/_mau/; real data is never touched.
fn make_room(data_dir: &Path, dir: &Path) -> Result<Option<(PathBuf, PathBuf)>> {
    if !dir.exists() {
        return Ok(None);
    }
    let name = dir.file_name().map(PathBuf::from).unwrap_or_default();
    let aside = data_dir.join(SAMPLES_DIR).join(name);
    if !is_sample(dir) || aside.exists() {
        return Err(Error::PeriodExists { dir: dir.to_path_buf() });
    }
    std::fs::create_dir_all(data_dir.join(SAMPLES_DIR)).map_err(|e| Error::io(IoAction::CreateDir, data_dir.join(SAMPLES_DIR), e))?;
    std::fs::rename(dir, &aside).map_err(|e| Error::io(IoAction::Move, dir, e))?;
    Ok(Some((dir.to_path_buf(), aside)))
}

/// Warnings for the indicator names of a written CSV that carry a date.
fn dated_names(target: &Path, shown: &Path, findings: &mut crate::error::Findings) {
    let Ok(text) = std::fs::read_to_string(target) else { return };
    let delim = crate::figures::table::delimiter(&text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(text.as_bytes());
    let col = rdr.headers().ok().and_then(|h| h.iter().position(|x| x.trim() == "ten"));
    let Some(col) = col else { return };
    for (i, rec) in rdr.records().flatten().enumerate() {
        let line = rec.position().map_or(i + 2, |p| p.line() as usize);
        if let Some(date) = rec.get(col).and_then(crate::wording::stale::date_in_name) {
            let loc = crate::error::Location::at(shown, line, Some(col + 1));
            findings.push(
                crate::error::Severity::Warning,
                loc,
                None,
                crate::error::Problem::DatedName { text: date },
            );
        }
    }
}

/// Creates `data/<period>/` from `from`: same indicators, values to fill in,
/// prior-year values looked up, narrative overrides copied. A sample folder
/// already at that place is moved to `data/_mau/` first (and said so).
pub fn new_period(root: &Path, data_dir: &Path, period: Period, from: Period) -> Result<NewPeriod> {
    let dir = data_dir.join(period.to_string());
    if dir.exists() && !is_sample(&dir) {
        return Err(Error::PeriodExists { dir });
    }
    let src = data_dir.join(from.to_string());
    if !src.is_dir() {
        return Err(Error::MissingPeriod {
            period: from.to_string(),
            dir: src,
        });
    }
    let last_year_dir = data_dir.join(period.same_period_last_year().to_string());
    let last_year = if last_year_dir.is_dir() {
        Some(figures::read_folder(root, &last_year_dir, period.same_period_last_year())?)
    } else {
        None
    };
    let same_year = period.year() == from.year();
    let mut out = NewPeriod {
        moved_sample: make_room(data_dir, &dir)?,
        ..NewPeriod::default()
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(IoAction::CreateDir, &dir, e))?;
    let mut entries: Vec<_> = std::fs::read_dir(&src)
        .map_err(|e| Error::io(IoAction::ReadDir, &src, e))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    let blank = Blanking {
        last_year: last_year.as_ref(),
        same_year,
    };
    for e in entries {
        let name = e.file_name();
        // The change log and its copies belong to the period they record.
        if name == crate::office::audit::LOG_FILE || name == crate::office::audit::SNAPSHOT_DIR || name == figures::SAMPLE_MARKER {
            continue;
        }
        let (path, target) = (e.path(), dir.join(&name));
        let is_csv = path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case("csv"));
        if path.is_dir() {
            copy_tree(&path, &target, &mut out.created)?;
        } else if is_csv {
            blank.copy_csv(&path, &target)?;
            dated_names(&target, target.strip_prefix(root).unwrap_or(&target), &mut out.findings);
            out.created.push(target);
        } else {
            std::fs::copy(&path, &target).map_err(|err| Error::io(IoAction::Copy, &path, err))?;
            out.created.push(target);
        }
    }
    Ok(out)
}

/// How a sector file of the earlier period becomes the new period's: values
/// and notes blank, last year's value as `cung_ky`, targets kept within a year.
struct Blanking<'a> {
    last_year: Option<&'a figures::PeriodData>,
    same_year: bool,
}

impl Blanking<'_> {
    /// Copies the CSV `path` to `target` with the new period's blanks.
    fn copy_csv(&self, path: &Path, target: &Path) -> Result<()> {
        let sector = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let text = std::fs::read_to_string(path).map_err(|err| Error::io(IoAction::Read, path, err))?;
        let text = text.trim_start_matches('\u{feff}');
        let delim = crate::figures::table::delimiter(text);
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delim)
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = rdr
            .headers()
            .map_err(|err| csv_error(path, &err))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut w = csv::WriterBuilder::new()
            .delimiter(delim)
            .from_path(target)
            .map_err(|err| csv_error(target, &err))?;
        w.write_record(&header).map_err(|err| csv_error(target, &err))?;
        for rec in rdr.records() {
            let rec = rec.map_err(|err| csv_error(path, &err))?;
            let row = self.row(&header, &sector, rec.iter().map(str::to_string).collect());
            w.write_record(&row).map_err(|err| csv_error(target, &err))?;
        }
        w.flush().map_err(|err| Error::io(IoAction::Write, target, err))
    }

    /// One row of the new period.
    fn row(&self, header: &[String], sector: &str, mut row: Vec<String>) -> Vec<String> {
        let col = |n: &str| header.iter().position(|h| h.trim() == n);
        let code = col("ma").and_then(|i| row.get(i)).cloned().unwrap_or_default();
        for n in ["gia_tri", "ghi_chu"] {
            if let Some(i) = col(n) {
                row[i].clear();
            }
        }
        if let Some(i) = col("cung_ky") {
            let prior = self
                .last_year
                .and_then(|d| d.get(sector, code.trim()))
                .and_then(|x| x.value.map(|v| crate::base::number::format(v, x.decimals)));
            row[i] = prior.unwrap_or_default();
        }
        if !self.same_year {
            for n in ["du_toan_tw", "du_toan_hdnd", "ke_hoach"] {
                if let Some(i) = col(n) {
                    row[i].clear();
                }
            }
        }
        row
    }
}

/// A CSV error of `path`, at the line the csv crate names when it names one.
fn csv_error(path: &Path, err: &csv::Error) -> Error {
    let location = match err.position() {
        Some(p) => crate::error::Location::at(path, p.line() as usize, None),
        None => crate::error::Location::file(path),
    };
    Error::Csv {
        location,
        detail: err.to_string(),
    }
}
