//! Quizzes over the API: a quiz as the caller meets it, starting (or resuming) an attempt,
//! saving answers, submitting, and reading an attempt. Attempts come back filtered by the
//! quiz's review options exactly as the pages show them (`Lms::attempt_view`).

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;

use super::{
    error::ApiError,
    extract::{Caller, JsonBody, Path},
};
use crate::{
    lms::quizzes::{
        Response,
        attempts::{AttemptView, QuizInfo},
    },
    web::AppState,
};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttemptStart {
    #[serde(default)]
    password: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    slot: i64,
    response: Response,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersSave {
    /// The page to move to (0-based); absent: stay.
    page: Option<i64>,
    answers: Vec<Answer>,
}

pub async fn quiz(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Json<QuizInfo>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    Ok(Json(s.lms.quiz_info(&view, &user, id).await?))
}

pub async fn start(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    JsonBody(body): JsonBody<AttemptStart>,
) -> Result<(StatusCode, Json<AttemptView>), ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let attempt = s
        .lms
        .start_attempt(&view, &user, id, &body.password)
        .await?;
    let shown = s.lms.attempt_view(&view, &user, attempt.id).await?;
    Ok((StatusCode::CREATED, Json(shown)))
}

pub async fn attempt(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Json<AttemptView>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    Ok(Json(s.lms.attempt_view(&view, &user, id).await?))
}

pub async fn save(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    JsonBody(body): JsonBody<AnswersSave>,
) -> Result<Json<AttemptView>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let answers: Vec<(i64, Response)> = body
        .answers
        .into_iter()
        .map(|a| (a.slot, a.response))
        .collect();
    s.lms
        .save_answers(&view, &user, id, body.page, &answers)
        .await?;
    Ok(Json(s.lms.attempt_view(&view, &user, id).await?))
}

pub async fn submit(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Json<AttemptView>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    s.lms.submit_attempt(&view, &user, id).await?;
    Ok(Json(s.lms.attempt_view(&view, &user, id).await?))
}
