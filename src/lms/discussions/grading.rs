//! A graded forum's grading table: every student with the posts they wrote in the forum and
//! their grade on its gradebook item (points, feedback, released or not), saved all rows or
//! none with the assignment sheet's own row checks (`grading::check_rows`); releasing is the
//! gradebook's (`Lms::release_grades`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Forum, Lms, LmsError, User};
use crate::{
    db::{Executor, Value},
    lms::{
        courses::CourseView,
        gradebook::{Grade, Item},
        grading::{RowInput, SheetErrors, changes, check_rows},
        permissions,
        rubrics::Rubric,
    },
};

/// One post of a student's, as the grading table lists it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SheetPost {
    pub id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub created_at: DateTime<Utc>,
    /// The post's cleaned HTML.
    pub body_html: String,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ForumSheetRow {
    pub student: User,
    pub posts: Vec<SheetPost>,
    pub grade: Option<Grade>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ForumSheet {
    pub forum: Forum,
    pub item: Item,
    pub rows: Vec<ForumSheetRow>,
}

impl Lms {
    /// The grading table of graded forum `forum_id`, for staff; `NotFound` for a forum that is
    /// not graded.
    pub async fn forum_sheet(
        &self,
        view: &CourseView,
        forum_id: i64,
    ) -> Result<ForumSheet, LmsError> {
        view.require(permissions::can_grade)?;
        let forum = self.forum(view, forum_id).await?;
        let report = self.gradebook(view).await?;
        let column = report.assignment_column(forum_id)?;
        let item = report.items[column].clone();
        let rows = self
            .db
            .query(
                "SELECT p.id, p.thread_id, t.title AS thread_title, p.created_at, p.body_html, p.author_id
                 FROM discussion_posts p JOIN discussion_threads t ON t.id = p.thread_id
                 WHERE t.forum_id = $1 AND p.deleted_at IS NULL AND t.deleted_at IS NULL
                 ORDER BY p.id",
                &[forum_id.into()],
            )
            .await?;
        let mut by_author: HashMap<i64, Vec<SheetPost>> = HashMap::new();
        for row in &rows {
            let Some(author) = row.get::<Option<i64>>("author_id")? else {
                continue;
            };
            by_author.entry(author).or_default().push(SheetPost {
                id: row.get("id")?,
                thread_id: row.get("thread_id")?,
                thread_title: row.get("thread_title")?,
                created_at: row.get("created_at")?,
                body_html: row.get("body_html")?,
            });
        }
        let rows = report
            .lines
            .into_iter()
            .map(|mut line| ForumSheetRow {
                posts: by_author.remove(&line.student.id).unwrap_or_default(),
                grade: line.grades[column].take(),
                student: line.student,
            })
            .collect();
        Ok(ForumSheet { forum, item, rows })
    }

    /// Saves a forum's grading table: every row or, when one is wrong, none (`Ok(Err(..))`).
    /// Returns how many grades changed; released grades stay released.
    pub async fn save_forum_sheet(
        &self,
        view: &CourseView,
        grader: &User,
        forum_id: i64,
        rows: &[RowInput],
    ) -> Result<Result<usize, SheetErrors>, LmsError> {
        let sheet = self.forum_sheet(view, forum_id).await?;
        let old: HashMap<i64, Option<&Grade>> = sheet
            .rows
            .iter()
            .map(|r| (r.student.id, r.grade.as_ref()))
            .collect();
        if rows.iter().any(|r| !old.contains_key(&r.student_id)) {
            return Err(LmsError::NotFound);
        }
        let clean = match check_rows(&sheet.item, &Rubric::default(), rows) {
            Ok(clean) => clean,
            Err(errors) => return Ok(Err(errors)),
        };
        let none = HashMap::new();
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let mut changed = 0;
        for row in &clean {
            if !changes(row, old[&row.student_id], &none) {
                continue;
            }
            tx.execute(
                "INSERT INTO grades (item_id, student_id, points, feedback, graded_by, graded_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (item_id, student_id) DO UPDATE SET points = excluded.points,
                     feedback = excluded.feedback, graded_by = excluded.graded_by, graded_at = excluded.graded_at",
                &[
                    sheet.item.id.into(),
                    row.student_id.into(),
                    row.points.into(),
                    row.feedback.as_str().into(),
                    grader.id.into(),
                    Value::Time(now),
                ],
            )
            .await?;
            changed += 1;
        }
        tx.commit().await?;
        Ok(Ok(changed))
    }
}
