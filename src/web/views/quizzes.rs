//! Quizzes in views: a quiz's page (settings as the student meets them, their attempts, start
//! or continue), the staff pages for its questions, accommodations and results, an attempt
//! page by page (forms that work without JavaScript), and the review of an attempt showing
//! only what the review options allow.

use chrono::{DateTime, Utc};
use maud::{Markup, PreEscaped, html};

use super::{forms, page, when};
use crate::{
    lms::{
        FieldErrors, User,
        courses::CourseView,
        gradebook::number,
        permissions,
        quizzes::{
            Fixed, Response, State,
            attempts::{AttemptView, QuizInfo, ShownQuestion},
            quiz::{BankCategory, BankEntry, Override, OverrideInput, Quiz, QuizSlot},
            results::Results,
        },
    },
    web::visitor::Visitor,
};

fn base(view: &CourseView) -> String {
    format!("/courses/{}", view.course().slug)
}

fn quiz_base(view: &CourseView, id: i64) -> String {
    format!("{}/quizzes/{id}", base(view))
}

fn crumbs(view: &CourseView, quiz_title: &str, quiz_id: i64) -> Markup {
    html! {
        p { a href=(base(view)) { (view.course().title) } " › " a href=(quiz_base(view, quiz_id)) { (quiz_title) } }
    }
}

/// `12 min 5 s`.
pub fn duration_text(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (h, m) {
        (0, 0) => format!("{s} s"),
        (0, _) if s == 0 => format!("{m} min"),
        (0, _) => format!("{m} min {s} s"),
        _ => format!("{h} h {m} min"),
    }
}

fn marks_text(marks: Option<Fixed>, max: Fixed) -> String {
    match marks {
        Some(m) => format!("{m} / {max}"),
        None => "not shown yet".into(),
    }
}

fn errors_box(errors: &FieldErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.errors role="alert" {
                h2 { "Please note" }
                ul { @for e in errors.iter() { li { (e.message) } } }
            }
        }
    }
}

/// A quiz's own page.
pub fn quiz(
    v: &Visitor,
    view: &CourseView,
    info: &QuizInfo,
    essays_waiting: Option<i64>,
    errors: &FieldErrors,
    now: DateTime<Utc>,
) -> Markup {
    let q = &info.quiz;
    let m = &q.module;
    let here = quiz_base(view, m.id);
    let staff = permissions::can_edit_content(view.access());
    page(
        v,
        &m.title,
        html! {
            p { a href=(base(view)) { "Back to " (view.course().title) } }
            @if staff {
                div.actions {
                    (super::modules::badge(v, m, now))
                    a.button.secondary href={ (base(view)) "/modules/" (m.id) "/edit" } { "Edit settings" }
                    a.button.secondary href={ (here) "/questions" } { "Questions" }
                    a.button.secondary href={ (here) "/overrides" } { "Accommodations" }
                    a.button.secondary href={ (here) "/results" } { "Results" }
                }
            }
            @if let Some(n) = essays_waiting { (essays_link(&here, n)) }
            @if let Some(body) = &m.body_html {
                // Cleaned when it was saved.
                div.content { (PreEscaped(body)) }
            }
            (errors_box(errors))
            dl.facts {
                dt { "Questions" } dd { (info.questions) }
                dt { "Opens" } dd { @match q.opens_at { Some(t) => (when(v.zone, t)), None => "now" } }
                dt { "Closes" } dd { @match info.closes_at { Some(t) => (when(v.zone, t)), None => "never" } }
                dt { "Time limit" } dd { @match info.time_limit_seconds { Some(s) => (duration_text(s)), None => "none" } }
                dt { "Attempts allowed" } dd { @match info.max_attempts { Some(n) => (n), None => "unlimited" } }
                dt { "Grade" } dd { (q.grading_method.label()) ", out of " (number(q.max_points)) " points" }
            }
            @if let Some(grade) = info.grade {
                p.grade #quiz-grade { "Your grade: " strong { (number(grade)) " / " (number(q.max_points)) } }
            }
            @if !info.attempts.is_empty() {
                h2 { "Your attempts" }
                table.attempts {
                    thead { tr { th scope="col" { "Attempt" } th scope="col" { "State" } th scope="col" { "Marks" } th scope="col" { "" } } }
                    tbody {
                        @for a in &info.attempts {
                            tr {
                                td { (a.attempt.attempt) }
                                td {
                                    @match a.attempt.submitted_at {
                                        Some(t) => { "Submitted " (when(v.zone, t)) @if a.attempt.auto_submitted { " (time was up)" } },
                                        None => "In progress",
                                    }
                                }
                                td.marks { @if a.attempt.submitted_at.is_some() { (marks_text(a.marks, a.max_marks)) @if a.attempt.needs_grading && a.shows.marks { " (waiting for grading)" } } }
                                td { a href={ (base(view)) "/attempts/" (a.attempt.id) } { @if a.attempt.submitted_at.is_some() { "Review" } @else { "Continue" } } }
                            }
                        }
                    }
                }
            }
            @if permissions::can_submit(view.access()) {
                @if let Some(id) = info.in_progress {
                    p { a.button href={ (base(view)) "/attempts/" (id) } { "Continue your attempt" } }
                } @else if info.can_start {
                    form.stack method="post" action={ (here) "/attempts" } {
                        (forms::csrf(v))
                        @if q.has_password {
                            div.field {
                                label for="password" { "Quiz password" }
                                @if let Some(e) = errors.get("password") { span.error id="password-error" { (e) } }
                                input type="password" id="password" name="password" autocomplete="off";
                            }
                        }
                        @if let Some(s) = info.time_limit_seconds {
                            p.muted { "Once started, the timer runs for " (duration_text(s)) ", even if you leave the page." }
                        }
                        div.actions { button type="submit" { @if info.attempts.is_empty() { "Start the quiz" } @else { "Start a new attempt" } } }
                    }
                } @else if let Some(why) = &info.refusal {
                    p.muted { "You cannot start an attempt: " (why) "." }
                }
            }
        },
    )
}

/// The link to the essay grading table with how many attempts wait there.
fn essays_link(quiz_base: &str, waiting: i64) -> Markup {
    html! {
        p #essays-link {
            a.button.secondary href={ (quiz_base) "/grading" } { "Grade essays" }
            " "
            @if waiting > 0 {
                span.badge.late { (waiting) " " @if waiting == 1 { "attempt waits" } @else { "attempts wait" } }
            } @else {
                span.muted { "no essay waits" }
            }
        }
    }
}

/// The quiz's questions with their marks, and the forms to add more (staff).
pub fn questions(
    v: &Visitor,
    view: &CourseView,
    quiz: &Quiz,
    slots: &[QuizSlot],
    bank: &[BankEntry],
    categories: &[BankCategory],
    errors: &FieldErrors,
) -> Markup {
    let here = quiz_base(view, quiz.module.id);
    let total = Fixed::from_units(slots.iter().map(|s| s.mark.units()).sum());
    page(
        v,
        &format!("Questions of {}", quiz.module.title),
        html! {
            (crumbs(view, &quiz.module.title, quiz.module.id))
            (errors_box(errors))
            p.muted { "Attempts already started keep the questions they were given." }
            @if slots.is_empty() {
                p.muted { "No questions yet." }
            } @else {
                table.slots {
                    thead { tr { th scope="col" { "#" } th scope="col" { "Question" } th scope="col" { "Mark and position" } th scope="col" { "" } } }
                    tbody {
                        @for (i, s) in slots.iter().enumerate() {
                            tr {
                                td { (i + 1) }
                                td {
                                    @if let Some(name) = &s.question_name {
                                        (name) " " span.muted { "(" (s.question_kind.clone().unwrap_or_default()) ")" }
                                    } @else {
                                        "Random question from " strong { (s.category_name.clone().unwrap_or_default()) }
                                        @if s.include_subcategories { " and its subcategories" }
                                    }
                                }
                                td {
                                    form.inline method="post" action={ (here) "/questions/" (s.id) } {
                                        (forms::csrf(v))
                                        input type="hidden" name="action" value="save";
                                        label.visually-hidden for={ "mark-" (s.id) } { "Mark of question " (i + 1) }
                                        input type="text" size="5" id={ "mark-" (s.id) } name="mark" value=(s.mark.to_string());
                                        label.visually-hidden for={ "position-" (s.id) } { "Position of question " (i + 1) }
                                        input type="number" min="1" size="3" id={ "position-" (s.id) } name="position" value=(i + 1);
                                        button.secondary type="submit" { "Save" }
                                    }
                                }
                                td {
                                    form.inline method="post" action={ (here) "/questions/" (s.id) } {
                                        (forms::csrf(v))
                                        input type="hidden" name="action" value="remove";
                                        button.danger type="submit" { "Remove" span.visually-hidden { " question " (i + 1) } }
                                    }
                                }
                            }
                        }
                    }
                }
                p { "Total marks: " strong { (total) } " (scaled to " (number(quiz.max_points)) " points in the gradebook)" }
            }
            h2 { "Add a question from the bank" }
            @if bank.is_empty() {
                p.muted { "The course's question bank is empty." }
            } @else {
                form.stack method="post" action={ (here) "/questions" } {
                    (forms::csrf(v))
                    input type="hidden" name="what" value="question";
                    @let options: Vec<(String, String)> = bank.iter().map(|b| (b.id.to_string(), format!("{} › {} ({}, {} mark)", b.category, b.name, b.kind, b.default_mark))).collect();
                    (forms::select("question_id", "Question", &options, "", errors))
                    div.field {
                        label for="mark" { "Mark (empty: the question's default)" }
                        input type="text" id="mark" name="mark" value="";
                    }
                    div.actions { button type="submit" { "Add question" } }
                }
            }
            h2 { "Add random questions" }
            @if categories.is_empty() {
                p.muted { "The course's question bank has no categories yet." }
            } @else {
                form.stack method="post" action={ (here) "/questions" } {
                    (forms::csrf(v))
                    input type="hidden" name="what" value="random";
                    @let options: Vec<(String, String)> = categories.iter().map(|c| (c.id.to_string(), format!("{} ({} questions)", c.name, c.questions))).collect();
                    (forms::select("category_id", "Category", &options, "", errors))
                    (forms::checkbox("include_subcategories", "Also draw from its subcategories", false))
                    div.field { label for="count" { "How many" } input type="number" min="1" max="100" id="count" name="count" value="1"; }
                    div.field { label for="random-mark" { "Mark of each" } input type="text" id="random-mark" name="mark" value="1"; }
                    div.actions { button type="submit" { "Add random questions" } }
                }
            }
        },
    )
}

/// Per-student accommodations (staff).
pub fn overrides(
    v: &Visitor,
    view: &CourseView,
    quiz: &Quiz,
    list: &[Override],
    students: &[User],
    input: &OverrideInput,
    errors: &FieldErrors,
) -> Markup {
    let here = quiz_base(view, quiz.module.id);
    let options: Vec<(String, String)> = students
        .iter()
        .map(|s| {
            (
                s.id.to_string(),
                format!("{} ({})", s.display_name, s.email),
            )
        })
        .collect();
    page(
        v,
        &format!("Accommodations for {}", quiz.module.title),
        html! {
            (crumbs(view, &quiz.module.title, quiz.module.id))
            @if list.is_empty() {
                p.muted { "No student has accommodations." }
            } @else {
                table {
                    thead { tr { th scope="col" { "Student" } th scope="col" { "Extra time" } th scope="col" { "Extra attempts" } th scope="col" { "Closes" } } }
                    tbody {
                        @for o in list {
                            tr {
                                td { (o.student_name) }
                                td { (duration_text(o.extra_seconds)) }
                                td { (o.extra_attempts) }
                                td { @match o.closes_at { Some(t) => (when(v.zone, t)), None => "as the quiz" } }
                            }
                        }
                    }
                }
            }
            h2 { "Set a student's accommodations" }
            div.card {
                (forms::summary(errors))
                form.stack method="post" action={ (here) "/overrides" } {
                    (forms::csrf(v))
                    (forms::select("student_id", "Student", &options, &input.student_id, errors))
                    div.field {
                        label for="extra_minutes" { "Extra time, in minutes" }
                        @if let Some(e) = errors.get("extra_minutes") { span.error { (e) } }
                        input type="number" min="0" id="extra_minutes" name="extra_minutes" value=(input.extra_minutes);
                    }
                    div.field {
                        label for="extra_attempts" { "Extra attempts" }
                        @if let Some(e) = errors.get("extra_attempts") { span.error { (e) } }
                        input type="number" min="0" id="extra_attempts" name="extra_attempts" value=(input.extra_attempts);
                    }
                    div.field {
                        label for="closes_at" { "Their own close time (in " (v.zone.name().replace('_', " ")) "; empty: the quiz's)" }
                        @if let Some(e) = errors.get("closes_at") { span.error { (e) } }
                        input type="datetime-local" id="closes_at" name="closes_at" value=(input.closes_at);
                    }
                    p.muted { "All empty or zero removes the student's accommodations." }
                    div.actions { button type="submit" { "Save" } }
                }
            }
        },
    )
}

/// Every student's attempts, the grades and per-question statistics (staff).
pub fn results(v: &Visitor, view: &CourseView, r: &Results) -> Markup {
    let q = &r.quiz;
    let here = quiz_base(view, q.module.id);
    let pct = |x: Option<f64>| x.map(|x| format!("{x:.1}%")).unwrap_or_else(|| "–".into());
    page(
        v,
        &format!("Results of {}", q.module.title),
        html! {
            (crumbs(view, &q.module.title, q.module.id))
            p { a.button.secondary href={ (here) "/results.csv" } { "Download CSV" } }
            @let waiting = r.rows.iter().flat_map(|row| &row.attempts).filter(|a| a.attempt.finished() && a.attempt.needs_grading).count();
            (essays_link(&here, waiting as i64))
            table.results {
                thead { tr { th scope="col" { "Student" } th scope="col" { "Attempts" } th scope="col" { "Grade" } } }
                tbody {
                    @for row in &r.rows {
                        tr {
                            th scope="row" { (row.student.display_name) }
                            td {
                                @if row.attempts.is_empty() { span.muted { "none" } }
                                ul.plain {
                                    @for a in &row.attempts {
                                        li {
                                            a href={ (base(view)) "/attempts/" (a.attempt.id) } { "Attempt " (a.attempt.attempt) } ": "
                                            @match a.attempt.submitted_at {
                                                Some(_) => { (marks_text(a.marks, a.max_marks))
                                                    @if a.attempt.auto_submitted { " · submitted when time was up" }
                                                    @if a.attempt.needs_grading { " · " strong { "needs grading" } } },
                                                None => "in progress",
                                            }
                                        }
                                    }
                                }
                            }
                            td { @match row.grade { Some(g) => { (number(g)) " / " (number(q.max_points)) }, None => "–" } }
                        }
                    }
                }
            }
            h2 { "Questions" }
            @if r.stats.is_empty() {
                p.muted { "No finished attempts yet." }
            } @else {
                table.stats {
                    thead { tr { th scope="col" { "Question" } th scope="col" { "Attempts" } th scope="col" { "Facility" } th scope="col" { "Discrimination" } th scope="col" { "Choices picked" } } }
                    tbody {
                        @for s in &r.stats {
                            tr {
                                th scope="row" { (s.name) " " span.muted { "(" (s.kind) ")" } }
                                td { (s.attempts) }
                                td { (pct(s.facility)) }
                                td { (pct(s.discrimination)) }
                                td { @for (text, n) in &s.choices { (text) ": " (n) br; } }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn timer(v: &Visitor, a: &AttemptView) -> Markup {
    html! {
        @if let (Some(left), Some(end)) = (a.seconds_left, a.attempt.ends_at) {
            p.timer #timer role="timer" {
                "Time left: " strong #time-left data-seconds=(left) { (duration_text(left)) }
                " (ends " (when(v.zone, end)) ")"
            }
        }
    }
}

fn checked_choice(r: &Option<Response>, index: usize) -> bool {
    matches!(r, Some(Response::Choices(c)) if c.contains(&index))
}

/// A question's answer fields, filled in with the saved response; `enabled` false shows
/// them read-only (review).
fn answer_fields(q: &ShownQuestion, enabled: bool) -> Markup {
    let key = format!("q{}", q.slot);
    let text = match &q.response {
        Some(Response::Text(t)) => t.clone(),
        _ => String::new(),
    };
    html! {
        @match q.kind {
            "multiple choice" => {
                fieldset {
                    legend.visually-hidden { "Answer to question " (q.slot) }
                    @for c in &q.choices {
                        @let id = format!("{key}-c{}", c.index);
                        div.check {
                            input type=(if q.multiple { "checkbox" } else { "radio" }) id=(id) name=(key) value=(c.index)
                                checked[checked_choice(&q.response, c.index)] disabled[!enabled];
                            label for=(id) { (PreEscaped(&c.html)) }
                        }
                    }
                }
            },
            "true/false" => {
                fieldset {
                    legend.visually-hidden { "Answer to question " (q.slot) }
                    @for (value, label) in [("true", "True"), ("false", "False")] {
                        @let id = format!("{key}-{value}");
                        div.check {
                            input type="radio" id=(id) name=(key) value=(value)
                                checked[matches!(q.response, Some(Response::Bool(b)) if b == (value == "true"))] disabled[!enabled];
                            label for=(id) { (label) }
                        }
                    }
                }
            },
            "matching" => {
                @for (i, prompt) in q.prompts.iter().enumerate() {
                    @let id = format!("{key}-{i}");
                    @let chosen = match &q.response { Some(Response::Matches(m)) => m.get(i).copied().flatten(), _ => None };
                    div.field {
                        label for=(id) { (PreEscaped(prompt)) }
                        select id=(id) name=(id) disabled[!enabled] {
                            option value="" { "Choose…" }
                            @for c in &q.choices {
                                option value=(c.index) selected[chosen == Some(c.index)] { (crate::lms::quizzes::attempts::plain_text(&c.html)) }
                            }
                        }
                    }
                }
            },
            "ordering" => {
                p.muted { "Number the items in order, 1 first." }
                @for (i, item) in q.items.iter().enumerate() {
                    @let id = format!("{key}-{}", item.index);
                    @let placed = match &q.response { Some(Response::Order(o)) => o.iter().position(|&k| k == item.index).map(|p| (p + 1).to_string()), _ => None };
                    div.field.inline {
                        label for=(id) { (PreEscaped(&item.html)) }
                        input type="number" min="1" max=(q.items.len()) id=(id) name=(id) size="3"
                            value=(placed.unwrap_or_else(|| (i + 1).to_string())) disabled[!enabled];
                    }
                }
            },
            "fill in the blanks" => {
                @for i in 0..q.gaps {
                    @let id = format!("{key}-{i}");
                    @let value = match &q.response { Some(Response::Gaps(g)) => g.get(i).cloned().unwrap_or_default(), _ => String::new() };
                    div.field {
                        label for=(id) { "Blank " (i + 1) }
                        input type="text" id=(id) name=(id) value=(value) disabled[!enabled];
                    }
                }
            },
            "essay" => {
                div.field {
                    label for=(key) { "Your answer" }
                    textarea id=(key) name=(key) rows="8" disabled[!enabled] { (if text.is_empty() && q.response.is_none() { q.template.clone() } else { text.clone() }) }
                }
            },
            "description" => {},
            _ => {
                div.field {
                    label for=(key) { "Your answer" }
                    input type="text" id=(key) name=(key) value=(text) disabled[!enabled];
                }
            },
        }
    }
}

fn state_text(s: State) -> &'static str {
    match s {
        State::NotAnswered => "Not answered",
        State::Invalid => "Not a valid answer",
        State::Wrong => "Incorrect",
        State::Partial => "Partly correct",
        State::Right => "Correct",
        State::NeedsGrading => "Waiting for grading",
        State::Info => "Information",
    }
}

fn question_block(
    q: &ShownQuestion,
    number: usize,
    enabled: bool,
    review: Option<Markup>,
) -> Markup {
    html! {
        section.question id={ "question-" (q.slot) } {
            h2 { "Question " (number) }
            p.muted.small {
                @if q.kind != "description" { "Marked out of " (q.max_mark) }
                @if let Some(state) = q.state { " · " strong.state { (state_text(state)) } }
                @if let Some(m) = q.mark { " · Mark " strong.mark { (m) } }
            }
            div.content { (PreEscaped(&q.text_html)) }
            (answer_fields(q, enabled))
            @if let Some(right) = &q.right_answer { p.right-answer { "The right answer: " strong { (right) } } }
            @if !q.feedback.is_empty() {
                div.feedback { @for f in &q.feedback { div { (PreEscaped(f)) } } }
            }
            @if let Some(r) = review { (r) }
        }
    }
}

/// One page of a running attempt: its questions with their saved answers, the timer, and
/// buttons that save the page and move (or submit).
pub fn attempt(
    v: &Visitor,
    view: &CourseView,
    a: &AttemptView,
    page_no: i64,
    errors: &FieldErrors,
) -> Markup {
    let action = format!("{}/attempts/{}", base(view), a.attempt.id);
    let here: Vec<(usize, &ShownQuestion)> = a
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| q.page == page_no)
        .collect();
    let slots: Vec<String> = here.iter().map(|(_, q)| q.slot.to_string()).collect();
    let free = a.navigation != "sequential";
    page(
        v,
        &a.quiz_title,
        html! {
            (crumbs(view, &a.quiz_title, a.attempt.quiz_id))
            (timer(v, a))
            (errors_box(errors))
            p.muted { "Attempt " (a.attempt.attempt) " · page " (page_no + 1) " of " (a.pages) ". Answers are saved when you move to another page or submit." }
            form.stack.attempt method="post" action=(action) data-page=(page_no) {
                (forms::csrf(v))
                input type="hidden" name="slots" value=(slots.join(","));
                @for (i, q) in &here { (question_block(q, i + 1, true, None)) }
                div.actions {
                    @if free && page_no > 0 { button.secondary type="submit" name="to" value=(page_no - 1) { "Previous page" } }
                    @if page_no + 1 < a.pages { button type="submit" name="to" value=(page_no + 1) { "Next page" } }
                    button.secondary type="submit" name="to" value=(page_no) { "Save" }
                    @if page_no + 1 >= a.pages || free { button type="submit" name="to" value="finish" { "Submit and finish" } }
                }
            }
            @if free && a.pages > 1 {
                nav aria-label="Pages of the attempt" {
                    "Pages: "
                    @for p in 0..a.pages {
                        @if p == page_no { strong { (p + 1) } " " } @else { a href={ (action) "?page=" (p) } { (p + 1) } " " }
                    }
                    span.muted { " (links do not save this page: use the buttons)" }
                }
            }
            // Progressive enhancement: a countdown and saving on change.
            script type="module" src="/assets/quiz.js" {}
        },
    )
}

/// A finished attempt (or anyone's, for staff), showing what the review options allow; staff
/// get a mark and comment form per question.
pub fn review(v: &Visitor, view: &CourseView, a: &AttemptView, errors: &FieldErrors) -> Markup {
    let grader = permissions::can_grade(view.access());
    let action = format!("{}/attempts/{}/grades", base(view), a.attempt.id);
    page(
        v,
        &format!("Review of {}", a.quiz_title),
        html! {
            (crumbs(view, &a.quiz_title, a.attempt.quiz_id))
            (errors_box(errors))
            dl.facts {
                dt { "Attempt" } dd { (a.attempt.attempt) }
                dt { "Started" } dd { (when(v.zone, a.attempt.started_at)) }
                dt { "Submitted" } dd {
                    @match a.attempt.submitted_at {
                        Some(t) => { (when(v.zone, t)) @if a.attempt.auto_submitted { " (time was up: submitted as it stood)" } },
                        None => "not yet (in progress)",
                    }
                }
                dt { "Marks" } dd #attempt-marks {
                    (marks_text(a.marks, a.max_marks))
                    @if a.shows.marks && a.attempt.needs_grading { " (an answer waits for grading)" }
                }
            }
            @if a.finished && !a.shows.marks {
                p.muted { "Your marks will be shown as your teacher chose in the quiz's review options." }
            }
            @for (i, q) in a.questions.iter().enumerate() {
                @let form = (grader && a.finished && q.kind != "description").then(|| html! {
                    form.inline.grade method="post" action=(action) {
                        (forms::csrf(v))
                        input type="hidden" name="slot" value=(q.slot);
                        label for={ "mark-" (q.slot) } { "Mark (of " (q.max_mark) ")" }
                        input type="text" size="5" id={ "mark-" (q.slot) } name="mark" value=(q.mark.map(|m| m.to_string()).unwrap_or_default());
                        label for={ "comment-" (q.slot) } { "Comment" }
                        input type="text" id={ "comment-" (q.slot) } name="comment" value="";
                        button.secondary type="submit" { "Save mark" }
                    }
                });
                (question_block(q, i + 1, false, form))
            }
        },
    )
}
