//! A quiz's essay grading table: one form with a line per essay answer of every submitted
//! attempt (the student, the attempt, the question and the answer, a mark out of the
//! question's and a comment), those waiting first and those marked below.

use std::collections::HashMap;

use maud::{Markup, PreEscaped, html};

use super::{forms, page, when};
use crate::{
    lms::{
        courses::CourseView,
        quizzes::essays::{EssayErrors, EssayInput, EssayRow, EssaySheet},
    },
    web::visitor::Visitor,
};

/// What the table's fields show: the values as typed when a save was refused, with each
/// essay's problems.
pub struct EssayForm<'a> {
    pub typed: Option<&'a HashMap<(i64, i64), EssayInput>>,
    pub errors: &'a EssayErrors,
}

/// `mark-ATTEMPT-SLOT`, the id and name of a field of one essay.
fn field(name: &str, attempt: i64, slot: i64) -> String {
    format!("{name}-{attempt}-{slot}")
}

pub fn table(v: &Visitor, view: &CourseView, sheet: &EssaySheet, form: &EssayForm<'_>) -> Markup {
    let slug = &view.course().slug;
    let quiz = &sheet.quiz.module;
    let base = format!("/courses/{slug}/quizzes/{}", quiz.id);
    let waiting: Vec<&EssayRow> = sheet.waiting().collect();
    let graded: Vec<&EssayRow> = sheet.graded().collect();
    page(
        v,
        &format!("Essays: {}", quiz.title),
        html! {
            p {
                a href={ "/courses/" (slug) } { (view.course().title) } " › "
                a href=(base) { (quiz.title) } " › "
                a href={ (base) "/results" } { "Results" }
            }
            @if !form.errors.is_empty() {
                div.errors role="alert" {
                    h2 { "Nothing was saved: " (form.errors.len()) " answer(s) need a fix" }
                    ul {
                        @for row in &sheet.rows {
                            @for e in &row.essays {
                                @if let Some(problems) = form.errors.of(row.attempt.id, e.slot) {
                                    @for p in problems.iter() {
                                        li { a href={ "#" (field(p.field, row.attempt.id, e.slot)) } {
                                            (row.student.display_name) ", attempt " (row.attempt.attempt) ", " (e.question_name) ": " (p.message)
                                        } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p #essays-waiting {
                @match waiting.len() {
                    0 => "No attempt waits for an essay's mark.",
                    1 => { strong { "1" } " attempt waits for an essay's mark." },
                    n => { strong { (n) } " attempts wait for an essay's mark." },
                }
                " An attempt's marks and the quiz grade in the gradebook follow once every essay of the attempt has its mark."
            }
            @if sheet.rows.is_empty() {
                p.muted { "No submitted attempt has an essay question." }
            } @else {
                form.grading method="post" action={ (base) "/grading" } {
                    (forms::csrf(v))
                    h2 #waiting-heading { "Waiting for a mark (" (waiting.len()) ")" }
                    @if waiting.is_empty() {
                        p.muted { "Every essay has its mark." }
                    } @else {
                        (rows_table(v, slug, "waiting", &waiting, form))
                    }
                    h2 #graded-heading { "Already marked (" (graded.len()) ")" }
                    @if graded.is_empty() {
                        p.muted { "None yet." }
                    } @else {
                        (rows_table(v, slug, "graded", &graded, form))
                    }
                    div.actions { button type="submit" { "Save all marks" } }
                }
            }
        },
    )
}

fn rows_table(
    v: &Visitor,
    slug: &str,
    which: &str,
    rows: &[&EssayRow],
    form: &EssayForm<'_>,
) -> Markup {
    html! {
        div.table-scroll {
            table.grading.essays aria-labelledby={ (which) "-heading" } {
                thead { tr {
                    th scope="col" { "Student" }
                    th scope="col" { "Attempt" }
                    th scope="col" { "Question and answer" }
                    th scope="col" { "Mark" }
                    th scope="col" { "Feedback" }
                } }
                tbody {
                    @for row in rows {
                        @for (i, e) in row.essays.iter().enumerate() {
                            @let key = (row.attempt.id, e.slot);
                            @let typed = form.typed.and_then(|t| t.get(&key));
                            @let errors = form.errors.of(row.attempt.id, e.slot);
                            @let mark_error = errors.and_then(|x| x.get("mark"));
                            @let comment_error = errors.and_then(|x| x.get("comment"));
                            @let mark = typed.map(|t| t.mark.clone()).unwrap_or_else(|| e.mark.map(|m| m.to_string()).unwrap_or_default());
                            @let comment = typed.map(|t| t.comment.clone()).unwrap_or_else(|| e.comment.clone());
                            @let whose = format!("essay-{}-{}", row.attempt.id, e.slot);
                            @let mark_id = field("mark", row.attempt.id, e.slot);
                            @let comment_id = field("comment", row.attempt.id, e.slot);
                            tr.invalid[errors.is_some()] {
                                @if i == 0 {
                                    th scope="row" rowspan=(row.essays.len()) {
                                        (row.student.display_name) br; span.muted { (row.student.email) }
                                    }
                                    td rowspan=(row.essays.len()) {
                                        a href={ "/courses/" (slug) "/attempts/" (row.attempt.id) } { "Attempt " (row.attempt.attempt) }
                                        @if let Some(t) = row.attempt.submitted_at { br; span.muted.small { (when(v.zone, t)) } }
                                        @if row.attempt.auto_submitted { br; span.badge.late { "time was up" } }
                                    }
                                }
                                td id=(whose) {
                                    strong { (e.question_name) }
                                    details { summary { "Question" } div.content { (PreEscaped(&e.question_html)) } }
                                    @match &e.answer {
                                        Some(text) => blockquote.essay-answer { (text) },
                                        None => p.muted { "Not answered (0 marks)" },
                                    }
                                }
                                td.mark {
                                    @if let Some(msg) = mark_error { span.error id={ (mark_id) "-error" } { (msg) } }
                                    input type="text" inputmode="decimal" size="5" id=(mark_id) name=(mark_id) value=(mark)
                                        aria-label={ "Mark for " (row.student.display_name) ", attempt " (row.attempt.attempt) ", " (e.question_name) ", out of " (e.max_mark) }
                                        aria-invalid=[mark_error.map(|_| "true")]
                                        aria-describedby=(match mark_error { Some(_) => format!("{whose} {mark_id}-error"), None => whose.clone() });
                                    " / " (e.max_mark)
                                    @if e.mark.is_none() { br; span.badge.draft { "waiting" } }
                                }
                                td {
                                    @if let Some(msg) = comment_error { span.error id={ (comment_id) "-error" } { (msg) } }
                                    textarea id=(comment_id) name=(comment_id) rows="4"
                                        aria-label={ "Feedback for " (row.student.display_name) ", " (e.question_name) }
                                        aria-invalid=[comment_error.map(|_| "true")]
                                        aria-describedby=(match comment_error { Some(_) => format!("{whose} {comment_id}-error"), None => whose.clone() }) { (comment) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
