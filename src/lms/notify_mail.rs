//! The words of notification mails: the subject naming the course, a plain-text body and an
//! HTML alternative, each with the link to the thing and the unsubscribe link, and the daily
//! digest. Pure functions; the outbox rows are written by `notifications`.

use super::{
    MailKind, NewMail, User,
    notifications::{Note, Notification},
    outbox::MailSite,
};

/// `[Biology 101] New announcement: Exam on Friday`.
pub fn subject(note: &Note) -> String {
    if note.course_title.is_empty() {
        note.title.clone()
    } else {
        format!("[{}] {}", note.course_title, note.title)
    }
}

/// Text for HTML: the five characters that matter escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const SETTINGS_PATH: &str = "/account/notifications";

/// The plain-text and HTML bodies of one notification's mail.
pub fn bodies(site: &MailSite, note: &Note, unsubscribe: &str) -> (String, String) {
    let link = site.link(&note.link);
    let settings = site.link(SETTINGS_PATH);
    let what = note.kind.label().to_lowercase();
    let text = format!(
        "{title}\n\n{body}\n\nOpen it: {link}\n\n-- \nYou get this mail because of your notification settings: {settings}\nStop mails about {what}: {unsubscribe}\n",
        title = note.title,
        body = note.body,
    );
    let main = match &note.html {
        // Cleaned by `richtext` when it was saved.
        Some(html) => html.clone(),
        None => format!("<p>{}</p>", escape(&note.body)),
    };
    let html = format!(
        "<!DOCTYPE html><html><body><h1 style=\"font-size:1.25em\">{title}</h1>{main}<p><a href=\"{link}\">Open it on the site</a></p>\
         <hr><p style=\"font-size:0.85em;color:#555\">You get this mail because of your <a href=\"{settings}\">notification settings</a>. \
         <a href=\"{unsubscribe}\">Stop mails about {what}</a>.</p></body></html>",
        title = escape(&note.title),
        link = escape(&link),
        settings = escape(&settings),
        unsubscribe = escape(unsubscribe),
        what = escape(&what),
    );
    (text, html)
}

/// The daily digest of `entries` for `user` on local date `date`.
pub fn digest(
    site: &MailSite,
    user: &User,
    date: &str,
    entries: &[Notification],
    unsubscribe: &str,
) -> NewMail {
    let settings = site.link(SETTINGS_PATH);
    let mut text = format!("Your daily digest for {date}: {} new.\n\n", entries.len());
    let mut items = String::new();
    for n in entries {
        let link = site.link(&n.link);
        text.push_str(&format!("* {}\n  {}\n  {link}\n\n", n.title, n.body));
        items.push_str(&format!(
            "<li><a href=\"{}\">{}</a><br>{}</li>",
            escape(&link),
            escape(&n.title),
            escape(&n.body)
        ));
    }
    text.push_str(&format!(
        "-- \nChange what you hear about and how: {settings}\nStop the daily digest: {unsubscribe}\n"
    ));
    let html = format!(
        "<!DOCTYPE html><html><body><h1 style=\"font-size:1.25em\">Your daily digest for {date}</h1><ul>{items}</ul>\
         <hr><p style=\"font-size:0.85em;color:#555\"><a href=\"{}\">Notification settings</a>. \
         <a href=\"{}\">Stop the daily digest</a>.</p></body></html>",
        escape(&settings),
        escape(unsubscribe)
    );
    let mut mail = NewMail::to_user(
        user,
        MailKind::Digest,
        format!("Your daily digest: {} new", entries.len()),
        text,
    );
    mail.html = Some(html);
    mail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mails_name_the_course_link_and_unsubscribe() {
        let site = MailSite::new("https://lms.example.org");
        let note = Note {
            kind: MailKind::Announcement,
            course_id: Some(1),
            course_title: "Bio <1>".into(),
            title: "New announcement: Exam".into(),
            body: "Friday".into(),
            html: None,
            link: "/courses/bio/announcements/3".into(),
            dedupe_key: None,
        };
        assert_eq!(subject(&note), "[Bio <1>] New announcement: Exam");
        let (text, html) = bodies(&site, &note, "https://lms.example.org/unsubscribe/1/x/y");
        assert!(text.contains("https://lms.example.org/courses/bio/announcements/3"));
        assert!(text.contains("/unsubscribe/1/x/y"));
        assert!(html.contains("href=\"https://lms.example.org/unsubscribe/1/x/y\""));
        assert_eq!(escape("<a&'\">"), "&lt;a&amp;&#39;&quot;&gt;");
    }
}
