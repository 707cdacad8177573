//! The stylesheet, the editor's script and the quiz attempt's script, compiled into the binary and served from it: no
//! CDN, nothing fetched, no build step (the script is a hand-written ES module).

use axum::{http::header, response::IntoResponse};

const STYLESHEET: &str = include_str!("style.css");
const EDITOR_SCRIPT: &str = include_str!("editor.js");
const QUIZ_SCRIPT: &str = include_str!("quiz.js");

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

/// The attempt page's countdown and save-on-change (`quiz.js`).
pub async fn quiz_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        QUIZ_SCRIPT,
    )
}
