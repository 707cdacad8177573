//! The notifications page (newest first, unread marked, "mark all read"), opening one (marks
//! it read and goes to what it is about) and the settings of each kind: immediately, daily
//! digest or off, and email on or off (the unsubscribe links' own setting).

use std::collections::HashMap;

use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::Markup;

use super::{AppState, WebError, respond::see_other, routes::Routes, views, visitor::Me};
use crate::lms::notifications::{KINDS, Mode, Pref};

/// How many entries the page lists.
pub const PAGE_SIZE: i64 = 100;

pub fn routes() -> Routes {
    Routes::new()
        .get("/notifications", list)
        .post("/notifications/read-all", read_all)
        .get("/notifications/{id}", open)
        .get("/account/notifications", settings_page)
        .post("/account/notifications", save_settings)
}

async fn list(State(s): State<AppState>, me: Me) -> Result<Markup, WebError> {
    let entries = s.lms.notifications(&me.user, PAGE_SIZE).await?;
    Ok(views::notifications::list_page(&me.visitor, &entries))
}

async fn read_all(State(s): State<AppState>, me: Me) -> Result<Response, WebError> {
    let n = s.lms.mark_all_notifications_read(&me.user).await?;
    Ok(see_other(
        &me.visitor,
        "/notifications",
        &format!("Marked {n} notification(s) read."),
    ))
}

async fn open(
    State(s): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let n = s.lms.open_notification(&me.user, id).await?;
    Ok(Redirect::to(super::respond::local_path(&n.link)).into_response())
}

async fn settings_page(State(s): State<AppState>, me: Me) -> Result<Markup, WebError> {
    let prefs = s.lms.notification_prefs(&me.user).await?;
    Ok(views::notifications::settings_page(
        &me.visitor,
        &prefs,
        s.lms.mail_site().is_some(),
    ))
}

/// `<kind>_mode` = immediate/digest/off and `<kind>_email` = true when ticked.
async fn save_settings(
    State(s): State<AppState>,
    me: Me,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let mut prefs = Vec::new();
    for kind in KINDS {
        let mode = fields
            .get(&format!("{kind}_mode"))
            .and_then(|m| Mode::parse(m))
            .ok_or_else(|| WebError::BadRequest(format!("choose how to hear of {kind}")))?;
        let email = fields
            .get(&format!("{kind}_email"))
            .is_some_and(|v| v == "true");
        prefs.push(Pref { kind, mode, email });
    }
    s.lms.set_notification_prefs(&me.user, &prefs).await?;
    Ok(see_other(
        &me.visitor,
        "/account/notifications",
        "Notification settings saved.",
    ))
}
