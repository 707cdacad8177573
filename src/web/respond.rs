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

/// `next` when it is a path on this site, else `/`: the one check for every redirect target
/// taken from a request (`next` after sign-in, a form's `back`). It must start with one `/`
/// and hold only printable ASCII with no backslash: a second `/` or a backslash after the
/// first, or a tab or newline that browsers strip (`/<TAB>/evil.example`), would make it
/// another site's address.
pub fn local_path(next: &str) -> &str {
    let bytes = next.as_bytes();
    let is_local = bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes.iter().all(|b| b.is_ascii_graphic() && *b != b'\\');
    if is_local { next } else { "/" }
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

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_redirect_targets() {
        for ok in [
            "/",
            "/courses/bio",
            "/courses/bio?tab=1#x",
            "/a/%2F%2Fb",
            "/a//b",
        ] {
            assert_eq!(local_path(ok), ok);
        }
        for bad in [
            "",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{a0}/evil.example",
            "/\u{3000}/evil.example",
            "https://evil.example",
            "evil.example",
            "javascript:alert(1)",
            "/a\\b",
            "/\u{7f}/x",
            " /x",
        ] {
            assert_eq!(local_path(bad), "/", "{bad:?}");
        }
    }
}
