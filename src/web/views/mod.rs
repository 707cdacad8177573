//! HTML with maud: the page shell every page shares, the error page, and one module per area.
//! Views only render what handlers give them; they never call the LMS.

pub mod admin;
pub mod announcements;
pub mod auth;
pub mod calendar;
pub mod courses;
pub mod discussions;
pub mod editor;
pub mod forms;
pub mod gradebook;
pub mod grading;
pub mod home;
pub mod mail;
pub mod modules;
pub mod notifications;
pub mod people;
pub mod question_bank;
pub mod quiz_grading;
pub mod quizzes;
pub mod sections;
pub mod tokens;
pub mod trash;

use maud::{DOCTYPE, Markup, html};

use super::visitor::Visitor;
use crate::lms::{Zone, permissions};

/// An instant as `zone` reads it, in a `<time>` element that carries the exact instant:
/// `Tue 3 Mar 2026, 17:00 EST`.
pub fn when(zone: Zone, t: chrono::DateTime<chrono::Utc>) -> Markup {
    html! { time datetime=(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) { (zone.show(t)) } }
}

/// A complete page: header navigation, flash message, a heading and `body`.
pub fn page(v: &Visitor, title: &str, body: Markup) -> Markup {
    shell(
        &v.site.site_name,
        title,
        nav(v),
        html! {
            @if let Some(flash) = &v.flash {
                div.flash role="status" { (flash) }
            }
            h1 { (title) }
            (body)
        },
    )
}

/// An error inside the site's own frame: its name and the visitor's navigation.
pub fn framed_error(v: &Visitor, title: &str, message: &str) -> Markup {
    page(
        v,
        title,
        html! {
            p { (message) }
            p { a href="/" { "Go to the start page" } }
        },
    )
}

/// A page for errors, which has no visitor to draw navigation for.
pub fn error_page(title: &str, message: &str) -> Markup {
    shell(
        "paideia",
        title,
        html! { a.brand href="/" { "paideia" } },
        html! {
            h1 { (title) }
            p { (message) }
            p { a href="/" { "Go to the start page" } }
        },
    )
}

fn shell(site: &str, title: &str, nav: Markup, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (site) }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.site { nav aria-label="Main" { (nav) } }
                main #main { (main) }
            }
        }
    }
}

fn nav(v: &Visitor) -> Markup {
    html! {
        a.brand href="/" { (v.site.site_name) }
        ul {
            @if let Some(user) = v.user() {
                li { a href="/" { "Home" } }
                li { a href="/calendar" { "Calendar" } }
                li {
                    a href="/notifications" {
                        "Notifications"
                        @if v.unread > 0 {
                            " " span.badge #unread-count { (v.unread) span.visually-hidden { " unread" } }
                        }
                    }
                }
                @if permissions::can_administer_site(user.role) {
                    li { a href="/admin/users" { "Users" } }
                    li { a href="/admin/settings" { "Site settings" } }
                    li { a href="/admin/system" { "System" } }
                }
                li { a href="/account" { "Account" } }
                @if v.may_make_api_tokens() {
                    li { a href="/account/tokens" { "API tokens" } }
                }
                li {
                    form method="post" action="/logout" {
                        (forms::csrf(v))
                        button type="submit" { "Sign out " span.visually-hidden { (user.display_name) } }
                    }
                }
            } @else {
                li { a href="/login" { "Sign in" } }
            }
        }
    }
}
