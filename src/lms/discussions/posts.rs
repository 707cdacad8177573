//! Threads and posts: reading them as one person may (students never get hidden threads or
//! posts, nor a reply to a hidden post, and get deleted posts without their text or files),
//! starting a thread, replying (one level: a reply to a reply joins its top-level post),
//! editing within the window, and each post's files (`media` rows owned through
//! `discussion_post_files`, named in the text like a page's attachments).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::{
    Lms, LmsError, User, can_edit,
    follow::{PostCreated, after_post},
};
use crate::{
    db::{Executor, Row, Value},
    lms::{
        FieldErrors,
        attachments::{Saved, TextEdit},
        courses::CourseView,
        media::{self, MEDIA_COLUMNS, Media},
        permissions,
        richtext::{Format, Links, MAX_TEXT_BYTES, RichText, Stored},
        validate,
    },
};

/// A thread as one person sees it, with its counts for them.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Thread {
    pub id: i64,
    pub forum_id: i64,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub title: String,
    pub pinned: bool,
    pub locked: bool,
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
    pub last_post_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Why staff deleted it; only staff are given it.
    pub delete_reason: Option<String>,
    /// Posts the person sees (deleted ones not counted).
    pub posts: i64,
    /// Of those, the ones written by others since they last read the thread.
    pub unread: i64,
}

/// A post as one person sees it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Post {
    pub id: i64,
    pub thread_id: i64,
    /// The top-level post this replies to; `None` for the opening post and replies to the
    /// thread.
    pub parent_id: Option<i64>,
    pub author_id: Option<i64>,
    pub author_name: String,
    /// Cleaned HTML (empty for a deleted post, to students).
    pub body_html: String,
    pub body_format: Option<Format>,
    #[serde(skip)]
    pub body_source: Option<String>,
    #[serde(skip)]
    pub body_source_digest: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Set when the author changed it after posting.
    pub edited_at: Option<DateTime<Utc>>,
    pub hidden: bool,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Why staff deleted it; only staff are given it.
    pub delete_reason: Option<String>,
    pub files: Vec<Media>,
    /// Written by someone else after the person last read the thread.
    pub unread: bool,
}

impl Post {
    /// The text as the editor opens it.
    pub fn body_text(&self) -> RichText {
        Stored::from_columns(
            self.body_html.clone(),
            self.body_format,
            self.body_source.clone(),
            self.body_source_digest.clone(),
        )
        .editable()
    }

    #[cfg(test)]
    pub(super) fn for_test(author: i64, at: DateTime<Utc>) -> Post {
        Post {
            id: 1,
            thread_id: 1,
            parent_id: None,
            author_id: Some(author),
            author_name: String::new(),
            body_html: String::new(),
            body_format: None,
            body_source: None,
            body_source_digest: None,
            created_at: at,
            edited_at: None,
            hidden: false,
            deleted_at: None,
            delete_reason: None,
            files: Vec::new(),
            unread: false,
        }
    }
}

/// A new thread as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ThreadInput {
    pub title: String,
    pub body: String,
    pub body_format: String,
}

/// A reply (or an edited post) as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReplyInput {
    /// The post replied to (empty: the thread).
    pub parent_id: String,
    pub body: String,
    pub body_format: String,
}

impl ThreadInput {
    pub fn text(&self) -> RichText {
        RichText::from_form(&self.body_format, &self.body)
    }
}

impl ReplyInput {
    pub fn text(&self) -> RichText {
        RichText::from_form(&self.body_format, &self.body)
    }
}

/// The path a post's file is served at (`/discussions/files/{media id}/{name}`), without the
/// course's slug, like a page's attachments.
pub fn file_path(media_id: i64, file_name: &str) -> String {
    let segment = crate::lms::attachments::path(media_id, file_name);
    let name = segment.rsplit('/').next().unwrap_or_default();
    format!("/discussions/files/{media_id}/{name}")
}

/// `body` checked: not empty (unless files come with it) and within the size limit.
fn check_body(errors: &mut FieldErrors, body: &str, has_files: bool) {
    errors.check(
        !body.trim().is_empty() || has_files,
        "body",
        "write something, or attach a file",
    );
    errors.check(
        body.len() <= MAX_TEXT_BYTES,
        "body",
        format!("use at most {MAX_TEXT_BYTES} bytes of text"),
    );
}

fn thread_from_row(row: &Row, staff: bool) -> Result<Thread, LmsError> {
    Ok(Thread {
        id: row.get("id")?,
        forum_id: row.get("forum_id")?,
        author_id: row.get("author_id")?,
        author_name: row
            .get::<Option<String>>("author_name")?
            .unwrap_or_else(|| "(removed account)".into()),
        title: row.get("title")?,
        pinned: row.get("pinned")?,
        locked: row.get("locked")?,
        hidden: row.get("hidden")?,
        created_at: row.get("created_at")?,
        last_post_at: row.get("last_post_at")?,
        deleted_at: row.get("deleted_at")?,
        delete_reason: if staff {
            row.get("delete_reason")?
        } else {
            None
        },
        posts: row.get("posts")?,
        unread: row.get("unread")?,
    })
}

/// The SQL condition (on `p`) of a post a student sees: not hidden and not under a hidden
/// post.
pub(super) const STUDENT_SEES_POST: &str = "NOT p.hidden AND NOT EXISTS
    (SELECT 1 FROM discussion_posts q WHERE q.id = p.parent_id AND q.hidden)";

impl Lms {
    /// The threads the viewer sees in the course's forums (or in forum `forum_id`), pinned
    /// first, then by last activity, with `actor`'s counts. The caller checks the forums.
    pub(super) async fn thread_list(
        &self,
        view: &CourseView,
        actor: &User,
        forum_id: Option<i64>,
    ) -> Result<Vec<Thread>, LmsError> {
        let staff = permissions::can_moderate(view.access());
        let (threads, posts) = if staff {
            ("", "TRUE")
        } else {
            (
                "AND NOT t.hidden AND t.deleted_at IS NULL",
                STUDENT_SEES_POST,
            )
        };
        let mut params: Vec<Value> = vec![view.course().id.into(), actor.id.into()];
        let only = match forum_id {
            Some(id) => {
                params.push(id.into());
                "AND t.forum_id = $3"
            }
            None => "",
        };
        let sql = format!(
            "SELECT t.id, t.forum_id, t.author_id, u.display_name AS author_name, t.title, t.pinned,
                    t.locked, t.hidden, t.created_at, t.last_post_at, t.deleted_at, t.delete_reason,
                    (SELECT COUNT(*) FROM discussion_posts p WHERE p.thread_id = t.id
                        AND p.deleted_at IS NULL AND {posts}) AS posts,
                    (SELECT COUNT(*) FROM discussion_posts p WHERE p.thread_id = t.id
                        AND p.deleted_at IS NULL AND {posts}
                        AND p.id > COALESCE(r.last_read_post_id, 0)
                        AND (p.author_id IS NULL OR p.author_id <> $2)) AS unread
             FROM discussion_threads t
             JOIN modules ON modules.id = t.forum_id
             LEFT JOIN users u ON u.id = t.author_id
             LEFT JOIN discussion_reads r ON r.thread_id = t.id AND r.user_id = $2
             WHERE modules.course_id = $1 {threads} {only}
             ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC"
        );
        let rows = self.db.query(&sql, &params).await?;
        rows.iter().map(|r| thread_from_row(r, staff)).collect()
    }

    /// The threads of forum `forum_id` the viewer sees, pinned first, then by last activity.
    pub async fn threads(
        &self,
        view: &CourseView,
        actor: &User,
        forum_id: i64,
    ) -> Result<Vec<Thread>, LmsError> {
        self.forum(view, forum_id).await?;
        self.thread_list(view, actor, Some(forum_id)).await
    }

    /// Thread `id` of the course; `NotFound` when the viewer may not see it or its forum.
    pub async fn thread(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
    ) -> Result<Thread, LmsError> {
        let row = self
            .db
            .query_opt(
                "SELECT forum_id FROM discussion_threads WHERE id = $1",
                &[id.into()],
            )
            .await?
            .ok_or(LmsError::NotFound)?;
        let forum_id: i64 = row.get("forum_id")?;
        self.threads(view, actor, forum_id)
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(LmsError::NotFound)
    }

    /// The posts of thread `id` the viewer sees: each top-level post (the opening one first)
    /// followed by its replies, oldest first.
    pub async fn posts(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
    ) -> Result<Vec<Post>, LmsError> {
        self.thread(view, actor, id).await?;
        let staff = permissions::can_moderate(view.access());
        let rows = self
            .db
            .query(
                "SELECT p.*, u.display_name AS author_name,
                        COALESCE(r.last_read_post_id, 0) AS last_read
                 FROM discussion_posts p
                 LEFT JOIN users u ON u.id = p.author_id
                 LEFT JOIN discussion_reads r ON r.thread_id = p.thread_id AND r.user_id = $2
                 WHERE p.thread_id = $1 ORDER BY p.id",
                &[id.into(), actor.id.into()],
            )
            .await?;
        let mut files = self.thread_files(id).await?;
        let mut all = Vec::new();
        for row in &rows {
            let last_read: i64 = row.get("last_read")?;
            let mut post = post_from_row(row)?;
            post.unread = post.id > last_read && post.author_id != Some(actor.id);
            post.files = files.remove(&post.id).unwrap_or_default();
            all.push(post);
        }
        let hidden: HashSet<i64> = all.iter().filter(|p| p.hidden).map(|p| p.id).collect();
        let mut seen: Vec<Post> = Vec::new();
        for mut post in all {
            if !staff {
                if post.hidden || post.parent_id.is_some_and(|p| hidden.contains(&p)) {
                    continue;
                }
                if post.deleted_at.is_some() {
                    post.body_html.clear();
                    post.body_source = None;
                    post.files.clear();
                }
            }
            if !staff {
                post.delete_reason = None;
            }
            seen.push(post);
        }
        // Top-level posts in order, each followed by its replies.
        let mut ordered = Vec::with_capacity(seen.len());
        let (tops, replies): (Vec<Post>, Vec<Post>) =
            seen.into_iter().partition(|p| p.parent_id.is_none());
        let mut by_parent: HashMap<i64, Vec<Post>> = HashMap::new();
        for r in replies {
            by_parent
                .entry(r.parent_id.unwrap_or_default())
                .or_default()
                .push(r);
        }
        for top in tops {
            let id = top.id;
            ordered.push(top);
            ordered.extend(by_parent.remove(&id).unwrap_or_default());
        }
        Ok(ordered)
    }

    /// Post `id` of the course as the viewer sees it; `NotFound` when they may not see it.
    pub async fn post(&self, view: &CourseView, actor: &User, id: i64) -> Result<Post, LmsError> {
        let row = self
            .db
            .query_opt(
                "SELECT thread_id FROM discussion_posts WHERE id = $1",
                &[id.into()],
            )
            .await?
            .ok_or(LmsError::NotFound)?;
        self.posts(view, actor, row.get("thread_id")?)
            .await?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or(LmsError::NotFound)
    }

    async fn thread_files(&self, thread_id: i64) -> Result<HashMap<i64, Vec<Media>>, LmsError> {
        let rows = self
            .db
            .query(
                &format!(
                    "SELECT f.post_id, {MEDIA_COLUMNS} FROM discussion_post_files f
                     JOIN media ON media.id = f.media_id
                     JOIN discussion_posts p ON p.id = f.post_id
                     WHERE p.thread_id = $1 ORDER BY media.file_name, media.id"
                ),
                &[thread_id.into()],
            )
            .await?;
        let mut out: HashMap<i64, Vec<Media>> = HashMap::new();
        for row in &rows {
            if let Some(m) = Media::from_row(row)? {
                out.entry(row.get("post_id")?).or_default().push(m);
            }
        }
        Ok(out)
    }

    /// Starts a thread in forum `forum_id` with its opening post; the author follows it.
    pub async fn start_thread(
        &self,
        view: &CourseView,
        actor: &User,
        forum_id: i64,
        input: &ThreadInput,
        edit: &TextEdit<'_>,
    ) -> Result<Saved<Thread>, LmsError> {
        view.require(permissions::can_post)?;
        self.forum(view, forum_id).await?;
        let mut errors = FieldErrors::default();
        let title = validate::text(&mut errors, "title", &input.title, 200);
        check_body(&mut errors, &input.body, !edit.files.is_empty());
        errors.into_result()?;
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let row = tx
            .query_one(
                "INSERT INTO discussion_threads (forum_id, author_id, title, created_at, last_post_at)
                 VALUES ($1, $2, $3, $4, $4) RETURNING id",
                &[forum_id.into(), actor.id.into(), title.into(), Value::Time(now)],
            )
            .await?;
        let thread_id: i64 = row.get("id")?;
        tx.execute(
            "INSERT INTO discussion_thread_follows (thread_id, user_id) VALUES ($1, $2)",
            &[thread_id.into(), actor.id.into()],
        )
        .await?;
        let (_, unused_keys) = self
            .insert_post(&mut tx, thread_id, None, actor, &input.text(), edit)
            .await?;
        tx.commit().await?;
        Ok(Saved {
            value: self.thread(view, actor, thread_id).await?,
            unused_keys,
        })
    }

    /// Replies in thread `thread_id` (to the post `input.parent_id` names, if any); refused in
    /// a locked thread.
    pub async fn reply(
        &self,
        view: &CourseView,
        actor: &User,
        thread_id: i64,
        input: &ReplyInput,
        edit: &TextEdit<'_>,
    ) -> Result<Saved<Post>, LmsError> {
        view.require(permissions::can_post)?;
        let thread = self.thread(view, actor, thread_id).await?;
        if thread.locked {
            return Err(LmsError::field(
                "body",
                "this thread is locked: no new replies",
            ));
        }
        if thread.deleted_at.is_some() {
            return Err(LmsError::field("body", "this thread was deleted"));
        }
        let parent = match input.parent_id.trim() {
            "" => None,
            text => {
                let id: i64 = text.parse().map_err(|_| LmsError::NotFound)?;
                let posts = self.posts(view, actor, thread_id).await?;
                let p = posts
                    .iter()
                    .find(|p| p.id == id)
                    .ok_or(LmsError::NotFound)?;
                // One level: a reply to a reply joins its top-level post.
                Some(p.parent_id.unwrap_or(p.id))
            }
        };
        let mut errors = FieldErrors::default();
        check_body(&mut errors, &input.body, !edit.files.is_empty());
        errors.into_result()?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let (id, unused_keys) = self
            .insert_post(&mut tx, thread_id, parent, actor, &input.text(), edit)
            .await?;
        // Who replies hears of the answers (as Moodle's "subscribe when posting"); the
        // thread's Unfollow undoes it.
        tx.execute(
            "INSERT INTO discussion_thread_follows (thread_id, user_id) VALUES ($1, $2)
             ON CONFLICT (thread_id, user_id) DO NOTHING",
            &[thread_id.into(), actor.id.into()],
        )
        .await?;
        tx.commit().await?;
        Ok(Saved {
            value: self.post(view, actor, id).await?,
            unused_keys,
        })
    }

    /// Inserts a post with its files inside `tx`, moves the thread's last activity and calls
    /// `after_post`.
    async fn insert_post(
        &self,
        tx: &mut impl Executor,
        thread_id: i64,
        parent_id: Option<i64>,
        actor: &User,
        text: &RichText,
        edit: &TextEdit<'_>,
    ) -> Result<(i64, Vec<String>), LmsError> {
        let now = self.now();
        let row = tx
            .query_one(
                "INSERT INTO discussion_posts (thread_id, parent_id, author_id, created_at)
                 VALUES ($1, $2, $3, $4) RETURNING id",
                &[
                    thread_id.into(),
                    parent_id.into(),
                    actor.id.into(),
                    Value::Time(now),
                ],
            )
            .await?;
        let id: i64 = row.get("id")?;
        let unused = self.save_post_text(tx, id, text, edit).await?;
        tx.execute(
            "UPDATE discussion_threads SET last_post_at = $2 WHERE id = $1",
            &[thread_id.into(), Value::Time(now)],
        )
        .await?;
        let to = after_post(
            tx,
            &PostCreated {
                post_id: id,
                thread_id,
                author_id: actor.id,
                created_at: now,
            },
        )
        .await?;
        self.notify_reply(tx, thread_id, id, actor, &text.source, &to)
            .await?;
        Ok((id, unused))
    }

    /// Saves `actor`'s post `id` with a new text and files, within the edit window.
    pub async fn edit_post(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
        input: &ReplyInput,
        edit: &TextEdit<'_>,
    ) -> Result<Saved<Post>, LmsError> {
        let post = self.post(view, actor, id).await?;
        if !can_edit(&post, actor, self.now()) {
            return Err(LmsError::field(
                "body",
                format!(
                    "posts can be edited for {} minutes after they are written",
                    super::EDIT_WINDOW_MINUTES
                ),
            ));
        }
        let mut errors = FieldErrors::default();
        let keeps_files = post.files.len() > edit.remove.len() || !edit.files.is_empty();
        check_body(&mut errors, &input.body, keeps_files);
        errors.into_result()?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let unused_keys = self
            .save_post_text(&mut tx, id, &input.text(), edit)
            .await?;
        tx.execute(
            "UPDATE discussion_posts SET edited_at = $2 WHERE id = $1",
            &[id.into(), Value::Time(self.now())],
        )
        .await?;
        tx.commit().await?;
        Ok(Saved {
            value: self.post(view, actor, id).await?,
            unused_keys,
        })
    }

    /// Applies `edit` to post `id`'s files and saves its text rendered against them; returns
    /// the storage keys of replaced or removed files.
    async fn save_post_text(
        &self,
        tx: &mut impl Executor,
        id: i64,
        text: &RichText,
        edit: &TextEdit<'_>,
    ) -> Result<Vec<String>, LmsError> {
        let mut names = HashSet::new();
        if let Some(twice) = edit.files.iter().find(|f| !names.insert(&f.file_name)) {
            let message = format!("two files are named {}: rename one", twice.file_name);
            return Err(LmsError::field("attachments", message));
        }
        let mut unused = Vec::new();
        let current = post_files(tx, id).await?;
        let replaced = current
            .iter()
            .filter(|m| edit.remove.contains(&m.id) || names.contains(&m.file_name));
        for m in replaced {
            unused.push(m.storage_key.clone());
            tx.execute("DELETE FROM media WHERE id = $1", &[m.id.into()])
                .await?;
        }
        for file in edit.files {
            let media_id = media::insert(tx, file, edit.actor_id, self.now()).await?;
            tx.execute(
                "INSERT INTO discussion_post_files (post_id, media_id) VALUES ($1, $2)",
                &[id.into(), media_id.into()],
            )
            .await?;
        }
        let files = post_files(tx, id).await?;
        let links = Links::new(
            files
                .iter()
                .map(|m| (m.file_name.clone(), file_path(m.id, &m.file_name))),
        );
        let stored = text.store(&links);
        if stored.html.len() > MAX_TEXT_BYTES {
            return Err(LmsError::field(
                "body",
                format!("use at most {MAX_TEXT_BYTES} bytes of text"),
            ));
        }
        tx.execute(
            "UPDATE discussion_posts SET body_html = $2, body_format = $3, body_source = $4,
                 body_source_digest = $5 WHERE id = $1",
            &[
                id.into(),
                stored.html.into(),
                stored.format.into(),
                stored.source.into(),
                stored.digest.into(),
            ],
        )
        .await?;
        Ok(unused)
    }

    /// File `media_id` of a post under `file_name`, for `user` if they may see the post (and,
    /// for a deleted post, are staff); `NotFound` otherwise.
    pub async fn post_file(
        &self,
        user: &User,
        media_id: i64,
        file_name: &str,
    ) -> Result<Media, LmsError> {
        let row = self
            .db
            .query_opt(
                "SELECT courses.slug, f.post_id FROM discussion_post_files f
                 JOIN discussion_posts p ON p.id = f.post_id
                 JOIN discussion_threads t ON t.id = p.thread_id
                 JOIN modules ON modules.id = t.forum_id
                 JOIN courses ON courses.id = modules.course_id
                 WHERE f.media_id = $1",
                &[media_id.into()],
            )
            .await?
            .ok_or(LmsError::NotFound)?;
        let slug: String = row.get("slug")?;
        let view = self.course_view(user, &slug).await?;
        let post = self.post(&view, user, row.get("post_id")?).await?;
        post.files
            .into_iter()
            .find(|m| m.id == media_id && m.file_name == file_name)
            .ok_or(LmsError::NotFound)
    }
}

async fn post_files(tx: &mut impl Executor, post_id: i64) -> Result<Vec<Media>, LmsError> {
    let rows = tx
        .query(
            &format!(
                "SELECT {MEDIA_COLUMNS} FROM discussion_post_files f
                 JOIN media ON media.id = f.media_id WHERE f.post_id = $1
                 ORDER BY media.file_name, media.id"
            ),
            &[post_id.into()],
        )
        .await?;
    rows.iter()
        .map(|row| Media::from_row(row)?.ok_or(LmsError::NotFound))
        .collect()
}

fn post_from_row(row: &Row) -> Result<Post, LmsError> {
    Ok(Post {
        id: row.get("id")?,
        thread_id: row.get("thread_id")?,
        parent_id: row.get("parent_id")?,
        author_id: row.get("author_id")?,
        author_name: row
            .get::<Option<String>>("author_name")?
            .unwrap_or_else(|| "(removed account)".into()),
        body_html: row.get("body_html")?,
        body_format: row.get("body_format")?,
        body_source: row.get("body_source")?,
        body_source_digest: row.get("body_source_digest")?,
        created_at: row.get("created_at")?,
        edited_at: row.get("edited_at")?,
        hidden: row.get("hidden")?,
        deleted_at: row.get("deleted_at")?,
        delete_reason: row.get("delete_reason")?,
        files: Vec::new(),
        unread: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_paths_carry_the_name_as_one_segment() {
        assert_eq!(file_path(7, "a b.png"), "/discussions/files/7/a%20b.png");
        assert_eq!(
            file_path(8, "x/y?.pdf"),
            "/discussions/files/8/x%2Fy%3F.pdf"
        );
    }
}
