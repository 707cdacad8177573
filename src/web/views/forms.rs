//! Form building blocks shared by every page: the CSRF field, an error summary, and labelled
//! inputs that show their own error and keep what the person typed.

use maud::{Markup, html};

use crate::{lms::FieldErrors, web::visitor::Visitor};

pub fn csrf(v: &Visitor) -> Markup {
    html! { input type="hidden" name="_csrf" value=(v.csrf); }
}

/// A list of every problem at the top of a form, each linking to its field.
pub fn summary(errors: &FieldErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.errors role="alert" {
                h2 { "Please fix the following" }
                ul {
                    @for e in errors.iter() {
                        li { a href={ "#" (e.field) } { (e.message) } }
                    }
                }
            }
        }
    }
}

/// A labelled input, with a hint and its error when there is one.
pub struct Field<'a> {
    name: &'a str,
    label: &'a str,
    value: &'a str,
    kind: &'a str,
    hint: Option<&'a str>,
    autocomplete: Option<&'a str>,
}

impl<'a> Field<'a> {
    pub fn new(name: &'a str, label: &'a str, value: &'a str) -> Self {
        Field {
            name,
            label,
            value,
            kind: "text",
            hint: None,
            autocomplete: None,
        }
    }

    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }

    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn autocomplete(mut self, autocomplete: &'a str) -> Self {
        self.autocomplete = Some(autocomplete);
        self
    }

    pub fn render(&self, errors: &FieldErrors) -> Markup {
        let error = errors.get(self.name);
        let value = if self.kind == "password" {
            ""
        } else {
            self.value
        };
        html! {
            div.field {
                label for=(self.name) { (self.label) }
                @if let Some(hint) = self.hint { span.hint id={ (self.name) "-hint" } { (hint) } }
                @if let Some(e) = error { span.error id={ (self.name) "-error" } { (e) } }
                input type=(self.kind) id=(self.name) name=(self.name) value=(value) required
                    autocomplete=[self.autocomplete]
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[described_by(self.name, self.hint.is_some(), error.is_some())];
            }
        }
    }
}

fn described_by(name: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [(hint, "hint"), (error, "error")]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, what)| format!("{name}-{what}"))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A labelled multi-line text box.
pub fn textarea(name: &str, label: &str, value: &str, errors: &FieldErrors) -> Markup {
    let error = errors.get(name);
    html! {
        div.field {
            label for=(name) { (label) }
            @if let Some(e) = error { span.error id={ (name) "-error" } { (e) } }
            textarea id=(name) name=(name) aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| format!("{name}-error"))] { (value) }
        }
    }
}

/// A labelled choice among `(value, label)` options.
pub fn select(
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    html! {
        div.field {
            label for=(name) { (label) }
            @if let Some(e) = error { span.error id={ (name) "-error" } { (e) } }
            (options_select(name, name, options, selected, error.is_some()))
        }
    }
}

/// A time zone picker: the first choice (value "") is `default_label`, then every zone of
/// the IANA database by name.
pub fn zone_select(
    name: &str,
    label: &str,
    default_label: &str,
    selected: Option<&str>,
    errors: &FieldErrors,
) -> Markup {
    let mut options = vec![(String::new(), default_label.to_string())];
    options.extend(crate::lms::Zone::all().map(|zone| (zone.to_string(), zone.replace('_', " "))));
    select(name, label, &options, selected.unwrap_or(""), errors)
}

/// A bare `<select>` (for compact row forms that label it themselves).
pub fn options_select(
    id: &str,
    name: &str,
    options: &[(String, String)],
    selected: &str,
    invalid: bool,
) -> Markup {
    html! {
        select id=(id) name=(name) aria-invalid=[invalid.then_some("true")] {
            @for (value, label) in options {
                option value=(value) selected[value == selected] { (label) }
            }
        }
    }
}

/// The options of a text enum, for `select`.
pub fn choices<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|&t| (value(t).to_string(), label(t).to_string()))
        .collect()
}

/// A labelled checkbox that sends `true` when ticked.
pub fn checkbox(name: &str, label: &str, checked: bool) -> Markup {
    html! {
        div.check {
            input type="checkbox" id=(name) name=(name) value="true" checked[checked];
            label for=(name) { (label) }
        }
    }
}
