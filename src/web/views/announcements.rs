//! Announcement pages: a course's list (pinned first, unread marked), one announcement, the
//! staff's form with the rich text editor, and the short lists on the course and home pages.

use chrono::{DateTime, Utc};
use maud::{Markup, PreEscaped, html};

use super::{editor, forms, page, when};
use crate::{
    lms::{
        FieldErrors,
        announcements::{Announcement, AnnouncementInput, CourseAnnouncement, path},
        courses::CourseView,
        permissions,
    },
    web::visitor::Visitor,
};

/// How many announcements the course page shows.
pub const ON_COURSE_PAGE: i64 = 3;
/// How many the home page shows.
pub const ON_HOME_PAGE: i64 = 5;

fn marks(v: &Visitor, a: &Announcement, now: DateTime<Utc>) -> Markup {
    html! {
        @if a.pinned { " " span.badge.pinned { "Pinned" } }
        @if !a.published(now) { " " span.badge.scheduled { "Scheduled for " (when(v.zone, a.publish_at)) } }
        @if !a.read && a.published(now) { " " span.badge.unread { "Unread" } }
        @if a.edited_at.is_some() { " " span.muted.edited { "(edited)" } }
    }
}

fn item(v: &Visitor, slug: &str, a: &Announcement, now: DateTime<Utc>) -> Markup {
    html! {
        li.announcement.unread[!a.read && a.published(now)] {
            a href=(path(slug, a.id)) { (a.title) }
            (marks(v, a, now))
            " " span.when { (when(v.zone, a.publish_at)) }
        }
    }
}

/// The course page's section: the latest few, a link to all, and for staff a way to post.
pub fn course_section(
    v: &Visitor,
    view: &CourseView,
    list: &[Announcement],
    now: DateTime<Utc>,
) -> Markup {
    let slug = &view.course().slug;
    let staff = permissions::can_edit_content(view.access());
    html! {
        section.announcements aria-labelledby="announcements-heading" {
            h2 #announcements-heading { "Announcements" }
            @if list.is_empty() {
                p.muted { "No announcements yet." }
            } @else {
                ul.announcements #course-announcements {
                    @for a in list { (item(v, slug, a, now)) }
                }
            }
            p.actions {
                a href={ "/courses/" (slug) "/announcements" } { "All announcements" }
                @if staff { " " a.button.secondary href={ "/courses/" (slug) "/announcements/new" } { "Post an announcement" } }
            }
        }
    }
}

/// The home page's list: the newest announcements of the person's courses.
pub fn home_section(v: &Visitor, list: &[CourseAnnouncement], now: DateTime<Utc>) -> Markup {
    html! {
        section.announcements aria-labelledby="home-announcements-heading" {
            h2 #home-announcements-heading { "Announcements" }
            @if list.is_empty() {
                p.muted { "No announcements in your courses." }
            } @else {
                ul.announcements #home-announcements {
                    @for c in list {
                        li.announcement.unread[!c.announcement.read] {
                            a href=(path(&c.course_slug, c.announcement.id)) { (c.announcement.title) }
                            (marks(v, &c.announcement, now))
                            " " span.course { a href={ "/courses/" (c.course_slug) } { (c.course_title) } }
                            " " span.when { (when(v.zone, c.announcement.publish_at)) }
                        }
                    }
                }
            }
        }
    }
}

/// All of a course's announcements.
pub fn list_page(
    v: &Visitor,
    view: &CourseView,
    list: &[Announcement],
    now: DateTime<Utc>,
) -> Markup {
    let course = view.course();
    let staff = permissions::can_edit_content(view.access());
    page(
        v,
        &format!("Announcements · {}", course.title),
        html! {
            p { a href={ "/courses/" (course.slug) } { "Back to " (course.title) } }
            @if staff {
                div.actions { a.button href={ "/courses/" (course.slug) "/announcements/new" } { "Post an announcement" } }
            }
            @if list.is_empty() {
                p.muted { "No announcements yet." }
            } @else {
                ul.announcements #all-announcements {
                    @for a in list { (item(v, &course.slug, a, now)) }
                }
            }
        },
    )
}

/// One announcement.
pub fn show_page(v: &Visitor, view: &CourseView, a: &Announcement, now: DateTime<Utc>) -> Markup {
    let course = view.course();
    let staff = permissions::can_edit_content(view.access());
    let base = path(&course.slug, a.id);
    page(
        v,
        &a.title,
        html! {
            p { a href={ "/courses/" (course.slug) "/announcements" } { "All announcements of " (course.title) } }
            p.meta {
                @if let Some(author) = &a.author { (author) ", " }
                (when(v.zone, a.publish_at))
                @if a.pinned { " " span.badge.pinned { "Pinned" } }
                @if !a.published(now) { " " span.badge.scheduled { "Scheduled: not shown to students yet" } }
                @if let Some(edited) = a.edited_at { " " span.muted.edited { "(edited " (when(v.zone, edited)) ")" } }
            }
            // Cleaned by `lms::richtext` when saved.
            div.content #announcement-body { (PreEscaped(&a.body.html)) }
            @if staff {
                div.actions {
                    a.button.secondary href={ (base) "/edit" } { "Edit" }
                    form.inline method="post" action={ (base) "/delete" } {
                        (forms::csrf(v))
                        button.danger type="submit" { "Delete" }
                    }
                }
            }
        },
    )
}

/// The staff's form: new (`id` none) or editing one.
pub fn form(
    v: &Visitor,
    view: &CourseView,
    id: Option<i64>,
    input: &AnnouncementInput,
    errors: &FieldErrors,
    preview: Option<&str>,
) -> Markup {
    let slug = &view.course().slug;
    let action = match id {
        Some(id) => format!("{}/edit", path(slug, id)),
        None => format!("/courses/{slug}/announcements/new"),
    };
    let format = if input.body_format.is_empty() {
        "markdown"
    } else {
        &input.body_format
    };
    let pinned = input
        .pinned
        .as_deref()
        .is_some_and(|p| matches!(p, "true" | "on" | "1"));
    page(
        v,
        if id.is_some() {
            "Edit announcement"
        } else {
            "Post an announcement"
        },
        html! {
            p { a href={ "/courses/" (slug) "/announcements" } { "Back to the announcements" } }
            @if let Some(html) = preview { (editor::preview(html)) }
            div.card {
                (forms::summary(errors))
                form.stack method="post" action=(action) enctype="multipart/form-data" {
                    (forms::csrf(v))
                    (forms::Field::new("title", "Title", &input.title).render(errors))
                    (editor::text_box(&editor::TextField {
                        name: "body",
                        label: "Text",
                        format,
                        source: &input.body,
                        attachments: &[],
                        errors,
                    }))
                    div.field {
                        label for="publish_at" { "Publish at (optional)" }
                        span.hint #publish_at-hint { "Empty: now. Students see it from then on. In your time zone, " (v.zone) "." }
                        @if let Some(e) = errors.get("publish_at") { span.error #publish_at-error { (e) } }
                        input type="datetime-local" #publish_at name="publish_at" value=(input.publish_at)
                            aria-describedby="publish_at-hint";
                    }
                    (forms::checkbox("pinned", "Pin it above the others", pinned))
                    div.actions {
                        button type="submit" { @if id.is_some() { "Save" } @else { "Post" } }
                        button.secondary type="submit" name="preview" value="true" { "Preview" }
                    }
                }
            }
            (editor::script())
        },
    )
}
