//! A timed quiz in headless Chromium: a teacher adds a 15-minute quiz (one question a page,
//! marks and answers shown after the close) and gives it three questions from the bank; a
//! student starts it, answers two pages, leaves, comes back to the same attempt and the same
//! end time, answers the last page and submits, and sees no marks; the teacher moves the
//! close into the past; the student then sees the marks, the right answers and the grade.
//! Screenshots go to `<target>/e2e-screenshots/quiz-*.png`.

use chrono::{Duration, Utc};
use fantoccini::Locator;
use paideia::lms::{
    CourseInput, Lms, SystemRole,
    quizzes::{
        Body, Fixed, Question, bank,
        questions::{Choice, MultiScoring, MultipleChoice, ShortAnswer, TextAnswer, TrueFalse},
    },
};
use serde_json::json;

use crate::support::{
    Backend,
    browser::{Page, named_account as account, start},
    chrome::Driver,
};

const TEACHER: &str = "hypatia@example.org";
const STUDENT: &str = "ada@example.org";
const COURSE: &str = "Cell Biology";
const QUIZ: &str = "Week 1 check";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_quiz_taken_resumed_and_marked_after_the_close() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    let (root, questions) = set_up(&lms).await;
    let driver = Driver::start().await;
    let page = Page::open(&driver, &server).await;
    page.closing(story(&page, &lms, root, &questions)).await;
    page.assert_shots(&[
        "quiz-01-teacher-settings",
        "quiz-02-questions",
        "quiz-03-attempt-page-1",
        "quiz-04-resumed-same-timer",
        "quiz-05-submitted-marks-hidden",
        "quiz-06-grade-after-close",
        "quiz-07-review-after-close",
    ]);
}

fn choice(text: &str, right: bool) -> Choice {
    Choice {
        text: text.into(),
        fraction: if right { Fixed::ONE } else { Fixed::ZERO },
        feedback: String::new(),
    }
}

/// The course with its student and three questions in its bank; returns the root section
/// and the questions' ids.
async fn set_up(lms: &Lms) -> (i64, Vec<i64>) {
    let teacher = account(
        lms,
        TEACHER,
        "Hypatia of Alexandria",
        SystemRole::Instructor,
    )
    .await;
    account(lms, STUDENT, "Ada Lovelace", SystemRole::Student).await;
    let input = CourseInput {
        title: COURSE.into(),
        slug: "cell-bio".into(),
        description: String::new(),
        status: "published".into(),
    };
    lms.create_course(&teacher, &input).await.unwrap();
    let bio = lms.course_view(&teacher, "cell-bio").await.unwrap();
    lms.enroll(&bio, STUDENT, "student").await.unwrap();
    let root = lms.sections(&bio).await.unwrap()[0].id;
    let questions = [
        Question::new(
            "Organelle",
            "Which organelle makes most of a cell's ATP?",
            Body::MultipleChoice(MultipleChoice {
                choices: vec![
                    choice("Mitochondrion", true),
                    choice("Ribosome", false),
                    choice("Golgi apparatus", false),
                ],
                multiple: false,
                scoring: MultiScoring::Sum,
                shuffle: false,
            }),
        ),
        Question::new(
            "Walls",
            "Plant cells have a cell wall.",
            Body::TrueFalse(TrueFalse {
                correct: true,
                feedback_true: String::new(),
                feedback_false: String::new(),
            }),
        ),
        Question::new(
            "Nucleus",
            "Which part of the cell holds its DNA?",
            Body::ShortAnswer(ShortAnswer {
                answers: vec![TextAnswer {
                    pattern: "nucleus".into(),
                    fraction: Fixed::ONE,
                    feedback: "Right: the nucleus.".into(),
                }],
                case_sensitive: false,
            }),
        ),
    ];
    let mut conn = lms.db().conn().await.unwrap();
    let now = Utc::now();
    let course = bio.course().id;
    let category = bank::ensure_category_path(&mut conn, course, &["Cells".into()], now)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for q in &questions {
        let v = bank::add_question(&mut conn, course, category, q, Some(teacher.id), now)
            .await
            .unwrap();
        ids.push(v.question_id);
    }
    (root, ids)
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

async fn timer_end(s: &Page) -> String {
    s.js(
        "return document.querySelector('#timer time').getAttribute('datetime')",
        vec![],
    )
    .await
    .as_str()
    .unwrap()
    .to_string()
}

async fn story(s: &Page, lms: &Lms, root: i64, questions: &[i64]) {
    s.client.set_window_size(1280, 1400).await.unwrap();
    // The teacher adds a timed quiz from the course page's "Add: quiz".
    s.sign_in(TEACHER).await;
    s.click(Locator::LinkText(COURSE)).await;
    s.click(Locator::XPath(&format!(
        "//a[@href='/courses/cell-bio/modules/new?kind=quiz&section={root}']"
    )))
    .await;
    s.heading("Add a quiz").await;
    s.type_into("title", QUIZ).await;
    s.type_into(
        "description",
        "Fifteen minutes on **cells**; one question a page.",
    )
    .await;
    s.replace("time_limit_minutes", "15").await;
    s.replace("questions_per_page", "1").await;
    s.shot("quiz-01-teacher-settings").await;
    s.click(Locator::XPath(
        "//main//form//button[normalize-space()='Save']",
    ))
    .await;
    s.heading(&format!("Questions of {QUIZ}")).await;
    for (n, id) in questions.iter().enumerate() {
        s.js(
            "document.getElementById('question_id').value = arguments[0]; return true;",
            vec![json!(id.to_string())],
        )
        .await;
        s.press("Add question").await;
        let rows = s
            .poll(
                "return document.querySelectorAll('table.slots tbody tr').length === arguments[0]",
                vec![json!(n + 1)],
            )
            .await;
        assert_eq!(rows, json!(true));
    }
    wait_for_text(s, "Total marks: 3").await;
    s.shot("quiz-02-questions").await;
    s.sign_out().await;

    // The student starts, answers two pages and leaves.
    s.sign_in(STUDENT).await;
    s.click(Locator::LinkText(COURSE)).await;
    s.click(Locator::LinkText(QUIZ)).await;
    s.heading(QUIZ).await;
    wait_for_text(s, "15 min").await;
    s.press("Start the quiz").await;
    wait_for_text(s, "page 1 of 3").await;
    let end = timer_end(s).await;
    let left = s.text("#time-left").await;
    assert!(
        left.starts_with("15 min") || left.starts_with("14 min"),
        "{left}"
    );
    s.click(Locator::XPath("//label[normalize-space()='Mitochondrion']"))
        .await;
    s.shot("quiz-03-attempt-page-1").await;
    s.press("Next page").await;
    wait_for_text(s, "page 2 of 3").await;
    s.click(Locator::XPath("//label[normalize-space()='True']"))
        .await;
    s.press("Next page").await;
    wait_for_text(s, "page 3 of 3").await;
    s.goto("/").await;
    s.heading("Home").await;

    // Back later: the same attempt, on the page reached, with the same end.
    s.click(Locator::LinkText(COURSE)).await;
    s.click(Locator::LinkText(QUIZ)).await;
    s.heading(QUIZ).await;
    s.click(Locator::LinkText("Continue your attempt")).await;
    wait_for_text(s, "page 3 of 3").await;
    assert_eq!(timer_end(s).await, end, "the timer did not restart");
    s.find(Locator::Css("main form.attempt input[type='text']"))
        .await
        .send_keys("Nucleus")
        .await
        .unwrap();
    s.shot("quiz-04-resumed-same-timer").await;
    s.press("Submit and finish").await;
    s.heading(&format!("Review of {QUIZ}")).await;
    let marks = s.text("#attempt-marks").await;
    assert!(marks.contains("not shown yet"), "{marks}");
    let body = s.text("main").await;
    assert!(!body.contains("The right answer"), "{body}");
    s.shot("quiz-05-submitted-marks-hidden").await;
    s.sign_out().await;

    // The close passes: the teacher sets it five minutes ago.
    let quiz = lms
        .db()
        .query_one("SELECT module_id FROM quizzes", &[])
        .await
        .unwrap()
        .get::<i64>("module_id")
        .unwrap();
    let zone = lms.site_zone().await.unwrap();
    let past = zone.input_value(Utc::now() - Duration::minutes(5));
    s.sign_in(TEACHER).await;
    s.goto(&format!("/courses/cell-bio/modules/{quiz}/edit"))
        .await;
    s.heading("Edit quiz").await;
    s.js(
        "document.getElementById('closes_at').value = arguments[0]; return true;",
        vec![json!(past)],
    )
    .await;
    s.click(Locator::XPath(
        "//main//form//button[normalize-space()='Save']",
    ))
    .await;
    s.heading(QUIZ).await;
    s.sign_out().await;

    // The student sees the grade, the marks and the right answers.
    s.sign_in(STUDENT).await;
    s.click(Locator::LinkText(COURSE)).await;
    s.click(Locator::LinkText(QUIZ)).await;
    s.heading(QUIZ).await;
    let grade = s.text("#quiz-grade").await;
    assert_eq!(grade, "Your grade: 10 / 10");
    let row = s.text("table.attempts tbody tr").await;
    assert!(row.contains("3 / 3"), "{row}");
    s.shot("quiz-06-grade-after-close").await;
    s.click(Locator::LinkText("Review")).await;
    s.heading(&format!("Review of {QUIZ}")).await;
    wait_for_text(s, "The right answer").await;
    wait_for_text(s, "Right: the nucleus.").await;
    s.shot("quiz-07-review-after-close").await;
}
