//! Course pages: creating a course, its page (sections with their modules and, for staff,
//! how many people it has in each role) and its settings form.

use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use maud::Markup;

use super::{
    AppState, WebError,
    respond::{outcome, see_other},
    routes::Routes,
    views,
    visitor::Me,
};
use crate::lms::{CourseInput, FieldErrors, permissions, sections};

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/new", new_page)
        .post("/courses/new", create)
        .get("/courses/{slug}", show)
        .get("/courses/{slug}/edit", edit_page)
        .post("/courses/{slug}/edit", update)
}

async fn new_page(me: Me) -> Result<Markup, WebError> {
    if !permissions::can_create_course(me.user.role) {
        return Err(WebError::NotFound);
    }
    let input = CourseInput {
        status: "draft".into(),
        ..CourseInput::default()
    };
    Ok(views::courses::form(
        &me.visitor,
        None,
        &input,
        &FieldErrors::default(),
    ))
}

async fn create(
    State(s): State<AppState>,
    me: Me,
    Form(input): Form<CourseInput>,
) -> Result<Response, WebError> {
    outcome(
        s.lms.create_course(&me.user, &input).await,
        |course| {
            see_other(
                &me.visitor,
                &format!("/courses/{}", course.slug),
                "Course created. You are its teacher.",
            )
        },
        |errors| views::courses::form(&me.visitor, None, &input, errors),
    )
}

async fn show(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
) -> Result<Markup, WebError> {
    let (view, people) = s.lms.course_view_counted(&me.user, &slug).await?;
    let on_page = Some(views::announcements::ON_COURSE_PAGE);
    let (all, modules, news) = s
        .lms
        .together(async {
            tokio::try_join!(
                s.lms.sections(&view),
                s.lms.modules(&view),
                s.lms.announcements(&view, &me.user, on_page),
            )
        })
        .await?;
    Ok(views::courses::show(
        &me.visitor,
        &view,
        &sections::tree(&all, None),
        &modules,
        people,
        &news,
        s.lms.now(),
    ))
}

async fn edit_page(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
) -> Result<Markup, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_edit_course)?;
    let input = CourseInput::from_course(view.course());
    Ok(views::courses::form(
        &me.visitor,
        Some(&slug),
        &input,
        &FieldErrors::default(),
    ))
}

async fn update(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    Form(input): Form<CourseInput>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    outcome(
        s.lms.update_course(&view, &input).await,
        |course| {
            see_other(
                &me.visitor,
                &format!("/courses/{}", course.slug),
                "Course saved.",
            )
        },
        |errors| views::courses::form(&me.visitor, Some(&slug), &input, errors),
    )
}
