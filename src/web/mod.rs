//! The HTTP side: the axum router, shared state, health endpoints, request logging, the LMS
//! pages (server-rendered HTML that works without JavaScript) and the JSON API for scripts
//! under /api/v1 (`api`). Handlers stay thin: they read the request, call `lms`, and hand
//! the result to `views` (or serialize it).

mod admin;
pub mod api;
mod assets;
mod auth;
mod client;
mod cookies;
mod courses;
mod csrf;
mod dashboard;
mod download;
mod error;
mod grades;
mod health;
mod listener;
mod modules;
mod people;
mod request_log;
mod respond;
mod sections;
mod submissions;
mod tokens;
mod upload;
mod views;
mod visitor;

use axum::{
    Json, Router,
    extract::DefaultBodyLimit,
    http::{HeaderMap, StatusCode, Uri, header},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
};

use crate::{db::Db, lms::Lms, storage::Storage};

pub use error::WebError;
pub use listener::{DrainingListener, Peer};

/// What every handler can reach. Holds nothing that another instance would need: all state
/// lives in the database and the object store.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub storage: Storage,
    pub lms: Lms,
}

pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .merge(auth::routes())
        .merge(dashboard::routes())
        .merge(courses::routes())
        .merge(sections::routes())
        .merge(people::routes())
        .merge(modules::routes())
        .merge(submissions::routes())
        .merge(grades::routes())
        .merge(admin::routes())
        .merge(tokens::routes())
        .layer(DefaultBodyLimit::max(csrf::MAX_BODY_BYTES))
        .layer(middleware::from_fn(csrf::check))
        .layer(middleware::from_fn_with_state(state.clone(), visitor::load));
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/assets/style.css", get(assets::stylesheet))
        .nest(api::PREFIX, api::router())
        .merge(pages)
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

/// An HTML page for browsers, the JSON error body for everything else.
async fn not_found(uri: Uri, headers: HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_html {
        WebError::NotFound.into_response()
    } else {
        error_body(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("nothing at {}", uri.path()),
        )
        .into_response()
    }
}
