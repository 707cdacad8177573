//! The question bank's storage: a course's categories (a tree), its questions, and each
//! question's versions (the whole `Question` as JSON). Saving an edit writes a new version;
//! attempts point at the version they were given, so they never change under a student.
//! These are the bank's primitives (no permission checks: callers in `Lms` check them).

use chrono::{DateTime, Utc};

use super::Question;
use crate::{
    db::{DbError, Executor},
    lms::LmsError,
};

/// A stored version of a question.
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    pub id: i64,
    pub question_id: i64,
    pub version: i32,
    pub question: Question,
}

/// A category of course `course_id` named `name` under `parent` (`None`: at the top), made
/// when missing; its id.
pub async fn ensure_category(
    exec: &mut impl Executor,
    course_id: i64,
    parent: Option<i64>,
    name: &str,
    now: DateTime<Utc>,
) -> Result<i64, LmsError> {
    let found = exec
        .query_opt(
            "SELECT id FROM question_categories
             WHERE course_id = $1 AND name = $2
               AND (parent_id = $3 OR (parent_id IS NULL AND $3 IS NULL))
             ORDER BY id LIMIT 1",
            &[course_id.into(), name.into(), parent.into()],
        )
        .await?;
    if let Some(row) = found {
        return Ok(row.get("id")?);
    }
    let row = exec
        .query_one(
            "INSERT INTO question_categories (course_id, parent_id, name, created_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
            &[course_id.into(), parent.into(), name.into(), now.into()],
        )
        .await?;
    Ok(row.get("id")?)
}

/// The category at `path` (`["Biology", "Cells"]`) in course `course_id`, made as needed;
/// an empty path is the course's "Default" category.
pub async fn ensure_category_path(
    exec: &mut impl Executor,
    course_id: i64,
    path: &[String],
    now: DateTime<Utc>,
) -> Result<i64, LmsError> {
    if path.is_empty() {
        return ensure_category(exec, course_id, None, "Default", now).await;
    }
    let mut parent = None;
    for name in path {
        parent = Some(ensure_category(exec, course_id, parent, name, now).await?);
    }
    Ok(parent.expect("a non-empty path"))
}

/// Adds a new question (its version 1) to category `category_id`.
pub async fn add_question(
    exec: &mut impl Executor,
    course_id: i64,
    category_id: i64,
    question: &Question,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Version, LmsError> {
    let row = exec
        .query_one(
            "INSERT INTO questions (course_id, category_id, created_at, created_by)
             VALUES ($1, $2, $3, $4) RETURNING id",
            &[course_id.into(), category_id.into(), now.into(), by.into()],
        )
        .await?;
    let question_id: i64 = row.get("id")?;
    insert_version(exec, question_id, 1, question, by, now).await
}

/// Saves an edit of question `question_id` as its next version.
pub async fn new_version(
    exec: &mut impl Executor,
    question_id: i64,
    question: &Question,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Version, LmsError> {
    let row = exec
        .query_one(
            "SELECT COALESCE(MAX(version), 0) AS v FROM question_versions WHERE question_id = $1",
            &[question_id.into()],
        )
        .await?;
    let last: i64 = row.get("v")?;
    insert_version(exec, question_id, last as i32 + 1, question, by, now).await
}

async fn insert_version(
    exec: &mut impl Executor,
    question_id: i64,
    version: i32,
    question: &Question,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Version, LmsError> {
    let body = serde_json::to_string(question).map_err(|e| DbError::Decode(e.to_string()))?;
    let row = exec
        .query_one(
            "INSERT INTO question_versions
                 (question_id, version, name, kind, body, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                question_id.into(),
                i64::from(version).into(),
                question.name.as_str().into(),
                question.body.kind().into(),
                body.into(),
                now.into(),
                by.into(),
            ],
        )
        .await?;
    Ok(Version {
        id: row.get("id")?,
        question_id,
        version,
        question: question.clone(),
    })
}

/// The newest version of question `question_id`.
pub async fn latest_version(
    exec: &mut impl Executor,
    question_id: i64,
) -> Result<Version, LmsError> {
    let row = exec
        .query_opt(
            "SELECT id, question_id, version, body FROM question_versions
             WHERE question_id = $1 ORDER BY version DESC LIMIT 1",
            &[question_id.into()],
        )
        .await?
        .ok_or(LmsError::NotFound)?;
    version_from_row(&row)
}

/// Version `version_id`, whatever question it belongs to.
pub async fn load_version(exec: &mut impl Executor, version_id: i64) -> Result<Version, LmsError> {
    let row = exec
        .query_opt(
            "SELECT id, question_id, version, body FROM question_versions WHERE id = $1",
            &[version_id.into()],
        )
        .await?
        .ok_or(LmsError::NotFound)?;
    version_from_row(&row)
}

/// A `question_versions` row (columns `id`, `question_id`, `version`, `body`) as a `Version`.
pub fn version_from_row(row: &crate::db::Row) -> Result<Version, LmsError> {
    let body: String = row.get("body")?;
    let question = serde_json::from_str(&body)
        .map_err(|e| DbError::Decode(format!("a stored question does not parse: {e}")))?;
    let version: i64 = row.get("version")?;
    Ok(Version {
        id: row.get("id")?,
        question_id: row.get("question_id")?,
        version: version as i32,
        question,
    })
}
