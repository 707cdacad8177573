//! Personal access tokens for scripts: `pdia_` and 256 random bits in hex, shown once when
//! made. The table keeps only the token's SHA-256, like sessions, so a leaked database leaks
//! no token. A token acts as its owner, expires when asked to, and can be revoked.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::{FieldErrors, Lms, LmsError, User, accounts::USER_COLUMNS, sessions::random_token};
use crate::db::{Row, Value};

/// What every token starts with, so secret scanners and people can recognise one.
pub const TOKEN_PREFIX: &str = "pdia_";
/// The longest lifetime a token may be given.
pub const MAX_EXPIRY_DAYS: i64 = 3650;
/// `last_used_at` is written at most this often per token.
const TOUCH_EVERY: Duration = Duration::minutes(1);
const TOKEN_COLUMNS: &str = "api_tokens.id, api_tokens.name, api_tokens.created_at, api_tokens.last_used_at, api_tokens.expires_at";

/// A token as listed: everything but the secret, which is never stored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A token just made: `secret` is shown to its owner once and kept nowhere.
#[derive(Clone, serde::Serialize)]
pub struct NewToken {
    #[serde(flatten)]
    pub token: ApiToken,
    #[serde(rename = "token")]
    pub secret: String,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken")
            .field("token", &self.token)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl ApiToken {
    fn from_row(row: &Row) -> Result<ApiToken, LmsError> {
        Ok(ApiToken {
            id: row.get("id")?,
            name: row.get("name")?,
            created_at: row.get("created_at")?,
            last_used_at: row.get("last_used_at")?,
            expires_at: row.get("expires_at")?,
        })
    }
}

fn token_hash(secret: &str) -> Value {
    Value::Bytes(Sha256::digest(secret.as_bytes()).to_vec())
}

/// Whether `text` has the shape of a token (so junk never reaches the database).
fn well_formed(text: &str) -> bool {
    text.strip_prefix(TOKEN_PREFIX)
        .is_some_and(super::sessions::is_token)
}

fn clean_name_and_expiry(name: &str, expires_in_days: Option<i64>) -> Result<String, LmsError> {
    let mut errors = FieldErrors::default();
    let name = super::validate::text(&mut errors, "name", name, 100);
    errors.check(
        expires_in_days.is_none_or(|d| (1..=MAX_EXPIRY_DAYS).contains(&d)),
        "expires_in_days",
        format!("use a whole number of days from 1 to {MAX_EXPIRY_DAYS}, or none"),
    );
    errors.into_result()?;
    Ok(name)
}

impl Lms {
    /// Makes a token for `owner`; it never expires unless `expires_in_days` is given.
    pub async fn create_token(
        &self,
        owner: &User,
        name: &str,
        expires_in_days: Option<i64>,
    ) -> Result<NewToken, LmsError> {
        let name = clean_name_and_expiry(name, expires_in_days)?;
        let now = self.now();
        let expires_at = expires_in_days.map(|d| now + Duration::days(d));
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let row = self
            .db
            .query_one(
                &format!(
                    "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING {TOKEN_COLUMNS}"
                ),
                &[
                    owner.id.into(),
                    name.into(),
                    token_hash(&secret),
                    Value::Time(now),
                    expires_at.map_or(Value::Null, Value::Time),
                ],
            )
            .await?;
        Ok(NewToken {
            token: ApiToken::from_row(&row)?,
            secret,
        })
    }

    /// `owner`'s tokens, newest first (expired ones included, so they can be cleaned up).
    pub async fn tokens(&self, owner: &User) -> Result<Vec<ApiToken>, LmsError> {
        let rows = self
            .db
            .query(
                &format!(
                    "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1
                     ORDER BY api_tokens.created_at DESC, api_tokens.id DESC"
                ),
                &[owner.id.into()],
            )
            .await?;
        rows.iter().map(ApiToken::from_row).collect()
    }

    /// Deletes one of `owner`'s tokens; `NotFound` for anyone else's.
    pub async fn revoke_token(&self, owner: &User, id: i64) -> Result<(), LmsError> {
        let deleted = self
            .db
            .execute(
                "DELETE FROM api_tokens WHERE id = $1 AND user_id = $2",
                &[id.into(), owner.id.into()],
            )
            .await?;
        if deleted == 0 {
            return Err(LmsError::NotFound);
        }
        Ok(())
    }

    /// The account a token acts for, if the token exists, has not expired and the account is
    /// not disabled. Records when it was last used.
    pub async fn token_user(&self, secret: &str) -> Result<Option<User>, LmsError> {
        if !well_formed(secret) {
            return Ok(None);
        }
        let sql = format!(
            "SELECT api_tokens.id AS token_id, api_tokens.expires_at, api_tokens.last_used_at, {USER_COLUMNS}
             FROM api_tokens JOIN users ON users.id = api_tokens.user_id WHERE api_tokens.token_hash = $1"
        );
        let Some(row) = self.db.query_opt(&sql, &[token_hash(secret)]).await? else {
            return Ok(None);
        };
        let now = self.now();
        let expires_at: Option<DateTime<Utc>> = row.get("expires_at")?;
        let user = User::from_row(&row)?;
        if expires_at.is_some_and(|t| t <= now) || user.disabled {
            return Ok(None);
        }
        let last_used: Option<DateTime<Utc>> = row.get("last_used_at")?;
        if last_used.is_none_or(|t| now - t >= TOUCH_EVERY) {
            let id: i64 = row.get("token_id")?;
            self.db
                .execute(
                    "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1",
                    &[id.into(), Value::Time(now)],
                )
                .await?;
        }
        Ok(Some(user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_token_shaped_text_is_looked_up() {
        let good = format!("{TOKEN_PREFIX}{}", "a".repeat(64));
        assert!(well_formed(&good));
        assert!(!well_formed(&"a".repeat(64)));
        assert!(!well_formed(&format!("{TOKEN_PREFIX}{}", "g".repeat(64))));
        assert!(!well_formed(&format!("{TOKEN_PREFIX}{}", "a".repeat(63))));
    }

    #[test]
    fn names_and_lifetimes_are_checked() {
        assert!(clean_name_and_expiry("ci", Some(30)).is_ok());
        assert!(clean_name_and_expiry("ci", None).is_ok());
        let Err(LmsError::Invalid(e)) = clean_name_and_expiry("  ", Some(0)) else {
            panic!("expected errors");
        };
        assert!(e.get("name").is_some());
        assert!(e.get("expires_in_days").is_some());
    }
}
