//! A course's sections and enrollments over the API: listing (paginated), adding a section,
//! enrolling by email (or changing a role) or from `email,role` CSV text, and unenrolling, through the same `lms` functions
//! as the course pages.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};

use super::{
    error::ApiError,
    extract::{Caller, JsonBody, Page, Paging, Path},
};
use crate::{
    lms::{enrollments::Enrollment, sections::Section},
    web::AppState,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionCreate {
    title: String,
    #[serde(default)]
    parent_id: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollmentCreate {
    email: String,
    #[serde(default = "student")]
    role: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollmentCsv {
    /// `email,role` lines, as in the file the people page takes.
    csv: String,
}

#[derive(Debug, Serialize)]
pub struct Enrolled {
    enrolled: usize,
}

fn student() -> String {
    "student".into()
}

pub async fn sections(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    paging: Paging,
) -> Result<Json<Page<Section>>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    Ok(Json(paging.page(s.lms.sections(&view).await?)))
}

pub async fn add_section(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<SectionCreate>,
) -> Result<(StatusCode, Json<Section>), ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let section = s
        .lms
        .add_section(&view, &body.title, body.parent_id)
        .await?;
    Ok((StatusCode::CREATED, Json(section)))
}

pub async fn enrollments(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    paging: Paging,
) -> Result<Json<Page<Enrollment>>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    Ok(Json(paging.page(s.lms.enrollments(&view).await?)))
}

/// Enrolls by email, or changes the role of someone already enrolled.
pub async fn enroll(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<EnrollmentCreate>,
) -> Result<Json<Enrollment>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let enrolled = s.lms.enroll(&view, &body.email, &body.role).await?;
    let enrollment = s
        .lms
        .enrollments(&view)
        .await?
        .into_iter()
        .find(|e| e.user.id == enrolled.id)
        .ok_or(ApiError::NotFound)?;
    Ok(Json(enrollment))
}

pub async fn unenroll(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, user_id)): Path<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    s.lms.unenroll(&view, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enrolls everyone listed, or no one when a line is wrong (422 naming each bad line).
pub async fn enroll_csv(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<EnrollmentCsv>,
) -> Result<Json<Enrolled>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let enrolled = s.lms.enroll_csv(&view, &body.csv).await?;
    Ok(Json(Enrolled { enrolled }))
}
