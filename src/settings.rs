//! Project settings (`baocao.toml`): the period being worked on and the
//! default report type, so staff rarely type `--period`.

use crate::error::{Error, Result};
use crate::period::Period;
use crate::report::{Project, DEFAULT_REPORT};

/// The project settings file at the root.
pub const CONFIG_FILE: &str = "baocao.toml";

/// `baocao.toml`: the period being worked on and the default report type.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Current period ("kỳ đang làm"); `baocao new-period` moves it forward.
    #[serde(default)]
    pub ky: Option<String>,
    /// Default report type.
    #[serde(default)]
    pub bao_cao: Option<String>,
    /// Submission deadline: day of the month after the period (`han_nop = 15`).
    #[serde(default)]
    pub han_nop: Option<u8>,
}

impl Project {
    /// The project settings (empty when there is no baocao.toml).
    pub fn config(&self) -> Result<Config> {
        let path = self.root.join(CONFIG_FILE);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(Config::default());
        };
        toml::from_str(&text).map_err(|e| Error::Manifest {
            file: CONFIG_FILE.into(),
            detail: e.message().to_string(),
        })
    }

    /// The period commands use by default: `ky` in baocao.toml, else the newest month with figures.
    pub fn current_period(&self) -> Result<Period> {
        match self.config()?.ky {
            Some(k) => k.parse().map_err(|_| Error::BadPeriod(k)),
            None => self.latest_period(),
        }
    }

    /// The report type commands use by default.
    pub fn default_report(&self) -> Result<String> {
        Ok(self.config()?.bao_cao.unwrap_or_else(|| DEFAULT_REPORT.to_string()))
    }

    /// Records `period` as the current period in baocao.toml (keeps the rest of the file).
    pub fn set_current_period(&self, period: Period) -> Result<()> {
        let path = self.root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
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
        crate::output::write_atomic(&path, (lines.join("\n") + "\n").as_bytes())
    }
}
