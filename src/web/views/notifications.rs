//! The notifications page and the notification settings.

use maud::{Markup, html};

use super::{forms, page, when};
use crate::{
    lms::notifications::{Mode, Notification, Pref},
    web::visitor::Visitor,
};

/// Every entry, newest first, unread ones marked, with "mark all read".
pub fn list_page(v: &Visitor, entries: &[Notification]) -> Markup {
    let unread = entries.iter().filter(|n| n.read_at.is_none()).count();
    page(
        v,
        "Notifications",
        html! {
            div.actions {
                @if unread > 0 {
                    form.inline method="post" action="/notifications/read-all" {
                        (forms::csrf(v))
                        button.secondary type="submit" { "Mark all read" }
                    }
                }
                a.button.secondary href="/account/notifications" { "Notification settings" }
            }
            @if entries.is_empty() {
                p.muted { "Nothing yet. New announcements, released grades, work due soon and replies in threads you follow appear here." }
            } @else {
                ul.notifications #notifications {
                    @for n in entries {
                        li.notification.unread[n.read_at.is_none()] data-kind=(n.kind) {
                            a href={ "/notifications/" (n.id) } { (n.title) }
                            @if n.read_at.is_none() { " " span.badge.unread { "Unread" } }
                            " " span.when { (when(v.zone, n.created_at)) }
                            @if !n.body.is_empty() { p.muted { (n.body) } }
                        }
                    }
                }
            }
        },
    )
}

/// How each kind reaches the person, as a table of choices.
pub fn settings_page(v: &Visitor, prefs: &[Pref], mail_on: bool) -> Markup {
    page(
        v,
        "Notification settings",
        html! {
            p { a href="/notifications" { "Back to notifications" } }
            p.muted {
                "Immediately: on this site at once, and by email when email is on. "
                "Daily digest: on this site at once, and in one email a day (from 07:00 in your time zone, " (v.zone) "). "
                "Off: not at all."
                @if !mail_on { " This site does not send email yet; the email choices apply once it does." }
            }
            form.stack method="post" action="/account/notifications" {
                (forms::csrf(v))
                table.prefs {
                    thead { tr { th scope="col" { "About" } th scope="col" { "How" } th scope="col" { "Email" } } }
                    tbody {
                        @for p in prefs {
                            tr {
                                th scope="row" { (p.kind.label()) }
                                td {
                                    select name={ (p.kind) "_mode" } aria-label={ "How to hear of " (p.kind.label().to_lowercase()) } {
                                        @for m in Mode::ALL {
                                            option value=(m.as_str()) selected[*m == p.mode] { (m.label()) }
                                        }
                                    }
                                }
                                td {
                                    input type="checkbox" id={ (p.kind) "_email" } name={ (p.kind) "_email" } value="true" checked[p.email]
                                        aria-label={ "Email about " (p.kind.label().to_lowercase()) };
                                }
                            }
                        }
                    }
                }
                div.actions { button type="submit" { "Save" } }
            }
        },
    )
}
