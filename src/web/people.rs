//! Who is in a course: the list a page at a time with a search (for staff), and managing it
//! (for teachers): enroll one person by email, upload a CSV of `email,role` lines (all or
//! nothing), and unenroll.

use axum::{
    Form,
    extract::{Multipart, Path, Query, State},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError,
    respond::{invalid, see_other},
    routes::Routes,
    views,
    views::people::PeopleSearch,
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

/// People shown on one page of the list.
const PEOPLE_PER_PAGE: i64 = 50;

async fn managed(s: &AppState, me: &Me, slug: &str) -> Result<CourseView, WebError> {
    let view = s.lms.course_view(&me.user, slug).await?;
    view.require(permissions::can_manage_enrollments)?;
    Ok(view)
}

async fn page(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    search: &PeopleSearch,
    problem: Problem,
) -> Result<Response, WebError> {
    let found = s
        .lms
        .find_enrollments(view, &search.q, search.page.max(1), PEOPLE_PER_PAGE)
        .await?;
    let ok = matches!(problem, Problem::None);
    let markup = views::people::manage(&me.visitor, view, search, &found, &problem);
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
    page(s, me, view, &PeopleSearch::default(), problem).await
}

/// The list, to everyone who may see the course's people (with the forms for those who
/// manage them).
async fn manage(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    Query(search): Query<PeopleSearch>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_see_people)?;
    page(&s, &me, &view, &search, Problem::None).await
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
