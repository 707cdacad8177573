//! Quizzes in the week (issue 17): the essay grading table (every waiting essay in one form,
//! saved all or nothing, a refused save keeping every typed value with each error by its
//! field, the gradebook following), the teacher's "to grade", the student's to-do (a quiz to
//! take, an attempt running with its end in the reader's zone, gone once submitted), the
//! calendar page and iCalendar feed with quizzes' openings and closes (an accommodation's
//! close for its student), and nobody seeing another student's entries.

use chrono::{Duration, SubsecRound, Utc};
use paideia::lms::{
    User, Zone,
    courses::CourseView,
    quizzes::{
        Body, Question, Response,
        questions::Essay,
        quiz::{OverrideInput, QuizInput},
    },
};
use reqwest::StatusCode;

use crate::{
    calendar_feed::{make_feed, parse_ics, read_feed},
    on_both_engines,
    quizzes::{add_to_bank, answer, sample_quiz, student},
    support::{
        Backend,
        browser::location,
        class::{Class, class},
    },
};

on_both_engines!(
    the_essay_table_saves_all_or_nothing_and_the_gradebook_follows,
    quizzes_in_the_todo_and_the_calendar,
);

/// A quiz of the three sample questions (1 mark each) and an essay worth 2; returns its id.
async fn essay_quiz(c: &Class) -> i64 {
    let quiz = sample_quiz(c, &c.lms, |q| q.review_marks = "immediately".into()).await;
    let essay = Question::new("Sky", "Why is the sky blue?", Body::Essay(Essay::default()));
    let id = add_to_bank(c, "Essays", &[essay]).await[0];
    c.lms
        .add_quiz_question(&c.bio, quiz, id, "2")
        .await
        .unwrap();
    quiz
}

/// `who` answers every sample question right, writes `text` for the essay and submits;
/// returns the attempt's id and the essay's slot.
async fn take_with_essay(
    c: &Class,
    who: &User,
    view: &CourseView,
    quiz: i64,
    text: &str,
) -> (i64, i64) {
    let lms = &c.lms;
    let a = lms.start_attempt(view, who, quiz, "").await.unwrap();
    let v = lms.attempt_view(view, who, a.id).await.unwrap();
    let mut slot = 0;
    let answers: Vec<(i64, Response)> = v
        .questions
        .iter()
        .map(|q| {
            if q.name == "Sky" {
                slot = q.slot;
                (q.slot, Response::Text(text.into()))
            } else {
                (q.slot, answer(q, true))
            }
        })
        .collect();
    lms.save_answers(view, who, a.id, None, &answers)
        .await
        .unwrap();
    lms.submit_attempt(view, who, a.id).await.unwrap();
    (a.id, slot)
}

async fn staff_grade(c: &Class, who: &User, quiz: i64) -> Option<f64> {
    let report = c.lms.gradebook(&c.bio).await.unwrap();
    let column = report.assignment_column(quiz).unwrap();
    let line = report
        .lines
        .iter()
        .find(|l| l.student.id == who.id)
        .unwrap();
    line.grades[column].as_ref().and_then(|g| g.points)
}

async fn the_essay_table_saves_all_or_nothing_and_the_gradebook_follows(b: Backend) {
    let c = class(&b, &[]).await;
    let quiz = essay_quiz(&c).await;
    let (stu, view) = student(&c.lms, "stu@example.org").await;
    let (stu2, view2) = student(&c.lms, "stu2@example.org").await;
    let (a1, s1) =
        take_with_essay(&c, &stu, &view, quiz, "Rayleigh scattering & <b>dust</b>.").await;
    let (a2, s2) = take_with_essay(&c, &stu2, &view2, quiz, "Because the sea reflects it.").await;
    assert_eq!(
        staff_grade(&c, &stu, quiz).await,
        None,
        "waiting for the essay"
    );

    // The quiz page, the results page and the teacher's home lead to the table.
    let table = format!("/courses/bio/quizzes/{quiz}/grading");
    for page in [
        format!("/courses/bio/quizzes/{quiz}"),
        format!("/courses/bio/quizzes/{quiz}/results"),
    ] {
        let (_, html) = c.teacher.get(&page).await;
        assert!(html.contains(&format!(r#"href="{table}""#)), "{page}");
        assert!(html.contains("2 attempts wait"), "{page}: {html}");
    }
    let (_, home) = c.teacher.get("/").await;
    assert!(home.contains(&format!(r#"href="{table}""#)), "{home}");
    assert!(
        home.contains("<strong>2</strong> quiz attempts with essays to grade"),
        "{home}"
    );
    let (_, student_home) = c.student.get("/").await;
    assert!(!student_home.contains("essays to grade"));

    // The table: both essays as written (escaped), a mark field out of 2 each.
    let (status, html) = c.teacher.get(&table).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Rayleigh scattering &amp; &lt;b&gt;dust&lt;/b&gt;."),
        "{html}"
    );
    assert!(html.contains("Because the sea reflects it."));
    assert!(html.contains(&format!(r#"name="mark-{a1}-{s1}""#)));
    assert!(html.contains(&format!(r#"name="mark-{a2}-{s2}""#)));
    assert!(html.contains("Waiting for a mark (2)") && html.contains("Already marked (0)"));

    // One bad mark: nothing saved, every value typed kept, the error by its field.
    let (m1, c1, m2, c2) = (
        format!("mark-{a1}-{s1}"),
        format!("comment-{a1}-{s1}"),
        format!("mark-{a2}-{s2}"),
        format!("comment-{a2}-{s2}"),
    );
    let refused = c
        .teacher
        .post(
            &table,
            &[
                (&m1, "1.5"),
                (&c1, "Good start"),
                (&m2, "2.5"),
                (&c2, "Not quite"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Nothing was saved: 1 answer(s) need a fix"),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"id="{m2}-error">enter a mark from 0 to 2<"#)),
        "{html}"
    );
    assert!(html.contains(&format!(r##"href="#{m2}""##)));
    assert!(html.contains(r#"value="1.5""#) && html.contains(r#"value="2.5""#));
    assert!(html.contains(">Good start</textarea>") && html.contains(">Not quite</textarea>"));
    let sheet = c.lms.essay_sheet(&c.bio, quiz).await.unwrap();
    assert_eq!(sheet.waiting_count(), 2, "nothing saved");
    assert_eq!(staff_grade(&c, &stu, quiz).await, None);

    // An essay of another quiz (or none) is not this table's.
    let stray = c.teacher.post(&table, &[("mark-999999-1", "1")]).await;
    assert_eq!(stray.status(), StatusCode::NOT_FOUND);

    // Fixed: both saved at once; marks recounted and the gradebook follows.
    let saved = c
        .teacher
        .post(
            &table,
            &[
                (&m1, "1.5"),
                (&c1, "Good start"),
                (&m2, "2"),
                (&c2, "Not quite"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), table);
    let (_, html) = c.teacher.get(&table).await;
    assert!(html.contains("2 mark(s) saved."), "{html}");
    assert!(html.contains("Waiting for a mark (0)") && html.contains("Already marked (2)"));
    // 3 + 1.5 of 5 marks and 3 + 2 of 5, out of 10 points.
    assert_eq!(staff_grade(&c, &stu, quiz).await, Some(9.0));
    assert_eq!(staff_grade(&c, &stu2, quiz).await, Some(10.0));
    let mine = c.lms.attempt_view(&view, &stu, a1).await.unwrap();
    assert!(!mine.attempt.needs_grading);
    assert_eq!(mine.marks.map(|m| m.to_string()).as_deref(), Some("4.5"));
    // The comment is the grader's feedback (students see it as the review options allow).
    let staff_view = c
        .lms
        .attempt_view(&c.bio, &c.teacher_user, a1)
        .await
        .unwrap();
    let essay = staff_view.questions.iter().find(|q| q.slot == s1).unwrap();
    assert!(essay.feedback.iter().any(|f| f.contains("Good start")));
    let (_, home) = c.teacher.get("/").await;
    assert!(!home.contains("essays to grade"), "none waits now");

    // A given mark is not taken away by an empty field; an unchanged save changes nothing.
    let (_, _) = c.teacher.get(&table).await;
    let cleared = c
        .teacher
        .post(&table, &[(&m1, ""), (&c1, "Good start")])
        .await;
    assert_eq!(cleared.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let same = c
        .teacher
        .post(&table, &[(&m1, "1.5"), (&c1, "Good start")])
        .await;
    assert_eq!(same.status(), StatusCode::SEE_OTHER);
    let (_, html) = c.teacher.get(&table).await;
    assert!(html.contains("0 mark(s) saved."));

    // Students and the other course's student find nothing; a student cannot post marks.
    for who in [&c.student, &c.other] {
        assert_eq!(who.get(&table).await.0, StatusCode::NOT_FOUND);
    }
    c.student.get(&format!("/courses/bio/quizzes/{quiz}")).await;
    let forged = c.student.post(&table, &[(&m1, "2")]).await;
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
    assert_eq!(staff_grade(&c, &stu, quiz).await, Some(9.0));
}

/// A quiz of the sample questions in `bio` titled `title`, changed by `settings`.
async fn titled_quiz(c: &Class, title: &str, settings: impl FnOnce(&mut QuizInput)) -> i64 {
    sample_quiz(c, &c.lms, |q| {
        q.title = title.into();
        settings(q)
    })
    .await
}

async fn quizzes_in_the_todo_and_the_calendar(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = &c.lms;
    let now = Utc::now().trunc_subsecs(0);
    let close = now + Duration::days(3);
    let soon = titled_quiz(&c, "Soon quiz", |q| {
        q.closes_at = close.to_rfc3339();
        q.time_limit_minutes = "30".into();
    })
    .await;
    titled_quiz(&c, "Later quiz", |q| {
        q.closes_at = (now + Duration::days(30)).to_rfc3339();
    })
    .await;
    let (stu, view) = student(lms, "stu@example.org").await;
    let (stu2, _) = student(lms, "stu2@example.org").await;
    lms.set_time_zone(stu.id, Some("America/New_York"))
        .await
        .unwrap();
    let ny = Zone::parse("America/New_York").unwrap();
    // stu2 has until a day later.
    let own_close = close + Duration::days(1);
    let over = OverrideInput {
        zone: Zone::parse("UTC").unwrap(),
        student_id: stu2.id.to_string(),
        closes_at: own_close.to_rfc3339(),
        ..OverrideInput::default()
    };
    lms.set_quiz_override(&c.bio, soon, &over).await.unwrap();

    // To take: the quiz closing within the horizon, not the later one.
    let (_, home) = c.student.get("/").await;
    let quizzes = section(&home, "quizzes-due");
    assert!(
        quizzes.contains("Soon quiz") && quizzes.contains("closes in 3 days"),
        "{home}"
    );
    assert!(quizzes.contains(&format!(r#"href="/courses/bio/quizzes/{soon}""#)));
    assert!(!home.contains("Later quiz"));
    let (_, other_home) = c.other.get("/").await;
    assert!(!other_home.contains("Soon quiz"), "not their course");
    let (_, teacher_home) = c.teacher.get("/").await;
    assert!(
        !teacher_home.contains("quizzes-due"),
        "staff take no quizzes"
    );

    // Taking it: in progress, ending at the attempt's end in the reader's zone.
    let a = lms.start_attempt(&view, &stu, soon, "").await.unwrap();
    let end = a.ends_at.unwrap();
    let (_, home) = c.student.get("/").await;
    let quizzes = section(&home, "quizzes-due");
    assert!(quizzes.contains("In progress"), "{quizzes}");
    assert!(
        quizzes.contains(&format!(
            r#"datetime="{}">{}</time>"#,
            end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ny.show_time(end)
        )),
        "ends HH:MM in New York time: {quizzes}"
    );
    assert!(quizzes.contains(&format!(r#"href="/courses/bio/attempts/{}""#, a.id)));
    // A classmate sees the quiz still to take, never stu's attempt.
    let (_, home2) = c.student2.get("/").await;
    let theirs = section(&home2, "quizzes-due");
    assert!(
        theirs.contains("Soon quiz") && !theirs.contains("In progress"),
        "{theirs}"
    );
    assert!(!home2.contains(&format!("/attempts/{}", a.id)));

    // Submitted: gone from stu's to-do, still on stu2's.
    lms.submit_attempt(&view, &stu, a.id).await.unwrap();
    let (_, home) = c.student.get("/").await;
    assert!(!home.contains("Soon quiz"), "{home}");
    let (_, home2) = c.student2.get("/").await;
    assert!(home2.contains("Soon quiz"));

    // The calendar: the close in the reader's zone; stu2's own close on theirs.
    let stamp = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let month = paideia::lms::agenda::Month::of(ny, close).key();
    let (_, cal) = c
        .student
        .get(&format!("/calendar?month={month}&view=agenda"))
        .await;
    assert!(cal.contains("Soon quiz"), "{cal}");
    assert!(
        cal.contains(&format!(
            r#"datetime="{}">{}"#,
            stamp(close),
            ny.show_time(close)
        )),
        "{cal}"
    );
    assert!(cal.contains(r#"class="kind closes""#));
    let zone2 = lms.zone_of(&stu2).await.unwrap();
    let month2 = paideia::lms::agenda::Month::of(zone2, own_close).key();
    let (_, cal2) = c
        .student2
        .get(&format!("/calendar?month={month2}&view=agenda"))
        .await;
    assert!(
        cal2.contains(&format!(r#"datetime="{}""#, stamp(own_close))),
        "{cal2}"
    );
    assert!(
        !cal2.contains(&format!(r#"datetime="{}""#, stamp(close))),
        "their own close only"
    );
    let (_, other_cal) = c
        .other
        .get(&format!("/calendar?month={month}&view=agenda"))
        .await;
    assert!(!other_cal.contains("Soon quiz"));

    // The feed: one event at the close, its summary and link.
    let url = make_feed(&c.student).await;
    let (status, text) = read_feed(&url).await;
    assert_eq!(status, StatusCode::OK);
    let feed = parse_ics(&text);
    let events = feed["events"].as_array().unwrap();
    let closes: Vec<_> = events
        .iter()
        .filter(|e| {
            e["uid"]
                .as_str()
                .unwrap()
                .starts_with(&format!("closes-{soon}@"))
        })
        .collect();
    assert_eq!(closes.len(), 1, "{feed}");
    assert_eq!(closes[0]["start"], stamp(close));
    assert_eq!(closes[0]["summary"], "Closes: Soon quiz (Course bio)");
    assert!(
        closes[0]["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/courses/bio/modules/{soon}"))
    );
    let url2 = make_feed(&c.student2).await;
    let feed2 = parse_ics(&read_feed(&url2).await.1);
    let starts: Vec<&str> = feed2["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["uid"]
                .as_str()
                .unwrap()
                .starts_with(&format!("closes-{soon}@"))
        })
        .map(|e| e["start"].as_str().unwrap())
        .collect();
    assert_eq!(starts, [stamp(own_close)]);
    let url3 = make_feed(&c.other).await;
    assert!(!read_feed(&url3).await.1.contains("Soon quiz"));
}

/// The `<ul id=ID>` list of a page (empty when absent).
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let Some(start) = html.find(&format!(r#"id="{id}""#)) else {
        return "";
    };
    let end = start + html[start..].find("</ul>").unwrap_or(html.len() - start);
    &html[start..end]
}
