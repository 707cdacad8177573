//! `paideia backup`'s settings: the local set directory (default `<data-dir>/backups`), an
//! optional off-site S3 copy (`s3://bucket/prefix`, with the endpoint and credentials of the
//! `PAIDEIA_S3_*` settings), the retention policy, the age recipients sets are encrypted to,
//! the key that authenticates sets, and where verifications put their scratch database.

use std::path::{Path, PathBuf};

use super::{
    Env, Secret, SettingsError, file::BackupSection, file::S3Section, storage::s3_for_bucket,
};
use crate::envvars;

/// How many sets retention keeps; `None` everywhere means "keep everything".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Retention {
    pub daily: Option<u32>,
    pub weekly: Option<u32>,
    pub monthly: Option<u32>,
}

impl Retention {
    /// True when at least one rule is set, so pruning may remove something.
    pub fn is_set(&self) -> bool {
        self.daily.is_some() || self.weekly.is_some() || self.monthly.is_some()
    }
}

/// An S3 bucket and key prefix that sets are copied to.
#[derive(Clone, Debug)]
pub struct S3Target {
    pub s3: super::S3Settings,
    /// Without leading or trailing `/`; empty for the bucket's root.
    pub prefix: String,
}

impl S3Target {
    /// `s3://bucket/prefix` (never with credentials).
    pub fn url(&self) -> String {
        match self.prefix.as_str() {
            "" => format!("s3://{}", self.s3.bucket),
            prefix => format!("s3://{}/{prefix}", self.s3.bucket),
        }
    }
}

#[derive(Clone, Debug)]
pub struct BackupSettings {
    pub dir: PathBuf,
    pub to: Option<S3Target>,
    pub retention: Retention,
    /// age X25519 public keys (`age1…`); sets are encrypted when there is at least one.
    pub age_recipients: Vec<String>,
    /// Where the keys that authenticate sets come from.
    pub key: KeySource,
    /// Folder for verification's scratch SQLite database (`None`: the data directory, or the
    /// dump's folder when there is no data directory).
    pub scratch_dir: Option<PathBuf>,
}

/// Where the backup keys are: never in the backup folder or bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// The keys themselves, from `PAIDEIA_BACKUP_KEY`.
    Inline(Secret),
    /// A key file; `configured` is false for the default `<data-dir>/backup.key`, which
    /// `backup run` creates when it is missing.
    File { path: PathBuf, configured: bool },
}

impl KeySource {
    /// Where the keys come from, for messages (never the keys).
    pub fn describe(&self) -> String {
        match self {
            KeySource::Inline(_) => envvars::BACKUP_KEY.to_string(),
            KeySource::File { path, .. } => path.display().to_string(),
        }
    }
}

/// What `paideia backup`'s flags said; `None`/empty means "not given".
#[derive(Clone, Debug, Default)]
pub struct BackupFlags {
    pub dir: Option<PathBuf>,
    pub to: Option<String>,
    pub retention: Retention,
    pub age_recipients: Vec<String>,
    pub key_file: Option<PathBuf>,
    pub scratch_dir: Option<PathBuf>,
}

pub(super) fn resolve(
    env: &dyn Env,
    flags: &BackupFlags,
    file: BackupSection,
    s3_file: &S3Section,
    data_dir: &Path,
) -> Result<BackupSettings, SettingsError> {
    let dir = flags
        .dir
        .clone()
        .or_else(|| env.var(envvars::BACKUP_DIR).map(PathBuf::from))
        .or(file.dir)
        .unwrap_or_else(|| data_dir.join("backups"));
    let to = match flags
        .to
        .clone()
        .or_else(|| env.var(envvars::BACKUP_TO))
        .or(file.to)
    {
        Some(url) => {
            let (bucket, prefix) = parse_s3_url(&url)?;
            Some(S3Target {
                s3: s3_for_bucket(env, s3_file.clone(), bucket)?,
                prefix,
            })
        }
        None => None,
    };
    let keep = |flag: Option<u32>, var: &str, file: Option<u32>| {
        Ok::<_, SettingsError>(
            flag.or(super::parse_env(env, var, "a whole number")?)
                .or(file),
        )
    };
    let retention = Retention {
        daily: keep(
            flags.retention.daily,
            envvars::BACKUP_KEEP_DAILY,
            file.keep_daily,
        )?,
        weekly: keep(
            flags.retention.weekly,
            envvars::BACKUP_KEEP_WEEKLY,
            file.keep_weekly,
        )?,
        monthly: keep(
            flags.retention.monthly,
            envvars::BACKUP_KEEP_MONTHLY,
            file.keep_monthly,
        )?,
    };
    let age_recipients = if !flags.age_recipients.is_empty() {
        flags.age_recipients.clone()
    } else if let Some(list) = env.var(envvars::BACKUP_AGE_RECIPIENTS) {
        list.split([',', ' ', '\n'])
            .filter(|r| !r.is_empty())
            .map(String::from)
            .collect()
    } else {
        file.age_recipients.unwrap_or_default()
    };
    let key = key_source(env, flags, file.key_file, data_dir)?;
    let scratch_dir = flags
        .scratch_dir
        .clone()
        .or_else(|| env.var(envvars::BACKUP_SCRATCH_DIR).map(PathBuf::from))
        .or_else(|| env.var(envvars::SCRATCH_DIR).map(PathBuf::from))
        .or(file.scratch_dir);
    Ok(BackupSettings {
        dir,
        to,
        retention,
        age_recipients,
        key,
        scratch_dir,
    })
}

/// The flag, then `PAIDEIA_BACKUP_KEY` (the keys) or `PAIDEIA_BACKUP_KEY_FILE` (a file, read
/// when a command needs it, so `backup key new` can add to it), then the configuration file,
/// then `<data-dir>/backup.key`.
fn key_source(
    env: &dyn Env,
    flags: &BackupFlags,
    file: Option<PathBuf>,
    data_dir: &Path,
) -> Result<KeySource, SettingsError> {
    let file_var = format!("{}{}", envvars::BACKUP_KEY, envvars::FILE_SUFFIX);
    let configured = |path: PathBuf| KeySource::File {
        path,
        configured: true,
    };
    Ok(
        match (
            &flags.key_file,
            env.var(envvars::BACKUP_KEY),
            env.var(&file_var),
        ) {
            (Some(path), _, _) => configured(path.clone()),
            (None, Some(_), Some(_)) => {
                return Err(SettingsError::SecretTwice(envvars::BACKUP_KEY.into()));
            }
            (None, Some(keys), None) => KeySource::Inline(Secret::new(keys)),
            (None, None, Some(path)) => configured(PathBuf::from(path)),
            (None, None, None) => match file {
                Some(path) => configured(path),
                None => KeySource::File {
                    path: data_dir.join("backup.key"),
                    configured: false,
                },
            },
        },
    )
}

/// `s3://bucket` or `s3://bucket/some/prefix` into the bucket and the prefix.
pub fn parse_s3_url(text: &str) -> Result<(String, String), SettingsError> {
    let invalid = || SettingsError::Invalid {
        what: format!("backup target `{text}`"),
        expected: "s3://BUCKET or s3://BUCKET/PREFIX".into(),
    };
    let rest = text.strip_prefix("s3://").ok_or_else(invalid)?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let prefix = prefix.trim_matches('/');
    let bucket_ok = !bucket.is_empty()
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'));
    if !bucket_ok
        || prefix
            .split('/')
            .any(|s| s.is_empty() && !prefix.is_empty())
    {
        return Err(invalid());
    }
    Ok((bucket.to_string(), prefix.to_string()))
}

#[cfg(test)]
mod tests {
    use super::parse_s3_url;

    #[test]
    fn s3_urls_give_bucket_and_prefix() {
        let parse = |t| parse_s3_url(t).unwrap();
        assert_eq!(parse("s3://b"), ("b".into(), "".into()));
        assert_eq!(parse("s3://b/"), ("b".into(), "".into()));
        assert_eq!(
            parse("s3://my-bucket/paideia/prod/"),
            ("my-bucket".into(), "paideia/prod".into())
        );
        for bad in [
            "b/x",
            "s3://",
            "s3:///x",
            "s3://B",
            "s3://b/x//y",
            "file:///x",
        ] {
            assert!(parse_s3_url(bad).is_err(), "{bad}");
        }
    }
}
