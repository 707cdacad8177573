//! Doctor's mail checks: the SMTP server answers (connect, EHLO, TLS and sign-in as
//! configured; WARN when mail is not configured), and the outbox holds no message given up
//! on or waiting long.

use chrono::{DateTime, Utc};

use super::{Check, Level, check};
use crate::{db::Db, envvars, mail::Smtp, settings::Settings};

/// Connects to the SMTP server as the sender would.
pub async fn smtp(settings: &Settings) -> Check {
    const NAME: &str = "mail server";
    let Some(smtp) = &settings.mail.smtp else {
        return check(
            NAME,
            Level::Warn,
            "mail is not configured: no mail is sent (no password reset by email, no notifications by email)",
            Some(&format!(
                "set {} and {} to send mail",
                envvars::SMTP_HOST,
                envvars::SMTP_FROM
            )),
        );
    };
    let client = match Smtp::new(smtp, 1) {
        Ok(client) => client,
        Err(e) => return check(NAME, Level::Fail, e, None),
    };
    match client.check().await {
        Ok(()) => check(
            NAME,
            Level::Pass,
            format!(
                "{} answers{}",
                client.server(),
                if smtp.user.is_some() {
                    " and accepts the sign-in"
                } else {
                    ""
                }
            ),
            None,
        ),
        Err(e) => {
            let hint = crate::mail::smtp::hint(&e, smtp);
            check(
                NAME,
                Level::Fail,
                format!("{}: {e}", client.server()),
                Some(&hint),
            )
        }
    }
}

/// Messages given up on, and how long the oldest waiting one has waited.
pub async fn outbox(db: &Db, now: DateTime<Utc>) -> Check {
    const NAME: &str = "mail outbox";
    let lms = crate::lms::Lms::new(db.clone(), std::sync::Arc::new(crate::lms::SystemClock));
    let stats = match lms.outbox_stats().await {
        Ok(stats) => stats,
        // A database an older binary migrated has no outbox yet.
        Err(_) => return check(NAME, Level::Pass, "no outbox in this database yet", None),
    };
    let waited = stats
        .oldest_pending
        .map(|t| (now - t).num_minutes())
        .unwrap_or(0);
    let detail = format!(
        "{} waiting{}, {} sent in the last 24 hours, {} failed",
        stats.pending,
        if stats.pending > 0 {
            format!(" (the oldest for {waited} min)")
        } else {
            String::new()
        },
        stats.sent_last_day,
        stats.failed
    );
    if stats.failed > 0 || waited > 60 {
        check(
            NAME,
            Level::Warn,
            detail,
            Some(
                "the System page lists the failures with their errors; `paideia mail test --to ADDRESS` tries the server",
            ),
        )
    } else {
        check(NAME, Level::Pass, detail, None)
    }
}
