//! A regrade in headless Chromium: three students have submitted a quiz whose
//! multiple-choice key was wrong; the teacher corrects the right answer in the bank's editor,
//! the question's page offers "Regrade 3 attempts…", the regrade page lists what changes (at
//! desktop and phone widths), the confirmation regrades them with a notice, and the gradebook
//! shows the new grades. Screenshots go to `<target>/e2e-screenshots/regrade-*.png`.

use chrono::Utc;
use fantoccini::Locator;
use paideia::lms::{
    CourseInput, Lms, SystemRole, Zone,
    quizzes::{
        Body, Fixed, Question, Response, bank,
        questions::{Choice, MultiScoring, MultipleChoice, TrueFalse},
        quiz::QuizInput,
    },
};

use crate::support::{
    Backend,
    browser::{Page, named_account as account, start},
    chrome::Driver,
};

const TEACHER: &str = "hypatia@example.org";
const COURSE: &str = "Earth Science";
const STUDENTS: [(&str, &str, &str); 3] = [
    ("ada@example.org", "Ada Lovelace", "Pacific"),
    ("grace@example.org", "Grace Hopper", "Atlantic"),
    ("emmy@example.org", "Emmy Noether", "Pacific"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_key_corrected_and_its_attempts_regraded() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    let (question, quiz) = set_up(&lms).await;
    let driver = Driver::start().await;
    let page = Page::open(&driver, &server).await;
    page.closing(story(&page, question)).await;
    // The gradebook follows: 2 of 2 for those who chose the Pacific.
    let teacher = lms.user_by_email(TEACHER).await.unwrap();
    let view = lms.course_view(&teacher, "earth").await.unwrap();
    let report = lms.gradebook(&view).await.unwrap();
    let column = report.assignment_column(quiz).unwrap();
    let mut points: Vec<(String, Option<f64>)> = report
        .lines
        .iter()
        .map(|l| {
            let p = l.grades[column].as_ref().and_then(|g| g.points);
            (l.student.display_name.clone(), p)
        })
        .collect();
    points.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        points,
        [
            ("Ada Lovelace".to_string(), Some(10.0)),
            ("Emmy Noether".to_string(), Some(10.0)),
            ("Grace Hopper".to_string(), Some(5.0)),
        ]
    );
    page.assert_shots(&[
        "regrade-01-offered",
        "regrade-02-changes",
        "regrade-03-phone-changes",
        "regrade-04-done",
        "regrade-05-gradebook",
    ]);
}

/// The course, its quiz of two questions (the ocean's key wrongly says Atlantic) and three
/// submitted attempts; the ocean question's and the quiz's ids.
async fn set_up(lms: &Lms) -> (i64, i64) {
    let teacher = account(
        lms,
        TEACHER,
        "Hypatia of Alexandria",
        SystemRole::Instructor,
    )
    .await;
    let input = CourseInput {
        title: COURSE.into(),
        slug: "earth".into(),
        description: String::new(),
        status: "published".into(),
    };
    lms.create_course(&teacher, &input).await.unwrap();
    let earth = lms.course_view(&teacher, "earth").await.unwrap();
    let root = lms.sections(&earth).await.unwrap()[0].id;
    let ocean = Question::new(
        "Largest ocean",
        "Which is the largest ocean?",
        Body::MultipleChoice(MultipleChoice {
            choices: ["Atlantic", "Pacific", "Indian"]
                .iter()
                .map(|n| Choice {
                    text: (*n).into(),
                    fraction: if *n == "Atlantic" {
                        Fixed::ONE
                    } else {
                        Fixed::ZERO
                    },
                    feedback: String::new(),
                })
                .collect(),
            multiple: false,
            scoring: MultiScoring::Sum,
            shuffle: false,
        }),
    );
    let salt = Question::new(
        "Salt",
        "Sea water is salty.",
        Body::TrueFalse(TrueFalse {
            correct: true,
            feedback_true: String::new(),
            feedback_false: String::new(),
        }),
    );
    let mut q = QuizInput::new_in(&root.to_string());
    q.title = "Oceans check".into();
    q.review_marks = "immediately".into();
    q.zone = Zone::parse("UTC").unwrap();
    let quiz = lms.add_quiz(&earth, &q).await.unwrap().module.id;
    let mut ids = Vec::new();
    {
        let mut conn = lms.db().conn().await.unwrap();
        let now = Utc::now();
        let course = earth.course().id;
        let category = bank::ensure_category_path(&mut conn, course, &["Oceans".into()], now)
            .await
            .unwrap();
        for question in [&ocean, &salt] {
            let v =
                bank::add_question(&mut conn, course, category, question, Some(teacher.id), now)
                    .await
                    .unwrap();
            ids.push(v.question_id);
        }
    }
    for id in &ids {
        lms.add_quiz_question(&earth, quiz, *id, "").await.unwrap();
    }
    for (email, name, choice) in STUDENTS {
        account(lms, email, name, SystemRole::Student).await;
        lms.enroll(&earth, email, "student").await.unwrap();
        let u = lms.user_by_email(email).await.unwrap();
        let view = lms.course_view(&u, "earth").await.unwrap();
        let a = lms.start_attempt(&view, &u, quiz, "").await.unwrap();
        let shown = lms.attempt_view(&view, &u, a.id).await.unwrap();
        let answers: Vec<(i64, Response)> = shown
            .questions
            .iter()
            .map(|q| match q.kind {
                "multiple choice" => {
                    let c = q.choices.iter().find(|c| c.html.contains(choice)).unwrap();
                    (q.slot, Response::Choices(vec![c.index]))
                }
                _ => (q.slot, Response::Bool(true)),
            })
            .collect();
        lms.save_answers(&view, &u, a.id, None, &answers)
            .await
            .unwrap();
        lms.submit_attempt(&view, &u, a.id).await.unwrap();
    }
    (ids[0], quiz)
}

async fn story(s: &Page, question: i64) {
    s.client.set_window_size(1280, 1100).await.unwrap();
    s.sign_in(TEACHER).await;
    // The teacher corrects the key in the editor: Pacific is 100 %, Atlantic 0 %.
    s.goto(&format!("/courses/earth/bank/questions/{question}"))
        .await;
    s.heading("Largest ocean").await;
    s.click(Locator::LinkText("Edit")).await;
    s.heading("Edit: Largest ocean").await;
    s.replace("fraction-0", "0").await;
    s.replace("fraction-1", "100").await;
    s.press("Save").await;
    s.heading("Largest ocean").await;
    let notice = s.text("p.notice").await;
    assert!(notice.contains("Regrade 3 attempts…"), "{notice}");
    s.shot("regrade-01-offered").await;

    // What changes: Ada and Emmy gain the mark, Grace loses it.
    s.click(Locator::LinkText("Regrade 3 attempts…")).await;
    s.heading("Regrade “Largest ocean”").await;
    let table = s.text("table.regrade").await;
    for want in [
        "Ada Lovelace",
        "Grace Hopper",
        "Emmy Noether",
        "1 / 2 → 2 / 2",
        "2 / 2 → 1 / 2",
    ] {
        assert!(table.contains(want), "{want} in {table}");
    }
    s.shot("regrade-02-changes").await;
    s.client.set_window_size(390, 1000).await.unwrap();
    s.shot("regrade-03-phone-changes").await;
    s.client.set_window_size(1280, 1100).await.unwrap();

    s.press("Regrade 3 attempts").await;
    s.heading("Largest ocean").await;
    let flash = s.text(".flash").await;
    assert!(flash.contains("3 attempts regraded."), "{flash}");
    s.shot("regrade-04-done").await;

    s.goto("/courses/earth/grades").await;
    let grades = s.text("table.gradebook").await;
    assert!(grades.contains("Grace Hopper"), "{grades}");
    s.shot("regrade-05-gradebook").await;
}
