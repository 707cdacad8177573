//! Moderation by staff: pin, lock (no new replies) and hide threads; hide posts; delete a
//! thread or a post with a reason that only staff see (the rows stay, students see a deleted
//! post as removed, without its text or files, and a deleted thread not at all).

use super::{Lms, LmsError, User};
use crate::{
    db::Value,
    lms::{courses::CourseView, permissions, validate},
};

/// What staff do to a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadAction {
    Pin,
    Unpin,
    Lock,
    Unlock,
    Hide,
    Show,
}

impl ThreadAction {
    /// The action a form or API sends (`pin`, `unpin`, `lock`, `unlock`, `hide`, `show`).
    pub fn parse(text: &str) -> Option<ThreadAction> {
        Some(match text.trim() {
            "pin" => ThreadAction::Pin,
            "unpin" => ThreadAction::Unpin,
            "lock" => ThreadAction::Lock,
            "unlock" => ThreadAction::Unlock,
            "hide" => ThreadAction::Hide,
            "show" => ThreadAction::Show,
            _ => return None,
        })
    }

    fn sql(self) -> &'static str {
        match self {
            ThreadAction::Pin => "pinned = TRUE",
            ThreadAction::Unpin => "pinned = FALSE",
            ThreadAction::Lock => "locked = TRUE",
            ThreadAction::Unlock => "locked = FALSE",
            ThreadAction::Hide => "hidden = TRUE",
            ThreadAction::Show => "hidden = FALSE",
        }
    }
}

/// A reason as typed: one line, required.
fn reason(text: &str) -> Result<String, LmsError> {
    let mut errors = crate::lms::FieldErrors::default();
    let reason = validate::text(&mut errors, "reason", text, 500);
    errors.into_result()?;
    Ok(reason)
}

impl Lms {
    /// Pins, locks or hides thread `id` (or undoes it).
    pub async fn moderate_thread(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
        action: ThreadAction,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_moderate)?;
        self.thread(view, actor, id).await?;
        self.db
            .execute(
                &format!(
                    "UPDATE discussion_threads SET {} WHERE id = $1",
                    action.sql()
                ),
                &[id.into()],
            )
            .await?;
        Ok(())
    }

    /// Hides post `id` from students (with the replies under it), or shows it again.
    pub async fn hide_post(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
        hidden: bool,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_moderate)?;
        self.post(view, actor, id).await?;
        self.db
            .execute(
                "UPDATE discussion_posts SET hidden = $2 WHERE id = $1",
                &[id.into(), hidden.into()],
            )
            .await?;
        Ok(())
    }

    /// Deletes thread `id`: gone for students; staff still see it with `reason`.
    pub async fn delete_thread(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
        reason_text: &str,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_moderate)?;
        self.thread(view, actor, id).await?;
        let reason = reason(reason_text)?;
        self.db
            .execute(
                "UPDATE discussion_threads SET deleted_at = $2, deleted_by = $3, delete_reason = $4
                 WHERE id = $1",
                &[
                    id.into(),
                    Value::Time(self.now()),
                    actor.id.into(),
                    reason.into(),
                ],
            )
            .await?;
        Ok(())
    }

    /// Deletes post `id`: students see that a post was removed, nothing of it; staff see it
    /// with `reason`.
    pub async fn delete_post(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
        reason_text: &str,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_moderate)?;
        self.post(view, actor, id).await?;
        let reason = reason(reason_text)?;
        self.db
            .execute(
                "UPDATE discussion_posts SET deleted_at = $2, deleted_by = $3, delete_reason = $4
                 WHERE id = $1",
                &[
                    id.into(),
                    Value::Time(self.now()),
                    actor.id.into(),
                    reason.into(),
                ],
            )
            .await?;
        Ok(())
    }
}
