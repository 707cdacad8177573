//! Sign-in, registration and password pages.

use maud::{Markup, html};

use super::{
    forms::{self, Field},
    page,
};
use crate::{
    lms::{FieldErrors, validate::MIN_PASSWORD_CHARS},
    web::{
        auth::{LoginForm, RegisterForm},
        visitor::Visitor,
    },
};

pub fn login(v: &Visitor, form: &LoginForm, problem: Option<&str>) -> Markup {
    let none = FieldErrors::default();
    page(
        v,
        "Sign in",
        html! {
            div.card {
                @if let Some(problem) = problem {
                    div.errors role="alert" { p { (problem) } }
                }
                form.stack method="post" action="/login" {
                    (forms::csrf(v))
                    input type="hidden" name="next" value=(form.next);
                    (Field::new("email", "Email", &form.email).kind("email").autocomplete("username").render(&none))
                    (Field::new("password", "Password", "").kind("password").autocomplete("current-password").render(&none))
                    div { button type="submit" { "Sign in" } }
                }
            }
            p.muted { a href="/forgot-password" { "Forgot your password?" } }
            p.muted { "New here? " a href="/register" { "Create an account" } " if this site allows it." }
        },
    )
}

/// Self-registration; on an empty site (`first`), the administrator's account.
pub fn register(v: &Visitor, form: &RegisterForm, errors: &FieldErrors, first: bool) -> Markup {
    let hint = format!("At least {MIN_PASSWORD_CHARS} characters.");
    let title = if first {
        "Create the administrator account"
    } else {
        "Create an account"
    };
    page(
        v,
        title,
        html! {
            @if first {
                p { "This site has no accounts yet. The account you create now is its administrator: "
                    "you will then create courses and accounts for others, and choose whether "
                    "people may register themselves." }
            }
            div.card {
                (forms::summary(errors))
                form.stack method="post" action="/register" {
                    (forms::csrf(v))
                    (Field::new("display_name", "Your name", &form.display_name).autocomplete("name").render(errors))
                    (Field::new("email", "Email", &form.email).kind("email").autocomplete("email").render(errors))
                    (Field::new("password", "Password", "").kind("password").autocomplete("new-password").hint(&hint).render(errors))
                    div { button type="submit" { (if first { "Create the administrator account" } else { "Create account" }) } }
                }
            }
        },
    )
}

/// The account page: the person's time zone, and the ways to their password and tokens.
pub fn account(v: &Visitor, errors: &FieldErrors) -> Markup {
    let Some(me) = v.user() else {
        return html! {};
    };
    let site_zone = v.site.zone(v.default_zone);
    let now = chrono::Utc::now();
    page(
        v,
        "Your account",
        html! {
            dl.facts {
                dt { "Name" } dd { (me.display_name) }
                dt { "Email" } dd { (me.email) }
            }
            div.card {
                h2 { "Time zone" }
                p { "Times are shown, and read when you type them, in " strong { (v.zone) } ". It is now "
                    (super::when(v.zone, now)) " there." }
                (forms::summary(errors))
                form.stack method="post" action="/account/time-zone" {
                    (forms::csrf(v))
                    (forms::zone_select(
                        "time_zone",
                        "Your time zone",
                        &format!("The site's ({site_zone})"),
                        me.time_zone.as_deref(),
                        errors,
                    ))
                    div { button type="submit" { "Save time zone" } }
                }
            }
            ul {
                li { a href="/account/password" { "Change your password" } }
                li { a href="/account/notifications" { "Notification settings" } }
                @if v.may_make_api_tokens() {
                    li { a href="/account/tokens" { "API tokens" } }
                }
            }
        },
    )
}

pub fn password(v: &Visitor, errors: &FieldErrors) -> Markup {
    let hint = format!(
        "At least {MIN_PASSWORD_CHARS} characters. Your other devices will be signed out and your API tokens revoked."
    );
    page(
        v,
        "Change your password",
        html! {
            div.card {
                (forms::summary(errors))
                form.stack method="post" action="/account/password" {
                    (forms::csrf(v))
                    (Field::new("current_password", "Current password", "").kind("password").autocomplete("current-password").render(errors))
                    (Field::new("new_password", "New password", "").kind("password").autocomplete("new-password").hint(&hint).render(errors))
                    div { button type="submit" { "Change password" } }
                }
            }
        },
    )
}
