//! Rich text, the one type for everything people write with formatting (a page's text, an
//! assignment's instructions; later announcements, posts and feedback): Markdown (CommonMark
//! with tables and strikethrough) or, for text written before the editor, HTML. Both are
//! rendered once, when saved, to HTML cleaned by ammonia, and a link or image naming one of
//! the owner's attachments by file name is pointed at that attachment. Storage and attachments
//! live with the owner (`attachments`); this module is pure.

use std::{borrow::Cow, collections::HashMap};

use percent_encoding::percent_decode_str;
use pulldown_cmark::{Options, Parser, html};
use sha2::{Digest, Sha256};

use super::text_enum::text_enum;

text_enum!(
    /// What a rich text's source is written in.
    Format {
        Markdown => "markdown", "Markdown",
        Html => "html", "HTML",
    }
);

/// The longest text, in bytes, of its source and of its cleaned HTML alike.
pub const MAX_TEXT_BYTES: usize = 200_000;

/// A text as its author writes it: what the editor shows and a form sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RichText {
    pub format: Format,
    pub source: String,
}

/// A text as it is stored: the cleaned HTML everyone is shown (and binaries before the editor
/// read), and for Markdown its source with the digest of the HTML it produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub html: String,
    pub format: Format,
    pub source: Option<String>,
    pub digest: Option<String>,
}

/// The owner's attachments by file name, each with the path it is served at.
#[derive(Clone, Debug, Default)]
pub struct Links(HashMap<String, String>);

impl Links {
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Links {
        Links(pairs.into_iter().collect())
    }

    /// The path for a relative URL that names an attachment (as typed, or percent-encoded as
    /// Markdown writes it); `None` for any other URL.
    fn resolve(&self, url: &str) -> Option<&str> {
        if let Some(path) = self.0.get(url) {
            return Some(path);
        }
        let decoded = percent_decode_str(url).decode_utf8().ok()?;
        self.0.get(decoded.as_ref()).map(String::as_str)
    }
}

impl RichText {
    pub fn new(format: Format, source: impl Into<String>) -> RichText {
        RichText {
            format,
            source: source.into(),
        }
    }

    /// A form's text and format field; an empty or unknown format is HTML, which is what
    /// every form and API client sent before the editor.
    pub fn from_form(format: &str, source: &str) -> RichText {
        RichText::new(Format::parse(format).unwrap_or(Format::Html), source)
    }

    /// What to show and store for this text.
    pub fn store(&self, links: &Links) -> Stored {
        let html = render(self.format, &self.source, links);
        match self.format {
            Format::Html => Stored {
                html,
                format: Format::Html,
                source: None,
                digest: None,
            },
            Format::Markdown => Stored {
                digest: Some(digest(&html)),
                html,
                format: Format::Markdown,
                source: Some(self.source.clone()),
            },
        }
    }
}

impl Stored {
    /// The stored columns read back. `format` NULL is HTML from before the editor.
    pub fn from_columns(
        html: String,
        format: Option<Format>,
        source: Option<String>,
        digest: Option<String>,
    ) -> Stored {
        Stored {
            html,
            format: format.unwrap_or(Format::Html),
            source,
            digest,
        }
    }

    /// What the editor opens: the Markdown source while it still produced the stored HTML;
    /// otherwise the HTML itself (a binary from before the editor changed the text during a
    /// rolling upgrade), so an edit never brings back an older text.
    pub fn editable(&self) -> RichText {
        match (&self.format, &self.source, &self.digest) {
            (Format::Markdown, Some(source), Some(d)) if *d == digest(&self.html) => {
                RichText::new(Format::Markdown, source.clone())
            }
            _ => RichText::new(Format::Html, self.html.clone()),
        }
    }
}

fn digest(html: &str) -> String {
    hex::encode(Sha256::digest(html.as_bytes()))
}

/// Renders a text to cleaned HTML: Markdown through pulldown-cmark first (raw HTML in it is
/// kept for the cleaning to judge), then ammonia, which keeps headings, emphasis, lists,
/// tables, code, links and images and drops scripts, event handlers, styles, forms, frames and
/// URLs with schemes such as `javascript:`. Relative URLs naming an attachment become its path.
pub fn render(format: Format, source: &str, links: &Links) -> String {
    let html = match format {
        Format::Html => Cow::Borrowed(source),
        Format::Markdown => Cow::Owned(markdown_to_html(source)),
    };
    clean(&html, links)
}

/// Rich text as it may be shown, with no attachments to resolve.
pub fn sanitize_html(html: &str) -> String {
    clean(html, &Links::default())
}

fn markdown_to_html(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(source, options));
    out
}

fn clean(html: &str, links: &Links) -> String {
    ammonia::Builder::default()
        .url_relative(ammonia::UrlRelative::Custom(Box::new(Resolver(links))))
        .clean(html)
        .to_string()
}

/// Points relative URLs naming an attachment at it and leaves every other one as it was.
struct Resolver<'l>(&'l Links);

impl<'a, 'l: 'a> ammonia::UrlRelativeEvaluate<'a> for Resolver<'l> {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        Some(match self.0.resolve(url) {
            Some(path) => Cow::Owned(path.to_string()),
            None => Cow::Borrowed(url),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Links {
        Links::new([
            (
                "cell.png".to_string(),
                "/attachments/7/cell.png".to_string(),
            ),
            (
                "lab notes.pdf".to_string(),
                "/attachments/8/lab%20notes.pdf".to_string(),
            ),
        ])
    }

    #[test]
    fn markdown_keeps_formatting_and_points_at_attachments() {
        let source = "## Week 1\n\nRead **this** and *that*.\n\n- one\n- two\n\n1. first\n\n\
                      | a | b |\n|---|---|\n| 1 | 2 |\n\n`code`\n\n```\nfn main() {}\n```\n\n\
                      ![A cell](cell.png) [notes](<lab notes.pdf>) [web](https://example.org/)";
        let html = render(Format::Markdown, source, &links());
        for want in [
            "<h2>Week 1</h2>",
            "<strong>this</strong>",
            "<em>that</em>",
            "<ul>\n<li>one</li>",
            "<ol>",
            "<table>",
            "<td>1</td>",
            "<code>code</code>",
            "<pre><code>fn main() {}",
            r#"<img src="/attachments/7/cell.png" alt="A cell">"#,
            r#"href="/attachments/8/lab%20notes.pdf""#,
            r#"href="https://example.org/""#,
        ] {
            assert!(html.contains(want), "{want} missing from {html}");
        }
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_go_in_either_format() {
        let attacks = [
            (
                Format::Markdown,
                "[click](javascript:alert(1)) <script>alert(1)</script>",
            ),
            (
                Format::Markdown,
                "<img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">x</a>",
            ),
            (
                Format::Markdown,
                "[x](JaVaScRiPt:alert(1)) ![y](javascript:alert(2))",
            ),
            (
                Format::Markdown,
                "<iframe src=\"https://evil.example\"></iframe><style>*{}</style>",
            ),
            (
                Format::Html,
                r#"<p onclick="steal()">x</p><script>alert(1)</script>"#,
            ),
            (
                Format::Html,
                r#"<a href=" javascript:alert(1)">x</a><svg onload=alert(1)>"#,
            ),
            (
                Format::Html,
                r#"<div style="background:url(javascript:x)">x</div><form action=x>"#,
            ),
        ];
        for (format, source) in attacks {
            let html = render(format, source, &links()).to_ascii_lowercase();
            for bad in [
                "<script",
                "onclick",
                "onerror",
                "onload",
                "javascript:",
                "<iframe",
                "<style",
                "style=",
                "<form",
                "<svg",
            ] {
                assert!(!html.contains(bad), "{bad} survived {source:?}: {html}");
            }
        }
    }

    #[test]
    fn html_from_before_the_editor_renders_as_it_did() {
        let old = r#"<h2>Week 1</h2><p>Read <a href="https://example.org/">that</a>.</p>"#;
        assert_eq!(
            render(Format::Html, old, &Links::default()),
            ammonia::clean(old)
        );
        let stored = Stored::from_columns(sanitize_html(old), None, None, None);
        assert_eq!(
            stored.editable(),
            RichText::new(Format::Html, stored.html.clone())
        );
    }

    #[test]
    fn the_editor_opens_the_source_only_while_it_made_the_stored_html() {
        let text = RichText::new(Format::Markdown, "**bold**");
        let stored = text.store(&Links::default());
        assert_eq!(stored.html, "<p><strong>bold</strong></p>\n");
        assert_eq!(stored.editable(), text);
        // A binary from before the editor saved new HTML over it: that HTML is what opens.
        let changed = Stored {
            html: "<p>changed by an older binary</p>".into(),
            ..stored
        };
        assert_eq!(changed.editable().format, Format::Html);
        assert_eq!(changed.editable().source, changed.html);
    }

    #[test]
    fn unknown_relative_urls_and_empty_formats_stay_as_before() {
        let html = render(Format::Html, r#"<a href="../3">x</a>"#, &links());
        assert!(html.contains(r#"href="../3""#), "{html}");
        assert_eq!(RichText::from_form("", "x").format, Format::Html);
        assert_eq!(
            RichText::from_form("markdown", "x").format,
            Format::Markdown
        );
    }
}
