//! One log line per request: method, path, status, latency and the SQL statements it sent. A calendar feed's secret
//! address, a password reset link and an unsubscribe link are logged without their secrets.

use std::time::Instant;

use axum::{extract::Request, middleware::Next, response::Response};

pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = redact(request.uri().path());
    let (response, statements) = crate::db::count_statements(next.run(request)).await;
    tracing::info!(
        target: "paideia::http",
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        statements,
        "request"
    );
    response
}

/// `path`, with a calendar feed's, a reset link's or an unsubscribe link's secret left out.
fn redact(path: &str) -> String {
    let reset = crate::lms::password_resets::RESET_PREFIX;
    if path.starts_with(reset) {
        return format!("{reset}<secret>");
    }
    if path.starts_with(super::mail::UNSUBSCRIBE_PREFIX) {
        return format!("{}<secret>", super::mail::UNSUBSCRIBE_PREFIX);
    }
    match path.strip_prefix(super::calendar::FEED_PREFIX) {
        Some(rest) if rest.ends_with(".ics") => {
            format!("{}<secret>.ics", super::calendar::FEED_PREFIX)
        }
        _ => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn feed_secrets_stay_out_of_the_log() {
        assert_eq!(
            super::redact(&format!("/calendar/feed/{}.ics", "a".repeat(64))),
            "/calendar/feed/<secret>.ics"
        );
        assert_eq!(
            super::redact("/calendar/feed/revoke"),
            "/calendar/feed/revoke"
        );
        assert_eq!(super::redact("/courses/bio"), "/courses/bio");
        assert_eq!(
            super::redact(&format!("/reset-password/{}", "a".repeat(64))),
            "/reset-password/<secret>"
        );
        assert_eq!(
            super::redact("/unsubscribe/5/digest/abc"),
            "/unsubscribe/<secret>"
        );
    }
}
