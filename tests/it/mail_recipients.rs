//! Who gets which mail, end to end: the real `paideia serve` with a real SMTP server
//! (aiosmtpd), on both engines. A thread opened, an announcement posted, a reply and a grade
//! release over HTTP, and the daily digest built by serve's own job; each message reaches
//! exactly the people it concerns: not its author, not a student of another course, not
//! someone who turned that kind's email off.

use std::{
    collections::BTreeSet,
    net::TcpListener,
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::{Timelike, Utc};
use paideia::{
    db::Db,
    lms::{
        CourseInput, Lms, MailKind, SystemClock, SystemRole, User,
        assignments::AssignmentInput,
        attachments::TextEdit,
        discussions::{ForumInput, ThreadInput},
        notifications::{Mode, Pref},
        outbox::MailSite,
    },
    migrate::{Migrator, UpOptions},
};
use reqwest::StatusCode;

use crate::{
    lms_assignments::assignment_input,
    on_both_engines,
    support::{
        Backend,
        browser::{Browser, account},
        server::Server,
        smtp::SmtpSink,
    },
};

on_both_engines!(each_event_mails_exactly_its_people);

/// A fixed-offset zone in which it is about noon now, so serve's daily digest (built from
/// 07:00 local) is due whenever the test runs.
fn a_zone_at_noon() -> String {
    let offset = 12 - Utc::now().hour() as i32;
    match offset {
        0 => "UTC".into(),
        // The POSIX names count the other way: Etc/GMT-3 is three hours ahead of UTC.
        o if o > 0 => format!("Etc/GMT-{o}"),
        o => format!("Etc/GMT+{}", -o),
    }
}

async fn outbox(db: &Db) -> (BTreeSet<(String, String)>, BTreeSet<(String, String)>, i64) {
    let rows = db
        .query("SELECT to_address, kind, subject, status FROM outbox", &[])
        .await
        .unwrap();
    let mut kinds = BTreeSet::new();
    let mut subjects = BTreeSet::new();
    let mut pending = 0;
    for r in &rows {
        let to: String = r.get("to_address").unwrap();
        kinds.insert((to.clone(), r.get::<String>("kind").unwrap()));
        subjects.insert((to, r.get::<String>("subject").unwrap()));
        pending += i64::from(r.get::<String>("status").unwrap() != "sent");
    }
    (kinds, subjects, pending)
}

async fn each_event_mails_exactly_its_people(b: Backend) {
    let db = b.db().await;
    Migrator::embedded(&db)
        .up(UpOptions::default())
        .await
        .unwrap();
    let socket = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", socket.local_addr().unwrap());
    let lms = Lms::new(db.clone(), Arc::new(SystemClock)).with_mail(MailSite::new(&url));

    // bio: the teacher, a TA, ada, bob and ned (who turned announcement email off);
    // chem: cyd.
    let teacher = account(&lms, "teach@example.org", SystemRole::Instructor).await;
    let mut people: Vec<User> = Vec::new();
    for email in [
        "ta@example.org",
        "ada@example.org",
        "bob@example.org",
        "ned@example.org",
        "cyd@example.org",
    ] {
        people.push(account(&lms, email, SystemRole::Student).await);
    }
    for slug in ["bio", "chem"] {
        let input = CourseInput {
            title: format!("Course {slug}"),
            slug: slug.into(),
            status: "published".into(),
            ..CourseInput::default()
        };
        lms.create_course(&teacher, &input).await.unwrap();
    }
    let bio = lms.course_view(&teacher, "bio").await.unwrap();
    let chem = lms.course_view(&teacher, "chem").await.unwrap();
    for (view, email, role) in [
        (&bio, "ta@example.org", "ta"),
        (&bio, "ada@example.org", "student"),
        (&bio, "bob@example.org", "student"),
        (&bio, "ned@example.org", "student"),
        (&chem, "cyd@example.org", "student"),
    ] {
        lms.enroll(view, email, role).await.unwrap();
    }
    let ada = people[1].clone();
    let ned = &people[3];
    let mut prefs = lms.notification_prefs(ned).await.unwrap();
    for p in &mut prefs {
        if p.kind == MailKind::Announcement {
            *p = Pref {
                kind: p.kind,
                mode: Mode::Immediate,
                email: false,
            };
        }
    }
    lms.set_notification_prefs(ned, &prefs).await.unwrap();

    // Before serve starts: a forum the teacher follows, a thread ada opens in it (mailed to
    // the teacher), and ada's essay handed in (the teacher's and TA's digest).
    let root = lms.sections(&bio).await.unwrap()[0].id;
    let forum = ForumInput {
        section_id: root.to_string(),
        title: "Questions".into(),
        description: "Ask.".into(),
        description_format: "markdown".into(),
        graded: None,
        max_points: String::new(),
    };
    let forum = lms.add_forum(&bio, &forum).await.unwrap().module.id;
    lms.follow_forum(&bio, &teacher, forum, true).await.unwrap();
    let ada_bio = lms.course_view(&ada, "bio").await.unwrap();
    let thread = ThreadInput {
        title: "Why walls?".into(),
        body: "Why do plant cells have walls?".into(),
        body_format: "markdown".into(),
    };
    let thread = lms
        .start_thread(&ada_bio, &ada, forum, &thread, &TextEdit::default())
        .await
        .unwrap()
        .value
        .id;
    let essay = AssignmentInput {
        due_at: crate::lms_assignments::form_time(Utc::now() + chrono::Duration::days(7)),
        ..assignment_input(root, "Essay")
    };
    let essay = lms.add_assignment(&bio, &essay).await.unwrap().module.id;
    lms.submit(&ada_bio, &ada, essay, "mine", &[])
        .await
        .unwrap();
    let item = lms.assignment_item(&bio, essay).await.unwrap().id;

    // serve's first round of jobs runs at start: the digests (local noon) go out.
    let sink = SmtpSink::start();
    let mut cmd = b.paideia();
    cmd.arg("serve")
        .env("PAIDEIA_PUBLIC_URL", &url)
        .env("PAIDEIA_TIME_ZONE", a_zone_at_noon())
        .envs(sink.env().iter().map(|(k, v)| (*k, v.as_str())));
    let server = Server::start_on(cmd, &socket);

    let teacher_web = Browser::signed_in(&server, "teach@example.org").await;
    teacher_web.get("/courses/bio/announcements/new").await;
    let posted = teacher_web
        .post(
            "/courses/bio/announcements/new",
            &[
                ("title", "Lab on Thursday"),
                ("body", "Bring a pencil."),
                ("body_format", "markdown"),
                ("publish_at", ""),
            ],
        )
        .await;
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);

    let bob_web = Browser::signed_in(&server, "bob@example.org").await;
    bob_web.get(&format!("/courses/bio/threads/{thread}")).await;
    let replied = bob_web
        .post_files(
            &format!("/courses/bio/threads/{thread}/replies"),
            &[
                ("body", "Cellulose keeps them up."),
                ("body_format", "markdown"),
            ],
            &[],
        )
        .await;
    assert_eq!(replied.status(), StatusCode::SEE_OTHER);

    teacher_web
        .get(&format!("/courses/bio/grades/items/{item}"))
        .await;
    let graded = teacher_web
        .post(
            &format!("/courses/bio/grades/items/{item}/students/{}", ada.id),
            &[("points", "15"), ("feedback", "Good.")],
        )
        .await;
    assert_eq!(graded.status(), StatusCode::SEE_OTHER);
    let released = teacher_web
        .post(&format!("/courses/bio/grades/items/{item}/release"), &[])
        .await;
    assert_eq!(released.status(), StatusCode::SEE_OTHER);

    let expected: BTreeSet<(String, String)> = [
        ("teach", "discussion"), // ada's thread, in the forum the teacher follows
        ("teach", "digest"),     // ada's hand-in
        ("teach", "discussion"), // bob's reply (the same kind: one pair)
        ("ta", "digest"),
        ("ta", "announcement"),
        ("ada", "announcement"),
        ("ada", "discussion"), // bob's reply in her thread
        ("ada", "grade_released"),
        ("bob", "announcement"),
    ]
    .iter()
    .map(|(who, kind)| (format!("{who}@example.org"), kind.to_string()))
    .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    let (kinds, subjects) = loop {
        let (kinds, subjects, pending) = outbox(&db).await;
        if pending == 0 && kinds.len() >= expected.len() && sink.count() >= 9 {
            break (kinds, subjects);
        }
        assert!(
            Instant::now() < deadline,
            "all mail sent within a minute: {kinds:?}, {pending} pending, {} received",
            sink.count()
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert_eq!(kinds, expected, "the outbox holds exactly these");
    let messages = sink.messages();
    let received: BTreeSet<(String, String)> = messages
        .iter()
        .map(|m| {
            assert_eq!(m.rcpt.len(), 1, "one recipient a message");
            (m.rcpt[0].clone(), m.header("subject").unwrap().to_string())
        })
        .collect();
    assert_eq!(messages.len(), 9, "each message once: {received:#?}");
    assert_eq!(received, subjects, "what the server received");
    for nobody in ["ned@example.org", "cyd@example.org"] {
        assert!(
            messages.iter().all(|m| !m.rcpt.iter().any(|r| r == nobody)),
            "{nobody} gets nothing"
        );
    }
    let digest = messages
        .iter()
        .find(|m| m.rcpt[0] == "teach@example.org" && m.decoded().contains("New submission"))
        .expect("the teacher's digest names the hand-in");
    assert!(digest.decoded().contains("Essay"), "{}", digest.decoded());
    drop(server);
}
