//! Calendar feeds: each person may have one secret URL at which calendar programs read the
//! dated items of their courses without signing in. The secret is 256 random bits in hex,
//! shown once; the table keeps only its SHA-256, like API tokens. Making a new one replaces
//! the old (whose URL then finds nothing), and revoking deletes it.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::{Lms, LmsError, User, accounts::USER_COLUMNS, sessions};
use crate::db::{Row, Value};

/// `last_used_at` is written at most this often.
const TOUCH_EVERY: Duration = Duration::minutes(5);

/// A person's feed as listed: when it was made and last read; never the secret.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CalendarFeed {
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A feed just made: the secret of its URL, shown once and kept nowhere.
#[derive(Clone)]
pub struct NewFeed {
    pub feed: CalendarFeed,
    pub secret: String,
}

impl std::fmt::Debug for NewFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewFeed")
            .field("feed", &self.feed)
            .field("secret", &"<redacted>")
            .finish()
    }
}

fn secret_hash(secret: &str) -> Value {
    Value::Bytes(Sha256::digest(secret.as_bytes()).to_vec())
}

impl CalendarFeed {
    fn from_row(row: &Row) -> Result<CalendarFeed, LmsError> {
        Ok(CalendarFeed {
            created_at: row.get("created_at")?,
            last_used_at: row.get("last_used_at")?,
        })
    }
}

impl Lms {
    /// Makes `owner` a feed with a new secret, replacing the one they had.
    pub async fn create_calendar_feed(&self, owner: &User) -> Result<NewFeed, LmsError> {
        let secret = sessions::random_token();
        let now = self.now();
        let row = self
            .db
            .query_one(
                "INSERT INTO calendar_feeds (user_id, token_hash, created_at, last_used_at)
                 VALUES ($1, $2, $3, NULL)
                 ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash,
                     created_at = excluded.created_at, last_used_at = NULL
                 RETURNING created_at, last_used_at",
                &[owner.id.into(), secret_hash(&secret), Value::Time(now)],
            )
            .await?;
        Ok(NewFeed {
            feed: CalendarFeed::from_row(&row)?,
            secret,
        })
    }

    /// `owner`'s feed, if they have one.
    pub async fn calendar_feed(&self, owner: &User) -> Result<Option<CalendarFeed>, LmsError> {
        let row = self
            .db
            .query_opt(
                "SELECT created_at, last_used_at FROM calendar_feeds WHERE user_id = $1",
                &[owner.id.into()],
            )
            .await?;
        row.as_ref().map(CalendarFeed::from_row).transpose()
    }

    /// Deletes `owner`'s feed; `NotFound` when they have none.
    pub async fn revoke_calendar_feed(&self, owner: &User) -> Result<(), LmsError> {
        let deleted = self
            .db
            .execute(
                "DELETE FROM calendar_feeds WHERE user_id = $1",
                &[owner.id.into()],
            )
            .await?;
        if deleted == 0 {
            return Err(LmsError::NotFound);
        }
        Ok(())
    }

    /// The person whose feed has `secret`, unless there is none or their account is
    /// disabled. Records when the feed was last read.
    pub async fn calendar_feed_user(&self, secret: &str) -> Result<Option<User>, LmsError> {
        if !sessions::is_token(secret) {
            return Ok(None);
        }
        let sql = format!(
            "SELECT calendar_feeds.last_used_at, {USER_COLUMNS}
             FROM calendar_feeds JOIN users ON users.id = calendar_feeds.user_id
             WHERE calendar_feeds.token_hash = $1"
        );
        let Some(row) = self.db.query_opt(&sql, &[secret_hash(secret)]).await? else {
            return Ok(None);
        };
        let user = User::from_row(&row)?;
        if user.disabled {
            return Ok(None);
        }
        let now = self.now();
        let last_used: Option<DateTime<Utc>> = row.get("last_used_at")?;
        if last_used.is_none_or(|t| now - t >= TOUCH_EVERY) {
            self.db
                .execute(
                    "UPDATE calendar_feeds SET last_used_at = $2 WHERE user_id = $1",
                    &[user.id.into(), Value::Time(now)],
                )
                .await?;
        }
        Ok(Some(user))
    }
}
