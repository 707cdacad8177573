//! Grading a class at once (issue 15): the grading table of an assignment with every student,
//! their latest attempt, late/missing/released markers, and one submit that saves every row or,
//! when a row is wrong, nothing (each row's problem on its row, everything typed kept).

use chrono::{Duration, Utc};
use paideia::{
    db::Value,
    lms::{SystemRole, gradebook::Grade},
};
use reqwest::StatusCode;

use crate::{
    lms_assignments::{add_assignment, form_time, hand_in},
    on_both_engines,
    support::{
        Backend,
        browser::{Browser, account, location},
        class::{Class, class},
    },
};

on_both_engines!(
    thirty_students_in_one_submit,
    a_bad_row_saves_nothing_and_keeps_everything,
    late_missing_and_released_markers,
    every_submission_as_one_zip,
    feedback_files_after_release,
    a_rubric_gives_the_points,
    many_grades_over_the_api
);

/// Every student's id in the course, by name.
async fn student_ids(c: &Class) -> Vec<i64> {
    c.lms
        .students(&c.bio)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect()
}

/// Each student's grade on the assignment's item, by student id.
async fn grades(c: &Class, module: i64) -> Vec<(i64, Option<Grade>)> {
    let report = c.lms.gradebook(&c.bio).await.unwrap();
    let column = report.assignment_column(module).unwrap();
    report
        .lines
        .iter()
        .map(|l| (l.student.id, l.grades[column].clone()))
        .collect()
}

async fn save(who: &Browser, module: i64, fields: &[(String, String)]) -> reqwest::Response {
    who.get(&format!("/courses/bio/modules/{module}/submissions"))
        .await;
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    who.post_files(
        &format!("/courses/bio/modules/{module}/grades"),
        &fields,
        &[],
    )
    .await
}

async fn thirty_students_in_one_submit(b: Backend) {
    let c = class(&b, &[]).await;
    for n in 0..28 {
        let email = format!("pupil{n:02}@example.org");
        account(&c.lms, &email, SystemRole::Student).await;
        c.lms.enroll(&c.bio, &email, "student").await.unwrap();
    }
    let id = add_assignment(&c, "Essay", &[]).await;
    let students = student_ids(&c).await;
    assert_eq!(students.len(), 30);

    let sheet = format!("/courses/bio/modules/{id}/submissions");
    let (status, page) = c.teacher.get(&sheet).await;
    assert_eq!(status, StatusCode::OK);
    // One form; Tab runs down the points column, then the feedback column.
    assert_eq!(
        page.matches("<form").count(),
        3,
        "sign-out, release, grades"
    );
    let first = students[0];
    let last = students[29];
    assert!(page.contains(&format!(
        r#"id="points-{first}" name="points-{first}" value="" tabindex="1""#
    )));
    assert!(page.contains(&format!(r#"name="points-{last}" value="" tabindex="30""#)));
    assert!(page.contains(&format!(
        r#"id="feedback-{first}" name="feedback-{first}" rows="2" tabindex="31""#
    )));

    let mut fields = Vec::new();
    for (i, student) in students.iter().enumerate() {
        fields.push((format!("points-{student}"), format!("{}", i % 21)));
        fields.push((format!("feedback-{student}"), format!("Note {i}")));
    }
    let saved = save(&c.ta, id, &fields).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), sheet);
    let (_, page) = c.ta.get(&sheet).await;
    assert!(page.contains("30 grade(s) saved."), "{page}");
    for (i, (student, grade)) in grades(&c, id).await.into_iter().enumerate() {
        let grade = grade.unwrap_or_else(|| panic!("student {student} has no grade"));
        assert_eq!(grade.points, Some((i % 21) as f64));
        assert_eq!(grade.feedback, format!("Note {i}"));
        assert!(grade.released_at.is_none());
    }
    // Saving the same table again changes nothing.
    let again = save(&c.ta, id, &fields).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let (_, page) = c.ta.get(&sheet).await;
    assert!(page.contains("0 grade(s) saved."));
}

async fn a_bad_row_saves_nothing_and_keeps_everything(b: Backend) {
    let c = class(&b, &[]).await;
    let id = add_assignment(&c, "Essay", &[]).await;
    let [stu, stu2] = student_ids(&c).await[..] else {
        panic!("two students")
    };
    let fields = vec![
        (format!("points-{stu}"), "12".to_string()),
        (format!("feedback-{stu}"), "Kept feedback".to_string()),
        (format!("points-{stu2}"), "25".to_string()),
        (format!("feedback-{stu2}"), "Too generous".to_string()),
    ];
    let refused = save(&c.teacher, id, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("Nothing was saved: 1 row(s) need a fix"),
        "{body}"
    );
    // The error sits on its row, next to the field, and the field points to it.
    let row = body
        .split("<tr")
        .find(|r| r.contains(&format!(r#"name="points-{stu2}""#)))
        .unwrap();
    assert!(row.contains("invalid") && row.contains("enter points from 0 to 20"));
    assert!(row.contains(&format!(
        r#"aria-describedby="student-{stu2} points-{stu2}-error""#
    )));
    assert!(row.contains(r#"value="25""#) && row.contains("Too generous"));
    let good = body
        .split("<tr")
        .find(|r| r.contains(&format!(r#"name="points-{stu}""#)))
        .unwrap();
    assert!(!good.contains("enter points") && good.contains(r#"value="12""#));
    assert!(good.contains("Kept feedback"));
    assert!(grades(&c, id).await.iter().all(|(_, g)| g.is_none()));

    // Someone not in the course cannot be graded through the table.
    let outsider = c.lms.user_by_email("other@example.org").await.unwrap().id;
    let stranger = save(
        &c.teacher,
        id,
        &[(format!("points-{outsider}"), "3".to_string())],
    )
    .await;
    assert_eq!(stranger.status(), StatusCode::NOT_FOUND);

    let mut fixed = fields.clone();
    fixed[2].1 = "19.5".into();
    let saved = save(&c.teacher, id, &fixed).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let saved: Vec<Option<f64>> = grades(&c, id)
        .await
        .iter()
        .map(|(_, g)| g.as_ref().and_then(|g| g.points))
        .collect();
    assert_eq!(saved, [Some(12.0), Some(19.5)]);
}

async fn late_missing_and_released_markers(b: Backend) {
    let c = class(&b, &[]).await;
    let now = Utc::now();
    let id = add_assignment(
        &c,
        "Essay",
        &[
            ("due_at", &form_time(now - Duration::hours(2))),
            ("cutoff_at", &form_time(now + Duration::days(1))),
        ],
    )
    .await;
    let sent = hand_in(&c.student, id, "Late but here", &[]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let sheet = format!("/courses/bio/modules/{id}/submissions");
    let (_, page) = c.teacher.get(&sheet).await;
    assert!(page.contains("Late but here") && page.contains(">late<"));
    assert!(!page.contains(">missing<"), "the cut-off is still ahead");

    // After the cut-off, the student who handed in nothing is missing.
    c.lms
        .db()
        .execute(
            "UPDATE assignments SET cutoff_at = $1 WHERE module_id = $2",
            &[Value::Time(now - Duration::minutes(1)), id.into()],
        )
        .await
        .unwrap();
    let [stu, stu2] = student_ids(&c).await[..] else {
        panic!("two students")
    };
    let (_, page) = c.teacher.get(&sheet).await;
    let row_of = |page: &str, student: i64| {
        page.split("<tr")
            .find(|r| r.contains(&format!(r#"name="points-{student}""#)))
            .unwrap()
            .to_string()
    };
    assert!(row_of(&page, stu2).contains(">missing<"));
    assert!(!row_of(&page, stu).contains(">missing<"));
    assert!(row_of(&page, stu).contains(">not graded<"));

    let saved = save(
        &c.teacher,
        id,
        &[
            (format!("points-{stu}"), "15".into()),
            (format!("points-{stu2}"), "0".into()),
        ],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (_, page) = c.teacher.get(&sheet).await;
    assert!(row_of(&page, stu).contains(">not released<"));
    let item = c.lms.assignment_item(&c.bio, id).await.unwrap();
    c.teacher
        .post(
            &format!("/courses/bio/grades/items/{}/release", item.id),
            &[("back", &sheet)],
        )
        .await;
    let (_, page) = c.teacher.get(&sheet).await;
    assert!(row_of(&page, stu).contains(">released<"));
    assert!(row_of(&page, stu2).contains(">released<"));
    let (_, mine) = c.student.get(&format!("/courses/bio/modules/{id}")).await;
    assert!(mine.contains("15 / 20"));
}

/// Every entry of a zip: (name, bytes), in order. (`mem` is deprecated for `read1`, which
/// is not released yet in 0.0.19's API; it reads the same central directory.)
#[allow(deprecated)]
pub async fn unzip(bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    let zip = async_zip::base::read::mem::ZipFileReader::new(bytes)
        .await
        .unwrap();
    let mut out = Vec::new();
    for i in 0..zip.file().entries().len() {
        let mut reader = zip.reader_with_entry(i).await.unwrap();
        let name = reader.entry().filename().as_str().unwrap().to_string();
        let mut data = Vec::new();
        reader.read_to_end_checked(&mut data).await.unwrap();
        out.push((name, data));
    }
    out
}

async fn every_submission_as_one_zip(b: Backend) {
    let c = class(&b, &[]).await;
    let id = add_assignment(&c, "Essay one", &[]).await;
    let pdf = b"%PDF-1.4 first".to_vec();
    hand_in(
        &c.student,
        id,
        "",
        &[("files", "my essay.pdf", pdf.clone())],
    )
    .await;
    hand_in(
        &c.student,
        id,
        "Second try",
        &[("files", "../notes.txt", b"notes".to_vec())],
    )
    .await;
    hand_in(
        &c.student2,
        id,
        "",
        &[("files", "my essay.pdf", b"other".to_vec())],
    )
    .await;

    let path = format!("/courses/bio/modules/{id}/submissions.zip");
    let (_, sheet) = c
        .teacher
        .get(&format!("/courses/bio/modules/{id}/submissions"))
        .await;
    assert!(sheet.contains(&format!(r#"href="{path}""#)));
    let response = c.ta.fetch(&path, &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with(r#"attachment; filename="bio-Essay-one-submissions.zip""#));
    let entries = unzip(response.bytes().await.unwrap().to_vec()).await;
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "stu_1_my-essay.pdf",
            "stu_2_answer.txt",
            "stu_2_notes.txt",
            "stu2_1_my-essay.pdf"
        ]
    );
    assert_eq!(entries[0].1, pdf);
    assert_eq!(entries[1].1, b"Second try");
    assert_eq!(entries[2].1, b"notes");
    assert_eq!(entries[3].1, b"other");

    for who in [&c.student, &c.student2, &c.other, &c.anonymous] {
        let status = who.fetch(&path, &[]).await.status();
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::SEE_OTHER,
            "{status}"
        );
    }
}

async fn feedback_files_after_release(b: Backend) {
    let c = class(&b, &[]).await;
    let id = add_assignment(&c, "Essay", &[]).await;
    hand_in(&c.student, id, "My essay", &[]).await;
    let [stu, stu2] = student_ids(&c).await[..] else {
        panic!("two students")
    };
    let sheet = format!("/courses/bio/modules/{id}/submissions");
    let grades_path = format!("/courses/bio/modules/{id}/grades");
    let marked = b"%PDF-1.4 marked up".to_vec();
    let (points, points2, file_field) = (
        format!("points-{stu}"),
        format!("points-{stu2}"),
        format!("feedback_file-{stu}"),
    );

    // A bad row elsewhere: nothing is saved, the file is not kept.
    c.teacher.get(&sheet).await;
    let refused = c
        .teacher
        .post_files(
            &grades_path,
            &[(&points, "14"), (&points2, "99")],
            &[(&file_field, "marked.pdf", marked.clone())],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(body.contains("choose them again"));
    let none = c.lms.grading_sheet(&c.bio, id).await.unwrap();
    assert!(none.rows.iter().all(|r| r.feedback_files.is_empty()));

    let saved = c
        .teacher
        .post_files(
            &grades_path,
            &[(&points, "14"), (&points2, "")],
            &[(&file_field, "marked.pdf", marked.clone())],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let graded = c.lms.grading_sheet(&c.bio, id).await.unwrap();
    let row = graded.rows.iter().find(|r| r.student.id == stu).unwrap();
    assert_eq!(row.feedback_files.len(), 1);
    let item = graded.item.id;
    let file = format!(
        "/courses/bio/grades/items/{item}/files/{}",
        row.feedback_files[0].id
    );
    let (_, page) = c.teacher.get(&sheet).await;
    assert!(page.contains(&file) && page.contains("marked.pdf"));

    // Before release the student neither sees nor reaches it.
    let assignment = format!("/courses/bio/modules/{id}");
    let (_, before) = c.student.get(&assignment).await;
    assert!(!before.contains("marked.pdf"));
    assert_eq!(
        c.student.fetch(&file, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(c.ta.fetch(&file, &[]).await.status(), StatusCode::OK);

    c.lms.release_grades(&c.bio, item).await.unwrap();
    let (_, after) = c.student.get(&assignment).await;
    assert!(
        after.contains("Feedback files") && after.contains(&file),
        "{after}"
    );
    let got = c.student.fetch(&file, &[]).await;
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.bytes().await.unwrap(), marked.as_slice());
    for who in [&c.student2, &c.other] {
        assert_eq!(who.fetch(&file, &[]).await.status(), StatusCode::NOT_FOUND);
    }
}

async fn a_rubric_gives_the_points(b: Backend) {
    let c = class(&b, &[]).await;
    let id = add_assignment(&c, "Essay", &[]).await;
    let [stu, stu2] = student_ids(&c).await[..] else {
        panic!("two students")
    };
    let editor = format!("/courses/bio/modules/{id}/rubric");
    let (status, _) = c.teacher.get(&editor).await;
    assert_eq!(status, StatusCode::OK);
    let refused = c
        .teacher
        .post(&editor, &[("rubric", "Argument | Weak")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(body.contains("line 1: write a criterion") && body.contains("Argument | Weak"));
    c.teacher.get(&editor).await;
    let too_much = c
        .teacher
        .post(
            &editor,
            &[("rubric", "A | Weak 0 | Strong 15\nB | No 0 | Yes 10")],
        )
        .await;
    assert_eq!(too_much.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_much
            .text()
            .await
            .unwrap()
            .contains("add up to 25, more than the assignment's 20")
    );
    c.teacher.get(&editor).await;
    let text = "Argument | Weak 0 | Fair 5 | Strong 10\nSources | None 0 | Some 5 | Many 10";
    let saved = c.teacher.post(&editor, &[("rubric", text)]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let rubric = c.lms.rubric(&c.bio, id).await.unwrap();
    assert_eq!(rubric.text(), text.replace("\\n", "\n"));
    let (argument, sources) = (&rubric.criteria[0], &rubric.criteria[1]);
    let level = |c: &paideia::lms::rubrics::Criterion, title: &str| {
        c.levels
            .iter()
            .find(|l| l.title == title)
            .unwrap()
            .id
            .to_string()
    };

    let sheet = format!("/courses/bio/modules/{id}/submissions");
    let (_, page) = c.teacher.get(&sheet).await;
    assert!(page.contains(&format!(r#"name="level-{stu}-{}""#, argument.id)));
    let field = |student: i64, criterion: i64| format!("level-{student}-{criterion}");
    let partial = vec![
        (format!("points-{stu}"), String::new()),
        (field(stu, argument.id), level(argument, "Fair")),
        (field(stu, sources.id), level(sources, "Many")),
        (format!("points-{stu2}"), String::new()),
        (field(stu2, argument.id), level(argument, "Strong")),
        (field(stu2, sources.id), String::new()),
    ];
    let refused = save(&c.teacher, id, &partial).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(body.contains("choose a level for every criterion"));
    assert!(grades(&c, id).await.iter().all(|(_, g)| g.is_none()));

    let mut fixed = partial.clone();
    fixed[4].1 = String::new();
    let saved = save(&c.teacher, id, &fixed).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let points: Vec<Option<f64>> = grades(&c, id)
        .await
        .iter()
        .map(|(_, g)| g.as_ref().and_then(|g| g.points))
        .collect();
    assert_eq!(
        points,
        [Some(15.0), None],
        "the sum of Fair (5) and Many (10)"
    );

    let assignment = format!("/courses/bio/modules/{id}");
    let (_, before) = c.student.get(&assignment).await;
    assert!(!before.contains("Fair (5)</strong> ✓"));
    let item = c.lms.assignment_item(&c.bio, id).await.unwrap();
    c.lms.release_grades(&c.bio, item.id).await.unwrap();
    let (_, after) = c.student.get(&assignment).await;
    assert!(
        after.contains("15 / 20")
            && after.contains("Fair (5)</strong> ✓")
            && after.contains("Many (10)</strong> ✓"),
        "{after}"
    );
    assert!(!after.contains("Strong (10)</strong> ✓"));
}

async fn many_grades_over_the_api(b: Backend) {
    let c = class(&b, &[]).await;
    let id = add_assignment(&c, "Essay", &[]).await;
    let [stu, stu2] = student_ids(&c).await[..] else {
        panic!("two students")
    };
    let api = crate::api::Api::new(
        c.anonymous.url(""),
        Some(crate::api::token_for(&c.lms, "ta@example.org").await),
    );
    let path = format!("/courses/bio/assignments/{id}/grades");
    let refused = api
        .send(
            reqwest::Method::PUT,
            &path,
            serde_json::json!({"rows": [
                {"student_id": stu, "points": 12, "feedback": "good"},
                {"student_id": stu2, "points": 30},
            ]}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.to_string().contains(&format!(
            "student {stu2}: points: enter points from 0 to 20"
        )),
        "{}",
        refused.body
    );
    assert!(grades(&c, id).await.iter().all(|(_, g)| g.is_none()));
    let saved = api
        .send(
            reqwest::Method::PUT,
            &path,
            serde_json::json!({"rows": [
                {"student_id": stu, "points": 12, "feedback": "good"},
                {"student_id": stu2, "points": 19.5},
            ]}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK);
    assert_eq!(saved.body["changed"], 2);
    let points: Vec<Option<f64>> = grades(&c, id)
        .await
        .iter()
        .map(|(_, g)| g.as_ref().and_then(|g| g.points))
        .collect();
    assert_eq!(points, [Some(12.0), Some(19.5)]);
}
