//! Assignments in views: the assignment's page (instructions, dates, the student's attempts,
//! released grade and the hand-in form) and the staff list of submissions with grading forms.

use maud::{Markup, PreEscaped, html};

use super::{forms, page, when};
use crate::{
    lms::{
        FieldErrors, User,
        assignments::{Assignment, Window},
        courses::CourseView,
        gradebook::{Grade, Item, Report, number},
        permissions,
        submissions::Submission,
    },
    web::{upload::size_text, visitor::Visitor},
};

pub struct AssignmentPage<'a> {
    pub assignment: &'a Assignment,
    pub window: Window,
    /// The viewer is a student of the course.
    pub student: bool,
    pub mine: &'a [Submission],
    /// The viewer's released grade.
    pub grade: Option<&'a Grade>,
    /// The answer typed, kept when a submission was refused.
    pub text: &'a str,
    pub errors: &'a FieldErrors,
    pub now: chrono::DateTime<chrono::Utc>,
}

pub fn assignment(v: &Visitor, view: &CourseView, p: &AssignmentPage<'_>) -> Markup {
    let a = p.assignment;
    let slug = &view.course().slug;
    let base = format!("/courses/{slug}/modules/{}", a.module.id);
    page(
        v,
        &a.module.title,
        html! {
            p { a href={ "/courses/" (slug) } { "Back to " (view.course().title) } }
            @if permissions::can_edit_content(view.access()) || permissions::can_grade(view.access()) {
                @if permissions::can_edit_content(view.access()) { p { (super::modules::badge(v, &a.module, p.now)) } }
                div.actions {
                    @if permissions::can_edit_content(view.access()) { a.button.secondary href={ (base) "/edit" } { "Edit assignment" } }
                    @if permissions::can_grade(view.access()) { a.button.secondary href={ (base) "/submissions" } { "Submissions and grading" } }
                    @if permissions::can_edit_content(view.access()) {
                        a.button.secondary href={ (base) "/visibility" } { "Visibility" }
                        a.button.secondary href={ (base) "/delete" } { "Delete" }
                    }
                }
            }
            (facts(v, a))
            // Cleaned by ammonia when it was saved.
            div.content { (PreEscaped(&a.instructions_html)) }
            @if p.student {
                h2 { "Your grade" }
                @match p.grade {
                    Some(g) => {
                        p.grade { (g.points.map(number).unwrap_or_default()) " / " (number(a.max_points)) }
                        @if !g.feedback.is_empty() { div.feedback { h3 { "Feedback" } p { (g.feedback) } } }
                    }
                    None => p.muted { "Not graded yet, or not released." },
                }
                h2 { "Your attempts" }
                (attempts(v, slug, p.mine))
                (hand_in(v, &base, p))
            }
        },
    )
}

fn facts(v: &Visitor, a: &Assignment) -> Markup {
    html! {
        dl.facts {
            @if let Some(t) = a.opens_at { dt { "Opens" } dd { (when(v.zone, t)) } }
            @if let Some(t) = a.due_at { dt { "Due" } dd { (when(v.zone, t)) } }
            @if let Some(t) = a.cutoff_at { dt { "Cut-off" } dd { (when(v.zone, t)) } }
            dt { "Points" } dd { (number(a.max_points)) }
            dt { "Attempts" } dd { @match a.max_attempts { Some(n) => (n), None => "no limit" } }
            dt { "Answer" } dd {
                @if a.accepts_text { "text" }
                @if a.accepts_text && a.accepts_files { " or " }
                @if a.accepts_files { "files (" (file_rule(a)) ")" }
            }
        }
    }
}

/// Which files are taken: `up to 1 MiB; pdf, txt`.
fn file_rule(a: &Assignment) -> String {
    let mut rule = format!("up to {}", size_text(a.max_file_bytes as u64));
    if !a.allowed_file_types.is_empty() {
        rule.push_str("; ");
        rule.push_str(&a.allowed_file_types.join(", "));
    }
    rule
}

fn attempts(v: &Visitor, slug: &str, list: &[Submission]) -> Markup {
    html! {
        @if list.is_empty() {
            p.muted { "Nothing handed in yet." }
        } @else {
            ol.attempts {
                @for s in list {
                    li {
                        "Attempt " (s.attempt) ", " (when(v.zone, s.submitted_at))
                        @if s.is_late { " " span.badge.late { "late" } }
                        @if let Some(text) = &s.body_text { blockquote { (text) } }
                        @if !s.files.is_empty() {
                            ul { @for f in &s.files {
                                li { a href={ "/courses/" (slug) "/submissions/" (s.id) "/files/" (f.id) } { (f.file_name) } " " span.muted { (size_text(f.size_bytes as u64)) } }
                            } }
                        }
                    }
                }
            }
        }
    }
}

fn hand_in(v: &Visitor, base: &str, p: &AssignmentPage<'_>) -> Markup {
    let a = p.assignment;
    let used_up = a.max_attempts.is_some_and(|max| p.mine.len() as i64 >= max);
    let text_error = p.errors.get("body_text");
    let files_errors: Vec<&str> = p
        .errors
        .iter()
        .filter(|e| e.field == "files")
        .map(|e| e.message.as_str())
        .collect();
    html! {
        h2 { "Hand in" }
        (forms::summary(p.errors))
        @match p.window {
            Window::NotOpen => p { "This assignment is not open for submissions yet." },
            Window::Closed => p { "The cut-off date has passed; submissions are closed." },
            Window::Open { .. } if used_up => p { "You have used all your attempts." },
            Window::Open { late } => {
                @if late { p.warning { "The due date has passed: what you hand in now is marked late." } }
                div.card {
                    form.stack method="post" action={ (base) "/submissions" } enctype="multipart/form-data" {
                        (forms::csrf(v))
                        @if a.accepts_text {
                            div.field {
                                label for="body_text" { "Your answer" }
                                @if let Some(e) = text_error { span.error id="body_text-error" { (e) } }
                                textarea id="body_text" name="body_text" aria-invalid=[text_error.map(|_| "true")]
                                    aria-describedby=[text_error.map(|_| "body_text-error")] { (p.text) }
                            }
                        }
                        @if a.accepts_files {
                            div.field {
                                label for="files" { "Files" }
                                span.hint id="files-hint" {
                                    (file_rule(a))
                                    @if !p.errors.is_empty() { " Choose your files again." }
                                }
                                @if !files_errors.is_empty() { span.error id="files-error" { (files_errors.join(" ")) } }
                                input type="file" id="files" name="files" multiple
                                    aria-invalid=[(!files_errors.is_empty()).then_some("true")]
                                    aria-describedby=[Some(if files_errors.is_empty() { "files-hint" } else { "files-hint files-error" })]
                                    accept=[(!a.allowed_file_types.is_empty()).then(|| a.allowed_file_types.iter().map(|t| format!(".{t}")).collect::<Vec<_>>().join(","))];
                            }
                        }
                        div.actions { button type="submit" { "Hand in" } }
                    }
                }
            }
        }
    }
}

/// The grade form for one student on one item, returning to `back`.
pub fn grade_form(
    v: &Visitor,
    slug: &str,
    item: &Item,
    student_id: i64,
    grade: Option<&Grade>,
    typed: Option<(&str, &str, &FieldErrors)>,
    back: &str,
) -> Markup {
    let (points, feedback) = match typed {
        Some((points, feedback, _)) => (points.to_string(), feedback.to_string()),
        None => (
            grade.and_then(|g| g.points).map(number).unwrap_or_default(),
            grade.map(|g| g.feedback.clone()).unwrap_or_default(),
        ),
    };
    let error = typed.and_then(|(_, _, e)| e.get("points").or(e.get("feedback")));
    let id = format!("points-{student_id}");
    // The student's heading (`student_heading`) names whose grade each field is.
    let whose = format!("student-{student_id}");
    let described = match error {
        Some(_) => format!("{whose} {id}-error"),
        None => whose.clone(),
    };
    html! {
        form.stack method="post" action={ "/courses/" (slug) "/grades/items/" (item.id) "/students/" (student_id) } {
            (forms::csrf(v))
            input type="hidden" name="back" value=(back);
            @if let Some(e) = error { span.error role="alert" id={ (id) "-error" } { (e) } }
            div.field {
                label for=(id) { "Points out of " (number(item.max_points)) }
                input type="text" inputmode="decimal" id=(id) name="points" value=(points)
                    aria-invalid=[error.map(|_| "true")] aria-describedby=(described);
            }
            div.field {
                label for={ "feedback-" (student_id) } { "Feedback" }
                textarea id={ "feedback-" (student_id) } name="feedback" aria-describedby=(whose) { (feedback) }
            }
            div {
                button type="submit" { "Save grade" }
                @if let Some(g) = grade {
                    " " @if g.released_at.is_some() { span.badge.published { "released" } } @else { span.badge.draft { "not released" } }
                }
            }
        }
    }
}

/// A student's heading above their grade form; the form's fields point to it by id.
pub fn student_heading(student: &User) -> Markup {
    html! { h2 id={ "student-" (student.id) } { (student.display_name) " " span.muted { (student.email) } } }
}

/// A release button for an item's grades, returning to `back`.
pub fn release_form(v: &Visitor, slug: &str, item: &Item, back: &str) -> Markup {
    html! {
        form.inline method="post" action={ "/courses/" (slug) "/grades/items/" (item.id) "/release" } {
            (forms::csrf(v))
            input type="hidden" name="back" value=(back);
            button type="submit" { "Release grades to students" }
        }
    }
}

/// Every student's attempts with a grading form each.
pub fn submissions(
    v: &Visitor,
    view: &CourseView,
    a: &Assignment,
    item: &Item,
    report: &Report,
    all: &[Submission],
) -> Markup {
    let slug = &view.course().slug;
    let back = format!("/courses/{slug}/modules/{}/submissions", a.module.id);
    let column = report.items.iter().position(|i| i.id == item.id);
    page(
        v,
        &format!("Submissions: {}", a.module.title),
        html! {
            p { a href={ "/courses/" (slug) "/modules/" (a.module.id) } { "Back to the assignment" } }
            div.actions { (release_form(v, slug, item, &back)) }
            @for line in &report.lines {
                @let theirs: Vec<Submission> = all.iter().filter(|s| s.student_id == line.student.id).cloned().collect();
                section.card {
                    (student_heading(&line.student))
                    (attempts(v, slug, &theirs))
                    (grade_form(v, slug, item, line.student.id, column.and_then(|c| line.grades[c].as_ref()), None, &back))
                }
            }
            @if report.lines.is_empty() { p.muted { "No students are enrolled." } }
        },
    )
}
