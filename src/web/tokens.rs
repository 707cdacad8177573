//! The personal access token page: list one's own tokens, make one (shown once, on the page
//! that answers the form, never stored or sent again) and revoke one.

use axum::{
    Form,
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError,
    respond::{invalid, optional_id, see_other},
    routes::Routes,
    views,
    visitor::Me,
};
use crate::lms::{FieldErrors, LmsError};

pub fn routes() -> Routes {
    Routes::new()
        .get("/account/tokens", page)
        .post("/account/tokens", create)
        .post("/account/tokens/{id}/revoke", revoke)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    pub name: String,
    pub expires_in_days: String,
}

/// The tokens page exists only for those who may make tokens.
fn allowed(me: &Me) -> Result<(), WebError> {
    if me.visitor.may_make_api_tokens() {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

async fn page(State(s): State<AppState>, me: Me) -> Result<Response, WebError> {
    allowed(&me)?;
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
    allowed(&me)?;
    let Ok(days) = optional_id(&form.expires_in_days) else {
        let mut errors = FieldErrors::default();
        errors.add(
            "expires_in_days",
            "enter a whole number of days, or leave it empty",
        );
        return refused(&s, &me, &form, &errors).await;
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
        Err(LmsError::Invalid(errors)) => refused(&s, &me, &form, &errors).await,
        Err(e) => Err(e.into()),
    }
}

/// The page again with the form's errors and what was typed (422).
async fn refused(
    s: &AppState,
    me: &Me,
    form: &TokenForm,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let tokens = s.lms.tokens(&me.user).await?;
    Ok(invalid(views::tokens::page(
        &me.visitor,
        &tokens,
        form,
        errors,
        None,
    )))
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
