//! The departments' accounts as the doors manage them: Văn phòng lists, creates,
//! deletes and renames department accounts and resets their passwords (the
//! rules of the accounts file are in `office/accounts.rs` and
//! `office/departments.rs`; who may is decided here, once). Refuses anyone but
//! Văn phòng, except [`People`]: how accounts are named, which every page reads.

use super::access::{allow, Access};
use crate::error::{OfficeTask, Result};
use crate::office::accounts::{Accounts, People};
use crate::office::actor::Actor;
use crate::office::departments::DepartmentAccount;
use crate::project::Project;

impl Project {
    fn accounts_for(&self, actor: &Actor) -> Result<Accounts> {
        allow(actor, &Access::Office(OfficeTask::ManageAccounts))?;
        Ok(Accounts::of(&self.root))
    }

    /// The department accounts, by name (never their hashes).
    pub fn departments(&self, actor: &Actor) -> Result<Vec<DepartmentAccount>> {
        self.accounts_for(actor)?.departments()
    }

    /// Creates a department account for `sectors`, with the name people read for it.
    pub fn create_department(&self, actor: &Actor, name: &str, full_name: &str, sectors: &[String], password: &str) -> Result<()> {
        self.accounts_for(actor)?.create_department(name, full_name, sectors, password)
    }

    /// Deletes a department account (its sessions end).
    pub fn delete_department(&self, actor: &Actor, name: &str) -> Result<()> {
        self.accounts_for(actor)?.delete_department(name)
    }

    /// How the project's people are named (read from the accounts file now);
    /// for anyone, as every page names people.
    pub fn people(&self) -> People {
        Accounts::of(&self.root).people()
    }

    /// Renames a department as people read it.
    pub fn rename_department(&self, actor: &Actor, name: &str, full_name: &str) -> Result<()> {
        self.accounts_for(actor)?.rename_department(name, full_name)
    }

    /// Sets a department account's new password (its sessions end).
    pub fn reset_department_password(&self, actor: &Actor, name: &str, password: &str) -> Result<()> {
        self.accounts_for(actor)?.reset_department_password(name, password)
    }
}

/// A sector a department account may be given, by its file name and title.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SectorChoice {
    pub sector: String,
    pub title: String,
}

impl Project {
    /// The sectors an account may be given (data/linh-vuc.toml and the current
    /// period's files), by title; Văn phòng only.
    pub fn sector_choices(&self, actor: &Actor) -> Result<Vec<SectorChoice>> {
        allow(actor, &Access::Office(OfficeTask::ManageAccounts))?;
        let titles = crate::base::words::sector_titles(&self.data_dir());
        let mut names: std::collections::BTreeSet<String> = titles.keys().cloned().collect();
        if let Ok(p) = self.current_period() {
            let files = crate::figures::files_in(&self.data_dir().join(p.to_string())).unwrap_or_default();
            let sector_files = files.iter().filter(|f| f.extension().is_some_and(|x| x == "csv" || x == "xlsx"));
            names.extend(sector_files.filter_map(|f| f.file_stem()).map(|s| s.to_string_lossy().into_owned()));
        }
        Ok(names
            .into_iter()
            .map(|sector| SectorChoice {
                title: crate::base::words::sector_title(&titles, &sector),
                sector,
            })
            .collect())
    }
}
