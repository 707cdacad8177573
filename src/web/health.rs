//! `/healthz` (the process answers) and `/readyz` (database reachable, schema compatible,
//! storage writable). The public answer names each check and its state only; the reasons
//! (paths, endpoints, driver messages) go to the log and to `paideia doctor`. Every check has
//! a short deadline, and the storage probe, which costs requests on S3, runs at most once per
//! `STORAGE_EVERY` however often a load balancer asks.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Value as Json_, json};

use super::AppState;
use crate::{db::Executor as _, migrate::Migrator, storage::Storage, version::VERSION};

/// How long one readiness check may take before it counts as failed.
pub const CHECK_DEADLINE: Duration = Duration::from_secs(2);
/// How long a storage probe's result is reused.
pub const STORAGE_EVERY: Duration = Duration::from_secs(10);
/// The same failing reasons are logged again after this long.
const LOG_EVERY: Duration = Duration::from_secs(60);

/// What `/readyz` remembers between requests: the last storage probe and the last reasons
/// it logged.
#[derive(Debug, Default)]
pub struct Readiness {
    storage: tokio::sync::Mutex<Option<(Instant, Result<(), String>)>>,
    logged: Mutex<Option<(Instant, Vec<String>)>>,
}

impl Readiness {
    /// The storage probe's result, probing again only when the last one is older than
    /// `STORAGE_EVERY`; callers arriving during a probe wait for it and share it.
    async fn storage(&self, storage: &Storage) -> Result<(), String> {
        let mut last = self.storage.lock().await;
        if let Some((at, result)) = last.as_ref()
            && at.elapsed() < STORAGE_EVERY
        {
            return result.clone();
        }
        let result = within(storage.check_writable(), "storage probe").await;
        *last = Some((Instant::now(), result.clone()));
        result
    }

    /// Logs the reasons when they changed or `LOG_EVERY` has passed; a recovery once.
    fn log(&self, reasons: &[String]) {
        let Ok(mut logged) = self.logged.lock() else {
            return;
        };
        let same = logged
            .as_ref()
            .is_some_and(|(at, old)| old == reasons && at.elapsed() < LOG_EVERY);
        if same || (reasons.is_empty() && logged.is_none()) {
            return;
        }
        if reasons.is_empty() {
            tracing::info!("ready again");
            *logged = None;
        } else {
            tracing::warn!("not ready: {}", reasons.join("; "));
            *logged = Some((Instant::now(), reasons.to_vec()));
        }
    }
}

/// `work`'s result, or a failure naming `what` when it takes longer than `CHECK_DEADLINE`.
async fn within<T, E: std::fmt::Display>(
    work: impl Future<Output = Result<T, E>>,
    what: &str,
) -> Result<(), String> {
    match tokio::time::timeout(CHECK_DEADLINE, work).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!(
            "{what} did not answer within {}s",
            CHECK_DEADLINE.as_secs()
        )),
    }
}

pub async fn healthz() -> Json<Json_> {
    Json(json!({"status": "ok", "version": VERSION}))
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Json_>) {
    let database = within(
        async {
            let mut conn = state.db.conn().await?;
            conn.query_one("SELECT 1 AS one", &[]).await
        },
        "the database",
    )
    .await;
    let schema = match &database {
        Ok(()) => within(Migrator::embedded(&state.db).verify(), "the schema check").await,
        Err(_) => Err("database unreachable".to_string()),
    };
    let storage = state.readiness.storage(&state.storage).await;

    let checks = [
        ("database", &database),
        ("schema", &schema),
        ("storage", &storage),
    ];
    let reasons: Vec<String> = checks
        .iter()
        .filter_map(|(name, r)| r.as_ref().err().map(|e| format!("{name}: {e}")))
        .collect();
    state.readiness.log(&reasons);
    let report: serde_json::Map<String, Json_> = checks
        .iter()
        .map(|(name, r)| {
            (
                name.to_string(),
                json!(if r.is_ok() { "ok" } else { "failed" }),
            )
        })
        .collect();
    if reasons.is_empty() {
        (
            StatusCode::OK,
            Json(json!({"status": "ready", "checks": report})),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "not_ready", "checks": report})),
        )
    }
}
