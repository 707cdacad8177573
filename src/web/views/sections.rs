//! The sections page: the tree, one compact form per section, and the add form.

use maud::{Markup, html};

use super::{forms, page};
use crate::{
    lms::{
        FieldErrors,
        courses::CourseView,
        sections::{Section, SectionNode, tree},
    },
    web::{sections::Problem, visitor::Visitor},
};

pub fn manage(v: &Visitor, view: &CourseView, all: &[Section], problem: &Problem<'_>) -> Markup {
    let base = format!("/courses/{}/sections", view.course().slug);
    let (add_form, add_errors) = match problem {
        Problem::Add(form, errors) => (Some(*form), Some(*errors)),
        _ => (None, None),
    };
    let none = FieldErrors::default();
    let parents = parent_options(all);
    page(
        v,
        &format!("Sections of {}", view.course().title),
        html! {
            p { a href={ "/courses/" (view.course().slug) } { "Back to the course" } " · " a href={ "/courses/" (view.course().slug) "/trash" } { "Trash" } }
            h2 { "Sections" }
            p.muted { "Rename a section, put it inside another one, or change its place among its siblings (1 is first)." }
            (rows(v, &base, &tree(all, None), &parents, problem))
            h2 { "Add a section" }
            div.card {
                (forms::summary(add_errors.unwrap_or(&none)))
                form.stack method="post" action=(base) {
                    (forms::csrf(v))
                    (forms::Field::new("title", "Title", add_form.map_or("", |f| f.title.as_str())).render(add_errors.unwrap_or(&none)))
                    (forms::select("parent_id", "Inside", &parents, add_form.map_or("", |f| f.parent_id.as_str()), add_errors.unwrap_or(&none)))
                    div { button type="submit" { "Add section" } }
                }
            }
        },
    )
}

fn parent_options(all: &[Section]) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), "Top level".to_string())];
    flatten(&tree(all, None), 0, &mut options);
    options
}

pub(super) fn flatten(nodes: &[SectionNode], depth: usize, out: &mut Vec<(String, String)>) {
    for node in nodes {
        out.push((
            node.section.id.to_string(),
            format!("{}{}", "— ".repeat(depth), node.section.title),
        ));
        flatten(&node.children, depth + 1, out);
    }
}

fn rows(
    v: &Visitor,
    base: &str,
    nodes: &[SectionNode],
    parents: &[(String, String)],
    problem: &Problem<'_>,
) -> Markup {
    html! {
        @if !nodes.is_empty() {
            ol.tree {
                @for (index, node) in nodes.iter().enumerate() {
                    li { (row(v, base, &node.section, index + 1, parents, problem)) (rows(v, base, &node.children, parents, problem)) }
                }
            }
        }
    }
}

fn row(
    v: &Visitor,
    base: &str,
    s: &Section,
    place: usize,
    parents: &[(String, String)],
    problem: &Problem<'_>,
) -> Markup {
    let errors = match problem {
        Problem::Row(id, errors) if *id == s.id => Some(*errors),
        _ => None,
    };
    let id = s.id;
    let parent = s.parent_id.map(|p| p.to_string()).unwrap_or_default();
    html! {
        @if let Some(errors) = errors { (forms::summary(errors)) }
        form.inline method="post" action={ (base) "/" (id) } {
            (forms::csrf(v))
            label for={ "title-" (id) } { span.visually-hidden { "Title" } }
            input type="text" id={ "title-" (id) } name="title" value=(s.title) required;
            label for={ "parent-" (id) } { "Inside" }
            (forms::options_select(&format!("parent-{id}"), "parent_id", parents, &parent, errors.is_some_and(|e| e.get("parent_id").is_some())))
            label for={ "position-" (id) } { "Place" }
            input type="number" id={ "position-" (id) } name="position" value=(place) min="1";
            button.secondary type="submit" { "Save" span.visually-hidden { " " (s.title) } }
            a.danger href={ (base) "/" (id) "/delete" } { "Delete" span.visually-hidden { " " (s.title) } }
        }
    }
}
