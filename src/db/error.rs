//! The database error type shared by both engines, and its hints.

use super::DatabaseUrl;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    Connect(String),
    /// The server could not be reached or cut the connection: what happened, in words
    /// (`postgres::network_failure`), and what to check.
    #[error("cannot connect to {url}: {what}")]
    Unreachable {
        url: String,
        what: String,
        hint: &'static str,
    },
    #[error("{message}")]
    Query {
        message: String,
        statement: String,
        /// SQLSTATE on PostgreSQL, the extended result code name on SQLite.
        code: Option<String>,
    },
    #[error("cannot read a query result: {0}")]
    Decode(String),
    #[error("database pool: {0}")]
    Pool(String),
    #[error("{0}")]
    Url(String),
    #[error("the query returned no row")]
    NoRow,
    #[error("{0} is not supported")]
    Unsupported(&'static str),
    /// No pooled connection came free in time.
    #[error("the database is busy: no connection came free within {0:?}")]
    Busy(std::time::Duration),
}

impl DbError {
    pub(crate) fn connect(url: &DatabaseUrl, cause: impl std::fmt::Display) -> Self {
        DbError::Connect(format!("cannot connect to {url}: {cause}"))
    }

    pub(crate) fn query(statement: &str, message: String, code: Option<String>) -> Self {
        DbError::Query {
            message,
            statement: statement.to_string(),
            code,
        }
    }

    pub(crate) fn busy(waited: Option<std::time::Duration>) -> Self {
        DbError::Busy(waited.unwrap_or_default())
    }

    /// True when the statement gave up waiting (a lock, a statement timeout, a free
    /// connection) rather than failing: trying again later may work.
    pub fn is_busy(&self) -> bool {
        match self {
            DbError::Busy(_) => true,
            DbError::Query { code, .. } => matches!(
                code.as_deref(),
                Some("55P03" | "57014" | "DatabaseBusy" | "DatabaseLocked")
            ),
            _ => false,
        }
    }

    /// What to check or run, for the failures an admin can fix.
    pub fn hint(&self) -> Option<String> {
        match self {
            DbError::Unreachable { hint, .. } => Some((*hint).to_string()),
            DbError::Connect(_) => Some(
                "check the database URL (--database-url or PAIDEIA_DATABASE_URL) and that the server is running".into(),
            ),
            _ => None,
        }
    }

    /// True for a unique or primary-key violation on either engine.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            DbError::Query { code, message, .. } => {
                code.as_deref() == Some("23505")
                    || (code.as_deref() == Some("ConstraintViolation")
                        && message.contains("UNIQUE constraint failed"))
            }
            _ => false,
        }
    }
}
