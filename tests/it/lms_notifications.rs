//! Announcements and notifications at the domain level, with a clock the test moves and mail
//! configured, on both engines: who sees an announcement and when (publish-at, other courses,
//! read marks, "edited"), who is notified of each event and no one else, the outbox rows of
//! immediate mails (recipients, unsubscribe links), preferences (off, digest, email off), the
//! due-soon job (only those who have not handed in, once however often it runs) and the daily
//! digest (once per person and local day).

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use paideia::{
    lms::{
        CourseInput, Lms, LmsError, MailKind, ManualClock, SystemRole, User, Zone,
        announcements::AnnouncementInput,
        assignments::AssignmentInput,
        courses::CourseView,
        notifications::{Mode, Pref},
        outbox::MailSite,
    },
    migrate::{Migrator, UpOptions},
};

use crate::{
    lms_assignments::{assignment_input, form_time},
    on_both_engines,
    support::Backend,
};

on_both_engines!(
    announcements_are_seen_when_published_and_marked_read,
    each_event_notifies_exactly_its_people,
    preferences_and_digests,
    an_announcement_to_a_thousand_students,
    dumps_keep_announcements_and_notifications,
    replies_reach_the_followers_named,
    the_pages_save_settings_and_mark_all_read,
    two_instances_run_the_jobs_at_once
);

/// 1 March 2026, 09:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

fn utc() -> Zone {
    Zone::parse("UTC").unwrap()
}

struct School {
    lms: Lms,
    clock: Arc<ManualClock>,
    teacher: User,
    ta: User,
    ada: User,
    bob: User,
    cyd: User,
    bio: CourseView,
}

/// bio: teacher, ta, ada and bob; chem: cyd.
async fn school(b: &Backend) -> School {
    let db = b.db().await;
    Migrator::embedded(&db)
        .up(UpOptions::default())
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new(t0()));
    let lms = Lms::new(db, clock.clone())
        .with_default_zone(utc())
        .with_mail(MailSite::new("https://lms.example.org"));
    let account = |email: &'static str, role| {
        let lms = lms.clone();
        async move { crate::support::browser::account(&lms, email, role).await }
    };
    let teacher = account("teach@example.org", SystemRole::Instructor).await;
    let ta = account("ta@example.org", SystemRole::Student).await;
    let ada = account("ada@example.org", SystemRole::Student).await;
    let bob = account("bob@example.org", SystemRole::Student).await;
    let cyd = account("cyd@example.org", SystemRole::Student).await;
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
        (&chem, "cyd@example.org", "student"),
    ] {
        lms.enroll(view, email, role).await.unwrap();
    }
    School {
        lms,
        clock,
        teacher,
        ta,
        ada,
        bob,
        cyd,
        bio,
    }
}

impl School {
    async fn post(&self, title: &str, publish_at: &str, pinned: bool) -> i64 {
        let input = AnnouncementInput {
            title: title.into(),
            body: format!("**{title}** in detail"),
            body_format: "markdown".into(),
            publish_at: publish_at.into(),
            pinned: pinned.then(|| "true".into()),
        };
        let (a, _) = self
            .lms
            .post_announcement(&self.bio, &self.teacher, &input, utc())
            .await
            .unwrap();
        a.id
    }

    async fn view(&self, who: &User) -> CourseView {
        self.lms.course_view(who, "bio").await.unwrap()
    }

    async fn kinds_of(&self, who: &User) -> Vec<String> {
        let mut kinds: Vec<String> = self
            .lms
            .notifications(who, 100)
            .await
            .unwrap()
            .iter()
            .map(|n| n.kind.to_string())
            .collect();
        kinds.sort();
        kinds
    }

    /// The outbox's (recipient email, kind) pairs, sorted.
    async fn outbox(&self) -> Vec<(String, String)> {
        let rows = self
            .lms
            .db()
            .query(
                "SELECT to_address, kind, unsubscribe_url, subject, body_text FROM outbox ORDER BY to_address, kind",
                &[],
            )
            .await
            .unwrap();
        rows.iter()
            .map(|r| {
                let url: Option<String> = r.get("unsubscribe_url").unwrap();
                let url = url.expect("an unsubscribe link");
                assert!(
                    url.starts_with("https://lms.example.org/unsubscribe/"),
                    "{url}"
                );
                let text: String = r.get("body_text").unwrap();
                assert!(text.contains(&url), "the body names the unsubscribe link");
                (r.get("to_address").unwrap(), r.get("kind").unwrap())
            })
            .collect()
    }

    async fn assignment(&self, title: &str, due_in_hours: i64) -> i64 {
        let root = self.lms.sections(&self.bio).await.unwrap()[0].id;
        let input = AssignmentInput {
            due_at: form_time(t0() + Duration::hours(due_in_hours)),
            ..assignment_input(root, title)
        };
        self.lms
            .add_assignment(&self.bio, &input)
            .await
            .unwrap()
            .module
            .id
    }

    async fn hand_in(&self, who: &User, id: i64) {
        let view = self.view(who).await;
        self.lms.submit(&view, who, id, "mine", &[]).await.unwrap();
    }

    async fn set(&self, who: &User, kind: MailKind, mode: Mode, email: bool) {
        let mut prefs = self.lms.notification_prefs(who).await.unwrap();
        for p in &mut prefs {
            if p.kind == kind {
                *p = Pref { kind, mode, email };
            }
        }
        self.lms.set_notification_prefs(who, &prefs).await.unwrap();
    }
}

async fn announcements_are_seen_when_published_and_marked_read(b: Backend) {
    let s = school(&b).await;
    let now_id = s.post("Welcome", "", false).await;
    let later = form_time(t0() + Duration::hours(2));
    let scheduled = s.post("Exam moved", &later, false).await;
    let pinned = s.post("Read me first", "", true).await;
    s.clock.advance(Duration::minutes(1));
    let ada_bio = s.view(&s.ada).await;
    let seen: Vec<i64> = s
        .lms
        .announcements(&ada_bio, &s.ada, None)
        .await
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(
        seen,
        [pinned, now_id],
        "pinned first; the scheduled one hidden"
    );
    let staff_seen = s.lms.announcements(&s.bio, &s.teacher, None).await.unwrap();
    assert_eq!(staff_seen.len(), 3, "staff see scheduled ones");
    assert!(matches!(
        s.lms.announcement(&ada_bio, &s.ada, scheduled).await,
        Err(LmsError::NotFound)
    ));
    assert!(matches!(
        s.lms.course_view(&s.cyd, "bio").await,
        Err(LmsError::NotFound)
    ));
    // The home page: unread, then read once opened (with its notification).
    let home = s.lms.home_announcements(&s.ada, 5).await.unwrap();
    assert_eq!(home.len(), 2);
    assert!(home.iter().all(|h| !h.announcement.read));
    assert!(
        s.lms
            .home_announcements(&s.cyd, 5)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(s.lms.unread_notifications(s.ada.id).await.unwrap(), 2);
    let opened = s
        .lms
        .open_announcement(&ada_bio, &s.ada, now_id)
        .await
        .unwrap();
    assert!(!opened.read, "read from the next look on");
    assert!(
        s.lms
            .announcement(&ada_bio, &s.ada, now_id)
            .await
            .unwrap()
            .read
    );
    assert_eq!(s.lms.unread_notifications(s.ada.id).await.unwrap(), 1);
    assert!(
        !s.lms
            .announcement(&ada_bio, &s.bob, now_id)
            .await
            .unwrap()
            .read
    );
    // The scheduled one is published by the job once its time comes, once.
    assert_eq!(s.lms.publish_due_announcements().await.unwrap(), 0);
    s.clock.advance(Duration::hours(2));
    assert_eq!(s.lms.publish_due_announcements().await.unwrap(), 1);
    assert_eq!(s.lms.publish_due_announcements().await.unwrap(), 0);
    assert!(
        s.lms
            .announcement(&ada_bio, &s.ada, scheduled)
            .await
            .is_ok()
    );
    assert_eq!(s.lms.unread_notifications(s.ada.id).await.unwrap(), 2);
    // Editing after publication marks it edited; students cannot edit or delete.
    let input = AnnouncementInput {
        title: "Welcome!".into(),
        body: "Changed".into(),
        ..AnnouncementInput::default()
    };
    let edited = s
        .lms
        .update_announcement(&s.bio, &s.teacher, now_id, &input, utc())
        .await
        .unwrap();
    assert!(edited.edited_at.is_some());
    assert!(matches!(
        s.lms
            .update_announcement(&ada_bio, &s.ada, now_id, &input, utc())
            .await,
        Err(LmsError::NotFound)
    ));
    assert!(matches!(
        s.lms.delete_announcement(&ada_bio, &s.ada, now_id).await,
        Err(LmsError::NotFound)
    ));
    s.lms
        .delete_announcement(&s.bio, &s.teacher, now_id)
        .await
        .unwrap();
    assert!(matches!(
        s.lms.announcement(&ada_bio, &s.ada, now_id).await,
        Err(LmsError::NotFound)
    ));
}

async fn each_event_notifies_exactly_its_people(b: Backend) {
    let s = school(&b).await;
    s.post("Welcome", "", false).await;
    for who in [&s.ta, &s.ada, &s.bob] {
        assert_eq!(s.kinds_of(who).await, ["announcement"], "{}", who.email);
    }
    assert!(s.kinds_of(&s.teacher).await.is_empty(), "not the author");
    assert!(s.kinds_of(&s.cyd).await.is_empty(), "not another course");
    assert_eq!(
        s.outbox().await,
        [
            ("ada@example.org".into(), "announcement".into()),
            ("bob@example.org".into(), "announcement".into()),
            ("ta@example.org".into(), "announcement".into()),
        ]
    );
    let subject: String = s
        .lms
        .db()
        .query_one("SELECT subject FROM outbox LIMIT 1", &[])
        .await
        .unwrap()
        .get("subject")
        .unwrap();
    assert_eq!(subject, "[Course bio] New announcement: Welcome");

    // A hand-in: the course's staff (teacher and TA), in their digest by default.
    let essay = s.assignment("Essay", 48).await;
    s.hand_in(&s.ada, essay).await;
    assert_eq!(s.kinds_of(&s.teacher).await, ["new_submission"]);
    assert_eq!(s.kinds_of(&s.ta).await, ["announcement", "new_submission"]);
    assert_eq!(s.kinds_of(&s.bob).await, ["announcement"]);
    assert_eq!(
        s.outbox().await.len(),
        3,
        "new submissions go to the digest"
    );

    // A release: only the graded student.
    let item = s.lms.assignment_item(&s.bio, essay).await.unwrap().id;
    s.lms
        .grade(&s.bio, &s.teacher, item, s.ada.id, "15", "good")
        .await
        .unwrap();
    assert_eq!(s.lms.release_grades(&s.bio, item).await.unwrap(), 1);
    assert_eq!(s.kinds_of(&s.ada).await, ["announcement", "grade_released"]);
    assert_eq!(s.kinds_of(&s.bob).await, ["announcement"]);
    assert_eq!(s.lms.release_grades(&s.bio, item).await.unwrap(), 0);
    assert_eq!(s.kinds_of(&s.ada).await, ["announcement", "grade_released"]);

    // Due within a day: only who has not handed in, once however often the job runs.
    let quiz = s.assignment("Quiz", 10).await;
    s.assignment("Far away", 72).await;
    s.hand_in(&s.ada, quiz).await;
    s.lms
        .set_time_zone(s.bob.id, Some("America/New_York"))
        .await
        .unwrap();
    assert_eq!(s.lms.notify_due_soon().await.unwrap(), 1);
    assert_eq!(s.lms.notify_due_soon().await.unwrap(), 0);
    assert_eq!(s.kinds_of(&s.bob).await, ["announcement", "due_soon"]);
    let due = s.lms.notifications(&s.bob, 10).await.unwrap();
    assert_eq!(
        due[0].body, "Due Sun 1 Mar 2026, 14:00 EST. You have not handed it in yet.",
        "in bob's own time (19:00 UTC)"
    );
    assert_eq!(s.kinds_of(&s.ada).await, ["announcement", "grade_released"]);
    assert!(s.kinds_of(&s.cyd).await.is_empty());
    let mailed: Vec<(String, String)> = s.outbox().await;
    assert_eq!(
        mailed,
        [
            ("ada@example.org".into(), "announcement".into()),
            ("ada@example.org".into(), "grade_released".into()),
            ("bob@example.org".into(), "announcement".into()),
            ("bob@example.org".into(), "due_soon".into()),
            ("ta@example.org".into(), "announcement".into()),
        ]
    );
}

async fn preferences_and_digests(b: Backend) {
    let s = school(&b).await;
    s.set(&s.ada, MailKind::Announcement, Mode::Off, true).await;
    s.set(&s.bob, MailKind::Announcement, Mode::Immediate, false)
        .await;
    s.set(&s.ta, MailKind::Announcement, Mode::Digest, true)
        .await;
    let prefs = s.lms.notification_prefs(&s.bob).await.unwrap();
    let bob_ann = prefs
        .iter()
        .find(|p| p.kind == MailKind::Announcement)
        .unwrap();
    assert_eq!((bob_ann.mode, bob_ann.email), (Mode::Immediate, false));
    s.post("Welcome", "", false).await;
    assert!(s.kinds_of(&s.ada).await.is_empty(), "off: nothing at all");
    assert_eq!(s.kinds_of(&s.bob).await, ["announcement"]);
    assert_eq!(s.kinds_of(&s.ta).await, ["announcement"]);
    assert!(
        s.outbox().await.is_empty(),
        "email off and digest: no mail now"
    );

    // 09:00 UTC: the digest of the TA (announcement) and teacher (nothing yet).
    let essay = s.assignment("Essay", 48).await;
    s.hand_in(&s.ada, essay).await; // teacher and TA: new_submission, digest by default
    assert_eq!(s.lms.build_digests().await.unwrap(), 2);
    assert_eq!(s.lms.build_digests().await.unwrap(), 0, "once per day");
    let digests = s.outbox().await;
    assert_eq!(
        digests,
        [
            ("ta@example.org".into(), "digest".into()),
            ("teach@example.org".into(), "digest".into()),
        ]
    );
    let text: String = s
        .lms
        .db()
        .query_one(
            "SELECT body_text FROM outbox WHERE to_address = 'ta@example.org'",
            &[],
        )
        .await
        .unwrap()
        .get("body_text")
        .unwrap();
    assert!(text.contains("New announcement: Welcome"), "{text}");
    assert!(text.contains("New submission"), "{text}");
    // Later the same day: kept for tomorrow's digest.
    s.hand_in(&s.ada, essay).await;
    s.clock.advance(Duration::hours(3));
    assert_eq!(s.lms.build_digests().await.unwrap(), 0);
    // Tomorrow before 07:00: not yet; from 07:00: built, once.
    s.clock.advance(Duration::hours(14)); // 02:00 on the 2nd
    assert_eq!(s.lms.build_digests().await.unwrap(), 0);
    s.clock.advance(Duration::hours(6));
    assert_eq!(s.lms.build_digests().await.unwrap(), 2);
    assert_eq!(s.lms.build_digests().await.unwrap(), 0);
    let days: i64 = s
        .lms
        .db()
        .query_one("SELECT COUNT(*) AS n FROM notification_digests", &[])
        .await
        .unwrap()
        .get("n")
        .unwrap();
    assert_eq!(days, 4);
    // Email of a kind off: its entries leave the digest; the digest kind off: no digest.
    s.set(&s.teacher, MailKind::NewSubmission, Mode::Digest, false)
        .await;
    s.hand_in(&s.ada, essay).await;
    s.clock.advance(Duration::days(1));
    assert_eq!(s.lms.build_digests().await.unwrap(), 1, "the TA's only");
}

/// The fan-out's cost: an announcement to a course of 1,000 students writes 1,000 entries and
/// 1,000 outbox rows in the posting's transaction. Prints the time (docs/benchmarks.md).
async fn an_announcement_to_a_thousand_students(b: Backend) {
    let s = school(&b).await;
    let db = s.lms.db();
    let course_id = s.bio.course().id;
    for chunk in 0..10 {
        let mut conn = db.conn().await.unwrap();
        let mut tx = conn.transaction().await.unwrap();
        for i in 0..100 {
            let n = chunk * 100 + i;
            use paideia::db::Executor;
            let row = tx
                .query_one(
                    "INSERT INTO users (email, display_name, password_hash, role, created_at, updated_at)
                     VALUES ($1, $2, 'x', 'student', $3, $3) RETURNING id",
                    &[
                        format!("s{n}@example.org").into(),
                        format!("Student {n}").into(),
                        paideia::db::Value::Time(t0()),
                    ],
                )
                .await
                .unwrap();
            let id: i64 = row.get("id").unwrap();
            tx.execute(
                "INSERT INTO enrollments (course_id, user_id, role, created_at) VALUES ($1, $2, 'student', $3)",
                &[course_id.into(), id.into(), paideia::db::Value::Time(t0())],
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
    let input = AnnouncementInput {
        title: "To everyone".into(),
        body: "A **long** text.\n\n".repeat(20),
        ..AnnouncementInput::default()
    };
    let started = std::time::Instant::now();
    let (_, out) = s
        .lms
        .post_announcement(&s.bio, &s.teacher, &input, utc())
        .await
        .unwrap();
    let took = started.elapsed();
    eprintln!(
        "fan-out on {:?}: {} notifications and {} mails queued in {:.1} ms",
        b.engine(),
        out.notified,
        out.mailed,
        took.as_secs_f64() * 1000.0
    );
    assert_eq!((out.notified, out.mailed), (1003, 1003));
    let n: i64 = db
        .query_one(
            "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'announcement'",
            &[],
        )
        .await
        .unwrap()
        .get("n")
        .unwrap();
    assert_eq!(n, 1003);
}

/// Everything new is in dumps: a dump restored into the other engine has the same rows.
async fn dumps_keep_announcements_and_notifications(b: Backend) {
    let s = school(&b).await;
    s.set(&s.ta, MailKind::Announcement, Mode::Digest, true)
        .await;
    let id = s.post("Welcome", "", true).await;
    let ada_bio = s.view(&s.ada).await;
    s.lms.open_announcement(&ada_bio, &s.ada, id).await.unwrap();
    assert_eq!(s.lms.build_digests().await.unwrap(), 1);
    const TABLES: [&str; 5] = [
        "announcements",
        "announcement_reads",
        "notifications",
        "notification_prefs",
        "notification_digests",
    ];
    async fn counts(db: &paideia::db::Db) -> Vec<i64> {
        let mut out = Vec::new();
        for t in TABLES {
            let n: i64 = db
                .query_one(&format!("SELECT COUNT(*) AS n FROM {t}"), &[])
                .await
                .unwrap()
                .get("n")
                .unwrap();
            out.push(n);
        }
        out
    }
    let before = counts(s.lms.db()).await;
    assert!(before.iter().all(|n| *n > 0), "{before:?}");
    let path = b.dir.path().join("dump.sql");
    crate::backup::dump_to(s.lms.db(), &path).await;
    let other = Backend::new(match b.engine() {
        paideia::db::Engine::Sqlite => paideia::db::Engine::Postgres,
        paideia::db::Engine::Postgres => paideia::db::Engine::Sqlite,
    })
    .await;
    let restored = other.db().await;
    crate::backup::restore_into(&restored, &path).await.unwrap();
    assert_eq!(counts(&restored).await, before);
}

/// The discussion hook's half: a reply's note to the followers named, per their choices.
async fn replies_reach_the_followers_named(b: Backend) {
    let s = school(&b).await;
    s.set(&s.bob, MailKind::Discussion, Mode::Off, true).await;
    let note = paideia::lms::notifications::reply_note(
        s.bio.course().id,
        "Course bio",
        "Cells",
        "Ada",
        "I think so too",
        "/courses/bio/discussions/1#post-2".into(),
    );
    let mut conn = s.lms.db().conn().await.unwrap();
    let mut tx = conn.transaction().await.unwrap();
    let out = paideia::lms::notifications::fan_out_to(
        &mut tx,
        s.lms.mail_site(),
        t0(),
        &note,
        &[s.teacher.id, s.bob.id],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((out.notified, out.mailed), (1, 1));
    assert_eq!(s.kinds_of(&s.teacher).await, ["discussion"]);
    assert!(s.kinds_of(&s.bob).await.is_empty());
    assert!(s.kinds_of(&s.cyd).await.is_empty());
    assert_eq!(
        s.outbox().await,
        [("teach@example.org".into(), "discussion".into())]
    );
}

/// Over HTTP: the settings form saves each kind's choice and email switch (the email one
/// is the unsubscribe links' opt-out); "mark all read" empties the header's count.
async fn the_pages_save_settings_and_mark_all_read(b: Backend) {
    use crate::support::browser::{Browser, account, start};
    let (server, lms) = start(&b).await;
    let teacher = account(&lms, "teach@example.org", SystemRole::Instructor).await;
    let ada = account(&lms, "ada@example.org", SystemRole::Student).await;
    let input = CourseInput {
        title: "Biology".into(),
        slug: "bio".into(),
        status: "published".into(),
        ..CourseInput::default()
    };
    lms.create_course(&teacher, &input).await.unwrap();
    let bio = lms.course_view(&teacher, "bio").await.unwrap();
    lms.enroll(&bio, "ada@example.org", "student")
        .await
        .unwrap();
    for title in ["One", "Two"] {
        let input = AnnouncementInput {
            title: title.into(),
            body: "Text".into(),
            ..AnnouncementInput::default()
        };
        lms.post_announcement(&bio, &teacher, &input, utc())
            .await
            .unwrap();
    }
    let browser = Browser::signed_in(&server, "ada@example.org").await;
    let (_, home) = browser.get("/").await;
    assert!(home.contains("id=\"unread-count\">2"), "the header's count");
    let (status, page) = browser.get("/account/notifications").await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"new_submission_mode\""));
    let saved = browser
        .post(
            "/account/notifications",
            &[
                ("announcement_mode", "digest"),
                ("discussion_mode", "off"),
                ("grade_released_mode", "immediate"),
                ("due_soon_mode", "immediate"),
                ("new_submission_mode", "off"),
                ("grade_released_email", "true"),
                ("due_soon_email", "true"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let prefs = lms.notification_prefs(&ada).await.unwrap();
    let got: Vec<(String, Mode, bool)> = prefs
        .iter()
        .map(|p| (p.kind.to_string(), p.mode, p.email))
        .collect();
    assert_eq!(
        got,
        [
            ("announcement".to_string(), Mode::Digest, false),
            ("discussion".to_string(), Mode::Off, false),
            ("grade_released".to_string(), Mode::Immediate, true),
            ("due_soon".to_string(), Mode::Immediate, true),
            ("new_submission".to_string(), Mode::Off, false),
        ]
    );
    let (_, list) = browser.get("/notifications").await;
    assert_eq!(list.matches("badge unread").count(), 2, "{list}");
    let done = browser.post("/notifications/read-all", &[]).await;
    assert_eq!(done.status(), 303);
    let (_, list) = browser.get("/notifications").await;
    assert!(!list.contains("badge unread") && !list.contains("unread-count"));
    assert_eq!(lms.unread_notifications(ada.id).await.unwrap(), 0);
}

/// Two instances' jobs at the same moment against one database: each scheduled announcement,
/// due-soon warning and digest happens once.
async fn two_instances_run_the_jobs_at_once(b: Backend) {
    let s = school(&b).await;
    let other = Lms::new(s.lms.db().clone(), s.clock.clone())
        .with_default_zone(utc())
        .with_mail(MailSite::new("https://lms.example.org"));
    let later = form_time(t0() + Duration::hours(1));
    s.post("Scheduled", &later, false).await;
    s.assignment("Quiz", 30).await;
    let essay = s.assignment("Essay", 48).await;
    s.hand_in(&s.ada, essay).await; // teacher and TA: new submission, in their digest
    s.clock.advance(Duration::hours(8)); // 17:00: the quiz is due within a day
    let (a, b2) = tokio::join!(s.lms.run_notification_jobs(), other.run_notification_jobs());
    let (a, b2) = (a.unwrap(), b2.unwrap());
    assert_eq!(a.0 + b2.0, 1, "the announcement is published once");
    assert_eq!(a.1 + b2.1, 2, "ada and bob are warned once each");
    let (a, b2) = tokio::join!(s.lms.build_digests(), other.build_digests());
    assert_eq!(
        a.unwrap() + b2.unwrap(),
        0,
        "the digests were built in the first round"
    );
    let count = |sql: &'static str| {
        let db = s.lms.db().clone();
        async move {
            db.query_one(sql, &[])
                .await
                .unwrap()
                .get::<i64>("n")
                .unwrap()
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM notifications WHERE kind = 'due_soon'").await,
        2
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'digest'").await,
        2,
        "teacher and TA, once each"
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM notifications WHERE kind = 'announcement'").await,
        3
    );
}
