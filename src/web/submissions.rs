//! Handing in and grading work over HTTP: an assignment's page (the student's attempts, grade
//! and form; links for staff), the multipart submission with files streamed to storage, the
//! staff list of every submission with grading forms, and downloads of submitted files.

use axum::{
    extract::{Multipart, Path, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
};

use super::{
    AppState, WebError, download,
    modules::MAX_UPLOAD_BODY_BYTES,
    respond::invalid,
    respond::see_other,
    routes::Routes,
    upload::{self, FileRule},
    views::{self, grading::AssignmentPage},
    visitor::Me,
};
use crate::lms::{
    FieldErrors, LmsError, User, assignments::window, courses::CourseView, permissions,
    submissions::Submission,
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/modules/{id}/submissions", list)
        .post_upload(
            "/courses/{slug}/modules/{id}/submissions",
            submit,
            MAX_UPLOAD_BODY_BYTES,
        )
        .get(
            "/courses/{slug}/submissions/{submission}/files/{media}",
            download_file,
        )
}

/// An assignment's page for whoever looks: with `text` and `errors` when a submission was
/// refused (422), so the answer typed is kept.
pub async fn assignment_page(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    id: i64,
    text: &str,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let assignment = s.lms.assignment(view, id).await?;
    let student = permissions::can_submit(view.access());
    let (mine, grade) = if student {
        let report = s.lms.my_grades(view, &me.user).await?;
        let at = report.assignment_column(id)?;
        let grade = report.lines.first().and_then(|l| l.grades[at].clone());
        (s.lms.my_submissions(view, &me.user, id).await?, grade)
    } else {
        (Vec::new(), None)
    };
    let page = AssignmentPage {
        window: window(&assignment, s.lms.now()),
        assignment: &assignment,
        student,
        mine: &mine,
        grade: grade.as_ref(),
        text,
        errors,
        now: s.lms.now(),
    };
    let markup = views::grading::assignment(&me.visitor, view, &page);
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

/// What a multipart hand-in brought: the text typed (kept for the form) and the outcome.
pub struct HandIn {
    pub text: String,
    pub result: Result<Submission, LmsError>,
}

/// Checks that `user` may hand in now, streams the form's `files` into storage with the
/// assignment's size limit and file types, and records the attempt with `body_text`; files
/// are removed again when the attempt is refused. Shared by the page and the API.
pub async fn hand_in(
    s: &AppState,
    view: &CourseView,
    user: &User,
    id: i64,
    multipart: Multipart,
) -> Result<HandIn, WebError> {
    let assignment = match s.lms.submission_check(view, user, id).await {
        Ok(a) => a,
        Err(e) => {
            return Ok(HandIn {
                text: String::new(),
                result: Err(e),
            });
        }
    };
    let check_name = |name: &str| assignment.check_file_name(name);
    let rule = FileRule {
        name: "files",
        max_bytes: assignment.max_file_bytes as u64,
        check_name: &check_name,
    };
    let upload = upload::receive(&s.storage, multipart, &rule, s.lms.now()).await?;
    let text = upload.field("body_text");
    let result = match upload.refused.as_slice() {
        [] => s.lms.submit(view, user, id, &text, &upload.files).await,
        reasons => {
            let mut errors = FieldErrors::default();
            for reason in reasons {
                errors.add("files", reason.clone());
            }
            Err(LmsError::Invalid(errors))
        }
    };
    if result.is_err() {
        upload::discard(&s.storage, &upload.files).await;
    }
    Ok(HandIn { text, result })
}

async fn submit(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let HandIn { text, result } = hand_in(&s, &view, &me.user, id, multipart).await?;
    match result {
        Ok(submission) => {
            let late = if submission.is_late {
                " It is late."
            } else {
                ""
            };
            let message = format!("Attempt {} handed in.{late}", submission.attempt);
            Ok(see_other(
                &me.visitor,
                &format!("/courses/{slug}/modules/{id}"),
                &message,
            ))
        }
        Err(LmsError::Invalid(errors)) => assignment_page(&s, &me, &view, id, &text, &errors).await,
        Err(e) => Err(e.into()),
    }
}

/// Every submission with the grading form for each student.
async fn list(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_grade)?;
    let assignment = s.lms.assignment(&view, id).await?;
    let submissions = s.lms.all_submissions(&view, id).await?;
    let report = s.lms.gradebook(&view).await?;
    let item = &report.items[report.assignment_column(id)?];
    Ok(
        views::grading::submissions(&me.visitor, &view, &assignment, item, &report, &submissions)
            .into_response(),
    )
}

async fn download_file(
    State(s): State<AppState>,
    me: Me,
    Path((slug, submission, media)): Path<(String, i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    send_submission_file(&s, &me.user, &slug, submission, media, &headers).await
}

/// A file of a submission, for staff and the student who handed it in (page and API).
pub async fn send_submission_file(
    s: &AppState,
    user: &User,
    slug: &str,
    submission: i64,
    media: i64,
    headers: &HeaderMap,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(user, slug).await?;
    let media = s
        .lms
        .submission_file(&view, user, submission, media)
        .await?;
    download::send(&s.storage, &media, headers).await
}
