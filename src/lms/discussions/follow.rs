//! Who hears about a post, and what each person has read. Following is a row per person and
//! forum or thread (toggled on the pages). Reading is one marker per person and thread, the
//! id of the last post they were shown: cheap to keep (one upsert per thread view) and to
//! count against (posts with a larger id by someone else are unread), where a row per post
//! read would grow with every post times every reader.

use chrono::{DateTime, Utc};

use super::{Lms, LmsError, User};
use crate::{
    db::{Executor, Value},
    lms::{CourseRole, courses::CourseView, permissions, visibility::shown_from_columns},
};

/// A post just written, as `after_post` is told of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PostCreated {
    pub post_id: i64,
    pub thread_id: i64,
    pub author_id: i64,
    /// When it was written (what the forum's schedule is judged at).
    pub created_at: DateTime<Utc>,
}

/// The people (ids, ascending) who follow thread `thread_id` or its forum, less the author of
/// the thread's newest post: whom to tell about that post.
pub async fn followers_of_thread(
    exec: &mut impl Executor,
    thread_id: i64,
) -> Result<Vec<i64>, LmsError> {
    let rows = exec
        .query(
            "SELECT user_id FROM discussion_thread_follows WHERE thread_id = $1
             UNION
             SELECT f.user_id FROM discussion_forum_follows f
             JOIN discussion_threads t ON t.forum_id = f.forum_id WHERE t.id = $1",
            &[thread_id.into()],
        )
        .await?;
    let author = exec
        .query_opt(
            "SELECT author_id FROM discussion_posts WHERE thread_id = $1 ORDER BY id DESC LIMIT 1",
            &[thread_id.into()],
        )
        .await?
        .map(|r| r.get::<Option<i64>>("author_id"))
        .transpose()?
        .flatten();
    let mut ids: Vec<i64> = rows
        .iter()
        .map(|r| r.get("user_id"))
        .collect::<Result<_, _>>()?;
    ids.retain(|id| Some(*id) != author);
    ids.sort_unstable();
    Ok(ids)
}

/// Called inside the transaction that writes every new post (opening posts and replies), after
/// the post and its files are saved: the one place a new post is announced. Returns whom it
/// concerns: the followers of the thread and its forum but the author, less students when
/// the thread or its forum is hidden from them (hidden, or outside the forum's schedule).
///
/// NOTIFICATIONS HOOK: "reply in a followed thread" belongs here. Enqueue one notification
/// (and its outbox mail) per returned person through `tx`, so it commits or rolls back with
/// the post; nothing else in the code creates posts.
pub async fn after_post(tx: &mut impl Executor, post: &PostCreated) -> Result<Vec<i64>, LmsError> {
    let mut to = followers_of_thread(tx, post.thread_id).await?;
    to.retain(|id| *id != post.author_id);
    let hidden = tx
        .query_one(
            "SELECT t.hidden, t.forum_id, m.hidden AS forum_hidden, m.visible_from, m.visible_until
             FROM discussion_threads t JOIN modules m ON m.id = t.forum_id WHERE t.id = $1",
            &[post.thread_id.into()],
        )
        .await?;
    let shown = shown_from_columns(
        hidden.get("forum_hidden")?,
        hidden.get("visible_from")?,
        hidden.get("visible_until")?,
        post.created_at,
    );
    if hidden.get::<bool>("hidden")? || !shown {
        let staff = tx
            .query(
                "SELECT enrollments.user_id FROM enrollments JOIN modules ON modules.course_id = enrollments.course_id
                 WHERE modules.id = $1 AND enrollments.role <> $2",
                &[hidden.get::<i64>("forum_id")?.into(), CourseRole::Student.into()],
            )
            .await?;
        let staff: Vec<i64> = staff
            .iter()
            .map(|r| r.get("user_id"))
            .collect::<Result<_, _>>()?;
        to.retain(|id| staff.contains(id));
    }
    Ok(to)
}

impl Lms {
    /// Records that `actor` has been shown thread `thread_id` up to post `last_post_id`
    /// (a marker never moves back).
    pub async fn mark_read(
        &self,
        actor: &User,
        thread_id: i64,
        last_post_id: i64,
    ) -> Result<(), LmsError> {
        self.db
            .execute(
                "INSERT INTO discussion_reads (thread_id, user_id, last_read_post_id) VALUES ($1, $2, $3)
                 ON CONFLICT (thread_id, user_id) DO UPDATE SET last_read_post_id =
                     CASE WHEN excluded.last_read_post_id > discussion_reads.last_read_post_id
                          THEN excluded.last_read_post_id ELSE discussion_reads.last_read_post_id END",
                &[thread_id.into(), actor.id.into(), last_post_id.into()],
            )
            .await?;
        Ok(())
    }

    /// Whether `actor` follows thread `id` (`forum: false`) or forum `id`.
    pub async fn follows(&self, actor: &User, forum: bool, id: i64) -> Result<bool, LmsError> {
        let sql = if forum {
            "SELECT 1 AS x FROM discussion_forum_follows WHERE forum_id = $1 AND user_id = $2"
        } else {
            "SELECT 1 AS x FROM discussion_thread_follows WHERE thread_id = $1 AND user_id = $2"
        };
        Ok(self
            .db
            .query_opt(sql, &[id.into(), actor.id.into()])
            .await?
            .is_some())
    }

    /// Follows or stops following forum `id` (one the viewer sees); returns the new state.
    pub async fn follow_forum(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
        on: bool,
    ) -> Result<bool, LmsError> {
        view.require(permissions::can_post)?;
        self.forum(view, id).await?;
        self.set_follow("discussion_forum_follows", "forum_id", actor, id, on)
            .await
    }

    /// Follows or stops following thread `id` (one the viewer sees); returns the new state.
    pub async fn follow_thread(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
        on: bool,
    ) -> Result<bool, LmsError> {
        view.require(permissions::can_post)?;
        self.thread(view, actor, id).await?;
        self.set_follow("discussion_thread_follows", "thread_id", actor, id, on)
            .await
    }

    async fn set_follow(
        &self,
        table: &str,
        column: &str,
        actor: &User,
        id: i64,
        on: bool,
    ) -> Result<bool, LmsError> {
        let params: [Value; 2] = [id.into(), actor.id.into()];
        let sql = if on {
            format!(
                "INSERT INTO {table} ({column}, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            )
        } else {
            format!("DELETE FROM {table} WHERE {column} = $1 AND user_id = $2")
        };
        self.db.execute(&sql, &params).await?;
        Ok(on)
    }
}
