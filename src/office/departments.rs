//! Văn phòng manages the departments' accounts (the page calls these through
//! the hall, which decides who may: `Project::departments` and friends in
//! `project/accounts.rs`): list, create, delete, reset a password. Refuses any
//! office account as target ([`AccountProblem::NotDepartment`]): office accounts
//! are kept from the command line only, so the page can never lock Văn phòng out. A reset or a
//! delete bumps the account's generation, which ends its sessions.

use crate::error::{AccountProblem, Error, Result};
use crate::office::accounts::Accounts;
use crate::office::actor::Role;

/// A department account as the page shows it (never the hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentAccount {
    pub name: String,
    /// The name people read ("Sở Y tế"); empty when none was given.
    pub full_name: String,
    pub sectors: Vec<String>,
    /// Bumped on password change, role change and delete (sessions key on it).
    pub generation: u64,
}

impl Accounts {
    /// Refuses a name that is not a department account.
    fn department(&self, name: &str) -> Result<()> {
        match self.get(name)? {
            None => Err(Error::Account {
                name: name.to_string(),
                problem: AccountProblem::Unknown,
            }),
            Some(a) if a.role != Role::Department => Err(Error::Account {
                name: name.to_string(),
                problem: AccountProblem::NotDepartment,
            }),
            Some(_) => Ok(()),
        }
    }

    /// The department accounts, by name.
    pub fn departments(&self) -> Result<Vec<DepartmentAccount>> {
        let all = self.list()?.into_iter().filter(|a| a.role == Role::Department);
        Ok(all
            .map(|a| DepartmentAccount {
                name: a.name,
                full_name: a.full_name,
                sectors: a.sectors,
                generation: a.generation,
            })
            .collect())
    }

    /// Creates a department account for `sectors`, with the name people read
    /// for it (required: "Sở Y tế").
    pub fn create_department(&self, name: &str, full_name: &str, sectors: &[String], password: &str) -> Result<()> {
        required(name, full_name)?;
        self.add_named(name, Role::Department, sectors, full_name, password)
    }

    /// Deletes a department account (its sessions end).
    pub fn delete_department(&self, name: &str) -> Result<()> {
        self.department(name)?;
        self.remove(name)
    }

    /// Renames a department as people read it ("Sở Y tế"); required.
    pub fn rename_department(&self, name: &str, full_name: &str) -> Result<()> {
        self.department(name)?;
        required(name, full_name)?;
        self.set_full_name(name, full_name)
    }

    /// Sets a department account's new password (its sessions end).
    pub fn reset_department_password(&self, name: &str, password: &str) -> Result<()> {
        self.department(name)?;
        self.set_password(name, password)
    }
}

/// A department is always named: refuses an empty full name.
fn required(name: &str, full_name: &str) -> Result<()> {
    if full_name.trim().is_empty() {
        return Err(Error::Account {
            name: name.to_string(),
            problem: AccountProblem::NoFullName,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::accounts::MAX_FULL_NAME;

    #[test]
    fn office_manages_departments_and_generations_end_sessions() {
        let dir = tempfile::tempdir().unwrap();
        let acc = Accounts::of(dir.path());
        let first = acc.add("so-y-te", Role::Department, &["y_te".into()], "mat-khau-dai");
        assert!(
            matches!(
                &first,
                Err(Error::Account {
                    problem: AccountProblem::NoOfficeYet,
                    ..
                })
            ),
            "{first:?}"
        );
        assert!(first
            .unwrap_err()
            .to_string()
            .contains("baocao nguoi-dung them van-phong --vai-tro van-phong"));
        assert!(!acc.path().exists(), "nothing written for the refused department");
        acc.add("van-phong", Role::Office, &[], "mat-khau-vp").unwrap();
        acc.create_department("so-y-te", "Sở Y tế", &["y_te".into()], "mat-khau-dai")
            .unwrap();
        let list = acc.departments().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].full_name, "Sở Y tế");
        assert_eq!(acc.shown_names().get("so-y-te").map(String::as_str), Some("Sở Y tế"));
        acc.rename_department("so-y-te", " Sở Y tế tỉnh ").unwrap();
        assert_eq!(acc.shown_names()["so-y-te"], "Sở Y tế tỉnh");
        assert_eq!(acc.generation("so-y-te").unwrap(), Some(0), "a new name ends no session");
        for (full_name, problem) in [
            ("  ", AccountProblem::NoFullName),
            ("Sở\nY tế", AccountProblem::BadFullName { max: MAX_FULL_NAME }),
        ] {
            let refused = acc.create_department("so-khac", full_name, &["y_te".into()], "mat-khau-dai");
            assert!(
                matches!(refused, Err(Error::Account { problem: p, .. }) if p == problem),
                "{full_name:?}"
            );
        }
        assert_eq!((list[0].name.as_str(), list[0].generation), ("so-y-te", 0));
        acc.reset_department_password("so-y-te", "mat-khau-moi").unwrap();
        assert_eq!(acc.generation("so-y-te").unwrap(), Some(1));
        let (_, generation) = acc.verify_session("so-y-te", "mat-khau-moi").unwrap();
        assert_eq!(generation, 1, "a session made now is keyed on generation 1");
        let on_office = acc.reset_department_password("van-phong", "mat-khau-moi");
        assert!(matches!(
            on_office,
            Err(Error::Account {
                problem: AccountProblem::NotDepartment,
                ..
            })
        ));
        acc.delete_department("so-y-te").unwrap();
        assert_eq!(acc.generation("so-y-te").unwrap(), None);
        acc.create_department("so-y-te", "Sở Y tế", &["y_te".into()], "mat-khau-dai")
            .unwrap();
        assert_eq!(
            acc.generation("so-y-te").unwrap(),
            Some(2),
            "a re-created name never revives old sessions"
        );
    }

    #[test]
    fn the_last_office_account_stays_while_departments_remain() {
        let dir = tempfile::tempdir().unwrap();
        let acc = Accounts::of(dir.path());
        acc.add("van-phong", Role::Office, &[], "mat-khau-vp").unwrap();
        acc.add("so-y-te", Role::Department, &["y_te".into()], "mat-khau-dai").unwrap();
        let r = acc.remove("van-phong");
        assert!(
            matches!(
                r,
                Err(Error::Account {
                    problem: AccountProblem::LastOffice,
                    ..
                })
            ),
            "{r:?}"
        );
        let r = acc.set_role("van-phong", Role::Department, &["y_te".into()]);
        assert!(
            matches!(
                r,
                Err(Error::Account {
                    problem: AccountProblem::LastOffice,
                    ..
                })
            ),
            "{r:?}"
        );
        acc.set_role("so-y-te", Role::Department, &["y_te".into(), "giao_duc".into()])
            .unwrap();
        assert_eq!(acc.generation("so-y-te").unwrap(), Some(1), "a role change ends sessions");
    }
}
