//! How the JSON API fails: one body shape, `{"error": {"code", "message"}}` (plus `fields`
//! for validation errors), for every 4xx and 5xx under /api/v1, including the rejections of
//! axum's extractors and the answers of the router itself (no route, wrong method).

use axum::{
    extract::rejection::{JsonRejection, PathRejection, QueryRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::lms::{FieldErrors, LmsError};

#[derive(Debug)]
pub enum ApiError {
    /// No token, or one that is unknown, expired or revoked.
    Unauthorized(&'static str),
    /// Missing, or not visible to the caller: the two cannot be told apart.
    NotFound,
    /// Nothing is served at this path.
    UnknownRoute(String),
    BadRequest {
        code: &'static str,
        message: String,
    },
    Invalid(FieldErrors),
    /// A body too large, the wrong content type, and other answers keyed by status alone.
    Status(StatusCode),
    Maintenance,
    /// The database or the server did not answer in time; trying again soon may work.
    Busy,
    Internal(String),
}

impl From<LmsError> for ApiError {
    fn from(e: LmsError) -> Self {
        match e {
            LmsError::NotFound => ApiError::NotFound,
            LmsError::Invalid(errors) => ApiError::Invalid(errors),
            LmsError::Csv(lines) => {
                let mut errors = FieldErrors::default();
                for l in lines {
                    errors.add("csv", format!("line {}: {}", l.line, l.message));
                }
                ApiError::Invalid(errors)
            }
            LmsError::Db(e) if e.is_busy() => {
                tracing::warn!(target: "paideia::http", "{e}");
                ApiError::Busy
            }
            LmsError::Db(_) | LmsError::Hash(_) | LmsError::Export(_) => {
                ApiError::Internal(e.to_string())
            }
            other => ApiError::BadRequest {
                code: "bad_request",
                message: other.to_string(),
            },
        }
    }
}

/// The shared upload and download code answers in page errors; the API keeps its own shape.
impl From<crate::web::WebError> for ApiError {
    fn from(e: crate::web::WebError) -> Self {
        use crate::web::WebError as W;
        match e {
            W::NotFound => ApiError::NotFound,
            W::BadRequest(message) => ApiError::BadRequest {
                code: "bad_request",
                message,
            },
            W::TooLarge => ApiError::Status(StatusCode::PAYLOAD_TOO_LARGE),
            W::Maintenance => ApiError::Maintenance,
            W::Busy => ApiError::Busy,
            W::Internal(cause) => ApiError::Internal(cause),
            W::SignIn { .. } | W::Csrf => ApiError::Unauthorized("send a personal access token"),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonSyntaxError(e) => ApiError::BadRequest {
                code: "malformed_json",
                message: format!("the body is not valid JSON: {}", e.body_text()),
            },
            JsonRejection::JsonDataError(e) => ApiError::BadRequest {
                code: "invalid_json",
                message: format!("the JSON does not fit this operation: {}", e.body_text()),
            },
            other => ApiError::Status(other.status()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::BadRequest {
            code: "bad_path",
            message: r.body_text(),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest {
            code: "bad_query",
            message: r.body_text(),
        }
    }
}

/// The code and message for an answer known only by its status.
pub fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this path does not take this method; the Allow header lists those it takes",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "the request body is larger than this operation accepts (1 MiB for JSON)",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "send the body as JSON with `Content-Type: application/json`",
        ),
        StatusCode::NOT_FOUND => ("not_found", "not found"),
        s if s.is_server_error() => ("internal", "the server could not finish this request"),
        _ => ("bad_request", "the request cannot be served"),
    }
}

/// The one error body.
pub fn body(status: StatusCode, code: &str, message: &str) -> Response {
    crate::web::error_body(status, code, message.to_string()).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Unauthorized(message) => {
                let mut response = body(StatusCode::UNAUTHORIZED, "unauthorized", message);
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"paideia\""),
                );
                response
            }
            ApiError::NotFound => body(
                StatusCode::NOT_FOUND,
                "not_found",
                "there is nothing here, or you do not have access to it",
            ),
            ApiError::UnknownRoute(path) => body(
                StatusCode::NOT_FOUND,
                "unknown_route",
                &format!("no API operation at {path}; see /api/v1/openapi.json"),
            ),
            ApiError::BadRequest { code, message } => body(StatusCode::BAD_REQUEST, code, &message),
            ApiError::Invalid(errors) => invalid(&errors),
            ApiError::Status(status) => {
                let (code, message) = describe(status);
                body(status, code, message)
            }
            ApiError::Maintenance => {
                let mut response = body(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "maintenance",
                    "the site is down for maintenance; try again later",
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("300"));
                response
            }
            ApiError::Busy => {
                let mut response = body(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "the server could not answer in time; try again in a few seconds",
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                response
            }
            ApiError::Internal(cause) => {
                tracing::error!(target: "paideia::http", "internal error: {cause}");
                let (code, message) = describe(StatusCode::INTERNAL_SERVER_ERROR);
                body(StatusCode::INTERNAL_SERVER_ERROR, code, message)
            }
        }
    }
}

/// 422 with every field's problem.
fn invalid(errors: &FieldErrors) -> Response {
    let fields: Vec<_> = errors
        .iter()
        .map(|e| json!({"field": e.field, "message": e.message}))
        .collect();
    let body = json!({"error": {
        "code": "invalid",
        "message": errors.to_string(),
        "fields": fields,
    }});
    (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response()
}
