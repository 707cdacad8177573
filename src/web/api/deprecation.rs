//! The `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and `Link: …; rel="deprecation"` headers
//! on API responses that used a deprecated route or field, driven by the one registry
//! (`crate::deprecations`). Routes are found from the path the router matched; a handler that
//! reads a deprecated field says so by putting `Used` into its response's extensions.

use axum::{
    extract::{MatchedPath, Request},
    http::{HeaderValue, header},
    middleware::Next,
    response::{IntoResponseParts, Response, ResponseParts},
};
use chrono::{NaiveDate, NaiveTime};

use crate::deprecations::{self, Deprecated};

/// Deprecated things a handler's request used (`(Used(vec![…]), response)`).
#[derive(Clone, Debug, Default)]
pub struct Used(pub Vec<&'static Deprecated>);

impl IntoResponseParts for Used {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        if !self.0.is_empty() {
            res.extensions_mut().insert(self);
        }
        Ok(res)
    }
}

/// Where the deprecations and their replacements are explained to people.
pub const DOCS: &str = concat!(
    env!("CARGO_PKG_REPOSITORY"),
    "/blob/main/docs/api.md#deprecations"
);

/// The layer (a route layer, so the matched path is known).
pub async fn headers(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let matched = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string());
    let mut response = next.run(request).await;
    let mut used = response
        .extensions_mut()
        .remove::<Used>()
        .unwrap_or_default()
        .0;
    if let Some(path) = matched {
        used.extend(deprecations::api_routes(
            deprecations::ALL,
            method.as_str(),
            &path,
        ));
    }
    for (name, value) in header_values(&used) {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// The headers for `used`: the earliest deprecation and the earliest sunset among them.
pub fn header_values(used: &[&Deprecated]) -> Vec<(header::HeaderName, String)> {
    let midnight = |day: &str| {
        NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .expect("the registry's dates are checked by a test")
            .and_time(NaiveTime::MIN)
            .and_utc()
    };
    let Some(deprecated) = used.iter().map(|d| midnight(d.announced)).min() else {
        return Vec::new();
    };
    let mut out = vec![
        (
            header::HeaderName::from_static("deprecation"),
            format!("@{}", deprecated.timestamp()),
        ),
        (
            header::LINK,
            format!("<{DOCS}>; rel=\"deprecation\"; type=\"text/html\""),
        ),
    ];
    if let Some(sunset) = used.iter().filter_map(|d| d.sunset).map(midnight).min() {
        out.push((
            header::HeaderName::from_static("sunset"),
            sunset.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_rfc_9745_and_8594_values() {
        let field = deprecations::api_field("PageCreate.format");
        let headers = header_values(&[field]);
        let get = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.as_str() == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        // 2026-12-03T00:00:00Z and 2027-06-01T00:00:00Z.
        assert_eq!(get("deprecation"), "@1796256000");
        assert_eq!(get("sunset"), "Tue, 01 Jun 2027 00:00:00 GMT");
        assert!(
            get("link")
                .ends_with("docs/api.md#deprecations>; rel=\"deprecation\"; type=\"text/html\"")
        );
        assert!(header_values(&[]).is_empty());
    }
}
