//! The calendar pages: a month of the person's dated items (grid or agenda), the page that
//! makes, replaces and revokes their feed, and the feed itself at its secret address, which
//! answers without a session (calendar apps have none) and 404 for any other address.

use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use maud::Markup;
use serde::Deserialize;

use super::{
    AppState, WebError,
    respond::see_other,
    routes::Routes,
    views::{
        self,
        calendar::{Layout, ics},
    },
    visitor::{Me, Visitor},
};
use crate::lms::agenda::Month;

pub fn routes() -> Routes {
    Routes::new()
        .get("/calendar", month)
        .get("/calendar/feed", feed_page)
        .post("/calendar/feed", create_feed)
        .post("/calendar/feed/revoke", revoke_feed)
        .get("/calendar/feed/{file}", feed)
}

/// Where the feed lives, and what a request path looks like in the log instead of it.
pub const FEED_PREFIX: &str = "/calendar/feed/";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MonthQuery {
    month: Option<String>,
    view: Option<String>,
}

async fn month(
    State(s): State<AppState>,
    me: Me,
    Query(q): Query<MonthQuery>,
) -> Result<Markup, WebError> {
    let zone = me.visitor.zone;
    let now = s.lms.now();
    let this_month = Month::of(zone, now);
    let (month, notice) = match q.month.as_deref().filter(|m| !m.trim().is_empty()) {
        None => (this_month, None),
        Some(text) => match Month::parse(text) {
            Some(m) => (m, None),
            None => (
                this_month,
                Some(format!(
                    "“{text}” is not a month written like 2026-03; this is the current month."
                )),
            ),
        },
    };
    let (from, to) = month.span(zone);
    let items = s.lms.dated_items(&me.user, Some(from), Some(to)).await?;
    Ok(views::calendar::month(
        &me.visitor,
        month,
        Layout::parse(q.view.as_deref()),
        zone.date_of(now),
        &items,
        notice.as_deref(),
    ))
}

/// `https://host` as this request reached the site (the scheme from `Visitor::secure`, which
/// believes only trusted proxies). A Host header that is not a plain host name gives
/// `localhost`, so nothing odd reaches the page or the feed.
fn origin(v: &Visitor, headers: &HeaderMap) -> (String, String) {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost")
        .to_string();
    let scheme = if v.secure { "https" } else { "http" };
    (format!("{scheme}://{host}"), host)
}

async fn feed_page(
    State(s): State<AppState>,
    me: Me,
    headers: HeaderMap,
) -> Result<Markup, WebError> {
    let feed = s.lms.calendar_feed(&me.user).await?;
    let (base, _) = origin(&me.visitor, &headers);
    Ok(views::calendar::feed_page(
        &me.visitor,
        &base,
        feed.as_ref(),
        None,
    ))
}

async fn create_feed(
    State(s): State<AppState>,
    me: Me,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let new = s.lms.create_calendar_feed(&me.user).await?;
    let (base, _) = origin(&me.visitor, &headers);
    let markup = views::calendar::feed_page(&me.visitor, &base, Some(&new.feed), Some(&new));
    // The secret is in this page only: no cache may keep it.
    Ok(([(header::CACHE_CONTROL, "no-store")], markup).into_response())
}

async fn revoke_feed(State(s): State<AppState>, me: Me) -> Result<Response, WebError> {
    s.lms.revoke_calendar_feed(&me.user).await?;
    Ok(see_other(
        &me.visitor,
        "/calendar/feed",
        "Feed revoked. Its address now finds nothing.",
    ))
}

/// The feed at `/calendar/feed/<secret>.ics`.
async fn feed(
    State(s): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let secret = file.strip_suffix(".ics").ok_or(WebError::NotFound)?;
    let user = s
        .lms
        .calendar_feed_user(secret)
        .await?
        .ok_or(WebError::NotFound)?;
    let zone = s.lms.zone_of(&user).await?;
    let items = s.lms.dated_items(&user, None, None).await?;
    let (base, host) = origin(&v, &headers);
    let name = format!("{} — {}", v.site.site_name, user.display_name);
    let body = ics(&name, &base, &host, zone, s.lms.now(), &items);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"calendar.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}
