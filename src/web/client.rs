//! Who is on the other end: the client address (for throttling) and whether the request came
//! over HTTPS (for the cookie's `Secure` flag). `X-Forwarded-For` and `X-Forwarded-Proto` are
//! believed only from a trusted proxy (`PAIDEIA_TRUSTED_PROXIES`, loopback by default), and
//! the client is the nearest address in the chain that is not itself a trusted proxy.

use std::net::{IpAddr, SocketAddr};

use axum::{extract::ConnectInfo, http::request::Parts};

use super::listener::Peer;

use crate::{lms::ClientInfo, settings::TrustedProxies};

/// The client as far as this request tells, and whether it used HTTPS.
pub fn identify(parts: &Parts, proxies: &TrustedProxies) -> (ClientInfo, bool) {
    let peer = parts
        .extensions
        .get::<ConnectInfo<Peer>>()
        .map(|c| c.0.0.ip().to_canonical());
    let trusted = peer.is_some_and(|ip| proxies.contains(ip));
    let headers = |name: &str| {
        parts
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
    };
    let client = if trusted {
        forwarded_client(&headers("x-forwarded-for"), proxies).or(peer)
    } else {
        peer
    };
    // The proxy nearest the client wrote the first value; later ones are hops in between.
    let secure = trusted
        && headers("x-forwarded-proto")
            .first()
            .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let user_agent = parts
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(300).collect());
    let client = ClientInfo {
        address: client.map(|ip| ip.to_string()),
        user_agent,
    };
    (client, secure)
}

/// Walking `X-Forwarded-For` from the nearest hop back: the first address that is not a
/// trusted proxy (each proxy appends the address it saw, so everything before that one may
/// be forged by the client). An entry that is not an address ends the walk.
fn forwarded_client(chain: &[&str], proxies: &TrustedProxies) -> Option<IpAddr> {
    let mut last = None;
    for entry in chain.iter().rev() {
        let ip = parse_ip(entry)?.to_canonical();
        if !proxies.contains(ip) {
            return Some(ip);
        }
        last = Some(ip);
    }
    last
}

/// `203.0.113.9`, `2001:db8::1`, `[2001:db8::1]:443` or `203.0.113.9:5000`.
fn parse_ip(text: &str) -> Option<IpAddr> {
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_is_the_nearest_untrusted_hop() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1", "test").unwrap();
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(
            forwarded_client(&["203.0.113.9"], &proxies),
            ip("203.0.113.9")
        );
        assert_eq!(
            forwarded_client(&["1.1.1.1", "203.0.113.9", "10.0.0.2"], &proxies),
            ip("203.0.113.9"),
            "a forged first entry is ignored"
        );
        assert_eq!(
            forwarded_client(&["10.0.0.3", "10.0.0.2"], &proxies),
            ip("10.0.0.3")
        );
        assert_eq!(
            forwarded_client(&["[2001:db8::1]:443"], &proxies),
            ip("2001:db8::1")
        );
        assert_eq!(
            forwarded_client(&["203.0.113.9:5000"], &proxies),
            ip("203.0.113.9")
        );
        assert_eq!(
            forwarded_client(&["junk", "203.0.113.9"], &proxies),
            ip("203.0.113.9")
        );
        assert_eq!(forwarded_client(&["203.0.113.9", "junk"], &proxies), None);
        assert_eq!(forwarded_client(&[], &proxies), None);
    }
}
