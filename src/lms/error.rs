//! What can go wrong in the LMS, typed: validation errors name the form field they belong to,
//! CSV errors name the line, and "not allowed" is reported as `NotFound` so callers cannot
//! tell a hidden course from a missing one.

use chrono::Duration;

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum LmsError {
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error("{} line(s) of the CSV are invalid; nothing was changed", .0.len())]
    Csv(Vec<LineError>),
    #[error("not found")]
    NotFound,
    #[error("wrong email or password")]
    BadCredentials,
    #[error("too many failed sign-in attempts; try again in {}", wait_text(.retry_after))]
    Throttled { retry_after: Duration },
    #[error("registration is closed on this site; ask an administrator for an account")]
    RegistrationClosed,
    #[error("cannot write the export: {0}")]
    Export(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// `12 seconds`, `1 minute`, `14 minutes` (rounded up).
fn wait_text(d: &Duration) -> String {
    let seconds = (d.num_milliseconds() + 999).div_euclid(1000).max(1);
    match seconds {
        1 => "1 second".into(),
        2..=59 => format!("{seconds} seconds"),
        _ => match (seconds + 59) / 60 {
            1 => "1 minute".into(),
            minutes => format!("{minutes} minutes"),
        },
    }
}

impl LmsError {
    /// A validation error on one field.
    pub fn field(field: &'static str, message: impl Into<String>) -> LmsError {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        LmsError::Invalid(errors)
    }
}

/// One problem with one input field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// The validation problems of one form, in the order found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// Records `message` for `field` unless `ok`.
    pub fn check(&mut self, ok: bool, field: &'static str, message: impl Into<String>) {
        if !ok {
            self.add(field, message);
        }
    }

    /// The first message for `field`.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was recorded, else the errors as `LmsError::Invalid`.
    pub fn into_result(self) -> Result<(), LmsError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(LmsError::Invalid(self))
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

/// A problem with one line of an uploaded CSV file (lines count from 1).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}
