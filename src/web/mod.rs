//! The HTTP side: the axum router, shared state, health endpoints, request logging, the LMS
//! pages (server-rendered HTML that works without JavaScript) and the JSON API for scripts
//! under /api/v1 (`api`). Handlers stay thin: they read the request, call `lms`, and hand
//! the result to `views` (or serialize it).

mod admin;
mod announcements;
pub mod api;
mod archive;
mod assets;
mod auth;
mod calendar;
mod client;
mod cookies;
mod copy;
mod courses;
mod csrf;
mod dashboard;
mod discussions;
mod download;
mod editor;
mod error;
mod grades;
mod headers;
pub mod health;
pub mod listener;
mod mail;
mod modules;
mod notifications;
mod people;
mod question_bank;
mod quiz_grading;
mod quizzes;
mod request_log;
mod respond;
mod routes;
mod sections;
mod submissions;
mod timeout;
mod tokens;
mod trash;
mod upload;
mod views;
mod visitor;

use axum::{
    Json, Router,
    extract::DefaultBodyLimit,
    http::{HeaderMap, Method, StatusCode, Uri, header},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
};

use crate::{db::Db, lms::Lms, settings::TrustedProxies, storage::Storage};

pub use cookies::SESSION as SESSION_COOKIE;
pub use error::WebError;
pub use listener::{Limits, Peer};

/// What every handler can reach, shared: axum clones the state for every extractor of every
/// request, and a clone of the parts (the database URL, the storage and mail settings)
/// allocated each time (`drop_in_place<Db>` alone was 2 % of the course page's profile).
#[derive(Clone, Debug)]
pub struct AppState(std::sync::Arc<AppParts>);

impl AppState {
    pub fn new(parts: AppParts) -> Self {
        AppState(std::sync::Arc::new(parts))
    }
}

impl std::ops::Deref for AppState {
    type Target = AppParts;
    fn deref(&self) -> &AppParts {
        &self.0
    }
}

/// What `AppState` holds. Nothing that another instance would need: all state lives in the
/// database and the object store.
#[derive(Debug)]
pub struct AppParts {
    pub db: Db,
    pub storage: Storage,
    pub lms: Lms,
    /// Whose `X-Forwarded-*` headers are believed.
    pub proxies: TrustedProxies,
    /// How long a request may take before it is answered 503.
    pub request_timeout: std::time::Duration,
    /// `/readyz`'s cached storage probe and logged reasons.
    pub readiness: std::sync::Arc<health::Readiness>,
}

/// The pages' routes (everything behind the visitor and CSRF middleware).
fn page_routes() -> routes::Routes {
    routes::Routes::new()
        .merge(auth::routes())
        .merge(mail::routes())
        .merge(dashboard::routes())
        .merge(calendar::routes())
        .merge(courses::routes())
        .merge(announcements::routes())
        .merge(notifications::routes())
        .merge(sections::routes())
        .merge(people::routes())
        .merge(modules::routes())
        .merge(discussions::routes())
        .merge(question_bank::routes())
        .merge(quizzes::routes())
        .merge(quiz_grading::routes())
        .merge(submissions::routes())
        .merge(grades::routes())
        .merge(admin::routes())
        .merge(tokens::routes())
        .merge(trash::routes())
        .merge(copy::routes())
}

/// Served outside the pages' middleware, before the API and the pages.
const PLAIN_ROUTES: [&str; 5] = [
    "/healthz",
    "/readyz",
    "/assets/style.css",
    "/assets/editor.js",
    "/assets/quiz.js",
];

/// Every (method, path) the router serves outside `/api/v1` (the API's own table is
/// `api::routes`), in axum's `{name}` syntax; the permission tests enumerate it.
pub fn route_list() -> Vec<(Method, &'static str)> {
    let mut list: Vec<_> = PLAIN_ROUTES.iter().map(|p| (Method::GET, *p)).collect();
    list.extend(page_routes().list);
    list
}

pub fn router(state: AppState) -> Router {
    // The fallback sits under the pages' middleware, so "not found" keeps the site's frame.
    let pages = page_routes()
        .router
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(csrf::MAX_BODY_BYTES))
        .layer(middleware::from_fn(csrf::check))
        .layer(middleware::from_fn_with_state(state.clone(), visitor::load));
    let [healthz, readyz, stylesheet, editor_script, quiz_script] = PLAIN_ROUTES;
    Router::new()
        .route(healthz, get(health::healthz))
        .route(readyz, get(health::readyz))
        .route(stylesheet, get(assets::stylesheet))
        .route(editor_script, get(assets::editor_script))
        .route(quiz_script, get(assets::quiz_script))
        .nest(api::PREFIX, api::router())
        .merge(pages)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            timeout::limit,
        ))
        .layer(middleware::from_fn(timeout::urgent))
        .layer(middleware::map_response(headers::add))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_list_names_each_page_route_once_and_none_of_the_api() {
        let list = route_list();
        let unique: std::collections::HashSet<_> = list.iter().collect();
        assert_eq!(unique.len(), list.len(), "a route listed twice");
        assert!(list.len() >= 50, "{} routes", list.len());
        assert!(list.iter().all(|(_, p)| !p.starts_with(api::PREFIX)));
        assert!(list.contains(&(Method::POST, "/courses/{slug}/modules/{id}/submissions")));
    }
}
