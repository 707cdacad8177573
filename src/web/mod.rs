//! The HTTP side: the axum router, shared state, health endpoints and request logging.

mod health;
mod request_log;

use axum::{
    Json, Router,
    http::{StatusCode, Uri},
    middleware,
    response::IntoResponse,
    routing::get,
};

use crate::{db::Db, storage::Storage};

/// What every handler can reach. Holds nothing that another instance would need: all state
/// lives in the database and the object store.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub storage: Storage,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .fallback(not_found)
        .layer(middleware::from_fn(request_log::log_request))
        .with_state(state)
}

/// The one error body shape: `{"error": {"code": …, "message": …}}`.
pub fn error_body(status: StatusCode, code: &str, message: String) -> impl IntoResponse {
    (
        status,
        Json(serde_json::json!({"error": {"code": code, "message": message}})),
    )
}

async fn not_found(uri: Uri) -> impl IntoResponse {
    error_body(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("nothing at {}", uri.path()),
    )
}
