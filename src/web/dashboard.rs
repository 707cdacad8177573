//! The start page: what the signed-in person has to do next, then their courses.

use axum::extract::State;
use maud::Markup;

use super::{AppState, WebError, routes::Routes, views, visitor::Me};

pub fn routes() -> Routes {
    Routes::new().get("/", dashboard)
}

async fn dashboard(State(s): State<AppState>, me: Me) -> Result<Markup, WebError> {
    let (courses, (todo, news)) = s
        .lms
        .together(async {
            let courses = s.lms.my_courses(&me.user).await?;
            let rest = tokio::try_join!(
                s.lms.todo_in(&me.user, &courses),
                s.lms
                    .home_announcements(&me.user, views::announcements::ON_HOME_PAGE),
            )?;
            Ok((courses, rest))
        })
        .await?;
    Ok(views::home::page_for(
        &me.visitor,
        s.lms.now(),
        &todo,
        &courses,
        &news,
    ))
}
