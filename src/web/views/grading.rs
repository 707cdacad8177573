//! Assignments in views: the assignment's page (instructions, dates, the student's attempts,
//! released grade and the hand-in form) and the staff grading table of every student.

use std::collections::HashMap;

use maud::{Markup, PreEscaped, html};

use super::{forms, page, when};
use crate::{
    lms::{
        FieldErrors, User,
        assignments::{Assignment, Window},
        courses::CourseView,
        gradebook::{Grade, Item, number},
        grading::{ReleaseState, RowInput, Sheet, SheetErrors, SheetRow},
        media::Media,
        permissions,
        rubrics::Rubric,
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
    /// The files attached to that grade (empty until released).
    pub feedback_files: &'a [Media],
    /// The rubric with the viewer's chosen levels, once released.
    pub rubric: Option<(&'a Rubric, &'a HashMap<i64, i64>)>,
    /// The assignment's gradebook item.
    pub item_id: i64,
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
                    @if permissions::can_edit_content(view.access()) { a.button.secondary href={ (base) "/rubric" } { "Rubric" } }
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
                        @if let Some((rubric, chosen)) = p.rubric { (filled_rubric(rubric, chosen)) }
                        @if !p.feedback_files.is_empty() {
                            h3 { "Feedback files" }
                            (feedback_file_list(slug, p.item_id, p.feedback_files))
                        }
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

/// What the grading table shows in its fields: the rows as typed when a save was refused,
/// with each row's problems.
pub struct SheetForm<'a> {
    pub typed: Option<&'a HashMap<i64, RowInput>>,
    pub errors: &'a SheetErrors,
}

/// The grading table: one form, a row per student with their latest attempt, markers and
/// grade fields; Tab runs down each column (points, then feedback).
pub fn submissions(v: &Visitor, view: &CourseView, sheet: &Sheet, form: &SheetForm<'_>) -> Markup {
    let slug = &view.course().slug;
    let a = &sheet.assignment;
    let item = &sheet.item;
    let base = format!("/courses/{slug}/modules/{}", a.module.id);
    let back = format!("{base}/submissions");
    let n = sheet.rows.len();
    // Column-major tab order: every points field, then every feedback field, then Save.
    let tab = |column: usize, row: usize| column * n + row + 1;
    page(
        v,
        &format!("Submissions: {}", a.module.title),
        html! {
            p { a href=(base) { "Back to the assignment" } }
            div.actions {
                (release_form(v, slug, item, &back))
                a.button.secondary href={ (back) ".zip" } download { "Download all submissions (zip)" }
            }
            @if !form.errors.is_empty() {
                div.errors role="alert" {
                    h2 { "Nothing was saved: " (form.errors.len()) " row(s) need a fix" }
                    ul {
                        @for row in &sheet.rows {
                            @if let Some(e) = form.errors.row(row.student.id) {
                                @for err in e.iter() {
                                    @let field = match err.field { "file" => "feedback_file", f => f };
                                    li { a href={ "#" (field) "-" (row.student.id) } { (row.student.display_name) ": " (err.message) } }
                                }
                            }
                        }
                    }
                }
            }
            @if sheet.rows.is_empty() {
                p.muted { "No students are enrolled." }
            } @else {
                form.grading method="post" action={ (base) "/grades" } enctype="multipart/form-data" {
                    (forms::csrf(v))
                    div.table-scroll {
                        table.grading {
                            caption { "Grades out of " (number(item.max_points)) " points. Tab moves down a column." }
                            thead { tr {
                                th scope="col" { "Student" }
                                th scope="col" { "Latest attempt" }
                                th scope="col" { "Status" }
                                th scope="col" { @if sheet.rubric.is_empty() { "Points (/" (number(item.max_points)) ")" } @else { "Rubric (/" (number(item.max_points)) ")" } }
                                th scope="col" { "Feedback" }
                                th scope="col" { "Feedback files" }
                            } }
                            tbody {
                                @for (i, row) in sheet.rows.iter().enumerate() {
                                    (sheet_row(v, slug, sheet, row, form, |c| tab(c, i)))
                                }
                            }
                        }
                    }
                    @if !form.errors.is_empty() { p.hint { "Files chosen before were not kept: choose them again." } }
                    div.actions { button type="submit" tabindex=(tab(3 + sheet.rubric.criteria.len().saturating_sub(1), 0)) { "Save all grades" } }
                }
            }
        },
    )
}

fn sheet_row(
    v: &Visitor,
    slug: &str,
    sheet: &Sheet,
    row: &SheetRow,
    form: &SheetForm<'_>,
    tab: impl Fn(usize) -> usize,
) -> Markup {
    let id = row.student.id;
    let typed = form.typed.and_then(|t| t.get(&id));
    let (points, feedback) = match typed {
        Some(t) => (t.points.clone(), t.feedback.clone()),
        None => (
            row.grade
                .as_ref()
                .and_then(|g| g.points)
                .map(number)
                .unwrap_or_default(),
            row.grade
                .as_ref()
                .map(|g| g.feedback.clone())
                .unwrap_or_default(),
        ),
    };
    let errors = form.errors.row(id);
    // A rubric's criteria take the points column and as many more as needed.
    let shift = sheet.rubric.criteria.len().saturating_sub(1);
    let points_error = errors.and_then(|e| e.get("points"));
    let feedback_error = errors.and_then(|e| e.get("feedback"));
    let file_error = errors.and_then(|e| e.get("file"));
    let whose = format!("student-{id}");
    let described = |field: &str, error: Option<&str>| match error {
        Some(_) => format!("{whose} {field}-{id}-error"),
        None => whose.clone(),
    };
    html! {
        tr.invalid[errors.is_some()] {
            th scope="row" id=(whose) {
                (row.student.display_name) br; span.muted { (row.student.email) }
            }
            td {
                @match &row.latest {
                    Some(s) => {
                        "Attempt " (s.attempt) @if row.attempts > 1 { " of " (row.attempts) } ", " (when(v.zone, s.submitted_at))
                        @if let Some(text) = &s.body_text { blockquote { (excerpt(text)) } }
                        @if !s.files.is_empty() {
                            ul { @for f in &s.files {
                                li { a href={ "/courses/" (slug) "/submissions/" (s.id) "/files/" (f.id) } { (f.file_name) } " " span.muted { (size_text(f.size_bytes as u64)) } }
                            } }
                        }
                    }
                    None => span.muted { "Nothing handed in" },
                }
            }
            td {
                @if row.latest.as_ref().is_some_and(|s| s.is_late) { span.badge.late { "late" } " " }
                @if row.missing { span.badge.late { "missing" } " " }
                @match row.release_state() {
                    ReleaseState::Released => span.badge.published { "released" },
                    ReleaseState::NotReleased => span.badge.draft { "not released" },
                    ReleaseState::NotGraded => span.badge { "not graded" },
                }
            }
            td {
                @if sheet.rubric.is_empty() {
                    @if let Some(e) = points_error { span.error id={ "points-" (id) "-error" } { (e) } }
                    input type="text" inputmode="decimal" size="5" id={ "points-" (id) } name={ "points-" (id) } value=(points)
                        tabindex=(tab(0)) aria-label={ "Points for " (row.student.display_name) " out of " (number(sheet.item.max_points)) }
                        aria-invalid=[points_error.map(|_| "true")] aria-describedby=(described("points", points_error));
                } @else {
                    @let rubric_error = errors.and_then(|e| e.get("rubric"));
                    @if let Some(e) = rubric_error { span.error id={ "rubric-" (id) "-error" } { (e) } }
                    input type="hidden" name={ "points-" (id) } value="";
                    @for (c, criterion) in sheet.rubric.criteria.iter().enumerate() {
                        @let chosen = match typed {
                            Some(t) => t.levels.iter().find(|(k, _)| *k == criterion.id).map(|(_, v)| v.clone()).unwrap_or_default(),
                            None => row.levels.get(&criterion.id).map(|l| l.to_string()).unwrap_or_default(),
                        };
                        label.rubric {
                            span { (criterion.title) }
                            select id=[(c == 0).then(|| format!("rubric-{id}"))] name={ "level-" (id) "-" (criterion.id) }
                                tabindex=(tab(c)) aria-invalid=[rubric_error.map(|_| "true")]
                                aria-describedby=(described("rubric", rubric_error)) {
                                option value="" { "—" }
                                @for level in &criterion.levels {
                                    option value=(level.id) selected[chosen == level.id.to_string()] { (level.title) " (" (number(level.points)) ")" }
                                }
                            }
                        }
                    }
                    @if let Some(p) = row.grade.as_ref().and_then(|g| g.points) { span.muted { "= " (number(p)) } }
                }
            }
            td {
                @if let Some(e) = feedback_error { span.error id={ "feedback-" (id) "-error" } { (e) } }
                textarea id={ "feedback-" (id) } name={ "feedback-" (id) } rows="2" tabindex=(tab(1 + shift))
                    aria-label={ "Feedback for " (row.student.display_name) }
                    aria-invalid=[feedback_error.map(|_| "true")] aria-describedby=(described("feedback", feedback_error)) { (feedback) }
            }
            td {
                @if !row.feedback_files.is_empty() { (feedback_file_list(slug, sheet.item.id, &row.feedback_files)) }
                @if let Some(e) = file_error { span.error id={ "feedback_file-" (id) "-error" } { (e) } }
                input type="file" id={ "feedback_file-" (id) } name={ "feedback_file-" (id) } tabindex=(tab(2 + shift))
                    aria-label={ "Feedback file for " (row.student.display_name) }
                    aria-invalid=[file_error.map(|_| "true")] aria-describedby=(described("feedback_file", file_error));
            }
        }
    }
}

/// A rubric with the levels chosen marked, as the student sees it after release.
fn filled_rubric(rubric: &Rubric, chosen: &HashMap<i64, i64>) -> Markup {
    html! {
        h3 { "Rubric" }
        table.rubric {
            @for c in &rubric.criteria {
                tr {
                    th scope="row" { (c.title) }
                    @for l in &c.levels {
                        @if chosen.get(&c.id) == Some(&l.id) {
                            td.chosen { strong { (l.title) " (" (number(l.points)) ")" } " ✓" }
                        } @else {
                            td { (l.title) " (" (number(l.points)) ")" }
                        }
                    }
                }
            }
        }
    }
}

/// The rubric editor: one criterion a line with its levels and points.
pub fn rubric_editor(
    v: &Visitor,
    view: &CourseView,
    a: &Assignment,
    text: &str,
    errors: &FieldErrors,
) -> Markup {
    let slug = &view.course().slug;
    let base = format!("/courses/{slug}/modules/{}", a.module.id);
    let error = errors.get("rubric");
    page(
        v,
        &format!("Rubric: {}", a.module.title),
        html! {
            p { a href=(base) { "Back to the assignment" } }
            (forms::summary(errors))
            form.stack method="post" action={ (base) "/rubric" } {
                (forms::csrf(v))
                div.field {
                    label for="rubric" { "Criteria and levels" }
                    span.hint id="rubric-hint" {
                        "One criterion a line: its title, then each level and its points, separated by “|”, like "
                        code { "Argument | Weak 0 | Fair 5 | Strong 10" } ". The best levels may add up to at most "
                        (number(a.max_points)) " points. A graded student's points are the sum of the levels chosen. Leave empty to grade by points."
                    }
                    @if let Some(e) = error { span.error id="rubric-error" { (e) } }
                    textarea id="rubric" name="rubric" rows="8" aria-invalid=[error.map(|_| "true")]
                        aria-describedby=(if error.is_some() { "rubric-hint rubric-error" } else { "rubric-hint" }) { (text) }
                }
                div.actions { button type="submit" { "Save rubric" } }
            }
        },
    )
}

fn feedback_file_list(slug: &str, item_id: i64, files: &[Media]) -> Markup {
    html! {
        ul.feedback-files { @for f in files {
            li { a href={ "/courses/" (slug) "/grades/items/" (item_id) "/files/" (f.id) } { (f.file_name) } " " span.muted { (size_text(f.size_bytes as u64)) } }
        } }
    }
}

/// The start of a long text answer.
fn excerpt(text: &str) -> String {
    const MAX: usize = 280;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(MAX).collect();
        short.push('…');
        short
    }
}
