//! The outbox: every outgoing mail is a row written in the same transaction as the event
//! that causes it (`Lms::enqueue_mail`), so a mail exists exactly when its event does. The
//! sender inside `serve` (`crate::mail`) claims and sends the rows; this module owns the
//! rows, the kinds of mail, each person's opt-outs and the one-click unsubscribe links. It
//! speaks no SMTP.

pub mod delivery;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use super::{Lms, LmsError, text_enum::text_enum};
use crate::db::{Executor, Value};

text_enum!(
    /// What a mail is about. Every kind but the password reset and the test message can be
    /// turned off by its recipient (the one-click unsubscribe link and the email choice on
    /// their notification settings both write `mail_opt_outs`).
    MailKind {
        PasswordReset => "password_reset", "Password reset",
        Test => "test", "Test message",
        Announcement => "announcement", "Announcements",
        Discussion => "discussion", "Discussion posts and replies",
        GradeReleased => "grade_released", "Released grades",
        DueSoon => "due_soon", "Work due soon",
        NewSubmission => "new_submission", "New submissions",
        Digest => "digest", "Daily digest",
    }
);

impl MailKind {
    /// Whether the recipient may turn this kind off (and its mails carry an unsubscribe link).
    pub fn unsubscribable(self) -> bool {
        !matches!(self, MailKind::PasswordReset | MailKind::Test)
    }
}

/// One mail to write into the outbox.
#[derive(Clone, Debug)]
pub struct NewMail {
    /// The account it is for, if any: its opt-outs apply and it gets an unsubscribe link.
    pub to_user: Option<i64>,
    /// The address it goes to (the account's email when `to_user` is set).
    pub to_address: String,
    pub kind: MailKind,
    pub subject: String,
    /// The plain-text body (always sent).
    pub text: String,
    /// The HTML body, sent beside the text as multipart/alternative when present.
    pub html: Option<String>,
    /// Further headers, e.g. `In-Reply-To` and `References` for a discussion thread.
    pub headers: Vec<(String, String)>,
    /// Not sent after this instant (a password reset link that has expired anyway).
    pub expires_at: Option<DateTime<Utc>>,
}

impl NewMail {
    /// A mail to an account: no HTML, no extra headers, no expiry (set the fields to add them).
    pub fn to_user(
        user: &super::User,
        kind: MailKind,
        subject: impl Into<String>,
        text: impl Into<String>,
    ) -> NewMail {
        NewMail {
            to_user: Some(user.id),
            to_address: user.email.clone(),
            kind,
            subject: subject.into(),
            text: text.into(),
            html: None,
            headers: Vec::new(),
            expires_at: None,
        }
    }
}

/// Mail as this LMS sends it: the site's public address (links in mails are absolute) and
/// the wake-up of this instance's sender. Without one (no SMTP configured) nothing is queued.
#[derive(Clone, Debug)]
pub struct MailSite {
    base_url: String,
    host: String,
    wake: Arc<Notify>,
}

impl MailSite {
    /// `base_url` is the site's address as people reach it, like `https://lms.school.org`.
    pub fn new(base_url: &str) -> MailSite {
        let base_url = base_url.trim_end_matches('/').to_string();
        let host = url::Url::parse(&base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| "paideia.invalid".to_string());
        MailSite {
            base_url,
            host,
            wake: Arc::default(),
        }
    }

    /// The absolute URL of a site path (`/reset-password/...`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Woken when this instance queues a mail (before the commit: the sender looks again
    /// shortly after).
    pub fn wake(&self) -> &Arc<Notify> {
        &self.wake
    }

    /// A new Message-ID at this site's host (for rows written in bulk).
    pub(crate) fn new_message_id(&self) -> String {
        new_message_id(&self.host)
    }
}

/// The site setting holding the key of unsubscribe links' MACs (made on first use).
const LINK_KEY: &str = "mail_link_key";

/// The MAC of an unsubscribe link: keyed BLAKE3 over person and kind, 128 bits in hex.
pub(crate) fn link_mac(key: &[u8; 32], user_id: i64, kind: MailKind) -> String {
    let hash = blake3::keyed_hash(key, format!("unsubscribe:{user_id}:{kind}").as_bytes());
    hex::encode(&hash.as_bytes()[..16])
}

async fn read_link_key(exec: &mut impl Executor) -> Result<Option<String>, LmsError> {
    let row = exec
        .query_opt(
            "SELECT value FROM site_settings WHERE key = $1",
            &[LINK_KEY.into()],
        )
        .await?;
    Ok(row.map(|r| r.get::<String>("value")).transpose()?)
}

/// The site's link key, made and stored the first time (inside the caller's transaction).
pub(crate) async fn link_key(
    exec: &mut impl Executor,
    now: DateTime<Utc>,
) -> Result<[u8; 32], LmsError> {
    let text = match read_link_key(exec).await? {
        Some(text) => text,
        None => {
            let mut key = [0u8; 32];
            rand::fill(&mut key);
            exec.execute(
                "INSERT INTO site_settings (key, value, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (key) DO NOTHING",
                &[LINK_KEY.into(), hex::encode(key).into(), Value::Time(now)],
            )
            .await?;
            read_link_key(exec).await?.unwrap_or_default()
        }
    };
    let mut key = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut key)
        .map_err(|_| LmsError::field("mail", "the site's mail link key is damaged"))?;
    Ok(key)
}

/// The site path of the one-click unsubscribe link of `kind` for `user_id`.
pub async fn unsubscribe_path(
    exec: &mut impl Executor,
    now: DateTime<Utc>,
    user_id: i64,
    kind: MailKind,
) -> Result<String, LmsError> {
    let key = link_key(exec, now).await?;
    Ok(format!(
        "/unsubscribe/{user_id}/{kind}/{}",
        link_mac(&key, user_id, kind)
    ))
}

/// Whether `mac` is the right one for an unsubscribe link of `kind` for `user_id`.
pub async fn check_unsubscribe(
    exec: &mut impl Executor,
    now: DateTime<Utc>,
    user_id: i64,
    kind: MailKind,
    mac: &str,
) -> Result<bool, LmsError> {
    let key = link_key(exec, now).await?;
    let want = link_mac(&key, user_id, kind);
    // Compared in constant time: the MAC is the link's only credential.
    Ok(want.len() == mac.len()
        && want
            .bytes()
            .zip(mac.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0)
}

/// Whether `user_id` receives mail of `kind` (they have not turned it off).
pub async fn email_enabled(
    exec: &mut impl Executor,
    user_id: i64,
    kind: MailKind,
) -> Result<bool, LmsError> {
    if !kind.unsubscribable() {
        return Ok(true);
    }
    let row = exec
        .query_opt(
            "SELECT 1 AS one FROM mail_opt_outs WHERE user_id = $1 AND kind = $2",
            &[user_id.into(), kind.into()],
        )
        .await?;
    Ok(row.is_none())
}

/// Turns mail of `kind` on or off for `user_id` (kinds that cannot be turned off stay on).
pub async fn set_email_enabled(
    exec: &mut impl Executor,
    now: DateTime<Utc>,
    user_id: i64,
    kind: MailKind,
    enabled: bool,
) -> Result<(), LmsError> {
    if enabled || !kind.unsubscribable() {
        exec.execute(
            "DELETE FROM mail_opt_outs WHERE user_id = $1 AND kind = $2",
            &[user_id.into(), kind.into()],
        )
        .await?;
    } else {
        exec.execute(
            "INSERT INTO mail_opt_outs (user_id, kind, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, kind) DO NOTHING",
            &[user_id.into(), kind.into(), Value::Time(now)],
        )
        .await?;
    }
    Ok(())
}

/// A new Message-ID: 128 random bits at the site's host name.
fn new_message_id(host: &str) -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    format!("<{}@{host}>", hex::encode(bytes))
}

/// Writes `mail` into the outbox through `exec` (the caller's transaction, so the mail is
/// kept exactly when the event that causes it is). Returns the outbox id, or `None` when
/// nothing was queued: mail is not configured on this site, or the recipient turned this
/// kind off.
pub async fn enqueue(
    exec: &mut impl Executor,
    site: Option<&MailSite>,
    now: DateTime<Utc>,
    mail: &NewMail,
) -> Result<Option<i64>, LmsError> {
    let Some(site) = site else {
        return Ok(None);
    };
    let address = mail.to_address.trim();
    if address.is_empty() || address.contains(['\r', '\n']) {
        return Err(LmsError::field("to_address", "not an email address"));
    }
    let mut unsubscribe = None;
    if let Some(user_id) = mail.to_user
        && mail.kind.unsubscribable()
    {
        if !email_enabled(exec, user_id, mail.kind).await? {
            return Ok(None);
        }
        unsubscribe = Some(site.link(&unsubscribe_path(exec, now, user_id, mail.kind).await?));
    }
    let headers = serde_json::Value::Object(
        mail.headers
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    );
    let row = exec
        .query_one(
            "INSERT INTO outbox (message_id, user_id, to_address, kind, subject, body_text,
                 body_html, unsubscribe_url, extra_headers, status, created_at, next_attempt_at,
                 expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $10, $11)
             RETURNING id",
            &[
                new_message_id(&site.host).into(),
                mail.to_user.map_or(Value::Null, Value::Int),
                address.into(),
                mail.kind.into(),
                mail.subject.replace(['\r', '\n'], " ").into(),
                mail.text.clone().into(),
                mail.html.clone().map_or(Value::Null, Value::Text),
                unsubscribe.map_or(Value::Null, Value::Text),
                headers.to_string().into(),
                Value::Time(now),
                mail.expires_at.map_or(Value::Null, Value::Time),
            ],
        )
        .await?;
    site.wake.notify_one();
    Ok(Some(row.get("id")?))
}

impl Lms {
    /// This LMS sending mail as `site` (`serve` with SMTP configured; tests).
    pub fn with_mail(mut self, site: MailSite) -> Self {
        self.mail = Some(site);
        self
    }

    /// How this LMS sends mail; `None` when mail is not configured.
    pub fn mail_site(&self) -> Option<&MailSite> {
        self.mail.as_ref()
    }

    /// `outbox::enqueue` with this LMS's site and clock: call it with the transaction of the
    /// event that causes the mail.
    pub async fn enqueue_mail(
        &self,
        exec: &mut impl Executor,
        mail: &NewMail,
    ) -> Result<Option<i64>, LmsError> {
        enqueue(exec, self.mail.as_ref(), self.now(), mail).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_depend_on_key_person_and_kind() {
        let key = [7u8; 32];
        let mac = link_mac(&key, 5, MailKind::Announcement);
        assert_eq!(mac.len(), 32);
        assert_ne!(mac, link_mac(&key, 6, MailKind::Announcement));
        assert_ne!(mac, link_mac(&key, 5, MailKind::Digest));
        assert_ne!(mac, link_mac(&[8u8; 32], 5, MailKind::Announcement));
    }

    #[test]
    fn message_ids_are_unique_and_at_the_site() {
        let a = new_message_id("lms.example.org");
        assert!(a.starts_with('<') && a.ends_with("@lms.example.org>"));
        assert_ne!(a, new_message_id("lms.example.org"));
        assert_eq!(
            MailSite::new("https://lms.example.org/").link("/x"),
            "https://lms.example.org/x"
        );
    }
}
