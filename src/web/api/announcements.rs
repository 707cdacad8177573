//! Announcements and the caller's notifications over the API: the same `lms` functions as the
//! pages (students see published announcements only; posting, changing and deleting are for
//! staff; everything else is not found).

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    error::ApiError,
    extract::{Caller, JsonBody, Page, Paging, Path},
};
use crate::{
    lms::{
        Zone,
        announcements::{Announcement, AnnouncementInput},
        notifications::Notification,
    },
    web::AppState,
};

#[derive(Debug, Serialize)]
pub struct AnnouncementEntry {
    id: i64,
    title: String,
    /// Cleaned HTML.
    body_html: String,
    body_format: String,
    /// The Markdown source, when written in Markdown.
    body_source: Option<String>,
    author: Option<String>,
    pinned: bool,
    publish_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    edited_at: Option<DateTime<Utc>>,
    read: bool,
}

impl From<Announcement> for AnnouncementEntry {
    fn from(a: Announcement) -> Self {
        let editable = a.body.editable();
        AnnouncementEntry {
            id: a.id,
            title: a.title,
            body_html: a.body.html,
            body_format: editable.format.as_str().into(),
            body_source: (editable.format == crate::lms::richtext::Format::Markdown)
                .then_some(editable.source),
            author: a.author,
            pinned: a.pinned,
            publish_at: a.publish_at,
            created_at: a.created_at,
            edited_at: a.edited_at,
            read: a.read,
        }
    }
}

/// A new announcement, or the fields to change (the others keep their values).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementBody {
    title: Option<String>,
    body: Option<String>,
    /// `markdown` (the default) or `html`.
    body_format: Option<String>,
    /// RFC 3339, or a wall-clock time in the caller's zone; empty or absent: now.
    publish_at: Option<String>,
    pinned: Option<bool>,
}

fn zone_of(s: &AppState, user: &crate::lms::User) -> Zone {
    user.time_zone
        .as_deref()
        .and_then(Zone::parse)
        .unwrap_or(s.lms.default_zone())
}

fn input(body: AnnouncementBody, base: AnnouncementInput) -> AnnouncementInput {
    AnnouncementInput {
        title: body.title.unwrap_or(base.title),
        body: body.body.unwrap_or(base.body),
        body_format: body.body_format.unwrap_or(base.body_format),
        publish_at: body.publish_at.unwrap_or(base.publish_at),
        pinned: match body.pinned {
            Some(p) => p.then(|| "true".into()),
            None => base.pinned,
        },
    }
}

pub async fn list(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    paging: Paging,
) -> Result<Json<Page<AnnouncementEntry>>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let all = s.lms.announcements(&view, &user, None).await?;
    Ok(Json(paging.page(all.into_iter().map(Into::into).collect())))
}

pub async fn show(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Json<AnnouncementEntry>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    Ok(Json(
        s.lms.open_announcement(&view, &user, id).await?.into(),
    ))
}

pub async fn create(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<AnnouncementBody>,
) -> Result<(StatusCode, Json<AnnouncementEntry>), ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    let zone = zone_of(&s, &user);
    let input = input(body, AnnouncementInput::default());
    let (a, _) = s.lms.post_announcement(&view, &user, &input, zone).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

pub async fn update(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
    JsonBody(body): JsonBody<AnnouncementBody>,
) -> Result<Json<AnnouncementEntry>, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    view.require(crate::lms::permissions::can_edit_content)?;
    let zone = zone_of(&s, &user);
    let old = s.lms.announcement(&view, &user, id).await?;
    let input = input(body, AnnouncementInput::from_announcement(&old, zone));
    let a = s
        .lms
        .update_announcement(&view, &user, id, &input, zone)
        .await?;
    Ok(Json(a.into()))
}

pub async fn delete(
    State(s): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    let view = s.lms.course_view(&user, &slug).await?;
    s.lms.delete_announcement(&view, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn notifications(
    State(s): State<AppState>,
    Caller(user): Caller,
    paging: Paging,
) -> Result<Json<Page<Notification>>, ApiError> {
    let all = s.lms.notifications(&user, 1000).await?;
    Ok(Json(paging.page(all)))
}

pub async fn read_all(
    State(s): State<AppState>,
    Caller(user): Caller,
) -> Result<StatusCode, ApiError> {
    s.lms.mark_all_notifications_read(&user).await?;
    Ok(StatusCode::NO_CONTENT)
}
