//! `/healthz` (the process answers) and `/readyz` (database reachable, schema compatible,
//! storage writable), both JSON with the reason when something is wrong.

use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Value as Json_, json};

use super::AppState;
use crate::{db::Executor as _, migrate::Migrator, version::VERSION};

pub async fn healthz() -> Json<Json_> {
    Json(json!({"status": "ok", "version": VERSION}))
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Json_>) {
    let database = match state.db.conn().await {
        Ok(mut conn) => conn
            .query_one("SELECT 1 AS one", &[])
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    let schema = match &database {
        Ok(()) => Migrator::embedded(&state.db)
            .verify()
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Err(_) => Err("database unreachable".to_string()),
    };
    let storage = state
        .storage
        .check_writable()
        .await
        .map_err(|e| e.to_string());

    let checks = [
        ("database", &database),
        ("schema", &schema),
        ("storage", &storage),
    ];
    let reasons: Vec<String> = checks
        .iter()
        .filter_map(|(name, r)| r.as_ref().err().map(|e| format!("{name}: {e}")))
        .collect();
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
            Json(json!({"status": "not_ready", "checks": report, "reasons": reasons})),
        )
    }
}
