//! The pages mail leads to: asking for a password reset link, setting the new password, and
//! unsubscribing from a kind of mail.

use maud::{Markup, html};

use super::{
    forms::{self, Field},
    page,
};
use crate::{
    lms::{FieldErrors, MailKind, validate::MIN_PASSWORD_CHARS},
    web::visitor::Visitor,
};

/// The form for a reset link; `sent` after a request (the same words whether or not an
/// account has the address).
pub fn forgot(v: &Visitor, mail: bool, email: &str, problem: Option<&str>, sent: bool) -> Markup {
    let none = FieldErrors::default();
    page(
        v,
        "Forgot your password?",
        html! {
            @if !mail {
                p { "This site does not send mail. Ask an administrator of this site to set a new password for you." }
            } @else if sent {
                div.card role="status" {
                    p { "If an account has the address " strong { (email) } ", we sent it a link to set a new password. "
                        "The link works once, for an hour." }
                    p.muted { "Nothing arrived? Look in the spam folder, or ask again in a few minutes." }
                }
                p { a href="/login" { "Back to sign in" } }
            } @else {
                div.card {
                    @if let Some(problem) = problem {
                        div.errors role="alert" { p { (problem) } }
                    }
                    p { "Type the email address of your account: we send it a link to set a new password." }
                    form.stack method="post" action="/forgot-password" {
                        (forms::csrf(v))
                        (Field::new("email", "Email", email).kind("email").autocomplete("username").render(&none))
                        div { button type="submit" { "Send me a link" } }
                    }
                }
                p { a href="/login" { "Back to sign in" } }
            }
        },
    )
}

/// The reset link's page: a new password for `email`.
pub fn reset(v: &Visitor, secret: &str, email: &str, errors: &FieldErrors) -> Markup {
    let hint = format!(
        "At least {MIN_PASSWORD_CHARS} characters. Every device will be signed out and your API tokens revoked."
    );
    page(
        v,
        "Set a new password",
        html! {
            div.card {
                (forms::summary(errors))
                p { "For the account " strong { (email) } "." }
                form.stack method="post" action=(format!("/reset-password/{secret}")) {
                    (forms::csrf(v))
                    input type="hidden" name="username" value=(email) autocomplete="username";
                    (Field::new("password", "New password", "").kind("password").autocomplete("new-password").hint(&hint).render(errors))
                    div { button type="submit" { "Set the new password" } }
                }
            }
        },
    )
}

/// The unsubscribe link's page: the kind is off (`on` false), or a button turns it off.
pub fn unsubscribe(v: &Visitor, kind: MailKind, on: bool) -> Markup {
    page(
        v,
        "Unsubscribe",
        html! {
            div.card {
                @if on {
                    p { "Stop the emails about " strong { (kind.label().to_lowercase()) } "?" }
                    form method="post" {
                        (forms::csrf(v))
                        button type="submit" { "Unsubscribe" }
                    }
                } @else {
                    p role="status" { "You will no longer get emails about " strong { (kind.label().to_lowercase()) } "." }
                }
                p.muted { "What you get by email is also on your account's notification settings." }
            }
        },
    )
}
