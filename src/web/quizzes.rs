//! Quizzes over HTTP: a quiz's page (settings, the student's attempts, start or continue),
//! its questions and accommodations (staff), an attempt page by page (plain form posts that
//! save the page's answers), the review of a finished attempt (with a grader's marks for
//! staff), and the results with their CSV export. Adding and editing a quiz go through the
//! module forms (`modules`).

use axum::{
    Form,
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError,
    respond::{self, invalid, see_other},
    routes::Routes,
    views,
    visitor::Me,
};
use crate::lms::{
    FieldErrors, LmsError,
    courses::CourseView,
    permissions,
    quizzes::{
        Response as Answer,
        attempts::{AttemptView, ShownQuestion, TIME_UP},
        quiz::OverrideInput,
        results::results_csv,
    },
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/quizzes/{id}", quiz_page)
        .post("/courses/{slug}/quizzes/{id}/attempts", start)
        .get("/courses/{slug}/quizzes/{id}/questions", questions_page)
        .post("/courses/{slug}/quizzes/{id}/questions", add_questions)
        .post("/courses/{slug}/quizzes/{id}/questions/{slot}", change_slot)
        .get("/courses/{slug}/quizzes/{id}/overrides", overrides_page)
        .post("/courses/{slug}/quizzes/{id}/overrides", set_override)
        .get("/courses/{slug}/quizzes/{id}/results", results_page)
        .get("/courses/{slug}/quizzes/{id}/results.csv", results_export)
        .get("/courses/{slug}/attempts/{id}", attempt_page)
        .post("/courses/{slug}/attempts/{id}", save_page)
        .post("/courses/{slug}/attempts/{id}/grades", grade_question)
}

/// Where quiz `id` of course `slug` is.
pub fn quiz_path(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/quizzes/{id}")
}

fn attempt_path(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/attempts/{id}")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StartForm {
    password: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AddForm {
    what: String,
    question_id: String,
    category_id: String,
    count: String,
    mark: String,
    include_subcategories: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SlotForm {
    action: String,
    mark: String,
    position: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    page: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GradeForm {
    slot: String,
    mark: String,
    comment: String,
}

async fn quiz_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    show_quiz(&s, &me, &view, id, &FieldErrors::default()).await
}

async fn show_quiz(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    id: i64,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let info = s.lms.quiz_info(view, &me.user, id).await?;
    let waiting = if permissions::can_grade(view.access()) {
        Some(s.lms.essays_waiting(view, id).await?)
    } else {
        None
    };
    let markup = views::quizzes::quiz(&me.visitor, view, &info, waiting, errors, s.lms.now());
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn start(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<StartForm>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    match s
        .lms
        .start_attempt(&view, &me.user, id, &form.password)
        .await
    {
        Ok(a) => Ok(see_other(
            &me.visitor,
            &attempt_path(&slug, a.id),
            "Attempt started.",
        )),
        Err(LmsError::Invalid(errors)) => show_quiz(&s, &me, &view, id, &errors).await,
        Err(e) => Err(e.into()),
    }
}

async fn staff_view(s: &AppState, me: &Me, slug: &str) -> Result<CourseView, WebError> {
    let view = s.lms.course_view(&me.user, slug).await?;
    view.require(permissions::can_edit_content)?;
    Ok(view)
}

async fn questions_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = staff_view(&s, &me, &slug).await?;
    show_questions(&s, &me, &view, id, &FieldErrors::default()).await
}

async fn show_questions(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    id: i64,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let quiz = s.lms.quiz(view, id).await?;
    let slots = s.lms.quiz_slots(view, id).await?;
    let bank = s.lms.bank_entries(view).await?;
    let categories = s.lms.bank_categories(view).await?;
    let markup =
        views::quizzes::questions(&me.visitor, view, &quiz, &slots, &bank, &categories, errors);
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn add_questions(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<AddForm>,
) -> Result<Response, WebError> {
    let view = staff_view(&s, &me, &slug).await?;
    let parse = |text: &str, field: &'static str| {
        text.trim()
            .parse::<i64>()
            .map_err(|_| LmsError::field(field, "choose one"))
    };
    let result = if form.what == "random" {
        match parse(&form.category_id, "category_id") {
            Ok(category) => {
                s.lms
                    .add_random_questions(
                        &view,
                        id,
                        category,
                        &form.count,
                        &form.mark,
                        form.include_subcategories.is_some(),
                    )
                    .await
            }
            Err(e) => Err(e),
        }
    } else {
        match parse(&form.question_id, "question_id") {
            Ok(q) => s.lms.add_quiz_question(&view, id, q, &form.mark).await,
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(()) => Ok(see_other(
            &me.visitor,
            &format!("{}/questions", quiz_path(&slug, id)),
            "Question added.",
        )),
        Err(LmsError::Invalid(errors)) => show_questions(&s, &me, &view, id, &errors).await,
        Err(e) => Err(e.into()),
    }
}

async fn change_slot(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id, slot)): Path<(String, i64, i64)>,
    Form(form): Form<SlotForm>,
) -> Result<Response, WebError> {
    let view = staff_view(&s, &me, &slug).await?;
    let result = match form.action.as_str() {
        "remove" => s.lms.remove_quiz_slot(&view, id, slot).await,
        _ => {
            let position = respond::position(&form.position)?;
            s.lms
                .update_quiz_slot(&view, id, slot, &form.mark, position)
                .await
        }
    };
    match result {
        Ok(()) => Ok(see_other(
            &me.visitor,
            &format!("{}/questions", quiz_path(&slug, id)),
            "Saved.",
        )),
        Err(LmsError::Invalid(errors)) => show_questions(&s, &me, &view, id, &errors).await,
        Err(e) => Err(e.into()),
    }
}

async fn overrides_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = staff_view(&s, &me, &slug).await?;
    show_overrides(
        &s,
        &me,
        &view,
        id,
        &OverrideInput::default(),
        &FieldErrors::default(),
    )
    .await
}

async fn show_overrides(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    id: i64,
    input: &OverrideInput,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let quiz = s.lms.quiz(view, id).await?;
    let overrides = s.lms.quiz_overrides(view, id).await?;
    let students = s.lms.students(view).await?;
    let markup = views::quizzes::overrides(
        &me.visitor,
        view,
        &quiz,
        &overrides,
        &students,
        input,
        errors,
    );
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn set_override(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(input): Form<OverrideInput>,
) -> Result<Response, WebError> {
    let view = staff_view(&s, &me, &slug).await?;
    let input = OverrideInput {
        zone: me.visitor.zone,
        ..input
    };
    match s.lms.set_quiz_override(&view, id, &input).await {
        Ok(()) => Ok(see_other(
            &me.visitor,
            &format!("{}/overrides", quiz_path(&slug, id)),
            "Accommodations saved.",
        )),
        Err(LmsError::Invalid(errors)) => show_overrides(&s, &me, &view, id, &input, &errors).await,
        Err(e) => Err(e.into()),
    }
}

async fn results_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let results = s.lms.quiz_results(&view, id).await?;
    Ok(views::quizzes::results(&me.visitor, &view, &results).into_response())
}

async fn results_export(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let results = s.lms.quiz_results(&view, id).await?;
    let text = results_csv(&results)?;
    let name = format!("attachment; filename=\"{slug}-quiz-{id}-results.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        text,
    )
        .into_response())
}

async fn attempt_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    show_attempt(&s, &me, &view, id, q.page, &FieldErrors::default()).await
}

async fn show_attempt(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    id: i64,
    page: Option<i64>,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let attempt = s.lms.attempt_view(view, &me.user, id).await?;
    let mine = attempt.attempt.student_id == me.user.id;
    let page = page
        .unwrap_or(attempt.attempt.current_page)
        .clamp(0, attempt.pages - 1);
    let page = if attempt.navigation == "sequential" {
        page.max(attempt.attempt.current_page)
    } else {
        page
    };
    let markup = if attempt.finished || !mine {
        views::quizzes::review(&me.visitor, view, &attempt, errors)
    } else {
        views::quizzes::attempt(&me.visitor, view, &attempt, page, errors)
    };
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

/// The answers of the questions a page listed (`slots`), read from its fields.
fn answers_of(fields: &[(String, String)], questions: &[ShownQuestion]) -> Vec<(i64, Answer)> {
    let listed: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "slots")
        .flat_map(|(_, v)| v.split(',').filter_map(|s| s.trim().parse().ok()))
        .collect();
    let values = |name: &str| -> Vec<&str> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let one = |name: &str| {
        values(name)
            .first()
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for q in questions.iter().filter(|q| listed.contains(&q.slot)) {
        let key = format!("q{}", q.slot);
        let part = |i: usize| one(&format!("{key}-{i}"));
        let answer = match q.kind {
            "description" => continue,
            "multiple choice" => {
                let chosen: Vec<usize> =
                    values(&key).iter().filter_map(|v| v.parse().ok()).collect();
                if chosen.is_empty() {
                    Answer::Blank
                } else {
                    Answer::Choices(chosen)
                }
            }
            "true/false" => match one(&key).as_str() {
                "true" => Answer::Bool(true),
                "false" => Answer::Bool(false),
                _ => Answer::Blank,
            },
            "matching" => {
                let chosen: Vec<Option<usize>> =
                    (0..q.prompts.len()).map(|i| part(i).parse().ok()).collect();
                if chosen.iter().all(Option::is_none) {
                    Answer::Blank
                } else {
                    Answer::Matches(chosen)
                }
            }
            "ordering" => {
                let mut placed: Vec<(i64, usize, usize)> = q
                    .items
                    .iter()
                    .enumerate()
                    .filter_map(|(shown, item)| {
                        part(item.index)
                            .trim()
                            .parse::<i64>()
                            .ok()
                            .map(|p| (p, shown, item.index))
                    })
                    .collect();
                if placed.len() != q.items.len() {
                    Answer::Blank
                } else {
                    placed.sort();
                    Answer::Order(placed.into_iter().map(|p| p.2).collect())
                }
            }
            "fill in the blanks" => {
                let texts: Vec<String> = (0..q.gaps).map(part).collect();
                if texts.iter().all(|t| t.trim().is_empty()) {
                    Answer::Blank
                } else {
                    Answer::Gaps(texts)
                }
            }
            _ => {
                let text = one(&key);
                if text.trim().is_empty() {
                    Answer::Blank
                } else {
                    Answer::Text(text)
                }
            }
        };
        out.push((q.slot, answer));
    }
    out
}

/// Saves the page's answers, then goes to the page asked for (`to`), or submits (`finish`).
async fn save_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let before: AttemptView = s.lms.attempt_view(&view, &me.user, id).await?;
    let answers = answers_of(&fields, &before.questions);
    let to = fields
        .iter()
        .find(|(k, _)| k == "to")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let page = to.parse::<i64>().ok();
    match s
        .lms
        .save_answers(&view, &me.user, id, page, &answers)
        .await
    {
        Ok(_) => {}
        Err(LmsError::Invalid(errors)) if errors.get("attempt") == Some(TIME_UP) => {
            return Ok(see_other(&me.visitor, &attempt_path(&slug, id), TIME_UP));
        }
        Err(LmsError::Invalid(errors)) => {
            return show_attempt(
                &s,
                &me,
                &view,
                id,
                Some(before.attempt.current_page),
                &errors,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    }
    if to == "finish" {
        s.lms.submit_attempt(&view, &me.user, id).await?;
        return Ok(see_other(
            &me.visitor,
            &attempt_path(&slug, id),
            "Attempt submitted.",
        ));
    }
    let target = match page {
        Some(p) => format!("{}?page={p}", attempt_path(&slug, id)),
        None => attempt_path(&slug, id),
    };
    Ok(see_other(&me.visitor, &target, "Answers saved."))
}

async fn grade_question(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<GradeForm>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_grade)?;
    let slot: i64 =
        form.slot.trim().parse().map_err(|_| {
            WebError::BadRequest("the question number must be a whole number".into())
        })?;
    match s
        .lms
        .grade_attempt_question(&view, &me.user, id, slot, &form.mark, &form.comment)
        .await
    {
        Ok(()) => Ok(see_other(
            &me.visitor,
            &attempt_path(&slug, id),
            "Mark saved.",
        )),
        Err(LmsError::Invalid(errors)) => show_attempt(&s, &me, &view, id, None, &errors).await,
        Err(e) => Err(e.into()),
    }
}
