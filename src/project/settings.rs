//! Project settings (`baocao.toml`): the period being worked on and the
//! default report type, so staff rarely type `--period`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use crate::base::period::Period;
use crate::error::{Error, Result};
use crate::project::{Project, DEFAULT_REPORT};

/// The project settings file at the root.
pub const CONFIG_FILE: &str = "baocao.toml";

/// `baocao.toml`: the period being worked on and the default report type.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Current period ("kỳ đang làm"); `baocao new-period` moves it forward.
    #[serde(default, rename = "ky")]
    pub current_period: Option<String>,
    /// Default report type.
    #[serde(default, rename = "bao_cao")]
    pub default_report: Option<String>,
    /// Submission deadline: day of the month after the period (`han_nop = 15`).
    #[serde(default, rename = "han_nop")]
    pub deadline_day: Option<u8>,
}

/// The settings of each project as last read, with the file's time and size then.
fn cache() -> std::sync::MutexGuard<'static, HashMap<PathBuf, (Stamp, Config)>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, (Stamp, Config)>>> = OnceLock::new();
    CACHE.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// A settings file's modification time and size (`None`: no file).
type Stamp = Option<(Option<std::time::SystemTime>, u64)>;

/// Reads and parses baocao.toml (empty settings when there is none).
fn read_config(path: &std::path::Path) -> Result<Config> {
    let Ok(text) = crate::base::folders::read_to_string(path) else {
        return Ok(Config::default());
    };
    toml::from_str(&text).map_err(|e| Error::Manifest {
        file: CONFIG_FILE.into(),
        detail: e.message().to_string(),
    })
}

impl Project {
    /// The project settings (empty when there is no baocao.toml). Read once and
    /// again only when the file's time or size changes.
    pub fn config(&self) -> Result<Config> {
        let path = self.root.join(CONFIG_FILE);
        let stamp = std::fs::metadata(&path).ok().map(|m| (m.modified().ok(), m.len()));
        if let Some((s, config)) = cache().get(&path) {
            if *s == stamp {
                return Ok(config.clone());
            }
        }
        let config = read_config(&path)?;
        cache().insert(path, (stamp, config.clone()));
        Ok(config)
    }

    /// The period commands use by default: `ky` in baocao.toml, else the newest month with figures.
    pub fn current_period(&self) -> Result<Period> {
        match self.config()?.current_period {
            Some(k) => k.parse().map_err(|_| Error::BadPeriod(k)),
            None => self.latest_period(),
        }
    }

    /// The report type commands use by default.
    pub fn default_report(&self) -> Result<String> {
        Ok(self.config()?.default_report.unwrap_or_else(|| DEFAULT_REPORT.to_string()))
    }

    /// Records `period` as the current period in baocao.toml (keeps the rest of the file).
    pub fn set_current_period(&self, period: Period) -> Result<()> {
        let path = self.root.join(CONFIG_FILE);
        let text = crate::base::folders::read_to_string(&path).unwrap_or_default();
        let line = format!("ky = \"{period}\"");
        let mut found = false;
        let mut lines: Vec<String> = text
            .lines()
            .map(|l| {
                if l.trim_start().starts_with("ky ") || l.trim_start().starts_with("ky=") {
                    found = true;
                    line.clone()
                } else {
                    l.to_string()
                }
            })
            .collect();
        if !found {
            lines.push(line);
        }
        crate::archive::output::write_atomic(&path, (lines.join("\n") + "\n").as_bytes())?;
        cache().remove(&path);
        Ok(())
    }
}
