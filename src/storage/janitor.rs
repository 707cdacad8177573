//! `serve`'s janitor: a background task that, at start and then every `INTERVAL`, removes the
//! temporary files and aborts the S3 uploads that killed processes left (`temp`,
//! `Storage::sweep_temporary`). Files no row refers to are never removed here: after a dump is
//! restored, newer files are exactly what an admin may still want (`paideia storage gc`).

use std::time::Duration;

use super::Storage;

/// How often the janitor sweeps.
pub const INTERVAL: Duration = Duration::from_secs(60 * 60);

/// Starts the janitor; it stops when the returned handle is aborted or the runtime ends.
pub fn spawn(storage: Storage) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            sweep_once(&storage).await;
        }
    })
}

async fn sweep_once(storage: &Storage) {
    let cutoff = super::temp::cutoff(std::time::SystemTime::now());
    match storage.sweep_temporary(cutoff, true).await {
        Ok(sweep) => {
            if !sweep.stale.is_empty() {
                tracing::info!(
                    "storage: removed {} leftover(s) of killed uploads ({} bytes) from {storage}",
                    sweep.stale.len(),
                    sweep.bytes()
                );
            }
            for failure in &sweep.failures {
                tracing::warn!("storage: {failure}");
            }
        }
        Err(e) => tracing::warn!("storage: cannot sweep leftovers of killed uploads: {e}"),
    }
}
