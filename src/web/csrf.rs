//! CSRF protection for every state-changing request: the body (a URL-encoded form, or a
//! multipart upload whose `_csrf` field comes first) must carry the visitor's token. A form
//! body is read here once, within the size limit, and handed on unchanged; of a multipart body
//! only the beginning up to the end of its first field is read, and the rest streams on to the
//! handler, so file uploads are never held in memory.

use axum::{
    body::{Body, Bytes, to_bytes},
    extract::{FromRequest, Multipart, Request},
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use bytes::BytesMut;
use futures_util::StreamExt;

use super::{WebError, visitor::Visitor};

/// The largest request body any page accepts (forms and CSV uploads).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The most of a multipart body read to find its first field, the token.
const MAX_FIRST_FIELD_BYTES: usize = 16 * 1024;
const FIELD: &str = "_csrf";

pub async fn check(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || request
        .uri()
        .path()
        .starts_with(super::mail::UNSUBSCRIBE_PREFIX)
    {
        // One-click unsubscribe (RFC 8058): mail programs POST without a session; the
        // link's MAC is the credential, and all it can do is turn a kind of mail off.
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
    let (head, body) = match multipart_boundary(&parts.headers) {
        Some(boundary) => match first_field(body, &boundary).await {
            Some(split) => split,
            None => return WebError::Csrf.into_response(),
        },
        None => {
            let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
                return WebError::TooLarge.into_response();
            };
            (bytes, Body::empty())
        }
    };
    let sent = token(&parts.headers, head.clone()).await;
    if !sent.is_some_and(|s| same(s.as_bytes(), expected.as_bytes())) {
        return WebError::Csrf.into_response();
    }
    let head = futures_util::stream::once(async move { Ok::<_, axum::Error>(head) });
    let body = Body::from_stream(head.chain(body.into_data_stream()));
    next.run(Request::from_parts(parts, body)).await
}

/// The boundary of a `multipart/form-data` body.
fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !content_type.starts_with("multipart/form-data") {
        return None;
    }
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?;
    Some(boundary.trim_matches('"').to_string())
}

/// Reads a multipart body until its first field has ended (the second delimiter has arrived),
/// within `MAX_FIRST_FIELD_BYTES`; returns what was read and the unread rest. `None` when the
/// first field is longer or the body ends first: no CSRF token can be in it.
async fn first_field(body: Body, boundary: &str) -> Option<(Bytes, Body)> {
    let delimiter = format!("--{boundary}");
    let mut stream = body.into_data_stream();
    let mut head = BytesMut::new();
    while count(&head, delimiter.as_bytes()) < 2 {
        if head.len() > MAX_FIRST_FIELD_BYTES {
            return None;
        }
        head.extend_from_slice(&stream.next().await?.ok()?);
    }
    Some((head.freeze(), Body::from_stream(stream)))
}

/// How many times `needle` occurs in `hay` (at most 2 are needed).
fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .filter(|w| *w == needle)
        .take(2)
        .count()
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
