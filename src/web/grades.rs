//! The gradebook over HTTP: staff see every student's grades with the weighted final grade
//! and letter, set up manual items, weights and letter grades, grade any item, release an
//! item's grades and export CSV; a student sees their own released grades.

use axum::{
    Form,
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError,
    respond::{invalid, local_path, see_other},
    routes::Routes,
    views::{self, gradebook::Problem},
    visitor::Me,
};
use crate::lms::{
    LmsError,
    courses::CourseView,
    gradebook::{self, ItemInput},
    permissions,
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/grades", show)
        .get("/courses/{slug}/grades.csv", export)
        .post("/courses/{slug}/grades/items", add_item)
        .get("/courses/{slug}/grades/items/{item}", item_page)
        .post("/courses/{slug}/grades/items/{item}", update_item)
        .post("/courses/{slug}/grades/items/{item}/release", release)
        .post(
            "/courses/{slug}/grades/items/{item}/students/{student}",
            grade,
        )
        .post("/courses/{slug}/grades/letters", letters)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GradeForm {
    pub points: String,
    pub feedback: String,
    /// The page to return to (the submissions page or the item's page).
    pub back: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LettersForm {
    pub letters: String,
}

async fn grader(s: &AppState, me: &Me, slug: &str) -> Result<CourseView, WebError> {
    let view = s.lms.course_view(&me.user, slug).await?;
    view.require(permissions::can_grade)?;
    Ok(view)
}

async fn page(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    problem: Problem<'_>,
) -> Result<Response, WebError> {
    let report = s.lms.gradebook_points(view).await?;
    let ok = matches!(problem, Problem::None);
    let markup = views::gradebook::staff(&me.visitor, view, &report, &problem);
    Ok(if ok {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn show(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    if permissions::can_submit(view.access()) {
        let report = s.lms.my_grades(&view, &me.user).await?;
        return Ok(views::gradebook::mine(&me.visitor, &view, &report).into_response());
    }
    view.require(permissions::can_grade)?;
    page(&s, &me, &view, Problem::None).await
}

async fn export(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let view = grader(&s, &me, &slug).await?;
    let report = s.lms.gradebook(&view).await?;
    let text = gradebook::csv(&report)?;
    let disposition = format!("attachment; filename=\"{slug}-grades.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-cache".to_string()),
        ],
        text,
    )
        .into_response())
}

async fn add_item(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    Form(input): Form<ItemInput>,
) -> Result<Response, WebError> {
    let view = grader(&s, &me, &slug).await?;
    match s.lms.add_item(&view, &input).await {
        Ok(item) => Ok(see_other(
            &me.visitor,
            &format!("/courses/{slug}/grades"),
            &format!("Item “{}” added.", item.title),
        )),
        Err(LmsError::Invalid(errors)) => page(&s, &me, &view, Problem::Add(&input, &errors)).await,
        Err(e) => Err(e.into()),
    }
}

async fn update_item(
    State(s): State<AppState>,
    me: Me,
    Path((slug, item)): Path<(String, i64)>,
    Form(input): Form<ItemInput>,
) -> Result<Response, WebError> {
    let view = grader(&s, &me, &slug).await?;
    match s.lms.update_item(&view, item, &input).await {
        Ok(()) => Ok(see_other(
            &me.visitor,
            &format!("/courses/{slug}/grades"),
            "Item saved.",
        )),
        Err(LmsError::Invalid(errors)) => page(&s, &me, &view, Problem::Item(item, &errors)).await,
        Err(e) => Err(e.into()),
    }
}

async fn letters(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    Form(form): Form<LettersForm>,
) -> Result<Response, WebError> {
    let view = grader(&s, &me, &slug).await?;
    match s.lms.set_letters(&view, &form.letters).await {
        Ok(()) => Ok(see_other(
            &me.visitor,
            &format!("/courses/{slug}/grades"),
            "Letter grades saved.",
        )),
        Err(LmsError::Invalid(errors)) => {
            page(&s, &me, &view, Problem::Letters(&form.letters, &errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One item's grading page: every student with their grade and a form.
async fn item_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, item)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = grader(&s, &me, &slug).await?;
    let report = s.lms.gradebook(&view).await?;
    let item = report.item(item)?;
    Ok(views::gradebook::item(&me.visitor, &view, item, &report, None).into_response())
}

async fn grade(
    State(s): State<AppState>,
    me: Me,
    Path((slug, item, student)): Path<(String, i64, i64)>,
    Form(form): Form<GradeForm>,
) -> Result<Response, WebError> {
    let view = grader(&s, &me, &slug).await?;
    let item_path = format!("/courses/{slug}/grades/items/{item}");
    let back = back_or(&form.back, &item_path);
    match s
        .lms
        .grade(&view, &me.user, item, student, &form.points, &form.feedback)
        .await
    {
        Ok(()) => Ok(see_other(&me.visitor, back, "Grade saved.")),
        Err(LmsError::Invalid(errors)) => {
            let report = s.lms.gradebook(&view).await?;
            let item = report.item(item)?;
            let problem = (student, &form, &errors);
            Ok(invalid(views::gradebook::item(
                &me.visitor,
                &view,
                item,
                &report,
                Some(problem),
            )))
        }
        Err(e) => Err(e.into()),
    }
}

async fn release(
    State(s): State<AppState>,
    me: Me,
    Path((slug, item)): Path<(String, i64)>,
    Form(form): Form<GradeForm>,
) -> Result<Response, WebError> {
    let view = grader(&s, &me, &slug).await?;
    let n = s.lms.release_grades(&view, item).await?;
    let item_path = format!("/courses/{slug}/grades/items/{item}");
    let back = back_or(&form.back, &item_path);
    Ok(see_other(
        &me.visitor,
        back,
        &format!("{n} grade(s) released to students."),
    ))
}

/// Where a grading form returns: the local page it names, else `fallback`.
fn back_or<'a>(back: &'a str, fallback: &'a str) -> &'a str {
    match local_path(back) {
        "/" => fallback,
        back => back,
    }
}
