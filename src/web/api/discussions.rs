//! Discussions over the API: a course's forums with the caller's counts, a forum's threads,
//! a thread's posts (as the caller may see them: students never get hidden ones), starting a
//! thread and replying. Reading a thread's posts here does not mark them read; the pages do.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;

use super::{
    error::ApiError,
    extract::{Caller, JsonBody, Page, Paging, Path},
};
use crate::{
    lms::{
        attachments::TextEdit,
        discussions::{ForumSummary, Post, ReplyInput, Thread, ThreadInput},
    },
    web::AppState,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreadCreate {
    title: String,
    body: String,
    /// `markdown` (the default) or `html`.
    format: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostCreate {
    body: String,
    format: Option<String>,
    /// The post replied to (a reply to a reply joins its top-level post).
    parent_id: Option<i64>,
}

/// A text's format as sent: `markdown`, `html`, or absent for Markdown.
fn format(sent: Option<String>) -> Result<String, ApiError> {
    let text = sent.unwrap_or_else(|| "markdown".into());
    match crate::lms::richtext::Format::parse(&text) {
        Some(f) => Ok(f.as_str().into()),
        None => Err(crate::lms::LmsError::field("format", "use `markdown` or `html`").into()),
    }
}

pub async fn forums(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    paging: Paging,
) -> Result<Json<Page<ForumSummary>>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    Ok(Json(paging.page(s.lms.forums(&view, &user).await?)))
}

pub async fn threads(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    paging: Paging,
) -> Result<Json<Page<Thread>>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    Ok(Json(paging.page(s.lms.threads(&view, &user, id).await?)))
}

pub async fn start_thread(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    JsonBody(body): JsonBody<ThreadCreate>,
) -> Result<(StatusCode, Json<Thread>), ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let input = ThreadInput {
        title: body.title,
        body: body.body,
        body_format: format(body.format)?,
    };
    let saved = s
        .lms
        .start_thread(&view, &user, id, &input, &TextEdit::default())
        .await?;
    Ok((StatusCode::CREATED, Json(saved.value)))
}

pub async fn posts(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    paging: Paging,
) -> Result<Json<Page<Post>>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    Ok(Json(paging.page(s.lms.posts(&view, &user, id).await?)))
}

pub async fn reply(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    JsonBody(body): JsonBody<PostCreate>,
) -> Result<(StatusCode, Json<Post>), ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let input = ReplyInput {
        parent_id: body.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        body: body.body,
        body_format: format(body.format)?,
    };
    let saved = s
        .lms
        .reply(&view, &user, id, &input, &TextEdit::default())
        .await?;
    Ok((StatusCode::CREATED, Json(saved.value)))
}
