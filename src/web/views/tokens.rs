//! The personal access token page: the new token once, the list with revoke buttons, and the
//! form to make another.

use maud::{Markup, html};

use super::{
    forms::{self, Field},
    page as shell,
};
use crate::{
    lms::{
        FieldErrors,
        tokens::{ApiToken, MAX_EXPIRY_DAYS, NewToken},
    },
    web::{tokens::TokenForm, visitor::Visitor},
};

fn when(v: &Visitor, t: Option<chrono::DateTime<chrono::Utc>>, none: &str) -> maud::Markup {
    match t {
        Some(t) => super::when(v.zone, t),
        None => maud::html! { (none) },
    }
}

pub fn page(
    v: &Visitor,
    tokens: &[ApiToken],
    form: &TokenForm,
    errors: &FieldErrors,
    new: Option<&NewToken>,
) -> Markup {
    let hint = format!("Empty: never expires. At most {MAX_EXPIRY_DAYS}.");
    shell(
        v,
        "API tokens",
        html! {
            p.muted { "Scripts use a token with " code { "Authorization: Bearer <token>" } " on " a href="/api/v1/openapi.json" { "/api/v1" } ". A token acts as you." }
            @if let Some(new) = new {
                div.flash role="status" {
                    p { "Token " strong { (new.token.name) } " created. Copy it now: it is not shown again." }
                    p { code #new-token { (new.secret) } }
                }
            }
            @if !tokens.is_empty() {
                table {
                    thead { tr { th { "Name" } th { "Created" } th { "Last used" } th { "Expires" } th { "" } } }
                    tbody {
                        @for t in tokens {
                            tr {
                                td { (t.name) }
                                td { (when(v, Some(t.created_at), "")) }
                                td { (when(v, t.last_used_at, "never")) }
                                td { (when(v, t.expires_at, "never")) }
                                td {
                                    form method="post" action={ "/account/tokens/" (t.id) "/revoke" } {
                                        (forms::csrf(v))
                                        button.danger type="submit" { "Revoke" span.visually-hidden { " " (t.name) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            div.card {
                h2 { "New token" }
                (forms::summary(errors))
                form.stack method="post" action="/account/tokens" {
                    (forms::csrf(v))
                    (Field::new("name", "Name", &form.name).hint("What it is for, such as “nightly export”.").render(errors))
                    (Field::new("expires_in_days", "Expires in days", &form.expires_in_days).kind("number").hint(&hint).render(errors))
                    div { button type="submit" { "Create token" } }
                }
            }
        },
    )
}
