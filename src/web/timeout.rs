//! Time limits on requests: a request that takes longer than `request_timeout` is answered
//! 503 with `Retry-After` (its work is dropped), and sign-in and readiness checks run
//! `urgently`, with first call on the database connections kept in reserve, so one slow
//! route holding every pooled connection cannot take them down.

use axum::{
    extract::{Request, State},
    http::header,
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::{AppState, WebError, api};
use crate::db;

/// Paths whose requests may use the reserved database connections.
const URGENT_PATHS: [&str; 3] = ["/login", "/logout", "/readyz"];

pub async fn urgent(request: Request, next: Next) -> Response {
    if URGENT_PATHS.contains(&request.uri().path()) {
        db::urgently(next.run(request)).await
    } else {
        next.run(request).await
    }
}

/// Answers 503 when the request takes longer than the limit. Multipart uploads stream for
/// as long as the client sends (bounded by the connection's idle timeout), so they are left
/// to finish.
pub async fn limit(State(s): State<AppState>, request: Request, next: Next) -> Response {
    let is_upload = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    if is_upload {
        return next.run(request).await;
    }
    let is_api = request.uri().path().starts_with(api::PREFIX);
    let path = request.uri().path().to_string();
    match tokio::time::timeout(s.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(
                target: "paideia::http",
                "{path}: no answer within {}s; answered 503",
                s.request_timeout.as_secs()
            );
            if is_api {
                api::busy().into_response()
            } else {
                WebError::Busy.into_response()
            }
        }
    }
}
