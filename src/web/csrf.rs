//! CSRF protection for every state-changing request: the body (a URL-encoded form, or a
//! multipart upload whose `_csrf` field comes first) must carry the visitor's token. The body
//! is read here once, within the size limit, and handed on unchanged.

use axum::{
    body::{Body, Bytes, to_bytes},
    extract::{FromRequest, Multipart, Request},
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::{WebError, visitor::Visitor};

/// The largest request body any page accepts (forms and CSV uploads).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
const FIELD: &str = "_csrf";

pub async fn check(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let Some(expected) = request
        .extensions()
        .get::<Visitor>()
        .map(|v| v.csrf.clone())
    else {
        return WebError::Internal("the visitor middleware did not run".into()).into_response();
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return WebError::TooLarge.into_response();
    };
    let sent = token(&parts.headers, bytes.clone()).await;
    if !sent.is_some_and(|s| same(s.as_bytes(), expected.as_bytes())) {
        return WebError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

async fn token(headers: &HeaderMap, body: Bytes) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return url::form_urlencoded::parse(&body)
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.into_owned());
    }
    if !content_type.starts_with("multipart/form-data") {
        return None;
    }
    let request = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .ok()?;
    let mut multipart = Multipart::from_request(request, &()).await.ok()?;
    let field = multipart.next_field().await.ok()??;
    if field.name() != Some(FIELD) {
        return None;
    }
    field.text().await.ok()
}

/// Compares in time that depends only on the length.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
