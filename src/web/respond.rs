//! Shared ways to answer a form: redirect after success with a one-time message, or show the
//! form again with its errors (422) and what was typed.

use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use maud::Markup;

use super::{WebError, cookies, visitor::Visitor};
use crate::lms::{FieldErrors, LmsError};

/// 303 See Other to `to`, showing `flash` on the next page.
pub fn see_other(v: &Visitor, to: &str, flash: &str) -> Response {
    let cookie = cookies::set(
        cookies::FLASH,
        &cookies::encode_flash(flash),
        Some(60),
        v.secure,
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
}

/// The form again, with errors: 422 Unprocessable Content.
pub fn invalid(markup: Markup) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, markup).into_response()
}

/// Success goes to `ok`; validation errors re-render the form with `form`; anything else is
/// an error page.
pub fn outcome<T>(
    result: Result<T, LmsError>,
    ok: impl FnOnce(T) -> Response,
    form: impl FnOnce(&FieldErrors) -> Markup,
) -> Result<Response, WebError> {
    match result {
        Ok(value) => Ok(ok(value)),
        Err(LmsError::Invalid(errors)) => Ok(invalid(form(&errors))),
        Err(e) => Err(e.into()),
    }
}

/// A local path to return to after signing in; anything else (another site) becomes `/`.
pub fn local_path(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

/// A 1-based position as typed; anything but a whole number is a tampered form.
pub fn position(text: &str) -> Result<usize, WebError> {
    text.trim()
        .parse()
        .map_err(|_| WebError::BadRequest("the position must be a whole number".into()))
}

/// An optional id from a `<select>` (empty: none); anything else is a tampered form.
pub fn optional_id(text: &str) -> Result<Option<i64>, WebError> {
    match text.trim() {
        "" => Ok(None),
        id => id
            .parse()
            .map(Some)
            .map_err(|_| WebError::BadRequest(format!("{id:?} is not an id"))),
    }
}
