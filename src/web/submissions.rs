//! Handing in and grading work over HTTP: an assignment's page (the student's attempts, grade
//! and form; links for staff), the multipart submission with files streamed to storage, the
//! staff list of every submission with grading forms, and downloads of submitted files.

use axum::{
    Router,
    extract::{DefaultBodyLimit, Multipart, Path, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
    routing::get,
};

use super::{
    AppState, WebError, download,
    modules::MAX_UPLOAD_BODY_BYTES,
    respond::invalid,
    respond::see_other,
    upload::{self, FileRule},
    views::{self, grading::AssignmentPage},
    visitor::Me,
};
use crate::lms::{FieldErrors, LmsError, assignments::window, courses::CourseView, permissions};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/courses/{slug}/modules/{id}/submissions",
            get(list)
                .post(submit)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY_BYTES)),
        )
        .route(
            "/courses/{slug}/submissions/{submission}/files/{media}",
            get(download_file),
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
        let item = s.lms.assignment_item(view, id).await?;
        let report = s.lms.my_grades(view, &me.user).await?;
        let grade = report
            .items
            .iter()
            .position(|i| i.id == item.id)
            .and_then(|at| report.lines.first().and_then(|l| l.grades[at].clone()));
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
    };
    let markup = views::grading::assignment(&me.visitor, view, &page);
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn submit(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let assignment = match s.lms.submission_check(&view, &me.user, id).await {
        Ok(a) => a,
        Err(LmsError::Invalid(errors)) => {
            return assignment_page(&s, &me, &view, id, "", &errors).await;
        }
        Err(e) => return Err(e.into()),
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
        [] => {
            s.lms
                .submit(&view, &me.user, id, &text, &upload.files)
                .await
        }
        reasons => {
            let mut errors = FieldErrors::default();
            for reason in reasons {
                errors.add("files", reason.clone());
            }
            Err(LmsError::Invalid(errors))
        }
    };
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
        Err(e) => {
            upload::discard(&s.storage, &upload.files).await;
            match e {
                LmsError::Invalid(errors) => {
                    assignment_page(&s, &me, &view, id, &text, &errors).await
                }
                e => Err(e.into()),
            }
        }
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
    let item = s.lms.assignment_item(&view, id).await?;
    let report = s.lms.gradebook(&view).await?;
    Ok(views::grading::submissions(
        &me.visitor,
        &view,
        &assignment,
        &item,
        &report,
        &submissions,
    )
    .into_response())
}

async fn download_file(
    State(s): State<AppState>,
    me: Me,
    Path((slug, submission, media)): Path<(String, i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let media = s
        .lms
        .submission_file(&view, &me.user, submission, media)
        .await?;
    download::send(&s.storage, &media, &headers).await
}
