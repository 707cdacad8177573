//! The question bank over the API: categories, a category's questions, one question at a
//! version, and importing a GIFT or Moodle XML file as a multipart form (the pages' reader and
//! limit). An import with problems stores nothing and answers 422 with every problem by line,
//! unless `confirm` is sent, which imports the valid questions. Regrading: what marking the
//! attempts given an older version with the newest would change, and doing it. Staff who edit
//! the course's content only; others get 404.

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
    extract::{Caller, JsonBody, Page, Paging, Path},
    openapi::schema_ref,
};
use crate::{
    lms::{
        LmsError, permissions,
        quizzes::{
            bank_lms::{BankQuestion, Category, ImportReport, QuestionEntry},
            regrade::{RegradeOutcome, RegradePreview},
        },
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
        at(
            M::GET,
            "/courses/{slug}/bank/questions/{id}/regrade",
            "previewRegrade",
            regrade_preview,
        )
        .doc(
            "question bank",
            "What regrading the attempts given an older version of the question with its newest version would change; nothing is written (staff)",
        )
        .returns("RegradePreview"),
        at(
            M::POST,
            "/courses/{slug}/bank/questions/{id}/regrade",
            "applyRegrade",
            regrade_apply,
        )
        .doc(
            "question bank",
            "Regrade those attempts in one transaction (`{\"apply\": true}`; `version`: the newest version previewed, refused with 422 when the question changed since); a second call finds nothing to do (staff)",
        )
        .takes("RegradeRequest")
        .returns("RegradeOutcome"),
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

pub async fn regrade_preview(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Json<RegradePreview>, ApiError> {
    let view = bank_view(&s, &user, &slug).await?;
    Ok(Json(s.lms.regrade_preview(&view, id).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegradeRequest {
    #[serde(default)]
    apply: bool,
    /// The newest version the caller previewed; absent: whatever is newest.
    version: Option<i32>,
}

pub async fn regrade_apply(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    JsonBody(body): JsonBody<RegradeRequest>,
) -> Result<Json<RegradeOutcome>, ApiError> {
    let view = bank_view(&s, &user, &slug).await?;
    if !body.apply {
        // Checked after the permission, so others still get 404.
        s.lms.regrade_preview(&view, id).await?;
        return Err(LmsError::field(
            "apply",
            "send `\"apply\": true` to regrade (GET the same path to preview)",
        )
        .into());
    }
    Ok(Json(s.lms.regrade_apply(&view, id, body.version).await?))
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
    let number = json!({"type": "number"});
    let number_or_null = json!({"type": ["number", "null"]});
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
        (
            "RegradeRow",
            object(
                &[
                    "attempt_id",
                    "quiz_id",
                    "quiz_title",
                    "student_id",
                    "student_name",
                    "attempt",
                    "finished",
                    "from_version",
                    "old_mark",
                    "new_mark",
                    "max_mark",
                    "old_total",
                    "new_total",
                    "max_total",
                ],
                json!({
                    "attempt_id": int, "quiz_id": int, "quiz_title": text, "student_id": int,
                    "student_name": text, "attempt": {"type": "integer", "description": "1 for the student's first attempt"},
                    "finished": {"type": "boolean"},
                    "from_version": {"type": "integer", "description": "the version the attempt was given"},
                    "old_mark": number_or_null, "new_mark": number_or_null, "max_mark": number,
                    "old_total": {"type": ["number", "null"], "description": "the attempt's total; null while it runs"},
                    "new_total": number_or_null, "max_total": number,
                }),
            ),
        ),
        (
            "RegradeIncompatible",
            object(
                &[
                    "attempt_id",
                    "quiz_title",
                    "student_name",
                    "attempt",
                    "from_version",
                    "reason",
                ],
                json!({
                    "attempt_id": int, "quiz_title": text, "student_name": text,
                    "attempt": {"type": "integer"}, "from_version": {"type": "integer"},
                    "reason": {"type": "string", "description": "why it keeps its version, in words"},
                }),
            ),
        ),
        (
            "RegradePreview",
            object(
                &[
                    "question_id",
                    "name",
                    "version",
                    "changes",
                    "unchanged",
                    "incompatible",
                ],
                json!({
                    "question_id": int, "name": text,
                    "version": {"type": "integer", "description": "the newest version, which attempts are marked with"},
                    "changes": {"type": "array", "items": schema_ref("RegradeRow"), "description": "attempts whose marks change"},
                    "unchanged": {"type": "integer", "description": "attempts that move to the newest version with the same marks"},
                    "incompatible": {"type": "array", "items": schema_ref("RegradeIncompatible")},
                }),
            ),
        ),
        (
            "RegradeRequest",
            json!({"type": "object", "additionalProperties": false, "required": ["apply"], "properties": {
                "apply": {"type": "boolean", "description": "must be true"},
                "version": {"type": "integer", "description": "the newest version previewed"},
            }}),
        ),
        (
            "RegradeOutcome",
            object(
                &["regraded", "changed", "incompatible"],
                json!({
                    "regraded": {"type": "integer", "description": "attempts moved to the newest version"},
                    "changed": {"type": "integer", "description": "of those, attempts whose marks changed"},
                    "incompatible": {"type": "integer", "description": "attempts left on their version"},
                }),
            ),
        ),
    ]
}
