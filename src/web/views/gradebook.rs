//! The gradebook in views: the staff table (students by items, final percentage and letter)
//! with item, weight and letter-grade forms; one item's grading page; a student's own grades.

use maud::{Markup, html};

use super::{
    forms::{self, Field},
    grading::{grade_form, release_form},
    page,
};
use crate::{
    lms::{
        FieldErrors,
        courses::CourseView,
        gradebook::{self, Item, ItemInput, Letter, Report, number},
        permissions,
    },
    web::{grades::GradeForm, visitor::Visitor},
};

/// Which form on the gradebook page a set of errors belongs to.
pub enum Problem<'a> {
    None,
    Add(&'a ItemInput, &'a FieldErrors),
    Item(i64, &'a FieldErrors),
    Letters(&'a str, &'a FieldErrors),
}

/// A final percentage (`78.75%`, or `–` when nothing is graded), written straight into the
/// page: one per student on the staff table.
struct Percent(Option<f64>);

impl maud::Render for Percent {
    fn render_to(&self, buf: &mut String) {
        match self.0 {
            Some(p) => gradebook::write_percent(buf, p),
            None => buf.push('–'),
        }
    }
}

/// A grade's points as `number` writes them, straight into the page: one per cell.
struct Points(f64);

impl maud::Render for Points {
    fn render_to(&self, buf: &mut String) {
        gradebook::write_number(buf, self.0);
    }
}

fn letters_text(letters: &[Letter]) -> String {
    letters
        .iter()
        .map(|l| format!("{} {}\n", l.letter, number(l.min_percent)))
        .collect()
}

pub fn staff(v: &Visitor, view: &CourseView, report: &Report, problem: &Problem<'_>) -> Markup {
    let slug = &view.course().slug;
    let base = format!("/courses/{slug}/grades");
    let setup = permissions::can_set_up_gradebook(view.access());
    let none = FieldErrors::default();
    page(
        v,
        &format!("Gradebook of {}", view.course().title),
        html! {
            p { a href={ "/courses/" (slug) } { "Back to the course" } }
            div.actions { a.button.secondary href={ (base) ".csv" } { "Export CSV" } }
            p.muted { "The final grade is the weighted mean of the graded items (points ÷ maximum); ungraded items do not count yet." }
            div.gradebook-scroll tabindex="0" role="region" aria-label="Grades" { table.gradebook {
                thead { tr {
                    th scope="col" { "Student" }
                    @for item in &report.items {
                        th scope="col" { a href={ (base) "/items/" (item.id) } { (item.title) } br; span.muted { "/" (number(item.max_points)) " ×" (number(item.weight)) } }
                    }
                    th scope="col" { "Final" } th scope="col" { "Letter" }
                } }
                tbody {
                    @for line in &report.lines {
                        tr {
                            th scope="row" { (line.student.display_name) }
                            @for g in &line.grades {
                                td { @if let Some(p) = g.as_ref().and_then(|g| g.points) { (Points(p)) } }
                            }
                            td { (Percent(line.final_percent)) }
                            td { (line.letter.clone().unwrap_or_default()) }
                        }
                    }
                }
            } }
            @if setup {
                h2 { "Items and weights" }
                @for item in &report.items { (item_row(v, &base, item, problem)) }
                h2 { "Add a manual item" }
                div.card {
                    @let (input, errors) = match problem { Problem::Add(i, e) => (Some(*i), *e), _ => (None, &none) };
                    (forms::summary(errors))
                    form.stack method="post" action={ (base) "/items" } {
                        (forms::csrf(v))
                        (Field::new("title", "Title", input.map_or("", |i| i.title.as_str())).render(errors))
                        (Field::new("max_points", "Points", input.map_or("100", |i| i.max_points.as_str())).render(errors))
                        (Field::new("weight", "Weight", input.map_or("1", |i| i.weight.as_str())).render(errors))
                        div { button type="submit" { "Add item" } }
                    }
                }
                h2 { "Letter grades" }
                div.card {
                    @let (text, errors) = match problem { Problem::Letters(t, e) => (t.to_string(), *e), _ => (letters_text(&report.letters), &none) };
                    (forms::summary(errors))
                    form.stack method="post" action={ (base) "/letters" } {
                        (forms::csrf(v))
                        (forms::textarea("letters", "One letter and its minimum percentage a line, like “B 80”", &text, errors))
                        div { button type="submit" { "Save letter grades" } }
                    }
                }
            }
        },
    )
}

fn item_row(v: &Visitor, base: &str, item: &Item, problem: &Problem<'_>) -> Markup {
    let none = FieldErrors::default();
    let errors = match problem {
        Problem::Item(id, e) if *id == item.id => *e,
        _ => &none,
    };
    let manual = item.module_id.is_none();
    let id = |name: &str| format!("{name}-{}", item.id);
    html! {
        form.row method="post" action={ (base) "/items/" (item.id) } {
            (forms::csrf(v))
            (forms::summary(errors))
            @if manual {
                label for=(id("title")) { "Title" }
                input type="text" id=(id("title")) name="title" value=(item.title);
                label for=(id("max")) { "Points" }
                input type="text" id=(id("max")) name="max_points" value=(number(item.max_points)) size="5";
            } @else {
                span { (item.title) " (assignment, /" (number(item.max_points)) ")" }
            }
            label for=(id("weight")) { "Weight" }
            input type="text" id=(id("weight")) name="weight" value=(number(item.weight)) size="5";
            button.secondary type="submit" { "Save" span.visually-hidden { " " (item.title) } }
        }
    }
}

/// One item's grading page; `problem` is a refused grade: (student, what was typed, errors).
pub fn item(
    v: &Visitor,
    view: &CourseView,
    item: &Item,
    report: &Report,
    problem: Option<(i64, &GradeForm, &FieldErrors)>,
) -> Markup {
    let slug = &view.course().slug;
    let back = format!("/courses/{slug}/grades/items/{}", item.id);
    let column = report.items.iter().position(|i| i.id == item.id);
    page(
        v,
        &format!("Grades: {}", item.title),
        html! {
            p { a href={ "/courses/" (slug) "/grades" } { "Back to the gradebook" } }
            @if let Some(module) = item.module_id {
                p { a href={ "/courses/" (slug) "/modules/" (module) "/submissions" } { "See the submissions" } }
            }
            div.actions { (release_form(v, slug, item, &back)) }
            @for line in &report.lines {
                @let typed = problem.filter(|(s, _, _)| *s == line.student.id).map(|(_, f, e)| (f.points.as_str(), f.feedback.as_str(), e));
                section.card {
                    (super::grading::student_heading(&line.student))
                    (grade_form(v, slug, item, line.student.id, column.and_then(|c| line.grades[c].as_ref()), typed, &back))
                }
            }
        },
    )
}

/// A student's own released grades, with the final grade over them.
pub fn mine(v: &Visitor, view: &CourseView, report: &Report) -> Markup {
    let line = report.lines.first();
    page(
        v,
        &format!("My grades in {}", view.course().title),
        html! {
            p { a href={ "/courses/" (view.course().slug) } { "Back to the course" } }
            table {
                thead { tr { th scope="col" { "Item" } th scope="col" { "Points" } th scope="col" { "Feedback" } } }
                tbody {
                    @for (i, item) in report.items.iter().enumerate() {
                        @let grade = line.and_then(|l| l.grades[i].as_ref());
                        tr {
                            th scope="row" { (item.title) }
                            td { @match grade.and_then(|g| g.points) { Some(p) => { (number(p)) " / " (number(item.max_points)) }, None => span.muted { "not released" } } }
                            td { (grade.map(|g| g.feedback.as_str()).unwrap_or_default()) }
                        }
                    }
                }
            }
            p.final { "Final grade so far: " strong { (Percent(line.and_then(|l| l.final_percent))) } " " (line.and_then(|l| l.letter.clone()).unwrap_or_default()) }
        },
    )
}
