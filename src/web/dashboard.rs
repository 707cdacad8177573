//! The start page: the courses of the signed-in person.

use axum::extract::State;
use maud::Markup;

use super::{AppState, WebError, routes::Routes, views, visitor::Me};

pub fn routes() -> Routes {
    Routes::new().get("/", dashboard)
}

async fn dashboard(State(s): State<AppState>, me: Me) -> Result<Markup, WebError> {
    let courses = s.lms.my_courses(&me.user).await?;
    Ok(views::courses::dashboard(&me.visitor, &courses))
}
