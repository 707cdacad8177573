//! The stylesheet and the editor's script, compiled into the binary and served from it: no
//! CDN, nothing fetched, no build step (the script is a hand-written ES module).

use axum::{http::header, response::IntoResponse};

const STYLESHEET: &str = include_str!("style.css");
const EDITOR_SCRIPT: &str = include_str!("editor.js");

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

pub async fn editor_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        EDITOR_SCRIPT,
    )
}
