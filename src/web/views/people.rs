//! The people page of a course: who is enrolled, enroll one person, upload a CSV.

use maud::{Markup, html};

use super::{
    courses::people_table,
    forms::{self, Field},
    page,
};
use crate::{
    lms::{CourseRole, FieldErrors, courses::CourseView, enrollments::Enrollment},
    web::{
        people::{EnrollForm, Problem},
        visitor::Visitor,
    },
};

pub fn manage(v: &Visitor, view: &CourseView, people: &[Enrollment], problem: &Problem) -> Markup {
    let base = format!("/courses/{}/people", view.course().slug);
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
            (people_table(people, Some(&remove)))
            h2 { "Enroll someone" }
            div.card {
                (forms::summary(errors))
                form.stack method="post" action=(base) {
                    (forms::csrf(v))
                    (Field::new("email", "Email of their account", &form.email).kind("email").render(errors))
                    (forms::select("role", "Role in this course", &roles, &form.role, errors))
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
        },
    )
}
