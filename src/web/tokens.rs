//! The personal access token page: list one's own tokens, make one (shown once, on the page
//! that answers the form, never stored or sent again) and revoke one.

use axum::{
    Form, Router,
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;

use super::{
    AppState, WebError,
    respond::{invalid, optional_id, see_other},
    views,
    visitor::Me,
};
use crate::lms::{FieldErrors, LmsError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/tokens", get(page).post(create))
        .route("/account/tokens/{id}/revoke", post(revoke))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    pub name: String,
    pub expires_in_days: String,
}

async fn page(State(s): State<AppState>, me: Me) -> Result<Response, WebError> {
    let tokens = s.lms.tokens(&me.user).await?;
    let form = TokenForm {
        expires_in_days: "90".into(),
        ..TokenForm::default()
    };
    Ok(
        views::tokens::page(&me.visitor, &tokens, &form, &FieldErrors::default(), None)
            .into_response(),
    )
}

async fn create(
    State(s): State<AppState>,
    me: Me,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    let days = match optional_id(&form.expires_in_days) {
        Ok(days) => days,
        Err(_) => {
            let errors = days_error();
            let tokens = s.lms.tokens(&me.user).await?;
            return Ok(invalid(views::tokens::page(
                &me.visitor,
                &tokens,
                &form,
                &errors,
                None,
            )));
        }
    };
    match s.lms.create_token(&me.user, &form.name, days).await {
        Ok(new) => {
            let tokens = s.lms.tokens(&me.user).await?;
            let markup = views::tokens::page(
                &me.visitor,
                &tokens,
                &TokenForm::default(),
                &FieldErrors::default(),
                Some(&new),
            );
            // The secret is in this page only: no cache may keep it.
            Ok(([(header::CACHE_CONTROL, "no-store")], markup).into_response())
        }
        Err(LmsError::Invalid(errors)) => {
            let tokens = s.lms.tokens(&me.user).await?;
            Ok(invalid(views::tokens::page(
                &me.visitor,
                &tokens,
                &form,
                &errors,
                None,
            )))
        }
        Err(e) => Err(e.into()),
    }
}

fn days_error() -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add(
        "expires_in_days",
        "enter a whole number of days, or leave it empty",
    );
    errors
}

async fn revoke(
    State(s): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    s.lms.revoke_token(&me.user, id).await?;
    Ok(see_other(
        &me.visitor,
        "/account/tokens",
        "Token revoked. Scripts using it now get 401.",
    ))
}
