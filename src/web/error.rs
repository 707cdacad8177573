//! How a page fails: not found (also for "not allowed"), sign in first, a stale form, a body
//! too large, maintenance, or an internal error (logged, never shown). Each becomes a small
//! HTML page with the right status; no error is a 500 unless the server itself failed.

use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};

use super::views;
use crate::lms::LmsError;

#[derive(Debug)]
pub enum WebError {
    NotFound,
    SignIn {
        next: String,
    },
    BadRequest(String),
    Csrf,
    TooLarge,
    Maintenance,
    /// The database or the server did not answer in time; trying again soon may work.
    Busy,
    Internal(String),
}

/// A page error's words, left on the response so the visitor middleware can draw the page
/// again inside the site's own frame (its name, the person's navigation); a response that
/// never passes that middleware keeps the plain page.
#[derive(Clone, Debug)]
pub struct ErrorWords {
    pub title: &'static str,
    pub message: String,
}

impl From<LmsError> for WebError {
    fn from(e: LmsError) -> Self {
        match e {
            LmsError::NotFound => WebError::NotFound,
            LmsError::Db(e) if e.is_busy() => {
                tracing::warn!(target: "paideia::http", "{e}");
                WebError::Busy
            }
            LmsError::Db(_) | LmsError::Hash(_) | LmsError::Export(_) => {
                WebError::Internal(e.to_string())
            }
            other => WebError::BadRequest(other.to_string()),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut retry_after = "300";
        let (status, title, message) = match self {
            WebError::SignIn { next } => {
                let target = format!("/login?next={}", super::cookies::encode_flash(&next));
                return Redirect::to(&target).into_response();
            }
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is nothing here, or you do not have access to it.".to_string(),
            ),
            WebError::BadRequest(message) => (StatusCode::BAD_REQUEST, "Cannot do that", message),
            WebError::Csrf => (
                StatusCode::FORBIDDEN,
                "This form has expired",
                "Go back, reload the page and send the form again.".to_string(),
            ),
            WebError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Too much data",
                "The form or file is larger than 1 MiB.".to_string(),
            ),
            WebError::Maintenance => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Down for maintenance",
                "The site is being looked after. Please come back a little later.".to_string(),
            ),
            WebError::Busy => {
                retry_after = "5";
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The site is busy",
                    "This took too long, so the server stopped. Try again in a few seconds."
                        .to_string(),
                )
            }
            WebError::Internal(cause) => {
                tracing::error!(target: "paideia::http", "internal error: {cause}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The server could not finish this request. Try again in a moment.".to_string(),
                )
            }
        };
        let words = ErrorWords {
            title,
            message: message.clone(),
        };
        let mut response = (status, views::error_page(title, &message)).into_response();
        response.extensions_mut().insert(words);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from_static(retry_after),
            );
        }
        response
    }
}
