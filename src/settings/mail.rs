//! Outgoing mail: the SMTP server (host, port, TLS mode, credentials, sender), its timeout,
//! the retry policy of the outbox, and the site's public address for links in mails. Each
//! comes from our `PAIDEIA_SMTP_*` variable, else Paideia LMS's name (`SMTP_HOST`,
//! `SMTP_USER`, `SMTP_PASS`, `EMAIL_FROM_ADDRESS`, `EMAIL_FROM_NAME`), else `[mail]` in the
//! configuration file. No host: mail is not configured, and nothing is queued.

use std::{net::SocketAddr, time::Duration};

use super::{
    Env, SettingsError,
    file::MailSection,
    secrets::{FileSecret, Secret, layered_secret},
};
use crate::envvars;

/// How long one SMTP conversation step may wait unless `PAIDEIA_SMTP_TIMEOUT` says otherwise.
pub const DEFAULT_SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Attempts before a message is given up on (temporary failures only; a 5xx answer is final).
pub const DEFAULT_MAIL_MAX_ATTEMPTS: u32 = 8;
/// The pause before the first retry; it doubles with each further attempt (capped at 6 hours).
pub const DEFAULT_MAIL_RETRY: Duration = Duration::from_secs(60);

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain text (a relay on the same host or network).
    None,
    /// Plain text upgraded with STARTTLS, which is required (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl SmtpTls {
    fn parse(text: &str, source: &str) -> Result<SmtpTls, SettingsError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" | "plain" | "off" => Ok(SmtpTls::None),
            "starttls" => Ok(SmtpTls::Starttls),
            "tls" | "ssl" | "smtps" => Ok(SmtpTls::Tls),
            other => Err(SettingsError::Invalid {
                what: format!("SMTP TLS mode `{other}` from {source}"),
                expected: "none, starttls or tls".into(),
            }),
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::None => 25,
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SmtpTls::None => "none",
            SmtpTls::Starttls => "starttls",
            SmtpTls::Tls => "tls",
        }
    }
}

/// The SMTP server mail goes through. `Debug` never shows the password.
#[derive(Clone, Debug)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub from_address: String,
    pub from_name: Option<String>,
    /// How long connecting and each step of the conversation may take.
    pub timeout: Duration,
}

/// Mail as a whole: the server (none: not configured), the outbox's retries, the site's address.
#[derive(Clone, Debug)]
pub struct MailSettings {
    pub smtp: Option<SmtpSettings>,
    pub max_attempts: u32,
    pub retry: Duration,
    /// The site's address as people reach it, for links in mails (default `http://BIND`).
    pub public_url: String,
}

pub(super) fn resolve(
    env: &dyn Env,
    file: MailSection,
    bind: SocketAddr,
) -> Result<MailSettings, SettingsError> {
    let plain = |ours: &str, compat: &str| env.var(ours).or_else(|| env.var(compat));
    let public_url = match env.var(envvars::PUBLIC_URL).or(file.public_url.clone()) {
        Some(text) => check_public_url(&text)?,
        None => format!("http://{bind}"),
    };
    let max_attempts = match env.var(envvars::MAIL_MAX_ATTEMPTS) {
        Some(text) => positive(
            &text,
            envvars::MAIL_MAX_ATTEMPTS,
            "a whole number, at least 1",
        )?,
        None => file
            .max_attempts
            .map_or(DEFAULT_MAIL_MAX_ATTEMPTS as u64, u64::from),
    } as u32;
    let retry = match env.var(envvars::MAIL_RETRY) {
        Some(text) => Some(positive(
            &text,
            envvars::MAIL_RETRY,
            "a whole number of seconds, at least 1",
        )?),
        None => file.retry_secs,
    }
    .map_or(DEFAULT_MAIL_RETRY, Duration::from_secs);
    let settings = |smtp| MailSettings {
        smtp,
        max_attempts: max_attempts.max(1),
        retry,
        public_url: public_url.clone(),
    };
    let Some(host) = plain(envvars::SMTP_HOST, envvars::COMPAT_SMTP_HOST).or(file.host.clone())
    else {
        return Ok(settings(None));
    };
    let tls = match env.var(envvars::SMTP_TLS) {
        Some(text) => SmtpTls::parse(&text, envvars::SMTP_TLS)?,
        None => match &file.tls {
            Some(text) => SmtpTls::parse(text, "the configuration file")?,
            None => SmtpTls::Starttls,
        },
    };
    let port = match env.var(envvars::SMTP_PORT) {
        Some(text) => Some(positive(&text, envvars::SMTP_PORT, "a port number")?),
        None => file.port.map(u64::from),
    }
    .map(|p| {
        u16::try_from(p).map_err(|_| SettingsError::Invalid {
            what: format!("SMTP port {p}"),
            expected: "a port number from 1 to 65535".into(),
        })
    })
    .transpose()?
    .unwrap_or(tls.default_port());
    let user = plain(envvars::SMTP_USER, envvars::COMPAT_SMTP_USER).or(file.user.clone());
    let password = layered_secret(
        env,
        envvars::SMTP_PASSWORD,
        envvars::COMPAT_SMTP_PASSWORD,
        FileSecret {
            inline: file.password.map(|s| s.expose().to_string()),
            file: file.password_file.as_deref(),
            key: "mail.password_file",
        },
    )?;
    let Some(from_address) =
        plain(envvars::SMTP_FROM, envvars::COMPAT_EMAIL_FROM_ADDRESS).or(file.from.clone())
    else {
        return Err(SettingsError::Invalid {
            what: format!(
                "mail settings: {} is set but no sender address",
                envvars::SMTP_HOST
            ),
            expected: format!(
                "{} (or EMAIL_FROM_ADDRESS), like lms@school.org",
                envvars::SMTP_FROM
            ),
        });
    };
    if from_address.parse::<lettre::Address>().is_err() {
        return Err(SettingsError::Invalid {
            what: format!("sender address `{from_address}`"),
            expected: "an email address like lms@school.org".into(),
        });
    }
    let from_name =
        plain(envvars::SMTP_FROM_NAME, envvars::COMPAT_EMAIL_FROM_NAME).or(file.from_name.clone());
    let timeout = match env.var(envvars::SMTP_TIMEOUT) {
        Some(text) => Some(positive(
            &text,
            envvars::SMTP_TIMEOUT,
            "a whole number of seconds, at least 1",
        )?),
        None => file.timeout_secs,
    }
    .map_or(DEFAULT_SMTP_TIMEOUT, Duration::from_secs);
    if password.is_some() && user.is_none() {
        return Err(SettingsError::Invalid {
            what: "SMTP credentials: a password without a user name".into(),
            expected: format!("{} as well, or no password", envvars::SMTP_USER),
        });
    }
    Ok(settings(Some(SmtpSettings {
        host,
        port,
        tls,
        user,
        password: password.map(Secret::new),
        from_address,
        from_name,
        timeout,
    })))
}

fn positive(text: &str, source: &str, expected: &str) -> Result<u64, SettingsError> {
    match text.trim().parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(SettingsError::Invalid {
            what: format!("{source} `{text}`"),
            expected: expected.into(),
        }),
    }
}

fn check_public_url(text: &str) -> Result<String, SettingsError> {
    match url::Url::parse(text) {
        Ok(url)
            if matches!(url.scheme(), "http" | "https")
                && url.host().is_some()
                && url.query().is_none() =>
        {
            Ok(text.trim_end_matches('/').to_string())
        }
        _ => Err(SettingsError::Invalid {
            what: format!("public URL `{text}`"),
            expected: "the site's address like https://lms.school.org".into(),
        }),
    }
}
