//! Discussions (issue 16): forums as modules, threads and one level of replies, files through
//! storage, the edit window, moderation (pin, lock, hide, delete with a reason), unread
//! markers, following, graded forums in the gradebook, the API, and dumps.

use std::{sync::Arc, time::Instant};

use chrono::{Duration, Utc};
use paideia::lms::{
    Lms, ManualClock, User,
    attachments::TextEdit,
    courses::CourseView,
    discussions::{
        self, ForumInput, PostCreated, ReplyInput, ThreadAction, ThreadInput, followers_of_thread,
    },
};
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    api::{Api, token_for},
    on_both_engines,
    support::{
        Backend,
        class::{Class, class},
    },
};

on_both_engines!(
    threads_replies_and_unread_counts,
    students_never_see_hidden_or_deleted_posts,
    locked_threads_refuse_replies,
    authors_edit_within_the_window,
    another_course_sees_nothing,
    following_and_the_post_hook,
    a_graded_forum_is_in_the_gradebook,
    files_through_the_pages,
    discussions_survive_dump_and_restore,
    forums_follow_the_trash_and_course_copies,
    a_class_of_thirty_with_six_hundred_posts,
);

pub async fn user(c: &Class, email: &str) -> User {
    c.lms.user_by_email(email).await.unwrap()
}

pub async fn view_of(c: &Class, email: &str) -> (User, CourseView) {
    let u = user(c, email).await;
    let view = c.lms.course_view(&u, "bio").await.unwrap();
    (u, view)
}

/// Adds a forum to `bio`'s first section; returns its id.
pub async fn add_forum(c: &Class, title: &str, graded: bool) -> i64 {
    let input = ForumInput {
        section_id: c.root.to_string(),
        title: title.into(),
        description: "Ask **anything**.".into(),
        description_format: "markdown".into(),
        graded: graded.then(|| "true".into()),
        max_points: "20".into(),
    };
    c.lms.add_forum(&c.bio, &input).await.unwrap().module.id
}

async fn start(lms: &Lms, view: &CourseView, who: &User, forum: i64, title: &str) -> i64 {
    let input = ThreadInput {
        title: title.into(),
        body: format!("{title}: the question"),
        body_format: "markdown".into(),
    };
    lms.start_thread(view, who, forum, &input, &TextEdit::default())
        .await
        .unwrap()
        .value
        .id
}

async fn reply(lms: &Lms, view: &CourseView, who: &User, thread: i64, parent: Option<i64>) -> i64 {
    let input = ReplyInput {
        parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
        body: format!("a reply by {}", who.display_name),
        body_format: "markdown".into(),
    };
    lms.reply(view, who, thread, &input, &TextEdit::default())
        .await
        .unwrap()
        .value
        .id
}

async fn threads_replies_and_unread_counts(b: Backend) {
    let c = class(&b, &[]).await;
    let forum = add_forum(&c, "Questions", false).await;
    let (stu, stu_view) = view_of(&c, "stu@example.org").await;
    let (stu2, stu2_view) = view_of(&c, "stu2@example.org").await;
    let teacher = c.teacher_user.clone();
    let lms = &c.lms;

    let first = start(lms, &stu_view, &stu, forum, "First").await;
    let second = start(lms, &stu_view, &stu, forum, "Second").await;
    let opening = lms.posts(&stu_view, &stu, first).await.unwrap()[0].id;
    let answer = reply(lms, &c.bio, &teacher, first, Some(opening)).await;
    // A reply to a reply joins its top-level post: one level of nesting.
    let nested = reply(lms, &stu2_view, &stu2, first, Some(answer)).await;
    let posts = lms.posts(&stu_view, &stu, first).await.unwrap();
    let order: Vec<(i64, Option<i64>)> = posts.iter().map(|p| (p.id, p.parent_id)).collect();
    assert_eq!(
        order,
        [
            (opening, None),
            (answer, Some(opening)),
            (nested, Some(opening))
        ]
    );
    // The most recent activity comes first; a pinned thread before everything.
    let titles = |ts: Vec<discussions::Thread>| ts.into_iter().map(|t| t.title).collect::<Vec<_>>();
    assert_eq!(
        titles(lms.threads(&stu_view, &stu, forum).await.unwrap()),
        ["First", "Second"]
    );
    lms.moderate_thread(&c.bio, &teacher, second, ThreadAction::Pin)
        .await
        .unwrap();
    assert_eq!(
        titles(lms.threads(&stu_view, &stu, forum).await.unwrap()),
        ["Second", "First"]
    );

    // The student has two unread posts (by others), none of their own.
    let summary = &lms.forums(&stu_view, &stu).await.unwrap()[0];
    assert_eq!((summary.threads, summary.unread), (2, 2));
    let last = posts.iter().map(|p| p.id).max().unwrap();
    lms.mark_read(&stu, first, last).await.unwrap();
    assert_eq!(lms.forums(&stu_view, &stu).await.unwrap()[0].unread, 0);
    // Reading the thread page marks it read; a new reply is unread again.
    reply(lms, &c.bio, &teacher, first, None).await;
    let summary = &lms.forums(&stu_view, &stu).await.unwrap()[0];
    assert_eq!(summary.unread, 1);
    let (status, _) = c
        .student
        .get(&format!("/courses/bio/threads/{first}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(lms.forums(&stu_view, &stu).await.unwrap()[0].unread, 0);
    let (status, page) = c.student.get("/courses/bio/discussions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Questions"), "{page}");

    // The API lists the same, and replies.
    let api = Api::new(
        c.server().url(""),
        Some(token_for(lms, "stu2@example.org").await),
    );
    let listed = api.fetch("/courses/bio/forums", &[]).await;
    assert_eq!(listed.status(), StatusCode::OK);
    let body: serde_json::Value = listed.json().await.unwrap();
    assert_eq!(body["items"][0]["module"]["kind"], "forum");
    assert_eq!(body["items"][0]["threads"], 2);
    let sent = api
        .send(
            reqwest::Method::POST,
            &format!("/courses/bio/threads/{first}/posts"),
            json!({"body": "over the API", "parent_id": nested}),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    assert_eq!(sent.body["parent_id"], opening);
    let made = api
        .send(
            reqwest::Method::POST,
            &format!("/courses/bio/forums/{forum}/threads"),
            json!({"title": "From a script", "body": "hello"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let posts = api
        .fetch(&format!("/courses/bio/threads/{first}/posts"), &[])
        .await;
    let posts: serde_json::Value = posts.json().await.unwrap();
    assert_eq!(posts["total"], 5);
    drop(stu2_view);
}

async fn students_never_see_hidden_or_deleted_posts(b: Backend) {
    let c = class(&b, &[]).await;
    let forum = add_forum(&c, "Questions", false).await;
    let (stu, stu_view) = view_of(&c, "stu@example.org").await;
    let (stu2, stu2_view) = view_of(&c, "stu2@example.org").await;
    let teacher = c.teacher_user.clone();
    let lms = &c.lms;
    let thread = start(lms, &stu_view, &stu, forum, "Homework").await;
    let rude = reply(lms, &stu2_view, &stu2, thread, None).await;
    let under = reply(lms, &c.bio, &teacher, thread, Some(rude)).await;
    let spam = reply(lms, &stu2_view, &stu2, thread, None).await;
    lms.hide_post(&c.bio, &teacher, rude, true).await.unwrap();
    lms.delete_post(&c.bio, &teacher, spam, "advertising")
        .await
        .unwrap();

    let seen = lms.posts(&stu_view, &stu, thread).await.unwrap();
    let ids: Vec<i64> = seen.iter().map(|p| p.id).collect();
    assert!(!ids.contains(&rude) && !ids.contains(&under), "{ids:?}");
    let removed = seen.iter().find(|p| p.id == spam).unwrap();
    assert!(removed.body_html.is_empty() && removed.delete_reason.is_none());
    assert!(matches!(
        lms.post(&stu_view, &stu, rude).await,
        Err(paideia::lms::LmsError::NotFound)
    ));
    // Even its author no longer sees a hidden post.
    assert!(lms.post(&stu2_view, &stu2, rude).await.is_err());
    // Staff see everything, with the reason.
    let staff = lms.posts(&c.bio, &teacher, thread).await.unwrap();
    assert_eq!(staff.len(), 4);
    let spam = staff.iter().find(|p| p.id == spam).unwrap();
    assert_eq!(spam.delete_reason.as_deref(), Some("advertising"));
    let (_, page) = c
        .teacher
        .get(&format!("/courses/bio/threads/{thread}"))
        .await;
    assert!(page.contains("advertising") && page.contains("Hidden from students"));
    let (_, page) = c
        .student
        .get(&format!("/courses/bio/threads/{thread}"))
        .await;
    assert!(!page.contains("advertising") && page.contains("removed this post"));

    // A hidden thread, and a deleted one, are not found for students, on pages and the API.
    lms.moderate_thread(&c.bio, &teacher, thread, ThreadAction::Hide)
        .await
        .unwrap();
    assert!(
        lms.threads(&stu_view, &stu, forum)
            .await
            .unwrap()
            .is_empty()
    );
    let (status, _) = c
        .student
        .get(&format!("/courses/bio/threads/{thread}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let api = Api::new(
        c.server().url(""),
        Some(token_for(lms, "stu@example.org").await),
    );
    let answer = api
        .fetch(&format!("/courses/bio/threads/{thread}/posts"), &[])
        .await;
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    assert_eq!(lms.forums(&stu_view, &stu).await.unwrap()[0].threads, 0);
    let (status, _) = c
        .teacher
        .get(&format!("/courses/bio/threads/{thread}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    lms.moderate_thread(&c.bio, &teacher, thread, ThreadAction::Show)
        .await
        .unwrap();
    lms.delete_thread(&c.bio, &teacher, thread, "duplicate")
        .await
        .unwrap();
    assert!(lms.thread(&stu_view, &stu, thread).await.is_err());
    let t = lms.thread(&c.bio, &teacher, thread).await.unwrap();
    assert_eq!(t.delete_reason.as_deref(), Some("duplicate"));

    // A hidden forum (a module like any other) hides everything in it.
    let other = start(lms, &stu_view, &stu, forum, "Another").await;
    let hide = paideia::lms::visibility::VisibilityInput {
        hidden: Some("true".into()),
        ..Default::default()
    };
    lms.set_visibility(&c.bio, forum, &hide).await.unwrap();
    assert!(lms.thread(&stu_view, &stu, other).await.is_err());
    let (status, _) = c.student.get(&format!("/courses/bio/forums/{forum}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(lms.forums(&stu_view, &stu).await.unwrap().is_empty());
}

async fn locked_threads_refuse_replies(b: Backend) {
    let c = class(&b, &[]).await;
    let forum = add_forum(&c, "Questions", false).await;
    let (stu, stu_view) = view_of(&c, "stu@example.org").await;
    let lms = &c.lms;
    let thread = start(lms, &stu_view, &stu, forum, "Closed soon").await;
    lms.moderate_thread(&c.bio, &c.teacher_user, thread, ThreadAction::Lock)
        .await
        .unwrap();
    let input = ReplyInput {
        body: "too late".into(),
        ..ReplyInput::default()
    };
    let refused = lms
        .reply(&stu_view, &stu, thread, &input, &TextEdit::default())
        .await;
    assert!(matches!(refused, Err(paideia::lms::LmsError::Invalid(_))));
    let (_, page) = c
        .student
        .get(&format!("/courses/bio/threads/{thread}"))
        .await;
    assert!(page.contains("locked"), "{page}");
    let sent = c
        .student
        .post_files(
            &format!("/courses/bio/threads/{thread}/replies"),
            &[("body", "still trying"), ("body_format", "markdown")],
            &[],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let api = Api::new(
        c.server().url(""),
        Some(token_for(lms, "stu@example.org").await),
    );
    let answer = api
        .send(
            reqwest::Method::POST,
            &format!("/courses/bio/threads/{thread}/posts"),
            json!({"body": "and again"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(lms.posts(&stu_view, &stu, thread).await.unwrap().len(), 1);
    lms.moderate_thread(&c.bio, &c.teacher_user, thread, ThreadAction::Unlock)
        .await
        .unwrap();
    assert!(
        lms.reply(&stu_view, &stu, thread, &input, &TextEdit::default())
            .await
            .is_ok()
    );
}

async fn authors_edit_within_the_window(b: Backend) {
    let c = class(&b, &[]).await;
    let forum = add_forum(&c, "Questions", false).await;
    let (stu, stu_view) = view_of(&c, "stu@example.org").await;
    let (stu2, stu2_view) = view_of(&c, "stu2@example.org").await;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let lms = Lms::new(c.lms.db().clone(), clock.clone());
    let thread = start(&lms, &stu_view, &stu, forum, "Typo").await;
    let post = lms.posts(&stu_view, &stu, thread).await.unwrap()[0].clone();
    assert!(post.edited_at.is_none());
    let fixed = ReplyInput {
        body: "fixed".into(),
        body_format: "markdown".into(),
        ..ReplyInput::default()
    };
    // Someone else may not edit it.
    assert!(
        lms.edit_post(&stu2_view, &stu2, post.id, &fixed, &TextEdit::default())
            .await
            .is_err()
    );
    clock.advance(Duration::minutes(discussions::EDIT_WINDOW_MINUTES) - Duration::seconds(1));
    let edited = lms
        .edit_post(&stu_view, &stu, post.id, &fixed, &TextEdit::default())
        .await
        .unwrap()
        .value;
    assert_eq!(edited.body_html, "<p>fixed</p>\n");
    assert!(edited.edited_at.is_some());
    clock.advance(Duration::seconds(1));
    let late = lms
        .edit_post(&stu_view, &stu, post.id, &fixed, &TextEdit::default())
        .await;
    assert!(matches!(late, Err(paideia::lms::LmsError::Invalid(_))));
    // The page shows "edited"; someone else gets no edit form.
    let (_, page) = c
        .student
        .get(&format!("/courses/bio/threads/{thread}"))
        .await;
    assert!(page.contains("edited"), "{page}");
    let (status, _) = c
        .student2
        .get(&format!("/courses/bio/posts/{}/edit", post.id))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn another_course_sees_nothing(b: Backend) {
    let c = class(&b, &[]).await;
    let forum = add_forum(&c, "Questions", true).await;
    let (stu, stu_view) = view_of(&c, "stu@example.org").await;
    let thread = start(&c.lms, &stu_view, &stu, forum, "Ours").await;
    let post = c.lms.posts(&stu_view, &stu, thread).await.unwrap()[0].id;
    for path in [
        "/courses/bio/discussions".to_string(),
        format!("/courses/bio/forums/{forum}"),
        format!("/courses/bio/threads/{thread}"),
        format!("/courses/bio/posts/{post}/edit"),
        format!("/courses/bio/forums/{forum}/grades"),
    ] {
        let (status, _) = c.other.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // Nor through chem's address: the ids belong to bio.
    for path in [
        format!("/courses/chem/forums/{forum}"),
        format!("/courses/chem/threads/{thread}"),
    ] {
        let (status, _) = c.other.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let sent = c
        .other
        .post_files(
            &format!("/courses/bio/threads/{thread}/replies"),
            &[("body", "hi")],
            &[],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::NOT_FOUND);
    let api = Api::new(
        c.server().url(""),
        Some(token_for(&c.lms, "other@example.org").await),
    );
    for path in [
        "/courses/bio/forums".to_string(),
        format!("/courses/bio/forums/{forum}/threads"),
        format!("/courses/bio/threads/{thread}/posts"),
        format!("/courses/chem/threads/{thread}/posts"),
    ] {
        assert_eq!(
            api.fetch(&path, &[]).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

async fn following_and_the_post_hook(b: Backend) {
    let c = class(&b, &[]).await;
    let forum = add_forum(&c, "Questions", false).await;
    let (stu, stu_view) = view_of(&c, "stu@example.org").await;
    let (stu2, stu2_view) = view_of(&c, "stu2@example.org").await;
    let ta = user(&c, "ta@example.org").await;
    let lms = &c.lms;
    let teacher = c.teacher_user.clone();
    // The TA follows the whole forum; the starter follows their thread by starting it.
    let ta_view = lms.course_view(&ta, "bio").await.unwrap();
    lms.follow_forum(&ta_view, &ta, forum, true).await.unwrap();
    let thread = start(lms, &stu_view, &stu, forum, "Help").await;
    assert!(lms.follows(&stu, false, thread).await.unwrap());
    lms.follow_thread(&stu2_view, &stu2, thread, true)
        .await
        .unwrap();
    assert!(!lms.follows(&teacher, false, thread).await.unwrap());
    reply(lms, &c.bio, &teacher, thread, None).await;
    assert!(
        lms.follows(&teacher, false, thread).await.unwrap(),
        "replying follows the thread"
    );
    let mut conn = lms.db().conn().await.unwrap();
    // The newest post is the teacher's: everyone following but them.
    let followers = followers_of_thread(&mut conn, thread).await.unwrap();
    let mut want = vec![stu.id, stu2.id, ta.id];
    want.sort();
    assert_eq!(followers, want);
    // The hook leaves students out while the thread is hidden from them.
    lms.moderate_thread(&c.bio, &teacher, thread, ThreadAction::Hide)
        .await
        .unwrap();
    let last = lms.posts(&c.bio, &teacher, thread).await.unwrap();
    let event = PostCreated {
        post_id: last.last().unwrap().id,
        thread_id: thread,
        author_id: teacher.id,
        created_at: Utc::now(),
    };
    assert_eq!(
        discussions::after_post(&mut conn, &event).await.unwrap(),
        [ta.id]
    );
    // And while the forum itself is hidden.
    lms.moderate_thread(&c.bio, &teacher, thread, ThreadAction::Show)
        .await
        .unwrap();
    assert_eq!(
        discussions::after_post(&mut conn, &event).await.unwrap(),
        followers
            .iter()
            .copied()
            .filter(|id| *id != teacher.id)
            .collect::<Vec<_>>()
    );
    let hide = paideia::lms::visibility::VisibilityInput {
        hidden: Some("true".into()),
        ..Default::default()
    };
    lms.set_visibility(&c.bio, forum, &hide).await.unwrap();
    assert_eq!(
        discussions::after_post(&mut conn, &event).await.unwrap(),
        [ta.id]
    );
    lms.set_visibility(&c.bio, forum, &Default::default())
        .await
        .unwrap();
    // Unfollowing through the page's toggle.
    c.student2
        .get(&format!("/courses/bio/threads/{thread}"))
        .await;
    lms.moderate_thread(&c.bio, &teacher, thread, ThreadAction::Show)
        .await
        .unwrap();
    let (_, page) = c
        .student2
        .get(&format!("/courses/bio/threads/{thread}"))
        .await;
    assert!(page.contains("Following thread"), "{page}");
    let off = c
        .student2
        .post(
            &format!("/courses/bio/threads/{thread}/follow"),
            &[("on", "false")],
        )
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    assert!(!lms.follows(&stu2, false, thread).await.unwrap());
}

async fn a_graded_forum_is_in_the_gradebook(b: Backend) {
    let c = class(&b, &[]).await;
    let forum = add_forum(&c, "Debate", true).await;
    let lms = &c.lms;
    let items = lms.gradebook_items(&c.bio).await.unwrap();
    let item = items.iter().find(|i| i.module_id == Some(forum)).unwrap();
    assert_eq!((item.title.as_str(), item.max_points), ("Debate", 20.0));
    let (stu, stu_view) = view_of(&c, "stu@example.org").await;
    let thread = start(lms, &stu_view, &stu, forum, "My argument").await;
    reply(lms, &stu_view, &stu, thread, None).await;

    let sheet = lms.forum_sheet(&c.bio, forum).await.unwrap();
    let row = sheet.rows.iter().find(|r| r.student.id == stu.id).unwrap();
    assert_eq!(row.posts.len(), 2);
    let (status, page) = c
        .teacher
        .get(&format!("/courses/bio/forums/{forum}/grades"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("My argument"), "{page}");
    // The gradebook's "See the submissions" link of the item leads to the same table.
    let linked = c
        .teacher
        .fetch(&format!("/courses/bio/modules/{forum}/submissions"), &[])
        .await;
    assert_eq!(
        crate::support::browser::location(&linked),
        format!("/courses/bio/forums/{forum}/grades")
    );
    // A bad row saves nothing.
    let bad = c
        .teacher
        .post(
            &format!("/courses/bio/forums/{forum}/grades"),
            &[
                (&format!("points-{}", stu.id), "25"),
                (&format!("feedback-{}", stu.id), "too many"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let saved = c
        .teacher
        .post(
            &format!("/courses/bio/forums/{forum}/grades"),
            &[
                (&format!("points-{}", stu.id), "18"),
                (&format!("feedback-{}", stu.id), "well argued"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let mine = lms.my_grades(&stu_view, &stu).await.unwrap();
    let column = mine.assignment_column(forum).unwrap();
    assert!(mine.lines[0].grades[column].is_none(), "not released yet");
    lms.release_grades(&c.bio, item.id).await.unwrap();
    let mine = lms.my_grades(&stu_view, &stu).await.unwrap();
    let grade = mine.lines[0].grades[column].clone().unwrap();
    assert_eq!(
        (grade.points, grade.feedback.as_str()),
        (Some(18.0), "well argued")
    );
    // Students and ungraded forums have no grading table.
    let (status, _) = c
        .student
        .get(&format!("/courses/bio/forums/{forum}/grades"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let plain = add_forum(&c, "Chat", false).await;
    assert!(lms.forum_sheet(&c.bio, plain).await.is_err());
    // Turning grading off is refused while grades exist.
    let mut input = ForumInput::from_forum(&lms.forum(&c.bio, forum).await.unwrap());
    input.graded = None;
    let refused = lms
        .update_forum_with(&c.bio, forum, &input, &TextEdit::default())
        .await;
    assert!(matches!(refused, Err(paideia::lms::LmsError::Invalid(_))));
}

async fn files_through_the_pages(b: Backend) {
    let c = class(&b, &[]).await;
    let forum = add_forum(&c, "Labs", false).await;
    c.student.get(&format!("/courses/bio/forums/{forum}")).await;
    let sent = c
        .student
        .post_files(
            &format!("/courses/bio/forums/{forum}/threads"),
            &[
                ("title", "My graph"),
                ("body", "See ![graph](graph.png)"),
                ("body_format", "markdown"),
            ],
            &[
                ("attachments", "graph.png", b"\x89PNG fake".to_vec()),
                ("attachments", "data.csv", b"a,b\n1,2\n".to_vec()),
            ],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let (stu, stu_view) = view_of(&c, "stu@example.org").await;
    let thread = c.lms.threads(&stu_view, &stu, forum).await.unwrap()[0].id;
    let post = c
        .lms
        .posts(&stu_view, &stu, thread)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(post.files.len(), 2);
    let graph = post
        .files
        .iter()
        .find(|f| f.file_name == "graph.png")
        .unwrap();
    let path = discussions::file_path(graph.id, "graph.png");
    assert!(post.body_html.contains(&path), "{}", post.body_html);
    let (_, page) = c
        .student
        .get(&format!("/courses/bio/threads/{thread}"))
        .await;
    assert!(page.contains("data.csv"), "the unnamed file is listed");
    let got = c.student2.fetch(&path, &[]).await;
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.bytes().await.unwrap().as_ref(), b"\x89PNG fake");
    assert_eq!(
        c.other.fetch(&path, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    // Deleted, its files are gone for students but kept for staff.
    c.lms
        .delete_post(&c.bio, &c.teacher_user, post.id, "wrong course")
        .await
        .unwrap();
    assert_eq!(
        c.student2.fetch(&path, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(c.teacher.fetch(&path, &[]).await.status(), StatusCode::OK);
    // Purging the forum from the trash takes the files with it.
    c.lms.delete_module(&c.bio, forum).await.unwrap();
    assert_eq!(
        c.teacher.fetch(&path, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    let keys = c
        .lms
        .purge_trashed(
            &c.bio,
            paideia::lms::trash::Trashed::Module(paideia::lms::modules::ModuleKind::Forum),
            forum,
        )
        .await
        .unwrap();
    assert_eq!(keys.len(), 2);
}

async fn discussions_survive_dump_and_restore(b: Backend) {
    let c = class(&b, &[]).await;
    let forum = add_forum(&c, "Questions", true).await;
    let (stu, stu_view) = view_of(&c, "stu@example.org").await;
    let lms = &c.lms;
    let thread = start(lms, &stu_view, &stu, forum, "Kept").await;
    let first = lms.posts(&stu_view, &stu, thread).await.unwrap()[0].id;
    reply(lms, &c.bio, &c.teacher_user, thread, Some(first)).await;
    lms.mark_read(&stu, thread, first).await.unwrap();
    lms.follow_forum(&stu_view, &stu, forum, true)
        .await
        .unwrap();
    let db = lms.db();
    let path = b.dir.path().join("discussions.sql");
    crate::backup::dump_to(db, &path).await;
    let target = Backend::new(b.engine()).await;
    let restored = target.db().await;
    crate::backup::restore_into(&restored, &path).await.unwrap();
    let before = crate::backup::snapshot(db).await;
    let after = crate::backup::snapshot(&restored).await;
    for table in [
        "forums",
        "discussion_threads",
        "discussion_posts",
        "discussion_reads",
        "discussion_forum_follows",
        "discussion_thread_follows",
    ] {
        assert!(!before[table].is_empty(), "{table} has rows to keep");
        assert_eq!(before[table], after[table], "{table}");
    }
    // And into the other engine.
    let other = Backend::new(match b.engine() {
        paideia::db::Engine::Sqlite => paideia::db::Engine::Postgres,
        paideia::db::Engine::Postgres => paideia::db::Engine::Sqlite,
    })
    .await;
    let crossed = other.db().await;
    crate::backup::restore_into(&crossed, &path).await.unwrap();
    let across = crate::backup::snapshot(&crossed).await;
    for table in [
        "forums",
        "discussion_threads",
        "discussion_posts",
        "discussion_reads",
    ] {
        assert_eq!(before[table], across[table], "{table} across engines");
    }
    let again = Lms::new(restored, Arc::new(paideia::lms::SystemClock));
    let stu = again.user_by_email("stu@example.org").await.unwrap();
    let view = again.course_view(&stu, "bio").await.unwrap();
    assert_eq!(again.posts(&view, &stu, thread).await.unwrap().len(), 2);
    assert_eq!(
        again
            .forum(&view, forum)
            .await
            .unwrap()
            .module
            .kind
            .as_str(),
        "forum"
    );
}

async fn forums_follow_the_trash_and_course_copies(b: Backend) {
    let c = class(&b, &[]).await;
    let forum = add_forum(&c, "Debate", true).await;
    let (stu, stu_view) = view_of(&c, "stu@example.org").await;
    let lms = &c.lms;
    let thread = start(lms, &stu_view, &stu, forum, "Mine").await;
    // In the trash, the forum and its threads are gone for everyone; restored, they are back.
    lms.delete_module(&c.bio, forum).await.unwrap();
    let trash = lms.trash(&c.bio).await.unwrap();
    assert_eq!(
        trash[0].what,
        paideia::lms::trash::Trashed::Module(paideia::lms::modules::ModuleKind::Forum)
    );
    assert!(lms.thread(&c.bio, &c.teacher_user, thread).await.is_err());
    let (status, _) = c.teacher.get(&format!("/courses/bio/forums/{forum}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    lms.restore_module(&c.bio, forum).await.unwrap();
    assert_eq!(lms.posts(&stu_view, &stu, thread).await.unwrap().len(), 1);
    // The course page's module link leads to the forum.
    let shown = c
        .student
        .fetch(&format!("/courses/bio/modules/{forum}"), &[])
        .await;
    assert_eq!(
        crate::support::browser::location(&shown),
        format!("/courses/bio/forums/{forum}")
    );
    // A copy for a new term has the forum, graded, without last term's threads.
    c.teacher.get("/courses/bio/copy").await;
    let copied = c
        .teacher
        .post(
            "/courses/bio/copy",
            &[
                ("title", "Bio 2027"),
                ("slug", "bio-2027"),
                ("shift_days", "0"),
            ],
        )
        .await;
    assert_eq!(copied.status(), StatusCode::SEE_OTHER);
    let copy = lms.course_view(&c.teacher_user, "bio-2027").await.unwrap();
    let forums = lms.forums(&copy, &c.teacher_user).await.unwrap();
    assert_eq!(forums.len(), 1);
    let copied = &forums[0];
    assert!(copied.forum.graded && copied.forum.module.title == "Debate");
    assert!(
        copied
            .forum
            .module
            .body_html
            .as_deref()
            .unwrap()
            .contains("<strong>anything</strong>")
    );
    assert_eq!(copied.threads, 0);
    let items = lms.gradebook_items(&copy).await.unwrap();
    assert!(
        items
            .iter()
            .any(|i| i.module_id == Some(copied.forum.module.id))
    );
}

/// The unread counts stay cheap for a class: 30 students, 20 threads of 30 posts. Prints the
/// median time of the forum list, a forum's threads, a thread's posts and the thread page.
async fn a_class_of_thirty_with_six_hundred_posts(b: Backend) {
    let c = class(&b, &[]).await;
    let lms = &c.lms;
    for n in 0..28 {
        let email = format!("pupil{n:02}@example.org");
        crate::support::browser::account(lms, &email, paideia::lms::SystemRole::Student).await;
        lms.enroll(&c.bio, &email, "student").await.unwrap();
    }
    let forum = add_forum(&c, "Busy", true).await;
    let students = lms.students(&c.bio).await.unwrap();
    assert_eq!(students.len(), 30);
    let mut views = Vec::new();
    for s in &students {
        views.push(lms.course_view(s, "bio").await.unwrap());
    }
    let mut threads = Vec::new();
    for t in 0..20 {
        threads.push(start(lms, &views[t], &students[t], forum, &format!("Thread {t}")).await);
    }
    for (t, &thread) in threads.iter().enumerate() {
        for (i, s) in students.iter().enumerate().filter(|(i, _)| *i != t) {
            reply(lms, &views[i], s, thread, None).await;
        }
    }
    let (stu, stu_view) = view_of(&c, "stu@example.org").await;
    let summary = &lms.forums(&stu_view, &stu).await.unwrap()[0];
    assert_eq!(summary.threads, 20);
    let all: i64 = lms
        .threads(&c.bio, &c.teacher_user, forum)
        .await
        .unwrap()
        .iter()
        .map(|t| t.posts)
        .sum();
    assert_eq!(all, 600);
    async fn median<F: std::future::Future<Output = ()>>(mut f: impl FnMut() -> F) -> f64 {
        let mut times = Vec::new();
        for _ in 0..15 {
            let at = Instant::now();
            f().await;
            times.push(at.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    }
    let forums = median(|| async {
        lms.forums(&stu_view, &stu).await.unwrap();
    })
    .await;
    let list = median(|| async {
        lms.threads(&stu_view, &stu, forum).await.unwrap();
    })
    .await;
    let posts = median(|| async {
        lms.posts(&stu_view, &stu, threads[5]).await.unwrap();
    })
    .await;
    let page = median(|| async {
        let (status, _) = c
            .student
            .get(&format!("/courses/bio/threads/{}", threads[5]))
            .await;
        assert_eq!(status, StatusCode::OK);
    })
    .await;
    eprintln!(
        "{}: 600 posts, 30 students: forums {forums:.1} ms, threads {list:.1} ms, posts {posts:.1} ms, thread page {page:.1} ms (medians of 15)",
        b.engine()
    );
    for t in [forums, list, posts, page] {
        assert!(t < 2000.0, "{t} ms");
    }
}
