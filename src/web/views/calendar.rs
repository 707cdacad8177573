//! The calendar: a month as a grid of weeks or as an agenda of days, every time in the
//! reader's zone; the page of one's calendar feed; and the feed itself as iCalendar text.

use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use maud::{Markup, html};

use super::{forms, page, when};
use crate::{
    lms::{
        Zone,
        agenda::{Dated, Month},
        feeds::{CalendarFeed, NewFeed},
    },
    web::visitor::Visitor,
};

/// How the month is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Grid,
    Agenda,
}

impl Layout {
    pub fn parse(text: Option<&str>) -> Layout {
        match text {
            Some("agenda") => Layout::Agenda,
            _ => Layout::Grid,
        }
    }

    fn query(self) -> &'static str {
        match self {
            Layout::Grid => "",
            Layout::Agenda => "&view=agenda",
        }
    }
}

fn href(month: Month, layout: Layout) -> String {
    format!("/calendar?month={}{}", month.key(), layout.query())
}

fn item_line(v: &Visitor, item: &Dated) -> Markup {
    html! {
        span class={ "kind " (item.kind.as_str()) } { (item.kind.label()) }
        " "
        a href={ "/courses/" (item.course.slug) "/modules/" (item.module_id) } { (item.title) }
        " "
        span.course { (item.course.title) }
        " "
        time.at datetime=(item.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) { (v.zone.show_time(item.at)) }
    }
}

/// The month page. `notice` says why another month than the one asked for is shown.
pub fn month(
    v: &Visitor,
    month: Month,
    layout: Layout,
    today: NaiveDate,
    items: &[Dated],
    notice: Option<&str>,
) -> Markup {
    page(
        v,
        "Calendar",
        html! {
            @if let Some(notice) = notice { p.warning role="status" { (notice) } }
            nav.calendar-nav aria-label="Months" {
                a href=(href(month.prev(), layout)) rel="prev" { "← " (month.prev().label()) }
                h2 #month-heading { (month.label()) }
                a href=(href(month.next(), layout)) rel="next" { (month.next().label()) " →" }
            }
            nav.views aria-label="Views" {
                a href=(href(month, Layout::Grid)) aria-current=[(layout == Layout::Grid).then_some("page")] { "Month" }
                a href=(href(month, Layout::Agenda)) aria-current=[(layout == Layout::Agenda).then_some("page")] { "Agenda" }
                @if today < month.first_day() || today > month.last_day() {
                    a href=(format!("/calendar{}", layout.query().replacen('&', "?", 1))) { "This month" }
                }
            }
            p.muted.small { "Times in " (v.zone.name()) ". " a href="/account" { "Change your time zone" } }
            @match layout {
                Layout::Grid => (grid(v, month, today, items)),
                Layout::Agenda => (agenda(v, month, items)),
            }
            p { a href="/calendar/feed" { "Subscribe in your calendar app" } " (an iCalendar feed of these dates)." }
        },
    )
}

fn grid(v: &Visitor, month: Month, today: NaiveDate, items: &[Dated]) -> Markup {
    let on = |day: NaiveDate| -> Vec<&Dated> {
        items
            .iter()
            .filter(|i| v.zone.date_of(i.at) == day)
            .collect()
    };
    html! {
        div.table-scroll {
            table.month aria-labelledby="month-heading" {
                thead { tr { @for d in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] { th scope="col" { (d) } } } }
                tbody {
                    @for week in month.weeks() {
                        tr {
                            @for day in week {
                                @let outside = day < month.first_day() || day > month.last_day();
                                td class={ @if outside { "outside" } @if day == today { " today" } } {
                                    div.day { (day.format("%-d")) @if day == today { span.visually-hidden { " (today)" } } }
                                    @let here = on(day);
                                    @if !here.is_empty() {
                                        ul.items { @for item in here { li { (item_line(v, item)) } } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn agenda(v: &Visitor, month: Month, items: &[Dated]) -> Markup {
    let mut days: Vec<(NaiveDate, Vec<&Dated>)> = Vec::new();
    for item in items {
        let day = v.zone.date_of(item.at);
        match days.last_mut() {
            Some((d, list)) if *d == day => list.push(item),
            _ => days.push((day, vec![item])),
        }
    }
    html! {
        @if days.is_empty() {
            p.muted { "Nothing dated in " (month.label()) "." }
        }
        div.agenda {
            @for (day, list) in &days {
                h3 { (day.format("%A %-d %B")) }
                ul.items {
                    @for item in list { li { (item_line(v, item)) } }
                }
            }
        }
    }
}

/// The feed page: the address once when just made, what exists, and the buttons.
pub fn feed_page(
    v: &Visitor,
    base: &str,
    feed: Option<&CalendarFeed>,
    new: Option<&NewFeed>,
) -> Markup {
    page(
        v,
        "Calendar feed",
        html! {
            p { "Calendar apps (Thunderbird, Apple Calendar, Google Calendar, Outlook) can subscribe to the dates of your courses: openings, deadlines and cut-offs, and quizzes' openings and closes. The address is secret: anyone who has it can read these dates, without signing in." }
            @if let Some(new) = new {
                div.flash role="status" {
                    p { "Your feed's address. Copy it now: it is not shown again." }
                    p { code #feed-url { (base) "/calendar/feed/" (new.secret) ".ics" } }
                }
            }
            @match feed {
                Some(feed) => {
                    dl.facts {
                        dt { "Made" } dd { (when(v.zone, feed.created_at)) }
                        dt { "Last read" } dd { @match feed.last_used_at { Some(t) => (when(v.zone, t)), None => "never" } }
                    }
                    div.actions {
                        form method="post" action="/calendar/feed" {
                            (forms::csrf(v))
                            button.secondary type="submit" { "Make a new address" }
                        }
                        form method="post" action="/calendar/feed/revoke" {
                            (forms::csrf(v))
                            button.danger type="submit" { "Revoke the feed" }
                        }
                    }
                    p.muted.small { "A new address replaces the old one, which then stops working; revoking stops it without a new one." }
                }
                None => {
                    p.muted { "You have no feed." }
                    form method="post" action="/calendar/feed" {
                        (forms::csrf(v))
                        button type="submit" { "Make a feed address" }
                    }
                }
            }
            p { a href="/calendar" { "Back to the calendar" } }
        },
    )
}

/// The iCalendar text of `items`: one event at each date, at its exact instant (UTC), its
/// summary naming the course, its description the time as `zone` reads it.
pub fn ics(
    calendar_name: &str,
    base: &str,
    host: &str,
    zone: Zone,
    now: DateTime<Utc>,
    items: &[Dated],
) -> String {
    let mut calendar = Calendar::new();
    calendar.name(calendar_name).timezone(zone.name());
    for item in items {
        let url = format!(
            "{base}/courses/{}/modules/{}",
            item.course.slug, item.module_id
        );
        let summary = format!(
            "{}: {} ({})",
            item.kind.label(),
            item.title,
            item.course.title
        );
        let description = format!(
            "{} {} in {}: {}\n{url}",
            item.kind.label(),
            zone.show(item.at),
            item.course.title,
            item.title,
        );
        calendar.push(
            Event::new()
                .uid(&format!("{}-{}@{host}", item.kind.as_str(), item.module_id))
                .timestamp(now)
                .starts(item.at)
                .summary(&summary)
                .description(&description)
                .url(&url)
                .done(),
        );
    }
    calendar.done().to_string()
}
