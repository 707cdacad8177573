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
    /// A check could not be carried out (`verify-backup`, `backup verify`): a resource ran out
    /// (scratch space, memory) or the scratch database was unreachable. Says nothing about
    /// what was to be checked.
    CouldNotCheck = 7,
    /// `upgrade --rehearse`: the upgrade works on this data but needs downtime (a contract
    /// migration); 0 is "safe" (rolling), 3 "not safe".
    Downtime = 8,
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

/// The error and its causes on one line, each cause once: an error that repeats its source's
/// text (`cannot write X: No space left on device`, then the source itself) says it once.
fn one_line(err: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message.replace('\n', " ")
}

/// The message, the hint and the exit status for a failed command.
pub fn describe(err: &anyhow::Error) -> (String, Option<String>, ExitStatus) {
    let message = one_line(err);
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<CommandError>() {
            return (message, e.hint.clone(), e.status);
        }
        if let Some(e @ (BackupError::CouldNotCheck { .. } | BackupError::SqlUnchecked { .. })) =
            cause.downcast_ref::<BackupError>()
        {
            return (message, e.hint(), ExitStatus::CouldNotCheck);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("storage folder: cannot write /x: {source}")]
    struct Repeats {
        #[source]
        source: std::io::Error,
    }

    #[test]
    fn a_cause_the_message_already_says_is_not_repeated() {
        let io = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let text = io.to_string();
        let err = anyhow::Error::new(Repeats { source: io }).context("backup set 1");
        let (message, _, status) = describe(&err);
        assert_eq!(message.matches(&text).count(), 1, "{message}");
        assert!(
            message.starts_with("backup set 1: storage folder"),
            "{message}"
        );
        assert_eq!(status, ExitStatus::Failure);
    }
}
