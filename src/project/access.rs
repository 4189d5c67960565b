//! The hall's door check: every name that comes from a request (report type,
//! period, sector file, fragment, upload) is validated here before it becomes a
//! path, and every permission is decided here, in one vocabulary ([`Access`]).
//! It refuses names that leave their folder, Windows device names, unknown
//! periods and report types, zip bombs, and any access the actor's role lacks.

use super::tables::{ext, read_candidate};
use crate::archive::issuance::{self};
use crate::base::period::Period;
use crate::error::OfficeTask;
use crate::error::{Error, IoAction, Refused, Result, UploadProblem};
use crate::office::actor::{Actor, Role};
use crate::project::{Project, Request};
use std::path::{Path, PathBuf};

/// What a request wants: the one vocabulary of permissions. Every door asks
/// [`allow`] (through a `Project` method) before it reads or changes anything.
pub enum Access<'a> {
    /// Home, submission status, the figures page's list (its contents filtered by [`may`]).
    Overview,
    /// A report's preview: page images, text, status, events.
    Preview,
    /// Reading a sector file of a period (view, download, a cell's history): every
    /// sector it holds, plus a sheet named by the request.
    ReadSectors {
        period: &'a str,
        file: &'a str,
        sectors: &'a [String],
    },
    /// Changing a sector file (edit a cell, upload, mark sent).
    ChangeSectors {
        period: &'a str,
        file: &'a str,
        sectors: &'a [String],
    },
    /// A task of Văn phòng (some only read: see [`OfficeTask::reads_only`]).
    Office(OfficeTask),
}

/// The one place that decides: `Ok` or [`Error::Forbidden`] naming what was refused.
///
/// - Văn phòng (`van-phong`) may do everything.
/// - Lãnh đạo (`lanh-dao`) sees everything and changes nothing.
/// - A department (`so`) sees the overview and the preview, and reads and changes
///   only files all of whose sectors are its own.
pub fn allow(actor: &Actor, access: &Access) -> Result<()> {
    match refusal(actor, access) {
        None => Ok(()),
        Some(what) => Err(forbidden(actor, what)),
    }
}

/// Whether `actor` may do `access` (for what a page shows, never to skip [`allow`]).
pub fn may(actor: &Actor, access: &Access) -> bool {
    refusal(actor, access).is_none()
}

fn refusal(actor: &Actor, access: &Access) -> Option<Refused> {
    let own = |sectors: &[String]| !sectors.is_empty() && sectors.iter().all(|s| actor.may_touch_sector(s));
    let file_refused = |period: &str, file: &str| Refused::SectorFile {
        file: file.to_string(),
        period: period.to_string(),
    };
    match (actor.role, access) {
        (Role::Office, _) | (_, Access::Overview | Access::Preview) => None,
        (Role::Leader, Access::ReadSectors { .. }) => None,
        (Role::Leader, Access::Office(task)) if task.reads_only() => None,
        (Role::Leader, Access::ChangeSectors { .. }) => Some(Refused::ReadOnly),
        (Role::Leader, Access::Office(_)) => Some(Refused::ReadOnly),
        (Role::Department, Access::ReadSectors { period, file, sectors } | Access::ChangeSectors { period, file, sectors }) => {
            (!own(sectors)).then(|| file_refused(period, file))
        }
        (Role::Department, Access::Office(task)) => Some(Refused::Office(*task)),
    }
}

/// The sectors held by a sector file's bytes: the stem of a CSV, the sheets of a workbook.
pub fn sectors_of_bytes(file: &str, bytes: &[u8]) -> Result<Vec<String>> {
    use calamine::Reader;
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".csv") {
        let stem = &file[..file.len() - 4];
        return Ok(vec![stem.to_string()]);
    }
    let bad = bad_upload(file);
    if !lower.ends_with(".xlsx") {
        return Err(Error::BadName(file.to_string()));
    }
    zip_guard(bytes).map_err(&bad)?;
    let wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| bad(UploadProblem::Unopenable(e.to_string()).to_string()))?;
    Ok(wb.sheet_names().to_vec())
}

impl Project {
    /// The sectors of an existing sector file of a period; the name must be
    /// spelled exactly as in the folder (no case tricks on any file system).
    pub fn file_sectors(&self, period: &str, file: &str) -> Result<Vec<String>> {
        let path = self.sector_path(period, file)?;
        let dir = self.data_dir().join(period);
        let listed = std::fs::read_dir(&dir)
            .map_err(|e| Error::io(IoAction::ReadDir, &dir, e))?
            .flatten()
            .any(|e| e.file_name().to_str() == Some(file));
        if !listed {
            return Err(Error::NotFound(std::path::Path::new("data").join(period).join(file)));
        }
        let bytes = crate::base::folders::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        sectors_of_bytes(file, &bytes)
    }
}

/// Checks that `actor` may read (`change` false) or change `file` of `period`
/// (and `sheet`, when named): every sector the file holds on disk.
fn allow_file(project: &Project, actor: &Actor, period: &str, file: &str, sheet: &str, change: bool) -> Result<()> {
    if actor.role == Role::Office {
        return Ok(());
    }
    // A file that is not there holds no sector of the actor's: refused the same
    // way, so the answer never tells a department which files exist.
    let mut sectors = match project.file_sectors(period, file) {
        Err(Error::NotFound(_)) => Vec::new(),
        other => other?,
    };
    if !sheet.is_empty() {
        sectors.push(sheet.to_string());
    }
    allow(actor, &sectors_access(period, file, &sectors, change))
}

fn sectors_access<'a>(period: &'a str, file: &'a str, sectors: &'a [String], change: bool) -> Access<'a> {
    if change {
        Access::ChangeSectors { period, file, sectors }
    } else {
        Access::ReadSectors { period, file, sectors }
    }
}

impl Project {
    /// Refuses `actor` a Văn phòng task.
    pub fn allow_task(&self, actor: &Actor, task: OfficeTask) -> Result<()> {
        allow(actor, &Access::Office(task))
    }

    /// Validates a report type and period for the preview (any signed-in actor).
    pub fn preview_request(&self, actor: &Actor, report: &str, period: &str) -> Result<Request> {
        allow(actor, &Access::Preview)?;
        self.request(report, period)
    }

    /// Validates a report type and period for a Văn phòng task on them.
    pub fn task_request(&self, actor: &Actor, task: OfficeTask, report: &str, period: &str) -> Result<Request> {
        self.allow_task(actor, task)?;
        self.request(report, period)
    }

    /// Refuses `actor` reading a sector file it may not open.
    pub fn allow_read_file(&self, actor: &Actor, period: &str, file: &str, sheet: &str) -> Result<()> {
        allow_file(self, actor, period, file, sheet, false)
    }

    /// Refuses `actor` changing a sector file (and `sheet` of it, when named) it may not touch.
    pub fn allow_change_file(&self, actor: &Actor, period: &str, file: &str, sheet: &str) -> Result<()> {
        allow_file(self, actor, period, file, sheet, true)
    }

    /// Whether `actor` may open a file of `period` (for the lists a page shows).
    pub fn may_open(&self, actor: &Actor, period: &str, file: &str) -> bool {
        self.allow_read_file(actor, period, file, "").is_ok()
    }
}

/// `CON`, `PRN`, `AUX`, `NUL`, `COM1`..`COM9`, `LPT1`..`LPT9`, with any extension:
/// on Windows these open a device, not a file.
pub(crate) fn is_windows_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().trim_end().to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

/// The error of an upload named `file` that cannot be used (`detail` says why).
pub(crate) fn bad_upload(file: &str) -> impl Fn(String) -> Error + '_ {
    move |detail| Error::BadUpload {
        name: file.to_string(),
        detail,
    }
}

/// Largest sector file accepted by upload.
pub const MAX_UPLOAD_BYTES: u64 = 5_000_000;

/// Largest total a workbook may unpack to (decompression bombs).
pub const MAX_UNPACKED_BYTES: u64 = 50_000_000;

/// Refuses names that could leave their folder: `..`, `/`, `\`, NUL, absolute, empty;
/// and names Windows reads as a device or trims (`con.csv`, `nul`, `a.csv.`).
pub fn check_name(name: &str) -> Result<()> {
    let bad = name.is_empty()
        || name.contains("..")
        || name.contains(['/', '\\', '\0', ':'])
        || Path::new(name).is_absolute()
        || name.starts_with('.')
        || name.ends_with(['.', ' '])
        || is_windows_device(name);
    if bad {
        Err(Error::BadName(name.chars().take(80).collect()))
    } else {
        Ok(())
    }
}

/// A period from a request, in its one canonical spelling only (the name of its
/// folder: `2026-02`, `2026-Q1`, `2026-H1`, `2026-9T`, `2026`). Other spellings
/// the console accepts (`2026-q1`, ` 2026-02`) are refused here, so no raw
/// request text ever becomes a path.
pub fn parse_period(text: &str) -> Result<Period> {
    check_name(text)?;
    let period: Period = text.parse().map_err(|_| Error::BadPeriod(text.to_string()))?;
    if period.to_string() != text {
        return Err(Error::BadPeriod(text.chars().take(40).collect()));
    }
    Ok(period)
}

/// A reason as given: trimmed, none when empty.
pub(crate) fn clean_reason(reason: Option<&str>) -> Option<String> {
    reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_string)
}

/// The refusal for `actor` and `what`.
pub(crate) fn forbidden(actor: &Actor, what: Refused) -> Error {
    Error::Forbidden {
        who: actor.name.clone(),
        what: what.to_string(),
    }
}

/// Refuses a workbook whose archive would unpack to more than [`MAX_UNPACKED_BYTES`]
/// (reads every entry through a bounded reader; declared sizes are not trusted).
pub fn zip_guard(bytes: &[u8]) -> std::result::Result<(), String> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| UploadProblem::NotXlsx(e.to_string()).to_string())?;
    let mut total: u64 = 0;
    for i in 0..z.len() {
        let mut f = z.by_index(i).map_err(|e| UploadProblem::BrokenXlsx(e.to_string()).to_string())?;
        let left = MAX_UNPACKED_BYTES.saturating_sub(total) + 1;
        let n = std::io::copy(&mut (&mut f).take(left), &mut std::io::sink())
            .map_err(|e| UploadProblem::BrokenXlsx(e.to_string()).to_string())?;
        total += n;
        if total > MAX_UNPACKED_BYTES {
            return Err(UploadProblem::Unpacked {
                mb: MAX_UNPACKED_BYTES / 1_000_000,
            }
            .to_string());
        }
    }
    Ok(())
}

impl Project {
    /// Refuses a sector file whose name is not one of the actor's sectors (a CSV
    /// is named after its sector), before saying whether it exists.
    pub(crate) fn allow_file_by_name(&self, actor: &Actor, period: &str, file: &str, change: bool) -> Result<()> {
        let stem = Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if ext(Path::new(file)) != "csv" {
            return Ok(());
        }
        allow(actor, &sectors_access(period, file, &[stem.to_string()], change))
    }

    /// Refuses changing a sector file (its bytes: a workbook's sheets, never the
    /// file on disk) unless every sector in it is the actor's.
    pub(crate) fn allow_sectors(&self, actor: &Actor, period: &str, path: &Path, bytes: &[u8], change: bool) -> Result<()> {
        if actor.role == Role::Office {
            return Ok(());
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let mut sectors = if ext(path) == "xlsx" {
            read_candidate(path, &self.shown(path), bytes).1
        } else {
            Vec::new()
        };
        if sectors.is_empty() {
            sectors.push(stem);
        }
        let file = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        allow(actor, &sectors_access(period, file, &sectors, change))
    }

    /// The path of a sector file `actor` may read.
    pub fn allow_read_sector(&self, actor: &Actor, period: &str, file: &str) -> Result<PathBuf> {
        self.allow_file_by_name(actor, period, file, false)?;
        let path = self.sector_path(period, file)?;
        let bytes = crate::base::folders::read(&path).map_err(|e| Error::io(IoAction::Read, &path, e))?;
        self.allow_sectors(actor, period, &path, &bytes, false)?;
        Ok(path)
    }

    /// Refuses a figures change in an issued period without a reason (and by a
    /// department at all); returns the reason, trimmed, if any.
    pub(crate) fn allow_figures_change(&self, actor: &Actor, period: Period, reason: Option<&str>) -> Result<Option<String>> {
        let reason = clean_reason(reason);
        if issuance::figures_lock(self, period).is_none() {
            return Ok(reason);
        }
        let period = period.to_string();
        match (actor.role, &reason) {
            (Role::Office, Some(_)) => {}
            (Role::Office, None) => return Err(Error::Locked { period }),
            _ => return Err(Error::LockedForDepartment { period }),
        }
        Ok(reason)
    }

    /// Validates a report type and period from a request: both must exist
    /// (a period has its folder under data/, or a longer period has a month's).
    pub fn request(&self, report: &str, period: &str) -> Result<Request> {
        check_name(report)?;
        let period = parse_period(period)?;
        self.manifest(report)?;
        if !self.period_exists(period) {
            return Err(Error::MissingPeriod {
                period: period.to_string(),
                dir: self.shown(&self.data_dir().join(period.to_string())),
            });
        }
        Ok(Request {
            report: report.to_string(),
            period,
        })
    }
}

impl Project {
    /// Whether a period has figures to show: its own folder under data/, or
    /// (for a quarter, half year, nine months, year) a folder of one of its months.
    pub fn period_exists(&self, period: Period) -> bool {
        let dir = |p: Period| self.data_dir().join(p.to_string()).is_dir();
        dir(period) || (!period.is_month() && period.months().into_iter().any(dir))
    }

    /// Refuses a period with no figures (404): a name from a request never
    /// makes a period folder.
    pub(crate) fn known_period(&self, period: Period) -> Result<()> {
        if self.period_exists(period) {
            return Ok(());
        }
        Err(Error::NotFound(self.shown(&self.data_dir().join(period.to_string()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::output::{self, OutputPaths};
    use crate::figures::sha256_hex;
    use crate::office::audit::Kind;
    use crate::project::figures::Saved;
    use crate::project::views::pdf_pages;
    use crate::project::{CellEdit, FragmentEdit};

    fn so(sectors: &[&str]) -> Actor {
        Actor {
            name: "so-y-te".into(),
            role: Role::Department,
            sectors: sectors.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn leader() -> Actor {
        Actor {
            name: "lanh-dao".into(),
            role: Role::Leader,
            sectors: Vec::new(),
        }
    }

    fn read<'a>(sectors: &'a [String]) -> Access<'a> {
        Access::ReadSectors {
            period: "2026-02",
            file: "y_te.csv",
            sectors,
        }
    }

    fn change<'a>(sectors: &'a [String]) -> Access<'a> {
        Access::ChangeSectors {
            period: "2026-02",
            file: "y_te.csv",
            sectors,
        }
    }

    #[test]
    fn a_department_opens_only_files_wholly_its_own() {
        let a = so(&["y_te"]);
        let file = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(may(&a, &read(&file(&["y_te"]))));
        assert!(!may(&a, &read(&file(&["y_te", "tai_chinh"]))), "a workbook with another sector");
        assert!(!may(&a, &read(&file(&["Y_TE"]))), "case differs");
        assert!(!may(&a, &read(&[])));
        assert!(allow(&a, &Access::Office(OfficeTask::Fragments)).is_err());
        assert!(allow(&a, &Access::Office(OfficeTask::ManageAccounts)).is_err());
        assert!(allow(&a, &Access::Preview).is_ok());
        assert!(allow(&Actor::local(), &Access::Office(OfficeTask::Fragments)).is_ok());
    }

    #[test]
    fn a_leader_reads_everything_and_changes_nothing() {
        let l = leader();
        let any = vec!["tai_chinh".to_string()];
        assert!(may(&l, &Access::Overview) && may(&l, &Access::Preview));
        assert!(may(&l, &read(&any)));
        assert!(!may(&l, &change(&any)));
        for task in [OfficeTask::Versions, OfficeTask::CompareVersions, OfficeTask::Fragments] {
            assert!(may(&l, &Access::Office(task)), "{task}");
        }
        for task in [
            OfficeTask::EditFragment,
            OfficeTask::Render,
            OfficeTask::Issue,
            OfficeTask::NewPeriod,
            OfficeTask::NewReport,
            OfficeTask::EditReportType,
            OfficeTask::ReturnSubmission,
            OfficeTask::ManageAccounts,
        ] {
            let e = allow(&l, &Access::Office(task)).unwrap_err().to_string();
            assert!(e.contains("chỉ được xem"), "{task}: {e}");
        }
    }

    #[test]
    fn names_that_leave_their_folder_are_refused() {
        for bad in [
            "..",
            "../x",
            "a/b",
            "a\\b",
            "/etc/passwd",
            "a\0b",
            "",
            ".an",
            "C:x",
            "con.csv",
            "NUL",
            "Com1.xlsx",
            "lpt9",
            "a.csv.",
            "a ",
        ] {
            assert!(matches!(check_name(bad), Err(Error::BadName(_))), "{bad:?}");
        }
        assert!(check_name("nong_nghiep.csv").is_ok());
        assert!(check_name("2026-02").is_ok());
        assert!(check_name("cong_nghiep.csv").is_ok() && check_name("com10.csv").is_ok() && check_name("console.csv").is_ok());
    }

    #[test]
    fn pages_are_counted_in_both_spellings() {
        assert_eq!(pdf_pages(b"<< /Type /Pages >> << /Type /Page >> << /Type/Page/Parent 1 >>"), 2);
    }

    #[test]
    fn zip_guard_refuses_garbage() {
        assert!(zip_guard(b"not a zip").is_err());
    }

    /// A scratch copy of the repository's data and templates.
    fn scratch() -> (tempfile::TempDir, Project) {
        fn copy(from: &Path, to: &Path) {
            std::fs::create_dir_all(to).unwrap();
            for e in std::fs::read_dir(from).unwrap().flatten() {
                let t = to.join(e.file_name());
                if e.path().is_dir() {
                    copy(&e.path(), &t)
                } else {
                    std::fs::copy(e.path(), t).unwrap();
                }
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy(&repo.join("data/2026-02"), &dir.path().join("data/2026-02"));
        copy(&repo.join("templates"), &dir.path().join("templates"));
        let p = Project::open(dir.path());
        (dir, p)
    }

    fn department(sector: &str) -> Actor {
        Actor {
            name: format!("so-{sector}"),
            role: crate::office::actor::Role::Department,
            sectors: vec![sector.to_string()],
        }
    }

    fn save(p: &Project, who: &Actor, file: &str, code: &str, value: &str, reason: Option<&str>) -> Result<Saved> {
        let path = p.root.join("data/2026-02").join(file);
        let hash = sha256_hex(&std::fs::read(path).unwrap());
        let sheet = file.trim_end_matches(".csv");
        let edit = CellEdit {
            period: "2026-02".into(),
            file: file.into(),
            sheet: sheet.into(),
            code: code.into(),
            column: "gia_tri".into(),
            value: value.into(),
            hash,
            reason: reason.map(str::to_string),
        };
        p.save_value(who, &edit, None)
    }

    #[test]
    fn a_department_changes_only_its_own_sector_and_never_fragments_or_periods() {
        let (dir, p) = scratch();
        let y_te = department("y_te");
        let tc = dir.path().join("data/2026-02/tai_chinh.csv");
        let before = std::fs::read(&tc).unwrap();
        assert!(save(&p, &y_te, "y_te.csv", "tay_chan_mieng", "130", None).is_ok());
        let refused = save(&p, &y_te, "tai_chinh.csv", "chi_nsdp", "900", None);
        assert!(matches!(refused, Err(Error::Forbidden { .. })), "{refused:?}");
        let upload = p.replace_sector(&y_te, "2026-02", "tai_chinh.csv", &before, None);
        assert!(matches!(upload, Err(Error::Forbidden { .. })), "{upload:?}");
        assert_eq!(std::fs::read(&tc).unwrap(), before);
        let history = p.cell_history(&y_te, "2026-02", "tai_chinh.csv", "chi_nsdp", "gia_tri");
        assert!(matches!(history, Err(Error::Forbidden { .. })));
        let own = p.cell_history(&y_te, "2026-02", "y_te.csv", "tay_chan_mieng", "gia_tri").unwrap();
        assert_eq!(
            (own.len(), own[0].who.as_str(), own[0].cells[0].new.as_str()),
            (1, "so-y_te", "130")
        );
        let name = p.fragment_names("bao-cao-thang").unwrap()[0].clone();
        let (_, hash) = p
            .read_fragment(&Actor::local(), "bao-cao-thang", &name, "2026-02".parse().unwrap())
            .unwrap();
        let period = Period::Month { year: 2026, month: 2 };
        let edit = FragmentEdit {
            report: "bao-cao-thang".into(),
            name,
            text: "x".into(),
            hash,
            base: None,
            period,
            reason: None,
        };
        let frag = p.save_fragment(&y_te, &edit);
        assert!(matches!(frag, Err(Error::Forbidden { .. })));
        assert!(matches!(p.create_next_period(&y_te), Err(Error::Forbidden { .. })));
        assert!(matches!(
            p.issue_version(&y_te, "bao-cao-thang", "2026-02", None),
            Err(Error::Forbidden { .. })
        ));
        assert!(matches!(
            p.create_report_type(&y_te, "bao-cao-moi", None),
            Err(Error::Forbidden { .. })
        ));
    }

    #[test]
    fn an_issued_period_takes_office_changes_with_a_reason_only_and_department_changes_never() {
        let (dir, p) = scratch();
        let office = Actor::local();
        let paths = OutputPaths::new(&dir.path().join("out"), "bao-cao-thang", "2026-02");
        output::save(&paths, b"%PDF issued", "", serde_json::from_str(MANIFEST).unwrap()).unwrap();
        p.issue_version(&office, "bao-cao-thang", "2026-02", None).unwrap();
        let locked = save(&p, &office, "y_te.csv", "tay_chan_mieng", "130", None);
        assert!(matches!(locked, Err(Error::Locked { .. })), "{locked:?}");
        let so = save(&p, &department("y_te"), "y_te.csv", "tay_chan_mieng", "130", Some("lý do"));
        assert!(matches!(so, Err(Error::LockedForDepartment { .. })), "{so:?}");
        assert!(save(&p, &office, "y_te.csv", "tay_chan_mieng", "130", Some("Sở Y tế báo lại")).is_ok());
        let (log, warnings) = p.change_log(Period::Month { year: 2026, month: 2 });
        assert!(warnings.is_empty());
        let kinds: Vec<Kind> = log.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [Kind::Issue, Kind::EditValue]);
        assert_eq!(log[1].reason.as_deref(), Some("Sở Y tế báo lại"));
    }

    const MANIFEST: &str = r#"{"phien_ban":0,"chuong_trinh":"t","bao_cao":"bao-cao-thang","ky":"2026-02","thoi_gian":"",
        "sha256_pdf":"","tep_dau_vao":[],"canh_bao":[],"so_lieu":[]}"#;
}
