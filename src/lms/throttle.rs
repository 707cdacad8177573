//! Sign-in throttling kept in `login_attempts`, so every instance sees the same counts. An
//! attempt is written down *before* its password is checked, then counted against three
//! keys: the account from this address, the account from anywhere, and this address for any
//! account. Each key lets a few failures through freely, then asks for a growing pause after
//! the latest one (1 s, 2 s, 4 s … up to its cap), so an attacker is slowed to a crawl while
//! the owner, at worst, waits out the cap: nobody is locked out for good. An attempt that
//! must wait is removed again, so hammering does not lengthen the pause.

use chrono::{DateTime, Duration, Utc};

use super::{Lms, LmsError};
use crate::db::Value;

/// Failures older than this no longer count.
pub const WINDOW: Duration = Duration::minutes(15);
/// Attempts older than this are deleted when a new failure is recorded.
const KEEP: Duration = Duration::days(1);

/// How one key slows attempts down: `free` failures in the window pass at once; after that
/// each attempt must come `2^(n - free)` seconds (at most `cap`) after the latest failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub free: i64,
    pub cap: Duration,
}

/// One account from one address: the guesser's own budget.
pub const PAIR: Rule = Rule {
    free: 5,
    cap: Duration::minutes(15),
};
/// One account from every address: a guesser with many addresses is slowed to one try a
/// minute, and the owner (from another address) waits at most a minute.
pub const ACCOUNT: Rule = Rule {
    free: 20,
    cap: Duration::minutes(1),
};
/// One address for every account: a school behind one NAT shares it, so it is generous and
/// its pause short; it slows a guesser who tries many accounts.
pub const ADDRESS: Rule = Rule {
    free: 50,
    cap: Duration::seconds(10),
};

/// Password reset links asked for one address: a few pass, then each must wait (so nobody
/// can fill someone's mailbox).
pub const RESET_EMAIL: Rule = Rule {
    free: 3,
    cap: Duration::minutes(15),
};
/// Password reset links asked from one client address, for any account.
pub const RESET_CLIENT: Rule = Rule {
    free: 20,
    cap: Duration::minutes(5),
};

/// How long an attempt must still wait under `rule`, given the failures the key already has
/// in the window and the latest of them; `None` when it may go ahead.
pub fn wait(
    rule: Rule,
    failures: i64,
    latest: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<Duration> {
    let over = failures - rule.free;
    let latest = latest?;
    if over < 0 {
        return None;
    }
    let pause = Duration::seconds(1i64 << over.min(20)).min(rule.cap);
    let ready = latest + pause;
    (ready > now).then(|| ready - now)
}

/// The counters one sign-in attempt touches.
pub(crate) struct Keys {
    keys: Vec<(Rule, String)>,
}

impl Keys {
    pub(crate) fn new(email: &str, address: Option<&str>) -> Keys {
        let email = email.trim().to_lowercase();
        let from = address.unwrap_or("unknown");
        let mut keys = vec![
            (PAIR, format!("pair:{email} {from}")),
            (ACCOUNT, format!("account:{email}")),
        ];
        if let Some(address) = address {
            keys.push((ADDRESS, format!("address:{address}")));
        }
        Keys { keys }
    }

    /// The counters of one request for a password reset link.
    pub(crate) fn password_reset(email: &str, address: Option<&str>) -> Keys {
        let mut keys = vec![(
            RESET_EMAIL,
            format!("reset:{}", email.trim().to_lowercase()),
        )];
        if let Some(address) = address {
            keys.push((RESET_CLIENT, format!("reset-from:{address}")));
        }
        Keys { keys }
    }
}

/// An attempt written down and allowed to check its password; its rows stay as failures
/// unless `attempt_succeeded` is called.
pub(crate) struct Attempt {
    /// (rule, key, row id) for each key.
    rows: Vec<(Rule, String, i64)>,
}

impl Lms {
    /// Writes the attempt down under every key, then lets it go ahead or answers `Throttled`
    /// (with the longest wait) after removing it again. Counting other attempts that are
    /// still being checked makes a burst of simultaneous attempts pass at most `free` of
    /// them: the last to be written always sees every other one.
    pub(crate) async fn begin_attempt(&self, keys: &Keys) -> Result<Attempt, LmsError> {
        let now = self.now();
        let mut rows = Vec::with_capacity(keys.keys.len());
        for (rule, key) in &keys.keys {
            let id: i64 = self
                .db
                .query_one(
                    "INSERT INTO login_attempts (throttle_key, attempted_at, succeeded)
                     VALUES ($1, $2, FALSE) RETURNING id",
                    &[key.as_str().into(), Value::Time(now)],
                )
                .await?
                .get("id")?;
            rows.push((*rule, key.clone(), id));
        }
        let attempt = Attempt { rows };
        let mut longest: Option<Duration> = None;
        for (rule, key, id) in &attempt.rows {
            let (failures, latest) = self.failures(key, *id, now).await?;
            if let Some(w) = wait(*rule, failures, latest, now) {
                longest = Some(longest.map_or(w, |l| l.max(w)));
            }
        }
        match longest {
            None => Ok(attempt),
            Some(retry_after) => {
                self.forget(&attempt).await?;
                Err(LmsError::Throttled { retry_after })
            }
        }
    }

    /// Failures of `key` in the window since its last success, other than row `mine`, and
    /// the time of the latest.
    async fn failures(
        &self,
        key: &str,
        mine: i64,
        now: DateTime<Utc>,
    ) -> Result<(i64, Option<DateTime<Utc>>), LmsError> {
        let row = self
            .db
            .query_one(
                "SELECT count(*) AS n, max(attempted_at) AS latest FROM login_attempts
                 WHERE throttle_key = $1 AND NOT succeeded AND id <> $3 AND attempted_at > $2
                   AND id > COALESCE((SELECT max(s.id) FROM login_attempts s
                                      WHERE s.throttle_key = $1 AND s.succeeded), 0)",
                &[key.into(), Value::Time(now - WINDOW), mine.into()],
            )
            .await?;
        Ok((row.get("n")?, row.get("latest")?))
    }

    async fn forget(&self, attempt: &Attempt) -> Result<(), LmsError> {
        for (_, _, id) in &attempt.rows {
            self.db
                .execute("DELETE FROM login_attempts WHERE id = $1", &[(*id).into()])
                .await?;
        }
        Ok(())
    }

    /// The password was wrong (or the account cannot sign in): the rows stay as failures;
    /// old rows are cleared out.
    pub(crate) async fn attempt_failed(&self, _attempt: Attempt) -> Result<(), LmsError> {
        self.db
            .execute(
                "DELETE FROM login_attempts WHERE attempted_at < $1",
                &[Value::Time(self.now() - KEEP)],
            )
            .await?;
        Ok(())
    }

    /// The owner signed in: the account's own keys start afresh; the address's count stays
    /// as it was (an attacker could clear it with an account of their own).
    pub(crate) async fn attempt_succeeded(&self, attempt: Attempt) -> Result<(), LmsError> {
        for (rule, _, id) in &attempt.rows {
            let sql = if *rule == ADDRESS {
                "DELETE FROM login_attempts WHERE id = $1"
            } else {
                "UPDATE login_attempts SET succeeded = TRUE WHERE id = $1"
            };
            self.db.execute(sql, &[(*id).into()]).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_after_the_free_failures_and_stop_at_the_cap() {
        let now = DateTime::UNIX_EPOCH + Duration::days(1);
        let just_now = Some(now);
        assert_eq!(wait(PAIR, 0, None, now), None);
        assert_eq!(wait(PAIR, 4, just_now, now), None);
        assert_eq!(wait(PAIR, 5, just_now, now), Some(Duration::seconds(1)));
        assert_eq!(wait(PAIR, 7, just_now, now), Some(Duration::seconds(4)));
        assert_eq!(wait(PAIR, 40, just_now, now), Some(Duration::minutes(15)));
        assert_eq!(wait(ACCOUNT, 40, just_now, now), Some(Duration::minutes(1)));
        assert_eq!(
            wait(ADDRESS, 1000, just_now, now),
            Some(Duration::seconds(10))
        );
        let earlier = Some(now - Duration::seconds(3));
        assert_eq!(wait(PAIR, 7, earlier, now), Some(Duration::seconds(1)));
        assert_eq!(wait(PAIR, 6, earlier, now), None);
    }
}
