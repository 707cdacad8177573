//! Modules in views: a section tree with its modules (and staff controls), a page or file
//! module's own page, and the forms to add or edit a page, a file, an assignment or a forum (texts in
//! the editor, `editor`).

use chrono::{DateTime, Utc};
use maud::{Markup, PreEscaped, html};

use super::{
    editor::{self, TextField},
    forms::{self, Field},
    page,
    sections::flatten,
    when,
};
use crate::{
    lms::{
        FieldErrors,
        assignments::{AssignmentInput, MAX_FILE_MIB},
        attachments,
        courses::CourseView,
        discussions::ForumInput,
        media::Media,
        modules::{Module, ModuleKind, PageInput},
        permissions,
        quizzes::quiz::{GradingMethod, Navigation, QuizInput, ReviewWhen},
        sections::{Section, SectionNode, tree},
        visibility::{self, Seen, VisibilityInput},
    },
    web::{upload::size_text, visitor::Visitor},
};

/// The sections, each with its modules in order; staff get add links, move forms, and
/// visibility badges and delete links.
pub fn section_content(
    v: &Visitor,
    view: &CourseView,
    nodes: &[SectionNode],
    modules: &[Module],
    now: DateTime<Utc>,
) -> Markup {
    let staff = permissions::can_edit_content(view.access());
    let base = format!("/courses/{}/modules", view.course().slug);
    html! {
        @if !nodes.is_empty() {
            ol.tree {
                @for node in nodes {
                    li {
                        h3.section { (node.section.title) }
                        @let here: Vec<&Module> = modules.iter().filter(|m| m.section_id == node.section.id).collect();
                        @if !here.is_empty() {
                            ul.modules {
                                @for (i, m) in here.iter().enumerate() {
                                    li {
                                        span.badge { (m.kind.label()) } " "
                                        a href={ (base) "/" (m.id) } { (m.title) }
                                        @if staff { (badge(v, m, now)) (controls(v, &base, m, i + 1)) }
                                    }
                                }
                            }
                        }
                        @if staff {
                            p.muted {
                                "Add: "
                                @for kind in ModuleKind::ALL {
                                    @let what = kind.label().to_lowercase();
                                    a href={ (base) "/new?kind=" (kind.as_str()) "&section=" (node.section.id) }
                                        aria-label={ "Add " (what) " to " (node.section.title) } { (what) }
                                    " "
                                }
                            }
                        }
                        (section_content(v, view, &node.children, modules, now))
                    }
                }
            }
        }
    }
}

fn controls(v: &Visitor, base: &str, m: &Module, position: usize) -> Markup {
    html! {
        form.inline method="post" action={ (base) "/" (m.id) "/move" } {
            (forms::csrf(v))
            label.visually-hidden for={ "position-" (m.id) } { "Position of " (m.title) }
            input type="number" min="1" id={ "position-" (m.id) } name="position" value=(position) size="3";
            button.secondary type="submit" { "Move" }
        }
        a href={ (base) "/" (m.id) "/visibility" } { "Visibility" span.visually-hidden { " of " (m.title) } }
        a.danger href={ (base) "/" (m.id) "/delete" } { "Delete" span.visually-hidden { " " (m.title) } }
    }
}

/// For staff: how students see the module now, when not simply shown.
pub fn badge(v: &Visitor, m: &Module, now: DateTime<Utc>) -> Markup {
    html! {
        @match visibility::seen(m, now) {
            Seen::Shown => {},
            Seen::Hidden => span.badge.hidden { "Hidden" },
            Seen::From(t) => span.badge.scheduled { "Visible from " (when(v.zone, t)) },
            Seen::Until(t) => span.badge.scheduled { "Visible until " (when(v.zone, t)) },
            Seen::Ended(t) => span.badge.hidden { "Hidden since " (when(v.zone, t)) },
        }
    }
}

/// The form that hides, shows or schedules a module for students.
pub fn visibility_form(
    v: &Visitor,
    view: &CourseView,
    m: &Module,
    input: &VisibilityInput,
    errors: &FieldErrors,
    now: DateTime<Utc>,
) -> Markup {
    let base = format!("/courses/{}/modules/{}", view.course().slug, m.id);
    let time = |name: &'static str, label: &'static str, value: &str| {
        let error = errors.get(name);
        html! {
            div.field {
                label for=(name) { (label) }
                @if let Some(msg) = error { span.error id={ (name) "-error" } { (msg) } }
                input type="datetime-local" id=(name) name=(name) value=(value) aria-invalid=[error.map(|_| "true")];
            }
        }
    };
    page(
        v,
        &format!("Visibility of {}", m.title),
        html! {
            p { a href={ "/courses/" (view.course().slug) } { "Back to " (view.course().title) } }
            p { "Students now: " @if visibility::shown(m, now) { "see it." } @else { "do not see it." } " " (badge(v, m, now)) }
            div.card {
                (forms::summary(errors))
                form.stack method="post" action={ (base) "/visibility" } {
                    (forms::csrf(v))
                    (forms::checkbox("hidden", "Hidden from students (whatever the dates say)", input.hidden.is_some()))
                    p.muted {
                        "Or show it to students only between two times, in " strong { (v.zone.name().replace('_', " ")) } " ("
                        a href="/account" { "your time zone" } "). Leave a time empty for no limit. Staff always see it."
                    }
                    (time("visible_from", "Visible from", &input.visible_from))
                    (time("visible_until", "Visible until (hidden from then on)", &input.visible_until))
                    div.actions { button type="submit" { "Save" } a href={ "/courses/" (view.course().slug) } { "Cancel" } }
                }
            }
        },
    )
}

/// A page or file module; a page lists the attachments its text does not show or link.
pub fn show(
    v: &Visitor,
    view: &CourseView,
    m: &Module,
    attached: &[Media],
    now: DateTime<Utc>,
) -> Markup {
    let body = m.body_html.as_deref().unwrap_or_default();
    let unnamed: Vec<(&Media, String)> = attached
        .iter()
        .map(|a| (a, attachments::path(a.id, &a.file_name)))
        .filter(|(_, path)| !body.contains(path.as_str()))
        .collect();
    let base = format!("/courses/{}/modules/{}", view.course().slug, m.id);
    page(
        v,
        &m.title,
        html! {
            p { a href={ "/courses/" (view.course().slug) } { "Back to " (view.course().title) } }
            @if permissions::can_edit_content(view.access()) {
                p { (badge(v, m, now)) }
                div.actions {
                    @if m.kind == ModuleKind::Page { a.button.secondary href={ (base) "/edit" } { "Edit page" } }
                    a.button.secondary href={ (base) "/visibility" } { "Visibility" }
                    a.button.secondary href={ (base) "/delete" } { "Delete" }
                }
            }
            @if let Some(body) = &m.body_html {
                // Cleaned by ammonia when it was saved.
                div.content { (PreEscaped(body)) }
            }
            @if !unnamed.is_empty() {
                h2 { "Files" }
                ul.files {
                    @for (a, path) in &unnamed {
                        li { a href=(path) { (a.file_name) } " " span.muted { (size_text(a.size_bytes as u64)) } }
                    }
                }
            }
            @if let Some(file) = &m.media {
                p {
                    a.button href={ (base) "/download" } { "Download " (file.file_name) }
                    " " span.muted { (file.content_type) ", " (size_text(file.size_bytes as u64)) }
                }
            }
        },
    )
}

/// Which module form to show: `Some(id)` edits that module.
pub enum ModuleForm<'a> {
    Page(Option<i64>, &'a PageInput),
    File { section_id: &'a str, title: &'a str },
    Assignment(Option<i64>, &'a AssignmentInput),
    Forum(Option<i64>, &'a ForumInput),
    Quiz(Option<i64>, &'a QuizInput),
}

/// What every module form needs.
pub struct Editor<'a> {
    pub v: &'a Visitor,
    pub view: &'a CourseView,
    pub sections: &'a [Section],
    pub errors: &'a FieldErrors,
    /// The attachments of the text being edited.
    pub attachments: &'a [Media],
    /// The text rendered by Preview.
    pub preview: Option<&'a str>,
}

pub fn form(e: &Editor<'_>, form: ModuleForm<'_>) -> Markup {
    let base = format!("/courses/{}/modules", e.view.course().slug);
    let has_text = !matches!(form, ModuleForm::File { .. });
    let (title, action, multipart, fields) = match form {
        ModuleForm::Page(id, input) => (
            if id.is_some() {
                "Edit page"
            } else {
                "Add a page"
            },
            id.map_or(format!("{base}/pages"), |id| format!("{base}/{id}/edit")),
            true,
            page_fields(e, input),
        ),
        ModuleForm::File { section_id, title } => (
            "Add a file",
            format!("{base}/files"),
            true,
            file_fields(e, section_id, title),
        ),
        ModuleForm::Assignment(id, input) => (
            if id.is_some() {
                "Edit assignment"
            } else {
                "Add an assignment"
            },
            id.map_or(format!("{base}/assignments"), |id| {
                format!("{base}/{id}/edit")
            }),
            true,
            assignment_fields(e, input),
        ),
        ModuleForm::Forum(id, input) => (
            if id.is_some() {
                "Edit forum"
            } else {
                "Add a forum"
            },
            id.map_or(format!("{base}/forums"), |id| format!("{base}/{id}/edit")),
            true,
            forum_fields(e, input),
        ),
        ModuleForm::Quiz(id, input) => (
            if id.is_some() {
                "Edit quiz"
            } else {
                "Add a quiz"
            },
            id.map_or(format!("{base}/quizzes"), |id| format!("{base}/{id}/edit")),
            true,
            quiz_fields(e, input),
        ),
    };
    page(
        e.v,
        title,
        html! {
            p { a href={ "/courses/" (e.view.course().slug) } { "Back to " (e.view.course().title) } }
            @if let Some(html) = e.preview { (editor::preview(html)) }
            div.card {
                (forms::summary(e.errors))
                form.stack method="post" action=(action) enctype=[multipart.then_some("multipart/form-data")] {
                    (forms::csrf(e.v))
                    (fields)
                    div.actions {
                        button type="submit" { "Save" }
                        @if has_text {
                            button.secondary type="submit" name="preview" value="true" { "Preview" }
                        }
                    }
                }
            }
            @if has_text { (editor::script()) }
        },
    )
}

fn section_select(e: &Editor<'_>, selected: &str) -> Markup {
    let mut options = Vec::new();
    flatten(&tree(e.sections, None), 0, &mut options);
    forms::select("section_id", "Section", &options, selected, e.errors)
}

fn page_fields(e: &Editor<'_>, input: &PageInput) -> Markup {
    html! {
        (section_select(e, &input.section_id))
        (Field::new("title", "Title", &input.title).render(e.errors))
        (editor::text_field(&TextField {
            name: "body",
            label: "Text",
            format: &input.body_format,
            source: &input.body,
            attachments: e.attachments,
            errors: e.errors,
        }))
    }
}

fn file_fields(e: &Editor<'_>, section_id: &str, title: &str) -> Markup {
    let error = e.errors.get("file");
    html! {
        (section_select(e, section_id))
        (Field::new("title", "Title", title).render(e.errors))
        div.field {
            label for="file" { "File" }
            span.hint id="file-hint" { "Up to " (MAX_FILE_MIB) " MiB." @if !e.errors.is_empty() { " Choose the file again." } }
            @if let Some(msg) = error { span.error id="file-error" { (msg) } }
            input type="file" id="file" name="file" required aria-invalid=[error.map(|_| "true")]
                aria-describedby=(if error.is_some() { "file-hint file-error" } else { "file-hint" });
        }
    }
}

fn forum_fields(e: &Editor<'_>, f: &ForumInput) -> Markup {
    html! {
        (section_select(e, &f.section_id))
        (Field::new("title", "Title", &f.title).render(e.errors))
        (editor::text_field(&TextField {
            name: "description",
            label: "Description",
            format: &f.description_format,
            source: &f.description,
            attachments: e.attachments,
            errors: e.errors,
        }))
        (forms::checkbox("graded", "Graded (a gradebook item; its grading table lists each student's posts)", f.graded.is_some()))
        @if let Some(msg) = e.errors.get("graded") { span.error { (msg) } }
        (Field::new("max_points", "Points, when graded", &f.max_points).kind("number").render(e.errors))
    }
}

fn quiz_fields(e: &Editor<'_>, q: &QuizInput) -> Markup {
    let time = |name: &'static str, label: &'static str, value: &str| {
        let error = e.errors.get(name);
        html! {
            div.field {
                label for=(name) { (label) }
                @if let Some(msg) = error { span.error id={ (name) "-error" } { (msg) } }
                input type="datetime-local" id=(name) name=(name) value=(value) aria-invalid=[error.map(|_| "true")];
            }
        }
    };
    let review = forms::choices(ReviewWhen::ALL, ReviewWhen::as_str, ReviewWhen::label);
    html! {
        (section_select(e, &q.section_id))
        (Field::new("title", "Title", &q.title).render(e.errors))
        (editor::text_field(&TextField {
            name: "description",
            label: "Description",
            format: &q.description_format,
            source: &q.description,
            attachments: e.attachments,
            errors: e.errors,
        }))
        p.muted {
            "Times are in " strong { (e.v.zone.name().replace('_', " ")) } " ("
            a href="/account" { "your time zone" } "). Leave a time empty for no limit."
        }
        (time("opens_at", "Opens at", &q.opens_at))
        (time("closes_at", "Closes at (running attempts end then)", &q.closes_at))
        (optional_text(e, "time_limit_minutes", "Time limit in minutes (empty: none; the server submits an attempt when it runs out)", &q.time_limit_minutes))
        (optional_text(e, "max_attempts", "Attempts allowed (empty: no limit)", &q.max_attempts))
        (forms::select("grading_method", "Grade from the attempts", &forms::choices(GradingMethod::ALL, GradingMethod::as_str, GradingMethod::label), &q.grading_method, e.errors))
        (Field::new("max_points", "Points in the gradebook", &q.max_points).kind("number").render(e.errors))
        (forms::checkbox("shuffle_questions", "Shuffle the questions (each attempt its own order)", q.shuffle_questions.is_some()))
        (forms::checkbox("shuffle_answers", "Shuffle the answers of questions that allow it", q.shuffle_answers.is_some()))
        (optional_text(e, "questions_per_page", "Questions per page (0: all on one page)", &q.questions_per_page))
        (forms::select("navigation", "Navigation", &forms::choices(Navigation::ALL, Navigation::as_str, Navigation::label), &q.navigation, e.errors))
        (optional_text(e, "password", "Password to start an attempt (empty: none)", &q.password))
        (forms::select("review_marks", "Students see their marks", &review, &q.review_marks, e.errors))
        (forms::select("review_answers", "Students see the right answers", &review, &q.review_answers, e.errors))
        (forms::select("review_feedback", "Students see the feedback", &review, &q.review_feedback, e.errors))
    }
}

fn assignment_fields(e: &Editor<'_>, a: &AssignmentInput) -> Markup {
    let optional = |name: &'static str, label: &'static str, value: &str| {
        let error = e.errors.get(name);
        html! {
            div.field {
                label for=(name) { (label) }
                @if let Some(msg) = error { span.error id={ (name) "-error" } { (msg) } }
                input type="datetime-local" id=(name) name=(name) value=(value) aria-invalid=[error.map(|_| "true")];
            }
        }
    };
    html! {
        (section_select(e, &a.section_id))
        (Field::new("title", "Title", &a.title).render(e.errors))
        (editor::text_field(&TextField {
            name: "instructions",
            label: "Instructions",
            format: &a.instructions_format,
            source: &a.instructions,
            attachments: e.attachments,
            errors: e.errors,
        }))
        p.muted {
            "Times are in " strong { (e.v.zone.name().replace('_', " ")) } " ("
            a href="/account" { "your time zone" } "). Leave a time empty for no limit."
        }
        (optional("opens_at", "Opens at", &a.opens_at))
        (optional("due_at", "Due at (later work is marked late)", &a.due_at))
        (optional("cutoff_at", "Cut-off (no work accepted after)", &a.cutoff_at))
        (Field::new("max_points", "Points", &a.max_points).kind("number").render(e.errors))
        (optional_text(e, "max_attempts", "Attempts allowed (empty: no limit)", &a.max_attempts))
        (forms::checkbox("accepts_text", "Accept a text answer", a.accepts_text.is_some()))
        @if let Some(msg) = e.errors.get("accepts_text") { span.error { (msg) } }
        (forms::checkbox("accepts_files", "Accept files", a.accepts_files.is_some()))
        (optional_text(e, "allowed_file_types", "File types (extensions, like pdf, docx; empty: any)", &a.allowed_file_types))
        (optional_text(e, "max_file_mib", "Largest file, in MiB", &a.max_file_mib))
    }
}

/// A text input that may be left empty.
fn optional_text(e: &Editor<'_>, name: &'static str, label: &str, value: &str) -> Markup {
    let error = e.errors.get(name);
    html! {
        div.field {
            label for=(name) { (label) }
            @if let Some(msg) = error { span.error id={ (name) "-error" } { (msg) } }
            input type="text" id=(name) name=(name) value=(value) aria-invalid=[error.map(|_| "true")];
        }
    }
}
