//! The process exit status and how a failure is told to the admin: one `error:` line, then a
//! `hint:` line when there is a known fix.

use crate::{
    backup::{BackupError, set::SetError},
    db::DbError,
    migrate::MigrateError,
    settings::SettingsError,
    storage::StorageError,
    upgrade::UpgradeError,
};

/// Exit codes, documented in the README and docs/cli.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitStatus {
    Success = 0,
    /// The command failed; the message says why.
    Failure = 1,
    /// The command line was wrong (clap's own code).
    Usage = 2,
    /// A check ran and found a problem (`migrate verify`, `verify-backup`).
    CheckFailed = 3,
    /// The command exists in the tree but is not in this release yet.
    Unavailable = 4,
    /// `doctor` found warnings but no failure.
    Warnings = 5,
    /// `upgrade --check` found a newer release to upgrade to.
    UpdateAvailable = 6,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status as u8)
    }
}

/// An error raised by a command itself, with its own exit status and hint.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub message: String,
    pub hint: Option<String>,
    pub status: ExitStatus,
}

impl CommandError {
    pub fn new(message: impl Into<String>) -> Self {
        CommandError {
            message: message.into(),
            hint: None,
            status: ExitStatus::Failure,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn status(mut self, status: ExitStatus) -> Self {
        self.status = status;
        self
    }

    /// A check that ran and found a problem (exit 3). With `json`, stdout also gets
    /// `{"ok": false, "error": …}` so scripts see the result there.
    pub fn check_failed(message: String, hint: Option<String>, json: bool) -> Self {
        if json {
            println!("{}", serde_json::json!({"ok": false, "error": message}));
        }
        CommandError {
            message,
            hint,
            status: ExitStatus::CheckFailed,
        }
    }
}

fn db_hint(e: &DbError) -> Option<String> {
    e.hint()
}

/// The message, the hint and the exit status for a failed command.
pub fn describe(err: &anyhow::Error) -> (String, Option<String>, ExitStatus) {
    let message = format!("{err:#}").replace('\n', " ");
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<CommandError>() {
            return (message, e.hint.clone(), e.status);
        }
        let hint = if let Some(e) = cause.downcast_ref::<MigrateError>() {
            e.hint()
        } else if let Some(e) = cause.downcast_ref::<SetError>() {
            e.hint()
        } else if let Some(e) = cause.downcast_ref::<BackupError>() {
            e.hint()
        } else if let Some(e) = cause.downcast_ref::<SettingsError>() {
            e.hint()
        } else if let Some(e) = cause.downcast_ref::<UpgradeError>() {
            e.hint()
        } else if let Some(e) = cause.downcast_ref::<StorageError>() {
            e.hint()
        } else if let Some(e) = cause.downcast_ref::<DbError>() {
            db_hint(e)
        } else {
            None
        };
        if hint.is_some() {
            return (message, hint, ExitStatus::Failure);
        }
    }
    (message, None, ExitStatus::Failure)
}
