//! The calendar over HTTP: the month and agenda pages in the reader's zone, and the
//! iCalendar feed at a secret address, read without a session, parsed by an independent
//! parser (Python's `icalendar`, which `.ci/run` installs) and checked instant by instant;
//! a new address or revoking makes the old one 404, and so does a disabled account.

use std::process::Command;

use chrono::{Duration, Utc};
use paideia::lms::assignments::AssignmentInput;
use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    lms_assignments::assignment_input,
    on_both_engines,
    support::{
        Backend,
        browser::Browser,
        class::{Class, class},
        get,
    },
};

on_both_engines!(the_calendar_and_its_feed);

/// Reads iCalendar text with Python's `icalendar` and gives its calendar name, zone and
/// events (UID, summary, start as a UTC instant, description, URL) as JSON.
const PARSE: &str = r#"
import datetime, json, sys
import icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
events = []
for ev in cal.walk("VEVENT"):
    start = ev.decoded("DTSTART")
    if not isinstance(start, datetime.datetime) or start.tzinfo is None:
        sys.exit("DTSTART without a zone: %r" % (start,))
    events.append({
        "uid": str(ev["UID"]),
        "summary": str(ev["SUMMARY"]),
        "start": start.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "description": str(ev.get("DESCRIPTION", "")),
        "url": str(ev.get("URL", "")),
        "dtstamp": "DTSTAMP" in ev,
    })
print(json.dumps({"name": str(cal.get("X-WR-CALNAME")), "zone": str(cal.get("X-WR-TIMEZONE")), "events": events}))
"#;

pub(crate) fn parse_ics(text: &str) -> Value {
    use std::io::Write;
    let mut child = Command::new("python3")
        .args(["-c", PARSE])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "python3's icalendar could not read the feed (install it with `python3 -m pip install icalendar`, as .ci/run does): {stderr}\n{text}"
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The feed's address on the page that made it.
fn feed_url(page: &str) -> String {
    let start = page.find(r#"id="feed-url">"#).expect("the new address") + 14;
    let end = start + page[start..].find("</code>").unwrap();
    page[start..end].to_string()
}

pub(crate) async fn make_feed(b: &Browser) -> String {
    b.get("/calendar/feed").await;
    let made = b.post("/calendar/feed", &[]).await;
    assert_eq!(made.status(), StatusCode::OK);
    assert_eq!(made.headers()["cache-control"], "no-store");
    let url = feed_url(&made.text().await.unwrap());
    assert!(url.starts_with(&b.url("/calendar/feed/")) && url.ends_with(".ics"));
    url
}

pub(crate) async fn read_feed(url: &str) -> (StatusCode, String) {
    let response = get(url).await.unwrap();
    let status = response.status();
    if status == StatusCode::OK {
        assert_eq!(
            response.headers()["content-type"],
            "text/calendar; charset=utf-8"
        );
    }
    (status, response.text().await.unwrap())
}

async fn assignment(c: &Class, slug: &str, input: AssignmentInput) -> i64 {
    let view = c.lms.course_view(&c.teacher_user, slug).await.unwrap();
    let root = c.lms.sections(&view).await.unwrap()[0].id;
    let input = AssignmentInput {
        section_id: root.to_string(),
        ..input
    };
    c.lms.add_assignment(&view, &input).await.unwrap().module.id
}

async fn the_calendar_and_its_feed(b: Backend) {
    let c = class(&b, &[]).await;
    let stu = c.lms.user_by_email("stu@example.org").await.unwrap();
    c.lms
        .set_time_zone(stu.id, Some("America/New_York"))
        .await
        .unwrap();
    // Times typed with their offsets: New York leaves EST for EDT on 8 March 2026, and
    // 01:30 on 1 November 2026 happens twice (this is the first, EDT).
    let essay = assignment(
        &c,
        "bio",
        AssignmentInput {
            opens_at: "2026-03-02T09:00:00Z".into(),
            due_at: "2026-03-06T17:00:00-05:00".into(),
            cutoff_at: "2026-03-09T17:00:00-04:00".into(),
            ..assignment_input(c.root, "Essay")
        },
    )
    .await;
    assignment(
        &c,
        "bio",
        AssignmentInput {
            due_at: "2026-11-01T01:30:00-04:00".into(),
            ..assignment_input(c.root, "Lab")
        },
    )
    .await;
    assignment(
        &c,
        "chem",
        AssignmentInput {
            due_at: "2026-03-06T12:00:00Z".into(),
            ..assignment_input(c.root, "Chem quiz")
        },
    )
    .await;
    let soon = Utc::now() + Duration::days(2);
    assignment(
        &c,
        "bio",
        AssignmentInput {
            due_at: soon.to_rfc3339(),
            ..assignment_input(c.root, "Soon")
        },
    )
    .await;

    // The month and the agenda, in the reader's zone.
    let (status, march) = c.student.get("/calendar?month=2026-03").await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "March 2026",
        "Times in America/New_York",
        r#"href="/calendar?month=2026-02""#,
        r#"href="/calendar?month=2026-04""#,
        &format!(r#"href="/courses/bio/modules/{essay}""#),
        r#"datetime="2026-03-06T22:00:00Z">17:00 EST"#,
        r#"datetime="2026-03-09T21:00:00Z">17:00 EDT"#,
        r#"datetime="2026-03-02T09:00:00Z">04:00 EST"#,
    ] {
        assert!(march.contains(text), "{text} in\n{march}");
    }
    assert!(!march.contains("Chem quiz"), "not stu's course");
    let (_, agenda) = c.student.get("/calendar?month=2026-03&view=agenda").await;
    assert!(agenda.contains("Friday 6 March") && agenda.contains("Monday 9 March"));
    assert!(agenda.contains(r#"aria-current="page">Agenda"#));
    let (_, november) = c.student.get("/calendar?month=2026-11&view=agenda").await;
    assert!(november.contains(r#"datetime="2026-11-01T05:30:00Z">01:30 EDT"#));
    let (status, bad) = c.student.get("/calendar?month=2026-13").await;
    assert_eq!(status, StatusCode::OK);
    assert!(bad.contains("is not a month written like 2026-03"));
    let (_, other_march) = c.other.get("/calendar?month=2026-03").await;
    assert!(other_march.contains("Chem quiz") && !other_march.contains("Essay"));

    // The home page: what is due soon, with the time left.
    let (_, home) = c.student.get("/").await;
    assert!(home.contains("Due in the next 14 days") && home.contains("Soon"));
    assert!(home.contains("due in 2 days"), "{home}");

    // The feed.
    let (_, none) = c.student.get("/calendar/feed").await;
    assert!(none.contains("You have no feed"));
    let url = make_feed(&c.student).await;
    let (status, text) = read_feed(&url).await;
    assert_eq!(status, StatusCode::OK);
    let feed = parse_ics(&text);
    assert_eq!(feed["zone"], "America/New_York");
    assert_eq!(feed["name"], "paideia — stu");
    let mut events: Vec<(String, String)> = feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["summary"] != "Due: Soon (Course bio)")
        .map(|e| {
            (
                e["summary"].as_str().unwrap().to_string(),
                e["start"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    events.sort();
    let expected = [
        ("Cut-off: Essay (Course bio)", "2026-03-09T21:00:00Z"),
        ("Due: Essay (Course bio)", "2026-03-06T22:00:00Z"),
        ("Due: Lab (Course bio)", "2026-11-01T05:30:00Z"),
        ("Opens: Essay (Course bio)", "2026-03-02T09:00:00Z"),
    ]
    .map(|(s, t)| (s.to_string(), t.to_string()));
    assert_eq!(events, expected, "every date at its instant");
    let all = feed["events"].as_array().unwrap();
    assert_eq!(all.len(), 5, "with the one due soon");
    let due = all
        .iter()
        .find(|e| e["summary"] == "Due: Essay (Course bio)")
        .unwrap();
    assert_eq!(
        due["description"].as_str().unwrap().lines().next().unwrap(),
        "Due Fri 6 Mar 2026, 17:00 EST in Course bio: Essay",
        "the description reads the time in the person's zone"
    );
    assert_eq!(
        due["url"],
        c.student.url(&format!("/courses/bio/modules/{essay}"))
    );
    assert!(
        due["uid"]
            .as_str()
            .unwrap()
            .starts_with(&format!("due-{essay}@"))
    );
    assert!(all.iter().all(|e| e["dtstamp"] == true));
    let lab_due = all
        .iter()
        .find(|e| e["summary"] == "Due: Lab (Course bio)")
        .unwrap();
    assert!(
        lab_due["description"]
            .as_str()
            .unwrap()
            .starts_with("Due Sun 1 Nov 2026, 01:30 EDT"),
        "{lab_due}"
    );

    let (_, made) = c.student.get("/calendar/feed").await;
    assert!(made.contains("Last read") && !made.contains("You have no feed"));
    assert!(
        !made.contains(url.rsplit('/').next().unwrap()),
        "the secret is shown once"
    );

    // Another student's feed holds only their course.
    let other_url = make_feed(&c.other).await;
    let other = parse_ics(&read_feed(&other_url).await.1);
    let summaries: Vec<&str> = other["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(summaries, ["Due: Chem quiz (Course chem)"]);

    // A new address replaces the old; revoking ends the new one.
    let second = make_feed(&c.student).await;
    assert_ne!(second, url);
    assert_eq!(read_feed(&url).await.0, StatusCode::NOT_FOUND);
    assert_eq!(read_feed(&second).await.0, StatusCode::OK);
    let revoked = c.student.post("/calendar/feed/revoke", &[]).await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    assert_eq!(read_feed(&second).await.0, StatusCode::NOT_FOUND);
    let (_, gone) = c.student.get("/calendar/feed").await;
    assert!(gone.contains("Feed revoked") && gone.contains("You have no feed"));
    let again = c.student.post("/calendar/feed/revoke", &[]).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    let without_suffix = second.trim_end_matches(".ics");
    assert_eq!(read_feed(without_suffix).await.0, StatusCode::NOT_FOUND);

    // A disabled account's feed finds nothing.
    let other_user = c.lms.user_by_email("other@example.org").await.unwrap();
    c.lms.set_disabled(other_user.id, true).await.unwrap();
    assert_eq!(read_feed(&other_url).await.0, StatusCode::NOT_FOUND);
}
