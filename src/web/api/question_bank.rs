//! The question bank over the API: categories, a category's questions, one question at a
//! version, and importing a GIFT or Moodle XML file as a multipart form (the pages' reader and
//! limit). An import with problems stores nothing and answers 422 with every problem by line,
//! unless `confirm` is sent, which imports the valid questions. Staff who edit the course's
//! content only; others get 404.

use axum::{
    Json,
    extract::{Multipart, Query, State},
    http::{Method, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    Route, at,
    error::ApiError,
    extract::{Caller, Page, Paging, Path},
    openapi::schema_ref,
};
use crate::{
    lms::{
        LmsError, permissions,
        quizzes::bank_lms::{BankQuestion, Category, ImportReport, QuestionEntry},
    },
    web::{AppState, question_bank::read_import},
};

/// The bank's operations, appended to the API's table.
pub fn routes() -> Vec<Route> {
    use Method as M;
    vec![
        at(
            M::GET,
            "/courses/{slug}/bank/categories",
            "listQuestionCategories",
            categories,
        )
        .doc(
            "question bank",
            "The course's question categories in tree order, with question counts (staff)",
        )
        .list_of("QuestionCategory"),
        at(
            M::GET,
            "/courses/{slug}/bank/categories/{id}/questions",
            "listBankQuestions",
            questions,
        )
        .doc(
            "question bank",
            "A category's questions at their newest version, by name (staff)",
        )
        .list_of("BankQuestionEntry"),
        at(
            M::GET,
            "/courses/{slug}/bank/questions/{id}",
            "getBankQuestion",
            question,
        )
        .doc(
            "question bank",
            "One question at its newest version, or at `?version=n` (staff)",
        )
        .returns("BankQuestion"),
        at(
            M::POST,
            "/courses/{slug}/bank/import",
            "importQuestions",
            import,
        )
        .doc(
            "question bank",
            "Import a GIFT or Moodle XML file (all or nothing); with problems, 422 lists them unless `confirm` imports the valid questions (staff)",
        )
        .takes_form("QuestionImport")
        .returns("QuestionImportReport"),
    ]
}

async fn bank_view(
    s: &AppState,
    user: &crate::lms::User,
    slug: &str,
) -> Result<crate::lms::courses::CourseView, ApiError> {
    let view = s.lms.course_view(user, slug).await?;
    view.require(permissions::can_manage_question_bank)?;
    Ok(view)
}

pub async fn categories(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    paging: Paging,
) -> Result<Json<Page<Category>>, ApiError> {
    let view = bank_view(&s, &user, &slug).await?;
    Ok(Json(paging.page(s.lms.question_categories(&view).await?)))
}

pub async fn questions(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    paging: Paging,
) -> Result<Json<Page<QuestionEntry>>, ApiError> {
    let view = bank_view(&s, &user, &slug).await?;
    Ok(Json(paging.page(s.lms.bank_questions(&view, id).await?)))
}

#[derive(Debug, Deserialize)]
pub struct VersionQuery {
    version: Option<i32>,
}

pub async fn question(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<VersionQuery>,
) -> Result<Json<BankQuestion>, ApiError> {
    let view = bank_view(&s, &user, &slug).await?;
    Ok(Json(s.lms.bank_question(&view, id, q.version).await?))
}

/// Fields `file`, `format` (`gift`, `xml`; guessed when absent), `category_id` (absent: the
/// top of the bank) and `confirm` (`true` imports the valid questions despite problems).
pub async fn import(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let view = bank_view(&s, &user, &slug).await?;
    let upload = read_import(multipart).await?;
    if upload.file_name.is_empty() {
        return Err(LmsError::field("file", "send the file in the `file` field").into());
    }
    let target =
        match upload.field("category_id").trim() {
            "" => None,
            text => Some(text.parse::<i64>().map_err(|_| {
                ApiError::from(LmsError::field("category_id", "send a category's id"))
            })?),
        };
    let format = upload.format()?;
    let confirm = upload.confirmed();
    let report = s
        .lms
        .import_questions(&view, &user, target, format, upload.bytes, confirm)
        .await?;
    if report.imported == 0 && !report.problems.is_empty() {
        return Ok(problems(&report));
    }
    Ok(Json(report).into_response())
}

/// 422 with every problem by line, in the API's error shape.
fn problems(report: &ImportReport) -> Response {
    let body = json!({"error": {
        "code": "import_problems",
        "message": format!(
            "the file has {} problem(s); nothing was imported. Fix them, or send `confirm=true` to import the {} valid question(s)",
            report.problems.len(), report.valid
        ),
        "problems": report.problems,
        "valid": report.valid,
    }});
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// The bank's schemas for the OpenAPI document.
pub fn schemas() -> Vec<(&'static str, Value)> {
    let int = json!({"type": "integer", "format": "int64"});
    let text = json!({"type": "string"});
    let object = |required: &[&str], properties: Value| json!({"type": "object", "required": required, "properties": properties});
    let problem = object(&["line", "message"], json!({"line": int, "message": text}));
    vec![
        (
            "QuestionCategory",
            object(
                &["id", "parent_id", "name", "depth", "path", "questions"],
                json!({
                    "id": int, "parent_id": {"type": ["integer", "null"]}, "name": text,
                    "depth": {"type": "integer", "description": "0 at the top"},
                    "path": {"type": "array", "items": text},
                    "questions": {"type": "integer", "description": "questions directly in it, deleted ones not counted"},
                }),
            ),
        ),
        (
            "BankQuestionEntry",
            object(
                &[
                    "id",
                    "category_id",
                    "name",
                    "kind",
                    "version",
                    "updated_at",
                    "attempts",
                ],
                json!({
                    "id": int, "category_id": int, "name": text,
                    "kind": {"type": "string", "description": "the type in words, such as `multiple choice`"},
                    "version": {"type": "integer"}, "updated_at": {"type": "string", "format": "date-time"},
                    "attempts": {"type": "integer", "description": "attempt questions given one of its versions"},
                }),
            ),
        ),
        (
            "BankQuestion",
            object(
                &[
                    "id",
                    "category_id",
                    "version",
                    "version_id",
                    "versions",
                    "attempts",
                    "question",
                ],
                json!({
                    "id": int, "category_id": int, "version": {"type": "integer"}, "version_id": int,
                    "versions": {"type": "array", "items": {"type": "integer"}},
                    "attempts": {"type": "integer"},
                    "question": {"type": "object", "description": "the question: name, text, format, general_feedback, default_mark, penalty and body (tagged by `type`)",
                        "required": ["name", "text", "default_mark", "penalty", "body"]},
                }),
            ),
        ),
        (
            "QuestionImport",
            object(
                &["file"],
                json!({
                    "file": {"type": "string", "format": "binary"},
                    "format": {"type": "string", "enum": ["gift", "xml"]},
                    "category_id": int,
                    "confirm": {"type": "boolean"},
                }),
            ),
        ),
        (
            "QuestionImportReport",
            object(
                &[
                    "format",
                    "valid",
                    "problems",
                    "imported",
                    "categories_created",
                ],
                json!({
                    "format": {"type": "string", "enum": ["gift", "moodle_xml"]},
                    "valid": {"type": "integer"}, "imported": {"type": "integer"},
                    "categories_created": {"type": "integer"},
                    "problems": {"type": "array", "items": problem},
                }),
            ),
        ),
        (
            "QuestionImportProblems",
            object(
                &["error"],
                json!({"error": object(&["code", "message", "problems", "valid"], json!({
                    "code": {"const": "import_problems"}, "message": text,
                    "problems": {"type": "array", "items": schema_ref("ImportProblem")},
                    "valid": {"type": "integer"},
                }))}),
            ),
        ),
        ("ImportProblem", problem),
    ]
}
