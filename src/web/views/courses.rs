//! A course's page and the course form.

use maud::{Markup, html};

use super::{
    forms::{self, Field},
    page,
};
use crate::{
    lms::{
        CourseInput, CourseStatus, FieldErrors,
        copy::{CopyInput, MAX_SHIFT_DAYS},
        courses::CourseView,
        enrollments::RoleCounts,
        modules::Module,
        permissions,
        sections::SectionNode,
    },
    web::visitor::Visitor,
};

pub fn status_badge(status: CourseStatus) -> Markup {
    html! { span class={ "badge " (status.as_str()) } { (status.label()) } }
}

pub fn show(
    v: &Visitor,
    view: &CourseView,
    tree: &[SectionNode],
    modules: &[Module],
    people: Option<RoleCounts>,
    news: &[crate::lms::announcements::Announcement],
    now: chrono::DateTime<chrono::Utc>,
) -> Markup {
    let course = view.course();
    let access = view.access();
    let base = format!("/courses/{}", course.slug);
    page(
        v,
        &course.title,
        html! {
            p { (status_badge(course.status)) }
            @if !course.description.is_empty() { p.description { (course.description) } }
            div.actions {
                @if permissions::can_edit_course(access) { a.button.secondary href={ (base) "/edit" } { "Edit course" } }
                @if permissions::can_edit_content(access) { a.button.secondary href={ (base) "/sections" } { "Manage sections" } }
                @if permissions::can_edit_content(access) { a.button.secondary href={ (base) "/trash" } { "Trash" } }
                @if permissions::can_copy_course(access) { a.button.secondary href={ (base) "/copy" } { "Copy to a new term" } }
                @if permissions::can_manage_enrollments(access) { a.button.secondary href={ (base) "/people" } { "Manage people" } }
                a.button.secondary href={ (base) "/discussions" } { "Discussions" }
                @if permissions::can_grade(access) { a.button.secondary href={ (base) "/grades" } { "Gradebook" } }
                @if permissions::can_manage_question_bank(access) { a.button.secondary href={ (base) "/bank" } { "Question bank" } }
                @if permissions::can_submit(access) { a.button.secondary href={ (base) "/grades" } { "My grades" } }
            }
            (super::announcements::course_section(v, view, news, now))
            h2 { "Sections" }
            (super::modules::section_content(v, view, tree, modules, now))
            @if let Some(people) = people { (people_line(&base, people)) }
        },
    )
}

/// The course's people counted by role, with the way to the list (which is paged there).
fn people_line(base: &str, counts: RoleCounts) -> Markup {
    let count = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    html! {
        p.people {
            strong { "People: " }
            (count(counts.teachers, "teacher", "teachers")) ", "
            (count(counts.tas, "teaching assistant", "teaching assistants")) ", "
            (count(counts.students, "student", "students")) ". "
            a href={ (base) "/people" } { "See everyone" }
        }
    }
}

/// The course form: new when `slug` is `None`, else editing the course at `slug`.
pub fn form(v: &Visitor, slug: Option<&str>, input: &CourseInput, errors: &FieldErrors) -> Markup {
    let (title, action) = match slug {
        Some(slug) => ("Edit course", format!("/courses/{slug}/edit")),
        None => ("Create a course", "/courses/new".to_string()),
    };
    let statuses = forms::choices(CourseStatus::ALL, CourseStatus::as_str, CourseStatus::label);
    page(
        v,
        title,
        html! {
            div.card {
                (forms::summary(errors))
                form.stack method="post" action=(action) {
                    (forms::csrf(v))
                    (Field::new("title", "Title", &input.title).render(errors))
                    (Field::new("slug", "Web address", &input.slug)
                        .hint("Lower-case letters, digits and hyphens; the course lives at /courses/<address>.")
                        .render(errors))
                    (forms::textarea("description", "Description", &input.description, errors))
                    (forms::select("status", "Status", &statuses, &input.status, errors))
                    div.actions {
                        button type="submit" { "Save" }
                        a href=(slug.map_or("/".to_string(), |s| format!("/courses/{s}"))) { "Cancel" }
                    }
                }
            }
        },
    )
}

/// The form that copies a course into a new term.
pub fn copy_form(
    v: &Visitor,
    view: &CourseView,
    input: &CopyInput,
    errors: &FieldErrors,
) -> Markup {
    let slug = &view.course().slug;
    page(
        v,
        &format!("Copy {} to a new term", view.course().title),
        html! {
            p { a href={ "/courses/" (slug) } { "Back to the course" } }
            p {
                "The copy is a new draft course with the same sections, pages, files, assignments "
                "(hidden or scheduled as here) and gradebook set-up. Nobody else is enrolled, and no "
                "submissions or grades come along. You are its teacher."
            }
            div.card {
                (forms::summary(errors))
                form.stack method="post" action={ "/courses/" (slug) "/copy" } {
                    (forms::csrf(v))
                    (Field::new("title", "Title of the copy", &input.title).render(errors))
                    (Field::new("slug", "Web address of the copy", &input.slug)
                        .hint("Lower-case letters, digits and hyphens; the copy lives at /courses/<address>.")
                        .render(errors))
                    (Field::new("shift_days", "Move every date by (days)", &input.shift_days)
                        .kind("number")
                        .hint(&format!("Opening, due and cut-off times and visibility dates move by this many days (up to {MAX_SHIFT_DAYS}; negative moves them earlier). 364 keeps the weekday a year later."))
                        .render(errors))
                    div.actions {
                        button type="submit" { "Copy the course" }
                        a href={ "/courses/" (slug) } { "Cancel" }
                    }
                }
            }
        },
    )
}
