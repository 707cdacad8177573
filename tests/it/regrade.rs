//! Regrading after a question changes (issue 17): a multiple-choice question whose right
//! answer is changed after three students submitted (and one has an attempt running): the
//! question's page offers the regrade, the preview (page and API) shows what changes, a stale
//! confirmation is refused, applying changes the marks and the gradebook, a running attempt
//! keeps saving, and a second apply changes nothing; an edit that changes the number of
//! choices is listed as "cannot be regraded" and changes nothing; essay marks given by hand
//! survive a regrade of the essay and of another question; a student saving while the
//! question is edited and regraded again and again ends with every answer marked by the
//! version its slot holds.

use paideia::lms::{
    Lms, SystemRole, User,
    courses::CourseView,
    quizzes::{
        Body, Fixed, Question, Response, bank,
        questions::{Choice, Essay, MultiScoring, MultipleChoice, TrueFalse},
        quiz::QuizInput,
    },
};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::{
    api::{Api, token_for},
    on_both_engines,
    support::{
        Backend,
        browser::{account, location},
        class::{Class, class},
    },
};

on_both_engines!(
    a_changed_right_answer_regrades_marks_and_the_gradebook,
    an_incompatible_edit_is_listed_and_not_applied,
    marks_given_by_hand_survive,
    saves_during_regrades_stay_marked_by_their_version,
);

fn ocean(right: &str, extra: Option<&str>) -> Question {
    let mut names = vec!["Atlantic", "Pacific", "Indian"];
    names.extend(extra);
    Question::new(
        "Ocean",
        "Which is the largest ocean?",
        Body::MultipleChoice(MultipleChoice {
            choices: names
                .into_iter()
                .map(|n| Choice {
                    text: n.into(),
                    fraction: if n == right { Fixed::ONE } else { Fixed::ZERO },
                    feedback: String::new(),
                })
                .collect(),
            multiple: false,
            scoring: MultiScoring::Sum,
            shuffle: true,
        }),
    )
}

fn boiling() -> Question {
    Question::new(
        "Boiling",
        "Water boils at 100 °C at sea level.",
        Body::TrueFalse(TrueFalse {
            correct: true,
            feedback_true: String::new(),
            feedback_false: String::new(),
        }),
    )
}

fn essay(text: &str) -> Question {
    Question::new("Sky", text, Body::Essay(Essay::default()))
}

/// A quiz (marks shown at once, 10 points) with `questions` added to the bank, one mark each;
/// the quiz and the questions' ids.
async fn quiz_with(c: &Class, questions: &[Question]) -> (i64, Vec<i64>) {
    let lms = &c.lms;
    let mut input = QuizInput::new_in(&c.root.to_string());
    input.title = "Geography check".into();
    input.review_marks = "immediately".into();
    input.zone = paideia::lms::Zone::parse("UTC").unwrap();
    let quiz = lms.add_quiz(&c.bio, &input).await.unwrap().module.id;
    let mut conn = lms.db().conn().await.unwrap();
    let now = chrono::Utc::now();
    let course = c.bio.course().id;
    let category = bank::ensure_category_path(&mut conn, course, &["Regrade".into()], now)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for q in questions {
        let v = bank::add_question(&mut conn, course, category, q, Some(c.teacher_user.id), now)
            .await
            .unwrap();
        lms.add_quiz_question(&c.bio, quiz, v.question_id, "")
            .await
            .unwrap();
        ids.push(v.question_id);
    }
    (quiz, ids)
}

async fn student(lms: &Lms, email: &str) -> (User, CourseView) {
    let u = lms.user_by_email(email).await.unwrap();
    let view = lms.course_view(&u, "bio").await.unwrap();
    (u, view)
}

/// Starts an attempt and saves one answer per question name; submits when `submit`.
async fn attempt(
    lms: &Lms,
    who: &(User, CourseView),
    quiz: i64,
    answers: &[(&str, &str)],
    submit: bool,
) -> i64 {
    let (u, view) = who;
    let a = lms.start_attempt(view, u, quiz, "").await.unwrap();
    let v = lms.attempt_view(view, u, a.id).await.unwrap();
    let mut saved = Vec::new();
    for (name, value) in answers {
        let q = v.questions.iter().find(|q| q.name == *name).unwrap();
        let response = match q.kind {
            "multiple choice" => {
                let c = q.choices.iter().find(|c| c.html.contains(value)).unwrap();
                Response::Choices(vec![c.index])
            }
            "true/false" => Response::Bool(*value == "true"),
            _ => Response::Text((*value).into()),
        };
        saved.push((q.slot, response));
    }
    lms.save_answers(view, u, a.id, None, &saved).await.unwrap();
    if submit {
        lms.submit_attempt(view, u, a.id).await.unwrap();
    }
    a.id
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

/// The attempt's total marks as stored.
async fn marks(c: &Class, attempt: i64) -> Option<String> {
    let row = c
        .lms
        .db()
        .query_one(
            "SELECT marks FROM quiz_attempts WHERE id = $1",
            &[attempt.into()],
        )
        .await
        .unwrap();
    row.get("marks").unwrap()
}

/// (version number, mark) of question `name` in attempt `attempt`.
async fn slot_of(c: &Class, attempt: i64, name: &str) -> (i32, Option<String>) {
    let qs = c.lms.attempt_questions(attempt).await.unwrap();
    let q = qs.iter().find(|q| q.question.name == name).unwrap();
    let v = bank::load_version(&mut c.lms.db().conn().await.unwrap(), q.version_id)
        .await
        .unwrap();
    (v.version, q.mark.map(|m| m.to_string()))
}

async fn a_changed_right_answer_regrades_marks_and_the_gradebook(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = c.lms.clone();
    account(&lms, "stu3@example.org", SystemRole::Student).await;
    lms.enroll(&c.bio, "stu3@example.org", "student")
        .await
        .unwrap();
    // The key said Atlantic; the right answer is Pacific.
    let (quiz, ids) = quiz_with(&c, &[ocean("Atlantic", None), boiling()]).await;
    let ocean_id = ids[0];
    let stu = student(&lms, "stu@example.org").await;
    let stu2 = student(&lms, "stu2@example.org").await;
    let stu3 = student(&lms, "stu3@example.org").await;
    let a1 = attempt(
        &lms,
        &stu,
        quiz,
        &[("Ocean", "Pacific"), ("Boiling", "true")],
        true,
    )
    .await;
    let a2 = attempt(
        &lms,
        &stu2,
        quiz,
        &[("Ocean", "Atlantic"), ("Boiling", "true")],
        true,
    )
    .await;
    let a3 = attempt(
        &lms,
        &stu3,
        quiz,
        &[("Ocean", "Pacific"), ("Boiling", "false")],
        true,
    )
    .await;
    // stu2 has a second attempt running, with the Ocean answered.
    let running = attempt(&lms, &stu2, quiz, &[("Ocean", "Pacific")], false).await;
    assert_eq!(staff_grade(&c, &stu.0, quiz).await, Some(5.0));
    assert_eq!(staff_grade(&c, &stu2.0, quiz).await, Some(10.0));
    assert_eq!(staff_grade(&c, &stu3.0, quiz).await, Some(0.0));

    let question = format!("/courses/bio/bank/questions/{ocean_id}");
    let (_, before) = c.teacher.get(&question).await;
    assert!(!before.contains("/regrade"), "no regrade before an edit");
    lms.edit_bank_question(&c.bio, &c.teacher_user, ocean_id, &ocean("Pacific", None))
        .await
        .unwrap();

    // The question's page offers it; the page shows what changes.
    let (status, page) = c.teacher.get(&question).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Regrade 4 attempts…"), "{page}");
    let (status, page) = c.teacher.get(&format!("{question}/regrade")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("What changes (4 attempts)"), "{page}");
    for name in ["stu2", "stu3"] {
        assert!(page.contains(name), "{name} in {page}");
    }
    assert!(page.contains("0 / 1 → <strong>1 / 1</strong>"), "{page}");
    assert!(page.contains("1 / 2 → <strong>2 / 2</strong>"), "{page}");
    assert!(page.contains("in progress"), "{page}");

    // The API's preview says the same; nothing was written.
    let api = Api::new(
        c.anonymous.url(""),
        Some(token_for(&lms, "teach@example.org").await),
    );
    let preview = api
        .get(&format!("/courses/bio/bank/questions/{ocean_id}/regrade"))
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{:?}", preview.body);
    assert_eq!(preview.body["version"], 2);
    assert_eq!(preview.body["changes"].as_array().unwrap().len(), 4);
    assert_eq!(preview.body["unchanged"], 0);
    let row = preview.body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["attempt_id"] == a2)
        .unwrap();
    assert_eq!(
        (row["old_mark"].clone(), row["new_mark"].clone()),
        (json!(1.0), json!(0.0))
    );
    assert_eq!(
        (row["old_total"].clone(), row["new_total"].clone()),
        (json!(2.0), json!(1.0))
    );
    assert_eq!(slot_of(&c, a1, "Ocean").await, (1, Some("0".into())));

    // A confirmation of another version is refused, with the preview again.
    let stale = c
        .teacher
        .post(&format!("{question}/regrade"), &[("version", "1")])
        .await;
    assert_eq!(stale.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.text().await.unwrap().contains("edited again"));
    assert_eq!(marks(&c, a1).await.as_deref(), Some("1"));

    // Applying: marks, totals and the gradebook follow; the running attempt moves too.
    let done = c
        .teacher
        .post(&format!("{question}/regrade"), &[("version", "2")])
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), question);
    let (_, after) = c.teacher.get(&question).await;
    assert!(after.contains("4 attempts regraded."), "{after}");
    assert!(!after.contains("/regrade\""), "nothing left to regrade");
    assert_eq!(marks(&c, a1).await.as_deref(), Some("2"));
    assert_eq!(marks(&c, a2).await.as_deref(), Some("1"));
    assert_eq!(marks(&c, a3).await.as_deref(), Some("1"));
    assert_eq!(slot_of(&c, a1, "Ocean").await, (2, Some("1".into())));
    assert_eq!(slot_of(&c, running, "Ocean").await, (2, Some("1".into())));
    assert_eq!(staff_grade(&c, &stu.0, quiz).await, Some(10.0));
    assert_eq!(staff_grade(&c, &stu2.0, quiz).await, Some(5.0));
    assert_eq!(staff_grade(&c, &stu3.0, quiz).await, Some(5.0));
    // The student sees the new mark.
    let mine = lms.attempt_view(&stu.1, &stu.0, a1).await.unwrap();
    assert_eq!(mine.marks.map(|m| m.to_string()).as_deref(), Some("2"));

    // The running attempt keeps saving (against its new version) and submits.
    let (u2, v2) = &stu2;
    let view = lms.attempt_view(v2, u2, running).await.unwrap();
    let tf = view.questions.iter().find(|q| q.name == "Boiling").unwrap();
    lms.save_answers(v2, u2, running, None, &[(tf.slot, Response::Bool(true))])
        .await
        .unwrap();
    lms.submit_attempt(v2, u2, running).await.unwrap();
    assert_eq!(marks(&c, running).await.as_deref(), Some("2"));

    // A second apply finds nothing and changes nothing.
    let again = api
        .send(
            Method::POST,
            &format!("/courses/bio/bank/questions/{ocean_id}/regrade"),
            json!({"apply": true}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    assert_eq!(
        again.body,
        json!({"regraded": 0, "changed": 0, "incompatible": 0})
    );
    assert_eq!(marks(&c, a1).await.as_deref(), Some("2"));
    assert_eq!(staff_grade(&c, &stu.0, quiz).await, Some(10.0));
    let empty = api
        .get(&format!("/courses/bio/bank/questions/{ocean_id}/regrade"))
        .await;
    assert_eq!(empty.body["changes"], json!([]));
    // Without `apply`, nothing is done.
    let no = api
        .send(
            Method::POST,
            &format!("/courses/bio/bank/questions/{ocean_id}/regrade"),
            json!({}),
        )
        .await;
    assert_eq!(no.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Students and another course's student do not find it.
    for who in [&c.student, &c.other, &c.anonymous] {
        let (status, _) = who.get(&format!("{question}/regrade")).await;
        assert_ne!(status, StatusCode::OK);
    }
}

async fn an_incompatible_edit_is_listed_and_not_applied(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = c.lms.clone();
    let (quiz, ids) = quiz_with(&c, &[ocean("Atlantic", None), boiling()]).await;
    let stu = student(&lms, "stu@example.org").await;
    let stu2 = student(&lms, "stu2@example.org").await;
    let a1 = attempt(
        &lms,
        &stu,
        quiz,
        &[("Ocean", "Pacific"), ("Boiling", "true")],
        true,
    )
    .await;
    let a2 = attempt(
        &lms,
        &stu2,
        quiz,
        &[("Ocean", "Atlantic"), ("Boiling", "true")],
        true,
    )
    .await;
    // A fourth choice: the stored choice indices may no longer mean the same.
    lms.edit_bank_question(
        &c.bio,
        &c.teacher_user,
        ids[0],
        &ocean("Pacific", Some("Arctic")),
    )
    .await
    .unwrap();
    let question = format!("/courses/bio/bank/questions/{}", ids[0]);
    let (_, page) = c.teacher.get(&question).await;
    assert!(page.contains("2 attempts cannot be regraded"), "{page}");
    let (_, page) = c.teacher.get(&format!("{question}/regrade")).await;
    assert!(page.contains("Cannot be regraded (2 attempts)"), "{page}");
    assert!(
        page.contains("the number of choices changed (3 → 4)"),
        "{page}"
    );
    assert!(
        !page.contains("type=\"submit\">Regrade"),
        "no button: {page}"
    );
    let preview = lms.regrade_preview(&c.bio, ids[0]).await.unwrap();
    assert_eq!(
        (
            preview.changes.len(),
            preview.unchanged,
            preview.incompatible.len()
        ),
        (0, 0, 2)
    );
    let done = lms.regrade_apply(&c.bio, ids[0], None).await.unwrap();
    assert_eq!((done.regraded, done.incompatible), (0, 2));
    assert_eq!(slot_of(&c, a1, "Ocean").await, (1, Some("0".into())));
    assert_eq!(slot_of(&c, a2, "Ocean").await, (1, Some("1".into())));
    assert_eq!(marks(&c, a1).await.as_deref(), Some("1"));
    assert_eq!(staff_grade(&c, &stu2.0, quiz).await, Some(10.0));
    // A change of type is refused the same way.
    lms.edit_bank_question(&c.bio, &c.teacher_user, ids[1], &essay("Boiling?"))
        .await
        .unwrap();
    let preview = lms.regrade_preview(&c.bio, ids[1]).await.unwrap();
    assert_eq!(preview.incompatible.len(), 2);
    assert!(preview.incompatible[0].reason.contains("type changed"));
    // Only those who grade reach it.
    assert!(lms.regrade_preview(&stu.1, ids[0]).await.is_err());
}

async fn marks_given_by_hand_survive(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = c.lms.clone();
    let (quiz, ids) = quiz_with(
        &c,
        &[ocean("Atlantic", None), essay("Why is the sky blue?")],
    )
    .await;
    let stu = student(&lms, "stu@example.org").await;
    let stu2 = student(&lms, "stu2@example.org").await;
    let a1 = attempt(
        &lms,
        &stu,
        quiz,
        &[("Ocean", "Pacific"), ("Sky", "Rayleigh scattering.")],
        true,
    )
    .await;
    let a2 = attempt(
        &lms,
        &stu2,
        quiz,
        &[("Ocean", "Pacific"), ("Sky", "It reflects the sea.")],
        true,
    )
    .await;
    // The teacher marks stu's essay by hand (0.5 of 1); stu2's waits.
    let slot = lms
        .attempt_questions(a1)
        .await
        .unwrap()
        .iter()
        .find(|q| q.question.name == "Sky")
        .unwrap()
        .slot;
    lms.grade_attempt_question(&c.bio, &c.teacher_user, a1, slot, "0.5", "Close")
        .await
        .unwrap();
    assert_eq!(marks(&c, a1).await.as_deref(), Some("0.5"));
    assert_eq!(staff_grade(&c, &stu.0, quiz).await, Some(2.5));
    // Both questions change; both are regraded.
    lms.edit_bank_question(&c.bio, &c.teacher_user, ids[0], &ocean("Pacific", None))
        .await
        .unwrap();
    lms.edit_bank_question(
        &c.bio,
        &c.teacher_user,
        ids[1],
        &essay("Why is the sky blue? Explain."),
    )
    .await
    .unwrap();
    let essay_preview = lms.regrade_preview(&c.bio, ids[1]).await.unwrap();
    assert_eq!(
        (essay_preview.changes.len(), essay_preview.unchanged),
        (0, 2),
        "an essay's marks do not change: {essay_preview:?}"
    );
    let done = lms.regrade_apply(&c.bio, ids[1], Some(2)).await.unwrap();
    assert_eq!((done.regraded, done.changed), (2, 0));
    let done = lms.regrade_apply(&c.bio, ids[0], Some(2)).await.unwrap();
    assert_eq!((done.regraded, done.changed), (2, 2));
    assert_eq!(slot_of(&c, a1, "Sky").await, (2, Some("0.5".into())));
    assert_eq!(marks(&c, a1).await.as_deref(), Some("1.5"));
    assert_eq!(staff_grade(&c, &stu.0, quiz).await, Some(7.5));
    let view = lms.attempt_view(&c.bio, &c.teacher_user, a1).await.unwrap();
    let sky = view.questions.iter().find(|q| q.name == "Sky").unwrap();
    assert!(
        sky.feedback.iter().any(|f| f.contains("Close")),
        "the comment stays"
    );
    // stu2's essay still waits: no grade until it is marked.
    assert_eq!(slot_of(&c, a2, "Sky").await, (2, None));
    let waiting = lms.attempt_view(&c.bio, &c.teacher_user, a2).await.unwrap();
    assert!(waiting.attempt.needs_grading);
    assert_eq!(marks(&c, a2).await.as_deref(), Some("1"));
    assert_eq!(staff_grade(&c, &stu2.0, quiz).await, None);
}

async fn saves_during_regrades_stay_marked_by_their_version(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = c.lms.clone();
    let (quiz, ids) = quiz_with(&c, &[ocean("Atlantic", None), boiling()]).await;
    let (u, view) = student(&lms, "stu@example.org").await;
    let a = lms.start_attempt(&view, &u, quiz, "").await.unwrap();
    let shown = lms.attempt_view(&view, &u, a.id).await.unwrap();
    let slot = shown.questions.iter().find(|q| q.name == "Ocean").unwrap();
    let (slot, choices) = (slot.slot, slot.choices.len());
    // The student keeps changing the answer while the teacher moves the key around and
    // regrades after each edit.
    let saver = {
        let (lms, view, u) = (lms.clone(), view.clone(), u.clone());
        tokio::spawn(async move {
            for i in 0..40 {
                let r = Response::Choices(vec![i % choices]);
                lms.save_answers(&view, &u, a.id, None, &[(slot, r)])
                    .await
                    .unwrap();
            }
        })
    };
    for key in [
        "Pacific", "Indian", "Atlantic", "Pacific", "Indian", "Pacific",
    ] {
        lms.edit_bank_question(&c.bio, &c.teacher_user, ids[0], &ocean(key, None))
            .await
            .unwrap();
        lms.regrade_apply(&c.bio, ids[0], None).await.unwrap();
    }
    saver.await.unwrap();
    lms.regrade_apply(&c.bio, ids[0], None).await.unwrap();
    for q in lms.attempt_questions(a.id).await.unwrap() {
        let Some(response) = &q.response else {
            continue;
        };
        let (_, mark) = paideia::lms::quizzes::attempts::marked(&q.question, response, q.max_mark);
        assert_eq!(
            q.mark, mark,
            "{} is marked by the version it holds",
            q.question.name
        );
    }
    assert_eq!(
        slot_of(&c, a.id, "Ocean").await.0,
        7,
        "at the newest version"
    );
    // The last save is the answer kept.
    let last = lms.attempt_questions(a.id).await.unwrap();
    let ocean_q = last.iter().find(|q| q.question.name == "Ocean").unwrap();
    assert_eq!(
        ocean_q.response,
        Some(Response::Choices(vec![39 % choices]))
    );
}
