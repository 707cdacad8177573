//! The caller's own account over the API: who the token acts for, its owner's tokens, and
//! revoking one (a script can retire its own token). Tokens are made on the account page or
//! with `paideia user token create`, never with another token.

use axum::{Json, extract::State, http::StatusCode};

use super::{
    error::ApiError,
    extract::{Caller, Page, Paging, Path},
};
use crate::{
    lms::{User, tokens::ApiToken},
    web::AppState,
};

pub async fn me(Caller(user): Caller) -> Json<User> {
    Json(user)
}

pub async fn tokens(
    State(s): State<AppState>,
    Caller(user): Caller,
    paging: Paging,
) -> Result<Json<Page<ApiToken>>, ApiError> {
    Ok(Json(paging.page(s.lms.tokens(&user).await?)))
}

/// Revokes one of the caller's tokens (another person's answers 404).
pub async fn revoke_token(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    s.lms.revoke_token(&user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
