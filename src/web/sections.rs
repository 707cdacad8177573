//! Managing a course's sections: add one, and rename, move or reorder each.

use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError,
    modules::editable,
    respond::{self, invalid, optional_id, see_other},
    routes::Routes,
    views,
    visitor::Me,
};
use crate::lms::{
    FieldErrors, LmsError,
    courses::CourseView,
    sections::{SectionChange, is_within},
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/sections", manage)
        .post("/courses/{slug}/sections", add)
        .post("/courses/{slug}/sections/{id}", update)
        .get("/courses/{slug}/sections/{id}/delete", confirm_delete)
        .post("/courses/{slug}/sections/{id}/delete", delete)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SectionForm {
    pub title: String,
    pub parent_id: String,
    pub position: String,
}

/// Which form on the page a set of errors belongs to: the add form or one section's row.
pub enum Problem<'a> {
    None,
    Add(&'a SectionForm, &'a FieldErrors),
    Row(i64, &'a FieldErrors),
}

async fn page(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    problem: Problem<'_>,
) -> Result<Response, WebError> {
    let all = s.lms.sections(view).await?;
    let markup = views::sections::manage(&me.visitor, view, &all, &problem);
    Ok(match problem {
        Problem::None => markup.into_response(),
        _ => invalid(markup),
    })
}

async fn manage(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    page(&s, &me, &view, Problem::None).await
}

async fn add(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    Form(form): Form<SectionForm>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    match s
        .lms
        .add_section(&view, &form.title, optional_id(&form.parent_id)?)
        .await
    {
        Ok(section) => Ok(see_other(
            &me.visitor,
            &format!("/courses/{slug}/sections"),
            &format!("Section “{}” added.", section.title),
        )),
        Err(LmsError::Invalid(errors)) => page(&s, &me, &view, Problem::Add(&form, &errors)).await,
        Err(e) => Err(e.into()),
    }
}

async fn update(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<SectionForm>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let position = respond::position(&form.position)?;
    let change = SectionChange {
        title: form.title.clone(),
        parent_id: optional_id(&form.parent_id)?,
        position,
    };
    match s.lms.update_section(&view, id, &change).await {
        Ok(()) => Ok(see_other(
            &me.visitor,
            &format!("/courses/{slug}/sections"),
            "Section saved.",
        )),
        Err(LmsError::Invalid(errors)) => page(&s, &me, &view, Problem::Row(id, &errors)).await,
        Err(e) => Err(e.into()),
    }
}

/// Asks before a section goes to the trash, saying what goes with it; shows why not when it
/// cannot (with a 422 status).
async fn confirm_page(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    id: i64,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let all = s.lms.sections(view).await?;
    let section = all.iter().find(|x| x.id == id).ok_or(WebError::NotFound)?;
    let inside: Vec<i64> = all
        .iter()
        .filter(|x| is_within(&all, id, x.id))
        .map(|x| x.id)
        .collect();
    let modules = s
        .lms
        .modules(view)
        .await?
        .iter()
        .filter(|m| inside.contains(&m.section_id))
        .count();
    let subsections = inside.len() - 1;
    let slug = &view.course().slug;
    let confirm = views::trash::Confirm {
        what: "section",
        title: &section.title,
        detail: Some(content_words(subsections, modules)),
        action: format!("/courses/{slug}/sections/{id}/delete"),
        back: format!("/courses/{slug}/sections"),
        errors,
    };
    let markup = views::trash::confirm(&me.visitor, &confirm);
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn confirm_delete(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    confirm_page(&s, &me, &view, id, &FieldErrors::default()).await
}

async fn delete(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    match s.lms.delete_section(&view, id).await {
        Ok(()) => Ok(see_other(
            &me.visitor,
            &format!("/courses/{slug}/sections"),
            "Section moved to the trash.",
        )),
        Err(LmsError::Invalid(errors)) => confirm_page(&s, &me, &view, id, &errors).await,
        Err(e) => Err(e.into()),
    }
}

/// What goes with a section, in words.
fn content_words(subsections: usize, modules: usize) -> String {
    let count = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    let mut parts = Vec::new();
    if subsections > 0 {
        parts.push(count(
            subsections,
            "section inside it",
            "sections inside it",
        ));
    }
    parts.push(count(modules, "module", "modules"));
    format!(
        "With it go {}, with their submissions and grades; restoring the section brings them back.",
        parts.join(" and ")
    )
}
