//! Secrets in settings: read from `NAME` or the file named by `NAME_FILE`, from Paideia LMS's
//! variable names as a fallback, or from a configuration-file key with a `*_file` twin; kept
//! in a `Secret` that never shows its value in `Debug`.

use std::{fmt, path::Path};

use super::{Env, SettingsError};
use crate::envvars;

/// A value that must not reach logs or `Debug` output; `expose` hands it to the one place
/// that needs it.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// A secret from `NAME` or from the file named by `NAME_FILE` (trailing newline removed).
pub fn secret(env: &dyn Env, name: &str) -> Result<Option<String>, SettingsError> {
    let file_var = format!("{name}{}", envvars::FILE_SUFFIX);
    match (env.var(name), env.var(&file_var)) {
        (Some(_), Some(_)) => Err(SettingsError::SecretTwice(name.to_string())),
        (Some(value), None) => Ok(Some(value)),
        (None, Some(path)) => read_secret_file(&file_var, Path::new(&path)).map(Some),
        (None, None) => Ok(None),
    }
}

/// A secret given in the configuration file inline (`key`) or as a file (`key_file`).
pub struct FileSecret<'a> {
    pub inline: Option<String>,
    pub file: Option<&'a Path>,
    /// The `*_file` key's name, for errors.
    pub key: &'a str,
}

/// A secret from our variable (or its `_FILE` twin), else Paideia LMS's name for it, else the
/// configuration file, where an inline value wins over a file.
pub fn layered_secret(
    env: &dyn Env,
    ours: &str,
    compat: &str,
    file: FileSecret<'_>,
) -> Result<Option<String>, SettingsError> {
    if let Some(value) = secret(env, ours)? {
        return Ok(Some(value));
    }
    if let Some(value) = secret(env, compat)? {
        return Ok(Some(value));
    }
    match (file.inline, file.file) {
        (Some(value), _) => Ok(Some(value)),
        (None, Some(path)) => read_secret_file(file.key, path).map(Some),
        (None, None) => Ok(None),
    }
}

fn read_secret_file(source: &str, path: &Path) -> Result<String, SettingsError> {
    std::fs::read_to_string(path)
        .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
        .map_err(|e| SettingsError::SecretFile {
            var: source.to_string(),
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}
