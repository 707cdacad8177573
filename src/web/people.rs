//! Managing who is in a course: enroll one person by email, upload a CSV of `email,role`
//! lines (all or nothing), and unenroll.

use axum::{
    Form,
    extract::{Multipart, Path, State},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError,
    respond::{invalid, see_other},
    routes::Routes,
    views,
    visitor::Me,
};
use crate::lms::{FieldErrors, LineError, LmsError, courses::CourseView, permissions};

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/people", manage)
        .post("/courses/{slug}/people", enroll)
        .post("/courses/{slug}/people/csv", upload)
        .post("/courses/{slug}/people/{user_id}/remove", remove)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EnrollForm {
    pub email: String,
    pub role: String,
}

/// What went wrong on the page, if anything, and which form it belongs to.
pub enum Problem {
    None,
    Enroll(EnrollForm, FieldErrors),
    Csv(Vec<LineError>),
    Other(FieldErrors),
}

async fn managed(s: &AppState, me: &Me, slug: &str) -> Result<CourseView, WebError> {
    let view = s.lms.course_view(&me.user, slug).await?;
    view.require(permissions::can_manage_enrollments)?;
    Ok(view)
}

async fn page(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    problem: Problem,
) -> Result<Response, WebError> {
    let people = s.lms.enrollments(view).await?;
    let ok = matches!(problem, Problem::None);
    let markup = views::people::manage(&me.visitor, view, &people, &problem);
    Ok(if ok {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

/// Success redirects back to the list; a known problem shows the page again with it.
async fn finish(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    result: Result<String, LmsError>,
    form: Option<EnrollForm>,
) -> Result<Response, WebError> {
    let problem = match (result, form) {
        (Ok(message), _) => {
            return Ok(see_other(
                &me.visitor,
                &format!("/courses/{}/people", view.course().slug),
                &message,
            ));
        }
        (Err(LmsError::Invalid(errors)), Some(form)) => Problem::Enroll(form, errors),
        (Err(LmsError::Invalid(errors)), None) => Problem::Other(errors),
        (Err(LmsError::Csv(lines)), _) => Problem::Csv(lines),
        (Err(e), _) => return Err(e.into()),
    };
    page(s, me, view, problem).await
}

async fn manage(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let view = managed(&s, &me, &slug).await?;
    page(&s, &me, &view, Problem::None).await
}

async fn enroll(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    Form(form): Form<EnrollForm>,
) -> Result<Response, WebError> {
    let view = managed(&s, &me, &slug).await?;
    let result = s.lms.enroll(&view, &form.email, &form.role).await;
    let result = result.map(|user| format!("{} is enrolled.", user.display_name));
    finish(&s, &me, &view, result, Some(form)).await
}

async fn upload(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let view = managed(&s, &me, &slug).await?;
    let result = match csv_text(multipart).await? {
        Some(text) => s.lms.enroll_csv(&view, &text).await,
        None => Err(LmsError::field("file", "choose a CSV file in UTF-8 text")),
    };
    let result = result.map(|n| format!("{n} people enrolled from the file."));
    finish(&s, &me, &view, result, None).await
}

/// The text of the `file` field, if it is there and is UTF-8.
pub(super) async fn csv_text(mut multipart: Multipart) -> Result<Option<String>, WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| WebError::BadRequest(e.body_text());
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(bad)?;
            return Ok(String::from_utf8(bytes.to_vec())
                .ok()
                .filter(|t| !t.trim().is_empty()));
        }
    }
    Ok(None)
}

async fn remove(
    State(s): State<AppState>,
    me: Me,
    Path((slug, user_id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = managed(&s, &me, &slug).await?;
    let result = s
        .lms
        .unenroll(&view, user_id)
        .await
        .map(|()| "Unenrolled.".to_string());
    finish(&s, &me, &view, result, None).await
}
