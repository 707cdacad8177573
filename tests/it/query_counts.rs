//! No N+1 can come back: the SQL statements a hot page sends (the request log's
//! `statements`, counted per request by `db::count_statements`) are the same for a class of
//! two and a class of twenty-two, on both engines. The class has handed in, been graded and
//! released, been announced to, posted in a forum and submitted a quiz whose essay waits, so
//! every list on the pages is filled.

use std::time::{Duration, Instant};

use paideia::lms::{
    SystemRole,
    announcements::AnnouncementInput,
    attachments::TextEdit,
    discussions::{ForumInput, ReplyInput, ThreadInput},
    quizzes::{Body, Question, Response, questions::Essay},
};
use reqwest::StatusCode;

use crate::{
    lms_assignments::assignment_input,
    on_both_engines,
    quizzes::{add_to_bank, sample_quiz},
    support::{
        Backend,
        browser::{Browser, account},
        class::{Class, class},
    },
};

on_both_engines!(statements_per_page_do_not_grow_with_the_class);

/// The statements of one GET of `path` by `who`, from the server's request log.
async fn statements(c: &Class, who: &Browser, path: &str) -> u64 {
    let needle = format!("path={path} ");
    let before = c.server().log().matches(&needle).count();
    let (status, _) = who.get(path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log = c.server().log();
        if log.matches(&needle).count() > before {
            let line = log.lines().rev().find(|l| l.contains(&needle)).unwrap();
            let n = line
                .split_whitespace()
                .find_map(|w| w.strip_prefix("statements="))
                .unwrap_or_else(|| panic!("no statements in {line}"));
            return n.parse().unwrap();
        }
        assert!(Instant::now() < deadline, "{path} logged");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Enrolls `n` more students who each hand in, are graded, post a reply and submit the quiz
/// with its essay written.
async fn grow(c: &Class, from: usize, n: usize, essay: i64, item: i64, thread: i64, quiz: i64) {
    let lms = &c.lms;
    for i in from..from + n {
        let email = format!("s{i}@example.org");
        let who = account(lms, &email, SystemRole::Student).await;
        lms.enroll(&c.bio, &email, "student").await.unwrap();
        let view = lms.course_view(&who, "bio").await.unwrap();
        lms.submit(&view, &who, essay, "mine", &[]).await.unwrap();
        let attempt = lms.start_attempt(&view, &who, quiz, "").await.unwrap();
        let questions = lms
            .attempt_view(&view, &who, attempt.id)
            .await
            .unwrap()
            .questions;
        let slot = questions.iter().find(|q| q.kind == "essay").unwrap().slot;
        let text = Response::Text(format!("essay {i}"));
        lms.save_answers(&view, &who, attempt.id, None, &[(slot, text)])
            .await
            .unwrap();
        lms.submit_attempt(&view, &who, attempt.id).await.unwrap();
        lms.grade(&c.bio, &c.teacher_user, item, who.id, "15", "good")
            .await
            .unwrap();
        let reply = ReplyInput {
            body: format!("reply {i}"),
            body_format: "markdown".into(),
            ..ReplyInput::default()
        };
        lms.reply(&view, &who, thread, &reply, &TextEdit::default())
            .await
            .unwrap();
    }
    lms.release_grades(&c.bio, item).await.unwrap();
    let input = AnnouncementInput {
        title: format!("News {from}"),
        body: "Hello.".into(),
        ..AnnouncementInput::default()
    };
    lms.post_announcement(
        &c.bio,
        &c.teacher_user,
        &input,
        paideia::lms::Zone::parse("UTC").unwrap(),
    )
    .await
    .unwrap();
}

async fn statements_per_page_do_not_grow_with_the_class(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = &c.lms;
    let essay = lms
        .add_assignment(&c.bio, &assignment_input(c.root, "Essay"))
        .await
        .unwrap()
        .module
        .id;
    let item = lms.assignment_item(&c.bio, essay).await.unwrap().id;
    let forum = ForumInput {
        section_id: c.root.to_string(),
        title: "Questions".into(),
        description: "Ask.".into(),
        description_format: "markdown".into(),
        graded: None,
        max_points: String::new(),
    };
    let forum = lms.add_forum(&c.bio, &forum).await.unwrap().module.id;
    let opening = ThreadInput {
        title: "Walls".into(),
        body: "Why?".into(),
        body_format: "markdown".into(),
    };
    let thread = lms
        .start_thread(
            &c.bio,
            &c.teacher_user,
            forum,
            &opening,
            &TextEdit::default(),
        )
        .await
        .unwrap()
        .value
        .id;
    let quiz = sample_quiz(&c, lms, |q| {
        q.closes_at = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    })
    .await;
    let question = Question::new("Sky", "Why blue?", Body::Essay(Essay::default()));
    let question = add_to_bank(&c, "Essays", &[question]).await[0];
    lms.add_quiz_question(&c.bio, quiz, question, "2")
        .await
        .unwrap();
    grow(&c, 0, 2, essay, item, thread, quiz).await;
    let student = Browser::signed_in(c.server(), "s0@example.org").await;

    let teacher_pages = [
        "/courses/bio".to_string(),
        "/courses/bio/grades".into(),
        "/courses/bio/people".into(),
        format!("/courses/bio/modules/{essay}/submissions"),
        "/courses/bio/discussions".into(),
        format!("/courses/bio/forums/{forum}"),
        format!("/courses/bio/threads/{thread}"),
        "/".into(),
        format!("/courses/bio/quizzes/{quiz}"),
        format!("/courses/bio/quizzes/{quiz}/grading"),
    ];
    let student_pages = [
        "/".to_string(),
        "/courses/bio".into(),
        "/notifications".into(),
        "/courses/bio/grades".into(),
        format!("/courses/bio/threads/{thread}"),
        "/calendar".into(),
    ];
    async fn measure(c: &Class, student: &Browser, t: &[String], s: &[String]) -> Vec<u64> {
        let mut out = Vec::new();
        for path in t {
            // Twice: the second view, once the first has marked what it read.
            statements(c, &c.teacher, path).await;
            out.push(statements(c, &c.teacher, path).await);
        }
        for path in s {
            statements(c, student, path).await;
            out.push(statements(c, student, path).await);
        }
        out
    }
    let small = measure(&c, &student, &teacher_pages, &student_pages).await;
    grow(&c, 2, 20, essay, item, thread, quiz).await;
    let large = measure(&c, &student, &teacher_pages, &student_pages).await;
    let paths: Vec<String> = teacher_pages
        .iter()
        .map(|p| format!("teacher {p}"))
        .chain(student_pages.iter().map(|p| format!("student {p}")))
        .collect();
    let table: Vec<String> = paths
        .iter()
        .zip(small.iter().zip(&large))
        .map(|(p, (a, b))| format!("{p}: {a} -> {b}"))
        .collect();
    eprintln!(
        "statements per view, 2 -> 22 students:\n{}",
        table.join("\n")
    );
    assert_eq!(small, large, "{table:#?}");
}
