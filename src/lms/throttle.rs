//! Sign-in throttling kept in `login_attempts`, so every instance sees the same counts: at
//! most 5 failures per account and 20 per client address within 15 minutes. A success clears
//! the account's count (not the address's, which an attacker could clear with their own account).

use chrono::{DateTime, Duration, Utc};

use super::{Lms, LmsError};
use crate::db::Value;

pub const WINDOW: Duration = Duration::minutes(15);
pub const ACCOUNT_LIMIT: i64 = 5;
pub const ADDRESS_LIMIT: i64 = 20;
/// Attempts older than this are deleted when a new failure is recorded.
const KEEP: Duration = Duration::days(1);

/// The counters one sign-in attempt touches.
pub(crate) struct Keys {
    account: String,
    address: Option<String>,
}

impl Keys {
    pub(crate) fn new(email: &str, address: Option<&str>) -> Keys {
        Keys {
            account: format!("account:{}", email.trim().to_lowercase()),
            address: address.map(|a| format!("address:{a}")),
        }
    }

    fn all(&self) -> impl Iterator<Item = (&str, i64)> {
        std::iter::once((self.account.as_str(), ACCOUNT_LIMIT))
            .chain(self.address.as_deref().map(|a| (a, ADDRESS_LIMIT)))
    }
}

impl Lms {
    /// `Throttled` (with the time until the oldest counted failure leaves the window) when a
    /// counter is full.
    pub(crate) async fn check_throttle(&self, keys: &Keys) -> Result<(), LmsError> {
        let now = self.now();
        for (key, limit) in keys.all() {
            if let Some(until) = self.blocked_until(key, limit, now).await? {
                return Err(LmsError::Throttled {
                    retry_after: until - now,
                });
            }
        }
        Ok(())
    }

    async fn blocked_until(
        &self,
        key: &str,
        limit: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, LmsError> {
        let last_success: Option<DateTime<Utc>> = self
            .db
            .query_one(
                "SELECT max(attempted_at) AS t FROM login_attempts
                 WHERE throttle_key = $1 AND succeeded",
                &[key.into()],
            )
            .await?
            .get("t")?;
        let since = last_success.map_or(now - WINDOW, |t| t.max(now - WINDOW));
        let failures = self
            .db
            .query(
                "SELECT attempted_at FROM login_attempts
                 WHERE throttle_key = $1 AND NOT succeeded AND attempted_at > $2
                 ORDER BY attempted_at DESC LIMIT $3",
                &[key.into(), Value::Time(since), limit.into()],
            )
            .await?;
        if (failures.len() as i64) < limit {
            return Ok(None);
        }
        let oldest: DateTime<Utc> = failures[failures.len() - 1].get("attempted_at")?;
        Ok(Some(oldest + WINDOW))
    }

    pub(crate) async fn record_failure(&self, keys: &Keys) -> Result<(), LmsError> {
        let now = self.now();
        for (key, _) in keys.all() {
            self.record_attempt(key, false, now).await?;
        }
        self.db
            .execute(
                "DELETE FROM login_attempts WHERE attempted_at < $1",
                &[Value::Time(now - KEEP)],
            )
            .await?;
        Ok(())
    }

    pub(crate) async fn record_success(&self, keys: &Keys) -> Result<(), LmsError> {
        self.record_attempt(&keys.account, true, self.now()).await
    }

    async fn record_attempt(
        &self,
        key: &str,
        succeeded: bool,
        at: DateTime<Utc>,
    ) -> Result<(), LmsError> {
        self.db
            .execute(
                "INSERT INTO login_attempts (throttle_key, attempted_at, succeeded) VALUES ($1, $2, $3)",
                &[key.into(), Value::Time(at), succeeded.into()],
            )
            .await?;
        Ok(())
    }
}
