//! Modules, submissions and grades over the API: listing and reading modules, adding pages
//! and assignments, handing in text answers, listing submissions (everyone's for staff, one's
//! own for students) and grades (the gradebook for staff, one's released grades for students).
//! Every rule stays in `lms`; this file only turns JSON into its inputs.

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    deprecation::Used,
    error::ApiError,
    extract::{Caller, JsonBody, Page, Paging, Path},
};
use crate::{
    deprecations,
    lms::{
        LmsError,
        assignments::{Assignment, AssignmentInput},
        attachments,
        gradebook::Report,
        media::Media,
        modules::{Module, ModuleKind, PageInput},
        permissions,
        richtext::Format,
        submissions::Submission,
    },
    web::AppState,
};

/// A module, with its assignment settings when it is an assignment, and the files its text
/// holds.
#[derive(Debug, Serialize)]
pub struct ModuleDetail {
    #[serde(flatten)]
    module: Module,
    assignment: Option<serde_json::Value>,
    attachments: Vec<AttachmentEntry>,
}

/// A file of a module's text and the path the pages serve it at (signed-in browsers; with a
/// token, `GET …/modules/{id}/attachments/{media}`).
#[derive(Debug, Serialize)]
pub struct AttachmentEntry {
    #[serde(flatten)]
    media: Media,
    path: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageCreate {
    section_id: i64,
    title: String,
    #[serde(default)]
    body: String,
    /// `markdown` or `html` (the default, as before the editor).
    body_format: Option<String>,
    /// The old name of `body_format`, deprecated (`PageCreate.format` in the registry).
    format: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentCreate {
    section_id: i64,
    title: String,
    #[serde(default)]
    instructions: String,
    instructions_format: Option<String>,
    opens_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
    cutoff_at: Option<DateTime<Utc>>,
    max_attempts: Option<i64>,
    #[serde(default)]
    allowed_file_types: Vec<String>,
    max_file_mib: Option<i64>,
    #[serde(default = "yes")]
    accepts_text: bool,
    #[serde(default)]
    accepts_files: bool,
    max_points: f64,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmissionCreate {
    body_text: String,
}

impl AssignmentCreate {
    /// The form the assignment pages send, so the same checks apply (times to the second).
    fn into_input(self) -> Result<AssignmentInput, ApiError> {
        let time = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let flag = |on: bool| on.then(|| "on".to_string());
        Ok(AssignmentInput {
            // Every time here carries its offset; the zone is never consulted.
            zone: crate::lms::Zone::UTC,
            section_id: self.section_id.to_string(),
            title: self.title,
            instructions: self.instructions,
            instructions_format: format("instructions_format", self.instructions_format)?,
            opens_at: time(self.opens_at),
            due_at: time(self.due_at),
            cutoff_at: time(self.cutoff_at),
            max_attempts: number(self.max_attempts),
            allowed_file_types: self.allowed_file_types.join(","),
            max_file_mib: number(self.max_file_mib),
            accepts_text: flag(self.accepts_text),
            accepts_files: flag(self.accepts_files),
            max_points: self.max_points.to_string(),
        })
    }
}

/// A text's format as sent: `markdown`, `html`, or absent for HTML.
fn format(field: &'static str, sent: Option<String>) -> Result<String, ApiError> {
    match sent {
        None => Ok(String::new()),
        Some(text) if Format::parse(&text).is_some() => Ok(text),
        Some(_) => Err(LmsError::field(field, "use `markdown` or `html`").into()),
    }
}

/// An assignment's own settings, without the module they belong to.
fn settings(a: &Assignment) -> Result<serde_json::Value, ApiError> {
    let mut value = serde_json::to_value(a).map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Some(object) = value.as_object_mut() {
        object.remove("module");
    }
    Ok(value)
}

pub async fn modules(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    paging: Paging,
) -> Result<Json<Page<Module>>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    Ok(Json(paging.page(s.lms.modules(&view).await?)))
}

pub async fn module(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Json<ModuleDetail>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let module = s.lms.module(&view, id).await?;
    let assignment = match module.kind {
        ModuleKind::Assignment => Some(settings(&s.lms.assignment(&view, id).await?)?),
        _ => None,
    };
    let attachments = attachment_entries(s.lms.attachments(&view, id).await?);
    Ok(Json(ModuleDetail {
        module,
        assignment,
        attachments,
    }))
}

fn attachment_entries(media: Vec<Media>) -> Vec<AttachmentEntry> {
    media
        .into_iter()
        .map(|media| AttachmentEntry {
            path: attachments::path(media.id, &media.file_name),
            media,
        })
        .collect()
}

pub async fn add_page(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<PageCreate>,
) -> Result<(StatusCode, Used, Json<Module>), ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    view.require(permissions::can_edit_content)?;
    let mut used = Used::default();
    let body_format = match (body.body_format, body.format) {
        (Some(_), Some(_)) => {
            return Err(LmsError::field(
                "format",
                "send body_format only (format is its deprecated old name)",
            )
            .into());
        }
        (Some(new), None) => format("body_format", Some(new))?,
        (None, old) => {
            if old.is_some() {
                used.0.push(deprecations::api_field("PageCreate.format"));
            }
            format("format", old)?
        }
    };
    let input = PageInput {
        section_id: body.section_id.to_string(),
        title: body.title,
        body: body.body,
        body_format,
    };
    Ok((
        StatusCode::CREATED,
        used,
        Json(s.lms.add_page(&view, &input).await?),
    ))
}

pub async fn add_assignment(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<AssignmentCreate>,
) -> Result<(StatusCode, Json<ModuleDetail>), ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    view.require(permissions::can_edit_content)?;
    let a = s.lms.add_assignment(&view, &body.into_input()?).await?;
    let detail = ModuleDetail {
        assignment: Some(settings(&a)?),
        attachments: Vec::new(),
        module: a.module,
    };
    Ok((StatusCode::CREATED, Json(detail)))
}

/// Staff see every attempt; a student sees their own.
pub async fn submissions(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    paging: Paging,
) -> Result<Json<Page<Submission>>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let list = if permissions::can_grade(view.access()) {
        s.lms.all_submissions(&view, id).await?
    } else {
        s.lms.my_submissions(&view, &user, id).await?
    };
    Ok(Json(paging.page(list)))
}

/// A text answer (JSON); files come as a multipart form through `files::submit_files`.
pub async fn submit(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    JsonBody(body): JsonBody<SubmissionCreate>,
) -> Result<(StatusCode, Json<Submission>), ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let submission = s.lms.submit(&view, &user, id, &body.body_text, &[]).await?;
    Ok((StatusCode::CREATED, Json(submission)))
}

/// The gradebook for staff; a student's own line of released grades.
pub async fn grades(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
) -> Result<Json<Report>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let report = if permissions::can_grade(view.access()) {
        s.lms.gradebook(&view).await?
    } else {
        s.lms.my_grades(&view, &user).await?
    };
    Ok(Json(report))
}
