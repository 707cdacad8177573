//! The rich text editor as HTML that works without JavaScript: a labelled text box with its
//! format, a file input for attachments, the attachments already saved (each with its snippet
//! and a Remove box), formatting help, and a preview. `/assets/editor.js` enhances it with a
//! toolbar, pasting and dropping files, and an in-place preview.

use maud::{Markup, PreEscaped, html};

use crate::{
    lms::{FieldErrors, assignments::MAX_FILE_MIB, attachments, media::Media, richtext::Format},
    web::upload::size_text,
};

/// The editor script's path.
pub const SCRIPT: &str = "/assets/editor.js";
/// The file field of the editor's forms.
pub const FILE_FIELD: &str = "attachments";
/// The prefix of the checkboxes that remove an attachment (`remove-<media id>`).
pub const REMOVE_PREFIX: &str = "remove-";

/// One rich text field of a form.
pub struct TextField<'a> {
    /// The text's field; its format is `<name>_format`.
    pub name: &'static str,
    pub label: &'a str,
    pub format: &'a str,
    pub source: &'a str,
    /// The attachments already saved with the text.
    pub attachments: &'a [Media],
    pub errors: &'a FieldErrors,
}

/// The text box, its format, the attachments and the help; the form must be multipart.
pub fn text_field(f: &TextField<'_>) -> Markup {
    html! {
        (text_box(f))
        (files(f))
    }
}

/// The text box with its format and help, for texts without attachments (announcements).
pub fn text_box(f: &TextField<'_>) -> Markup {
    let format_name = format!("{}_format", f.name);
    let format = Format::parse(f.format).unwrap_or(Format::Html);
    let error = f.errors.get(f.name);
    let described = if error.is_some() {
        format!("{0}-hint {0}-error", f.name)
    } else {
        format!("{}-hint", f.name)
    };
    html! {
        div.field.editor {
            label for=(f.name) { (f.label) }
            span.hint id={ (f.name) "-hint" } {
                @if format == Format::Markdown {
                    "Use the buttons, or type **bold**, *italic*, ## Heading, - list. "
                } @else {
                    "This text is HTML (written before the editor); switch it to Markdown to write without HTML. "
                }
                "Scripts are removed when it is saved."
            }
            @if let Some(e) = error { span.error id={ (f.name) "-error" } { (e) } }
            div.format {
                label for=(format_name) { "Written in" }
                select id=(format_name) name=(format_name) {
                    @for choice in Format::ALL {
                        option value=(choice.as_str()) selected[*choice == format] { (choice.label()) }
                    }
                }
            }
            textarea id=(f.name) name=(f.name) rows="16" data-editor=(format_name)
                aria-invalid=[error.map(|_| "true")] aria-describedby=(described) { (f.source) }
            (help())
        }
    }
}

fn help() -> Markup {
    let rows = [
        ("## Heading", "a heading"),
        ("**bold** and *italic*", "bold and italic"),
        ("- item", "a bulleted list (1. for a numbered one)"),
        ("[words](https://example.org)", "a link"),
        (
            "![what it shows](picture.png)",
            "an attached picture, by its file name",
        ),
        ("| a | b |  then  |---|---|", "a table"),
        ("`code`, or ``` on the lines around a block", "code"),
    ];
    html! {
        details.help {
            summary { "Formatting help (Markdown)" }
            table {
                thead { tr { th scope="col" { "Type" } th scope="col" { "For" } } }
                tbody {
                    @for (typed, what) in rows {
                        tr { td { code { (typed) } } td { (what) } }
                    }
                }
            }
        }
    }
}

fn files(f: &TextField<'_>) -> Markup {
    let name = FILE_FIELD;
    let error = f.errors.get(name);
    html! {
        div.field {
            label for=(name) { "Pictures and files" }
            span.hint id={ (name) "-hint" } {
                "Up to " (MAX_FILE_MIB) " MiB each, saved with this text and shown only to those who can see it. "
                "Name one in the text to show or link it. A file with an attached file's name replaces it."
                @if !f.errors.is_empty() { " Choose new files again." }
            }
            @if let Some(e) = error { span.error id={ (name) "-error" } { (e) } }
            input type="file" id=(name) name=(name) multiple
                aria-invalid=[error.map(|_| "true")] aria-describedby={ (name) "-hint" };
        }
        @if !f.attachments.is_empty() {
            fieldset.attachments {
                legend { "Attached" }
                ul {
                    @for m in f.attachments {
                        (attachment(m))
                    }
                }
            }
        }
    }
}

fn attachment(m: &Media) -> Markup {
    let remove = format!("{}{}", REMOVE_PREFIX, m.id);
    let snippet = snippet(m);
    html! {
        li data-name=(m.file_name) data-snippet=(snippet) {
            a href=(attachments::path(m.id, &m.file_name)) { (m.file_name) }
            " " span.muted { (size_text(m.size_bytes as u64)) }
            " " code { (snippet) }
            span.check {
                input type="checkbox" id=(remove) name=(remove) value="true";
                label for=(remove) { "Remove" span.visually-hidden { " " (m.file_name) } }
            }
        }
    }
}

/// What to type to show an attachment (an image) or link to it (anything else).
fn snippet(m: &Media) -> String {
    let target = m.file_name.replace(' ', "%20");
    let stem = m
        .file_name
        .rsplit_once('.')
        .map_or(&*m.file_name, |(s, _)| s);
    if m.content_type.starts_with("image/") {
        format!("![{}]({target})", stem.replace(['-', '_'], " "))
    } else {
        format!("[{}]({target})", m.file_name)
    }
}

/// A text as it would be saved, above the form that produced it.
pub fn preview(html: &str) -> Markup {
    html! {
        section.preview aria-labelledby="preview-heading" {
            h2 #preview-heading { "Preview" }
            p.muted { "Not saved yet. Files chosen for this text are stored when you save." }
            // Rendered and cleaned by `lms::richtext`, as when saved.
            div.content #preview-content { (PreEscaped(html)) }
        }
    }
}

/// The editor's script, loaded after the page (module scripts are deferred).
pub fn script() -> Markup {
    html! { script type="module" src=(SCRIPT) {} }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_show_pictures_and_link_other_files() {
        let media = |name: &str, kind: &str| Media {
            id: 3,
            storage_key: "media/x".into(),
            file_name: name.into(),
            content_type: kind.into(),
            size_bytes: 1,
        };
        assert_eq!(
            snippet(&media("cell_wall 2.png", "image/png")),
            "![cell wall 2](cell_wall%202.png)"
        );
        assert_eq!(
            snippet(&media("notes.pdf", "application/pdf")),
            "[notes.pdf](notes.pdf)"
        );
    }
}
