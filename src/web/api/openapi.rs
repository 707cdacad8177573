//! The OpenAPI 3.1 document at /api/v1/openapi.json, built from the route table (paths,
//! methods, parameters, bodies, answers) and the schemas below, written by hand to match the
//! types the handlers serialize. Built once, on first request.

use std::sync::LazyLock;

use axum::{Json, http::StatusCode};
use serde_json::{Map, Value, json};

use super::{
    Operation, PREFIX,
    extract::{DEFAULT_PER_PAGE, MAX_PER_PAGE},
};

static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    let operations: Vec<Operation> = super::routes().into_iter().map(|r| r.op).collect();
    build(&operations)
});

pub async fn document() -> Json<Value> {
    Json(DOCUMENT.clone())
}

/// The document for `operations`.
pub fn build(operations: &[Operation]) -> Value {
    let mut paths = Map::new();
    for op in operations {
        let entry = paths
            .entry(format!("{PREFIX}{}", op.path))
            .or_insert_with(|| json!({}));
        entry[op.method.as_str().to_ascii_lowercase()] = operation(op);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "paideia API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Send a personal access token as `Authorization: Bearer pdia_...`. \
                Every error has the body {\"error\": {\"code\", \"message\"}}. \
                \"Not allowed\" answers exactly like \"not found\" (404).",
        },
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas(),
        },
    })
}

fn operation(op: &Operation) -> Value {
    let mut parameters: Vec<Value> = path_parameters(op.path)
        .map(|name| {
            let schema = if name == "slug" {
                json!({"type": "string"})
            } else {
                json!({"type": "integer", "format": "int64"})
            };
            json!({"name": name, "in": "path", "required": true, "schema": schema})
        })
        .collect();
    if op.paginated {
        parameters.push(json!({"name": "page", "in": "query", "required": false,
            "schema": {"type": "integer", "minimum": 1, "default": 1}}));
        parameters.push(json!({"name": "per_page", "in": "query", "required": false,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE}}));
    }
    let mut responses = Map::new();
    responses.insert(op.status.as_u16().to_string(), success(op));
    responses.insert(
        "default".into(),
        json!({"description": "An error", "content": {"application/json": {"schema": schema_ref("Error")}}}),
    );
    let mut out = json!({
        "operationId": op.id,
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
    });
    if let Some(body) = op.body {
        out["requestBody"] = json!({"required": true,
            "content": {op.body_type: {"schema": schema_ref(body)}}});
    }
    if op.public {
        out["security"] = json!([]);
    }
    out
}

fn success(op: &Operation) -> Value {
    let description = op.status.canonical_reason().unwrap_or("Success");
    if op.file {
        return json!({"description": "The file's bytes; 206 for a satisfiable Range, 416 otherwise",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}});
    }
    let Some(returns) = op.returns.filter(|_| op.status != StatusCode::NO_CONTENT) else {
        return json!({"description": description});
    };
    let schema = if op.paginated {
        json!({"allOf": [schema_ref("PageEnvelope"),
            {"type": "object", "properties": {"items": {"type": "array", "items": schema_ref(returns)}}}]})
    } else {
        schema_ref(returns)
    };
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

/// The `{name}` segments of a path.
pub fn path_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

pub fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn object(required: &[&str], properties: Value) -> Value {
    json!({"type": "object", "required": required, "properties": properties})
}

fn nullable(kind: &str) -> Value {
    json!({"type": [kind, "null"]})
}

fn time() -> Value {
    json!({"type": "string", "format": "date-time"})
}

fn maybe_time() -> Value {
    json!({"type": ["string", "null"], "format": "date-time"})
}

fn one_of(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values})
}

/// A question of an attempt as its reader sees it (`attempts::ShownQuestion`).
fn shown_question(int: &Value, text: &Value, number: &Value, boolean: &Value) -> Value {
    let shown = object(&["index", "html"], json!({"index": int, "html": text}));
    let mut properties = json!({
        "slot": int, "page": int, "name": text, "kind": text, "text_html": text, "max_mark": number,
        "choices": {"type": "array", "items": shown.clone()}, "multiple": boolean,
        "prompts": {"type": "array", "items": text},
        "items": {"type": "array", "items": shown},
    });
    let more = json!({
        "gaps": int, "template": text,
        "response": {"oneOf": [schema_ref("QuizResponse"), {"type": "null"}]},
        "saved_at": maybe_time(),
        "state": {"type": ["string", "null"], "enum": ["not_answered", "invalid", "wrong", "partial", "right", "needs_grading", "info", null]},
        "mark": nullable("number"), "right_answer": nullable("string"),
        "feedback": {"type": "array", "items": text},
    });
    if let (Some(p), Value::Object(m)) = (properties.as_object_mut(), more) {
        p.extend(m);
    }
    object(
        &[
            "slot",
            "page",
            "name",
            "kind",
            "text_html",
            "max_mark",
            "choices",
            "multiple",
            "prompts",
            "items",
            "gaps",
            "template",
            "response",
            "saved_at",
            "state",
            "mark",
            "right_answer",
            "feedback",
        ],
        properties,
    )
}

/// `schema` marked deprecated, described by its registry entry (`crate::deprecations`).
fn deprecated(mut schema: Value, name: &str) -> Value {
    let d = crate::deprecations::api_field(name);
    schema["deprecated"] = json!(true);
    schema["description"] = json!(d.sentence());
    schema
}

fn schemas() -> Value {
    let int = json!({"type": "integer", "format": "int64"});
    let text = json!({"type": "string"});
    let number = json!({"type": "number"});
    let boolean = json!({"type": "boolean"});
    let course_role = one_of(&["teacher", "ta", "student"]);
    let status = one_of(&["draft", "published", "archived"]);
    let report_item = object(
        &["id", "module_id", "title", "max_points", "weight"],
        json!({
            "id": int, "module_id": nullable("integer"), "title": text, "max_points": number, "weight": number,
        }),
    );
    let grade = object(
        &[
            "item_id",
            "student_id",
            "points",
            "feedback",
            "graded_at",
            "released_at",
        ],
        json!({
            "item_id": int, "student_id": int, "points": nullable("number"), "feedback": text,
            "graded_at": maybe_time(), "released_at": maybe_time(),
        }),
    );
    let line = object(
        &["student", "grades", "final_percent", "letter"],
        json!({
            "student": schema_ref("User"),
            "grades": {"type": "array", "items": {"oneOf": [{"type": "null"}, grade]}},
            "final_percent": nullable("number"), "letter": nullable("string"),
        }),
    );
    let letter = object(
        &["letter", "min_percent"],
        json!({"letter": text, "min_percent": number}),
    );
    let field = object(
        &["field", "message"],
        json!({"field": text, "message": text}),
    );
    let mut schemas: Vec<(&str, Value)> = vec![
        (
            "Error",
            object(
                &["error"],
                json!({"error": object(&["code", "message"], json!({
                    "code": text, "message": text, "fields": {"type": "array", "items": field},
                }))}),
            ),
        ),
        (
            "PageEnvelope",
            object(
                &["items", "page", "per_page", "total"],
                json!({
                    "items": {"type": "array"}, "page": int, "per_page": int, "total": int,
                }),
            ),
        ),
        (
            "OpenApi",
            json!({"type": "object", "description": "This document"}),
        ),
        (
            "User",
            object(
                &[
                    "id",
                    "email",
                    "display_name",
                    "role",
                    "disabled",
                    "created_at",
                ],
                json!({
                    "id": int, "email": text, "display_name": text,
                    "role": one_of(&["admin", "instructor", "student"]), "disabled": boolean, "created_at": time(),
                }),
            ),
        ),
        (
            "Token",
            object(
                &["id", "name", "created_at", "last_used_at", "expires_at"],
                json!({
                    "id": int, "name": text, "created_at": time(),
                    "last_used_at": maybe_time(), "expires_at": maybe_time(),
                }),
            ),
        ),
        (
            "CourseEntry",
            object(
                &[
                    "id",
                    "slug",
                    "title",
                    "description",
                    "status",
                    "created_at",
                    "role",
                ],
                json!({
                    "id": int, "slug": text, "title": text, "description": text, "status": status,
                    "created_at": time(), "role": {"type": ["string", "null"], "enum": ["teacher", "ta", "student", null]},
                }),
            ),
        ),
        (
            "CourseCreate",
            object(
                &["title", "slug"],
                json!({
                    "title": text, "slug": text, "description": text, "status": status,
                }),
            ),
        ),
        (
            "CoursePatch",
            object(
                &[],
                json!({
                    "title": text, "slug": text, "description": text, "status": status,
                }),
            ),
        ),
        (
            "Section",
            object(
                &["id", "parent_id", "title", "position"],
                json!({
                    "id": int, "parent_id": nullable("integer"), "title": text, "position": int,
                }),
            ),
        ),
        (
            "SectionCreate",
            object(
                &["title"],
                json!({"title": text, "parent_id": nullable("integer")}),
            ),
        ),
        (
            "Enrollment",
            object(
                &["user", "role", "enrolled_at"],
                json!({
                    "user": schema_ref("User"), "role": course_role, "enrolled_at": time(),
                }),
            ),
        ),
        (
            "EnrollmentCreate",
            object(&["email"], json!({"email": text, "role": course_role})),
        ),
        (
            "Media",
            object(
                &["id", "file_name", "content_type", "size_bytes"],
                json!({
                    "id": int, "file_name": text, "content_type": text, "size_bytes": int,
                }),
            ),
        ),
        (
            "Module",
            object(
                &[
                    "id",
                    "section_id",
                    "kind",
                    "title",
                    "position",
                    "body_html",
                    "body_format",
                    "body_source",
                    "media",
                    "hidden",
                    "visible_from",
                    "visible_until",
                ],
                json!({
                    "id": int, "section_id": int, "kind": one_of(&["page", "file", "assignment", "forum", "quiz"]), "title": text,
                    "position": int, "body_html": nullable("string"),
                    "body_format": {"type": ["string", "null"], "enum": ["markdown", "html", null]},
                    "body_source": nullable("string"),
                    "media": {"oneOf": [schema_ref("Media"), {"type": "null"}]},
                    "hidden": {"type": "boolean", "description": "hidden from students (staff see every module)"},
                    "visible_from": maybe_time(), "visible_until": maybe_time(),
                }),
            ),
        ),
        (
            "ModuleDetail",
            json!({"allOf": [schema_ref("Module"), object(&["assignment", "attachments"], json!({
                "assignment": {"oneOf": [schema_ref("AssignmentSettings"), {"type": "null"}]},
                "attachments": {"type": "array", "items": schema_ref("Attachment")},
            }))]}),
        ),
        (
            "Attachment",
            json!({"allOf": [schema_ref("Media"), object(&["path"], json!({"path": text}))]}),
        ),
        (
            "AssignmentSettings",
            object(
                &[
                    "instructions_html",
                    "instructions_format",
                    "instructions_source",
                    "opens_at",
                    "due_at",
                    "cutoff_at",
                    "max_attempts",
                    "allowed_file_types",
                    "max_file_bytes",
                    "accepts_text",
                    "accepts_files",
                    "max_points",
                ],
                json!({
                    "instructions_html": text,
                    "instructions_format": {"type": ["string", "null"], "enum": ["markdown", "html", null]},
                    "instructions_source": nullable("string"), "opens_at": maybe_time(), "due_at": maybe_time(), "cutoff_at": maybe_time(),
                    "max_attempts": nullable("integer"), "allowed_file_types": {"type": "array", "items": text},
                    "max_file_bytes": int, "accepts_text": boolean, "accepts_files": boolean, "max_points": number,
                }),
            ),
        ),
        (
            "PageCreate",
            object(
                &["section_id", "title"],
                json!({
                    "section_id": int, "title": text, "body": text,
                    "body_format": one_of(&["markdown", "html"]),
                    "format": deprecated(one_of(&["markdown", "html"]), "PageCreate.format"),
                }),
            ),
        ),
        (
            "AssignmentCreate",
            object(
                &["section_id", "title", "max_points"],
                json!({
                    "section_id": int, "title": text, "instructions": text,
                    "instructions_format": one_of(&["markdown", "html"]), "opens_at": maybe_time(), "due_at": maybe_time(), "cutoff_at": maybe_time(),
                    "max_attempts": nullable("integer"), "allowed_file_types": {"type": "array", "items": text},
                    "max_file_mib": nullable("integer"), "accepts_text": boolean, "accepts_files": boolean, "max_points": number,
                }),
            ),
        ),
        (
            "Submission",
            object(
                &[
                    "id",
                    "student_id",
                    "student_name",
                    "attempt",
                    "body_text",
                    "submitted_at",
                    "is_late",
                    "files",
                ],
                json!({
                    "id": int, "student_id": int, "student_name": text, "attempt": int, "body_text": nullable("string"),
                    "submitted_at": time(), "is_late": boolean, "files": {"type": "array", "items": schema_ref("Media")},
                }),
            ),
        ),
        (
            "SubmissionCreate",
            object(&["body_text"], json!({"body_text": text})),
        ),
        ("EnrollmentCsv", object(&["csv"], json!({"csv": text}))),
        ("Enrolled", object(&["enrolled"], json!({"enrolled": int}))),
        (
            "SubmissionUpload",
            object(
                &[],
                json!({"body_text": text, "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}),
            ),
        ),
        ("GradeItem", report_item.clone()),
        (
            "GradeItemCreate",
            object(
                &["title", "max_points"],
                json!({"title": text, "max_points": number, "weight": number}),
            ),
        ),
        (
            "GradeSet",
            object(&[], json!({"points": nullable("number"), "feedback": text})),
        ),
        (
            "GradeSheet",
            object(
                &["rows"],
                json!({"rows": {"type": "array", "items": object(
                    &["student_id"],
                    json!({
                        "student_id": int,
                        "points": nullable("number"),
                        "feedback": text,
                        "levels": {"type": "object", "additionalProperties": int},
                    }),
                )}}),
            ),
        ),
        (
            "GradeSheetSaved",
            object(&["changed"], json!({"changed": int})),
        ),
        ("Released", object(&["released"], json!({"released": int}))),
        (
            "Announcement",
            object(
                &[
                    "id",
                    "title",
                    "body_html",
                    "body_format",
                    "body_source",
                    "author",
                    "pinned",
                    "publish_at",
                    "created_at",
                    "edited_at",
                    "read",
                ],
                json!({
                    "id": int, "title": text, "body_html": text, "body_format": one_of(&["markdown", "html"]),
                    "body_source": nullable("string"), "author": nullable("string"), "pinned": boolean,
                    "publish_at": time(), "created_at": time(), "edited_at": maybe_time(), "read": boolean,
                }),
            ),
        ),
        (
            "QuizInfo",
            object(
                &[
                    "quiz",
                    "questions",
                    "closes_at",
                    "time_limit_seconds",
                    "max_attempts",
                    "attempts",
                    "in_progress",
                    "can_start",
                    "refusal",
                    "grade",
                ],
                json!({
                    "quiz": object(&["module", "opens_at", "closes_at", "time_limit_seconds", "max_attempts", "grading_method",
                        "shuffle_questions", "shuffle_answers", "questions_per_page", "navigation", "has_password",
                        "review_marks", "review_answers", "review_feedback", "max_points"], json!({
                        "module": schema_ref("Module"), "opens_at": maybe_time(), "closes_at": maybe_time(),
                        "time_limit_seconds": nullable("integer"), "max_attempts": nullable("integer"),
                        "grading_method": one_of(&["highest", "last", "average", "first"]),
                        "shuffle_questions": boolean, "shuffle_answers": boolean,
                        "questions_per_page": {"type": "integer", "description": "0: all on one page"},
                        "navigation": one_of(&["free", "sequential"]), "has_password": boolean,
                        "review_marks": one_of(&["immediately", "after_close", "never"]),
                        "review_answers": one_of(&["immediately", "after_close", "never"]),
                        "review_feedback": one_of(&["immediately", "after_close", "never"]),
                        "max_points": number,
                    })),
                    "questions": int,
                    "closes_at": {"type": ["string", "null"], "format": "date-time", "description": "with the caller's accommodations"},
                    "time_limit_seconds": {"type": ["integer", "null"], "description": "with the caller's extra time"},
                    "max_attempts": {"type": ["integer", "null"], "description": "with the caller's extra attempts"},
                    "attempts": {"type": "array", "items": schema_ref("AttemptSummary")},
                    "in_progress": nullable("integer"), "can_start": boolean, "refusal": nullable("string"),
                    "grade": {"type": ["number", "null"], "description": "the caller's released grade"},
                }),
            ),
        ),
        (
            "AttemptSummary",
            object(
                &[
                    "id",
                    "quiz_id",
                    "student_id",
                    "attempt",
                    "started_at",
                    "ends_at",
                    "submitted_at",
                    "auto_submitted",
                    "current_page",
                    "needs_grading",
                    "marks",
                    "max_marks",
                    "shows",
                ],
                json!({
                    "id": int, "quiz_id": int, "student_id": int, "attempt": int, "started_at": time(),
                    "ends_at": maybe_time(), "submitted_at": maybe_time(), "auto_submitted": boolean,
                    "current_page": int, "needs_grading": boolean,
                    "marks": {"type": ["number", "null"], "description": "null while the review options hide them"},
                    "max_marks": number, "shows": schema_ref("ReviewShows"),
                }),
            ),
        ),
        (
            "ReviewShows",
            object(
                &["marks", "answers", "feedback"],
                json!({"marks": boolean, "answers": boolean, "feedback": boolean}),
            ),
        ),
        (
            "ShownQuestion",
            shown_question(&int, &text, &number, &boolean),
        ),
        (
            "AttemptStart",
            json!({"type": "object", "additionalProperties": false, "properties": {"password": text}}),
        ),
        (
            "QuizResponse",
            json!({"type": "object", "required": ["type"], "description": "An answer: `blank`; `choices` (choice indices); `bool`; `text` (short answer, numerical, essay); `matches` (per prompt, a shown answer position or null); `order` (shown item positions in order); `gaps` (one text per gap)",
                "properties": {"type": one_of(&["blank", "choices", "bool", "text", "matches", "order", "gaps"]), "value": {}}}),
        ),
        (
            "AnswersSave",
            object(
                &["answers"],
                json!({
                    "page": {"type": ["integer", "null"], "description": "0-based page to move to"},
                    "answers": {"type": "array", "items": object(&["slot", "response"], json!({"slot": int, "response": schema_ref("QuizResponse")}))},
                }),
            ),
        ),
        (
            "Attempt",
            object(
                &[
                    "id",
                    "quiz_id",
                    "student_id",
                    "attempt",
                    "started_at",
                    "ends_at",
                    "submitted_at",
                    "auto_submitted",
                    "current_page",
                    "needs_grading",
                    "quiz_title",
                    "finished",
                    "seconds_left",
                    "pages",
                    "navigation",
                    "shows",
                    "marks",
                    "max_marks",
                    "questions",
                ],
                json!({
                    "id": int, "quiz_id": int, "student_id": int, "attempt": int, "started_at": time(),
                    "ends_at": maybe_time(), "submitted_at": maybe_time(), "auto_submitted": boolean,
                    "current_page": int, "needs_grading": boolean, "quiz_title": text, "finished": boolean,
                    "seconds_left": nullable("integer"), "pages": int, "navigation": one_of(&["free", "sequential"]),
                    "shows": schema_ref("ReviewShows"),
                    "marks": {"type": ["number", "null"], "description": "null while the review options hide them"},
                    "max_marks": number,
                    "questions": {"type": "array", "items": schema_ref("ShownQuestion")},
                }),
            ),
        ),
        (
            "Forum",
            object(
                &["module", "graded", "max_points", "threads", "unread"],
                json!({
                    "module": schema_ref("Module"), "graded": boolean, "max_points": number,
                    "threads": {"type": "integer", "description": "threads the caller sees"},
                    "unread": {"type": "integer", "description": "posts by others since the caller last read their thread"},
                }),
            ),
        ),
        (
            "Thread",
            object(
                &[
                    "id",
                    "forum_id",
                    "author_id",
                    "author_name",
                    "title",
                    "pinned",
                    "locked",
                    "hidden",
                    "created_at",
                    "last_post_at",
                    "deleted_at",
                    "delete_reason",
                    "posts",
                    "unread",
                ],
                json!({
                    "id": int, "forum_id": int, "author_id": nullable("integer"), "author_name": text, "title": text,
                    "pinned": boolean, "locked": {"type": "boolean", "description": "no new replies"}, "hidden": boolean,
                    "created_at": time(), "last_post_at": time(), "deleted_at": maybe_time(),
                    "delete_reason": {"type": ["string", "null"], "description": "staff only"},
                    "posts": int, "unread": int,
                }),
            ),
        ),
        (
            "Post",
            object(
                &[
                    "id",
                    "thread_id",
                    "parent_id",
                    "author_id",
                    "author_name",
                    "body_html",
                    "body_format",
                    "created_at",
                    "edited_at",
                    "hidden",
                    "deleted_at",
                    "delete_reason",
                    "files",
                    "unread",
                ],
                json!({
                    "id": int, "thread_id": int,
                    "parent_id": {"type": ["integer", "null"], "description": "the top-level post this replies to"},
                    "author_id": nullable("integer"), "author_name": text,
                    "body_html": {"type": "string", "description": "cleaned HTML; empty for a deleted post, to students"},
                    "body_format": {"type": ["string", "null"], "enum": ["markdown", "html", null]},
                    "created_at": time(), "edited_at": maybe_time(), "hidden": boolean, "deleted_at": maybe_time(),
                    "delete_reason": {"type": ["string", "null"], "description": "staff only"},
                    "files": {"type": "array", "items": schema_ref("Media")}, "unread": boolean,
                }),
            ),
        ),
        (
            "AnnouncementBody",
            object(
                &[],
                json!({
                    "title": text, "body": text, "body_format": one_of(&["markdown", "html"]),
                    "publish_at": {"type": "string", "description": "RFC 3339, or a wall-clock time in the caller's zone; empty: now"},
                    "pinned": boolean,
                }),
            ),
        ),
        (
            "Notification",
            object(
                &[
                    "id",
                    "kind",
                    "course_id",
                    "title",
                    "body",
                    "link",
                    "created_at",
                    "read_at",
                ],
                json!({
                    "id": int,
                    "kind": one_of(&["announcement", "discussion", "grade_released", "due_soon", "new_submission"]),
                    "course_id": nullable("integer"), "title": text, "body": text, "link": text,
                    "created_at": time(), "read_at": maybe_time(),
                }),
            ),
        ),
        (
            "ThreadCreate",
            object(
                &["title", "body"],
                json!({"title": text, "body": text, "format": one_of(&["markdown", "html"])}),
            ),
        ),
        (
            "PostCreate",
            object(
                &["body"],
                json!({"body": text, "format": one_of(&["markdown", "html"]), "parent_id": nullable("integer")}),
            ),
        ),
        (
            "Report",
            object(
                &["items", "letters", "lines"],
                json!({
                    "items": {"type": "array", "items": report_item},
                    "letters": {"type": "array", "items": letter},
                    "lines": {"type": "array", "items": line},
                }),
            ),
        ),
    ];
    schemas.extend(super::question_bank::schemas());
    Value::Object(
        schemas
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$ref` in `value`.
    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r.clone());
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_reference_resolves_and_every_path_parameter_is_declared() {
        let doc = &*DOCUMENT;
        let mut found = Vec::new();
        refs(doc, &mut found);
        assert!(!found.is_empty());
        for r in found {
            let name = r.strip_prefix("#/components/schemas/").unwrap();
            assert!(
                doc["components"]["schemas"].get(name).is_some(),
                "{r} dangles"
            );
        }
        for (path, methods) in doc["paths"].as_object().unwrap() {
            for (method, op) in methods.as_object().unwrap() {
                let declared: Vec<&str> = op["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|p| p["in"] == "path")
                    .map(|p| p["name"].as_str().unwrap())
                    .collect();
                let wanted: Vec<&str> = path_parameters(path).collect();
                assert_eq!(declared, wanted, "{method} {path}");
            }
        }
    }
}
