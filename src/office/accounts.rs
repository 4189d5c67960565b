//! The accounts of a project (`nguoi-dung.toml` at the project root): who may
//! sign in to `baocao serve`, with which role and sectors. The file holds only
//! argon2id hashes in PHC form, never a clear password.
//!
//! ```toml
//! [[tai_khoan]]
//! ten = "so-y-te"
//! vai_tro = "so"
//! linh_vuc = ["y_te"]
//! mat_khau = "$argon2id$v=19$m=19456,t=2,p=1$..."
//! the_he = 3
//! ```
//!
//! The first account must be an office one (a department account while no
//! office account exists would lock Văn phòng out of the page): refused.
//! Office accounts manage department accounts ([`Accounts::create_department`]
//! and its siblings); those refuse a department actor and any office target.
//!
//! Every change is a read-modify-write under a lock file created with
//! `create_new` (portable), and the new file is written by
//! [`crate::archive::output::write_atomic`], so two concurrent `them` never lose one another.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};

use crate::error::{AccountProblem, Error, IoAction, Result};
use crate::office::actor::{Actor, Role};

/// The accounts file at the project root.
pub const ACCOUNTS_FILE: &str = "nguoi-dung.toml";
/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 8;
/// A lock file older than this is left over from a killed command and is taken over.
const STALE_LOCK: Duration = Duration::from_secs(30);

/// One account as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Account {
    #[serde(rename = "ten")]
    pub name: String,
    #[serde(rename = "vai_tro")]
    pub role: Role,
    #[serde(rename = "linh_vuc", default)]
    pub sectors: Vec<String>,
    /// What people read for the account ("Sở Y tế") on the page and in the
    /// histories; the name is shown when it is empty.
    #[serde(rename = "ten_day_du", default, skip_serializing_if = "String::is_empty")]
    pub full_name: String,
    /// argon2id PHC string.
    #[serde(rename = "mat_khau")]
    pub hash: String,
    /// Bumped on every password change, role change and delete: a server keys
    /// its sessions by (name, generation), so a bump ends the old sessions.
    #[serde(rename = "the_he", default)]
    pub generation: u64,
    /// Bumped by the office's unlock ([`Accounts::unlock`]): a server clears the
    /// slowdown and the lock of wrong passwords of this name when it changes
    /// (the sessions stay: an unlock is not a password change).
    #[serde(rename = "mo_khoa", default, skip_serializing_if = "is_zero")]
    pub unlocks: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Account {
    /// The actor this account acts as.
    pub fn actor(&self) -> Actor {
        Actor {
            name: self.name.clone(),
            role: self.role,
            sectors: self.sectors.clone(),
        }
    }
}

/// The whole file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    #[serde(rename = "tai_khoan", default)]
    accounts: Vec<Account>,
    /// Deleted names and the generation they reached (a re-created name starts above it).
    #[serde(rename = "xoa", default, skip_serializing_if = "Vec::is_empty")]
    removed: Vec<Removed>,
}

impl AccountsFile {
    /// The account named `name`, to change it; an unknown name is refused.
    fn account_mut(&mut self, name: &str) -> Result<&mut Account> {
        self.accounts
            .iter_mut()
            .find(|a| a.name == name)
            .ok_or_else(|| refuse(name, AccountProblem::Unknown))
    }
}

/// A deleted account's name and the generation its deletion reached.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Removed {
    #[serde(rename = "ten")]
    name: String,
    #[serde(rename = "the_he")]
    generation: u64,
}

/// How people are named to people: an account by the name given to it ("Sở Y
/// tế"), anyone else (an account without one, the command line's system user)
/// by the name the log holds.
pub struct People(std::collections::HashMap<String, String>);

impl People {
    /// The name shown for `login`.
    pub fn shown(&self, login: &str) -> String {
        self.0.get(login).cloned().unwrap_or_else(|| login.to_string())
    }

    /// Whether `login` has a name of its own.
    pub fn named(&self, login: &str) -> bool {
        self.0.contains_key(login)
    }
}

/// The accounts of one project.
#[derive(Debug, Clone)]
pub struct Accounts {
    path: PathBuf,
}

/// Whether `name` is a valid account name (`so-y-te`, `van.phong`).
pub fn valid_name(name: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.');
    (1..=64).contains(&name.len()) && name.chars().all(ok) && name.starts_with(|c: char| c.is_ascii_alphanumeric())
}

/// Whether `s` is a valid sector name (a data file stem such as `y_te`).
fn valid_sector(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn refuse(name: &str, problem: AccountProblem) -> Error {
    Error::Account {
        name: name.to_string(),
        problem,
    }
}

/// The longest name shown for an account.
pub const MAX_FULL_NAME: usize = 100;

/// A name shown for an account, trimmed: one line of at most [`MAX_FULL_NAME`]
/// characters (empty: none).
pub fn check_full_name(name: &str, full_name: &str) -> Result<String> {
    let full_name = full_name.trim();
    if full_name.chars().count() > MAX_FULL_NAME || full_name.chars().any(char::is_control) {
        return Err(refuse(name, AccountProblem::BadFullName { max: MAX_FULL_NAME }));
    }
    Ok(full_name.to_string())
}

/// Checks a new password's length.
pub fn check_password(name: &str, password: &str) -> Result<()> {
    let len = password.chars().count();
    match len {
        0 => Err(refuse(name, AccountProblem::EmptyPassword { min: MIN_PASSWORD })),
        n if n < MIN_PASSWORD => Err(refuse(name, AccountProblem::ShortPassword { len: n, min: MIN_PASSWORD })),
        _ => Ok(()),
    }
}

/// Checks role and sectors of a new account; returns the sectors cleaned (trimmed, sorted, deduplicated).
pub fn check_role(name: &str, role: Role, sectors: &[String]) -> Result<Vec<String>> {
    let mut clean: Vec<String> = sectors.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    clean.sort();
    clean.dedup();
    match role {
        Role::Office | Role::Leader if !clean.is_empty() => return Err(refuse(name, AccountProblem::SectorsForOffice)),
        Role::Department if clean.is_empty() => return Err(refuse(name, AccountProblem::NoSectors)),
        _ => {}
    }
    if let Some(bad) = clean.iter().find(|s| !valid_sector(s)) {
        return Err(refuse(name, AccountProblem::BadSector(bad.clone())));
    }
    Ok(clean)
}

/// A role from its Vietnamese name.
pub fn parse_role(name: &str, text: &str) -> Result<Role> {
    match text {
        "van-phong" => Ok(Role::Office),
        "so" => Ok(Role::Department),
        "lanh-dao" => Ok(Role::Leader),
        other => Err(refuse(name, AccountProblem::UnknownRole(other.to_string()))),
    }
}

/// The argon2id PHC hash of a password (fresh random salt).
pub fn hash_password(name: &str, password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| refuse(name, AccountProblem::Hash(e.to_string())))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| refuse(name, AccountProblem::Hash(e.to_string())))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| refuse(name, AccountProblem::Hash(e.to_string())))
}

/// Verifies against a PHC string (false for a malformed one).
fn verify_hash(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Computes the dummy hash now, so that the first unknown name costs no more than a known one.
pub fn prepare() {
    dummy_hash();
}

/// A hash no password matches, verified for unknown names so that they cost the same time.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut p = [0u8; 24];
        let _ = getrandom::fill(&mut p);
        hash_password("-", &crate::figures::sha256_hex(&p)).unwrap_or_default()
    })
}

impl Accounts {
    /// The accounts of the project at `root`.
    pub fn of(root: &Path) -> Accounts {
        Accounts {
            path: root.join(ACCOUNTS_FILE),
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read(&self) -> Result<AccountsFile> {
        let text = match crate::base::folders::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AccountsFile::default()),
            Err(e) => return Err(Error::io(IoAction::Read, &self.path, e)),
        };
        toml::from_str(&text).map_err(|e| Error::Manifest {
            file: ACCOUNTS_FILE.into(),
            detail: toml_place(&text, &e),
        })
    }

    /// Every account, sorted by name.
    pub fn list(&self) -> Result<Vec<Account>> {
        let mut v = self.read()?.accounts;
        v.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(v)
    }

    /// True when the file holds at least one account (then the web needs sign-in).
    pub fn any(&self) -> Result<bool> {
        Ok(!self.read()?.accounts.is_empty())
    }

    /// What people read for each account that has a name of its own, by account
    /// name ("so-y-te" -> "Sở Y tế"); empty when the file cannot be read.
    pub fn shown_names(&self) -> std::collections::HashMap<String, String> {
        let accounts = self.read().map(|f| f.accounts).unwrap_or_default();
        accounts
            .into_iter()
            .filter(|a| !a.full_name.is_empty())
            .map(|a| (a.name, a.full_name))
            .collect()
    }

    /// How people are named to people (read from the file now).
    pub fn people(&self) -> People {
        People(self.shown_names())
    }

    /// The account of `name`, if any.
    pub fn get(&self, name: &str) -> Result<Option<Account>> {
        Ok(self.read()?.accounts.into_iter().find(|a| a.name == name))
    }

    /// The actor for `name` and `password`, or `None`; an unknown name is
    /// verified against a dummy hash so both cases take the same time.
    pub fn verify(&self, name: &str, password: &str) -> Option<Actor> {
        self.verify_session(name, password).map(|(actor, _)| actor)
    }

    /// [`Accounts::verify`], with the account's generation: a server keys the
    /// session on (name, generation) and ends it when [`Accounts::generation`] differs.
    pub fn verify_session(&self, name: &str, password: &str) -> Option<(Actor, u64)> {
        let account = self.get(name).ok().flatten();
        let hash = account.as_ref().map(|a| a.hash.as_str()).unwrap_or_else(|| dummy_hash());
        let ok = verify_hash(hash, password);
        account.filter(|_| ok).map(|a| (a.actor(), a.generation))
    }

    /// Refuses, before a password is asked, an account the file cannot take:
    /// an existing name, or a department account while no office account exists.
    pub fn check_new(&self, name: &str, role: Role) -> Result<()> {
        let file = self.read()?;
        if file.accounts.iter().any(|a| a.name == name) {
            return Err(refuse(name, AccountProblem::Exists));
        }
        if role == Role::Department && !file.accounts.iter().any(|a| a.role == Role::Office) {
            return Err(refuse(name, AccountProblem::NoOfficeYet));
        }
        Ok(())
    }

    /// Adds an account (refused when the name exists).
    pub fn add(&self, name: &str, role: Role, sectors: &[String], password: &str) -> Result<()> {
        self.add_named(name, role, sectors, "", password)
    }

    /// Adds an account with the name people read for it (refused when the name exists).
    pub fn add_named(&self, name: &str, role: Role, sectors: &[String], full_name: &str, password: &str) -> Result<()> {
        if !valid_name(name) {
            return Err(refuse(name, AccountProblem::BadName));
        }
        let full_name = check_full_name(name, full_name)?;
        let sectors = check_role(name, role, sectors)?;
        check_password(name, password)?;
        let hash = hash_password(name, password)?;
        self.change(name, |file| {
            let generation = file.removed.iter().find(|r| r.name == name).map_or(0, |r| r.generation);
            if file.accounts.iter().any(|a| a.name == name) {
                return Err(refuse(name, AccountProblem::Exists));
            }
            if role == Role::Department && !file.accounts.iter().any(|a| a.role == Role::Office) {
                return Err(refuse(name, AccountProblem::NoOfficeYet));
            }
            file.accounts.push(Account {
                name: name.to_string(),
                role,
                sectors,
                full_name,
                hash,
                generation,
                unlocks: 0,
            });
            Ok(())
        })
    }

    /// Sets a new password.
    pub fn set_password(&self, name: &str, password: &str) -> Result<()> {
        check_password(name, password)?;
        let hash = hash_password(name, password)?;
        self.change(name, |file| {
            let a = file.account_mut(name)?;
            a.hash = hash;
            a.generation += 1;
            Ok(())
        })
    }

    /// Sets the name people read for an account (empty: its name is shown).
    /// Sessions stay: the name shown is not who may do what.
    pub fn set_full_name(&self, name: &str, full_name: &str) -> Result<()> {
        let full_name = check_full_name(name, full_name)?;
        self.change(name, |file| {
            file.account_mut(name)?.full_name = full_name;
            Ok(())
        })
    }

    /// Removes an account. Its generation lives on in `xoa` (so a session of
    /// a deleted name never matches an account made again under that name).
    /// The last office account is kept while department accounts remain.
    pub fn remove(&self, name: &str) -> Result<()> {
        self.change(name, |file| {
            let gone = file
                .accounts
                .iter()
                .find(|a| a.name == name)
                .cloned()
                .ok_or_else(|| refuse(name, AccountProblem::Unknown))?;
            file.accounts.retain(|a| a.name != name);
            let office_left = file.accounts.iter().any(|a| a.role == Role::Office);
            if gone.role == Role::Office && !office_left && !file.accounts.is_empty() {
                return Err(refuse(name, AccountProblem::LastOffice));
            }
            file.removed.retain(|r| r.name != name);
            file.removed.push(Removed {
                name: name.to_string(),
                generation: gone.generation + 1,
            });
            Ok(())
        })
    }

    /// Changes an account's role and sectors (bumps its generation: its sessions end).
    pub fn set_role(&self, name: &str, role: Role, sectors: &[String]) -> Result<()> {
        let sectors = check_role(name, role, sectors)?;
        self.change(name, |file| {
            let others_office = file.accounts.iter().any(|a| a.name != name && a.role == Role::Office);
            let a = file.account_mut(name)?;
            if a.role == Role::Office && role == Role::Department && !others_office {
                return Err(refuse(name, AccountProblem::LastOffice));
            }
            a.role = role;
            a.sectors = sectors;
            a.generation += 1;
            Ok(())
        })
    }

    /// Lifts the slowdown and the lock that wrong passwords put on `name` in a
    /// running server (it reads the file at the next try), without ending sessions.
    pub fn unlock(&self, name: &str) -> Result<()> {
        self.change(name, |file| {
            let a = file.account_mut(name)?;
            a.unlocks += 1;
            Ok(())
        })
    }

    /// What a server compares to notice a password change or an unlock of `name`
    /// (`None` for an unknown name).
    pub fn lock_mark(&self, name: &str) -> Option<(u64, u64)> {
        self.get(name).ok().flatten().map(|a| (a.generation, a.unlocks))
    }

    /// The generation of `name` now: its sessions are valid only while it is
    /// unchanged; `None` for an unknown name (the account was deleted).
    pub fn generation(&self, name: &str) -> Result<Option<u64>> {
        Ok(self.get(name)?.map(|a| a.generation))
    }

    /// Read, change and write the file while holding the lock (the file is
    /// 0600 on unix and git-ignored in a project under git).
    fn change(&self, name: &str, f: impl FnOnce(&mut AccountsFile) -> Result<()>) -> Result<()> {
        if let Some(root) = self.path.parent() {
            ensure_git_ignored(root, &[&format!("/{ACCOUNTS_FILE}"), &format!("/{ACCOUNTS_FILE}.khoa")]);
        }
        let _lock = Lock::take(&self.path.with_extension("toml.khoa"), name)?;
        let mut file = self.read()?;
        f(&mut file)?;
        let body = toml::to_string(&file).map_err(|e| Error::Manifest {
            file: ACCOUNTS_FILE.into(),
            detail: e.to_string(),
        })?;
        let text = crate::error::DataText::AccountsFile(body).to_string();
        // Only the owner reads the hashes (issue 27, finding 14).
        crate::archive::output::write_atomic_private(&self.path, text.as_bytes())
    }
}

/// Adds `lines` (e.g. `/nguoi-dung.toml`) to the project's `.gitignore` when
/// the project is under git (a `.git` beside it, or a `.gitignore` already
/// there) and they are missing. Best effort: a read-only folder is left as is.
pub fn ensure_git_ignored(root: &Path, lines: &[&str]) {
    let path = root.join(".gitignore");
    if !root.join(".git").exists() && !path.exists() {
        return;
    }
    if crate::base::folders::check(&path).is_err() {
        return;
    }
    let old = crate::base::folders::read_to_string(&path).unwrap_or_default();
    let missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !old.lines().any(|o| o.trim() == *l || o.trim() == l.trim_start_matches('/')))
        .collect();
    if missing.is_empty() {
        return;
    }
    let mut text = old;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for l in missing {
        text.push_str(l);
        text.push('\n');
    }
    let _ = crate::archive::output::write_atomic(&path, text.as_bytes());
}

/// "dòng L, cột C: message" for a TOML error.
fn toml_place(text: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map(|l| l.chars().count() + 1).unwrap_or(1);
            crate::error::LineColumn {
                line,
                column: col,
                detail: e.message().to_string(),
            }
            .to_string()
        }
        None => e.message().to_string(),
    }
}

/// A lock file held while the accounts file is changed (removed on drop).
struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Claims the lock with `create_new`, waiting up to 10 s; takes over a stale one.
    fn take(path: &Path, name: &str) -> Result<Lock> {
        let start = Instant::now();
        loop {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(_) => return Ok(Lock { path: path.to_path_buf() }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let age = std::fs::metadata(path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| SystemTime::now().duration_since(t).ok());
                    if age.is_some_and(|a| a > STALE_LOCK) {
                        let _ = std::fs::remove_file(path);
                        continue;
                    }
                    if start.elapsed() > Duration::from_secs(10) {
                        return Err(refuse(name, AccountProblem::Busy(path.display().to_string())));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(Error::io(IoAction::CreateLock, path, e)),
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_verify_change_remove() {
        let dir = tempfile::tempdir().unwrap();
        let acc = Accounts::of(dir.path());
        assert!(!acc.any().unwrap());
        acc.add("van-phong", Role::Office, &[], "mat-khau-vp").unwrap();
        acc.add("so-y-te", Role::Department, &["y_te".into()], "mat-khau-1").unwrap();
        let text = std::fs::read_to_string(acc.path()).unwrap();
        assert!(text.contains("$argon2id$") && !text.contains("mat-khau-1"), "{text}");
        let a = acc.verify("so-y-te", "mat-khau-1").unwrap();
        assert_eq!((a.role, a.sectors.clone()), (Role::Department, vec!["y_te".to_string()]));
        assert!(acc.verify("so-y-te", "sai-mat-khau").is_none());
        assert!(acc.verify("khong-co", "mat-khau-1").is_none());
        let again = acc.add("so-y-te", Role::Department, &["y_te".into()], "mat-khau-1");
        assert!(matches!(
            again,
            Err(Error::Account {
                problem: AccountProblem::Exists,
                ..
            })
        ));
        acc.set_password("so-y-te", "mat-khau-2").unwrap();
        assert!(acc.verify("so-y-te", "mat-khau-1").is_none() && acc.verify("so-y-te", "mat-khau-2").is_some());
        acc.remove("so-y-te").unwrap();
        assert_eq!(acc.list().unwrap().len(), 1, "only van-phong is left");
        assert!(matches!(
            acc.remove("so-y-te"),
            Err(Error::Account {
                problem: AccountProblem::Unknown,
                ..
            })
        ));
    }

    #[test]
    fn bad_requests_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let acc = Accounts::of(dir.path());
        let p = |r: Result<()>| match r {
            Err(Error::Account { problem, .. }) => problem,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            p(acc.add("vp", Role::Office, &["y_te".into()], "12345678")),
            AccountProblem::SectorsForOffice
        );
        assert_eq!(p(acc.add("so", Role::Department, &[], "12345678")), AccountProblem::NoSectors);
        assert_eq!(p(acc.add("Sở", Role::Office, &[], "12345678")), AccountProblem::BadName);
        assert_eq!(p(acc.add("vp", Role::Office, &[], "")), AccountProblem::EmptyPassword { min: 8 });
        assert_eq!(
            p(acc.add("vp", Role::Office, &[], "1234")),
            AccountProblem::ShortPassword { len: 4, min: 8 }
        );
        assert!(parse_role("x", "admin").is_err());
        assert!(!acc.path().exists(), "nothing written for a refused account");
    }

    #[test]
    fn the_accounts_file_is_private_and_git_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".gitignore"), "/target").unwrap();
        let acc = Accounts::of(dir.path());
        acc.add("van-phong", Role::Office, &[], "mat-khau-vp").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(acc.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
            acc.set_password("van-phong", "mat-khau-vp-2").unwrap();
            let mode = std::fs::metadata(acc.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "after a change {mode:o}");
        }
        let ignore = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
        assert_eq!(ignore, "/target\n/nguoi-dung.toml\n/nguoi-dung.toml.khoa\n");
        acc.unlock("van-phong").unwrap();
        assert_eq!(acc.lock_mark("van-phong"), Some((1, 1)));
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
            ignore,
            "added once"
        );
        // Outside git nothing is written.
        let plain = tempfile::tempdir().unwrap();
        Accounts::of(plain.path()).add("vp", Role::Office, &[], "mat-khau-vp").unwrap();
        assert!(!plain.path().join(".gitignore").exists());
    }

    #[test]
    fn concurrent_adds_keep_every_account() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let threads: Vec<_> = (0..6)
            .map(|i| {
                let root = root.clone();
                std::thread::spawn(move || {
                    Accounts::of(&root)
                        .add(&format!("tk{i}"), Role::Office, &[], "mat-khau-dai")
                        .unwrap()
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(Accounts::of(&root).list().unwrap().len(), 6);
    }
}
