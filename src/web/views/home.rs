//! The home page: what to do next (work waiting for grading, work overdue, work due soon, new
//! grades), with times left and dates in the reader's zone, then the person's courses.

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use super::{courses::status_badge, page, when};
use crate::{
    lms::{
        Course, CourseRole,
        agenda::{
            CourseRef, DUE_SOON_DAYS, NEW_GRADE_DAYS, NewGrade, QuizDue, ToGrade, Todo, Work,
        },
        gradebook::number,
        modules::ModuleKind,
        permissions::can_create_course,
    },
    web::visitor::Visitor,
};

fn module_link(course: &CourseRef, id: i64, title: &str) -> Markup {
    html! { a href={ "/courses/" (course.slug) "/modules/" (id) } { (title) } }
}

fn course_name(course: &CourseRef) -> Markup {
    html! { span.course { a href={ "/courses/" (course.slug) } { (course.title) } } }
}

pub fn page_for(
    v: &Visitor,
    now: DateTime<Utc>,
    todo: &Todo,
    courses: &[(Course, Option<CourseRole>)],
    news: &[crate::lms::announcements::CourseAnnouncement],
) -> Markup {
    let can_create = v.user().is_some_and(|u| can_create_course(u.role));
    page(
        v,
        "Home",
        html! {
            div.actions {
                a.button.secondary href="/calendar" { "Calendar" }
                @if can_create { a.button href="/courses/new" { "Create a course" } }
            }
            section.todo aria-labelledby="todo-heading" {
                h2 #todo-heading { "To do" }
                @if todo.is_empty() {
                    p.muted { "Nothing is due in the next " (DUE_SOON_DAYS) " days, nothing is overdue and there are no new grades." }
                }
                @if !todo.to_grade.is_empty() { (to_grade(v, &todo.to_grade)) }
                @if !todo.overdue.is_empty() { (overdue(v, now, &todo.overdue)) }
                @if !todo.quizzes.is_empty() { (quizzes(v, now, &todo.quizzes)) }
                @if !todo.due_soon.is_empty() { (due_soon(v, now, &todo.due_soon)) }
                @if !todo.new_grades.is_empty() { (new_grades(v, now, &todo.new_grades)) }
            }
            (super::announcements::home_section(v, news, now))
            section aria-labelledby="courses-heading" {
                h2 #courses-heading { "My courses" }
                @if courses.is_empty() {
                    p.muted { "You are not enrolled in any course yet." }
                } @else {
                    ul.courses.compact {
                        @for (course, role) in courses {
                            li {
                                a href={ "/courses/" (course.slug) } { (course.title) }
                                " "
                                @if let Some(role) = role { span.muted { (role.label()) } }
                                @if course.status != crate::lms::CourseStatus::Published { " " (status_badge(course.status)) }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn to_grade(v: &Visitor, items: &[ToGrade]) -> Markup {
    html! {
        h3 { "Waiting for grading" }
        ul.todo #to-grade {
            @for t in items {
                @let quiz = t.kind == ModuleKind::Quiz;
                li.quiz[quiz] {
                    @if quiz {
                        a href={ "/courses/" (t.course.slug) "/quizzes/" (t.module_id) "/grading" } { (t.title) }
                    } @else {
                        a href={ "/courses/" (t.course.slug) "/modules/" (t.module_id) "/submissions" } { (t.title) }
                    }
                    (course_name(&t.course))
                    span.left {
                        @if quiz {
                            strong { (t.waiting) } " quiz " @if t.waiting == 1 { "attempt" } @else { "attempts" } " with essays to grade"
                        } @else {
                            strong { (t.waiting) } " " @if t.waiting == 1 { "submission" } @else { "submissions" } " to grade"
                        }
                    }
                    @if let Some(due) = t.due_at { span.when { @if quiz { "closes " } @else { "due " } (when(v.zone, due)) } }
                }
            }
        }
    }
}

fn overdue(v: &Visitor, now: DateTime<Utc>, items: &[Work]) -> Markup {
    html! {
        h3 { "Overdue, not handed in" }
        ul.todo #overdue {
            @for w in items {
                li.overdue {
                    (module_link(&w.course, w.module_id, &w.title))
                    (course_name(&w.course))
                    span.left { span.badge.late { "Overdue" } " due " (v.zone.relative(now, w.due_at)) }
                    span.when {
                        (when(v.zone, w.due_at))
                        @if let Some(cutoff) = w.cutoff_at { "; late work accepted until " (when(v.zone, cutoff)) }
                        @else { "; late work accepted" }
                    }
                }
            }
        }
    }
}

fn quizzes(v: &Visitor, now: DateTime<Utc>, items: &[QuizDue]) -> Markup {
    html! {
        h3 { "Quizzes" }
        ul.todo #quizzes-due {
            @for q in items {
                li {
                    @match q.attempt_id {
                        Some(id) => a href={ "/courses/" (q.course.slug) "/attempts/" (id) } { (q.title) },
                        None => a href={ "/courses/" (q.course.slug) "/quizzes/" (q.module_id) } { (q.title) },
                    }
                    (course_name(&q.course))
                    span.left {
                        @if q.attempt_id.is_some() {
                            span.badge.draft { "In progress" }
                            @if let Some(end) = q.ends_at {
                                " ends " time datetime=(end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) { (v.zone.show_time(end)) }
                            }
                        } @else if let Some(close) = q.closes_at {
                            "closes " (v.zone.relative(now, close))
                        }
                    }
                    span.when {
                        @if let Some(end) = q.ends_at.filter(|_| q.attempt_id.is_some()) {
                            "your time is up " (when(v.zone, end))
                            @if let Some(close) = q.closes_at { "; the quiz closes " (when(v.zone, close)) }
                        } @else if let Some(close) = q.closes_at {
                            "closes " (when(v.zone, close))
                        }
                        @if let Some(opens) = q.opens_at.filter(|o| *o > now) { "; opens " (when(v.zone, opens)) }
                    }
                }
            }
        }
    }
}

fn due_soon(v: &Visitor, now: DateTime<Utc>, items: &[Work]) -> Markup {
    html! {
        h3 { "Due in the next " (DUE_SOON_DAYS) " days" }
        ul.todo #due-soon {
            @for w in items {
                li {
                    (module_link(&w.course, w.module_id, &w.title))
                    (course_name(&w.course))
                    span.left {
                        @if w.attempts > 0 { span.badge.done { "Handed in" } " " }
                        "due " (v.zone.relative(now, w.due_at))
                    }
                    span.when {
                        (when(v.zone, w.due_at))
                        @if let Some(opens) = w.opens_at.filter(|o| *o > now) { "; opens " (when(v.zone, opens)) }
                    }
                }
            }
        }
    }
}

fn new_grades(v: &Visitor, now: DateTime<Utc>, items: &[NewGrade]) -> Markup {
    html! {
        h3 { "New grades and feedback" }
        p.muted.small { "Released in the last " (NEW_GRADE_DAYS) " days." }
        ul.todo #new-grades {
            @for g in items {
                li {
                    @match g.module_id {
                        Some(id) => (module_link(&g.course, id, &g.title)),
                        None => a href={ "/courses/" (g.course.slug) "/grades" } { (g.title) },
                    }
                    (course_name(&g.course))
                    span.left {
                        @if let Some(points) = g.points {
                            strong { (number(points)) " / " (number(g.max_points)) }
                        }
                        @if g.has_feedback { " " span.badge { "Feedback" } }
                    }
                    span.when { "released " (v.zone.relative(now, g.at)) ": " (when(v.zone, g.at)) }
                }
            }
        }
    }
}
