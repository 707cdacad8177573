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
        FieldErrors, User,
        courses::CourseView,
        gradebook::{Item, ItemInput},
        grading::RowInput,
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

/// One row of a grading sheet: points (`null` clears them; ignored when the assignment has a
/// rubric, whose chosen levels give the points) and feedback.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetRowSet {
    student_id: i64,
    #[serde(default)]
    points: Option<f64>,
    #[serde(default)]
    feedback: String,
    /// Criterion id → level id, for a rubric.
    #[serde(default)]
    levels: std::collections::BTreeMap<i64, i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetSet {
    rows: Vec<SheetRowSet>,
}

#[derive(Debug, Serialize)]
pub struct SheetSaved {
    changed: usize,
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

/// Saves many students' grades on an assignment at once: all rows or, when one is invalid,
/// none (422 naming each row's student).
pub async fn save_sheet(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    JsonBody(body): JsonBody<SheetSet>,
) -> Result<Json<SheetSaved>, ApiError> {
    let view = grader(&s, &user, &slug).await?;
    let rows: Vec<RowInput> = body
        .rows
        .into_iter()
        .map(|r| RowInput {
            student_id: r.student_id,
            points: r.points.map(|p| p.to_string()).unwrap_or_default(),
            feedback: r.feedback,
            levels: r
                .levels
                .into_iter()
                .map(|(c, l)| (c, l.to_string()))
                .collect(),
            ..RowInput::default()
        })
        .collect();
    match s.lms.save_sheet(&view, &user, id, &rows).await? {
        Ok(changed) => Ok(Json(SheetSaved { changed })),
        Err(errors) => {
            let mut all = FieldErrors::default();
            for (student, row) in &errors.0 {
                for e in row.iter() {
                    all.add(
                        "rows",
                        format!("student {student}: {}: {}", e.field, e.message),
                    );
                }
            }
            Err(ApiError::Invalid(all))
        }
    }
}
