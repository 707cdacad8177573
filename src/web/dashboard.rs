//! The start page: the courses of the signed-in person.

use axum::{Router, extract::State, routing::get};
use maud::Markup;

use super::{AppState, WebError, views, visitor::Me};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(dashboard))
}

async fn dashboard(State(s): State<AppState>, me: Me) -> Result<Markup, WebError> {
    let courses = s.lms.my_courses(&me.user).await?;
    Ok(views::courses::dashboard(&me.visitor, &courses))
}
