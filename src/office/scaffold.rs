//! Starting new things from existing ones: a report type (`baocao new`) and a
//! period folder (`baocao new-period`), so staff never start from an empty folder.

use std::path::{Path, PathBuf};

use crate::base::manifest::{is_fragment_name, FILE_NAME};
use crate::base::period::Period;
use crate::error::{Error, IoAction, PlanLine, Result, TargetsBlankWhy};
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

/// What one file or folder of a new period comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A sector file of the source month: same indicators, values and notes blank,
    /// cùng kỳ looked up, targets kept within a year.
    SectorBlanked,
    /// A folder of the source month (a report type's text or tables), copied as is;
    /// files already at the target are never overwritten.
    Folder,
    /// Another file of the source month, copied as is.
    File,
}

/// One copy a new period makes (paths shown relative to the project).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCopy {
    pub from: PathBuf,
    pub to: PathBuf,
    pub origin: Origin,
}

/// Exactly what `new-period` will do, before doing it (the page prints it under
/// its "Bắt đầu tháng 3/2026" button; the CLI prints it after).
#[derive(Debug, Clone)]
pub struct NewPeriodPlan {
    pub period: Period,
    pub from: Period,
    /// The source month is itself a sample: its plan targets are not kept.
    pub from_is_sample: bool,
    pub copies: Vec<PlannedCopy>,
    /// The real month cùng kỳ values are taken from, when it exists.
    pub prior_from: Option<Period>,
    /// Last year's month exists but is a sample: cùng kỳ left blank.
    pub prior_is_sample: bool,
    /// A sample folder's own files moved aside (from, to).
    pub moves: Vec<(PathBuf, PathBuf)>,
    /// Folders of a sample period left where they are (a report type's own data).
    pub kept: Vec<PathBuf>,
}

/// What `new-period` did.
#[derive(Debug)]
pub struct NewPeriod {
    /// What was planned (and done).
    pub plan: NewPeriodPlan,
    /// Files written.
    pub created: Vec<PathBuf>,
    /// Files that already existed at the target and were left as they were.
    pub left_alone: Vec<PathBuf>,
    /// Indicator names copied with a date in them (to rename for the new period).
    pub findings: crate::error::Findings,
}

impl NewPeriodPlan {
    /// The plan in words, one line per thing done, in the order it is done.
    pub fn lines(&self) -> Vec<PlanLine> {
        let show = |p: &Path| p.display().to_string();
        let dir = |p: Period| format!("data/{p}");
        let mut out = vec![PlanLine::Start {
            period: self.period.label(),
            dir: dir(self.period),
            from: self.from.label(),
            from_dir: dir(self.from),
        }];
        if let Some((first, _)) = self.moves.first() {
            let aside = self.moves[0].1.parent().map(show).unwrap_or_default();
            let dir = first.parent().map(show).unwrap_or_default();
            out.push(PlanLine::SampleAside {
                dir,
                count: self.moves.len(),
                aside,
            });
        }
        out.extend(self.kept.iter().map(|k| PlanLine::Kept { dir: show(k) }));
        out.extend(self.copy_lines());
        out.push(self.targets_line());
        out.push(self.prior_line());
        out
    }

    /// The copies: the sector files in one line, the other files and folders one each.
    fn copy_lines(&self) -> Vec<PlanLine> {
        let sectors: Vec<String> = self
            .copies
            .iter()
            .filter(|c| c.origin == Origin::SectorBlanked)
            .filter_map(|c| c.from.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let mut out = vec![PlanLine::Sectors {
            count: sectors.len(),
            from: self.from.label(),
            files: sectors.join(", "),
        }];
        for c in self.copies.iter().filter(|c| c.origin != Origin::SectorBlanked) {
            let (from, to) = (c.from.display().to_string(), c.to.display().to_string());
            out.push(match c.origin {
                Origin::Folder => PlanLine::Folder { from, to },
                _ => PlanLine::File { from, to },
            });
        }
        out
    }

    fn targets_line(&self) -> PlanLine {
        let why = if self.from_is_sample {
            TargetsBlankWhy::SampleSource
        } else if self.period.year() != self.from.year() {
            TargetsBlankWhy::NewYear
        } else {
            return PlanLine::TargetsKept { from: self.from.label() };
        };
        PlanLine::TargetsBlank { why: why.to_string() }
    }

    fn prior_line(&self) -> PlanLine {
        let last_year = self.period.same_period_last_year();
        let (month, dir) = (last_year.label(), format!("data/{last_year}"));
        match (self.prior_from, self.prior_is_sample) {
            (Some(_), _) => PlanLine::PriorFrom { month, dir },
            (None, true) => PlanLine::PriorSample { month, dir },
            (None, false) => PlanLine::PriorNone { month, dir },
        }
    }
}

/// Whether a period folder is one of the samples the repository ships.
pub fn is_sample(dir: &Path) -> bool {
    figures::sample::is_sample_dir(dir)
}

/// The month a new month is copied from by default: the newest real month
/// before it (a sample month only when there is no real one).
pub fn default_source(data_dir: &Path, period: Period) -> Option<Period> {
    let before: Vec<Period> = figures::periods(data_dir)
        .into_iter()
        .filter(|p| p.is_month() && *p < period && figures::has_figures(&data_dir.join(p.to_string())))
        .collect();
    let real = before.iter().rfind(|p| !is_sample(&data_dir.join(p.to_string())));
    real.or(before.last()).copied()
}

/// The month to start next: the one after the newest real month, from it.
pub fn next_month(root: &Path, data_dir: &Path) -> Result<NewPeriodPlan> {
    let from = figures::sample::latest_real_month(data_dir).ok_or_else(|| Error::NoPeriods(data_dir.to_path_buf()))?;
    plan_new_period(root, data_dir, from.next(), from)
}

/// Refuses what `new-period` never makes: a period longer than a month, a real
/// folder already there, a source that is missing or not a month.
fn refuse(data_dir: &Path, period: Period, from: Period) -> Result<()> {
    for p in [period, from] {
        if !p.is_month() {
            return Err(Error::NotAMonth {
                period: p.to_string(),
                label: p.label(),
            });
        }
    }
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
    Ok(())
}

/// The entries of a folder, sorted by name.
fn sorted_entries(dir: &Path) -> Result<Vec<std::fs::DirEntry>> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(IoAction::ReadDir, dir, e))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    Ok(entries)
}

/// What `new-period` would do for `period` from `from` (nothing is written).
pub fn plan_new_period(root: &Path, data_dir: &Path, period: Period, from: Period) -> Result<NewPeriodPlan> {
    refuse(data_dir, period, from)?;
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let (dir, src) = (data_dir.join(period.to_string()), data_dir.join(from.to_string()));
    let last_year = period.same_period_last_year();
    let last_year_dir = data_dir.join(last_year.to_string());
    let mut plan = NewPeriodPlan {
        period,
        from,
        from_is_sample: is_sample(&src),
        copies: Vec::new(),
        prior_from: (last_year_dir.is_dir() && !is_sample(&last_year_dir)).then_some(last_year),
        prior_is_sample: is_sample(&last_year_dir),
        moves: Vec::new(),
        kept: Vec::new(),
    };
    if dir.exists() {
        let aside = data_dir.join(SAMPLES_DIR).join(period.to_string());
        if aside.exists() {
            return Err(Error::PeriodExists { dir: aside });
        }
        for e in sorted_entries(&dir)? {
            match e.path().is_dir() {
                true => plan.kept.push(rel(&e.path())),
                false => plan.moves.push((rel(&e.path()), rel(&aside.join(e.file_name())))),
            }
        }
    }
    for e in sorted_entries(&src)? {
        let name = e.file_name();
        // The change log and its copies belong to the period they record.
        if name == crate::office::audit::LOG_FILE || name == crate::office::audit::SNAPSHOT_DIR || name == figures::SAMPLE_MARKER {
            continue;
        }
        let path = e.path();
        let is_csv = path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case("csv"));
        let origin = match (path.is_dir(), is_csv) {
            (true, _) => Origin::Folder,
            (false, true) => Origin::SectorBlanked,
            (false, false) => Origin::File,
        };
        plan.copies.push(PlannedCopy {
            from: rel(&path),
            to: rel(&dir.join(&name)),
            origin,
        });
    }
    Ok(plan)
}

/// Moves a sample folder's own files aside (its folders, a report type's own
/// data, stay where they are and keep being read).
fn move_sample_files(root: &Path, plan: &NewPeriodPlan) -> Result<()> {
    for (from, to) in &plan.moves {
        let (from, to) = (root.join(from), root.join(to));
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(IoAction::CreateDir, parent, e))?;
        }
        std::fs::rename(&from, &to).map_err(|e| Error::io(IoAction::Move, &from, e))?;
    }
    Ok(())
}

/// Copies a folder without overwriting: files already there are listed in `left_alone`.
fn copy_tree_keeping(from: &Path, to: &Path, created: &mut Vec<PathBuf>, left_alone: &mut Vec<PathBuf>) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| Error::io(IoAction::CreateDir, to, e))?;
    for e in sorted_entries(from)? {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_tree_keeping(&e.path(), &target, created, left_alone)?;
        } else if target.exists() {
            left_alone.push(target);
        } else {
            std::fs::copy(e.path(), &target).map_err(|err| Error::io(IoAction::Copy, e.path(), err))?;
            created.push(target);
        }
    }
    Ok(())
}

/// Warnings for the indicator names of a written CSV that carry a date.
fn dated_names(target: &Path, shown: &Path, findings: &mut crate::error::Findings) {
    let Ok(text) = crate::base::folders::read_to_string(target) else {
        return;
    };
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

/// Creates `data/<period>/` (a month) from the month `from`: same indicators,
/// values to fill in, prior-year values looked up from last year's real month,
/// narrative overrides copied. A sample folder already there has its own files
/// moved to `data/_mau/<period>/`; its folders (another report type's data) stay.
pub fn new_period(root: &Path, data_dir: &Path, period: Period, from: Period) -> Result<NewPeriod> {
    let plan = plan_new_period(root, data_dir, period, from)?;
    let last_year = match plan.prior_from {
        Some(p) => Some(figures::read_folder(root, &data_dir.join(p.to_string()), p)?),
        None => None,
    };
    move_sample_files(root, &plan)?;
    let dir = data_dir.join(period.to_string());
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(IoAction::CreateDir, &dir, e))?;
    let mut out = NewPeriod {
        plan,
        created: Vec::new(),
        left_alone: Vec::new(),
        findings: crate::error::Findings::default(),
    };
    let blank = Blanking {
        last_year: last_year.as_ref(),
        keep_targets: period.year() == from.year() && !out.plan.from_is_sample,
    };
    for c in out.plan.copies.clone() {
        let (path, target) = (root.join(&c.from), root.join(&c.to));
        match c.origin {
            Origin::Folder => copy_tree_keeping(&path, &target, &mut out.created, &mut out.left_alone)?,
            Origin::SectorBlanked => {
                blank.copy_csv(&path, &target)?;
                dated_names(&target, &c.to, &mut out.findings);
                out.created.push(target);
            }
            Origin::File => {
                std::fs::copy(&path, &target).map_err(|err| Error::io(IoAction::Copy, &path, err))?;
                out.created.push(target);
            }
        }
    }
    Ok(out)
}

/// How a sector file of the earlier period becomes the new period's: values
/// and notes blank, last year's value as `cung_ky`, targets kept within a year.
struct Blanking<'a> {
    last_year: Option<&'a figures::PeriodData>,
    /// Plan targets carried over (same year, and the source is not a sample).
    keep_targets: bool,
}

impl Blanking<'_> {
    /// Copies the CSV `path` to `target` with the new period's blanks.
    fn copy_csv(&self, path: &Path, target: &Path) -> Result<()> {
        let sector = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let text = crate::base::folders::read_to_string(path).map_err(|err| Error::io(IoAction::Read, path, err))?;
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
        if !self.keep_targets {
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
