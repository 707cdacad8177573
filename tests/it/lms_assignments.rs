//! Assignments: the deadline rule with a clock the test moves (domain level, through `Lms`
//! with a `ManualClock`: the server always uses the system clock, so the HTTP tests set
//! deadlines relative to the real time instead), then handing in over HTTP (late flag, cut-off,
//! opening time, file types and sizes, attempts), privacy between students, grading and
//! releasing.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use paideia::{
    lms::{
        CourseInput, Lms, LmsError, ManualClock, SystemRole,
        assignments::{Assignment, AssignmentInput},
        courses::CourseView,
    },
    migrate::{Migrator, UpOptions},
};
use reqwest::StatusCode;

use crate::{
    on_both_engines,
    support::{
        Backend,
        browser::{account, location},
        class::{Class, class},
    },
};

on_both_engines!(
    the_deadline_rule_with_a_controlled_clock,
    handing_in_over_http,
    grading_and_releasing
);

pub fn assignment_input(section: i64, title: &str) -> AssignmentInput {
    AssignmentInput {
        section_id: section.to_string(),
        title: title.into(),
        instructions: "<p>Write about cells.</p>".into(),
        max_points: "20".into(),
        max_file_mib: "1".into(),
        accepts_text: Some("true".into()),
        accepts_files: Some("true".into()),
        ..AssignmentInput::default()
    }
}

pub fn form_time(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

fn refusal(result: Result<impl std::fmt::Debug, LmsError>) -> String {
    match result {
        Err(LmsError::Invalid(errors)) => errors.get("submission").unwrap_or_default().to_string(),
        other => panic!("not refused: {other:?}"),
    }
}

async fn the_deadline_rule_with_a_controlled_clock(b: Backend) {
    let db = b.db().await;
    Migrator::embedded(&db)
        .up(UpOptions::default())
        .await
        .unwrap();
    let start = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let clock = Arc::new(ManualClock::new(start));
    let lms = Lms::new(db, clock.clone());
    let teacher = account(&lms, "teach@example.org", SystemRole::Instructor).await;
    let ada = account(&lms, "ada@example.org", SystemRole::Student).await;
    let bob = account(&lms, "bob@example.org", SystemRole::Student).await;
    let input = CourseInput {
        title: "Bio".into(),
        slug: "bio".into(),
        status: "published".into(),
        ..CourseInput::default()
    };
    lms.create_course(&teacher, &input).await.unwrap();
    let staff = lms.course_view(&teacher, "bio").await.unwrap();
    lms.enroll(&staff, "ada@example.org", "student")
        .await
        .unwrap();
    lms.enroll(&staff, "bob@example.org", "student")
        .await
        .unwrap();
    let root = lms.sections(&staff).await.unwrap()[0].id;
    let input = AssignmentInput {
        opens_at: form_time(start + Duration::hours(1)),
        due_at: form_time(start + Duration::hours(3)),
        cutoff_at: form_time(start + Duration::hours(5)),
        max_attempts: "3".into(),
        ..assignment_input(root, "Essay")
    };
    let a: Assignment = lms.add_assignment(&staff, &input).await.unwrap();
    let id = a.module.id;
    let view: CourseView = lms.course_view(&ada, "bio").await.unwrap();

    let early = lms.submit(&view, &ada, id, "too early", &[]).await;
    assert_eq!(
        refusal(early),
        "this assignment is not open for submissions yet"
    );

    clock.advance(Duration::hours(1)); // exactly at the opening time
    let first = lms.submit(&view, &ada, id, "on time", &[]).await.unwrap();
    assert_eq!(
        (first.attempt, first.is_late, first.submitted_at),
        (1, false, start + Duration::hours(1))
    );

    clock.advance(Duration::hours(2)); // exactly at the due time: still on time
    let second = lms
        .submit(&view, &ada, id, "at the due time", &[])
        .await
        .unwrap();
    assert_eq!((second.attempt, second.is_late), (2, false));

    clock.advance(Duration::seconds(1));
    let third = lms.submit(&view, &ada, id, "late", &[]).await.unwrap();
    assert_eq!((third.attempt, third.is_late), (3, true));
    let fourth = lms.submit(&view, &ada, id, "one too many", &[]).await;
    assert_eq!(refusal(fourth), "you have used all 3 attempt(s)");

    let bob_view = lms.course_view(&bob, "bio").await.unwrap();
    clock.advance(Duration::hours(2) - Duration::seconds(1)); // exactly at the cut-off
    let at_cutoff = lms
        .submit(&bob_view, &bob, id, "just in", &[])
        .await
        .unwrap();
    assert!(at_cutoff.is_late);
    clock.advance(Duration::seconds(1));
    let closed = lms.submit(&bob_view, &bob, id, "too late", &[]).await;
    assert_eq!(
        refusal(closed),
        "the cut-off date has passed; submissions are closed"
    );

    let mine = lms.my_submissions(&bob_view, &bob, id).await.unwrap();
    assert_eq!(mine.len(), 1, "bob sees only his own attempt");
    assert!(mine.iter().all(|s| s.student_id == bob.id));
    assert!(matches!(
        lms.all_submissions(&bob_view, id).await,
        Err(LmsError::NotFound)
    ));
    assert_eq!(lms.all_submissions(&staff, id).await.unwrap().len(), 4);
    assert!(matches!(
        lms.submit(&staff, &teacher, id, "teachers do not hand in", &[])
            .await,
        Err(LmsError::NotFound)
    ));
}

/// Adds an assignment through the teacher's form; returns its module id.
pub async fn add_assignment(c: &Class, title: &str, fields: &[(&str, &str)]) -> i64 {
    let root = c.root.to_string();
    c.teacher
        .get(&format!(
            "/courses/bio/modules/new?kind=assignment&section={root}"
        ))
        .await;
    let mut form = vec![
        ("section_id", root.as_str()),
        ("title", title),
        ("instructions", "<p>Show your work.</p>"),
        ("max_points", "20"),
        ("max_file_mib", "1"),
        ("allowed_file_types", "pdf, txt"),
        ("accepts_text", "true"),
        ("accepts_files", "true"),
    ];
    form.extend_from_slice(fields);
    let added = c
        .teacher
        .post("/courses/bio/modules/assignments", &form)
        .await;
    assert_eq!(
        added.status(),
        StatusCode::SEE_OTHER,
        "{}",
        added.text().await.unwrap()
    );
    location(&added)
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

pub async fn hand_in(
    who: &crate::support::browser::Browser,
    id: i64,
    text: &str,
    files: &[(&str, &str, Vec<u8>)],
) -> reqwest::Response {
    let page = format!("/courses/bio/modules/{id}");
    who.get(&page).await;
    who.post_files(
        &format!("{page}/submissions"),
        &[("body_text", text)],
        files,
    )
    .await
}

fn objects(b: &Backend) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .map(|e| e.unwrap().path())
                .map(|p| if p.is_dir() { count(&p) } else { 1 })
                .sum()
        })
    }
    count(&b.data_dir().join("files"))
}

async fn handing_in_over_http(b: Backend) {
    let c = class(&b, &[]).await;
    let now = Utc::now();
    let (past, future) = (
        form_time(now - Duration::hours(2)),
        form_time(now + Duration::days(2)),
    );
    let late_one =
        add_assignment(&c, "Late one", &[("due_at", &past), ("cutoff_at", &future)]).await;
    let closed = add_assignment(
        &c,
        "Closed",
        &[
            ("due_at", &past),
            ("cutoff_at", &form_time(now - Duration::hours(1))),
        ],
    )
    .await;
    let not_open = add_assignment(&c, "Not open", &[("opens_at", &future)]).await;

    // The form refuses a cut-off before the due date and keeps what was typed.
    c.teacher
        .get("/courses/bio/modules/new?kind=assignment")
        .await;
    let refused = c
        .teacher
        .post(
            "/courses/bio/modules/assignments",
            &[
                ("section_id", &c.root.to_string()),
                ("title", "Kept"),
                ("max_points", "20"),
                ("accepts_text", "true"),
                ("due_at", &future),
                ("cutoff_at", &past),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("the cut-off date must come after the due date")
            && body.contains(r#"value="Kept""#)
    );

    let (_, page) = c
        .student
        .get(&format!("/courses/bio/modules/{late_one}"))
        .await;
    assert!(page.contains("marked late"), "{page}");
    let pdf = b"%PDF-1.4 essay".to_vec();
    let sent = hand_in(
        &c.student,
        late_one,
        "My essay text",
        &[("files", "essay.pdf", pdf.clone())],
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let view = c.lms.course_view(&c.teacher_user, "bio").await.unwrap();
    let all = c.lms.all_submissions(&view, late_one).await.unwrap();
    assert_eq!(all.len(), 1);
    let s = &all[0];
    assert!(s.is_late, "late by the server's clock");
    assert_eq!(
        (s.attempt, s.body_text.as_deref()),
        (1, Some("My essay text"))
    );
    assert_eq!(s.files.len(), 1);
    assert_eq!(objects(&b), 1);

    // Wrong type and too large: refused, the text kept, nothing stored.
    let wrong = hand_in(
        &c.student,
        late_one,
        "second try",
        &[("files", "virus.exe", b"MZ".to_vec())],
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = wrong.text().await.unwrap();
    assert!(
        body.contains("virus.exe: only pdf, txt files are accepted") && body.contains("second try"),
        "{body}"
    );
    let big = hand_in(
        &c.student,
        late_one,
        "third try",
        &[("files", "big.pdf", vec![b'x'; 1024 * 1024 + 1])],
    )
    .await;
    assert_eq!(big.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        big.text()
            .await
            .unwrap()
            .contains("big.pdf is larger than the limit of 1 MiB")
    );
    let mixed = hand_in(
        &c.student,
        late_one,
        "fourth",
        &[
            ("files", "ok.txt", b"fine".to_vec()),
            ("files", "big.pdf", vec![b'x'; 1024 * 1024 + 1]),
        ],
    )
    .await;
    assert_eq!(mixed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(objects(&b), 1, "refused attempts store nothing");
    assert_eq!(
        c.lms.all_submissions(&view, late_one).await.unwrap().len(),
        1
    );

    for (id, message) in [
        (
            closed,
            "the cut-off date has passed; submissions are closed",
        ),
        (not_open, "this assignment is not open for submissions yet"),
    ] {
        let refused = hand_in(&c.student, id, "please", &[]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains(message));
    }

    // Editing the assignment (its opening time removed) opens it; other fields are kept.
    let edit = format!("/courses/bio/modules/{not_open}/edit");
    let (_, form) = c.teacher.get(&edit).await;
    assert!(
        form.contains(r#"value="pdf, txt""#) && form.contains(&future),
        "{form}"
    );
    let saved = c
        .teacher
        .post(
            &edit,
            &[
                ("section_id", c.root.to_string().as_str()),
                ("title", "Now open"),
                ("instructions", "<p>Go.</p>"),
                ("max_points", "20"),
                ("max_file_mib", "1"),
                ("allowed_file_types", "pdf, txt"),
                ("accepts_text", "true"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let edited = c.lms.assignment(&view, not_open).await.unwrap();
    assert_eq!(
        (
            edited.opens_at,
            edited.accepts_files,
            edited.module.title.as_str()
        ),
        (None, false, "Now open")
    );
    assert_eq!(
        c.lms.assignment_item(&view, not_open).await.unwrap().title,
        "Now open"
    );
    let opened = hand_in(&c.student, not_open, "now it opens", &[]).await;
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    let files_refused = hand_in(
        &c.student,
        not_open,
        "with a file",
        &[("files", "a.txt", b"x".to_vec())],
    )
    .await;
    assert_eq!(files_refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        files_refused
            .text()
            .await
            .unwrap()
            .contains("this assignment takes text only")
    );
    assert_eq!(objects(&b), 1, "the refused file was removed");

    // Only the student and the staff reach the file; another student does not see the work.
    let file = format!("/courses/bio/submissions/{}/files/{}", s.id, s.files[0].id);
    let own = c.student.fetch(&file, &[]).await;
    assert_eq!(own.status(), StatusCode::OK);
    assert_eq!(own.headers()["content-type"], "application/pdf");
    assert_eq!(own.bytes().await.unwrap(), pdf.as_slice());
    assert_eq!(c.teacher.fetch(&file, &[]).await.status(), StatusCode::OK);
    assert_eq!(c.ta.fetch(&file, &[]).await.status(), StatusCode::OK);
    assert_eq!(
        c.student2.fetch(&file, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.other.fetch(&file, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    let wrong_course = format!("/courses/chem/submissions/{}/files/{}", s.id, s.files[0].id);
    assert_eq!(
        c.admin.fetch(&wrong_course, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    let (_, theirs) = c
        .student2
        .get(&format!("/courses/bio/modules/{late_one}"))
        .await;
    assert!(!theirs.contains("My essay text") && theirs.contains("Nothing handed in yet"));
    assert_eq!(
        c.student2
            .get(&format!("/courses/bio/modules/{late_one}/submissions"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

async fn grading_and_releasing(b: Backend) {
    let c = class(&b, &[]).await;
    let id = add_assignment(&c, "Essay", &[]).await;
    hand_in(&c.student, id, "Cells are small.", &[]).await;
    let view = c.lms.course_view(&c.teacher_user, "bio").await.unwrap();
    let item = c.lms.assignment_item(&view, id).await.unwrap();
    let stu = c
        .lms
        .students(&view)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "stu@example.org")
        .unwrap();

    let submissions = format!("/courses/bio/modules/{id}/submissions");
    let (status, list) = c.ta.get(&submissions).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Cells are small.") && list.contains("stu2@example.org"));

    let grade = format!("/courses/bio/grades/items/{}/students/{}", item.id, stu.id);
    let too_many =
        c.ta.post(
            &grade,
            &[
                ("points", "25"),
                ("feedback", "Kept feedback"),
                ("back", &submissions),
            ],
        )
        .await;
    assert_eq!(too_many.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = too_many.text().await.unwrap();
    assert!(
        body.contains("enter points from 0 to 20")
            && body.contains("Kept feedback")
            && body.contains(r#"value="25""#)
    );
    c.ta.get(&submissions).await;
    let graded =
        c.ta.post(
            &grade,
            &[
                ("points", "17.5"),
                ("feedback", "Clear and short."),
                ("back", &submissions),
            ],
        )
        .await;
    assert_eq!(graded.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&graded), submissions);

    let page = format!("/courses/bio/modules/{id}");
    let (_, before) = c.student.get(&page).await;
    assert!(
        before.contains("Not graded yet, or not released") && !before.contains("Clear and short.")
    );
    let (_, grades) = c.student.get("/courses/bio/grades").await;
    assert!(!grades.contains("17.5") && grades.contains("not released"));

    c.teacher.get(&submissions).await;
    let released = c
        .teacher
        .post(
            &format!("/courses/bio/grades/items/{}/release", item.id),
            &[("back", &submissions)],
        )
        .await;
    assert_eq!(released.status(), StatusCode::SEE_OTHER);
    let (_, after) = c.student.get(&page).await;
    assert!(
        after.contains("17.5 / 20") && after.contains("Clear and short."),
        "{after}"
    );
    let (_, grades) = c.student.get("/courses/bio/grades").await;
    assert!(
        grades.contains("17.5 / 20") && grades.contains("87.50%"),
        "{grades}"
    );
    let (_, other) = c.student2.get(&page).await;
    assert!(!other.contains("17.5") && !other.contains("Clear and short."));
    let (_, other_grades) = c.student2.get("/courses/bio/grades").await;
    assert!(!other_grades.contains("17.5") && !other_grades.contains("stu@example.org"));
}
