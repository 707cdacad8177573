//! The three cookies paideia sets: the session token, the anonymous CSRF token (for the
//! sign-in and registration forms) and a one-time flash message. All are HttpOnly and
//! SameSite=Lax, and Secure when the request came over HTTPS.

use axum::http::{HeaderMap, HeaderValue, header};

pub const SESSION: &str = "paideia_session";
pub const ANON_CSRF: &str = "paideia_csrf";
pub const FLASH: &str = "paideia_flash";

/// The value of cookie `name` in the request.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value; `max_age` 0 deletes the cookie, `None` makes it last the browser session.
pub fn set(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie)
        .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// Deletes cookie `name`.
pub fn clear(name: &str, secure: bool) -> HeaderValue {
    set(name, "", Some(0), secure)
}

/// A flash message made safe for a cookie value (percent-encoded).
pub fn encode_flash(message: &str) -> String {
    url::form_urlencoded::byte_serialize(message.as_bytes()).collect()
}

pub fn decode_flash(value: &str) -> String {
    url::form_urlencoded::parse(format!("m={value}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}
