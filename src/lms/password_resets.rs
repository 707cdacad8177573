//! "Forgot your password?": a link by email with a single-use secret that expires after an
//! hour, kept only as its SHA-256. Asking answers the same whether or not an account has the
//! address (the mail is all that differs), and is throttled per address and per client.
//! Setting a password through a link ends every session and API token of the account.

use chrono::Duration;
use sha2::{Digest, Sha256};

use super::{
    FieldErrors, Lms, LmsError, User,
    accounts::USER_COLUMNS,
    outbox::{MailKind, NewMail},
    passwords, sessions, throttle, validate,
};
use crate::db::{Executor, Value};

/// How long a reset link works.
pub const RESET_LIFETIME: Duration = Duration::hours(1);
/// Where a reset link leads; the secret follows.
pub const RESET_PREFIX: &str = "/reset-password/";

fn secret_hash(secret: &str) -> Value {
    Value::Bytes(Sha256::digest(secret.as_bytes()).to_vec())
}

impl Lms {
    /// Sends a reset link to `email` if an active account has it; answers the same when
    /// none does. `Throttled` when this address or this client asked too often.
    pub async fn request_password_reset(
        &self,
        email: &str,
        client: Option<&str>,
    ) -> Result<(), LmsError> {
        let email = email.trim().to_lowercase();
        let attempt = self
            .begin_attempt(&throttle::Keys::password_reset(&email, client))
            .await?;
        // The requests stay counted, as failures do.
        self.attempt_failed(attempt).await?;
        let Some(site) = self.mail_site() else {
            return Ok(());
        };
        let user = match self.user_by_email(&email).await {
            Ok(user) if !user.disabled => user,
            Ok(_) | Err(LmsError::NotFound) => return Ok(()),
            Err(e) => return Err(e),
        };
        let now = self.now();
        let expires_at = now + RESET_LIFETIME;
        let secret = sessions::random_token();
        let link = site.link(&format!("{RESET_PREFIX}{secret}"));
        let site_name = self.site_settings().await?.site_name;
        let mut mail = NewMail::to_user(
            &user,
            MailKind::PasswordReset,
            format!("{site_name}: set a new password"),
            format!(
                "Hello {name},\n\nsomeone (we hope you) asked to set a new password for your account \
                 at {site_name}. Open this link within an hour to choose one:\n\n{link}\n\n\
                 The link works once. If you did not ask, ignore this message: your password \
                 stays as it is.\n",
                name = user.display_name
            ),
        );
        mail.html = Some(maud::html! {
            p { "Hello " (user.display_name) "," }
            p { "someone (we hope you) asked to set a new password for your account at "
                (site_name) ". Open this link within an hour to choose one:" }
            p { a href=(link) { "Set a new password" } }
            p { "The link works once. If you did not ask, ignore this message: your password stays as it is." }
        }
        .into_string());
        mail.expires_at = Some(expires_at);
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        tx.execute(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4)",
            &[
                secret_hash(&secret),
                user.id.into(),
                Value::Time(now),
                Value::Time(expires_at),
            ],
        )
        .await?;
        self.enqueue_mail(&mut tx, &mail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account a reset link is for, while it is unused, unexpired and the account active.
    pub async fn password_reset_user(&self, secret: &str) -> Result<Option<User>, LmsError> {
        if !sessions::is_token(secret) {
            return Ok(None);
        }
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM password_resets JOIN users ON users.id = password_resets.user_id
             WHERE password_resets.token_hash = $1 AND password_resets.used_at IS NULL
               AND password_resets.expires_at > $2"
        );
        let row = self
            .db
            .query_opt(&sql, &[secret_hash(secret), Value::Time(self.now())])
            .await?;
        let user = row.as_ref().map(User::from_row).transpose()?;
        Ok(user.filter(|u| !u.disabled))
    }

    /// Sets `new` as the password of the link's account, uses the link up (and every other
    /// link of the account), and ends the account's sessions and API tokens. `NotFound` when
    /// the link is unknown, used, expired or its account disabled.
    pub async fn reset_password_with_link(
        &self,
        secret: &str,
        new: &str,
    ) -> Result<User, LmsError> {
        let Some(user) = self.password_reset_user(secret).await? else {
            return Err(LmsError::NotFound);
        };
        let mut errors = FieldErrors::default();
        validate::new_password(&mut errors, "password", new);
        errors.into_result()?;
        let hash = passwords::hash(new).await?;
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        // The link is used up here, under the transaction: of two uses at once one wins.
        let used = tx
            .execute(
                "UPDATE password_resets SET used_at = $2
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
                &[secret_hash(secret), Value::Time(now)],
            )
            .await?;
        if used != 1 {
            return Err(LmsError::NotFound);
        }
        tx.execute(
            "UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
            &[user.id.into(), Value::Time(now)],
        )
        .await?;
        tx.execute(
            "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1",
            &[user.id.into(), hash.into(), Value::Time(now)],
        )
        .await?;
        tx.execute("DELETE FROM sessions WHERE user_id = $1", &[user.id.into()])
            .await?;
        tx.execute(
            "DELETE FROM api_tokens WHERE user_id = $1",
            &[user.id.into()],
        )
        .await?;
        tx.execute(
            "DELETE FROM password_resets WHERE expires_at < $1",
            &[Value::Time(self.now() - Duration::days(1))],
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }
}
