//! The sender's side of the outbox: claiming due messages (a lease, so that of several
//! instances exactly one holds a message, and a killed one's messages come back when the
//! lease runs out), recording each outcome, and the counts the System page shows.

use chrono::{DateTime, Duration, Utc};

use crate::{
    db::{Db, Engine, Executor, Row, Value},
    lms::{Lms, LmsError},
};

/// A claimed message, ready to be sent.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub id: i64,
    pub message_id: String,
    pub to_address: String,
    pub kind: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub unsubscribe_url: Option<String>,
    pub headers: Vec<(String, String)>,
    /// Counting this one.
    pub attempts: i64,
}

const CLAIMED_COLUMNS: &str = "id, message_id, to_address, kind, subject, body_text, body_html, \
     unsubscribe_url, extra_headers, attempts";

impl Claimed {
    fn from_row(row: &Row) -> Result<Claimed, LmsError> {
        let headers: String = row.get("extra_headers")?;
        let headers = match serde_json::from_str::<serde_json::Value>(&headers) {
            Ok(serde_json::Value::Object(map)) => map
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_string())))
                .collect(),
            _ => Vec::new(),
        };
        Ok(Claimed {
            id: row.get("id")?,
            message_id: row.get("message_id")?,
            to_address: row.get("to_address")?,
            kind: row.get("kind")?,
            subject: row.get("subject")?,
            text: row.get("body_text")?,
            html: row.get("body_html")?,
            unsubscribe_url: row.get("unsubscribe_url")?,
            headers,
            attempts: row.get("attempts")?,
        })
    }
}

/// Claims up to `limit` due messages for `worker` until `now + lease`, counting an attempt
/// for each, so a message whose sending kills the process still ends: one whose claims ran
/// out `max_attempts` times is failed on the way, as are messages past their `expires_at`. PostgreSQL skips rows another instance is claiming
/// (`FOR UPDATE SKIP LOCKED`); SQLite has one writer at a time, so the UPDATE is the claim.
pub async fn claim(
    db: &Db,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
    max_attempts: u32,
) -> Result<Vec<Claimed>, LmsError> {
    let mut conn = db.conn().await?;
    conn.execute(
        "UPDATE outbox SET status = 'failed',
             last_error = 'the sender stopped while sending it at every attempt',
             claimed_by = NULL, claimed_until = NULL
         WHERE status = 'pending' AND attempts >= $2 AND claimed_until < $1",
        &[Value::Time(now), i64::from(max_attempts).into()],
    )
    .await?;
    conn.execute(
        "UPDATE outbox SET status = 'failed', last_error = 'expired before it could be sent',
             claimed_by = NULL, claimed_until = NULL
         WHERE status = 'pending' AND expires_at < $1
           AND (claimed_until IS NULL OR claimed_until < $1)",
        &[Value::Time(now)],
    )
    .await?;
    let lock = match db.engine() {
        Engine::Postgres => "FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    };
    let sql = format!(
        "UPDATE outbox SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1,
             last_attempt_at = $3
         WHERE id IN (SELECT id FROM outbox
                      WHERE status = 'pending' AND next_attempt_at <= $3
                        AND (claimed_until IS NULL OR claimed_until < $3)
                      ORDER BY next_attempt_at, id LIMIT $4 {lock})
         RETURNING {CLAIMED_COLUMNS}"
    );
    let rows = conn
        .query(
            &sql,
            &[
                worker.into(),
                Value::Time(now + lease),
                Value::Time(now),
                limit.into(),
            ],
        )
        .await?;
    let mut claimed = rows
        .iter()
        .map(Claimed::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

/// Records that `id` was sent. False when `worker` no longer held it (its lease ran out and
/// another instance took it over).
pub async fn mark_sent(
    db: &Db,
    worker: &str,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, LmsError> {
    let n = db
        .execute(
            "UPDATE outbox SET status = 'sent', sent_at = $3, last_error = '',
                 claimed_by = NULL, claimed_until = NULL
             WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
            &[id.into(), worker.into(), Value::Time(now)],
        )
        .await?;
    Ok(n == 1)
}

/// Records a failed attempt at `id`: tried again at `retry_at`, or, with none, failed for good.
pub async fn mark_failed(
    db: &Db,
    worker: &str,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), LmsError> {
    let error: String = error.chars().take(1000).collect();
    match retry_at {
        Some(at) => {
            db.execute(
                "UPDATE outbox SET next_attempt_at = $3, last_error = $4,
                     claimed_by = NULL, claimed_until = NULL
                 WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
                &[id.into(), worker.into(), Value::Time(at), error.into()],
            )
            .await?
        }
        None => {
            db.execute(
                "UPDATE outbox SET status = 'failed', last_error = $3,
                     claimed_by = NULL, claimed_until = NULL
                 WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
                &[id.into(), worker.into(), error.into()],
            )
            .await?
        }
    };
    Ok(())
}

/// Gives claimed messages back untried (shutting down, or the lease would run out first).
pub async fn release(db: &Db, worker: &str, ids: &[i64]) -> Result<(), LmsError> {
    for id in ids {
        db.execute(
            "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, attempts = attempts - 1
             WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
            &[(*id).into(), worker.into()],
        )
        .await?;
    }
    Ok(())
}

/// When the next pending message is due (for the sender's sleep).
pub async fn next_due(db: &Db) -> Result<Option<DateTime<Utc>>, LmsError> {
    let row = db
        .query_one(
            "SELECT MIN(CASE WHEN claimed_until IS NOT NULL AND claimed_until > next_attempt_at
                             THEN claimed_until ELSE next_attempt_at END) AS due
             FROM outbox WHERE status = 'pending'",
            &[],
        )
        .await?;
    Ok(row.get("due").ok().flatten())
}

/// A message given up on, as the System page lists it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FailedMail {
    pub id: i64,
    pub to_address: String,
    pub kind: String,
    pub subject: String,
    pub attempts: i64,
    pub last_error: String,
    pub last_attempt_at: Option<DateTime<Utc>>,
}

/// The outbox at a glance.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct OutboxStats {
    pub pending: i64,
    pub oldest_pending: Option<DateTime<Utc>>,
    pub sent_last_day: i64,
    pub failed: i64,
    /// The latest permanent failures (at most 20).
    pub recent_failures: Vec<FailedMail>,
}

impl Lms {
    /// The outbox's counts for the System page and `doctor`.
    pub async fn outbox_stats(&self) -> Result<OutboxStats, LmsError> {
        let now = self.now();
        let row = self
            .db
            .query_one(
                "SELECT
                   (SELECT COUNT(*) FROM outbox WHERE status = 'pending') AS pending,
                   (SELECT MIN(created_at) FROM outbox WHERE status = 'pending') AS oldest,
                   (SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sent_at > $1) AS sent,
                   (SELECT COUNT(*) FROM outbox WHERE status = 'failed') AS failed",
                &[Value::Time(now - Duration::hours(24))],
            )
            .await?;
        let rows = self
            .db
            .query(
                "SELECT id, to_address, kind, subject, attempts, last_error, last_attempt_at
                 FROM outbox WHERE status = 'failed'
                 ORDER BY last_attempt_at DESC, id DESC LIMIT 20",
                &[],
            )
            .await?;
        let recent_failures = rows
            .iter()
            .map(|r| {
                Ok(FailedMail {
                    id: r.get("id")?,
                    to_address: r.get("to_address")?,
                    kind: r.get("kind")?,
                    subject: r.get("subject")?,
                    attempts: r.get("attempts")?,
                    last_error: r.get("last_error")?,
                    last_attempt_at: r.get("last_attempt_at")?,
                })
            })
            .collect::<Result<Vec<_>, LmsError>>()?;
        Ok(OutboxStats {
            pending: row.get("pending")?,
            oldest_pending: row.get("oldest")?,
            sent_last_day: row.get("sent")?,
            failed: row.get("failed")?,
            recent_failures,
        })
    }
}
