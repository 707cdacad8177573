//! The outbox's sender inside `serve`: claims due messages in small batches under a lease,
//! sends a few at once, and records each outcome; a temporary failure is tried again after a
//! pause that doubles (with jitter), a final one or the last attempt fails the message for
//! good. Woken at once when this instance queues a mail, it otherwise sleeps until the next
//! message is due (at most `POLL`), so other instances' mail waits at most that long.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use tokio::{
    sync::{Notify, watch},
    time::Instant,
};

use super::smtp::{Outgoing, SendError, Smtp};
use crate::lms::{
    Lms,
    outbox::delivery::{self, Claimed},
};

/// Messages sent at once by one instance.
pub const PARALLEL: usize = 4;
/// Messages claimed at once.
const BATCH: i64 = 8;
/// The longest sleep between looks at the outbox.
const POLL: Duration = Duration::from_secs(5);
/// After this instance queued a mail, how long it looks often (the mail is written before
/// its transaction commits).
const EAGER: Duration = Duration::from_secs(2);
const EAGER_STEP: Duration = Duration::from_millis(50);
/// The longest pause between attempts.
const MAX_RETRY: Duration = Duration::from_secs(6 * 3600);

/// How the sender retries.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    /// The pause after the first failed attempt; it doubles with each further one.
    pub first: Duration,
}

impl RetryPolicy {
    /// When to try again after `attempts` attempts failed, or `None` when it is over.
    /// `jitter` is in 0..1 (a quarter either way).
    pub fn next(&self, attempts: i64, now: DateTime<Utc>, jitter: f64) -> Option<DateTime<Utc>> {
        if attempts >= i64::from(self.max_attempts) {
            return None;
        }
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let pause = self
            .first
            .saturating_mul(1u32 << doublings.min(20))
            .min(MAX_RETRY)
            .mul_f64(0.75 + jitter.clamp(0.0, 1.0) / 2.0);
        Some(now + chrono::Duration::from_std(pause).unwrap_or(chrono::Duration::hours(6)))
    }
}

/// The sender of one instance.
pub struct Worker {
    lms: Lms,
    smtp: Smtp,
    policy: RetryPolicy,
    wake: Arc<Notify>,
    id: String,
}

impl Worker {
    pub fn new(lms: Lms, smtp: Smtp, policy: RetryPolicy) -> Worker {
        let wake = lms
            .mail_site()
            .map(|site| site.wake().clone())
            .unwrap_or_default();
        Worker {
            lms,
            smtp,
            policy,
            wake,
            id: format!("{}-{:08x}", std::process::id(), rand::random::<u32>()),
        }
    }

    /// Runs until `stop` is set; messages being sent then are finished, claimed ones given back.
    pub fn spawn(self, stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.run(stop))
    }

    async fn run(self, mut stop: watch::Receiver<bool>) {
        tracing::info!(
            "mail: sending through {} as {}",
            self.smtp.server(),
            self.id
        );
        let mut eager_until = Instant::now() + EAGER;
        loop {
            if *stop.borrow() {
                break;
            }
            match self.round().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!("mail: cannot read the outbox: {e}");
                    eager_until = Instant::now();
                }
            }
            let pause = if Instant::now() < eager_until {
                EAGER_STEP
            } else {
                self.until_next_due().await
            };
            tokio::select! {
                _ = self.wake.notified() => eager_until = Instant::now() + EAGER,
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => {}
            }
        }
    }

    async fn until_next_due(&self) -> Duration {
        match delivery::next_due(self.lms.db()).await {
            Ok(Some(due)) => (due - self.lms.now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .clamp(EAGER_STEP, POLL),
            Ok(None) => POLL,
            Err(_) => POLL,
        }
    }

    /// Claims and sends one batch; true when there was something to send.
    async fn round(&self) -> Result<bool, crate::lms::LmsError> {
        let deadline = self.smtp.send_deadline();
        let lease = deadline * 3;
        let started = Instant::now();
        let batch = delivery::claim(
            self.lms.db(),
            &self.id,
            self.lms.now(),
            chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::minutes(10)),
            BATCH,
            self.policy.max_attempts,
        )
        .await?;
        if batch.is_empty() {
            return Ok(false);
        }
        // A message is started only while the lease still covers its whole deadline, so no
        // other instance can take it over while it is being sent.
        let late_from = started + lease - deadline - Duration::from_secs(1);
        let outcomes: Vec<Option<i64>> = futures_util::stream::iter(batch)
            .map(|mail| async move {
                if Instant::now() > late_from {
                    return Some(mail.id);
                }
                self.deliver(mail).await;
                None
            })
            .buffer_unordered(PARALLEL)
            .collect()
            .await;
        let untried: Vec<i64> = outcomes.into_iter().flatten().collect();
        if !untried.is_empty() {
            delivery::release(self.lms.db(), &self.id, &untried).await?;
        }
        Ok(true)
    }

    async fn deliver(&self, mail: Claimed) {
        let outgoing = Outgoing {
            message_id: mail.message_id.clone(),
            to_address: mail.to_address.clone(),
            subject: mail.subject.clone(),
            text: mail.text.clone(),
            html: mail.html.clone(),
            unsubscribe_url: mail.unsubscribe_url.clone(),
            headers: mail.headers.clone(),
        };
        let result = self.smtp.send(&outgoing).await;
        let now = self.lms.now();
        let recorded = match &result {
            Ok(()) => match delivery::mark_sent(self.lms.db(), &self.id, mail.id, now).await {
                Ok(true) => Ok(()),
                Ok(false) => {
                    tracing::warn!(
                        "mail: message {} was sent after its claim had run out",
                        mail.id
                    );
                    Ok(())
                }
                Err(e) => Err(e),
            },
            Err(e) => {
                let retry_at = match e {
                    SendError::Temporary(_) => {
                        self.policy.next(mail.attempts, now, rand::random::<f64>())
                    }
                    SendError::Permanent(_) => None,
                };
                match retry_at {
                    Some(at) => tracing::info!(
                        "mail: message {} to {} failed (attempt {}), trying again at {at}: {e}",
                        mail.id,
                        mail.to_address,
                        mail.attempts
                    ),
                    None => tracing::warn!(
                        "mail: message {} to {} failed for good after {} attempt(s): {e}",
                        mail.id,
                        mail.to_address,
                        mail.attempts
                    ),
                }
                delivery::mark_failed(self.lms.db(), &self.id, mail.id, &e.to_string(), retry_at)
                    .await
            }
        };
        if let Err(e) = recorded {
            // The claim's lease brings the message back; it may then go out twice, with the
            // same Message-ID.
            tracing::warn!(
                "mail: cannot record the outcome of message {}: {e}",
                mail.id
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_with_jitter_and_end() {
        let policy = RetryPolicy {
            max_attempts: 4,
            first: Duration::from_secs(60),
        };
        let now = Utc::now();
        let at = |n, j| (policy.next(n, now, j).unwrap() - now).num_seconds();
        assert_eq!(at(1, 0.5), 60);
        assert_eq!(at(2, 0.5), 120);
        assert_eq!(at(3, 0.5), 240);
        assert_eq!(at(1, 0.0), 45);
        assert_eq!(at(1, 1.0), 75);
        assert_eq!(policy.next(4, now, 0.5), None);
        let long = RetryPolicy {
            max_attempts: 100,
            first: Duration::from_secs(60),
        };
        assert_eq!((long.next(40, now, 0.5).unwrap() - now).num_hours(), 6);
    }
}
