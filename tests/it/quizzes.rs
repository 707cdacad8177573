//! Quizzes (issue 17): a quiz as a module with its questions from the bank, attempts with the
//! server's timer and grace period (a `ManualClock` over the class's database), resuming,
//! attempts allowed and grading methods, the shuffle kept per attempt, accommodations, review
//! options in pages and API, the gradebook, another course's student, copies, and dumps.

use std::sync::Arc;

use chrono::{Duration, SubsecRound, Utc};
use paideia::lms::{
    Lms, LmsError, ManualClock, User, Zone,
    attachments::TextEdit,
    courses::CourseView,
    quizzes::{
        Body, Fixed, Question, Response,
        attempts::{AttemptView, GRACE_SECONDS, TIME_UP},
        bank,
        questions::{
            Choice, Essay, MultiScoring, MultipleChoice, ShortAnswer, TextAnswer, TrueFalse,
        },
        quiz::{OverrideInput, QuizInput},
    },
};
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    api::{Api, token_for},
    on_both_engines,
    support::{
        Backend,
        browser::location,
        class::{Class, class},
    },
};

on_both_engines!(
    the_timer_takes_a_save_within_the_grace_and_submits_after,
    resuming_keeps_the_timer_and_the_answers,
    attempts_allowed_and_each_grading_method,
    the_shuffle_is_stable_per_attempt,
    accommodations_give_time_attempts_and_a_later_close,
    review_options_hide_marks_and_answers_in_pages_and_api,
    an_essay_waits_for_its_grader,
    another_course_sees_nothing,
    quizzes_survive_dump_restore_and_copy,
);

fn choice(text: &str, right: bool) -> Choice {
    Choice {
        text: text.into(),
        fraction: if right { Fixed::ONE } else { Fixed::ZERO },
        feedback: if right {
            "Well done".into()
        } else {
            String::new()
        },
    }
}

/// Three questions worth 1 each: a multiple choice, a true/false and a short answer.
pub(crate) fn sample_questions() -> Vec<Question> {
    let mc = Question::new(
        "Capital",
        "What is the capital of France?",
        Body::MultipleChoice(MultipleChoice {
            choices: vec![
                choice("Paris", true),
                choice("Lyon", false),
                choice("Nice", false),
            ],
            multiple: false,
            scoring: MultiScoring::Sum,
            shuffle: true,
        }),
    );
    let tf = Question::new(
        "Boiling",
        "Water boils at 100 °C at sea level.",
        Body::TrueFalse(TrueFalse {
            correct: true,
            feedback_true: String::new(),
            feedback_false: String::new(),
        }),
    );
    let sa = Question::new(
        "Planet",
        "The largest planet?",
        Body::ShortAnswer(ShortAnswer {
            answers: vec![TextAnswer {
                pattern: "Jupiter".into(),
                fraction: Fixed::ONE,
                feedback: String::new(),
            }],
            case_sensitive: false,
        }),
    );
    vec![mc, tf, sa]
}

/// Adds `questions` to `bio`'s bank in category `category`; returns their ids.
pub(crate) async fn add_to_bank(c: &Class, category: &str, questions: &[Question]) -> Vec<i64> {
    let mut conn = c.lms.db().conn().await.unwrap();
    let now = Utc::now();
    let course = c.bio.course().id;
    let cat = bank::ensure_category_path(&mut conn, course, &[category.to_string()], now)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for q in questions {
        let v = bank::add_question(&mut conn, course, cat, q, Some(c.teacher_user.id), now)
            .await
            .unwrap();
        ids.push(v.question_id);
    }
    ids
}

pub(crate) fn utc() -> Zone {
    Zone::parse("UTC").unwrap()
}

/// A quiz in `bio` with the three sample questions, its settings changed by `settings`.
pub(crate) async fn sample_quiz(
    c: &Class,
    lms: &Lms,
    settings: impl FnOnce(&mut QuizInput),
) -> i64 {
    let mut input = QuizInput::new_in(&c.root.to_string());
    input.title = "Quiz one".into();
    input.zone = utc();
    settings(&mut input);
    let id = lms.add_quiz(&c.bio, &input).await.unwrap().module.id;
    for q in add_to_bank(c, "Geo", &sample_questions()).await {
        lms.add_quiz_question(&c.bio, id, q, "").await.unwrap();
    }
    id
}

pub(crate) async fn student(lms: &Lms, email: &str) -> (User, CourseView) {
    let u = lms.user_by_email(email).await.unwrap();
    let view = lms.course_view(&u, "bio").await.unwrap();
    (u, view)
}

/// The right (or a wrong) answer to each sample question of `a`, by its name.
pub(crate) fn answer(q: &paideia::lms::quizzes::attempts::ShownQuestion, right: bool) -> Response {
    match q.name.as_str() {
        "Capital" => {
            let want = if right { "Paris" } else { "Lyon" };
            let c = q.choices.iter().find(|c| c.html.contains(want)).unwrap();
            Response::Choices(vec![c.index])
        }
        "Boiling" => Response::Bool(right),
        "Planet" => Response::Text(if right { "jupiter" } else { "Mars" }.into()),
        other => panic!("no answer for {other}"),
    }
}

/// Answers the sample questions, `right` of them correctly (in attempt order), and submits.
async fn take(lms: &Lms, view: &CourseView, who: &User, quiz: i64, right: usize) -> AttemptView {
    let a = lms.start_attempt(view, who, quiz, "").await.unwrap();
    let v = lms.attempt_view(view, who, a.id).await.unwrap();
    let answers: Vec<(i64, Response)> = v
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.slot, answer(q, i < right)))
        .collect();
    lms.save_answers(view, who, a.id, None, &answers)
        .await
        .unwrap();
    lms.submit_attempt(view, who, a.id).await.unwrap();
    lms.attempt_view(view, who, a.id).await.unwrap()
}

async fn grade_of(lms: &Lms, view: &CourseView, who: &User, quiz: i64) -> Option<f64> {
    let report = lms.my_grades(view, who).await.unwrap();
    let column = report.assignment_column(quiz).unwrap();
    report.lines[0].grades[column]
        .as_ref()
        .and_then(|g| g.points)
}

async fn staff_grade(lms: &Lms, c: &Class, who: &User, quiz: i64) -> Option<f64> {
    let report = lms.gradebook(&c.bio).await.unwrap();
    let column = report.assignment_column(quiz).unwrap();
    let line = report
        .lines
        .iter()
        .find(|l| l.student.id == who.id)
        .unwrap();
    line.grades[column].as_ref().and_then(|g| g.points)
}

fn clocked(c: &Class) -> (Arc<ManualClock>, Lms) {
    // Whole seconds: the database keeps microseconds.
    let clock = Arc::new(ManualClock::new(Utc::now().trunc_subsecs(0)));
    (clock.clone(), Lms::new(c.lms.db().clone(), clock))
}

fn is_time_up(r: Result<impl std::fmt::Debug, LmsError>) -> bool {
    matches!(r, Err(LmsError::Invalid(e)) if e.get("attempt") == Some(TIME_UP))
}

async fn the_timer_takes_a_save_within_the_grace_and_submits_after(b: Backend) {
    let c = class(&b, &[]).await;
    let (clock, lms) = clocked(&c);
    let quiz = sample_quiz(&c, &lms, |q| {
        q.time_limit_minutes = "10".into();
        q.review_marks = "immediately".into();
    })
    .await;
    let (stu, view) = student(&lms, "stu@example.org").await;
    let start = lms.now();
    let a = lms.start_attempt(&view, &stu, quiz, "").await.unwrap();
    assert_eq!(a.ends_at, Some(start + Duration::minutes(10)));
    let v = lms.attempt_view(&view, &stu, a.id).await.unwrap();
    let by_name = |n: &str| v.questions.iter().find(|q| q.name == n).unwrap();
    // 20 s after the end: a request in flight is still taken.
    clock.advance(Duration::minutes(10) + Duration::seconds(20));
    let capital = by_name("Capital");
    lms.save_answers(
        &view,
        &stu,
        a.id,
        None,
        &[(capital.slot, answer(capital, true))],
    )
    .await
    .unwrap();
    // After the grace: refused, and the attempt is submitted as it stood.
    clock.advance(Duration::seconds(GRACE_SECONDS - 20 + 1));
    let boiling = by_name("Boiling");
    let late = lms
        .save_answers(
            &view,
            &stu,
            a.id,
            None,
            &[(boiling.slot, answer(boiling, true))],
        )
        .await;
    assert!(is_time_up(late));
    let after = lms.attempt_view(&view, &stu, a.id).await.unwrap();
    assert!(after.finished && after.attempt.auto_submitted);
    assert_eq!(
        after.attempt.submitted_at,
        Some(start + Duration::minutes(10) + Duration::seconds(GRACE_SECONDS))
    );
    assert_eq!(after.marks.map(|m| m.to_string()).as_deref(), Some("1"));
    let saved = after
        .questions
        .iter()
        .find(|q| q.name == "Boiling")
        .unwrap();
    assert_eq!(saved.response, None, "the late answer was not kept");
    // One of three right, out of 10 points, released at once.
    let grade = grade_of(&lms, &view, &stu, quiz).await.unwrap();
    assert!((grade - 3.3333).abs() < 1e-9, "{grade}");
    // An overdue attempt nobody touches is closed by the teacher's results page, and one of
    // another student by serve's job.
    let (stu2, view2) = student(&lms, "stu2@example.org").await;
    let b2 = lms.start_attempt(&view2, &stu2, quiz, "").await.unwrap();
    clock.advance(Duration::minutes(11));
    let results = lms.quiz_results(&c.bio, quiz).await.unwrap();
    let row = results
        .rows
        .iter()
        .find(|r| r.student.id == stu2.id)
        .unwrap();
    assert!(row.attempts[0].attempt.auto_submitted && row.attempts[0].attempt.id == b2.id);
    assert_eq!(staff_grade(&lms, &c, &stu2, quiz).await, Some(0.0));
    let ta = lms.user_by_email("ta@example.org").await.unwrap();
    assert!(
        lms.start_attempt(&c.bio, &ta, quiz, "").await.is_err(),
        "staff do not attempt"
    );
    lms.enroll(&c.bio, "root@example.org", "student")
        .await
        .unwrap();
    let (root, root_view) = student(&lms, "root@example.org").await;
    lms.start_attempt(&root_view, &root, quiz, "")
        .await
        .unwrap();
    clock.advance(Duration::minutes(11));
    assert_eq!(lms.run_quiz_jobs().await.unwrap().0, 1);
    assert_eq!(lms.run_quiz_jobs().await.unwrap().0, 0);
}

async fn resuming_keeps_the_timer_and_the_answers(b: Backend) {
    let c = class(&b, &[]).await;
    let (clock, lms) = clocked(&c);
    let quiz = sample_quiz(&c, &lms, |q| {
        q.time_limit_minutes = "10".into();
        q.questions_per_page = "1".into();
    })
    .await;
    let (stu, view) = student(&lms, "stu@example.org").await;
    let a = lms.start_attempt(&view, &stu, quiz, "").await.unwrap();
    let v = lms.attempt_view(&view, &stu, a.id).await.unwrap();
    assert_eq!((v.pages, v.seconds_left), (3, Some(600)));
    let planet = v.questions.iter().find(|q| q.name == "Planet").unwrap();
    lms.save_answers(
        &view,
        &stu,
        a.id,
        Some(2),
        &[(planet.slot, answer(planet, true))],
    )
    .await
    .unwrap();
    clock.advance(Duration::minutes(3));
    // Leaving and starting again gives the same attempt, timer and answers.
    let again = lms.start_attempt(&view, &stu, quiz, "").await.unwrap();
    assert_eq!(
        (again.id, again.ends_at, again.current_page),
        (a.id, a.ends_at, 2)
    );
    let v = lms.attempt_view(&view, &stu, a.id).await.unwrap();
    assert_eq!(v.seconds_left, Some(420));
    let planet = v.questions.iter().find(|q| q.name == "Planet").unwrap();
    assert_eq!(planet.response, Some(Response::Text("jupiter".into())));
    assert_eq!(planet.mark, None, "marks are hidden while the attempt runs");
    let info = lms.quiz_info(&view, &stu, quiz).await.unwrap();
    assert_eq!(info.in_progress, Some(a.id));
}

async fn attempts_allowed_and_each_grading_method(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = c.lms.clone();
    let quiz = sample_quiz(&c, &lms, |q| {
        q.max_attempts = "2".into();
        q.review_marks = "immediately".into();
    })
    .await;
    let (stu, view) = student(&lms, "stu@example.org").await;
    take(&lms, &view, &stu, quiz, 1).await;
    let second = take(&lms, &view, &stu, quiz, 3).await;
    assert_eq!(second.attempt.attempt, 2);
    let third = lms.start_attempt(&view, &stu, quiz, "").await;
    assert!(matches!(third, Err(LmsError::Invalid(_))), "{third:?}");
    let expect = [
        ("highest", 10.0),
        ("first", 3.3333),
        ("average", 6.6667),
        ("last", 10.0),
    ];
    for (method, points) in expect {
        let q = lms.quiz(&c.bio, quiz).await.unwrap();
        let mut input = QuizInput::from_quiz(&q, utc());
        input.grading_method = method.into();
        lms.update_quiz_with(&c.bio, quiz, &input, &TextEdit::default())
            .await
            .unwrap();
        let grade = grade_of(&lms, &view, &stu, quiz).await.unwrap();
        assert!((grade - points).abs() < 1e-9, "{method}: {grade}");
    }
    // An extra attempt lets a third start.
    let extra = OverrideInput {
        zone: utc(),
        student_id: stu.id.to_string(),
        extra_attempts: "1".into(),
        ..OverrideInput::default()
    };
    lms.set_quiz_override(&c.bio, quiz, &extra).await.unwrap();
    take(&lms, &view, &stu, quiz, 0).await;
    assert_eq!(grade_of(&lms, &view, &stu, quiz).await, Some(0.0), "last");
}

async fn the_shuffle_is_stable_per_attempt(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = c.lms.clone();
    let quiz = sample_quiz(&c, &lms, |q| q.shuffle_questions = Some("true".into())).await;
    // Two more places drawn at random from a category of four.
    let extra: Vec<Question> = (1..=4)
        .map(|i| {
            let mut q = sample_questions().remove(1);
            q.name = format!("Random {i}");
            q
        })
        .collect();
    add_to_bank(&c, "Pool", &extra).await;
    let pool = lms
        .bank_categories(&c.bio)
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.name == "Pool")
        .unwrap();
    assert_eq!(pool.questions, 4);
    lms.add_random_questions(&c.bio, quiz, pool.id, "2", "1", false)
        .await
        .unwrap();
    let mut orders = Vec::new();
    for email in ["stu@example.org", "stu2@example.org"] {
        let (who, view) = student(&lms, email).await;
        let a = lms.start_attempt(&view, &who, quiz, "").await.unwrap();
        let shown = |v: &AttemptView| -> Vec<(String, Vec<usize>)> {
            v.questions
                .iter()
                .map(|q| (q.name.clone(), q.choices.iter().map(|c| c.index).collect()))
                .collect()
        };
        let first = shown(&lms.attempt_view(&view, &who, a.id).await.unwrap());
        let second = shown(&lms.attempt_view(&view, &who, a.id).await.unwrap());
        assert_eq!(first, second, "the same order every time");
        assert_eq!(first.len(), 5);
        let randoms: Vec<&String> = first
            .iter()
            .map(|q| &q.0)
            .filter(|n| n.starts_with("Random"))
            .collect();
        assert_eq!(randoms.len(), 2);
        assert_ne!(randoms[0], randoms[1], "two different questions drawn");
        let mut names: Vec<&String> = first
            .iter()
            .map(|q| &q.0)
            .filter(|n| !n.starts_with("Random"))
            .collect();
        names.sort();
        assert_eq!(names, ["Boiling", "Capital", "Planet"]);
        orders.push(first);
    }
    // A category with too few questions refuses to start, saying why.
    let other = sample_quiz(&c, &lms, |_| {}).await;
    lms.add_random_questions(&c.bio, other, pool.id, "5", "", false)
        .await
        .unwrap();
    let (stu, view) = student(&lms, "stu@example.org").await;
    let refused = lms.start_attempt(&view, &stu, other, "").await;
    assert!(
        matches!(&refused, Err(LmsError::Invalid(e)) if e.get("attempt").unwrap().contains("too few")),
        "{refused:?}"
    );
}

async fn accommodations_give_time_attempts_and_a_later_close(b: Backend) {
    let c = class(&b, &[]).await;
    let (clock, lms) = clocked(&c);
    let t0 = lms.now();
    let at = |m: i64| t0 + Duration::minutes(m);
    let quiz = sample_quiz(&c, &lms, |q| {
        q.time_limit_minutes = "20".into();
        q.max_attempts = "1".into();
        q.closes_at = utc().input_value(at(60));
    })
    .await;
    // input_value has minute precision: the close is at a whole minute.
    let close = lms.quiz(&c.bio, quiz).await.unwrap().closes_at.unwrap();
    assert!((close - at(60)).num_seconds().abs() < 60);
    let (stu, view) = student(&lms, "stu@example.org").await;
    let (stu2, view2) = student(&lms, "stu2@example.org").await;
    let input = OverrideInput {
        zone: utc(),
        student_id: stu.id.to_string(),
        extra_minutes: "10".into(),
        extra_attempts: "1".into(),
        closes_at: utc().input_value(at(120)),
    };
    lms.set_quiz_override(&c.bio, quiz, &input).await.unwrap();
    assert_eq!(lms.quiz_overrides(&c.bio, quiz).await.unwrap().len(), 1);
    clock.advance(Duration::minutes(50));
    let theirs = lms.start_attempt(&view2, &stu2, quiz, "").await.unwrap();
    assert_eq!(theirs.ends_at, Some(close), "never past the close");
    let mine = lms.start_attempt(&view, &stu, quiz, "").await.unwrap();
    assert_eq!(mine.ends_at, Some(at(80)), "20 minutes and 10 more");
    lms.submit_attempt(&view, &stu, mine.id).await.unwrap();
    clock.advance(Duration::minutes(40));
    // After the quiz's close only the student with a later close may start (their extra
    // attempt), and their attempt ends at their close.
    let late = lms.start_attempt(&view2, &stu2, quiz, "").await;
    assert!(matches!(late, Err(LmsError::Invalid(_))));
    let again = lms.start_attempt(&view, &stu, quiz, "").await.unwrap();
    let own_close = lms.quiz_overrides(&c.bio, quiz).await.unwrap()[0]
        .closes_at
        .unwrap();
    assert_eq!(again.attempt, 2);
    assert_eq!(
        again.ends_at,
        Some(own_close.min(at(90) + Duration::minutes(30)))
    );
    let info = lms.quiz_info(&view, &stu, quiz).await.unwrap();
    assert_eq!(
        (info.time_limit_seconds, info.max_attempts),
        (Some(1800), Some(2))
    );
}

/// The attempt page's form for the sample questions, all answered right.
fn right_answers_form(v: &AttemptView) -> Vec<(String, String)> {
    let slots: Vec<String> = v.questions.iter().map(|q| q.slot.to_string()).collect();
    let mut form = vec![("slots".to_string(), slots.join(","))];
    for q in &v.questions {
        let value = match answer(q, true) {
            Response::Choices(c) => c[0].to_string(),
            Response::Bool(b) => b.to_string(),
            Response::Text(t) => t,
            other => panic!("{other:?}"),
        };
        form.push((format!("q{}", q.slot), value));
    }
    form.push(("to".into(), "finish".into()));
    form
}

async fn review_options_hide_marks_and_answers_in_pages_and_api(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = c.lms.clone();
    let quiz = sample_quiz(&c, &lms, |q| {
        q.closes_at = utc().input_value(Utc::now() + Duration::days(1));
    })
    .await;
    // The student starts and finishes through the pages.
    let here = format!("/courses/bio/quizzes/{quiz}");
    let (status, page) = c.student.get(&here).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Start the quiz"), "{page}");
    let started = c.student.post(&format!("{here}/attempts"), &[]).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let attempt_page = location(&started);
    let id: i64 = attempt_page.rsplit('/').next().unwrap().parse().unwrap();
    let (stu, view) = student(&lms, "stu@example.org").await;
    let v = lms.attempt_view(&view, &stu, id).await.unwrap();
    let (status, page) = c.student.get(&attempt_page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("What is the capital of France?"), "{page}");
    assert!(!page.contains("Well done"), "no feedback while attempting");
    let form = right_answers_form(&v);
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let sent = c.student.post(&attempt_page, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    // Before the close: no marks, right answers or feedback, in the page or the API.
    let (_, review) = c.student.get(&attempt_page).await;
    assert!(review.contains("not shown yet"), "{review}");
    for hidden in ["The right answer", "Well done", "Correct"] {
        assert!(!review.contains(hidden), "{hidden} shown: {review}");
    }
    let api = Api::new(
        c.anonymous.url(""),
        Some(token_for(&lms, "stu@example.org").await),
    );
    let shown = api.get(&format!("/courses/bio/attempts/{id}")).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body["finished"].as_bool().unwrap());
    assert!(shown.body["marks"].is_null(), "{}", shown.body);
    for q in shown.body["questions"].as_array().unwrap() {
        assert!(q["mark"].is_null() && q["right_answer"].is_null() && q["state"].is_null());
        assert_eq!(q["feedback"], json!([]));
    }
    let info = api.get(&format!("/courses/bio/quizzes/{quiz}")).await;
    assert!(info.body["attempts"][0]["marks"].is_null(), "{}", info.body);
    assert!(info.body["grade"].is_null());
    assert_eq!(
        grade_of(&lms, &view, &stu, quiz).await,
        None,
        "not released"
    );
    // The teacher sees everything.
    let (_, staff) = c.teacher.get(&attempt_page).await;
    assert!(
        staff.contains("The right answer") && staff.contains("3 / 3"),
        "{staff}"
    );
    // The close passes (the teacher moves it): marks, answers and feedback appear, and the
    // grade is released.
    let mut input = QuizInput::from_quiz(&lms.quiz(&c.bio, quiz).await.unwrap(), utc());
    input.closes_at = utc().input_value(Utc::now() - Duration::minutes(2));
    lms.update_quiz_with(&c.bio, quiz, &input, &TextEdit::default())
        .await
        .unwrap();
    let (_, review) = c.student.get(&attempt_page).await;
    for shown in ["The right answer", "Well done", "3 / 3", "Correct"] {
        assert!(review.contains(shown), "{shown} missing: {review}");
    }
    let shown = api.get(&format!("/courses/bio/attempts/{id}")).await;
    assert_eq!(shown.body["marks"], json!(3.0));
    assert!(shown.body["questions"][0]["right_answer"].is_string());
    let info = api.get(&format!("/courses/bio/quizzes/{quiz}")).await;
    assert_eq!(info.body["grade"], json!(10.0));
    assert_eq!(grade_of(&lms, &view, &stu, quiz).await, Some(10.0));
    // "Never" hides the right answers even after the close.
    input.review_answers = "never".into();
    lms.update_quiz_with(&c.bio, quiz, &input, &TextEdit::default())
        .await
        .unwrap();
    let (_, review) = c.student.get(&attempt_page).await;
    assert!(!review.contains("The right answer") && review.contains("3 / 3"));
    let shown = api.get(&format!("/courses/bio/attempts/{id}")).await;
    assert!(shown.body["questions"][0]["right_answer"].is_null());
    // The results page and its CSV list the attempt.
    let (status, results) = c.teacher.get(&format!("{here}/results")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        results.contains("3 / 3") && results.contains("Facility"),
        "{results}"
    );
    let csv = c.teacher.fetch(&format!("{here}/results.csv"), &[]).await;
    let csv = csv.text().await.unwrap();
    assert!(csv.contains("stu@example.org,stu,1,"), "{csv}");
}

async fn an_essay_waits_for_its_grader(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = c.lms.clone();
    let quiz = sample_quiz(&c, &lms, |q| q.review_marks = "immediately".into()).await;
    let essay = Question::new(
        "Essay",
        "Why is the sky blue?",
        Body::Essay(Essay::default()),
    );
    let id = add_to_bank(&c, "Essays", &[essay]).await[0];
    lms.add_quiz_question(&c.bio, quiz, id, "2").await.unwrap();
    let (stu, view) = student(&lms, "stu@example.org").await;
    let a = lms.start_attempt(&view, &stu, quiz, "").await.unwrap();
    let v = lms.attempt_view(&view, &stu, a.id).await.unwrap();
    let mut answers: Vec<(i64, Response)> = Vec::new();
    for q in &v.questions {
        answers.push((
            q.slot,
            if q.name == "Essay" {
                Response::Text("Rayleigh scattering.".into())
            } else {
                answer(q, true)
            },
        ));
    }
    lms.save_answers(&view, &stu, a.id, None, &answers)
        .await
        .unwrap();
    lms.submit_attempt(&view, &stu, a.id).await.unwrap();
    let done = lms.attempt_view(&view, &stu, a.id).await.unwrap();
    assert!(done.attempt.needs_grading);
    assert_eq!(
        grade_of(&lms, &view, &stu, quiz).await,
        None,
        "no grade before marking"
    );
    let slot = done
        .questions
        .iter()
        .find(|q| q.name == "Essay")
        .unwrap()
        .slot;
    let over = lms
        .grade_attempt_question(&c.bio, &c.teacher_user, a.id, slot, "3", "")
        .await;
    assert!(
        matches!(over, Err(LmsError::Invalid(_))),
        "more than the question's 2"
    );
    // Through the review page's form.
    let page = format!("/courses/bio/attempts/{}", a.id);
    c.teacher.get(&page).await;
    let saved = c
        .teacher
        .post(
            &format!("{page}/grades"),
            &[
                ("slot", &slot.to_string()),
                ("mark", "1.5"),
                ("comment", "Good start"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let done = lms.attempt_view(&view, &stu, a.id).await.unwrap();
    assert!(!done.attempt.needs_grading);
    assert_eq!(done.marks.map(|m| m.to_string()).as_deref(), Some("4.5"));
    // 4.5 of 5 marks, out of 10 points.
    assert_eq!(grade_of(&lms, &view, &stu, quiz).await, Some(9.0));
}

async fn another_course_sees_nothing(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = c.lms.clone();
    let quiz = sample_quiz(&c, &lms, |_| {}).await;
    let (stu, view) = student(&lms, "stu@example.org").await;
    let a = lms.start_attempt(&view, &stu, quiz, "").await.unwrap();
    for path in [
        format!("/courses/bio/quizzes/{quiz}"),
        format!("/courses/bio/attempts/{}", a.id),
        format!("/courses/bio/quizzes/{quiz}/results"),
    ] {
        assert_eq!(c.other.get(&path).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    // A classmate does not see someone else's attempt either.
    let attempt = format!("/courses/bio/attempts/{}", a.id);
    assert_eq!(c.student2.get(&attempt).await.0, StatusCode::NOT_FOUND);
    let api = Api::new(
        c.anonymous.url(""),
        Some(token_for(&lms, "other@example.org").await),
    );
    assert_eq!(
        api.get(&format!("/courses/bio/quizzes/{quiz}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.get(&format!("/courses/bio/attempts/{}", a.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let put = api
        .send(
            reqwest::Method::PUT,
            &format!("/courses/bio/attempts/{}/answers", a.id),
            json!({"answers": []}),
        )
        .await;
    assert_eq!(put.status, StatusCode::NOT_FOUND);
    let start = api
        .send(
            reqwest::Method::POST,
            &format!("/courses/bio/quizzes/{quiz}/attempts"),
            json!({}),
        )
        .await;
    assert_eq!(start.status, StatusCode::NOT_FOUND);
    let classmate = Api::new(
        c.anonymous.url(""),
        Some(token_for(&lms, "stu2@example.org").await),
    );
    assert_eq!(
        classmate
            .get(&format!("/courses/bio/attempts/{}", a.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A hidden quiz is gone for students.
    let hide = paideia::lms::visibility::VisibilityInput {
        hidden: Some("true".into()),
        ..Default::default()
    };
    lms.set_visibility(&c.bio, quiz, &hide).await.unwrap();
    assert_eq!(c.student.get(&attempt).await.0, StatusCode::NOT_FOUND);
}

async fn quizzes_survive_dump_restore_and_copy(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = c.lms.clone();
    let quiz = sample_quiz(&c, &lms, |q| q.review_marks = "immediately".into()).await;
    let (stu, view) = student(&lms, "stu@example.org").await;
    take(&lms, &view, &stu, quiz, 2).await;
    let input = OverrideInput {
        zone: utc(),
        student_id: stu.id.to_string(),
        extra_minutes: "5".into(),
        ..OverrideInput::default()
    };
    lms.set_quiz_override(&c.bio, quiz, &input).await.unwrap();
    let db = lms.db();
    let path = b.dir.path().join("quizzes.sql");
    crate::backup::dump_to(db, &path).await;
    let target = Backend::new(b.engine()).await;
    let restored = target.db().await;
    crate::backup::restore_into(&restored, &path).await.unwrap();
    let before = crate::backup::snapshot(db).await;
    let after = crate::backup::snapshot(&restored).await;
    for table in [
        "question_categories",
        "questions",
        "question_versions",
        "quizzes",
        "quiz_slots",
        "quiz_overrides",
        "quiz_attempts",
        "quiz_attempt_questions",
    ] {
        assert!(!before[table].is_empty(), "{table} has rows to keep");
        assert_eq!(before[table], after[table], "{table}");
    }
    let again = Lms::new(restored, Arc::new(paideia::lms::SystemClock));
    let (stu2, view2) = student(&again, "stu@example.org").await;
    let info = again.quiz_info(&view2, &stu2, quiz).await.unwrap();
    assert_eq!(info.attempts.len(), 1);
    assert_eq!(
        info.attempts[0].marks.map(|m| m.to_string()).as_deref(),
        Some("2")
    );
    // A copy for a new term has the quiz and its questions (from a copied bank), no attempts.
    c.teacher.get("/courses/bio/copy").await;
    let copied = c
        .teacher
        .post(
            "/courses/bio/copy",
            &[
                ("title", "Bio 2027"),
                ("slug", "bio-2027"),
                ("shift_days", "7"),
            ],
        )
        .await;
    assert_eq!(copied.status(), StatusCode::SEE_OTHER);
    let copy = lms.course_view(&c.teacher_user, "bio-2027").await.unwrap();
    let module = lms
        .modules(&copy)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.title == "Quiz one")
        .unwrap();
    let slots = lms.quiz_slots(&copy, module.id).await.unwrap();
    assert_eq!(slots.len(), 3);
    let bank = lms.bank_entries(&copy).await.unwrap();
    assert_eq!(bank.len(), 3);
    assert!(
        slots
            .iter()
            .all(|s| bank.iter().any(|q| Some(q.id) == s.question_id))
    );
    let results = lms.quiz_results(&copy, module.id).await.unwrap();
    assert!(results.rows.iter().all(|r| r.attempts.is_empty()));
    // Deleted into the trash, the quiz answers 404; restored, it is back with its attempts.
    lms.delete_module(&c.bio, quiz).await.unwrap();
    assert_eq!(
        c.student
            .get(&format!("/courses/bio/quizzes/{quiz}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    lms.restore_module(&c.bio, quiz).await.unwrap();
    assert_eq!(
        lms.quiz_info(&view, &stu, quiz)
            .await
            .unwrap()
            .attempts
            .len(),
        1
    );
}
