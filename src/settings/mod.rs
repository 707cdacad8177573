//! Settings resolved once, in this order (later wins): built-in defaults, the configuration
//! file, environment variables, command-line flags. Secrets can also come from `*_FILE`
//! variables. Nothing here knows about clap; `cli` hands over plain `Flags`.

mod backup;
mod file;
mod mail;
mod secrets;
mod server;
mod storage;

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

pub use backup::{BackupFlags, BackupSettings, KeySource, Retention, S3Target, parse_s3_url};
pub use file::{ConfigFile, FORMAT_VERSION};
pub use mail::{MailSettings, SmtpSettings, SmtpTls};
pub use secrets::{FileSecret, Secret, layered_secret, secret};
pub use server::{ServerSettings, TrustedProxies};
pub use storage::{DEFAULT_S3_REGION, DEFAULT_S3_TIMEOUT, S3Settings, StorageSettings};

use crate::{
    db::{DatabaseUrl, DbError},
    envvars,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl LogFormat {
    fn parse(s: &str, source: &str) -> Result<Self, SettingsError> {
        match s {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(SettingsError::Invalid {
                what: format!("log format `{other}` from {source}"),
                expected: "text or json".into(),
            }),
        }
    }
}

/// What the command line said; `None` means "not given".
#[derive(Clone, Debug, Default)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub log_format: Option<LogFormat>,
    pub bind: Option<SocketAddr>,
    /// `serve --trusted-proxy`, repeated.
    pub trusted_proxies: Vec<String>,
    /// `paideia backup`'s own flags.
    pub backup: BackupFlags,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub config_file: Option<PathBuf>,
    pub data_dir: PathBuf,
    pub database_url: DatabaseUrl,
    pub db_max_connections: usize,
    /// `serve`'s pooled statements: cancelled after this long (PostgreSQL).
    pub db_statement_timeout: Duration,
    /// `serve`'s pooled statements: how long they wait for a lock or a free connection.
    pub db_lock_timeout: Duration,
    /// How long `serve` and `migrate up` wait for another process's migration lock.
    pub migration_lock_timeout: Duration,
    pub bind: SocketAddr,
    pub drain_timeout: Duration,
    /// `serve`'s proxies, timeouts and connection cap.
    pub server: ServerSettings,
    /// The site's time zone until an administrator chooses one (none: the server's).
    pub time_zone: Option<crate::lms::Zone>,
    pub log_format: LogFormat,
    pub storage: StorageSettings,
    pub backup: BackupSettings,
    /// Outgoing mail: SMTP (none: not configured), retries, the site's address for links.
    pub mail: MailSettings,
}

pub const DEFAULT_DATA_DIR: &str = "paideia-data";
pub const DEFAULT_BIND: &str = "127.0.0.1:3000";

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read configuration file {path}: {reason}")]
    ConfigRead { path: PathBuf, reason: String },
    #[error("configuration file {path} is not valid: {reason}")]
    ConfigParse { path: PathBuf, reason: String },
    #[error(
        "configuration file {path} has format version {found}; this binary reads version {FORMAT_VERSION}"
    )]
    ConfigVersion { path: PathBuf, found: u32 },
    #[error("invalid {what}: expected {expected}")]
    Invalid { what: String, expected: String },
    #[error("cannot read secret file {path} (from {var}): {reason}")]
    SecretFile {
        var: String,
        path: PathBuf,
        reason: String,
    },
    #[error("both {0} and {0}_FILE are set")]
    SecretTwice(String),
    #[error("cannot create data directory {path}: {reason}")]
    DataDir { path: PathBuf, reason: String },
    #[error(transparent)]
    Url(#[from] DbError),
    #[error(transparent)]
    Path(#[from] crate::paths::PathError),
}

impl SettingsError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            SettingsError::ConfigParse { .. } => {
                "check the key names against docs/cli.md; unknown keys are refused".into()
            }
            SettingsError::ConfigVersion { .. } => {
                format!("set `version = {FORMAT_VERSION}` and check docs/cli.md for what changed")
            }
            SettingsError::SecretTwice(var) => format!("unset {var} or {var}_FILE"),
            SettingsError::DataDir { .. } => {
                "choose a writable directory with --data-dir or PAIDEIA_DATA_DIR".into()
            }
            SettingsError::Path(e) => e.hint(),
            SettingsError::Url(DbError::Url(_)) => {
                "use postgres://USER:PASSWORD@HOST:5432/DB or sqlite://path/to/paideia.db".into()
            }
            _ => return None,
        })
    }
}

/// Reads an environment variable; tests pass their own.
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

impl<F: Fn(&str) -> Option<String>> Env for F {
    fn var(&self, name: &str) -> Option<String> {
        self(name)
    }
}

fn parse_env<T: std::str::FromStr>(
    env: &dyn Env,
    name: &str,
    expected: &str,
) -> Result<Option<T>, SettingsError> {
    env.var(name)
        .map(|v| {
            v.parse().map_err(|_| SettingsError::Invalid {
                what: format!("{name} `{v}`"),
                expected: expected.into(),
            })
        })
        .transpose()
}

fn parse_bind(text: &str, source: &str) -> Result<SocketAddr, SettingsError> {
    text.parse().map_err(|_| SettingsError::Invalid {
        what: format!("bind address `{text}` from {source}"),
        expected: "HOST:PORT, for example 127.0.0.1:3000".into(),
    })
}

impl Settings {
    pub fn resolve(flags: &Flags, env: &dyn Env) -> Result<Settings, SettingsError> {
        let config_path = flags
            .config
            .clone()
            .or_else(|| env.var(envvars::CONFIG).map(PathBuf::from));
        let file = match &config_path {
            Some(path) => ConfigFile::load(path)?,
            None => ConfigFile::default(),
        };

        let data_dir = flags
            .data_dir
            .clone()
            .or_else(|| env.var(envvars::DATA_DIR).map(PathBuf::from))
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));

        let url_text = match &flags.database_url {
            Some(url) => Some(url.clone()),
            None => layered_secret(
                env,
                envvars::DATABASE_URL,
                envvars::COMPAT_DATABASE_URL,
                FileSecret {
                    inline: file.database.url,
                    file: file.database.url_file.as_deref(),
                    key: "database.url_file",
                },
            )?,
        };
        let database_url = match url_text {
            Some(text) => DatabaseUrl::parse(&text)?,
            None => DatabaseUrl::sqlite_file(&data_dir.join("paideia.db")),
        };

        let bind = match (flags.bind, env.var(envvars::BIND), file.server.bind.clone()) {
            (Some(bind), _, _) => bind,
            (None, Some(text), _) => parse_bind(&text, envvars::BIND)?,
            (None, None, Some(text)) => parse_bind(&text, "the configuration file")?,
            (None, None, None) => parse_bind(DEFAULT_BIND, "the default")?,
        };

        let log_format = match (
            flags.log_format,
            env.var(envvars::LOG_FORMAT),
            file.log_format,
        ) {
            (Some(f), _, _) => f,
            (None, Some(text), _) => LogFormat::parse(&text, envvars::LOG_FORMAT)?,
            (None, None, Some(text)) => LogFormat::parse(&text, "the configuration file")?,
            (None, None, None) => LogFormat::default(),
        };

        let drain_secs = parse_env(env, envvars::DRAIN_TIMEOUT, "a number of seconds")?
            .or(file.server.drain_timeout_secs)
            .unwrap_or(30);
        let db_max_connections = parse_env(env, envvars::DB_MAX_CONNECTIONS, "a whole number")?
            .or(file.database.max_connections)
            .unwrap_or(16)
            .max(1);
        let statement_secs: u64 =
            parse_env(env, envvars::DB_STATEMENT_TIMEOUT, "a number of seconds")?
                .or(file.database.statement_timeout_secs)
                .unwrap_or(20)
                .max(1);
        let db_lock_secs: u64 = parse_env(env, envvars::DB_LOCK_TIMEOUT, "a number of seconds")?
            .or(file.database.lock_timeout_secs)
            .unwrap_or(5)
            .max(1);
        let lock_secs = parse_env(env, envvars::MIGRATION_LOCK_TIMEOUT, "a number of seconds")?
            .or(file.database.migration_lock_timeout_secs)
            .unwrap_or(120);
        let server = server::resolve(env, &flags.trusted_proxies, &file.server)?;
        let time_zone = match (env.var(envvars::TIME_ZONE), file.time_zone.clone()) {
            (Some(name), _) => Some((name, envvars::TIME_ZONE)),
            (None, Some(name)) => Some((name, "the configuration file")),
            (None, None) => None,
        }
        .map(|(name, source)| {
            crate::lms::Zone::parse(&name).ok_or_else(|| SettingsError::Invalid {
                what: format!("time zone `{name}` from {source}"),
                expected: "a name of the IANA time zone database, like Europe/Berlin".into(),
            })
        })
        .transpose()?;
        let mail = mail::resolve(env, file.mail, bind)?;
        let backup = backup::resolve(env, &flags.backup, file.backup, &file.storage.s3, &data_dir)?;
        let storage = storage::resolve(env, file.storage.s3, &data_dir)?;
        if let (Some(to), StorageSettings::S3(media)) = (&backup.to, &storage)
            && to.s3.bucket == media.bucket
            && to.s3.endpoint_url == media.endpoint_url
        {
            return Err(SettingsError::Invalid {
                what: format!("backup target {}: it is the media bucket", to.url()),
                expected: "a bucket of its own, so that losing one does not lose the other".into(),
            });
        }

        Ok(Settings {
            config_file: config_path,
            data_dir,
            database_url,
            db_max_connections,
            db_statement_timeout: Duration::from_secs(statement_secs),
            db_lock_timeout: Duration::from_secs(db_lock_secs),
            migration_lock_timeout: Duration::from_secs(lock_secs),
            bind,
            drain_timeout: Duration::from_secs(drain_secs),
            server,
            time_zone,
            log_format,
            storage,
            backup,
            mail,
        })
    }

    /// Creates the data directory (mode 0700) when it does not exist yet; one that exists must
    /// be a directory this user may write to, and a failure says which of those it is not.
    pub fn ensure_data_dir(&self) -> Result<(), SettingsError> {
        use crate::paths::{PathError, check_dir, classify};
        match check_dir("data directory", &self.data_dir, true) {
            Err(e) if e.is_missing() => {}
            checked => return Ok(checked?),
        }
        create_private_dir(&self.data_dir).map_err(|e| {
            SettingsError::Path(PathError {
                what: "cannot create the data directory",
                path: self.data_dir.clone(),
                problem: classify(&e, &self.data_dir),
            })
        })
    }
}

/// Creates `path` and its missing parents; the directories it creates get mode 0700.
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(path)
}

#[cfg(test)]
mod tests;
