//! The TOML configuration file: a format version and strictly known keys.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{SettingsError, secrets::Secret};

/// The file format version this binary reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub version: u32,
    pub data_dir: Option<PathBuf>,
    pub log_format: Option<String>,
    pub time_zone: Option<String>,
    #[serde(default)]
    pub database: DatabaseSection,
    #[serde(default)]
    pub server: ServerSection,
    #[serde(default)]
    pub storage: StorageSection,
    #[serde(default)]
    pub backup: BackupSection,
    #[serde(default)]
    pub mail: MailSection,
}

/// Outgoing mail (`[mail]`): the SMTP server, the outbox's retries, the site's address.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSection {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub tls: Option<String>,
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub password_file: Option<PathBuf>,
    pub from: Option<String>,
    pub from_name: Option<String>,
    pub timeout_secs: Option<u64>,
    pub max_attempts: Option<u32>,
    pub retry_secs: Option<u64>,
    pub public_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSection {
    pub url: Option<String>,
    /// A file holding the URL, so the secret can live apart from the configuration.
    pub url_file: Option<PathBuf>,
    pub max_connections: Option<usize>,
    pub statement_timeout_secs: Option<u64>,
    pub lock_timeout_secs: Option<u64>,
    pub migration_lock_timeout_secs: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSection {
    pub bind: Option<String>,
    pub drain_timeout_secs: Option<u64>,
    pub trusted_proxies: Option<Vec<String>>,
    pub header_timeout_secs: Option<u64>,
    pub idle_timeout_secs: Option<u64>,
    pub max_connections: Option<usize>,
    pub request_timeout_secs: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageSection {
    /// A `bucket` here (or in the environment) selects S3; without one files stay local.
    #[serde(default)]
    pub s3: S3Section,
}

/// `paideia backup`: where sets go, how many are kept, and who can read them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupSection {
    pub dir: Option<PathBuf>,
    pub to: Option<String>,
    pub keep_daily: Option<u32>,
    pub keep_weekly: Option<u32>,
    pub keep_monthly: Option<u32>,
    pub age_recipients: Option<Vec<String>>,
    /// The file of keys that authenticate backup sets (default `<data_dir>/backup.key`).
    pub key_file: Option<PathBuf>,
    /// Folder for verification's scratch database.
    pub scratch_dir: Option<PathBuf>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Section {
    pub endpoint_url: Option<String>,
    pub region: Option<String>,
    pub bucket: Option<String>,
    pub path_style: Option<bool>,
    pub access_key: Option<String>,
    pub access_key_file: Option<PathBuf>,
    pub secret_key: Option<Secret>,
    pub secret_key_file: Option<PathBuf>,
    pub timeout_secs: Option<u64>,
}

impl ConfigFile {
    pub fn load(path: &Path) -> Result<ConfigFile, SettingsError> {
        crate::paths::check_file("configuration file", path, false)?;
        let text = std::fs::read_to_string(path).map_err(|e| SettingsError::ConfigRead {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let file: ConfigFile = toml::from_str(&text).map_err(|e| SettingsError::ConfigParse {
            path: path.to_path_buf(),
            reason: e.message().to_string(),
        })?;
        if file.version != FORMAT_VERSION {
            return Err(SettingsError::ConfigVersion {
                path: path.to_path_buf(),
                found: file.version,
            });
        }
        Ok(file)
    }
}
