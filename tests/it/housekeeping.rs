//! Course housekeeping: hidden and scheduled modules (absent for students from the course
//! page, the module's page, the API, downloads, attachments and submissions; shown to staff
//! with a badge; a scheduled one appears at its time on a clock the test moves), the trash
//! (delete asks first, restore brings back what went, purge after 30 days removes rows and
//! hands back the files' keys) and copying a course into a new term.

use std::sync::Arc;

use chrono::{Duration, Utc};
use paideia::{
    db::Db,
    lms::{Lms, ManualClock, modules::PageInput, visibility::VisibilityInput},
};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::{
    api::{Api, token_for},
    lms_assignments::assignment_input,
    lms_modules::{add_file, local_objects},
    on_both_engines,
    support::{
        Backend,
        class::{Class, class},
        run,
    },
};

on_both_engines!(
    hidden_and_scheduled_modules_are_for_staff_only,
    the_trash_restores_and_purges_after_30_days,
    a_copy_moves_dates_and_copies_files_but_no_people,
    visibility_and_the_trash_cross_a_dump_to_the_other_engine
);

pub async fn count(db: &Db, sql: &str) -> i64 {
    db.query_one(&format!("SELECT count(*) AS n FROM {sql}"), &[])
        .await
        .unwrap()
        .get::<i64>("n")
        .unwrap()
}

fn page_input(c: &Class, title: &str) -> PageInput {
    PageInput {
        section_id: c.root.to_string(),
        title: title.into(),
        body: "<p>x</p>".into(),
        body_format: String::new(),
    }
}

fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An LMS on the class's database whose clock the test moves.
async fn lms_at(b: &Backend, start: chrono::DateTime<Utc>) -> (Lms, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(start));
    (Lms::new(b.db().await, clock.clone()), clock)
}

async fn hidden_and_scheduled_modules_are_for_staff_only(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = &c.lms;
    // A hidden file, a page shown from tomorrow, a page shown until yesterday, a hidden
    // assignment, and a page everyone sees.
    add_file(&c, "Answers", "answers.txt", b"42".to_vec()).await;
    let modules = lms.modules(&c.bio).await.unwrap();
    let file = modules.iter().find(|m| m.title == "Answers").unwrap().id;
    let soon = lms
        .add_page(&c.bio, &page_input(&c, "Soon"))
        .await
        .unwrap()
        .id;
    let gone = lms
        .add_page(&c.bio, &page_input(&c, "Gone"))
        .await
        .unwrap()
        .id;
    let open = lms
        .add_page(&c.bio, &page_input(&c, "Open"))
        .await
        .unwrap()
        .id;
    let essay = lms
        .add_assignment(&c.bio, &assignment_input(c.root, "Secret essay"))
        .await
        .unwrap()
        .module
        .id;
    let tomorrow = Utc::now() + Duration::days(1);
    let yesterday = Utc::now() - Duration::days(1);

    // Staff set visibility through the form (times as RFC 3339 here; the browser test types
    // them in the teacher's zone).
    c.teacher.get("/courses/bio").await;
    let (from, until) = (rfc3339(tomorrow), rfc3339(yesterday));
    for (id, fields) in [
        (file, vec![("hidden", "on")]),
        (essay, vec![("hidden", "on")]),
        (soon, vec![("visible_from", from.as_str())]),
        (gone, vec![("visible_until", until.as_str())]),
    ] {
        let (status, page) = c
            .teacher
            .get(&format!("/courses/bio/modules/{id}/visibility"))
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let saved = c
            .teacher
            .post(&format!("/courses/bio/modules/{id}/visibility"), &fields)
            .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    }
    // An end before the start is refused, and what was typed stays.
    let refused = c
        .teacher
        .post(
            &format!("/courses/bio/modules/{open}/visibility"),
            &[
                ("visible_from", "2030-03-01T10:00:00Z"),
                ("visible_until", "2030-03-01T09:00:00Z"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text().await.unwrap();
    assert!(text.contains("the end must come after the start"), "{text}");

    // Students see only the open page, on the course page and the API.
    let (_, course) = c.student.get("/courses/bio").await;
    assert!(course.contains("Open"));
    for title in ["Answers", "Soon", "Gone", "Secret essay"] {
        assert!(!course.contains(title), "a student sees {title}");
    }
    let (_, staff_course) = c.teacher.get("/courses/bio").await;
    for title in ["Answers", "Soon", "Gone", "Secret essay"] {
        assert!(staff_course.contains(title), "staff see {title}");
    }
    assert!(staff_course.contains(">Hidden<"), "{staff_course}");
    assert!(staff_course.contains("Visible from"));
    assert!(staff_course.contains("Hidden since"));
    let student_api = Api::new(
        c.anonymous.url(""),
        Some(token_for(lms, "stu@example.org").await),
    );
    let teacher_api = Api::new(
        c.anonymous.url(""),
        Some(token_for(lms, "teach@example.org").await),
    );
    let listed = student_api
        .send(Method::GET, "/courses/bio/modules", Value::Null)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    let listed = listed.body.to_string();
    assert!(listed.contains("Open") && !listed.contains("Answers") && !listed.contains("Soon"));
    let staff_listed = teacher_api
        .send(Method::GET, "/courses/bio/modules", Value::Null)
        .await
        .body
        .to_string();
    assert!(staff_listed.contains("Answers") && staff_listed.contains("\"hidden\":true"));

    // Every way in answers 404 to the student and works for staff.
    for id in [file, soon, gone, essay] {
        let page = format!("/courses/bio/modules/{id}");
        assert_eq!(
            c.student.get(&page).await.0,
            StatusCode::NOT_FOUND,
            "{page}"
        );
        assert_eq!(c.teacher.get(&page).await.0, StatusCode::OK, "{page}");
        let api = format!("/courses/bio/modules/{id}");
        let answer = student_api.send(Method::GET, &api, Value::Null).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{api}");
    }
    let download = format!("/courses/bio/modules/{file}/download");
    assert_eq!(
        c.student.fetch(&download, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.teacher.fetch(&download, &[]).await.status(),
        StatusCode::OK
    );
    let api_download = format!("/courses/bio/modules/{file}/download");
    assert_eq!(
        student_api.fetch(&api_download, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        teacher_api.fetch(&api_download, &[]).await.status(),
        StatusCode::OK
    );
    let sent = c
        .student
        .post_files(
            &format!("/courses/bio/modules/{essay}/submissions"),
            &[("body_text", "mine")],
            &[],
        )
        .await;
    assert_eq!(
        sent.status(),
        StatusCode::NOT_FOUND,
        "no hand-in to a hidden assignment"
    );
    let (_, grades) = c.student.get("/courses/bio/grades").await;
    assert!(!grades.contains("Secret essay"), "nor its gradebook column");

    // Shown again, the file downloads for the student.
    let shown = c
        .teacher
        .post(&format!("/courses/bio/modules/{file}/visibility"), &[])
        .await;
    assert_eq!(shown.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        c.student.fetch(&download, &[]).await.status(),
        StatusCode::OK
    );

    // A scheduled page appears at its time and goes at its end, on the LMS's clock.
    let start = Utc::now();
    let (timed, clock) = lms_at(&b, start).await;
    let student = timed.user_by_email("stu@example.org").await.unwrap();
    let staff = timed.course_view(&c.teacher_user, "bio").await.unwrap();
    let window = VisibilityInput {
        visible_from: rfc3339(start + Duration::hours(2)),
        visible_until: rfc3339(start + Duration::hours(3)),
        ..VisibilityInput::default()
    };
    timed.set_visibility(&staff, open, &window).await.unwrap();
    let view = timed.course_view(&student, "bio").await.unwrap();
    let student = &student;
    let sees = |lms: Lms| async move {
        let view = lms.course_view(student, "bio").await.unwrap();
        lms.module(&view, open).await.is_ok()
    };
    assert!(timed.module(&view, open).await.is_err());
    clock.advance(Duration::hours(2) - Duration::seconds(1));
    assert!(!sees(timed.clone()).await, "one second early");
    clock.advance(Duration::seconds(1));
    assert!(sees(timed.clone()).await, "at its time");
    clock.advance(Duration::hours(1));
    assert!(!sees(timed.clone()).await, "gone at its end");
    assert!(timed.module(&staff, open).await.is_ok(), "staff always");
}

async fn the_trash_restores_and_purges_after_30_days(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = &c.lms;
    let db = b.db().await;
    // Week 2 holds a lab section with a file and an assignment a student handed in to.
    let week = lms.add_section(&c.bio, "Week 2", None).await.unwrap().id;
    let lab = lms.add_section(&c.bio, "Lab", Some(week)).await.unwrap().id;
    add_file(&c, "Protocol", "protocol.txt", b"steps".to_vec()).await;
    let protocol = lms
        .modules(&c.bio)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.title == "Protocol")
        .unwrap()
        .id;
    db.execute(
        "UPDATE modules SET section_id = $2 WHERE id = $1",
        &[protocol.into(), lab.into()],
    )
    .await
    .unwrap();
    let report = lms
        .add_assignment(&c.bio, &assignment_input(lab, "Lab report"))
        .await
        .unwrap()
        .module
        .id;
    c.student
        .get(&format!("/courses/bio/modules/{report}"))
        .await;
    let sent = c
        .student
        .post_files(
            &format!("/courses/bio/modules/{report}/submissions"),
            &[("body_text", "done")],
            &[("files", "report.txt", b"report".to_vec())],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(local_objects(&b).len(), 2);

    // Deleting asks first, on a page that works without JavaScript.
    let (status, confirm) = c
        .teacher
        .get(&format!("/courses/bio/sections/{week}/delete"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        confirm.contains("Move to the trash")
            && confirm.contains("1 section inside it and 2 modules"),
        "{confirm}"
    );
    let deleted = c
        .teacher
        .post(&format!("/courses/bio/sections/{week}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let (_, course) = c.teacher.get("/courses/bio").await;
    assert!(
        !course.contains("Week 2")
            && !course.contains("Protocol")
            && !course.contains("Lab report")
    );
    for who in [&c.teacher, &c.student] {
        let page = format!("/courses/bio/modules/{report}");
        assert_eq!(who.get(&page).await.0, StatusCode::NOT_FOUND);
    }
    let (_, gradebook) = c.teacher.get("/courses/bio/grades").await;
    assert!(
        !gradebook.contains("Lab report"),
        "a trashed assignment leaves the gradebook"
    );
    let (status, trash) = c.teacher.get("/courses/bio/trash").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        trash.contains("Week 2") && trash.contains("with 2 modules"),
        "{trash}"
    );
    assert!(
        !trash.contains("Lab report"),
        "what went with the section is not listed apart"
    );
    assert_eq!(
        c.student.get("/courses/bio/trash").await.0,
        StatusCode::NOT_FOUND
    );

    // The last top-level section cannot go.
    let refused = c
        .teacher
        .post(&format!("/courses/bio/sections/{}/delete", c.root), &[])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Restoring brings back the section, its lab, the modules and the submission.
    let restored = c
        .teacher
        .post(&format!("/courses/bio/trash/sections/{week}/restore"), &[])
        .await;
    assert_eq!(restored.status(), StatusCode::SEE_OTHER);
    let (_, course) = c.student.get("/courses/bio").await;
    assert!(course.contains("Week 2") && course.contains("Lab") && course.contains("Lab report"));
    assert_eq!(lms.all_submissions(&c.bio, report).await.unwrap().len(), 1);
    let (_, trash) = c.teacher.get("/courses/bio/trash").await;
    assert!(trash.contains("The trash is empty."));

    // A module deleted on its own is restored into its section.
    let page = lms
        .add_page(&c.bio, &page_input(&c, "Loose page"))
        .await
        .unwrap()
        .id;
    let (status, confirm) = c
        .teacher
        .get(&format!("/courses/bio/modules/{page}/delete"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm.contains("Loose page"));
    c.teacher
        .post(&format!("/courses/bio/modules/{page}/delete"), &[])
        .await;
    let (_, trash) = c.teacher.get("/courses/bio/trash").await;
    assert!(trash.contains("Loose page"));
    c.teacher
        .post(&format!("/courses/bio/trash/modules/{page}/restore"), &[])
        .await;
    assert!(lms.module(&c.bio, page).await.is_ok());

    // Trashed again, the section and the page are kept for 30 days, then purged with their
    // submissions, grades and files; the purge hands back the files' keys.
    let start = Utc::now();
    lms.delete_section(&c.bio, week).await.unwrap();
    lms.delete_module(&c.bio, page).await.unwrap();
    let keys: Vec<String> = db
        .query("SELECT storage_key FROM media ORDER BY storage_key", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("storage_key").unwrap())
        .collect();
    assert_eq!(keys.len(), 2);
    let (later, clock) = lms_at(&b, start + Duration::days(29)).await;
    assert_eq!(
        later.purge_expired_trash().await.unwrap().0,
        0,
        "kept for 30 days"
    );
    clock.advance(Duration::days(1) + Duration::minutes(1));
    let (entries, mut purged) = later.purge_expired_trash().await.unwrap();
    purged.sort();
    assert_eq!((entries, purged), (2, keys));
    for table in [
        "modules WHERE deleted_at IS NOT NULL",
        "sections WHERE deleted_at IS NOT NULL",
        "submissions",
        "media",
        "gradebook_items WHERE module_id IS NOT NULL",
    ] {
        assert_eq!(count(&db, table).await, 0, "{table}");
    }
    let (_, trash) = c.teacher.get("/courses/bio/trash").await;
    assert!(trash.contains("The trash is empty."));
}

async fn a_copy_moves_dates_and_copies_files_but_no_people(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = &c.lms;
    let db = b.db().await;
    // bio: a lab section inside the root with a file, an illustrated page, an assignment due
    // on a known date that a student handed in to and got a grade for, and a hidden page.
    let lab = lms
        .add_section(&c.bio, "Lab", Some(c.root))
        .await
        .unwrap()
        .id;
    add_file(&c, "Protocol", "protocol.txt", b"steps".to_vec()).await;
    let root = c.root.to_string();
    c.teacher
        .get(&format!(
            "/courses/bio/modules/new?kind=page&section={root}"
        ))
        .await;
    let added = c
        .teacher
        .post_files(
            "/courses/bio/modules/pages",
            &[
                ("section_id", &root),
                ("title", "Illustrated"),
                ("body", "![x](x.png)"),
                ("body_format", "markdown"),
            ],
            &[("attachments", "x.png", b"png".to_vec())],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let mut input = assignment_input(lab, "Lab report");
    input.due_at = "2026-09-07T12:00:00Z".into();
    input.opens_at = "2026-09-01T08:00:00Z".into();
    let report = lms.add_assignment(&c.bio, &input).await.unwrap().module.id;
    let secret = lms
        .add_page(&c.bio, &page_input(&c, "Secret"))
        .await
        .unwrap()
        .id;
    let hidden = VisibilityInput {
        hidden: Some("on".into()),
        ..VisibilityInput::default()
    };
    lms.set_visibility(&c.bio, secret, &hidden).await.unwrap();
    lms.add_section(&c.bio, "Gone", None).await.unwrap();
    let trashed = lms
        .add_page(&c.bio, &page_input(&c, "Trashed page"))
        .await
        .unwrap()
        .id;
    lms.delete_module(&c.bio, trashed).await.unwrap();
    c.student
        .get(&format!("/courses/bio/modules/{report}"))
        .await;
    let sent = c
        .student
        .post_files(
            &format!("/courses/bio/modules/{report}/submissions"),
            &[("body_text", "done")],
            &[],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let objects_before = local_objects(&b).len();
    assert_eq!(objects_before, 2);

    // The form; a wrong shift is refused with what was typed, copying nothing.
    let (status, form) = c.teacher.get("/courses/bio/copy").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("bio-copy") && form.contains("Course bio (copy)"));
    let refused = c
        .teacher
        .post(
            "/courses/bio/copy",
            &[
                ("title", "Bio 2027"),
                ("slug", "bio-2027"),
                ("shift_days", "a week"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("bio-2027"));
    // A taken address is found after the files were copied: the copies go again.
    let taken = c
        .teacher
        .post(
            "/courses/bio/copy",
            &[
                ("title", "Bio 2027"),
                ("slug", "chem"),
                ("shift_days", "364"),
            ],
        )
        .await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        local_objects(&b).len(),
        objects_before,
        "no copies left behind"
    );
    assert_eq!(c.ta.get("/courses/bio/copy").await.0, StatusCode::NOT_FOUND);

    let copied = c
        .teacher
        .post(
            "/courses/bio/copy",
            &[
                ("title", "Bio 2027"),
                ("slug", "bio-2027"),
                ("shift_days", "364"),
            ],
        )
        .await;
    assert_eq!(copied.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        crate::support::browser::location(&copied),
        "/courses/bio-2027"
    );
    let copy = lms.course_view(&c.teacher_user, "bio-2027").await.unwrap();
    assert_eq!(copy.course().status.as_str(), "draft");
    assert_eq!(copy.access().course.map(|r| r.as_str()), Some("teacher"));
    let people = lms.enrollments(&copy).await.unwrap();
    assert_eq!(people.len(), 1, "only the teacher who copied");

    // The same structure and modules (hidden still hidden, the trash left behind).
    let titles = |v: &Vec<paideia::lms::modules::Module>| {
        let mut t: Vec<String> = v.iter().map(|m| m.title.clone()).collect();
        t.sort();
        t
    };
    let source = lms.modules(&c.bio).await.unwrap();
    let target = lms.modules(&copy).await.unwrap();
    assert_eq!(titles(&source), titles(&target));
    assert!(!titles(&target).contains(&"Trashed page".to_string()));
    let sections: Vec<String> = lms
        .sections(&copy)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.title)
        .collect();
    assert_eq!(sections.len(), 3, "{sections:?}");
    assert!(target.iter().find(|m| m.title == "Secret").unwrap().hidden);

    // Dates moved by 364 days; no submissions or grades.
    let new_report = target.iter().find(|m| m.title == "Lab report").unwrap().id;
    let a = lms.assignment(&copy, new_report).await.unwrap();
    let due = chrono::DateTime::parse_from_rfc3339("2027-09-06T12:00:00Z").unwrap();
    assert_eq!(a.due_at, Some(due.with_timezone(&Utc)));
    assert_eq!(
        lms.all_submissions(&copy, new_report).await.unwrap().len(),
        0
    );
    assert_eq!(lms.gradebook_items(&copy).await.unwrap().len(), 1);
    let copy_id = copy.course().id;
    assert_eq!(
        count(&db, &format!("grades JOIN gradebook_items ON gradebook_items.id = grades.item_id WHERE gradebook_items.course_id = {copy_id}")).await,
        0
    );

    // Files have their own objects; the copy's page shows its own attachment.
    assert_eq!(local_objects(&b).len(), objects_before + 2);
    let keys = |v: &Vec<paideia::lms::modules::Module>| -> Vec<String> {
        v.iter()
            .filter_map(|m| m.media.as_ref().map(|f| f.storage_key.clone()))
            .collect()
    };
    assert_ne!(keys(&source), keys(&target));
    let page = target.iter().find(|m| m.title == "Illustrated").unwrap();
    let picture = lms.attachments(&copy, page.id).await.unwrap().remove(0);
    let path = paideia::lms::attachments::path(picture.id, &picture.file_name);
    assert!(
        page.body_html.as_deref().unwrap().contains(&path),
        "{:?}",
        page.body_html
    );
    assert_eq!(c.teacher.fetch(&path, &[]).await.status(), StatusCode::OK);

    // Deleting the source's file for good leaves the copy's file whole.
    let protocol = source.iter().find(|m| m.title == "Protocol").unwrap().id;
    lms.delete_module(&c.bio, protocol).await.unwrap();
    c.teacher.get("/courses/bio").await;
    let purged = c
        .teacher
        .post(&format!("/courses/bio/trash/modules/{protocol}/purge"), &[])
        .await;
    assert_eq!(purged.status(), StatusCode::SEE_OTHER);
    let new_protocol = target.iter().find(|m| m.title == "Protocol").unwrap().id;
    let download = c
        .teacher
        .fetch(
            &format!("/courses/bio-2027/modules/{new_protocol}/download"),
            &[],
        )
        .await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.unwrap().as_ref(), b"steps");
}

async fn visibility_and_the_trash_cross_a_dump_to_the_other_engine(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = &c.lms;
    let secret = lms
        .add_page(&c.bio, &page_input(&c, "Secret"))
        .await
        .unwrap()
        .id;
    let until = Utc::now() + Duration::days(3);
    let window = VisibilityInput {
        hidden: Some("on".into()),
        visible_until: rfc3339(until),
        ..VisibilityInput::default()
    };
    lms.set_visibility(&c.bio, secret, &window).await.unwrap();
    let week = lms.add_section(&c.bio, "Week 9", None).await.unwrap().id;
    lms.add_page(
        &c.bio,
        &PageInput {
            section_id: week.to_string(),
            ..page_input(&c, "In week 9")
        },
    )
    .await
    .unwrap();
    lms.delete_section(&c.bio, week).await.unwrap();

    let dump = b.dir.path().join("site.dump");
    let (code, _, err) = run(b.paideia().args(["dump", "--output"]).arg(&dump));
    assert_eq!(code, 0, "{err}");
    let other = match b.engine() {
        paideia::db::Engine::Sqlite => paideia::db::Engine::Postgres,
        paideia::db::Engine::Postgres => paideia::db::Engine::Sqlite,
    };
    let target = Backend::new(other).await;
    let (code, _, err) = run(target.paideia().arg("restore").arg(&dump));
    assert_eq!(code, 0, "{err}");
    let restored = Lms::new(target.db().await, Arc::new(paideia::lms::SystemClock));
    let teacher = restored.user_by_email("teach@example.org").await.unwrap();
    let view = restored.course_view(&teacher, "bio").await.unwrap();
    let m = restored.module(&view, secret).await.unwrap();
    assert!(m.hidden);
    assert_eq!(
        m.visible_until.map(|t| t.timestamp()),
        Some(until.timestamp())
    );
    let trash = restored.trash(&view).await.unwrap();
    assert_eq!(trash.len(), 1);
    assert_eq!((trash[0].title.as_str(), trash[0].modules), ("Week 9", 1));
    restored.restore_section(&view, week).await.unwrap();
    assert!(
        restored
            .modules(&view)
            .await
            .unwrap()
            .iter()
            .any(|m| m.title == "In week 9")
    );
}
