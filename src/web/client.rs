//! Who is on the other end: the client address (for throttling) and whether the request came
//! over HTTPS (for the cookie's `Secure` flag). A reverse proxy on the same host (a loopback
//! peer) is trusted for `X-Forwarded-For` and `X-Forwarded-Proto`; nobody else is.

use axum::{extract::ConnectInfo, http::request::Parts};

use super::listener::Peer;

use crate::lms::ClientInfo;

/// The client as far as this request tells, and whether it used HTTPS.
pub fn identify(parts: &Parts) -> (ClientInfo, bool) {
    let peer = parts
        .extensions
        .get::<ConnectInfo<Peer>>()
        .map(|c| c.0.0.ip());
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let trusted = peer.is_some_and(|ip| ip.is_loopback());
    let forwarded_for = header("x-forwarded-for")
        .and_then(|v| v.rsplit(',').next())
        .map(|a| a.trim().to_string())
        .filter(|a| trusted && !a.is_empty());
    let secure =
        trusted && header("x-forwarded-proto").is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let client = ClientInfo {
        address: forwarded_for.or_else(|| peer.map(|ip| ip.to_string())),
        user_agent: header("user-agent").map(|ua| ua.chars().take(300).collect()),
    };
    (client, secure)
}
