//! Deleting and the trash in views: the page that asks before a section or module goes to the
//! trash (a plain form, so it works without JavaScript), and a course's trash with restore and
//! delete-for-good buttons.

use maud::{Markup, html};

use super::{forms, page, when};
use crate::{
    lms::{
        FieldErrors,
        courses::CourseView,
        trash::{TRASH_DAYS, TrashItem, Trashed},
    },
    web::visitor::Visitor,
};

/// What a confirmation page asks about.
pub struct Confirm<'a> {
    /// "section" or "page", "file", "assignment".
    pub what: &'a str,
    pub title: &'a str,
    /// What else goes with it, in words (a section's content).
    pub detail: Option<String>,
    /// Where the form posts.
    pub action: String,
    /// Where "Cancel" leads.
    pub back: String,
    pub errors: &'a FieldErrors,
}

/// "Delete …?" with the consequences and a button; the trash keeps it for `TRASH_DAYS` days.
pub fn confirm(v: &Visitor, c: &Confirm<'_>) -> Markup {
    page(
        v,
        &format!("Delete the {} “{}”?", c.what, c.title),
        html! {
            div.card {
                (forms::summary(c.errors))
                p {
                    "The " (c.what) " goes to the course's trash, where staff can restore it for "
                    (TRASH_DAYS) " days. After that it is deleted for good."
                }
                @if let Some(detail) = &c.detail { p { (detail) } }
                form.inline method="post" action=(c.action) {
                    (forms::csrf(v))
                    button.danger type="submit" { "Move to the trash" }
                    a href=(c.back) { "Cancel" }
                }
            }
        },
    )
}

fn label(what: Trashed) -> &'static str {
    match what {
        Trashed::Section => "Section",
        Trashed::Module(kind) => kind.label(),
    }
}

/// The course's trash, newest first.
pub fn trash(v: &Visitor, view: &CourseView, items: &[TrashItem]) -> Markup {
    let base = format!("/courses/{}/trash", view.course().slug);
    page(
        v,
        &format!("Trash of {}", view.course().title),
        html! {
            p { a href={ "/courses/" (view.course().slug) } { "Back to the course" } }
            p.muted {
                "Deleted sections and modules stay here for " (TRASH_DAYS) " days, hidden from everyone, "
                "then they are deleted for good with their submissions, grades and files."
            }
            @if items.is_empty() {
                p { "The trash is empty." }
            } @else {
                div.table-scroll {
                    table {
                        thead { tr {
                            th scope="col" { "What" } th scope="col" { "Title" } th scope="col" { "Deleted" }
                            th scope="col" { "Deleted for good" } th scope="col" { span.visually-hidden { "Actions" } }
                        } }
                        tbody {
                            @for item in items {
                                @let path = format!("{base}/{}/{}", item.what.table(), item.id);
                                tr {
                                    td { span.badge { (label(item.what)) } }
                                    td {
                                        (item.title)
                                        @if item.what == Trashed::Section {
                                            br; span.muted { "with " (item.modules) @if item.modules == 1 { " module" } @else { " modules" } }
                                        }
                                    }
                                    td { (when(v.zone, item.deleted_at)) }
                                    td { (when(v.zone, item.purge_at())) }
                                    td {
                                        form.inline method="post" action={ (path) "/restore" } {
                                            (forms::csrf(v))
                                            button.secondary type="submit" { "Restore" span.visually-hidden { " " (item.title) } }
                                        }
                                        " "
                                        form.inline method="post" action={ (path) "/purge" } {
                                            (forms::csrf(v))
                                            button.danger type="submit" { "Delete now" span.visually-hidden { " " (item.title) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
