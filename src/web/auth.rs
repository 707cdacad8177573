//! Signing in and out, registering, and changing one's own password.

use axum::{
    Form,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError, cookies,
    respond::{self, local_path, outcome, see_other},
    routes::Routes,
    views,
    visitor::{Me, Visitor},
};
use crate::lms::{FieldErrors, LmsError, NewAccount, NewSession, sessions::SESSION_LIFETIME};

pub fn routes() -> Routes {
    Routes::new()
        .get("/login", login_page)
        .post("/login", login)
        .get("/register", register_page)
        .post("/register", register)
        .post("/logout", logout)
        .get("/account", account_page)
        .post("/account/time-zone", set_time_zone)
        .get("/account/password", password_page)
        .post("/account/password", change_password)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    pub email: String,
    pub display_name: String,
    pub password: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current_password: String,
    pub new_password: String,
}

async fn login_page(
    State(s): State<AppState>,
    v: Visitor,
    Query(form): Query<LoginForm>,
) -> Result<Response, WebError> {
    if v.me.is_some() {
        return Ok(Redirect::to(local_path(&form.next)).into_response());
    }
    // An empty site has nobody to sign in: it opens on creating its administrator.
    if s.lms.is_empty_site().await? {
        return Ok(Redirect::to("/register").into_response());
    }
    Ok(views::auth::login(&v, &form, None).into_response())
}

async fn login(
    State(s): State<AppState>,
    v: Visitor,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    match s.lms.sign_in(&form.email, &form.password, &v.client).await {
        Ok(session) => Ok(signed_in(
            &v,
            &session,
            local_path(&form.next),
            "You are signed in.",
        )),
        Err(e @ LmsError::BadCredentials) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            views::auth::login(&v, &form, Some(&e.to_string())),
        )
            .into_response()),
        Err(e @ LmsError::Throttled { retry_after }) => {
            let seconds = retry_after.num_seconds().max(1).to_string();
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, seconds)],
                views::auth::login(&v, &form, Some(&e.to_string())),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Sets the session cookie and goes on to `to`.
fn signed_in(v: &Visitor, session: &NewSession, to: &str, flash: &str) -> Response {
    let cookie = cookies::set(
        cookies::SESSION,
        &session.token,
        Some(SESSION_LIFETIME.num_seconds()),
        v.secure,
    );
    let mut response = see_other(v, to, flash);
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

async fn register_page(State(s): State<AppState>, v: Visitor) -> Result<Response, WebError> {
    if !s.lms.registration_allowed().await? {
        return Err(WebError::NotFound);
    }
    let first = s.lms.is_empty_site().await?;
    let form = RegisterForm::default();
    Ok(views::auth::register(&v, &form, &FieldErrors::default(), first).into_response())
}

async fn register(
    State(s): State<AppState>,
    v: Visitor,
    Form(form): Form<RegisterForm>,
) -> Result<Response, WebError> {
    let account = NewAccount {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        password: form.password.clone(),
    };
    let user = match s.lms.register(&account).await {
        Err(LmsError::RegistrationClosed) => return Err(WebError::NotFound),
        Err(LmsError::Invalid(errors)) => {
            let first = s.lms.is_empty_site().await?;
            let page = views::auth::register(&v, &form, &errors, first);
            return Ok(respond::invalid(page));
        }
        other => other?,
    };
    let session = s.lms.start_session(user.id, &v.client).await?;
    let welcome = format!(
        "Welcome, {}. Your {} account is ready.",
        user.display_name,
        user.role.label().to_lowercase()
    );
    Ok(signed_in(&v, &session, "/", &welcome))
}

async fn logout(
    State(s): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if let Some(token) = cookies::get(&headers, cookies::SESSION) {
        s.lms.sign_out(token).await?;
    }
    let mut response = see_other(&v, "/login", "You are signed out.");
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::clear(cookies::SESSION, v.secure),
    );
    Ok(response)
}

async fn account_page(me: Me) -> impl IntoResponse {
    views::auth::account(&me.visitor, &FieldErrors::default())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TimeZoneForm {
    pub time_zone: String,
}

async fn set_time_zone(
    State(s): State<AppState>,
    me: Me,
    Form(form): Form<TimeZoneForm>,
) -> Result<Response, WebError> {
    let result = s.lms.set_time_zone(me.user.id, Some(&form.time_zone)).await;
    outcome(
        result,
        |user| {
            let zone = user
                .time_zone
                .unwrap_or_else(|| "the site's time zone".into());
            see_other(
                &me.visitor,
                "/account",
                &format!("Times are now shown in {zone}."),
            )
        },
        |errors| views::auth::account(&me.visitor, errors),
    )
}

async fn password_page(me: Me) -> impl IntoResponse {
    views::auth::password(&me.visitor, &FieldErrors::default())
}

async fn change_password(
    State(s): State<AppState>,
    me: Me,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let result = s
        .lms
        .change_password(&me.session, &form.current_password, &form.new_password)
        .await;
    outcome(
        result,
        |_| {
            see_other(
                &me.visitor,
                "/",
                "Your password is changed. Other devices are signed out and your API tokens are revoked.",
            )
        },
        |errors| views::auth::password(&me.visitor, errors),
    )
}
