//! Security headers on every response: a strict Content-Security-Policy (no inline script,
//! no framing), `nosniff`, a same-origin referrer and no opener. A handler that sets its own
//! value (downloads send `Content-Security-Policy: sandbox`) keeps it.

use axum::{
    http::{HeaderName, HeaderValue, header},
    response::Response,
};

/// Pages load scripts, styles, fonts and frames from this site only and may not be framed.
/// Images and media may also come from `https:` and `data:` (teachers' pages embed pictures
/// from the web); nothing else leaves the site, forms post only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' https: data:; media-src 'self' https:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const HEADERS: [(HeaderName, &str); 5] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "same-origin"),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
];

/// Adds each security header the response does not already carry.
pub async fn add(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in HEADERS {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}
