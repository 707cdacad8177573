//! Local time everywhere (issue #15, part 1): deadlines typed in three zones across their DST
//! changes land on the right UTC instant, a time that a spring-forward skips is refused, an
//! autumn time that happens twice is shown with its abbreviation, each person reads times in
//! their own zone, and the late flag follows the stored instant.

use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;

use crate::{
    lms_assignments::{add_assignment, hand_in},
    on_both_engines,
    support::{
        Backend,
        browser::Browser,
        class::{Class, class},
    },
};

on_both_engines!(deadlines_are_typed_and_read_in_each_person_s_zone);

async fn choose_zone(who: &Browser, zone: &str) {
    who.get("/account").await;
    let saved = who.post("/account/time-zone", &[("time_zone", zone)]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER, "{zone}");
}

async fn due_at(c: &Class, id: i64) -> DateTime<Utc> {
    c.lms.assignment(&c.bio, id).await.unwrap().due_at.unwrap()
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

async fn deadlines_are_typed_and_read_in_each_person_s_zone(b: Backend) {
    let c = class(&b, &[]).await;

    // Three zones, each just after its own DST change in spring 2026.
    for (zone, typed, instant) in [
        (
            "America/New_York",
            "2026-03-08T17:00",
            "2026-03-08T21:00:00Z",
        ),
        ("Europe/Berlin", "2026-03-29T17:00", "2026-03-29T15:00:00Z"),
        (
            "Australia/Sydney",
            "2026-04-05T17:00",
            "2026-04-05T07:00:00Z",
        ),
    ] {
        choose_zone(&c.teacher, zone).await;
        let id = add_assignment(&c, &format!("Due in {zone}"), &[("due_at", typed)]).await;
        assert_eq!(due_at(&c, id).await, utc(instant), "{zone} {typed}");
        // The edit form shows the time as typed, in the teacher's zone.
        let (_, form) = c
            .teacher
            .get(&format!("/courses/bio/modules/{id}/edit"))
            .await;
        assert!(
            form.contains(&format!(r#"value="{typed}""#)),
            "{zone}: {form}"
        );
    }

    // 02:30 does not exist in New York on 8 March 2026.
    choose_zone(&c.teacher, "America/New_York").await;
    let root = c.root.to_string();
    c.teacher
        .get(&format!(
            "/courses/bio/modules/new?kind=assignment&section={root}"
        ))
        .await;
    let refused = c
        .teacher
        .post(
            "/courses/bio/modules/assignments",
            &[
                ("section_id", root.as_str()),
                ("title", "Impossible"),
                ("max_points", "10"),
                ("max_file_mib", "1"),
                ("accepts_text", "true"),
                ("due_at", "2026-03-08T02:30"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("does not exist in America/New_York") && page.contains("03:00 EDT"),
        "{page}"
    );

    // 01:30 happens twice on 1 November 2026 in New York: the page says which.
    let twice = add_assignment(&c, "Twice", &[("due_at", "2026-11-01T01:30")]).await;
    assert_eq!(due_at(&c, twice).await, utc("2026-11-01T05:30:00Z"));
    let (_, page) = c
        .teacher
        .get(&format!("/courses/bio/modules/{twice}"))
        .await;
    assert!(page.contains("Sun 1 Nov 2026, 01:30 EDT"), "{page}");

    // The same deadline, read by a student in Berlin: 21:00 UTC is 22:00 CET there.
    let ny = add_assignment(&c, "Read abroad", &[("due_at", "2026-03-08T17:00")]).await;
    choose_zone(&c.student, "Europe/Berlin").await;
    let (_, page) = c.student.get(&format!("/courses/bio/modules/{ny}")).await;
    assert!(page.contains("Sun 8 Mar 2026, 22:00 CET"), "{page}");
    assert!(
        page.contains(r#"datetime="2026-03-08T21:00:00Z""#),
        "{page}"
    );
    let (_, page) = c.teacher.get(&format!("/courses/bio/modules/{ny}")).await;
    assert!(page.contains("Sun 8 Mar 2026, 17:00 EDT"), "{page}");

    // Back to the site's zone (UTC here) when the student clears theirs.
    choose_zone(&c.student, "").await;
    let (_, page) = c.student.get(&format!("/courses/bio/modules/{ny}")).await;
    assert!(page.contains("Sun 8 Mar 2026, 21:00 UTC"), "{page}");
    let bad = c
        .student
        .post("/account/time-zone", &[("time_zone", "Mars/Olympus_Mons")])
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

on_both_engines!(the_late_flag_follows_the_stored_instant);

/// A deadline an hour ahead on the teacher's wall clock in Honolulu (UTC-10) is an hour ahead
/// in fact, so work handed in now is on time; one an hour behind in Tokyo (UTC+9) is late.
/// Read as UTC, each would have come out the other way round.
async fn the_late_flag_follows_the_stored_instant(b: Backend) {
    let c = class(&b, &[]).await;
    let now = Utc::now();
    let wall = |zone: &str, t: DateTime<Utc>| {
        let zone = paideia::lms::Zone::parse(zone).unwrap();
        zone.input_value(t)
    };
    choose_zone(&c.teacher, "Pacific/Honolulu").await;
    let ahead = wall("Pacific/Honolulu", now + Duration::hours(1));
    let on_time = add_assignment(&c, "Honolulu", &[("due_at", &ahead)]).await;
    choose_zone(&c.teacher, "Asia/Tokyo").await;
    let behind = wall("Asia/Tokyo", now - Duration::hours(1));
    let late = add_assignment(&c, "Tokyo", &[("due_at", &behind)]).await;

    let student = c.lms.user_by_email("stu@example.org").await.unwrap();
    let view = c.lms.course_view(&student, "bio").await.unwrap();
    for (id, want_late) in [(on_time, false), (late, true)] {
        let handed = hand_in(&c.student, id, "my answer", &[]).await;
        assert_eq!(handed.status(), StatusCode::SEE_OTHER);
        let mine = c.lms.my_submissions(&view, &student, id).await.unwrap();
        assert_eq!(mine[0].is_late, want_late, "assignment {id}");
    }
}

/// The site's zone comes from PAIDEIA_TIME_ZONE until an administrator chooses one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_zone_comes_from_the_setting_then_the_admin() {
    let b = Backend::sqlite();
    let env = [("PAIDEIA_TIME_ZONE", "Asia/Kolkata".to_string())];
    let c = class(&b, &env).await;
    let id = add_assignment(&c, "Site zone", &[("due_at", "2026-06-01T17:00")]).await;
    assert_eq!(
        due_at(&c, id).await,
        utc("2026-06-01T11:30:00Z"),
        "IST is UTC+5:30"
    );
    let (_, page) = c.student.get(&format!("/courses/bio/modules/{id}")).await;
    assert!(page.contains("Mon 1 Jun 2026, 17:00 IST"), "{page}");

    c.admin.get("/admin/settings").await;
    let saved = c
        .admin
        .post(
            "/admin/settings",
            &[("site_name", "paideia"), ("time_zone", "America/Sao_Paulo")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (_, page) = c.student.get(&format!("/courses/bio/modules/{id}")).await;
    assert!(page.contains("Mon 1 Jun 2026, 08:30 -03"), "{page}");
}
