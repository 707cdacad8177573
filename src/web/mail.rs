//! The pages mail leads to: asking for a password reset link, the link's page that sets a new
//! password, and the one-click unsubscribe link of each kind of mail (RFC 8058: its POST
//! comes from mail programs without a session, so its MAC is its only credential and the
//! CSRF check lets it through).

use axum::{
    Form,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError,
    respond::{outcome, see_other},
    routes::Routes,
    views,
    visitor::Visitor,
};
use crate::lms::{FieldErrors, LmsError, MailKind, outbox};

/// Where one-click unsubscribe links lead; the CSRF check does not ask their POST for a token.
pub const UNSUBSCRIBE_PREFIX: &str = "/unsubscribe/";

pub fn routes() -> Routes {
    Routes::new()
        .get("/forgot-password", forgot_page)
        .post("/forgot-password", forgot)
        .get("/reset-password/{secret}", reset_page)
        .post("/reset-password/{secret}", reset)
        .get("/unsubscribe/{user}/{kind}/{mac}", unsubscribe_page)
        .post("/unsubscribe/{user}/{kind}/{mac}", unsubscribe)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ForgotForm {
    pub email: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    pub password: String,
}

async fn forgot_page(State(s): State<AppState>, v: Visitor) -> impl IntoResponse {
    views::mail::forgot(&v, s.lms.mail_site().is_some(), "", None, false)
}

async fn forgot(
    State(s): State<AppState>,
    v: Visitor,
    Form(form): Form<ForgotForm>,
) -> Result<Response, WebError> {
    let mail = s.lms.mail_site().is_some();
    match s
        .lms
        .request_password_reset(&form.email, v.client.address.as_deref())
        .await
    {
        Ok(()) => Ok(views::mail::forgot(&v, mail, &form.email, None, true).into_response()),
        Err(LmsError::Throttled { retry_after }) => {
            let seconds = retry_after.num_seconds().max(1);
            let problem = format!(
                "Too many links were asked for; try again in {} minute(s).",
                (seconds + 59) / 60
            );
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, seconds.to_string())],
                views::mail::forgot(&v, mail, &form.email, Some(&problem), false),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn reset_page(
    State(s): State<AppState>,
    v: Visitor,
    Path(secret): Path<String>,
) -> Result<Response, WebError> {
    let user = s
        .lms
        .password_reset_user(&secret)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(views::mail::reset(&v, &secret, &user.email, &FieldErrors::default()).into_response())
}

async fn reset(
    State(s): State<AppState>,
    v: Visitor,
    Path(secret): Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response, WebError> {
    let email = match s.lms.password_reset_user(&secret).await? {
        Some(user) => user.email,
        None => return Err(WebError::NotFound),
    };
    let result = s
        .lms
        .reset_password_with_link(&secret, &form.password)
        .await;
    outcome(
        result,
        |_| {
            see_other(
                &v,
                "/login",
                "Your new password is set. Every device was signed out and your API tokens are revoked: sign in with the new password.",
            )
        },
        |errors| views::mail::reset(&v, &secret, &email, errors),
    )
}

/// The person and kind of an unsubscribe link whose MAC is right; else not found.
async fn checked_link(
    s: &AppState,
    (user, kind, mac): &(i64, String, String),
) -> Result<(i64, MailKind), WebError> {
    let kind = MailKind::parse(kind)
        .filter(|k| k.unsubscribable())
        .ok_or(WebError::NotFound)?;
    let mut conn = s.lms.db().conn().await.map_err(LmsError::from)?;
    if !outbox::check_unsubscribe(&mut conn, s.lms.now(), *user, kind, mac).await? {
        return Err(WebError::NotFound);
    }
    Ok((*user, kind))
}

async fn unsubscribe_page(
    State(s): State<AppState>,
    v: Visitor,
    Path(link): Path<(i64, String, String)>,
) -> Result<Response, WebError> {
    let (user, kind) = checked_link(&s, &link).await?;
    let mut conn = s.lms.db().conn().await.map_err(LmsError::from)?;
    let on = outbox::email_enabled(&mut conn, user, kind).await?;
    Ok(views::mail::unsubscribe(&v, kind, on).into_response())
}

async fn unsubscribe(
    State(s): State<AppState>,
    v: Visitor,
    Path(link): Path<(i64, String, String)>,
) -> Result<Response, WebError> {
    let (user, kind) = checked_link(&s, &link).await?;
    let mut conn = s.lms.db().conn().await.map_err(LmsError::from)?;
    outbox::set_email_enabled(&mut conn, s.lms.now(), user, kind, false).await?;
    Ok(views::mail::unsubscribe(&v, kind, false).into_response())
}
