//! Discussions in views: a course's forums with their counts, a forum's threads (pinned first,
//! unread marked) with the new-thread form, a thread's posts with the reply form and staff
//! controls, the edit form of a post, and a graded forum's grading table. Texts are written
//! in the editor (`editor`).

use chrono::{DateTime, Utc};
use maud::{Markup, PreEscaped, html};

use super::{
    editor::{self, TextField},
    forms::{self, Field},
    page, when,
};
use crate::{
    lms::{
        FieldErrors, User,
        courses::CourseView,
        discussions::{
            EDIT_WINDOW_MINUTES, Forum, ForumSheet, ForumSummary, Post, ReplyInput, Thread,
            ThreadInput, can_edit, file_path,
        },
        gradebook::number,
        grading::{RowInput, SheetErrors},
        media::Media,
        permissions,
        sections::Section,
    },
    web::{upload::size_text, visitor::Visitor},
};

/// The editor's state for one form: its errors, the preview, and the files already saved.
pub struct Composer<'a> {
    pub errors: &'a FieldErrors,
    pub preview: Option<&'a str>,
    pub attachments: &'a [Media],
}

/// Everything the thread page shows.
pub struct ThreadPage<'a> {
    pub forum: &'a Forum,
    pub thread: &'a Thread,
    pub posts: &'a [Post],
    pub following: bool,
    pub me: &'a User,
    pub now: DateTime<Utc>,
}

fn base(view: &CourseView) -> String {
    format!("/courses/{}", view.course().slug)
}

fn unread_badge(n: i64) -> Markup {
    html! {
        @if n > 0 { " " span.badge.unread { (n) " unread" } }
    }
}

/// The course's forums, by section, with their thread and unread counts.
pub fn index(
    v: &Visitor,
    view: &CourseView,
    forums: &[ForumSummary],
    sections: &[Section],
) -> Markup {
    let base = base(view);
    page(
        v,
        &format!("Discussions · {}", view.course().title),
        html! {
            p { a href=(base) { "Back to " (view.course().title) } }
            @if forums.is_empty() {
                p.muted {
                    "No forums yet."
                    @if permissions::can_edit_content(view.access()) {
                        " Add one to a section from the course page (Add: forum)."
                    }
                }
            } @else {
                table.forums {
                    thead { tr { th scope="col" { "Forum" } th scope="col" { "Section" } th scope="col" { "Threads" } th scope="col" { "Unread" } } }
                    tbody {
                        @for f in forums {
                            @let section = sections.iter().find(|s| s.id == f.forum.module.section_id).map(|s| s.title.as_str()).unwrap_or_default();
                            tr {
                                th scope="row" {
                                    a href={ (base) "/forums/" (f.forum.module.id) } { (f.forum.module.title) }
                                    @if f.forum.graded { " " span.badge { "Graded" } }
                                    @if permissions::can_edit_content(view.access()) && f.forum.module.hidden { " " span.badge.hidden { "Hidden" } }
                                }
                                td { (section) }
                                td { (f.threads) }
                                td { @if f.unread > 0 { strong { (f.unread) } } @else { "0" } }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn follow_button(action: &str, v: &Visitor, following: bool, what: &str) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            (forms::csrf(v))
            input type="hidden" name="on" value=(if following { "false" } else { "true" });
            button.secondary type="submit" aria-pressed=(if following { "true" } else { "false" }) {
                @if following { "Following " (what) " ✓" } @else { "Follow " (what) }
            }
        }
    }
}

/// The editor for a post's text, with its preview above it.
fn text_box(c: &Composer<'_>, format: &str, source: &str, label: &str) -> Markup {
    html! {
        @if let Some(html) = c.preview { (editor::preview(html)) }
        (editor::text_field(&TextField {
            name: "body",
            label,
            format,
            source,
            attachments: c.attachments,
            errors: c.errors,
        }))
    }
}

/// A forum: description, follow, threads and the new-thread form.
#[allow(clippy::too_many_arguments)]
pub fn forum(
    v: &Visitor,
    view: &CourseView,
    forum: &Forum,
    threads: &[Thread],
    following: bool,
    input: &ThreadInput,
    c: &Composer<'_>,
    now: DateTime<Utc>,
) -> Markup {
    let base = base(view);
    let m = &forum.module;
    let here = format!("{base}/forums/{}", m.id);
    let staff = permissions::can_edit_content(view.access());
    page(
        v,
        &m.title,
        html! {
            p { a href=(base) { (view.course().title) } " › " a href={ (base) "/discussions" } { "Discussions" } }
            div.actions {
                (follow_button(&format!("{here}/follow"), v, following, "forum"))
                @if staff {
                    (super::modules::badge(v, m, now))
                    a.button.secondary href={ (base) "/modules/" (m.id) "/edit" } { "Edit forum" }
                    a.button.secondary href={ (base) "/modules/" (m.id) "/visibility" } { "Visibility" }
                }
                @if forum.graded && permissions::can_grade(view.access()) {
                    a.button.secondary href={ (here) "/grades" } { "Grade posts" }
                }
            }
            @if let Some(body) = &m.body_html {
                // Cleaned by ammonia when it was saved.
                div.content { (PreEscaped(body)) }
            }
            @if forum.graded { p.muted { "This forum is graded, out of " (number(forum.max_points)) " points." } }
            h2 { "Threads" }
            @if threads.is_empty() {
                p.muted { "No threads yet: start the first one below." }
            } @else {
                ul.threads {
                    @for t in threads {
                        li class=[(t.unread > 0).then_some("unread")] {
                            @if t.pinned { span.badge { "Pinned" } " " }
                            @if t.locked { span.badge { "Locked" } " " }
                            @if t.hidden { span.badge.hidden { "Hidden" } " " }
                            @if t.deleted_at.is_some() { span.badge.hidden { "Deleted" } " " }
                            a href={ (base) "/threads/" (t.id) } { (t.title) }
                            (unread_badge(t.unread))
                            br;
                            span.muted.small {
                                (t.author_name) " · " (t.posts) @if t.posts == 1 { " post" } @else { " posts" }
                                " · last " (when(v.zone, t.last_post_at))
                            }
                        }
                    }
                }
            }
            @if permissions::can_post(view.access()) {
                h2 #new-thread { "Start a thread" }
                div.card {
                    (forms::summary(c.errors))
                    form.stack method="post" action={ (here) "/threads" } enctype="multipart/form-data" {
                        (forms::csrf(v))
                        (Field::new("title", "Title", &input.title).render(c.errors))
                        (text_box(c, &input.body_format, &input.body, "Post"))
                        div.actions {
                            button type="submit" { "Post thread" }
                            button.secondary type="submit" name="preview" value="true" { "Preview" }
                        }
                    }
                }
                (editor::script())
            }
        },
    )
}

/// One post: author, times, markers, text, files and the actions the person may take.
fn post(v: &Visitor, view: &CourseView, p: &ThreadPage<'_>, post: &Post, locked: bool) -> Markup {
    let base = base(view);
    let staff = permissions::can_moderate(view.access());
    let here = format!("{base}/threads/{}", p.thread.id);
    let unnamed: Vec<(&Media, String)> = post
        .files
        .iter()
        .map(|f| (f, file_path(f.id, &f.file_name)))
        .filter(|(_, path)| !post.body_html.contains(path.as_str()))
        .collect();
    let classes = format!(
        "post{}{}",
        if post.parent_id.is_some() {
            " reply"
        } else {
            ""
        },
        if post.unread { " unread" } else { "" }
    );
    html! {
        article class=(classes) id={ "post-" (post.id) } {
            header {
                strong { (post.author_name) } " · " (when(v.zone, post.created_at))
                @if post.edited_at.is_some() { " · " span.muted { "edited" } }
                @if post.unread { " " span.badge.unread { "New" } }
                @if post.hidden { " " span.badge.hidden { "Hidden from students" } }
            }
            @if post.deleted_at.is_some() {
                p.muted { em { "A moderator removed this post." } }
                @if let Some(reason) = &post.delete_reason { p.muted { "Reason (staff only): " (reason) } }
            }
            @if !post.body_html.is_empty() {
                // Cleaned by ammonia when it was saved.
                div.content { (PreEscaped(&post.body_html)) }
            }
            @if !unnamed.is_empty() {
                ul.files {
                    @for (f, path) in &unnamed {
                        li { a href=(path) { (f.file_name) } " " span.muted { (size_text(f.size_bytes as u64)) } }
                    }
                }
            }
            div.actions.small {
                @if !locked && post.deleted_at.is_none() && permissions::can_post(view.access()) {
                    a href={ (here) "?reply_to=" (post.id) "#reply" } { "Reply" span.visually-hidden { " to " (post.author_name) } }
                    a href={ (here) "?quote=" (post.id) "#reply" } { "Quote" span.visually-hidden { " " (post.author_name) } }
                }
                @if can_edit(post, p.me, p.now) {
                    a href={ (base) "/posts/" (post.id) "/edit" } { "Edit" }
                }
                @if staff && post.deleted_at.is_none() {
                    form.inline method="post" action={ (base) "/posts/" (post.id) "/moderate" } {
                        (forms::csrf(v))
                        input type="hidden" name="action" value=(if post.hidden { "show" } else { "hide" });
                        button.secondary type="submit" { @if post.hidden { "Show" } @else { "Hide" } }
                    }
                    form.inline method="post" action={ (base) "/posts/" (post.id) "/delete" } {
                        (forms::csrf(v))
                        label.visually-hidden for={ "reason-" (post.id) } { "Reason for deleting" }
                        input type="text" id={ "reason-" (post.id) } name="reason" required placeholder="Reason (staff only)";
                        button.danger type="submit" { "Delete" }
                    }
                }
            }
        }
    }
}

/// A thread: its posts (replies under their post), staff controls and the reply form.
pub fn thread(
    v: &Visitor,
    view: &CourseView,
    p: &ThreadPage<'_>,
    input: &ReplyInput,
    c: &Composer<'_>,
) -> Markup {
    let base = base(view);
    let t = p.thread;
    let here = format!("{base}/threads/{}", t.id);
    let staff = permissions::can_moderate(view.access());
    let replying_to = p
        .posts
        .iter()
        .find(|x| input.parent_id.trim() == x.id.to_string());
    let action = |value: &str, label: &str| {
        html! {
            form.inline method="post" action={ (here) "/moderate" } {
                (forms::csrf(v))
                input type="hidden" name="action" value=(value);
                button.secondary type="submit" { (label) }
            }
        }
    };
    page(
        v,
        &t.title,
        html! {
            p {
                a href=(base) { (view.course().title) } " › "
                a href={ (base) "/discussions" } { "Discussions" } " › "
                a href={ (base) "/forums/" (p.forum.module.id) } { (p.forum.module.title) }
            }
            div.actions {
                @if t.pinned { span.badge { "Pinned" } }
                @if t.locked { span.badge { "Locked" } }
                @if t.hidden { span.badge.hidden { "Hidden from students" } }
                (follow_button(&format!("{here}/follow"), v, p.following, "thread"))
            }
            @if let (Some(_), Some(reason)) = (t.deleted_at, &t.delete_reason) {
                p.warning { "Deleted; students do not see it. Reason: " (reason) }
            }
            @if staff {
                div.actions.moderation {
                    @if t.pinned { (action("unpin", "Unpin")) } @else { (action("pin", "Pin")) }
                    @if t.locked { (action("unlock", "Unlock")) } @else { (action("lock", "Lock")) }
                    @if t.hidden { (action("show", "Show to students")) } @else { (action("hide", "Hide from students")) }
                    @if t.deleted_at.is_none() {
                        form.inline method="post" action={ (here) "/delete" } {
                            (forms::csrf(v))
                            label.visually-hidden for="thread-reason" { "Reason for deleting the thread" }
                            input type="text" id="thread-reason" name="reason" required placeholder="Reason (staff only)";
                            button.danger type="submit" { "Delete thread" }
                        }
                    }
                }
            }
            div.posts {
                @for x in p.posts { (post(v, view, p, x, t.locked)) }
            }
            @if t.locked {
                p.warning #reply { "This thread is locked: no new replies." }
            } @else if permissions::can_post(view.access()) && t.deleted_at.is_none() {
                h2 #reply {
                    @if let Some(to) = replying_to { "Reply to " (to.author_name) } @else { "Reply" }
                }
                div.card {
                    (forms::summary(c.errors))
                    form.stack method="post" action={ (here) "/replies" } enctype="multipart/form-data" {
                        (forms::csrf(v))
                        input type="hidden" name="parent_id" value=(input.parent_id);
                        (text_box(c, &input.body_format, &input.body, "Your reply"))
                        div.actions {
                            button type="submit" { "Post reply" }
                            button.secondary type="submit" name="preview" value="true" { "Preview" }
                            @if replying_to.is_some() { a href={ (here) "#reply" } { "Reply to the thread instead" } }
                        }
                    }
                }
                (editor::script())
            }
        },
    )
}

/// The form that edits a post within its window.
pub fn edit(
    v: &Visitor,
    view: &CourseView,
    t: &Thread,
    post: &Post,
    input: &ReplyInput,
    c: &Composer<'_>,
) -> Markup {
    let base = base(view);
    page(
        v,
        &format!("Edit your post in {}", t.title),
        html! {
            p { a href={ (base) "/threads/" (t.id) "#post-" (post.id) } { "Back to the thread" } }
            p.muted { "Posts can be edited for " (EDIT_WINDOW_MINUTES) " minutes after they are written; they then show “edited”." }
            div.card {
                (forms::summary(c.errors))
                form.stack method="post" action={ (base) "/posts/" (post.id) "/edit" } enctype="multipart/form-data" {
                    (forms::csrf(v))
                    (text_box(c, &input.body_format, &input.body, "Post"))
                    div.actions {
                        button type="submit" { "Save" }
                        button.secondary type="submit" name="preview" value="true" { "Preview" }
                    }
                }
            }
            (editor::script())
        },
    )
}

/// A graded forum's grading table: each student's posts, points and feedback, release state.
pub fn sheet(
    v: &Visitor,
    view: &CourseView,
    sheet: &ForumSheet,
    errors: &SheetErrors,
    typed: &[RowInput],
) -> Markup {
    let base = base(view);
    let f = &sheet.forum;
    let here = format!("{base}/forums/{}/grades", f.module.id);
    page(
        v,
        &format!("Grade posts: {}", f.module.title),
        html! {
            p { a href={ (base) "/forums/" (f.module.id) } { "Back to the forum" } " · " a href={ (base) "/grades" } { "Gradebook" } }
            @if !errors.is_empty() {
                div.errors role="alert" { h2 { "Nothing was saved" } p { (errors.len()) " row(s) need a fix; each says what." } }
            }
            form method="post" action=(here) {
                (forms::csrf(v))
                div.table-scroll {
                    table.grading {
                        thead { tr {
                            th scope="col" { "Student" } th scope="col" { "Posts" }
                            th scope="col" { "Points (/" (number(sheet.item.max_points)) ")" } th scope="col" { "Feedback" } th scope="col" { "State" }
                        } }
                        tbody {
                            @for row in &sheet.rows {
                                @let id = row.student.id;
                                @let mine = typed.iter().find(|r| r.student_id == id);
                                @let row_errors = errors.row(id);
                                @let points = mine.map(|r| r.points.clone()).unwrap_or_else(|| row.grade.as_ref().and_then(|g| g.points).map(number).unwrap_or_default());
                                @let feedback = mine.map(|r| r.feedback.clone()).unwrap_or_else(|| row.grade.as_ref().map(|g| g.feedback.clone()).unwrap_or_default());
                                tr class=[row_errors.map(|_| "invalid")] {
                                    th scope="row" { (row.student.display_name) }
                                    td {
                                        @if row.posts.is_empty() { span.muted { "No posts" } } @else {
                                            details {
                                                summary { (row.posts.len()) " post(s)" }
                                                ul {
                                                    @for p in &row.posts {
                                                        li {
                                                            a href={ (base) "/threads/" (p.thread_id) "#post-" (p.id) } { (p.thread_title) }
                                                            " · " (when(v.zone, p.created_at))
                                                            // Cleaned by ammonia when it was saved.
                                                            blockquote { (PreEscaped(&p.body_html)) }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                    td {
                                        label.visually-hidden for={ "points-" (id) } { "Points for " (row.student.display_name) }
                                        input type="text" inputmode="decimal" size="5" id={ "points-" (id) } name={ "points-" (id) } value=(points);
                                        @if let Some(e) = row_errors.and_then(|e| e.get("points")) { span.error { (e) } }
                                    }
                                    td {
                                        label.visually-hidden for={ "feedback-" (id) } { "Feedback for " (row.student.display_name) }
                                        textarea id={ "feedback-" (id) } name={ "feedback-" (id) } rows="2" { (feedback) }
                                        @if let Some(e) = row_errors.and_then(|e| e.get("feedback")) { span.error { (e) } }
                                    }
                                    td {
                                        @match &row.grade {
                                            Some(g) if g.released_at.is_some() => span.badge.published { "Released" },
                                            Some(g) if g.points.is_some() => span.badge.draft { "Not released" },
                                            _ => span.muted { "Not graded" },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                div.actions { button type="submit" { "Save all grades" } }
            }
            form method="post" action={ (base) "/grades/items/" (sheet.item.id) "/release" } {
                (forms::csrf(v))
                input type="hidden" name="back" value=(here);
                div.actions { button.secondary type="submit" { "Release grades to students" } }
            }
        },
    )
}
