//! Signed-in sessions kept in `sessions`, so any instance can serve any request. The cookie
//! holds a random token; the table holds only its SHA-256, so a leaked database does not leak
//! cookies. Each session has a CSRF token, a fixed lifetime and a last-seen time.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::{Lms, LmsError, SiteSettings, User, accounts::USER_COLUMNS, passwords, throttle::Keys};
use crate::db::Value;

pub const SESSION_LIFETIME: Duration = Duration::days(14);
/// `last_seen_at` is written at most this often per session.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// Where a request came from, as far as the server can tell.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub address: Option<String>,
    pub user_agent: Option<String>,
}

/// A session just started: the token goes into the cookie and nowhere else.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// The account behind a valid session cookie.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub user: User,
    /// The stored id (the token's hash), not the token.
    pub session_id: String,
    pub csrf_token: String,
}

/// The site's settings and who is asking, read together once per page (`Lms::visit`).
#[derive(Clone, Debug)]
pub struct Visit {
    pub site: SiteSettings,
    pub me: Option<SessionUser>,
    /// `me`'s unread notifications (0 without a session).
    pub unread: i64,
}

/// 256 random bits as 64 hex digits.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

/// Whether `text` has the shape `random_token` gives (so junk never reaches the database).
pub fn is_token(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn session_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Lms {
    /// Counts the attempt, lets the throttle decide, checks the password and starts a
    /// session. A disabled account answers exactly like a wrong password, so the answer never
    /// confirms a password.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<NewSession, LmsError> {
        let keys = Keys::new(email, client.address.as_deref());
        let attempt = self.begin_attempt(&keys).await?;
        let user = match self.user_by_email(email).await {
            Ok(user) => Some(user),
            Err(LmsError::NotFound) => None,
            Err(e) => return Err(e),
        };
        let stored = match &user {
            Some(user) => self.password_hash(user.id).await?,
            None => None,
        };
        let imported = stored.as_deref().is_some_and(passwords::is_imported);
        let verified = passwords::verify(password, stored).await;
        let Some(user) = user.filter(|u| verified && !u.disabled) else {
            self.attempt_failed(attempt).await?;
            return Err(LmsError::BadCredentials);
        };
        self.attempt_succeeded(attempt).await?;
        if imported {
            // A password imported from Paideia LMS, proven right: store it as Argon2id now.
            let hash = passwords::hash(password).await?;
            self.db
                .execute(
                    "UPDATE users SET password_hash = $2 WHERE id = $1",
                    &[user.id.into(), hash.into()],
                )
                .await?;
        }
        self.start_session(user.id, client).await
    }

    /// Starts a session for an account already proven (sign-in, registration).
    pub async fn start_session(
        &self,
        user_id: i64,
        client: &ClientInfo,
    ) -> Result<NewSession, LmsError> {
        let now = self.now();
        let token = random_token();
        let expires_at = now + SESSION_LIFETIME;
        self.db
            .execute(
                "DELETE FROM sessions WHERE expires_at <= $1",
                &[Value::Time(now)],
            )
            .await?;
        self.db
            .execute(
                "INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, last_seen_at, user_agent, client_addr)
                 VALUES ($1, $2, $3, $4, $5, $4, $6, $7)",
                &[
                    session_id(&token).into(),
                    user_id.into(),
                    random_token().into(),
                    Value::Time(now),
                    Value::Time(expires_at),
                    client.user_agent.clone().into(),
                    client.address.clone().into(),
                ],
            )
            .await?;
        Ok(NewSession { token, expires_at })
    }

    /// The account behind a cookie token, if the session exists, has not expired and the
    /// account is not disabled.
    pub async fn session(&self, token: &str) -> Result<Option<SessionUser>, LmsError> {
        Ok(self.visit(Some(token)).await?.me)
    }

    /// What every page needs before its own reads, in one statement: the site settings, the
    /// session behind `token` (as `session` checks it) and its person's unread notifications.
    pub async fn visit(&self, token: Option<&str>) -> Result<Visit, LmsError> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT {}, sessions.csrf_token, sessions.expires_at, sessions.last_seen_at, {USER_COLUMNS},
                        (SELECT COUNT(*) FROM notifications
                          WHERE notifications.user_id = users.id AND notifications.read_at IS NULL) AS unread
                 FROM (SELECT 1 AS one) AS site
                 LEFT JOIN sessions ON sessions.id = $1
                 LEFT JOIN users ON users.id = sessions.user_id",
                super::settings::settings_columns()
            )
        });
        let none = |site| Visit {
            site,
            me: None,
            unread: 0,
        };
        // Without a token (or with junk, which never reaches the database) only the settings
        // are read: the sign-in page must not wait on `users`.
        let Some(id) = token.filter(|t| is_token(t)).map(session_id) else {
            return Ok(none(self.site_settings().await?));
        };
        let row = self.db.query_one(&SQL, &[id.clone().into()]).await?;
        let site = SiteSettings::from_row(&row)?;
        let Some(csrf_token) = row.get::<Option<String>>("csrf_token")? else {
            return Ok(none(site));
        };
        let now = self.now();
        if row.get::<DateTime<Utc>>("expires_at")? <= now {
            self.db
                .execute("DELETE FROM sessions WHERE id = $1", &[id.into()])
                .await?;
            return Ok(none(site));
        }
        let user = User::from_row(&row)?;
        if user.disabled {
            return Ok(none(site));
        }
        if now - row.get::<DateTime<Utc>>("last_seen_at")? >= TOUCH_EVERY {
            self.db
                .execute(
                    "UPDATE sessions SET last_seen_at = $2 WHERE id = $1",
                    &[id.clone().into(), Value::Time(now)],
                )
                .await?;
        }
        Ok(Visit {
            site,
            unread: row.get("unread")?,
            me: Some(SessionUser {
                user,
                session_id: id,
                csrf_token,
            }),
        })
    }

    pub async fn sign_out(&self, token: &str) -> Result<(), LmsError> {
        self.db
            .execute(
                "DELETE FROM sessions WHERE id = $1",
                &[session_id(token).into()],
            )
            .await?;
        Ok(())
    }

    /// Ends every session of an account, except `keep` (a session id) when given.
    pub(crate) async fn end_sessions_of(
        &self,
        user_id: i64,
        keep: Option<&str>,
    ) -> Result<(), LmsError> {
        self.db
            .execute(
                "DELETE FROM sessions WHERE user_id = $1 AND id <> $2",
                &[user_id.into(), keep.unwrap_or("").into()],
            )
            .await?;
        Ok(())
    }
}
