//! The one stylesheet, compiled into the binary and served from it: no CDN, nothing fetched.

use axum::{http::header, response::IntoResponse};

const STYLESHEET: &str = include_str!("style.css");

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}
