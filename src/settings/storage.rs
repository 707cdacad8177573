//! Where uploaded files go. S3-compatible storage when a bucket is configured, else the folder
//! `<data-dir>/files`. Each S3 setting comes from our `PAIDEIA_S3_*` variable, else Paideia
//! LMS's `S3_*` name, else the `[storage.s3]` section of the configuration file.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use super::{
    Env, SettingsError,
    file::S3Section,
    secrets::{FileSecret, Secret, layered_secret},
};
use crate::envvars;

pub const DEFAULT_S3_REGION: &str = "us-east-1";
/// How long an S3 request waits for the server unless `PAIDEIA_S3_TIMEOUT` says otherwise.
pub const DEFAULT_S3_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Debug)]
pub enum StorageSettings {
    /// A folder on this machine (created mode 0700 when missing).
    Local {
        root: PathBuf,
    },
    S3(S3Settings),
}

/// An S3-compatible bucket. `Debug` shows everything but the secret key.
#[derive(Clone, Debug)]
pub struct S3Settings {
    /// `None` means AWS itself (the regional endpoint).
    pub endpoint_url: Option<String>,
    pub region: String,
    pub bucket: String,
    /// Path-style URLs (`endpoint/bucket/key`) instead of virtual-hosted ones
    /// (`bucket.endpoint/key`); on by default when a custom endpoint is set.
    pub path_style: bool,
    /// Both or neither; neither means the environment's own credentials (an instance role).
    pub access_key: Option<String>,
    pub secret_key: Option<Secret>,
    /// How long a request waits for the server (to connect: at most 5 s; between bytes of an
    /// answer), and how long its retries may go on.
    pub timeout: Duration,
}

pub(super) fn resolve(
    env: &dyn Env,
    file: S3Section,
    data_dir: &Path,
) -> Result<StorageSettings, SettingsError> {
    let plain = |ours: &str, compat: &str| env.var(ours).or_else(|| env.var(compat));
    let Some(bucket) = plain(envvars::S3_BUCKET, envvars::COMPAT_S3_BUCKET).or(file.bucket.clone())
    else {
        return Ok(StorageSettings::Local {
            root: data_dir.join("files"),
        });
    };
    s3_for_bucket(env, file, bucket).map(StorageSettings::S3)
}

/// The S3 connection settings (endpoint, region, path style, credentials) for `bucket`: the
/// media bucket, or the bucket backups are copied to.
pub(super) fn s3_for_bucket(
    env: &dyn Env,
    file: S3Section,
    bucket: String,
) -> Result<S3Settings, SettingsError> {
    let plain = |ours: &str, compat: &str| env.var(ours).or_else(|| env.var(compat));
    let endpoint_url = plain(envvars::S3_ENDPOINT_URL, envvars::COMPAT_S3_ENDPOINT_URL)
        .or(file.endpoint_url)
        .map(|url| check_endpoint(&url))
        .transpose()?;
    let region = plain(envvars::S3_REGION, envvars::COMPAT_S3_REGION)
        .or(file.region)
        .unwrap_or_else(|| DEFAULT_S3_REGION.to_string());
    let path_style = match env.var(envvars::S3_PATH_STYLE) {
        Some(text) => parse_bool(&text, envvars::S3_PATH_STYLE)?,
        None => file.path_style.unwrap_or(endpoint_url.is_some()),
    };
    let access_key = layered_secret(
        env,
        envvars::S3_ACCESS_KEY,
        envvars::COMPAT_S3_ACCESS_KEY,
        FileSecret {
            inline: file.access_key,
            file: file.access_key_file.as_deref(),
            key: "storage.s3.access_key_file",
        },
    )?;
    let secret_key = layered_secret(
        env,
        envvars::S3_SECRET_KEY,
        envvars::COMPAT_S3_SECRET_KEY,
        FileSecret {
            inline: file.secret_key.map(|s| s.expose().to_string()),
            file: file.secret_key_file.as_deref(),
            key: "storage.s3.secret_key_file",
        },
    )?;
    let timeout = match env.var(envvars::S3_TIMEOUT) {
        Some(text) => Some(parse_seconds(&text, envvars::S3_TIMEOUT)?),
        None => file.timeout_secs,
    }
    .map_or(DEFAULT_S3_TIMEOUT, Duration::from_secs);
    if access_key.is_some() != secret_key.is_some() {
        return Err(SettingsError::Invalid {
            what: "S3 credentials: only one of the access key and the secret key is set".into(),
            expected: "both, or neither to use the environment's own credentials".into(),
        });
    }
    Ok(S3Settings {
        endpoint_url,
        region,
        bucket,
        path_style,
        access_key,
        secret_key: secret_key.map(Secret::new),
        timeout,
    })
}

fn check_endpoint(text: &str) -> Result<String, SettingsError> {
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(text.trim_end_matches('/').to_string())
        }
        _ => Err(SettingsError::Invalid {
            what: format!(
                "S3 endpoint URL `{}`",
                crate::storage::redact_userinfo(text)
            ),
            expected: "http://HOST:PORT or https://HOST".into(),
        }),
    }
}

fn parse_seconds(text: &str, source: &str) -> Result<u64, SettingsError> {
    match text.parse::<u64>() {
        Ok(secs) if secs > 0 => Ok(secs),
        _ => Err(SettingsError::Invalid {
            what: format!("{source} `{text}`"),
            expected: "a whole number of seconds, at least 1".into(),
        }),
    }
}

fn parse_bool(text: &str, source: &str) -> Result<bool, SettingsError> {
    match text {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(SettingsError::Invalid {
            what: format!("{source} `{other}`"),
            expected: "true or false".into(),
        }),
    }
}
