//! The gradebook's staff operations over the API: listing and adding items, setting one
//! student's grade (points and feedback) and releasing an item's grades. The JSON becomes the
//! same text inputs the gradebook forms send, so `lms::gradebook` checks everything once.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};

use super::{
    error::ApiError,
    extract::{Caller, JsonBody, Page, Paging, Path},
};
use crate::{
    lms::{
        User,
        courses::CourseView,
        gradebook::{Item, ItemInput},
        permissions,
    },
    web::AppState,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCreate {
    title: String,
    max_points: f64,
    #[serde(default = "one")]
    weight: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeSet {
    /// `null` clears the points.
    points: Option<f64>,
    #[serde(default)]
    feedback: String,
}

#[derive(Debug, Serialize)]
pub struct Released {
    released: u64,
}

/// The course as a grader sees it; 404 for everyone else.
async fn grader(s: &AppState, user: &User, slug: &str) -> Result<CourseView, ApiError> {
    let view = s.lms.course_view(user, slug).await?;
    view.require(permissions::can_grade)?;
    Ok(view)
}

pub async fn items(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    paging: Paging,
) -> Result<Json<Page<Item>>, ApiError> {
    let view = grader(&s, &user, &slug).await?;
    Ok(Json(paging.page(s.lms.gradebook_items(&view).await?)))
}

pub async fn add_item(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<ItemCreate>,
) -> Result<(StatusCode, Json<Item>), ApiError> {
    let view = grader(&s, &user, &slug).await?;
    let input = ItemInput {
        title: body.title,
        max_points: body.max_points.to_string(),
        weight: body.weight.to_string(),
    };
    Ok((
        StatusCode::CREATED,
        Json(s.lms.add_item(&view, &input).await?),
    ))
}

pub async fn grade(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, item, student)): Path<(String, i64, i64)>,
    JsonBody(body): JsonBody<GradeSet>,
) -> Result<StatusCode, ApiError> {
    let view = grader(&s, &user, &slug).await?;
    let points = body.points.map(|p| p.to_string()).unwrap_or_default();
    s.lms
        .grade(&view, &user, item, student, &points, &body.feedback)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn release(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, item)): Path<(String, i64)>,
) -> Result<Json<Released>, ApiError> {
    let view = grader(&s, &user, &slug).await?;
    let released = s.lms.release_grades(&view, item).await?;
    Ok(Json(Released { released }))
}
