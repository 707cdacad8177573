//! What went wrong talking to S3, in words. object_store and reqwest describe a refused
//! connection as `error sending request` and a cut one as `connection closed before message
//! completed`, nested four errors deep; this walks the chain once and says what happened
//! (refused, reset, timed out, TLS, name lookup, the server's own answer) and what to do.
//!
//! The HTTP status and S3 error code are read from the text of object_store's retry error,
//! whose type is private to that crate.

use std::{error::Error as StdError, io};

use object_store::client::{HttpError, HttpErrorKind};

/// What kind of failure, for the hint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// Nothing answered at the endpoint, or its name does not resolve.
    Unreachable,
    /// The connection was cut (reset, closed mid-answer).
    Cut,
    /// The server did not answer in time.
    Timeout,
    /// TLS could not be set up.
    Tls,
    /// The server answered that it is overloaded or failing (5xx, SlowDown).
    Server,
    /// The server refused the credentials or the request.
    Denied,
    /// Anything else (the bucket is missing, a bad request…).
    Other,
}

/// A translated failure: its kind and a sentence for the admin.
#[derive(Clone, Debug)]
pub struct Failure {
    pub kind: FailureKind,
    pub text: String,
}

/// Describes an object_store error.
pub fn describe(e: &object_store::Error) -> Failure {
    use object_store::Error as E;
    let (kind, what) = match e {
        E::PermissionDenied { .. } | E::Unauthenticated { .. } => (
            FailureKind::Denied,
            answer(e).unwrap_or_else(|| "access denied".into()),
        ),
        E::NotFound { .. } => (FailureKind::Other, "not found".to_string()),
        _ => transport(e),
    };
    let text = match retries(e) {
        Some(retries) => format!("{what} ({retries})"),
        None => what,
    };
    Failure { kind, text }
}

/// What went wrong on the way to an HTTP server, for any error chain (reqwest's too): refused,
/// reset, timed out, a name that does not resolve, TLS; `None` when the chain says none of
/// these.
pub fn network_cause(e: &(dyn StdError + 'static)) -> Option<String> {
    match transport(e) {
        (FailureKind::Other | FailureKind::Server | FailureKind::Denied, _) => None,
        (_, text) => Some(text),
    }
}

/// The transport-level cause in the chain, or the server's answer.
fn transport(e: &(dyn StdError + 'static)) -> (FailureKind, String) {
    let mut http_kind = None;
    let mut cause: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(error) = cause {
        if let Some(io) = error.downcast_ref::<io::Error>() {
            if let Some(found) = io_cause(io) {
                return found;
            }
            // io::Error's `source` skips the error it wraps: look at that one here.
            if let Some(tls) = io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
                return (FailureKind::Tls, format!("the TLS handshake failed: {tls}"));
            }
        }
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return (FailureKind::Tls, format!("the TLS handshake failed: {tls}"));
        }
        if let Some(http) = error.downcast_ref::<HttpError>() {
            http_kind.get_or_insert(http.kind());
        }
        let text = error.to_string();
        if text.contains("dns error") || text.contains("failed to lookup address") {
            return (
                FailureKind::Unreachable,
                "the host name does not resolve".into(),
            );
        }
        if text.contains("connection closed before message completed") {
            return (
                FailureKind::Cut,
                "the server closed the connection before it answered".into(),
            );
        }
        if text.contains("invalid peer certificate") || text.contains("InvalidCertificate") {
            return (
                FailureKind::Tls,
                format!("the TLS handshake failed: {text}"),
            );
        }
        cause = error.source();
    }
    if let Some(text) = answer(e) {
        let kind = if text.starts_with("the server answered 5") || text.contains("SlowDown") {
            FailureKind::Server
        } else {
            FailureKind::Other
        };
        return (kind, text);
    }
    match http_kind {
        Some(HttpErrorKind::Timeout) => (
            FailureKind::Timeout,
            "the server did not answer in time".into(),
        ),
        Some(HttpErrorKind::Connect) => (
            FailureKind::Unreachable,
            "cannot connect to the server".into(),
        ),
        Some(HttpErrorKind::Interrupted | HttpErrorKind::Request) => (
            FailureKind::Cut,
            "the connection broke off during the request".into(),
        ),
        _ => (FailureKind::Other, e.to_string()),
    }
}

fn io_cause(e: &io::Error) -> Option<(FailureKind, String)> {
    use io::ErrorKind as K;
    Some(match e.kind() {
        K::ConnectionRefused => (
            FailureKind::Unreachable,
            "the server refused the connection (nothing listens at the endpoint)".into(),
        ),
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => {
            (FailureKind::Cut, "the connection was reset".into())
        }
        K::UnexpectedEof => (
            FailureKind::Cut,
            "the server closed the connection mid-answer".into(),
        ),
        K::TimedOut => (
            FailureKind::Timeout,
            "the server did not answer in time".into(),
        ),
        K::HostUnreachable | K::NetworkUnreachable => {
            (FailureKind::Unreachable, "the host is unreachable".into())
        }
        _ => return None,
    })
}

/// The server's answer, from the retry error's text: `answered 503 Service Unavailable
/// (SlowDown)`.
fn answer(e: &(dyn StdError + 'static)) -> Option<String> {
    let mut cause: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(error) = cause {
        let text = error.to_string();
        let status = text
            .split_once("status code: ")
            .or_else(|| text.split_once("error response: "))
            .map(|(_, rest)| rest);
        if let Some(rest) = status {
            let status: String = rest
                .split(':')
                .next()
                .unwrap_or_default()
                .chars()
                .take(40)
                .collect();
            let code = text
                .split_once("<Code>")
                .and_then(|(_, rest)| rest.split_once("</Code>"))
                .map(|(code, _)| code.chars().take(40).collect::<String>());
            return Some(match code {
                Some(code) if !status.trim().is_empty() => {
                    format!("the server answered {} ({code})", status.trim())
                }
                Some(code) => format!("the server answered {code}"),
                None => format!("the server answered {}", status.trim()),
            });
        }
        cause = error.source();
    }
    None
}

/// `after 3 retries in 1.2s`, from the retry error's text, when it retried.
fn retries(e: &(dyn StdError + 'static)) -> Option<String> {
    let mut cause: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(error) = cause {
        let text = error.to_string();
        if let Some((head, rest)) = text.split_once(", after ")
            && let Some((count, _)) = rest.split_once(" retries")
        {
            let elapsed = head.rsplit_once(" in ").map(|(_, t)| t).unwrap_or("");
            return Some(format!("gave up after {count} retries in {elapsed}"));
        }
        cause = error.source();
    }
    None
}

impl FailureKind {
    /// What to check, for the hint.
    pub fn hint(self) -> &'static str {
        match self {
            FailureKind::Unreachable => {
                "check that the S3 server is running and that the endpoint URL (host and port) is right"
            }
            FailureKind::Cut => {
                "the S3 server or something between (a proxy, a load balancer) cut the connection; try again, and check the server's logs"
            }
            FailureKind::Timeout => {
                "the S3 server did not answer in time: check its load and the network, or raise PAIDEIA_S3_TIMEOUT"
            }
            FailureKind::Tls => {
                "check that the endpoint URL's scheme (https or http) matches the server and that its certificate is valid for the host name"
            }
            FailureKind::Server => {
                "the S3 server is failing or overloaded; try again later (paideia already retried with backoff)"
            }
            FailureKind::Denied => {
                "check the access key and secret key, and that the bucket policy lets them read, write, list and delete"
            }
            FailureKind::Other => "check that the bucket exists and that the S3 settings are right",
        }
    }
}

/// `text` with the user information of every URL in it (`http://user:secret@host`) replaced
/// by `***`: an S3 endpoint may carry a credential, and error texts quote request URLs.
pub fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| {
                matches!(c, '/' | '?' | '#') || c.is_whitespace() || c == '`' || c == '"'
            })
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(i) => {
                out.push_str("***");
                out.push_str(&authority[i..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::redact_userinfo;

    #[test]
    fn credentials_in_urls_are_redacted() {
        assert_eq!(
            redact_userinfo("S3 at http://minio:s3cret@host:9000/b/k failed"),
            "S3 at http://***@host:9000/b/k failed"
        );
        assert_eq!(redact_userinfo("https://host/x?a=b"), "https://host/x?a=b");
        assert_eq!(
            redact_userinfo("`http://u@h` and https://k:v@h2"),
            "`http://***@h` and https://***@h2"
        );
        assert_eq!(redact_userinfo("no url here"), "no url here");
    }
}
