//! Who is acting: the person behind a change, and what that person may touch.
//!
//! The command line acts as [`Actor::local`] (the office, on its own machine);
//! the web page builds an actor from the signed-in account. The facade takes an
//! actor for every change so that permissions, locks and the audit trail are
//! decided in one place for both.
//!
//! ```
//! use baocao::{Actor, Role};
//! let so = Actor { name: "so-y-te".into(), role: Role::Department, sectors: vec!["y_te".into()] };
//! assert!(so.may_touch_sector("y_te"));
//! assert!(!so.may_touch_sector("tai_chinh"));
//! assert!(Actor::local().may_touch_sector("tai_chinh"));
//! ```

use serde::{Deserialize, Serialize};

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Văn phòng UBND: every sector, fragments, manifests, render, issue.
    #[serde(rename = "van-phong")]
    Office,
    /// A department (sở): only its own sectors, only in open periods.
    #[serde(rename = "so")]
    Department,
    /// Lãnh đạo (the head of office, the chairman's office): sees every period,
    /// figure and preview, changes nothing.
    #[serde(rename = "lanh-dao")]
    Leader,
}

/// The person behind a request or a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Account name (or the system user for the command line).
    pub name: String,
    pub role: Role,
    /// Sector names (file stems / sheet names) a department may touch; unused for the office.
    pub sectors: Vec<String>,
}

impl Actor {
    /// The single user of the command line or of a loopback server without accounts.
    pub fn local() -> Actor {
        let name = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "may-nay".to_string());
        Actor {
            name,
            role: Role::Office,
            sectors: Vec::new(),
        }
    }

    /// True for Văn phòng.
    pub fn is_office(&self) -> bool {
        self.role == Role::Office
    }

    /// Whether this actor may read or change the figures of `sector`.
    pub fn may_touch_sector(&self, sector: &str) -> bool {
        self.is_office() || self.sectors.iter().any(|s| s == sector)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_in_files_are_vietnamese() {
        assert_eq!(
            toml::to_string(&std::collections::BTreeMap::from([("r", Role::Department)]))
                .unwrap()
                .trim(),
            "r = \"so\""
        );
        let r: std::collections::BTreeMap<String, Role> = toml::from_str("r = \"van-phong\"").unwrap();
        assert_eq!(r["r"], Role::Office);
    }

    #[test]
    fn a_department_touches_only_its_sectors() {
        let a = Actor {
            name: "so-tai-chinh".into(),
            role: Role::Department,
            sectors: vec!["tai_chinh".into()],
        };
        assert!(a.may_touch_sector("tai_chinh"));
        assert!(!a.may_touch_sector("y_te"));
        assert!(!a.is_office());
    }
}
