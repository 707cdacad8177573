//! The question bank in views: the category tree with counts and the add-category form, a
//! category's questions with its rename/delete/export forms, a question's preview (text,
//! answers with their grades and feedback) and versions (with a link to regrade attempts that
//! use an older one), the regrade page (what changes, then confirm), the editor (one form for the common
//! types, Moodle XML text for matching, ordering and gaps), the import page with every
//! problem by line, and the export page listing what GIFT leaves out.

use maud::{Markup, PreEscaped, html};

use super::{
    forms::{self, Field},
    page, when,
};
use crate::{
    lms::{
        FieldErrors,
        courses::CourseView,
        quizzes::{
            Question, TextFormat,
            bank_form::{KINDS, QuestionForm, kind_label},
            bank_lms::{BankQuestion, Category, ImportReport, QuestionEntry},
            numbers::Fixed,
            questions::{Body, UnitGrading},
            regrade::{RegradePreview, attempts_text},
        },
        richtext::{Format, Links, render, sanitize_html},
    },
    web::visitor::Visitor,
};

fn base(view: &CourseView) -> String {
    format!("/courses/{}/bank", view.course().slug)
}

fn trail(view: &CourseView, category: Option<&Category>) -> Markup {
    let course = view.course();
    html! {
        p.trail {
            a href={ "/courses/" (course.slug) } { (course.title) }
            " › " a href=(base(view)) { "Question bank" }
            @if let Some(c) = category {
                " › " a href={ (base(view)) "/categories/" (c.id) } { (c.path.join(" / ")) }
            }
        }
    }
}

/// `(id, "Biology / Cells")` choices, optionally after a "top of the bank" choice.
fn category_options(categories: &[Category], top: Option<&str>) -> Vec<(String, String)> {
    let mut options = Vec::new();
    if let Some(label) = top {
        options.push((String::new(), label.to_string()));
    }
    options.extend(
        categories
            .iter()
            .map(|c| (c.id.to_string(), c.path.join(" / "))),
    );
    options
}

/// The bank: categories as a tree with their counts, and the form to add one.
pub fn index(
    v: &Visitor,
    view: &CourseView,
    categories: &[Category],
    name: &str,
    parent: &str,
    errors: &FieldErrors,
) -> Markup {
    let base = base(view);
    page(
        v,
        &format!("Question bank · {}", view.course().title),
        html! {
            p.trail { a href={ "/courses/" (view.course().slug) } { (view.course().title) } }
            div.actions {
                a.button href={ (base) "/import" } { "Import questions" }
            }
            @if categories.is_empty() {
                p.muted { "No categories yet. Import a GIFT or Moodle XML file, or add a category below and write questions in it." }
            } @else {
                table.bank {
                    thead { tr { th scope="col" { "Category" } th scope="col" { "Questions" } th scope="col" { span.visually-hidden { "Export" } } } }
                    tbody {
                        @for c in categories {
                            tr {
                                th scope="row" {
                                    span.indent style={ "padding-left:" (c.depth) "rem" } {
                                        a href={ (base) "/categories/" (c.id) } { (c.name) }
                                    }
                                }
                                td { (c.questions) }
                                td { a href={ (base) "/categories/" (c.id) "/export" } { "Export" span.visually-hidden { " " (c.name) } } }
                            }
                        }
                    }
                }
            }
            h2 #add-category { "Add a category" }
            div.card {
                (forms::summary(errors))
                form.stack method="post" action={ (base) "/categories" } {
                    (forms::csrf(v))
                    (Field::new("name", "Name", name).render(errors))
                    (forms::select("parent_id", "Inside", &category_options(categories, Some("(the top of the bank)")), parent, errors))
                    div.actions { button type="submit" { "Add category" } }
                }
            }
        },
    )
}

/// A category: its questions, the ways to add one, and its own settings.
pub fn category(
    v: &Visitor,
    view: &CourseView,
    categories: &[Category],
    c: &Category,
    questions: &[QuestionEntry],
    name: &str,
    errors: &FieldErrors,
) -> Markup {
    let base = base(view);
    let here = format!("{base}/categories/{}", c.id);
    let children: Vec<&Category> = categories
        .iter()
        .filter(|x| x.parent_id == Some(c.id))
        .collect();
    page(
        v,
        &c.name,
        html! {
            (trail(view, None))
            (forms::summary(errors))
            @if !children.is_empty() {
                p { "Subcategories: "
                    @for (i, child) in children.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href={ (base) "/categories/" (child.id) } { (child.name) } " (" (child.questions) ")"
                    }
                }
            }
            h2 { "Add a question" }
            ul.kinds {
                @for (kind, label) in KINDS {
                    li { a.button.secondary href={ (here) "/new?type=" (kind) } { (label) } }
                }
            }
            h2 { "Questions (" (questions.len()) ")" }
            @if questions.is_empty() {
                p.muted { "No questions in this category yet." }
            } @else {
                div.table-scroll {
                    table.questions {
                        thead { tr { th scope="col" { "Question" } th scope="col" { "Type" } th scope="col" { "Version" } th scope="col" { "Used in attempts" } th scope="col" { "Saved" } } }
                        tbody {
                            @for q in questions {
                                tr {
                                    th scope="row" { a href={ (base) "/questions/" (q.id) } { (q.name) } }
                                    td { (q.kind) }
                                    td { (q.version) }
                                    td { (q.attempts) }
                                    td { (when(v.zone, q.updated_at)) }
                                }
                            }
                        }
                    }
                }
            }
            div.actions {
                a.button.secondary href={ (base) "/import?category=" (c.id) } { "Import into this category" }
                a.button.secondary href={ (here) "/export" } { "Export this category" }
            }
            h2 { "This category" }
            div.card {
                form.stack method="post" action={ (here) "/rename" } {
                    (forms::csrf(v))
                    (Field::new("name", "Name", name).render(errors))
                    div.actions { button.secondary type="submit" { "Rename" } }
                }
            }
            div.card {
                form.stack method="post" action={ (here) "/delete" } {
                    (forms::csrf(v))
                    @if let Some(e) = errors.get("move") { p.error #move { (e) } }
                    @if c.questions > 0 || !children.is_empty() {
                        (forms::checkbox("move", "Move its questions and subcategories to the category above it", false))
                    }
                    div.actions { button.danger type="submit" { "Delete category" } }
                }
            }
        },
    )
}

/// A text of a question as HTML, cleaned: Moodle's auto format and HTML are cleaned HTML
/// (plain auto-format text keeps its line breaks), Markdown is rendered, plain text escaped.
pub fn text_html(format: TextFormat, text: &str) -> Markup {
    let html = match format {
        TextFormat::Html => sanitize_html(text),
        TextFormat::Markdown => render(Format::Markdown, text, &Links::default()),
        TextFormat::Moodle if text.contains('<') => sanitize_html(text),
        TextFormat::Moodle | TextFormat::Plain => {
            let escaped = html! { (text) }.into_string();
            escaped.replace('\n', "<br>")
        }
    };
    PreEscaped(html)
}

fn grade(f: Fixed) -> String {
    format!("{}%", f.percent_text())
}

/// The answers of a question with their grades and feedback.
fn answers(q: &Question) -> Markup {
    let fmt = q.format;
    let feedback = |f: &str| {
        html! { @if !f.is_empty() { div.muted.small { "Feedback: " (text_html(fmt, f)) } } }
    };
    html! {
        @match &q.body {
            Body::Description => { p.muted { "A description: no answer is asked for." } }
            Body::MultipleChoice(mc) => {
                p.muted {
                    @if mc.multiple { "Several answers may be chosen" } @else { "One answer" }
                    @if mc.shuffle { "; shuffled per attempt" }
                    "."
                }
                ol.answers {
                    @for c in &mc.choices {
                        li class=[(c.fraction > Fixed::ZERO).then_some("right")] {
                            span.badge { (grade(c.fraction)) } " " (text_html(fmt, &c.text)) (feedback(&c.feedback))
                        }
                    }
                }
            }
            Body::TrueFalse(tf) => {
                p { "The right answer: " strong { @if tf.correct { "True" } @else { "False" } } }
                (feedback(&tf.feedback_true)) (feedback(&tf.feedback_false))
            }
            Body::ShortAnswer(sa) => {
                p.muted { @if sa.case_sensitive { "Case matters." } @else { "Case does not matter." } " * matches any characters." }
                ol.answers {
                    @for a in &sa.answers {
                        li { span.badge { (grade(a.fraction)) } " " code { (a.pattern) } (feedback(&a.feedback)) }
                    }
                }
            }
            Body::Numerical(n) => {
                ol.answers {
                    @for a in &n.answers {
                        li {
                            span.badge { (grade(a.fraction)) } " "
                            @match a.value { Some(value) => { (value) " ± " (a.tolerance) }, None => { "any number" } }
                            (feedback(&a.feedback))
                        }
                    }
                }
                @if !n.units.is_empty() {
                    p { "Units: "
                        @for (i, u) in n.units.iter().enumerate() { @if i > 0 { ", " } (u.name) " (×" (u.multiplier) ")" }
                        @match n.unit_grading {
                            UnitGrading::Optional => { "; optional" },
                            UnitGrading::PenaltyOfMark(p) | UnitGrading::PenaltyOfMax(p) => { "; a missing unit costs " (grade(p)) },
                        }
                    }
                }
            }
            Body::Matching(m) => {
                table {
                    thead { tr { th scope="col" { "Prompt" } th scope="col" { "Answer" } } }
                    tbody { @for p in &m.pairs { tr { td { @if p.prompt.is_empty() { em.muted { "(an extra wrong answer)" } } @else { (text_html(fmt, &p.prompt)) } } td { (p.answer) } } } }
                }
            }
            Body::Ordering(o) => {
                p.muted { "The right order:" }
                ol.answers { @for item in &o.items { li { (text_html(fmt, item)) } } }
            }
            Body::Gaps(g) => {
                ol.answers {
                    @for gap in &g.gaps {
                        li {
                            @for (i, a) in gap.answers.iter().enumerate() {
                                @if i > 0 { ", " }
                                code { (a.pattern) } " " span.badge { (grade(a.fraction)) }
                            }
                        }
                    }
                }
            }
            Body::Essay(e) => {
                p.muted { "Marked by hand." }
                @if !e.grader_info.is_empty() { p { "For the grader: " (e.grader_info) } }
                @if !e.response_template.is_empty() { p { "The answer box starts with:" } pre { (e.response_template) } }
            }
        }
    }
}

/// A question: its preview, versions, and the ways to change, move or delete it.
/// Attempts given an older version: (can be regraded, cannot), shown on the question's page
/// with a link to the regrade page when any is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pending {
    pub regradable: usize,
    pub incompatible: usize,
}

pub fn question(
    v: &Visitor,
    view: &CourseView,
    categories: &[Category],
    bq: &BankQuestion,
    pending: Pending,
) -> Markup {
    let base = base(view);
    let here = format!("{base}/questions/{}", bq.id);
    let q = &bq.question;
    let category = categories.iter().find(|c| c.id == bq.category_id);
    let latest = bq.latest();
    page(
        v,
        &q.name,
        html! {
            (trail(view, category))
            p {
                span.badge { (q.body.kind()) } " "
                strong { "Version " (bq.version) } " of " (latest)
                @if bq.version != latest { " — " a href=(here) { "see the newest" } }
                " · mark " (q.default_mark) " · used in " (bq.attempts) " attempt(s)"
            }
            @if bq.versions.len() > 1 {
                p.muted { "Versions: "
                    @for n in &bq.versions {
                        @if *n == bq.version { strong { (n) } } @else { a href={ (here) "?version=" (n) } { (n) } }
                        " "
                    }
                }
            }
            @if pending.regradable > 0 || pending.incompatible > 0 {
                p.notice role="status" {
                    "Some attempts were given an older version of this question. "
                    @if pending.regradable > 0 {
                        a href={ (here) "/regrade" } { "Regrade " (attempts_text(pending.regradable)) "…" }
                    }
                    @if pending.incompatible > 0 {
                        " " (attempts_text(pending.incompatible)) " cannot be regraded "
                        @if pending.regradable == 0 { "(" a href={ (here) "/regrade" } { "why" } ")" }
                        "."
                    }
                }
            }
            div.actions {
                a.button href={ (here) "/edit" } { "Edit" }
            }
            section.preview.card {
                h2 { "Preview" }
                div.content { (text_html(q.format, &q.text)) }
                (answers(q))
                @if !q.general_feedback.is_empty() {
                    div.feedback { strong { "General feedback: " } (text_html(q.format, &q.general_feedback)) }
                }
            }
            h2 { "Move or delete" }
            div.card {
                form.inline.centered method="post" action={ (here) "/move" } {
                    (forms::csrf(v))
                    label for="category_id" { "Category" }
                    (forms::options_select("category_id", "category_id", &category_options(categories, None), &bq.category_id.to_string(), false))
                    button.secondary type="submit" { "Move" }
                }
            }
            div.card {
                form.inline.centered method="post" action={ (here) "/delete" } {
                    (forms::csrf(v))
                    span.muted { "Deleting hides it from the bank; attempts that used it keep it." }
                    button.danger type="submit" { "Delete question" }
                }
            }
        },
    )
}

fn mark_text(mark: Option<Fixed>, max: Fixed) -> String {
    match mark {
        Some(m) => format!("{m} / {max}"),
        None => "not marked".into(),
    }
}

/// From → to, the new value stressed.
fn change(old: String, new: String) -> Markup {
    html! { (old) " → " strong { (new) } }
}

/// The regrade page: each attempt whose marks change (student, quiz, attempt, the question's
/// mark and the attempt's total before → after), how many stay the same, those that cannot be
/// regraded and why, and the button that does it (`error`: why a confirmation was refused).
pub fn regrade(
    v: &Visitor,
    view: &CourseView,
    bq: &BankQuestion,
    preview: &RegradePreview,
    error: Option<&str>,
) -> Markup {
    let here = format!("{}/questions/{}", base(view), bq.id);
    let n = preview.regradable();
    page(
        v,
        &format!("Regrade “{}”", preview.name),
        html! {
            p.trail {
                a href={ "/courses/" (view.course().slug) } { (view.course().title) }
                " › " a href=(base(view)) { "Question bank" }
                " › " a href=(here) { (preview.name) }
            }
            @if let Some(e) = error { p.warning role="alert" { (e) } }
            p { "Attempts given an older version are marked again with version " strong { (preview.version) } ". "
                "Answers stay as they were given; marks a grader gave by hand are kept." }
            @if n == 0 && preview.incompatible.is_empty() {
                p { "No attempt uses an older version: nothing to regrade." }
            }
            @if !preview.changes.is_empty() {
                h2 { "What changes (" (attempts_text(preview.changes.len())) ")" }
                div.table-scroll {
                    table.regrade {
                        thead { tr {
                            th scope="col" { "Student" }
                            th scope="col" { "Quiz" }
                            th scope="col" { "Attempt" }
                            th scope="col" { "This question" }
                            th scope="col" { "Attempt total" }
                        } }
                        tbody {
                            @for r in &preview.changes {
                                tr {
                                    th scope="row" { (r.student_name) }
                                    td data-label="Quiz" { (r.quiz_title) }
                                    td data-label="Attempt" {
                                        a href={ "/courses/" (view.course().slug) "/attempts/" (r.attempt_id) } { (r.attempt) }
                                        @if !r.finished { " " span.badge { "in progress" } }
                                    }
                                    td.mark data-label="This question" { (change(mark_text(r.old_mark, r.max_mark), mark_text(r.new_mark, r.max_mark))) }
                                    td.mark data-label="Attempt total" {
                                        @match (r.old_total, r.new_total) {
                                            (Some(o), Some(nw)) => (change(format!("{o} / {}", r.max_total), format!("{nw} / {}", r.max_total))),
                                            _ => span.muted { "when submitted" },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if preview.unchanged > 0 {
                p.muted { (attempts_text(preview.unchanged)) " keep the same marks (they move to version " (preview.version) " too)." }
            }
            @if !preview.incompatible.is_empty() {
                h2 { "Cannot be regraded (" (attempts_text(preview.incompatible.len())) ")" }
                p.muted { "These keep the version they were given; nothing about them changes." }
                ul {
                    @for i in &preview.incompatible {
                        li { (i.student_name) ", " (i.quiz_title) ", attempt " (i.attempt)
                            " (version " (i.from_version) "): " (i.reason) }
                    }
                }
            }
            @if n > 0 {
                form method="post" action={ (here) "/regrade" } {
                    (forms::csrf(v))
                    input type="hidden" name="version" value=(preview.version);
                    div.actions {
                        button type="submit" { "Regrade " (attempts_text(n)) }
                        a.button.secondary href=(here) { "Cancel" }
                    }
                }
            } @else {
                p { a href=(here) { "Back to the question" } }
            }
        },
    )
}

/// What the editor page shows: for a new question `question` is none.
pub struct EditorPage<'a> {
    pub category: &'a Category,
    pub question: Option<&'a BankQuestion>,
    pub form: &'a QuestionForm,
    pub errors: &'a FieldErrors,
}

fn area(name: &str, label: &str, value: &str, errors: &FieldErrors, hint: Option<&str>) -> Markup {
    let error = errors.get(name);
    html! {
        div.field {
            label for=(name) { (label) }
            @if let Some(h) = hint { span.hint { (h) } }
            @if let Some(e) = error { span.error id={ (name) "-error" } { (e) } }
            textarea id=(name) name=(name) aria-invalid=[error.map(|_| "true")] { (value) }
        }
    }
}

fn small(name: &str, label: &str, value: &str, errors: &FieldErrors, hint: &str) -> Markup {
    let error = errors.get(name);
    html! {
        div.field {
            label for=(name) { (label) }
            span.hint { (hint) }
            @if let Some(e) = error { span.error id={ (name) "-error" } { (e) } }
            input type="text" id=(name) name=(name) value=(value) inputmode="decimal" aria-invalid=[error.map(|_| "true")];
        }
    }
}

/// Every error of one field (the summary links to the first).
fn all_errors(errors: &FieldErrors, field: &str) -> Markup {
    html! {
        @let list: Vec<&str> = errors.iter().filter(|e| e.field == field).map(|e| e.message.as_str()).collect();
        @if !list.is_empty() {
            ul.error { @for m in list { li { (m) } } }
        }
    }
}

fn answer_rows(form: &QuestionForm, errors: &FieldErrors) -> Markup {
    let numeric = form.kind == "numerical";
    let (what, hint) = match form.kind.as_str() {
        "multiple_choice" => (
            "Choices",
            "A grade per choice in %: 100 for the right one; with several answers, shares that add up to 100 (and negative ones for wrong choices). Empty rows are left out.",
        ),
        "short_answer" => (
            "Accepted answers",
            "Tried in order, the first match decides; * matches any characters. One answer must be worth 100%. Empty rows are left out.",
        ),
        _ => (
            "Accepted numbers",
            "A number (or * for any) with a tolerance: 3.14 ± 0.01 accepts 3.13 to 3.15. One answer must be worth 100%. Empty rows are left out.",
        ),
    };
    html! {
        fieldset.answers #answers {
            legend { (what) }
            p.hint { (hint) }
            (all_errors(errors, "answers"))
            div.table-scroll {
                table.answers {
                    thead { tr {
                        th scope="col" { "#" }
                        th scope="col" { @if numeric { "Number" } @else { "Answer" } }
                        @if numeric { th scope="col" { "Tolerance" } }
                        th scope="col" { "Grade %" }
                        th scope="col" { "Feedback" }
                    } }
                    tbody {
                        @for (i, row) in form.rows.iter().enumerate() {
                            tr {
                                td { (i + 1) }
                                td { input type="text" name={ "answer-" (i) } id={ "answer-" (i) } value=(row.text) aria-label={ "Answer " (i + 1) }; }
                                @if numeric { td { input.narrow type="text" name={ "tolerance-" (i) } value=(row.tolerance) aria-label={ "Tolerance " (i + 1) } inputmode="decimal"; } }
                                td { input.narrow type="text" name={ "fraction-" (i) } id={ "fraction-" (i) } value=(row.fraction) aria-label={ "Grade % of answer " (i + 1) } inputmode="decimal"; }
                                td { input type="text" name={ "feedback-" (i) } value=(row.feedback) aria-label={ "Feedback on answer " (i + 1) }; }
                            }
                        }
                    }
                }
            }
            button.secondary type="submit" name="rows" value="more" formnovalidate { "More answer rows" }
        }
    }
}

/// The editor: the type's form, or the question's Moodle XML for the other types.
pub fn editor(v: &Visitor, view: &CourseView, p: &EditorPage<'_>) -> Markup {
    let base = base(view);
    let f = p.form;
    let errors = p.errors;
    let (title, action) = match p.question {
        Some(q) => (
            format!("Edit: {}", q.question.name),
            format!("{base}/questions/{}/edit", q.id),
        ),
        None => (
            format!("New question: {}", kind_label(&f.kind).to_lowercase()),
            format!("{base}/categories/{}/questions", p.category.id),
        ),
    };
    let formats: Vec<(String, String)> = TextFormat::ALL
        .iter()
        .map(|t| {
            let label = match t {
                TextFormat::Moodle => "Moodle auto-format (text, HTML allowed)",
                TextFormat::Html => "HTML",
                TextFormat::Markdown => "Markdown",
                TextFormat::Plain => "Plain text",
            };
            (t.gift_name().to_string(), label.to_string())
        })
        .collect();
    page(
        v,
        &title,
        html! {
            (trail(view, Some(p.category)))
            @if let Some(q) = p.question {
                p.notice {
                    strong { "Version " (q.latest() + 1) } " — saving makes a new version; attempts made before keep the version they were given."
                    @if q.attempts > 0 { " This question is in " (q.attempts) " attempt(s)." }
                }
            }
            (forms::summary(errors))
            form.stack.question method="post" action=(action) {
                (forms::csrf(v))
                // Enter in a field saves (the first submit button is the form's default), not
                // "More answer rows".
                button.visually-hidden type="submit" tabindex="-1" aria-hidden="true" { "Save question" }
                input type="hidden" name="kind" value=(f.kind);
                (Field::new("name", "Name (for you; students do not see it)", &f.name).render(errors))
                @if f.kind == "xml" {
                    p.hint {
                        "Matching, ordering and fill-in-the-blanks questions are edited as their Moodle XML text here: "
                        "one " code { "<question>" } " element, as Moodle exports it. "
                        "The name above is replaced by the one in the text."
                    }
                    (area("xml", "The question as Moodle XML", &f.xml, errors, None))
                } @else {
                    (area("text", "Question text", &f.text, errors, None))
                    (forms::select("format", "The texts are written in", &formats, &f.format, errors))
                    @match f.kind.as_str() {
                        "multiple_choice" => {
                            (forms::checkbox("multiple", "Several answers may be chosen (check boxes)", f.multiple))
                            (forms::checkbox("all_or_nothing", "With several answers: all or nothing (full marks only for exactly the right ones)", f.all_or_nothing))
                            (forms::checkbox("shuffle", "Shuffle the choices in each attempt", f.shuffle))
                            (answer_rows(f, errors))
                        }
                        "true_false" => {
                            (forms::select("correct", "The right answer", &[("true".into(), "True".into()), ("false".into(), "False".into())], &f.correct, errors))
                            (area("feedback_true", "Feedback for those who answer True", &f.feedback_true, errors, None))
                            (area("feedback_false", "Feedback for those who answer False", &f.feedback_false, errors, None))
                        }
                        "short_answer" => {
                            (forms::checkbox("case_sensitive", "Case matters (\"DNA\" is not \"dna\")", f.case_sensitive))
                            (answer_rows(f, errors))
                        }
                        "numerical" => {
                            (answer_rows(f, errors))
                            (area("units", "Units (optional)", &f.units, errors, Some("One a line: the unit, then how many of it make one of the first (m, then cm 100). Leave empty for none.")))
                        }
                        "essay" => {
                            (area("grader_info", "Information for the grader", &f.grader_info, errors, None))
                            (area("response_template", "The answer box starts with", &f.response_template, errors, None))
                        }
                        _ => {}
                    }
                    (area("general_feedback", "General feedback (shown to everyone after answering)", &f.general_feedback, errors, None))
                    div.pair {
                        (small("default_mark", "Default mark", &f.default_mark, errors, "What the question is worth in a quiz"))
                        (small("penalty", "Penalty per wrong try (%)", &f.penalty, errors, "When a quiz allows several tries"))
                    }
                }
                div.actions {
                    button type="submit" { "Save" }
                    a href=(match p.question { Some(q) => format!("{base}/questions/{}", q.id), None => format!("{base}/categories/{}", p.category.id) }) { "Cancel" }
                }
            }
        },
    )
}

/// What the import page shows.
pub struct ImportPage<'a> {
    pub categories: &'a [Category],
    /// The category chosen, as an id ("" for the top).
    pub target: &'a str,
    /// The format chosen ("" to guess).
    pub format: &'a str,
    /// What a file gave, when one was read and nothing was stored.
    pub report: Option<&'a ImportReport>,
    /// The file's text, carried to the confirmation (re-read there).
    pub text: &'a str,
    pub errors: &'a FieldErrors,
}

fn format_options() -> Vec<(String, String)> {
    vec![
        (
            "auto".into(),
            "Guess from the file (.gift, .txt or .xml)".into(),
        ),
        ("gift".into(), "GIFT".into()),
        ("xml".into(), "Moodle XML".into()),
    ]
}

/// The import form, and after a file with problems: every problem by line and the way to
/// import the valid questions.
pub fn import(v: &Visitor, view: &CourseView, p: &ImportPage<'_>) -> Markup {
    let base = base(view);
    let options = category_options(p.categories, Some("(the top of the bank)"));
    page(
        v,
        "Import questions",
        html! {
            (trail(view, None))
            @if let Some(r) = p.report {
                section.card.report {
                    @if r.problems.is_empty() {
                        p { "The file holds no questions." }
                    } @else {
                        h2 { "The file has " (r.problems.len()) " problem(s); nothing was imported" }
                        div.table-scroll {
                            table.problems {
                                thead { tr { th scope="col" { "Line" } th scope="col" { "Problem" } } }
                                tbody {
                                    @for e in &r.problems {
                                        tr { td { @if e.line == 0 { "the file" } @else { (e.line) } } td { (e.message) } }
                                    }
                                }
                            }
                        }
                        @if r.valid > 0 {
                            p { "The other " strong { (r.valid) } " question(s) are fine. Fix the file and import it again, or import the valid ones now." }
                            form.inline method="post" action={ (base) "/import" } enctype="multipart/form-data" {
                                (forms::csrf(v))
                                input type="hidden" name="confirm" value="true";
                                input type="hidden" name="category_id" value=(p.target);
                                input type="hidden" name="format" value=(r.format.map_or("auto", |f| f.as_str()));
                                input type="hidden" name="text" value=(p.text);
                                button type="submit" { "Import the " (r.valid) " valid questions" }
                            }
                        }
                    }
                }
            }
            div.card {
                (forms::summary(p.errors))
                form.stack method="post" action={ (base) "/import" } enctype="multipart/form-data" {
                    (forms::csrf(v))
                    div.field {
                        label for="file" { "File" }
                        span.hint { "GIFT or Moodle XML, at most 8 MiB. Nothing is imported while anything in it is wrong, unless you confirm." }
                        @if let Some(e) = p.errors.get("file") { span.error { (e) } }
                        input type="file" id="file" name="file" accept=".gift,.txt,.xml,text/plain,application/xml,text/xml";
                    }
                    (forms::select("format", "Format", &format_options(), if p.format.is_empty() { "auto" } else { p.format }, p.errors))
                    (forms::select("category_id", "Into", &options, p.target, p.errors))
                    p.hint { "The file's own categories are made inside the one chosen." }
                    div.actions { button type="submit" { "Import" } }
                }
            }
        },
    )
}

/// A category's export: both formats, and what GIFT would leave out.
pub fn export(
    v: &Visitor,
    view: &CourseView,
    c: &Category,
    gift_skipped: &[(String, String)],
) -> Markup {
    let here = format!("{}/categories/{}", base(view), c.id);
    page(
        v,
        &format!("Export: {}", c.name),
        html! {
            (trail(view, Some(c)))
            p { "Every question of “" (c.path.join(" / ")) "” and its subcategories, at its newest version, with its category path." }
            div.actions {
                a.button href={ (here) "/export/xml" } download { "Download Moodle XML" }
                a.button.secondary href={ (here) "/export/gift" } download { "Download GIFT" }
            }
            p.muted { "Moodle XML holds every type. " }
            @if gift_skipped.is_empty() {
                p.muted { "GIFT holds all of these questions too." }
            } @else {
                h2 { "GIFT leaves out " (gift_skipped.len()) " question(s)" }
                ul {
                    @for (name, why) in gift_skipped { li { strong { (name) } ": " (why) } }
                }
            }
        },
    )
}
