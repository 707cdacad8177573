//! The people page of a course: who is enrolled, a page at a time with a search on name or
//! email; for those who manage enrollments also unenroll, enroll one person, upload a CSV.

use maud::{Markup, html};

use super::{
    forms::{self, Field},
    page,
};
use crate::{
    lms::{
        CourseRole, FieldErrors,
        courses::CourseView,
        enrollments::{Enrollment, EnrollmentPage},
        permissions,
    },
    web::{
        people::{EnrollForm, Problem},
        visitor::Visitor,
    },
};

/// What the people list shows: a search and a page (1-based).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PeopleSearch {
    pub q: String,
    pub page: i64,
}

pub fn manage(
    v: &Visitor,
    view: &CourseView,
    search: &PeopleSearch,
    found: &EnrollmentPage,
    problem: &Problem,
) -> Markup {
    let base = format!("/courses/{}/people", view.course().slug);
    let manages = permissions::can_manage_enrollments(view.access());
    let none = FieldErrors::default();
    let blank = EnrollForm {
        role: "student".into(),
        ..EnrollForm::default()
    };
    let (form, errors) = match problem {
        Problem::Enroll(form, errors) => (form, errors),
        _ => (&blank, &none),
    };
    let roles = forms::choices(CourseRole::ALL, CourseRole::as_str, CourseRole::label);
    let remove = |e: &Enrollment| {
        html! {
            form.inline method="post" action={ (base) "/" (e.user.id) "/remove" } {
                (forms::csrf(v))
                button.danger type="submit" { "Remove" span.visually-hidden { " " (e.user.display_name) } }
            }
        }
    };
    page(
        v,
        &format!("People in {}", view.course().title),
        html! {
            p { a href={ "/courses/" (view.course().slug) } { "Back to the course" } }
            @if let Problem::Other(errors) = problem { (forms::summary(errors)) }
            (list(&base, search, found, manages.then_some(&remove as _)))
            @if manages { (enroll_forms(v, &base, &roles, form, errors, problem)) }
        },
    )
}

/// The search, which of how many are shown, the table and the pager.
fn list(
    base: &str,
    search: &PeopleSearch,
    found: &EnrollmentPage,
    remove: Option<&dyn Fn(&Enrollment) -> Markup>,
) -> Markup {
    let q = search.q.trim();
    let page_link = |n: i64| {
        let query = percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC);
        match q {
            "" => format!("{base}?page={n}"),
            _ => format!("{base}?q={query}&page={n}"),
        }
    };
    html! {
        form.search role="search" method="get" action=(base) {
            label for="q" { "Find people" }
            input type="search" id="q" name="q" value=(search.q) placeholder="name or email";
            button type="submit" { "Search" }
        }
        p.muted #people-count {
            @match found.range() {
                Some((first, last)) => { (first) "–" (last) " of " (found.total) },
                None => "No one",
            }
            @if !q.is_empty() { " matching “" (q) "”" }
            "."
        }
        @if !found.people.is_empty() { (people_table(&found.people, remove)) }
        @if found.pages > 1 {
            nav.pager aria-label="Pages of people" {
                @if found.page > 1 { a href=(page_link(found.page - 1)) rel="prev" { "Previous" } }
                " "
                @if found.page < found.pages { a href=(page_link(found.page + 1)) rel="next" { "Next" } }
            }
        }
    }
}

/// People in a table; with `remove` (the form builder), a button to unenroll each.
fn people_table(people: &[Enrollment], remove: Option<&dyn Fn(&Enrollment) -> Markup>) -> Markup {
    html! {
        div.table-scroll {
            table {
                thead { tr { th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Role" } @if remove.is_some() { th scope="col" { span.visually-hidden { "Actions" } } } } }
                tbody {
                    @for e in people {
                        tr {
                            td { (e.user.display_name) }
                            td { (e.user.email) }
                            td { (e.role.label()) }
                            @if let Some(remove) = remove { td { (remove(e)) } }
                        }
                    }
                }
            }
        }
    }
}

/// Enrolling one person by email, and everyone of a CSV file.
fn enroll_forms(
    v: &Visitor,
    base: &str,
    roles: &[(String, String)],
    form: &EnrollForm,
    errors: &FieldErrors,
    problem: &Problem,
) -> Markup {
    html! {
            h2 { "Enroll someone" }
            div.card {
                (forms::summary(errors))
                form.stack method="post" action=(base) {
                    (forms::csrf(v))
                    (Field::new("email", "Email of their account", &form.email).kind("email").render(errors))
                    (forms::select("role", "Role in this course", roles, &form.role, errors))
                    div { button type="submit" { "Enroll" } }
                }
            }
            h2 { "Enroll from a CSV file" }
            div.card {
                @if let Problem::Csv(lines) = problem {
                    div.errors role="alert" {
                        h2 { "Nothing was changed: fix these lines and upload again" }
                        ul { @for e in lines { li { "Line " (e.line) ": " (e.message) } } }
                    }
                }
                form.stack method="post" action={ (base) "/csv" } enctype="multipart/form-data" {
                    (forms::csrf(v))
                    div.field {
                        label for="file" { "CSV file" }
                        span.hint id="file-hint" { "One person per line: email,role (teacher, ta or student). Every line must be valid, or nothing is applied." }
                        input type="file" id="file" name="file" accept=".csv,text/csv,text/plain" required aria-describedby="file-hint";
                    }
                    div { button type="submit" { "Upload and enroll" } }
                }
            }
    }
}
