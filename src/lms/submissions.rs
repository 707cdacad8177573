//! Handing in work: a student's attempts at an assignment (text and/or files), checked against
//! the deadline rule with the server's clock, the attempt limit and the accepted answer
//! kinds. Students see only their own attempts; staff see everyone's.

use chrono::{DateTime, Utc};

use super::{
    FieldErrors, Lms, LmsError, User,
    assignments::{Assignment, Window, window},
    courses::CourseView,
    media::{self, MEDIA_COLUMNS, Media, StoredFile},
    permissions,
};
use crate::db::{Executor, Row, Value};

/// The longest text answer, in characters.
const MAX_TEXT_CHARS: usize = 100_000;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Submission {
    pub id: i64,
    pub student_id: i64,
    pub student_name: String,
    pub attempt: i64,
    pub body_text: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub is_late: bool,
    pub files: Vec<Media>,
}

/// Why work cannot be handed in now, as a message for the `submission` field.
fn refusal(a: &Assignment, now: DateTime<Utc>, attempts: i64) -> Result<bool, LmsError> {
    let message = match window(a, now) {
        Window::Open { late } => match a.max_attempts {
            Some(max) if attempts >= max => format!("you have used all {max} attempt(s)"),
            _ => return Ok(late),
        },
        Window::NotOpen => "this assignment is not open for submissions yet".to_string(),
        Window::Closed => "the cut-off date has passed; submissions are closed".to_string(),
    };
    Err(LmsError::field("submission", message))
}

impl Lms {
    async fn attempts(&self, module_id: i64, student_id: i64) -> Result<i64, LmsError> {
        let row = self
            .db
            .query_one(
                "SELECT COUNT(*) AS n FROM submissions WHERE assignment_id = $1 AND student_id = $2",
                &[module_id.into(), student_id.into()],
            )
            .await?;
        Ok(row.get("n")?)
    }

    /// Checks, before any file is stored, that `actor` may hand in work now.
    pub async fn submission_check(
        &self,
        view: &CourseView,
        actor: &User,
        module_id: i64,
    ) -> Result<Assignment, LmsError> {
        let a = self.assignment(view, module_id).await?;
        view.require(permissions::can_submit)?;
        refusal(&a, self.now(), self.attempts(module_id, actor.id).await?)?;
        Ok(a)
    }

    /// Records an attempt with its stored files. On an error the caller removes the files,
    /// which nothing then refers to.
    pub async fn submit(
        &self,
        view: &CourseView,
        actor: &User,
        module_id: i64,
        text: &str,
        files: &[StoredFile],
    ) -> Result<Submission, LmsError> {
        let a = self.submission_check(view, actor, module_id).await?;
        let mut errors = FieldErrors::default();
        let text = text.trim();
        errors.check(
            text.is_empty() || a.accepts_text,
            "body_text",
            "this assignment takes files only",
        );
        errors.check(
            files.is_empty() || a.accepts_files,
            "files",
            "this assignment takes text only",
        );
        errors.check(
            !(text.is_empty() && files.is_empty()),
            "submission",
            "write an answer or attach a file",
        );
        errors.check(
            text.chars().count() <= MAX_TEXT_CHARS,
            "body_text",
            format!("use at most {MAX_TEXT_CHARS} characters"),
        );
        for file in files {
            if let Err(message) = a.check_file_name(&file.file_name) {
                errors.add("files", message);
            }
            errors.check(
                file.info.size <= a.max_file_bytes as u64,
                "files",
                format!("{} is larger than the limit", file.file_name),
            );
        }
        errors.into_result()?;
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let attempts: i64 = tx
            .query_one(
                "SELECT COUNT(*) AS n FROM submissions WHERE assignment_id = $1 AND student_id = $2",
                &[module_id.into(), actor.id.into()],
            )
            .await?
            .get("n")?;
        let late = refusal(&a, now, attempts)?;
        let row = tx
            .query_one(
                "INSERT INTO submissions (assignment_id, student_id, attempt, body_text, submitted_at, is_late)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[
                    module_id.into(),
                    actor.id.into(),
                    (attempts + 1).into(),
                    (!text.is_empty()).then_some(text).into(),
                    Value::Time(now),
                    late.into(),
                ],
            )
            .await?;
        let id: i64 = row.get("id")?;
        for file in files {
            let media_id = media::insert(&mut tx, file, actor.id, now).await?;
            tx.execute(
                "INSERT INTO submission_files (submission_id, media_id) VALUES ($1, $2)",
                &[id.into(), media_id.into()],
            )
            .await?;
        }
        let course = view.course();
        let note = super::notifications::Note {
            kind: super::MailKind::NewSubmission,
            course_id: Some(course.id),
            course_title: course.title.clone(),
            title: format!(
                "New submission: {} handed in {}",
                actor.display_name, a.module.title
            ),
            body: format!(
                "Attempt {}{}.",
                attempts + 1,
                if late { ", late" } else { "" }
            ),
            html: None,
            link: format!("/courses/{}/modules/{module_id}/submissions", course.slug),
            dedupe_key: None,
        };
        super::notifications::fan_out(
            &mut tx,
            self.mail_site(),
            now,
            &note,
            "SELECT user_id FROM enrollments WHERE course_id = $1 AND role IN ('teacher', 'ta')",
            &[course.id.into()],
        )
        .await?;
        // Read back before the commit, on the same connection: once committed, the hand-in
        // must be reported as made. A read on a second connection could fail under load (a
        // full pool) after the commit, and the student's retry would make a second attempt.
        let rows = tx
            .query(
                &submissions_sql("AND submissions.id = $2"),
                &[module_id.into(), id.into()],
            )
            .await?;
        let made = submissions_from_rows(&rows)?
            .pop()
            .ok_or(LmsError::NotFound)?;
        tx.commit().await?;
        Ok(made)
    }

    /// `actor`'s own attempts, oldest first.
    pub async fn my_submissions(
        &self,
        view: &CourseView,
        actor: &User,
        module_id: i64,
    ) -> Result<Vec<Submission>, LmsError> {
        self.assignment(view, module_id).await?;
        self.submissions_where(module_id, Some(actor.id)).await
    }

    /// Every attempt of every student, for staff.
    pub async fn all_submissions(
        &self,
        view: &CourseView,
        module_id: i64,
    ) -> Result<Vec<Submission>, LmsError> {
        view.require(permissions::can_grade)?;
        self.assignment(view, module_id).await?;
        self.submissions_where(module_id, None).await
    }

    pub(crate) async fn submissions_where(
        &self,
        module_id: i64,
        student: Option<i64>,
    ) -> Result<Vec<Submission>, LmsError> {
        let mut params = vec![module_id.into()];
        let only_student = match student {
            Some(id) => {
                params.push(Value::from(id));
                "AND submissions.student_id = $2"
            }
            None => "",
        };
        let rows = self
            .db
            .query(&submissions_sql(only_student), &params)
            .await?;
        submissions_from_rows(&rows)
    }

    /// A file of a submission, for its student or for staff; `NotFound` for anyone else.
    pub async fn submission_file(
        &self,
        view: &CourseView,
        actor: &User,
        submission_id: i64,
        media_id: i64,
    ) -> Result<Media, LmsError> {
        let row = self
            .db
            .query_opt(
                &format!(
                    "SELECT submissions.student_id, submissions.assignment_id, {MEDIA_COLUMNS}
                     FROM submission_files
                     JOIN submissions ON submissions.id = submission_files.submission_id
                     JOIN modules ON modules.id = submissions.assignment_id
                     JOIN media ON media.id = submission_files.media_id
                     WHERE submission_files.submission_id = $1 AND submission_files.media_id = $2
                       AND modules.course_id = $3"
                ),
                &[
                    submission_id.into(),
                    media_id.into(),
                    view.course().id.into(),
                ],
            )
            .await?
            .ok_or(LmsError::NotFound)?;
        let owner: i64 = row.get("student_id")?;
        if owner != actor.id && !permissions::can_grade(view.access()) {
            return Err(LmsError::NotFound);
        }
        // Not for a module in the trash, nor one hidden from the student.
        self.module(view, row.get("assignment_id")?).await?;
        Media::from_row(&row)?.ok_or(LmsError::NotFound)
    }
}

/// The attempts of assignment `$1` with their files, narrowed by `filter` (an `AND …` clause
/// on further parameters), in the order pages list them.
fn submissions_sql(filter: &str) -> String {
    format!(
        "SELECT submissions.id, submissions.student_id, users.display_name, submissions.attempt,
                submissions.body_text, submissions.submitted_at, submissions.is_late, {MEDIA_COLUMNS}
         FROM submissions JOIN users ON users.id = submissions.student_id
         LEFT JOIN submission_files ON submission_files.submission_id = submissions.id
         LEFT JOIN media ON media.id = submission_files.media_id
         WHERE submissions.assignment_id = $1 {filter}
         ORDER BY users.display_name, submissions.student_id, submissions.attempt, media.id"
    )
}

/// Folds the rows of [`submissions_sql`] (one per file) into attempts.
fn submissions_from_rows(rows: &[Row]) -> Result<Vec<Submission>, LmsError> {
    let mut out: Vec<Submission> = Vec::new();
    for row in rows {
        let id: i64 = row.get("id")?;
        if out.last().is_none_or(|s| s.id != id) {
            out.push(submission_from_row(row)?);
        }
        if let (Some(last), Some(file)) = (out.last_mut(), Media::from_row(row)?) {
            last.files.push(file);
        }
    }
    Ok(out)
}

fn submission_from_row(row: &Row) -> Result<Submission, LmsError> {
    Ok(Submission {
        id: row.get("id")?,
        student_id: row.get("student_id")?,
        student_name: row.get("display_name")?,
        attempt: row.get("attempt")?,
        body_text: row.get("body_text")?,
        submitted_at: row.get("submitted_at")?,
        is_late: row.get("is_late")?,
        files: Vec::new(),
    })
}
