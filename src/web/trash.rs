//! A course's trash over HTTP: the page listing what staff deleted, restoring an entry and
//! deleting one for good (its files' objects are removed after the commit).

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
};

use super::{
    AppState, WebError, modules::editable, respond::see_other, routes::Routes, upload, views,
    visitor::Me,
};
use crate::lms::trash::Trashed;

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/trash", show)
        .post("/courses/{slug}/trash/{table}/{id}/restore", restore)
        .post("/courses/{slug}/trash/{table}/{id}/purge", purge)
}

async fn show(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let items = s.lms.trash(&view).await?;
    Ok(views::trash::trash(&me.visitor, &view, &items).into_response())
}

fn entry(table: &str) -> Result<Trashed, WebError> {
    Trashed::from_table(table).ok_or(WebError::NotFound)
}

async fn restore(
    State(s): State<AppState>,
    me: Me,
    Path((slug, table, id)): Path<(String, String, i64)>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    match entry(&table)? {
        Trashed::Section => s.lms.restore_section(&view, id).await?,
        Trashed::Module(_) => s.lms.restore_module(&view, id).await?,
    }
    Ok(see_other(
        &me.visitor,
        &format!("/courses/{slug}/trash"),
        "Restored.",
    ))
}

async fn purge(
    State(s): State<AppState>,
    me: Me,
    Path((slug, table, id)): Path<(String, String, i64)>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let keys = s.lms.purge_trashed(&view, entry(&table)?, id).await?;
    upload::discard_keys(&s.storage, &keys).await;
    Ok(see_other(
        &me.visitor,
        &format!("/courses/{slug}/trash"),
        "Deleted for good.",
    ))
}
