//! Administration pages: the accounts table with its actions, the site settings form, and the
//! system page.

use maud::{Markup, html};

use super::{
    forms::{self, Field},
    page,
};
use crate::{
    backup::history::Run,
    lms::{FieldErrors, SiteSettings, SystemRole, User, validate::MIN_PASSWORD_CHARS},
    web::{
        admin::{Problem, SystemFacts, UserForm},
        visitor::Visitor,
    },
};

pub fn users(v: &Visitor, all: &[User], problem: &Problem) -> Markup {
    let none = FieldErrors::default();
    let blank = UserForm {
        role: "student".into(),
        ..UserForm::default()
    };
    let (form, errors) = match problem {
        Problem::Create(form, errors) => (form, errors),
        _ => (&blank, &none),
    };
    let roles = forms::choices(SystemRole::ALL, SystemRole::as_str, SystemRole::label);
    let hint = format!("At least {MIN_PASSWORD_CHARS} characters. Give it to them privately.");
    page(
        v,
        "Users",
        html! {
            @if let Problem::Change(id, errors) = problem {
                @if let Some(user) = all.iter().find(|u| u.id == *id) { p { strong { "Nothing was changed for " (user.email) "." } } }
                (forms::summary(errors))
            }
            table {
                thead { tr { th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Role" } th scope="col" { "Password" } th scope="col" { "Status" } } }
                tbody { @for user in all { (row(v, user, &roles)) } }
            }
            h2 { "Create an account" }
            div.card {
                (forms::summary(errors))
                form.stack method="post" action="/admin/users" {
                    (forms::csrf(v))
                    (Field::new("display_name", "Name", &form.display_name).render(errors))
                    (Field::new("email", "Email", &form.email).kind("email").render(errors))
                    (Field::new("password", "First password", "").kind("password").autocomplete("new-password").hint(&hint).render(errors))
                    (forms::select("role", "Role", &roles, &form.role, errors))
                    div { button type="submit" { "Create account" } }
                }
            }
        },
    )
}

fn row(v: &Visitor, user: &User, roles: &[(String, String)]) -> Markup {
    let base = format!("/admin/users/{}", user.id);
    let id = user.id;
    html! {
        tr {
            td { (user.display_name) }
            td { (user.email) }
            td {
                form.inline method="post" action={ (base) "/role" } {
                    (forms::csrf(v))
                    label.visually-hidden for={ "role-" (id) } { "Role of " (user.email) }
                    (forms::options_select(&format!("role-{id}"), "role", roles, user.role.as_str(), false))
                    button.secondary type="submit" { "Change" }
                }
            }
            td {
                form.inline method="post" action={ (base) "/password" } {
                    (forms::csrf(v))
                    label.visually-hidden for={ "password-" (id) } { "New password for " (user.email) }
                    input type="password" id={ "password-" (id) } name="password" autocomplete="new-password" required;
                    button.secondary type="submit" { "Reset" }
                }
            }
            td {
                form.inline method="post" action={ (base) "/disable" } {
                    (forms::csrf(v))
                    @if user.disabled {
                        span.badge.disabled { "Disabled" } " "
                        input type="hidden" name="disabled" value="false";
                        button.secondary type="submit" { "Enable" span.visually-hidden { " " (user.email) } }
                    } @else {
                        input type="hidden" name="disabled" value="true";
                        button.danger type="submit" { "Disable" span.visually-hidden { " " (user.email) } }
                    }
                }
            }
        }
    }
}

pub fn settings(v: &Visitor, current: &SiteSettings, errors: &FieldErrors) -> Markup {
    page(
        v,
        "Site settings",
        html! {
            div.card {
                (forms::summary(errors))
                form.stack method="post" action="/admin/settings" {
                    (forms::csrf(v))
                    (Field::new("site_name", "Site name", &current.site_name).render(errors))
                    (forms::checkbox("registration_open", "Anyone may create an account (as a student)", current.registration_open))
                    (forms::checkbox("maintenance_mode", "Maintenance mode: only administrators can use the site", current.maintenance_mode))
                    (forms::zone_select(
                        "time_zone",
                        "The site's time zone (people who have not chosen their own read and type times in it)",
                        &format!("The server's setting ({})", v.default_zone),
                        current.time_zone.as_deref(),
                        errors,
                    ))
                    div { button type="submit" { "Save settings" } }
                }
            }
        },
    )
}

pub fn system(v: &Visitor, f: &SystemFacts) -> Markup {
    let b = &f.build;
    page(
        v,
        "System",
        html! {
            h2 { "This server" }
            dl.facts {
                dt { "Version" } dd { (b.version) " (" (b.commit) ", " (b.target) ")" }
                dt { "Schema version" } dd {
                    (f.database_schema) " in the database; this binary knows up to " (b.schema_version)
                }
                dt { "Database engine" } dd { (f.engine) }
                dt { "Storage backend" } dd { (f.storage_backend) " " span.muted { "(" (f.storage) ")" } }
            }
            h2 { "Backups" }
            table {
                thead { tr {
                    th scope="col" { "Work" } th scope="col" { "Last run" } th scope="col" { "Last success" } th scope="col" { "Where" }
                } }
                tbody {
                    @for (kind, last, good) in &f.runs {
                        tr {
                            th scope="row" { (kind_label(kind)) }
                            td { (run_cell(v, last.as_ref(), true)) }
                            td { (run_cell(v, good.as_ref(), false)) }
                            td { (last.as_ref().map(|r| r.location.as_str()).unwrap_or_default()) }
                        }
                    }
                }
            }
            p.muted { "Runs are recorded by paideia's backup commands and by restores. " code { "paideia doctor" } " warns when the last backup or verification is too old." }
        },
    )
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "backup" => "Backup",
        "verify" => "Verification",
        "restore" => "Restore",
        _ => "Other",
    }
}

fn run_cell(v: &Visitor, run: Option<&Run>, with_outcome: bool) -> Markup {
    html! {
        @match run {
            None => span.muted { "none recorded" },
            Some(r) => {
                (super::when(v.zone, r.finished_at))
                @if with_outcome {
                    " " @if r.succeeded { span.badge.published { "succeeded" } } @else { span.badge.late { "failed" } }
                }
            }
        }
    }
}
