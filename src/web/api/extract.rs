//! What API handlers take from a request: the caller (only from `Authorization: Bearer`,
//! never from a session cookie, so the API needs no CSRF token), JSON bodies, path and query
//! parameters with their rejections in the API's error shape, and the pagination envelope.

use axum::{
    extract::{FromRequest, FromRequestParts, Query},
    http::{header, request::Parts},
};
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use crate::{
    lms::{User, permissions},
    web::AppState,
};

/// The account behind the request's bearer token.
pub struct Caller(pub User);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized(
            "send a personal access token: `Authorization: Bearer pdia_...`",
        ))?;
        let user = s
            .lms
            .token_user(token)
            .await?
            .ok_or(ApiError::Unauthorized(
                "the token is unknown, expired or revoked, or its account is disabled",
            ))?;
        if !permissions::can_administer_site(user.role)
            && s.lms.site_settings().await?.maintenance_mode
        {
            return Err(ApiError::Maintenance);
        }
        Ok(Caller(user))
    }
}

/// The token of an `Authorization: Bearer <token>` header (the scheme in any case).
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// A JSON body; every rejection in the API's error shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct JsonBody<T>(pub T);

/// Path parameters; a malformed one is a 400 in the API's error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

pub const DEFAULT_PER_PAGE: usize = 20;
pub const MAX_PER_PAGE: usize = 100;

/// `?page=&per_page=`: 1-based page, at most `MAX_PER_PAGE` items a page.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct Paging {
    page: Option<usize>,
    per_page: Option<usize>,
}

impl<S: Send + Sync> FromRequestParts<S> for Paging {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(paging) = Query::<Paging>::from_request_parts(parts, state).await?;
        let bad = |message: String| ApiError::BadRequest {
            code: "bad_query",
            message,
        };
        if paging.page == Some(0) {
            return Err(bad("`page` counts from 1".into()));
        }
        if paging.per_page.is_some_and(|n| n == 0 || n > MAX_PER_PAGE) {
            return Err(bad(format!("`per_page` must be from 1 to {MAX_PER_PAGE}")));
        }
        Ok(paging)
    }
}

/// One page of a list, with where it is in the whole.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: usize,
    pub per_page: usize,
    pub total: usize,
}

impl Paging {
    /// The requested page of `all` (empty past the end).
    pub fn page<T>(self, all: Vec<T>) -> Page<T> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        let total = all.len();
        let items = all
            .into_iter()
            .skip((page - 1).saturating_mul(per_page))
            .take(per_page)
            .collect();
        Page {
            items,
            page,
            per_page,
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cut_the_list() {
        let paging = |page, per_page| Paging {
            page: Some(page),
            per_page: Some(per_page),
        };
        let p = paging(2, 3).page((1..=7).collect::<Vec<_>>());
        assert_eq!(
            (p.items, p.total, p.page, p.per_page),
            (vec![4, 5, 6], 7, 2, 3)
        );
        assert_eq!(
            paging(3, 3).page((1..=7).collect::<Vec<_>>()).items,
            vec![7]
        );
        assert!(
            paging(9, 3)
                .page((1..=7).collect::<Vec<_>>())
                .items
                .is_empty()
        );
        let default = Paging {
            page: None,
            per_page: None,
        }
        .page((1..=30).collect::<Vec<_>>());
        assert_eq!((default.items.len(), default.page), (DEFAULT_PER_PAGE, 1));
    }
}
