//! Administration pages: the accounts table with its actions, the site settings form, and the
//! system page.

use maud::{Markup, html};

use super::{
    forms::{self, Field},
    page,
};
use crate::{
    backup::history::Run,
    lms::{
        FieldErrors, LineError, SiteSettings, SystemRole, User,
        accounts::{Imported, UserPage},
        validate::MIN_PASSWORD_CHARS,
    },
    web::{admin::SystemFacts, visitor::Visitor},
};

/// The create form as typed.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct UserForm {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub role: String,
}

/// What the users list shows: a search and a page.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct UserSearch {
    pub q: String,
    pub page: i64,
}

/// What went wrong on the users page: the create form, a change to one account, or an
/// accounts file.
pub enum Problem {
    None,
    Create(UserForm, FieldErrors),
    Change(i64, FieldErrors),
    Import(Vec<LineError>),
}

pub fn users(v: &Visitor, search: &UserSearch, found: &UserPage, problem: &Problem) -> Markup {
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
    let page_link = |n: i64| {
        let q =
            percent_encoding::utf8_percent_encode(&search.q, percent_encoding::NON_ALPHANUMERIC);
        format!("/admin/users?q={q}&page={n}")
    };
    page(
        v,
        "Users",
        html! {
            details.card open[matches!(problem, Problem::Create(..))] {
                summary { "Create an account" }
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
            details.card open[matches!(problem, Problem::Import(..))] {
                summary { "Create accounts from a CSV file" }
                p.hint { "One account a line: " code { "email,name,role,password" } ". The role (admin, instructor or student) "
                    "may be empty for a student; an empty password is made up and shown once after the import. "
                    "If any line is wrong, no account is created and every wrong line is listed." }
                @if let Problem::Import(lines) = problem {
                    div.errors role="alert" {
                        p { strong { "No account was created." } }
                        ul { @for l in lines {
                            li { @if l.line > 0 { "Line " (l.line) ": " } (l.message) }
                        } }
                    }
                }
                form.stack method="post" action="/admin/users/import" enctype="multipart/form-data" {
                    (forms::csrf(v))
                    div.field {
                        label for="accounts-file" { "CSV file" }
                        input type="file" id="accounts-file" name="file" accept=".csv,text/csv" required;
                    }
                    div { button type="submit" { "Create the accounts" } }
                }
            }
            @if let Problem::Change(id, errors) = problem {
                @if let Some(user) = found.users.iter().find(|u| u.id == *id) { p { strong { "Nothing was changed for " (user.email) "." } } }
                (forms::summary(errors))
            }
            form.search role="search" method="get" action="/admin/users" {
                label for="q" { "Find accounts" }
                input type="search" id="q" name="q" value=(search.q) placeholder="name or email";
                button type="submit" { "Search" }
            }
            p.muted {
                (found.total) " account(s)"
                @if !search.q.trim().is_empty() { " matching “" (search.q.trim()) "”" }
                @if found.pages > 1 { ", page " (found.page) " of " (found.pages) }
                "."
            }
            div.table-scroll {
                table {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Role" } th scope="col" { "Password" } th scope="col" { "Status" } } }
                    tbody { @for user in &found.users { (row(v, user, &roles)) } }
                }
            }
            @if found.pages > 1 {
                nav.pager aria-label="Pages of accounts" {
                    @if found.page > 1 { a href=(page_link(found.page - 1)) rel="prev" { "Previous" } }
                    " "
                    @if found.page < found.pages { a href=(page_link(found.page + 1)) rel="next" { "Next" } }
                }
            }
        },
    )
}

/// After an accounts file: who was created, and the passwords made up for them (shown once).
pub fn imported(v: &Visitor, created: &[Imported]) -> Markup {
    page(
        v,
        "Accounts created",
        html! {
            p { (created.len()) " account(s) created. Passwords made up for them are shown here once: "
                "copy them now and give them to each person privately." }
            div.table-scroll {
                table {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Role" } th scope="col" { "Password" } } }
                    tbody {
                        @for i in created {
                            tr {
                                td { (i.user.display_name) }
                                td { (i.user.email) }
                                td { (i.user.role.label()) }
                                td { @match &i.password { Some(p) => code { (p) }, None => span.muted { "as in the file" } } }
                            }
                        }
                    }
                }
            }
            p { a href="/admin/users" { "Back to the users" } }
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
                    (forms::checkbox("student_api_tokens", "Students may make their own API tokens (for scripts and apps that use the JSON API)", current.student_api_tokens))
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
            h2 { "Upgrades" }
            @if f.upgrades.is_empty() {
                p.muted { "No upgrade or rollback is recorded yet." }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { "When" } th scope="col" { "Change" } th scope="col" { "Outcome" } th scope="col" { "Dump first" }
                    } }
                    tbody {
                        @for run in &f.upgrades {
                            tr {
                                td { (super::when(v.zone, run.finished_at)) }
                                td { (run.kind.as_str()) " " (run.from_version) " → " (run.to_version) }
                                td {
                                    @if run.succeeded { span.badge.published { "succeeded" } } @else {
                                        span.badge.late { "failed" } " " (run.error)
                                        br; span.muted { (run.state) }
                                    }
                                }
                                td {
                                    @if run.backup.is_empty() { span.muted { "none" } } @else {
                                        code { (run.backup) }
                                        @if run.backup_verified == Some(true) { " (verified)" } @else { " (not verified)" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h3 { "Last rehearsal" }
            @if let Some(r) = &f.rehearsal {
                p {
                    (super::when(v.zone, r.finished_at)) " · " (r.from_version) " → " (r.to_version)
                    " on " (r.source) ": "
                    @match r.verdict.as_str() {
                        "safe" => { span.badge.published { (r.verdict_words()) } }
                        "safe_with_downtime" => { span.badge.draft { (r.verdict_words()) } }
                        _ => { span.badge.late { (r.verdict_words()) } }
                    }
                }
                p.muted { (r.summary) }
            } @else {
                p.muted { "No upgrade has been rehearsed yet: " code { "paideia upgrade --rehearse" } " tries the next one on a copy of this site's data." }
            }
            p.muted { code { "paideia upgrade --history" } " lists every upgrade and rollback." }
            (mail(v, f))
        },
    )
}

/// The Mail section: configured or not, and the outbox.
fn mail(v: &Visitor, f: &SystemFacts) -> Markup {
    let o = &f.outbox;
    let now = chrono::Utc::now();
    html! {
        h2 id="mail" { "Mail" }
        dl.facts {
            dt { "Sending" } dd {
                @if f.mail_configured { span.badge.published { "configured" } " through the SMTP server of this server's settings" }
                @else { span.badge.late { "not configured" } " no mail is queued or sent; set " code { "PAIDEIA_SMTP_HOST" } " and " code { "PAIDEIA_SMTP_FROM" } }
            }
            dt { "Waiting" } dd {
                (o.pending)
                @if let Some(oldest) = o.oldest_pending {
                    " (the oldest queued " ((now - oldest).num_minutes()) " min ago, at " (super::when(v.zone, oldest)) ")"
                }
            }
            dt { "Sent in the last 24 hours" } dd { (o.sent_last_day) }
            dt { "Failed for good" } dd { (o.failed) }
        }
        @if !o.recent_failures.is_empty() {
            table {
                thead { tr {
                    th scope="col" { "Last attempt" } th scope="col" { "To" } th scope="col" { "Kind" }
                    th scope="col" { "Subject" } th scope="col" { "Attempts" } th scope="col" { "Error" }
                } }
                tbody {
                    @for m in &o.recent_failures {
                        tr {
                            td { @if let Some(t) = m.last_attempt_at { (super::when(v.zone, t)) } }
                            td { (m.to_address) }
                            td { (m.kind) }
                            td { (m.subject) }
                            td { (m.attempts) }
                            td { code { (m.last_error) } }
                        }
                    }
                }
            }
        }
        p.muted { code { "paideia doctor" } " checks the SMTP server; " code { "paideia mail test --to ADDRESS" } " sends a test message." }
    }
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
