//! Discussions over HTTP: a course's forums, a forum's threads and the new-thread form, a
//! thread's posts with the reply form (quote, reply to a post), editing a post within its
//! window, following, moderation by staff, a graded forum's grading table, and the download
//! of a post's file. Texts use the editor's forms (`editor::EditorForm`) and preview.

use axum::{
    Form,
    extract::{Path, Query, Request, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError, download,
    editor::EditorForm,
    modules::MAX_UPLOAD_BODY_BYTES,
    respond::{invalid, see_other},
    routes::Routes,
    views::{
        self,
        discussions::{Composer, ThreadPage},
    },
    visitor::Me,
};
use crate::lms::{
    FieldErrors,
    courses::CourseView,
    discussions::{Post, ReplyInput, ThreadAction, ThreadInput},
    grading::RowInput,
    permissions,
    richtext::{Format, Links, RichText, render},
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/discussions", index)
        .get("/courses/{slug}/forums/{id}", forum_page)
        .post_upload(
            "/courses/{slug}/forums/{id}/threads",
            new_thread,
            MAX_UPLOAD_BODY_BYTES,
        )
        .post("/courses/{slug}/forums/{id}/follow", follow_forum)
        .get("/courses/{slug}/forums/{id}/grades", sheet_page)
        .post("/courses/{slug}/forums/{id}/grades", save_sheet)
        .get("/courses/{slug}/threads/{id}", thread_page)
        .post_upload(
            "/courses/{slug}/threads/{id}/replies",
            reply,
            MAX_UPLOAD_BODY_BYTES,
        )
        .post("/courses/{slug}/threads/{id}/follow", follow_thread)
        .post("/courses/{slug}/threads/{id}/moderate", moderate_thread)
        .post("/courses/{slug}/threads/{id}/delete", delete_thread)
        .get("/courses/{slug}/posts/{id}/edit", edit_page)
        .post_upload(
            "/courses/{slug}/posts/{id}/edit",
            edit_post,
            MAX_UPLOAD_BODY_BYTES,
        )
        .post("/courses/{slug}/posts/{id}/moderate", moderate_post)
        .post("/courses/{slug}/posts/{id}/delete", delete_post)
        .get("/discussions/files/{id}/{name}", post_file)
}

/// Where forum `id` of course `slug` is.
pub fn forum_path(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/forums/{id}")
}

fn thread_path(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/threads/{id}")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ThreadQuery {
    /// Reply to this post.
    reply_to: String,
    /// Reply to this post, quoting it.
    quote: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FollowForm {
    on: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActionForm {
    action: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeleteForm {
    reason: String,
}

/// A text rendered as it would be saved, for Preview (names of files not yet saved stay as
/// typed).
fn previewed(text: &RichText) -> String {
    render(text.format, &text.source, &Links::default())
}

async fn index(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let forums = s.lms.forums(&view, &me.user).await?;
    let sections = s.lms.sections(&view).await?;
    Ok(views::discussions::index(&me.visitor, &view, &forums, &sections).into_response())
}

async fn forum_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let input = ThreadInput {
        body_format: Format::Markdown.as_str().into(),
        ..ThreadInput::default()
    };
    show_forum(&s, &me, &view, id, &input, &FieldErrors::default(), None).await
}

async fn show_forum(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    id: i64,
    input: &ThreadInput,
    errors: &FieldErrors,
    preview: Option<&str>,
) -> Result<Response, WebError> {
    let forum = s.lms.forum(view, id).await?;
    let threads = s.lms.threads(view, &me.user, id).await?;
    let following = s.lms.follows(&me.user, true, id).await?;
    let composer = Composer {
        errors,
        preview,
        attachments: &[],
    };
    let markup = views::discussions::forum(
        &me.visitor,
        view,
        &forum,
        &threads,
        following,
        input,
        &composer,
        s.lms.now(),
    );
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn new_thread(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    request: Request,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_post)?;
    s.lms.forum(&view, id).await?;
    let form = EditorForm::read(&s, request).await?;
    let input: ThreadInput = form.input()?;
    if form.preview() {
        form.discard(&s).await;
        let html = previewed(&input.text());
        let none = FieldErrors::default();
        return show_forum(&s, &me, &view, id, &input, &none, Some(&html)).await;
    }
    let result = match form.edit(me.user.id) {
        Ok(edit) => s.lms.start_thread(&view, &me.user, id, &input, &edit).await,
        Err(e) => Err(e),
    };
    match form.settle(&s, result).await? {
        Ok(thread) => Ok(see_other(
            &me.visitor,
            &thread_path(&slug, thread.id),
            "Thread started.",
        )),
        Err(errors) => show_forum(&s, &me, &view, id, &input, &errors, None).await,
    }
}

async fn follow_forum(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<FollowForm>,
) -> Result<Response, WebError> {
    follow(&s, &me, &slug, id, true, &form).await
}

/// Follows or stops following forum (`forum`) or thread `id`, and says so on its page.
async fn follow(
    s: &AppState,
    me: &Me,
    slug: &str,
    id: i64,
    forum: bool,
    form: &FollowForm,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, slug).await?;
    let wanted = form.on == "true";
    let (on, name, news, path) = if forum {
        let on = s.lms.follow_forum(&view, &me.user, id, wanted).await?;
        (on, "forum", "every new post", forum_path(slug, id))
    } else {
        let on = s.lms.follow_thread(&view, &me.user, id, wanted).await?;
        (on, "thread", "every reply", thread_path(slug, id))
    };
    let flash = if on {
        format!("You follow this {name}: you hear of {news}.")
    } else {
        format!("You no longer follow this {name}.")
    };
    Ok(see_other(&me.visitor, &path, &flash))
}

async fn thread_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ThreadQuery>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let posts = s.lms.posts(&view, &me.user, id).await?;
    let chosen = |text: &str| -> Option<&Post> {
        let id: i64 = text.trim().parse().ok()?;
        posts.iter().find(|p| p.id == id && p.deleted_at.is_none())
    };
    let mut input = ReplyInput {
        body_format: Format::Markdown.as_str().into(),
        ..ReplyInput::default()
    };
    if let Some(p) = chosen(&q.quote) {
        input.parent_id = p.id.to_string();
        input.body = quoted(p);
    } else if let Some(p) = chosen(&q.reply_to) {
        input.parent_id = p.id.to_string();
    }
    let response = show_thread(&s, &me, &view, id, &input, &FieldErrors::default(), None).await?;
    if let Some(last) = posts.iter().map(|p| p.id).max() {
        s.lms.mark_read(&me.user, id, last).await?;
    }
    Ok(response)
}

/// A post as Markdown to quote: its author, then each line after `> `.
fn quoted(p: &Post) -> String {
    let text = p.body_text();
    let mut out = format!("**{}** wrote:\n\n", p.author_name.replace('*', ""));
    for line in text.source.lines() {
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

async fn show_thread(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    id: i64,
    input: &ReplyInput,
    errors: &FieldErrors,
    preview: Option<&str>,
) -> Result<Response, WebError> {
    let thread = s.lms.thread(view, &me.user, id).await?;
    let forum = s.lms.forum(view, thread.forum_id).await?;
    let posts = s.lms.posts(view, &me.user, id).await?;
    let following = s.lms.follows(&me.user, false, id).await?;
    let page = ThreadPage {
        forum: &forum,
        thread: &thread,
        posts: &posts,
        following,
        me: &me.user,
        now: s.lms.now(),
    };
    let composer = Composer {
        errors,
        preview,
        attachments: &[],
    };
    let markup = views::discussions::thread(&me.visitor, view, &page, input, &composer);
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn reply(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    request: Request,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_post)?;
    s.lms.thread(&view, &me.user, id).await?;
    let form = EditorForm::read(&s, request).await?;
    let input: ReplyInput = form.input()?;
    if form.preview() {
        form.discard(&s).await;
        let html = previewed(&input.text());
        let none = FieldErrors::default();
        return show_thread(&s, &me, &view, id, &input, &none, Some(&html)).await;
    }
    let result = match form.edit(me.user.id) {
        Ok(edit) => s.lms.reply(&view, &me.user, id, &input, &edit).await,
        Err(e) => Err(e),
    };
    match form.settle(&s, result).await? {
        Ok(post) => Ok(see_other(
            &me.visitor,
            &format!("{}#post-{}", thread_path(&slug, id), post.id),
            "Reply posted.",
        )),
        Err(errors) => show_thread(&s, &me, &view, id, &input, &errors, None).await,
    }
}

async fn follow_thread(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<FollowForm>,
) -> Result<Response, WebError> {
    follow(&s, &me, &slug, id, false, &form).await
}

async fn moderate_thread(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_moderate)?;
    let action = ThreadAction::parse(&form.action)
        .ok_or_else(|| WebError::BadRequest(format!("unknown action {:?}", form.action)))?;
    s.lms.moderate_thread(&view, &me.user, id, action).await?;
    Ok(see_other(&me.visitor, &thread_path(&slug, id), "Saved."))
}

async fn delete_thread(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let thread = s.lms.thread(&view, &me.user, id).await?;
    s.lms
        .delete_thread(&view, &me.user, id, &form.reason)
        .await?;
    Ok(see_other(
        &me.visitor,
        &forum_path(&slug, thread.forum_id),
        "Thread deleted; staff still see it with the reason.",
    ))
}

async fn edit_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let post = s.lms.post(&view, &me.user, id).await?;
    if !crate::lms::discussions::can_edit(&post, &me.user, s.lms.now()) {
        return Err(WebError::NotFound);
    }
    let text = post.body_text();
    let input = ReplyInput {
        parent_id: String::new(),
        body: text.source,
        body_format: text.format.as_str().into(),
    };
    show_edit(&s, &me, &view, &post, &input, &FieldErrors::default(), None).await
}

async fn show_edit(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    post: &Post,
    input: &ReplyInput,
    errors: &FieldErrors,
    preview: Option<&str>,
) -> Result<Response, WebError> {
    let thread = s.lms.thread(view, &me.user, post.thread_id).await?;
    let composer = Composer {
        errors,
        preview,
        attachments: &post.files,
    };
    let markup = views::discussions::edit(&me.visitor, view, &thread, post, input, &composer);
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn edit_post(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    request: Request,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let post = s.lms.post(&view, &me.user, id).await?;
    if !crate::lms::discussions::can_edit(&post, &me.user, s.lms.now()) {
        return Err(WebError::NotFound);
    }
    let form = EditorForm::read(&s, request).await?;
    let input: ReplyInput = form.input()?;
    if form.preview() {
        form.discard(&s).await;
        let html = previewed(&input.text());
        let none = FieldErrors::default();
        return show_edit(&s, &me, &view, &post, &input, &none, Some(&html)).await;
    }
    let result = match form.edit(me.user.id) {
        Ok(edit) => s.lms.edit_post(&view, &me.user, id, &input, &edit).await,
        Err(e) => Err(e),
    };
    match form.settle(&s, result).await? {
        Ok(post) => Ok(see_other(
            &me.visitor,
            &format!("{}#post-{}", thread_path(&slug, post.thread_id), post.id),
            "Post saved.",
        )),
        Err(errors) => show_edit(&s, &me, &view, &post, &input, &errors, None).await,
    }
}

async fn moderate_post(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_moderate)?;
    let hidden = match form.action.as_str() {
        "hide" => true,
        "show" => false,
        other => return Err(WebError::BadRequest(format!("unknown action {other:?}"))),
    };
    let post = s.lms.post(&view, &me.user, id).await?;
    s.lms.hide_post(&view, &me.user, id, hidden).await?;
    Ok(see_other(
        &me.visitor,
        &format!("{}#post-{id}", thread_path(&slug, post.thread_id)),
        if hidden {
            "Post hidden from students."
        } else {
            "Post shown to students."
        },
    ))
}

async fn delete_post(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_moderate)?;
    let post = s.lms.post(&view, &me.user, id).await?;
    s.lms.delete_post(&view, &me.user, id, &form.reason).await?;
    Ok(see_other(
        &me.visitor,
        &format!("{}#post-{id}", thread_path(&slug, post.thread_id)),
        "Post deleted; staff still see it with the reason.",
    ))
}

async fn sheet_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let sheet = s.lms.forum_sheet(&view, id).await?;
    let none = Default::default();
    Ok(views::discussions::sheet(&me.visitor, &view, &sheet, &none, &[]).into_response())
}

async fn save_sheet(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let mut rows: Vec<RowInput> = Vec::new();
    for (name, value) in &fields {
        let Some((what, student)) = name.split_once('-') else {
            continue;
        };
        let Ok(student_id) = student.parse::<i64>() else {
            continue;
        };
        let at = match rows.iter().position(|r| r.student_id == student_id) {
            Some(at) => at,
            None => {
                rows.push(RowInput {
                    student_id,
                    ..RowInput::default()
                });
                rows.len() - 1
            }
        };
        match what {
            "points" => rows[at].points = value.clone(),
            "feedback" => rows[at].feedback = value.clone(),
            _ => {}
        }
    }
    match s.lms.save_forum_sheet(&view, &me.user, id, &rows).await? {
        Ok(n) => Ok(see_other(
            &me.visitor,
            &format!("{}/grades", forum_path(&slug, id)),
            &format!("{n} grade(s) saved."),
        )),
        Err(errors) => {
            let sheet = s.lms.forum_sheet(&view, id).await?;
            Ok(invalid(views::discussions::sheet(
                &me.visitor,
                &view,
                &sheet,
                &errors,
                &rows,
            )))
        }
    }
}

/// A post's file, for anyone who may see the post; 404 for everyone else.
async fn post_file(
    State(s): State<AppState>,
    me: Me,
    Path((id, name)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let media = s.lms.post_file(&me.user, id, &name).await?;
    download::send(&s.storage, &media, &headers).await
}
