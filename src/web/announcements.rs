//! Announcement pages: a course's list, one announcement (opening it marks it read), and the
//! staff's posting, editing and deleting. The form is the editor's (multipart, so its Preview
//! works), without attachments.

use axum::{
    extract::{Path, Request, State},
    response::{IntoResponse, Response},
};
use maud::Markup;

use super::{
    AppState, WebError,
    editor::EditorForm,
    respond::{invalid, see_other},
    routes::Routes,
    views,
    visitor::Me,
};
use crate::lms::{
    FieldErrors, LmsError,
    announcements::{AnnouncementInput, path},
    courses::CourseView,
    permissions,
    richtext::{Links, RichText},
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/announcements", list)
        .get("/courses/{slug}/announcements/new", new_page)
        .post("/courses/{slug}/announcements/new", create)
        .get("/courses/{slug}/announcements/{id}", show)
        .get("/courses/{slug}/announcements/{id}/edit", edit_page)
        .post("/courses/{slug}/announcements/{id}/edit", update)
        .post("/courses/{slug}/announcements/{id}/delete", delete)
}

async fn list(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
) -> Result<Markup, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let all = s.lms.announcements(&view, &me.user, None).await?;
    Ok(views::announcements::list_page(
        &me.visitor,
        &view,
        &all,
        s.lms.now(),
    ))
}

async fn show(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Markup, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let a = s.lms.open_announcement(&view, &me.user, id).await?;
    // The header's count was read before this opening marked the notification read.
    let mut visitor = me.visitor.clone();
    visitor.unread = s.lms.unread_notifications(me.user.id).await?;
    Ok(views::announcements::show_page(
        &visitor,
        &view,
        &a,
        s.lms.now(),
    ))
}

async fn staff_view(s: &AppState, me: &Me, slug: &str) -> Result<CourseView, WebError> {
    let view = s.lms.course_view(&me.user, slug).await?;
    view.require(permissions::can_edit_content)?;
    Ok(view)
}

async fn new_page(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
) -> Result<Markup, WebError> {
    let view = staff_view(&s, &me, &slug).await?;
    Ok(views::announcements::form(
        &me.visitor,
        &view,
        None,
        &AnnouncementInput::default(),
        &FieldErrors::default(),
        None,
    ))
}

/// The form's fields; files are not taken (and removed if a client sent some).
async fn read(s: &AppState, request: Request) -> Result<(AnnouncementInput, bool), WebError> {
    let form = EditorForm::read(s, request).await?;
    form.discard(s).await;
    Ok((form.input()?, form.preview()))
}

fn preview_html(input: &AnnouncementInput) -> String {
    let format = if input.body_format.is_empty() {
        "markdown"
    } else {
        &input.body_format
    };
    RichText::from_form(format, &input.body)
        .store(&Links::default())
        .html
}

async fn create(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let view = staff_view(&s, &me, &slug).await?;
    let (input, preview) = read(&s, request).await?;
    let none = FieldErrors::default();
    if preview {
        let html = preview_html(&input);
        return Ok(views::announcements::form(
            &me.visitor,
            &view,
            None,
            &input,
            &none,
            Some(&html),
        )
        .into_response());
    }
    match s
        .lms
        .post_announcement(&view, &me.user, &input, me.visitor.zone)
        .await
    {
        Ok((a, _)) => Ok(see_other(
            &me.visitor,
            &path(&slug, a.id),
            "Announcement posted.",
        )),
        Err(LmsError::Invalid(errors)) => Ok(invalid(views::announcements::form(
            &me.visitor,
            &view,
            None,
            &input,
            &errors,
            None,
        ))),
        Err(e) => Err(e.into()),
    }
}

async fn edit_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Markup, WebError> {
    let view = staff_view(&s, &me, &slug).await?;
    let a = s.lms.announcement(&view, &me.user, id).await?;
    Ok(views::announcements::form(
        &me.visitor,
        &view,
        Some(id),
        &AnnouncementInput::from_announcement(&a, me.visitor.zone),
        &FieldErrors::default(),
        None,
    ))
}

async fn update(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    request: Request,
) -> Result<Response, WebError> {
    let view = staff_view(&s, &me, &slug).await?;
    s.lms.announcement(&view, &me.user, id).await?;
    let (input, preview) = read(&s, request).await?;
    let none = FieldErrors::default();
    if preview {
        let html = preview_html(&input);
        return Ok(views::announcements::form(
            &me.visitor,
            &view,
            Some(id),
            &input,
            &none,
            Some(&html),
        )
        .into_response());
    }
    match s
        .lms
        .update_announcement(&view, &me.user, id, &input, me.visitor.zone)
        .await
    {
        Ok(a) => Ok(see_other(
            &me.visitor,
            &path(&slug, a.id),
            "Announcement saved.",
        )),
        Err(LmsError::Invalid(errors)) => Ok(invalid(views::announcements::form(
            &me.visitor,
            &view,
            Some(id),
            &input,
            &errors,
            None,
        ))),
        Err(e) => Err(e.into()),
    }
}

async fn delete(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = staff_view(&s, &me, &slug).await?;
    s.lms.delete_announcement(&view, &me.user, id).await?;
    Ok(see_other(
        &me.visitor,
        &format!("/courses/{slug}/announcements"),
        "Announcement deleted.",
    ))
}
