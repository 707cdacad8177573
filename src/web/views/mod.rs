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

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::visitor::Visitor;
use crate::lms::{Zone, permissions};

/// An instant as `zone` reads it, in a `<time>` element that carries the exact instant:
/// `Tue 3 Mar 2026, 17:00 EST`.
pub fn when(zone: Zone, t: chrono::DateTime<chrono::Utc>) -> Markup {
    html! { time datetime=(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) { (zone.show(t)) } }
}

/// A complete page: header navigation, flash message, a heading and `body`.
pub fn page(v: &Visitor, title: &str, body: Markup) -> Markup {
    let lead = html! {
        @if let Some(flash) = &v.flash {
            div.flash role="status" { (flash) }
        }
        h1 { (title) }
    };
    shell(&v.site.site_name, title, nav(v), lead, body)
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
        html! { h1 { (title) } },
        html! {
            p { (message) }
            p { a href="/" { "Go to the start page" } }
        },
    )
}

fn shell(site: &str, title: &str, nav: Markup, lead: Markup, body: Markup) -> Markup {
    // The frame is rendered around a slot and the page is put into it in the body's own
    // buffer: nesting it in the macro (`(body)` in `main`) copied a large page (the grading
    // table's 300 rows) into fresh buffers several times over, each copy faulting in new
    // pages, a tenth of that page's time. Nothing before the slot can spell it: text is
    // escaped, and the slot starts with `<`.
    const SLOT: &str = "<!--main-->";
    let frame = html! {
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
                main #main { (PreEscaped(SLOT)) }
            }
        }
    };
    let (before, after) = frame
        .0
        .split_once(SLOT)
        .expect("the page frame holds its slot");
    let mut head = String::with_capacity(before.len() + lead.0.len());
    head.push_str(before);
    head.push_str(&lead.0);
    let mut out = body.0;
    out.reserve(head.len() + after.len());
    out.insert_str(0, &head);
    out.push_str(after);
    PreEscaped(out)
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

#[cfg(test)]
mod tests {
    use super::error_page;

    #[test]
    fn the_page_lands_in_its_frame_once_whatever_its_text() {
        let html = error_page("<!--main-->", "body <!--main--> text").into_string();
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\"><head>"));
        assert!(html.contains("<title>&lt;!--main--&gt; · paideia</title>"));
        assert!(html.contains(
            "<main id=\"main\"><h1>&lt;!--main--&gt;</h1><p>body &lt;!--main--&gt; text</p>"
        ));
        assert!(html.ends_with("</p></main></body></html>"));
        assert!(!html.contains("<!--main-->"));
    }
}
