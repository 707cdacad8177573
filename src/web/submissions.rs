//! Handing in and grading work over HTTP: an assignment's page (the student's attempts, grade
//! and form; links for staff), the multipart submission with files streamed to storage, the
//! staff grading table saved in one submit, and downloads of submitted files.

use std::collections::{BTreeMap, HashMap};

use axum::{
    extract::{Multipart, Path, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
};

use super::{
    AppState, WebError, archive, download,
    modules::MAX_UPLOAD_BODY_BYTES,
    respond::invalid,
    respond::see_other,
    routes::Routes,
    upload::{self, FileRule},
    views::{
        self,
        grading::{AssignmentPage, SheetForm},
    },
    visitor::Me,
};
use crate::lms::{
    FieldErrors, LmsError, User,
    assignments::{MAX_FILE_MIB, window},
    courses::CourseView,
    grading::{self, RowInput, SheetErrors},
    permissions,
    submissions::Submission,
};

/// The file fields of the grading table: `feedback_file-STUDENT`.
const FEEDBACK_FILE: &str = "feedback_file-";

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/modules/{id}/submissions", list)
        .post_upload(
            "/courses/{slug}/modules/{id}/submissions",
            submit,
            MAX_UPLOAD_BODY_BYTES,
        )
        .get("/courses/{slug}/modules/{id}/submissions.zip", download_all)
        .post_upload(
            "/courses/{slug}/modules/{id}/grades",
            save_sheet,
            MAX_UPLOAD_BODY_BYTES,
        )
        .get(
            "/courses/{slug}/submissions/{submission}/files/{media}",
            download_file,
        )
        .get(
            "/courses/{slug}/grades/items/{item}/files/{media}",
            download_feedback_file,
        )
        .get("/courses/{slug}/modules/{id}/rubric", rubric_page)
        .post("/courses/{slug}/modules/{id}/rubric", save_rubric)
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
    let my_rubric = if student {
        s.lms.my_rubric(view, &me.user, id).await?
    } else {
        None
    };
    let (mine, grade, feedback_files) = if student {
        let report = s.lms.my_grades(view, &me.user).await?;
        let at = report.assignment_column(id)?;
        let grade = report.lines.first().and_then(|l| l.grades[at].clone());
        (
            s.lms.my_submissions(view, &me.user, id).await?,
            grade,
            s.lms.my_feedback_files(view, &me.user, id).await?,
        )
    } else {
        (Vec::new(), None, Vec::new())
    };
    let item = s.lms.assignment_item(view, id).await?;
    let page = AssignmentPage {
        window: window(&assignment, s.lms.now()),
        assignment: &assignment,
        student,
        mine: &mine,
        grade: grade.as_ref(),
        feedback_files: &feedback_files,
        rubric: my_rubric.as_ref().map(|(r, l)| (r, l)),
        item_id: item.id,
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

/// The grading table: every student, their latest attempt and grade.
async fn list(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let sheet = match s.lms.grading_sheet(&view, id).await {
        Ok(sheet) => sheet,
        // A graded forum's grading table lists posts instead (the gradebook links here).
        Err(LmsError::NotFound)
            if permissions::can_grade(view.access())
                && s.lms.module(&view, id).await?.kind
                    == crate::lms::modules::ModuleKind::Forum =>
        {
            let to = format!("{}/grades", super::discussions::forum_path(&slug, id));
            return Ok(axum::response::Redirect::to(&to).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let form = SheetForm {
        typed: None,
        errors: &SheetErrors::default(),
    };
    Ok(views::grading::submissions(&me.visitor, &view, &sheet, &form).into_response())
}

/// The id in a field named `PREFIX-ID`; `None` for other fields.
fn row_id(name: &str, prefix: &str) -> Result<Option<i64>, WebError> {
    match name.strip_prefix(prefix) {
        None => Ok(None),
        Some(id) => id
            .parse::<i64>()
            .map(Some)
            .map_err(|_| WebError::BadRequest(format!("unknown field {name}"))),
    }
}

/// The rows of a grading table as sent: one per `points-ID` field or `feedback_file-ID` file.
fn sheet_rows(upload: &upload::Upload) -> Result<Vec<RowInput>, WebError> {
    let mut out: BTreeMap<i64, RowInput> = BTreeMap::new();
    let row = |out: &mut BTreeMap<i64, RowInput>, id: i64| {
        out.entry(id).or_insert_with(|| RowInput {
            student_id: id,
            points: upload.field(&format!("points-{id}")),
            feedback: upload.field(&format!("feedback-{id}")),
            ..RowInput::default()
        });
    };
    for name in upload.fields.keys() {
        if let Some(id) = row_id(name, "points-")? {
            row(&mut out, id);
        }
    }
    // A rubric's choices: `level-STUDENT-CRITERION`.
    for (name, value) in &upload.fields {
        let Some(rest) = name.strip_prefix("level-") else {
            continue;
        };
        let ids = rest
            .split_once('-')
            .and_then(|(s, c)| Some((s.parse::<i64>().ok()?, c.parse::<i64>().ok()?)));
        let Some((student, criterion)) = ids else {
            return Err(WebError::BadRequest(format!("unknown field {name}")));
        };
        row(&mut out, student);
        if let Some(r) = out.get_mut(&student) {
            r.levels.push((criterion, value.clone()));
        }
    }
    for (file, field) in upload.files.iter().zip(&upload.file_fields) {
        let id = row_id(field, FEEDBACK_FILE)?.unwrap_or_default();
        row(&mut out, id);
        if let Some(r) = out.get_mut(&id) {
            r.files.push(file.clone());
        }
    }
    for (reason, field) in upload.refused.iter().zip(&upload.refused_fields) {
        let id = row_id(field, FEEDBACK_FILE)?.unwrap_or_default();
        row(&mut out, id);
        if let Some(r) = out.get_mut(&id) {
            r.refused_files.push(reason.clone());
        }
    }
    Ok(out.into_values().collect())
}

/// Saves the whole grading table at once, or shows it again with each row's problem and
/// everything typed kept (422).
async fn save_sheet(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_grade)?;
    let rule = FileRule {
        name: FEEDBACK_FILE,
        max_bytes: MAX_FILE_MIB as u64 * 1024 * 1024,
        check_name: &|_| Ok(()),
    };
    let upload = upload::receive(&s.storage, multipart, &rule, s.lms.now()).await?;
    let rows = match sheet_rows(&upload) {
        Ok(rows) => rows,
        Err(e) => {
            upload::discard(&s.storage, &upload.files).await;
            return Err(e);
        }
    };
    let saved = s.lms.save_sheet(&view, &me.user, id, &rows).await;
    if !matches!(saved, Ok(Ok(_))) {
        upload::discard(&s.storage, &upload.files).await;
    }
    match saved? {
        Ok(changed) => Ok(see_other(
            &me.visitor,
            &format!("/courses/{slug}/modules/{id}/submissions"),
            &format!("{changed} grade(s) saved."),
        )),
        Err(errors) => {
            let sheet = s.lms.grading_sheet(&view, id).await?;
            // Files are not kept: the form says to choose them again.
            let typed: HashMap<i64, RowInput> =
                rows.into_iter().map(|r| (r.student_id, r)).collect();
            let form = SheetForm {
                typed: Some(&typed),
                errors: &errors,
            };
            Ok(invalid(views::grading::submissions(
                &me.visitor,
                &view,
                &sheet,
                &form,
            )))
        }
    }
}

/// Every attempt of every student as one zip, for marking offline: each file as
/// `student-name_attempt_file` and each text answer as `student-name_attempt_answer.txt`.
async fn download_all(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let assignment = s.lms.assignment(&view, id).await?;
    let all = s.lms.all_submissions(&view, id).await?;
    let mut names = Vec::new();
    let mut contents = Vec::new();
    for sub in all {
        if let Some(text) = sub.body_text {
            names.push(grading::archive_name(
                &sub.student_name,
                sub.attempt,
                "answer.txt",
            ));
            contents.push((sub.submitted_at, archive::Content::Text(text)));
        }
        for file in sub.files {
            names.push(grading::archive_name(
                &sub.student_name,
                sub.attempt,
                &file.file_name,
            ));
            contents.push((
                sub.submitted_at,
                archive::Content::Stored {
                    key: file.storage_key,
                },
            ));
        }
    }
    let entries = grading::unique_names(names)
        .into_iter()
        .zip(contents)
        .map(|(name, (modified, content))| archive::Entry {
            name,
            modified,
            content,
        })
        .collect();
    let title = grading::plain_name(&assignment.module.title, false);
    let file_name = format!("{slug}-{title}-submissions.zip");
    Ok(archive::send(&s.storage, entries, &file_name))
}

async fn download_file(
    State(s): State<AppState>,
    me: Me,
    Path((slug, submission, media)): Path<(String, i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    send_submission_file(&s, &me.user, &slug, submission, media, &headers).await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RubricForm {
    pub rubric: String,
}

/// The rubric editor of an assignment (criteria × levels as text).
async fn rubric_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_edit_content)?;
    let assignment = s.lms.assignment(&view, id).await?;
    let text = s.lms.rubric(&view, id).await?.text();
    let errors = FieldErrors::default();
    Ok(
        views::grading::rubric_editor(&me.visitor, &view, &assignment, &text, &errors)
            .into_response(),
    )
}

async fn save_rubric(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    axum::Form(form): axum::Form<RubricForm>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_edit_content)?;
    match s.lms.set_rubric(&view, id, &form.rubric).await {
        Ok(()) => Ok(see_other(
            &me.visitor,
            &format!("/courses/{slug}/modules/{id}/rubric"),
            "Rubric saved.",
        )),
        Err(LmsError::Invalid(errors)) => {
            let assignment = s.lms.assignment(&view, id).await?;
            Ok(invalid(views::grading::rubric_editor(
                &me.visitor,
                &view,
                &assignment,
                &form.rubric,
                &errors,
            )))
        }
        Err(e) => Err(e.into()),
    }
}

async fn download_feedback_file(
    State(s): State<AppState>,
    me: Me,
    Path((slug, item, media)): Path<(String, i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let media = s.lms.feedback_file(&view, &me.user, item, media).await?;
    download::send(&s.storage, &media, &headers).await
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
