//! A quiz's essay grading table in headless Chromium: two students submitted a quiz with an
//! essay; the teacher sees on her home page and on the quiz's page that two attempts wait,
//! opens the table, marks both essays with feedback in one form, types one mark too large
//! (nothing is saved, every value stays, the error is by its field), fixes it and saves; the
//! quiz grades are then checked in the gradebook through the domain. A third student, in the
//! middle of an attempt, sees it on their to-do with the time it ends, and the quiz's close
//! on their calendar.
//! Screenshots go to `<target>/e2e-screenshots/quiz-grading-*.png`.

use chrono::Utc;
use fantoccini::Locator;
use paideia::lms::{
    CourseInput, Lms, SystemRole, User,
    courses::CourseView,
    quizzes::{
        Body, Question, Response, bank,
        questions::{Essay, TrueFalse},
        quiz::QuizInput,
    },
};
use serde_json::json;

use crate::support::{
    Backend,
    browser::{Page, named_account as account, start},
    chrome::Driver,
};

const TEACHER: &str = "hypatia@example.org";
const TAKING: &str = "carl@example.org";
const QUIZ: &str = "Membranes";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_marks_two_essays_in_one_form() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    let (bio, quiz, students, keys) = set_up(&lms).await;
    let driver = Driver::start().await;
    let page = Page::open(&driver, &server).await;
    page.closing(story(&page, quiz, &keys)).await;
    let report = lms.gradebook(&bio).await.unwrap();
    let column = report.assignment_column(quiz).unwrap();
    let points: Vec<Option<f64>> = students
        .iter()
        .map(|s| {
            let line = report.lines.iter().find(|l| l.student.id == s.id).unwrap();
            line.grades[column].as_ref().and_then(|g| g.points)
        })
        .collect();
    // Ada: 1 + 3.5 of 5 marks; Blaise: 0 + 3 of 5; out of 10 points.
    assert_eq!(points, [Some(9.0), Some(6.0)]);
    page.assert_shots(&[
        "quiz-grading-01-home",
        "quiz-grading-02-table",
        "quiz-grading-03-refused",
        "quiz-grading-04-saved",
        "quiz-grading-05-student-todo",
        "quiz-grading-06-student-calendar",
    ]);
}

/// A course with two students who submitted a quiz of a true/false question (1 mark) and an
/// essay (4 marks); returns the course, the quiz, the students and the essays' field keys
/// (`ATTEMPT-SLOT`) in the students' order.
async fn set_up(lms: &Lms) -> (CourseView, i64, Vec<User>, Vec<String>) {
    let teacher = account(
        lms,
        TEACHER,
        "Hypatia of Alexandria",
        SystemRole::Instructor,
    )
    .await;
    let input = CourseInput {
        title: "Cell Biology".into(),
        slug: "cell-bio".into(),
        description: String::new(),
        status: "published".into(),
    };
    lms.create_course(&teacher, &input).await.unwrap();
    let bio = lms.course_view(&teacher, "cell-bio").await.unwrap();
    let root = lms.sections(&bio).await.unwrap()[0].id;
    let mut quiz = QuizInput::new_in(&root.to_string());
    quiz.title = QUIZ.into();
    quiz.review_marks = "immediately".into();
    quiz.time_limit_minutes = "45".into();
    quiz.closes_at = (Utc::now() + chrono::Duration::days(5)).to_rfc3339();
    let quiz = lms.add_quiz(&bio, &quiz).await.unwrap().module.id;
    let questions = [
        Question::new(
            "Bilayer",
            "The cell membrane is a lipid bilayer.",
            Body::TrueFalse(TrueFalse {
                correct: true,
                feedback_true: String::new(),
                feedback_false: String::new(),
            }),
        ),
        Question::new(
            "Transport",
            "Explain how a cell takes in glucose.",
            Body::Essay(Essay::default()),
        ),
    ];
    let mut conn = lms.db().conn().await.unwrap();
    let course = bio.course().id;
    let now = Utc::now();
    let category = bank::ensure_category_path(&mut conn, course, &["Cells".into()], now)
        .await
        .unwrap();
    for (q, mark) in questions.iter().zip(["1", "4"]) {
        let v = bank::add_question(&mut conn, course, category, q, Some(teacher.id), now)
            .await
            .unwrap();
        lms.add_quiz_question(&bio, quiz, v.question_id, mark)
            .await
            .unwrap();
    }
    drop(conn);
    let mut students = Vec::new();
    let mut keys = Vec::new();
    for (name, email, right, essay) in [
        (
            "Ada Lovelace",
            "ada@example.org",
            true,
            "Through GLUT transporters, by facilitated diffusion down its gradient.\n\nNo energy is spent.",
        ),
        (
            "Blaise Pascal",
            "blaise@example.org",
            false,
            "It is pumped in with ATP.",
        ),
    ] {
        let user = account(lms, email, name, SystemRole::Student).await;
        lms.enroll(&bio, email, "student").await.unwrap();
        let view = lms.course_view(&user, "cell-bio").await.unwrap();
        let a = lms.start_attempt(&view, &user, quiz, "").await.unwrap();
        let shown = lms.attempt_view(&view, &user, a.id).await.unwrap();
        let mut answers = Vec::new();
        for q in &shown.questions {
            if q.kind == "essay" {
                keys.push(format!("{}-{}", a.id, q.slot));
                answers.push((q.slot, Response::Text(essay.into())));
            } else {
                answers.push((q.slot, Response::Bool(right)));
            }
        }
        lms.save_answers(&view, &user, a.id, None, &answers)
            .await
            .unwrap();
        lms.submit_attempt(&view, &user, a.id).await.unwrap();
        assert!(
            lms.attempt_view(&view, &user, a.id)
                .await
                .unwrap()
                .attempt
                .needs_grading
        );
        students.push(user);
    }
    // A third student is in the middle of an attempt.
    let carl = account(lms, TAKING, "Carl Gauss", SystemRole::Student).await;
    lms.enroll(&bio, TAKING, "student").await.unwrap();
    let view = lms.course_view(&carl, "cell-bio").await.unwrap();
    lms.start_attempt(&view, &carl, quiz, "").await.unwrap();
    (bio, quiz, students, keys)
}

async fn wait_for_text(s: &Page, text: &str) {
    let found = s
        .poll(
            "return document.querySelector('main').innerText.includes(arguments[0])",
            vec![json!(text)],
        )
        .await;
    assert_eq!(found, json!(true), "{text} never appeared");
}

async fn story(s: &Page, quiz: i64, keys: &[String]) {
    s.client.set_window_size(1280, 1200).await.unwrap();
    s.sign_in(TEACHER).await;
    // Home: the quiz waits for grading, linked to its table.
    wait_for_text(s, "2 quiz attempts with essays to grade").await;
    s.shot("quiz-grading-01-home").await;
    s.click(Locator::LinkText(QUIZ)).await;
    s.heading(&format!("Essays: {QUIZ}")).await;
    // The quiz page says the same and leads there too.
    s.goto(&format!("/courses/cell-bio/quizzes/{quiz}")).await;
    s.heading(QUIZ).await;
    s.badge("2 attempts wait").await;
    s.click(Locator::LinkText("Grade essays")).await;
    s.heading(&format!("Essays: {QUIZ}")).await;
    wait_for_text(s, "Waiting for a mark (2)").await;
    let (ada, blaise) = (&keys[0], &keys[1]);
    s.type_into(&format!("mark-{ada}"), "3.5").await;
    s.type_into(
        &format!("comment-{ada}"),
        "Right: facilitated diffusion. Name the transporter family next time.",
    )
    .await;
    s.type_into(&format!("mark-{blaise}"), "5").await;
    s.type_into(
        &format!("comment-{blaise}"),
        "Glucose enters by facilitated diffusion, not by a pump.",
    )
    .await;
    s.shot("quiz-grading-02-table").await;
    s.press("Save all marks").await;
    // Refused: nothing saved, both rows as typed, the error by Blaise's mark.
    wait_for_text(s, "Nothing was saved: 1 answer(s) need a fix").await;
    s.find(Locator::Id(&format!("mark-{blaise}-error"))).await;
    let kept = s
        .js(
            "return [document.getElementById(arguments[0]).value, document.getElementById(arguments[1]).value, document.getElementById(arguments[2]).value]",
            vec![
                json!(format!("mark-{ada}")),
                json!(format!("mark-{blaise}")),
                json!(format!("comment-{blaise}")),
            ],
        )
        .await;
    assert_eq!(
        kept,
        json!([
            "3.5",
            "5",
            "Glucose enters by facilitated diffusion, not by a pump."
        ])
    );
    s.scroll_to(&format!("#mark-{blaise}")).await;
    s.shot("quiz-grading-03-refused").await;
    s.replace(&format!("mark-{blaise}"), "3").await;
    s.press("Save all marks").await;
    wait_for_text(s, "2 mark(s) saved.").await;
    wait_for_text(s, "Already marked (2)").await;
    s.shot("quiz-grading-04-saved").await;
    s.sign_out().await;

    // The student taking the quiz: on the to-do with its end; the close on the calendar.
    s.sign_in(TAKING).await;
    s.find(Locator::Css("#quizzes-due .badge")).await;
    wait_for_text(s, "In progress").await;
    let ends = s.text("#quizzes-due .left").await;
    assert!(ends.starts_with("In progress ends "), "{ends}");
    s.shot("quiz-grading-05-student-todo").await;
    s.goto("/calendar?view=agenda").await;
    s.heading("Calendar").await;
    if !s
        .js(
            "return document.querySelector('main').innerText.includes(arguments[0])",
            vec![json!(QUIZ)],
        )
        .await
        .as_bool()
        .unwrap_or(false)
    {
        // The close is early next month.
        s.click(Locator::Css("a[rel='next']")).await;
    }
    wait_for_text(s, QUIZ).await;
    s.find(Locator::Css(".kind.closes")).await;
    s.shot("quiz-grading-06-student-calendar").await;
}
