//! The start page: what the signed-in person has to do next, then their courses.

use axum::extract::State;
use maud::Markup;

use super::{AppState, WebError, routes::Routes, views, visitor::Me};

pub fn routes() -> Routes {
    Routes::new().get("/", dashboard)
}

async fn dashboard(State(s): State<AppState>, me: Me) -> Result<Markup, WebError> {
    let courses = s.lms.my_courses(&me.user).await?;
    let todo = s.lms.todo_in(&me.user, &courses).await?;
    let news = s
        .lms
        .home_announcements(&me.user, views::announcements::ON_HOME_PAGE)
        .await?;
    Ok(views::home::page_for(
        &me.visitor,
        s.lms.now(),
        &todo,
        &courses,
        &news,
    ))
}
