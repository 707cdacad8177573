//! Courses over the API: the courses the caller sees (paginated), one course, creating and
//! changing one. The same `lms` functions as the course pages.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};

use super::{
    error::ApiError,
    extract::{Caller, JsonBody, Page, Paging, Path},
};
use crate::{
    lms::{Course, CourseInput, CourseRole},
    web::AppState,
};

/// A course with the caller's role in it (`null`: not enrolled, an administrator).
#[derive(Debug, Serialize)]
pub struct CourseEntry {
    #[serde(flatten)]
    course: Course,
    role: Option<CourseRole>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseCreate {
    title: String,
    slug: String,
    #[serde(default)]
    description: String,
    #[serde(default = "draft")]
    status: String,
}

fn draft() -> String {
    "draft".into()
}

/// The fields to change; the others keep their values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoursePatch {
    title: Option<String>,
    slug: Option<String>,
    description: Option<String>,
    status: Option<String>,
}

pub async fn list(
    State(s): State<AppState>,
    Caller(user): Caller,
    paging: Paging,
) -> Result<Json<Page<CourseEntry>>, ApiError> {
    let courses = s.lms.my_courses(&user).await?;
    let entries = courses
        .into_iter()
        .map(|(course, role)| CourseEntry { course, role })
        .collect();
    Ok(Json(paging.page(entries)))
}

pub async fn show(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
) -> Result<Json<CourseEntry>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    Ok(Json(CourseEntry {
        role: view.access().course,
        course: view.course().clone(),
    }))
}

pub async fn create(
    State(s): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<CourseCreate>,
) -> Result<(StatusCode, Json<CourseEntry>), ApiError> {
    let input = CourseInput {
        title: body.title,
        slug: body.slug,
        description: body.description,
        status: body.status,
    };
    let course = s.lms.create_course(&user, &input).await?;
    let entry = CourseEntry {
        course,
        role: Some(CourseRole::Teacher),
    };
    Ok((StatusCode::CREATED, Json(entry)))
}

pub async fn update(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    JsonBody(patch): JsonBody<CoursePatch>,
) -> Result<Json<CourseEntry>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let current = CourseInput::from_course(view.course());
    let input = CourseInput {
        title: patch.title.unwrap_or(current.title),
        slug: patch.slug.unwrap_or(current.slug),
        description: patch.description.unwrap_or(current.description),
        status: patch.status.unwrap_or(current.status),
    };
    let course = s.lms.update_course(&view, &input).await?;
    Ok(Json(CourseEntry {
        course,
        role: view.access().course,
    }))
}
