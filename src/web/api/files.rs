//! Files over the API: handing in an attempt as a multipart form (the page's own upload code,
//! so the same size limit, file types and storage keys apply) and downloading a submission's
//! file, a file module or a text's attachment (the page's download code: the same permission
//! checks, byte ranges and safe headers).

use axum::{
    Json,
    extract::{Multipart, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};

use super::{
    error::ApiError,
    extract::{Caller, Path},
};
use crate::{
    lms::submissions::Submission,
    web::{
        AppState, download,
        modules::send_module_file,
        submissions::{HandIn, hand_in, send_submission_file},
    },
};

/// A multipart form: `body_text` (optional) and any number of `files` fields.
pub async fn submit_files(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<Submission>), ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let HandIn { result, .. } = hand_in(&s, &view, &user, id, multipart).await?;
    Ok((StatusCode::CREATED, Json(result?)))
}

pub async fn submission_file(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, submission, media)): Path<(String, i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    Ok(send_submission_file(&s, &user, &slug, submission, media, &headers).await?)
}

/// A page's or an assignment's attachment (members of the course).
pub async fn attachment(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id, media)): Path<(String, i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let media = s.lms.module_attachment(&view, id, media).await?;
    Ok(download::send(&s.storage, &media, &headers).await?)
}

pub async fn module_file(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    Ok(send_module_file(&s, &user, &slug, id, &headers).await?)
}
