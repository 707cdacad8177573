//! Discussions: per course, forums → threads → posts (one level of replies). A forum is a
//! module (kind `Forum`, see `modules::KIND_SQL`), so sections, order, visibility, the trash
//! and course copies treat it like any module, and it may be graded (a gradebook item, its
//! grading table listing each student's posts, `grading`). Threads and posts live here with
//! their files (`posts`), moderation by staff (`moderation`), unread markers and following
//! (`follow`, with `after_post`, the one place a new post is announced). Students never
//! reach a hidden or deleted thread, or a hidden post: those answer `NotFound`.

mod follow;
mod grading;
mod moderation;
mod posts;

use chrono::{DateTime, Duration, Utc};

pub use follow::{PostCreated, after_post, followers_of_thread};
pub use grading::{ForumSheet, ForumSheetRow, SheetPost};
pub use moderation::ThreadAction;
pub use posts::{Post, ReplyInput, Thread, ThreadInput, file_path};

use super::{
    FieldErrors, Lms, LmsError, User,
    attachments::{Saved, Slot, TextEdit},
    courses::CourseView,
    modules::{Module, ModuleKind, NewModule, check_placement},
    permissions,
    richtext::{MAX_TEXT_BYTES, RichText},
};
use crate::db::{Executor, Row, Value};

/// How long authors may edit their post after writing it; later it is as written (staff may
/// still hide or delete it). An edited post shows "edited".
pub const EDIT_WINDOW_MINUTES: i64 = 30;

/// The edit window as a duration.
pub fn edit_window() -> Duration {
    Duration::minutes(EDIT_WINDOW_MINUTES)
}

/// The points a graded forum is out of when none are given.
const DEFAULT_POINTS: f64 = 10.0;

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Forum {
    /// The forum's module: title, section, description (`body_html`), visibility.
    pub module: Module,
    /// Whether the forum has a gradebook item.
    pub graded: bool,
    pub max_points: f64,
}

/// A forum with its counts for one person: threads they see, and posts they have not read.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ForumSummary {
    #[serde(flatten)]
    pub forum: Forum,
    pub threads: i64,
    pub unread: i64,
}

/// A forum form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ForumInput {
    pub section_id: String,
    pub title: String,
    pub description: String,
    /// `markdown` or `html`.
    pub description_format: String,
    /// A checkbox: present when the forum is graded.
    pub graded: Option<String>,
    pub max_points: String,
}

impl ForumInput {
    pub fn description_text(&self) -> RichText {
        RichText::from_form(&self.description_format, &self.description)
    }

    /// The form filled in with a forum's values.
    pub fn from_forum(f: &Forum) -> ForumInput {
        let text = f.module.body_text();
        ForumInput {
            section_id: f.module.section_id.to_string(),
            title: f.module.title.clone(),
            description: text.source,
            description_format: text.format.as_str().into(),
            graded: f.graded.then(|| "true".into()),
            max_points: super::gradebook::number(f.max_points),
        }
    }
}

struct CleanForum {
    section_id: i64,
    title: String,
    graded: bool,
    max_points: f64,
}

fn clean_forum(input: &ForumInput, section_ids: &[i64]) -> Result<CleanForum, LmsError> {
    let mut errors = FieldErrors::default();
    let (section_id, title) =
        check_placement(&mut errors, section_ids, &input.section_id, &input.title);
    let max_points = match input.max_points.trim() {
        "" => Some(DEFAULT_POINTS),
        text => text
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite() && *p > 0.0 && *p <= 100_000.0),
    };
    errors.check(
        max_points.is_some(),
        "max_points",
        "enter the points the forum is out of, more than 0",
    );
    errors.check(
        input.description.len() <= MAX_TEXT_BYTES,
        "description",
        format!("use at most {MAX_TEXT_BYTES} bytes of text"),
    );
    errors.into_result()?;
    Ok(CleanForum {
        section_id,
        title,
        graded: input.graded.is_some(),
        max_points: max_points.unwrap_or(DEFAULT_POINTS),
    })
}

impl Lms {
    /// The forum behind module `id` of the course, for anyone who sees the module.
    pub async fn forum(&self, view: &CourseView, id: i64) -> Result<Forum, LmsError> {
        let module = self.module(view, id).await?;
        if module.kind != ModuleKind::Forum {
            return Err(LmsError::NotFound);
        }
        let row = self
            .db
            .query_one(
                "SELECT graded, max_points FROM forums WHERE module_id = $1",
                &[id.into()],
            )
            .await?;
        forum_from_row(module, &row)
    }

    /// The course's forums the viewer sees, in course order, with their counts for `actor`.
    pub async fn forums(
        &self,
        view: &CourseView,
        actor: &User,
    ) -> Result<Vec<ForumSummary>, LmsError> {
        let modules: Vec<Module> = self
            .modules(view)
            .await?
            .into_iter()
            .filter(|m| m.kind == ModuleKind::Forum)
            .collect();
        let rows = self
            .db
            .query(
                "SELECT forums.module_id, forums.graded, forums.max_points FROM forums
                 JOIN modules ON modules.id = forums.module_id WHERE modules.course_id = $1",
                &[view.course().id.into()],
            )
            .await?;
        let threads = self.thread_list(view, actor, None).await?;
        let mut out = Vec::new();
        for module in modules {
            let Some(row) = rows
                .iter()
                .find(|r| r.get::<i64>("module_id").ok() == Some(module.id))
            else {
                continue;
            };
            let id = module.id;
            let forum = forum_from_row(module, row)?;
            let mine = threads.iter().filter(|t| t.forum_id == id);
            let (count, unread) = mine.fold((0, 0), |(n, u), t| (n + 1, u + t.unread));
            out.push(ForumSummary {
                forum,
                threads: count,
                unread,
            });
        }
        Ok(out)
    }

    /// Adds a forum (and, when graded, its gradebook item) whose description may name the
    /// files `edit` attaches.
    pub async fn add_forum_with(
        &self,
        view: &CourseView,
        input: &ForumInput,
        edit: &TextEdit<'_>,
    ) -> Result<Saved<Forum>, LmsError> {
        view.require(permissions::can_edit_content)?;
        let c = clean_forum(input, &self.section_ids(view).await?)?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let new = NewModule {
            section_id: c.section_id,
            kind: ModuleKind::Forum,
            title: &c.title,
            body_html: Some(""),
            media_id: None,
        };
        let id = self.insert_module(&mut tx, view, new).await?;
        tx.execute(
            "INSERT INTO forums (module_id, graded, max_points) VALUES ($1, $2, $3)",
            &[id.into(), c.graded.into(), c.max_points.into()],
        )
        .await?;
        if c.graded {
            self.add_forum_item(&mut tx, view, id, &c).await?;
        }
        let unused_keys = self
            .save_text(&mut tx, id, Slot::PageBody, &input.description_text(), edit)
            .await?;
        tx.commit().await?;
        Ok(Saved {
            value: self.forum(view, id).await?,
            unused_keys,
        })
    }

    /// Adds a forum without files.
    pub async fn add_forum(
        &self,
        view: &CourseView,
        input: &ForumInput,
    ) -> Result<Forum, LmsError> {
        Ok(self
            .add_forum_with(view, input, &TextEdit::default())
            .await?
            .value)
    }

    /// Saves a forum's title, section, description and grading. Grading turned on adds the
    /// gradebook item (or keeps the one it had); turned off, the item goes only while no
    /// student has a grade on it.
    pub async fn update_forum_with(
        &self,
        view: &CourseView,
        id: i64,
        input: &ForumInput,
        edit: &TextEdit<'_>,
    ) -> Result<Saved<Forum>, LmsError> {
        view.require(permissions::can_edit_content)?;
        self.forum(view, id).await?;
        let c = clean_forum(input, &self.section_ids(view).await?)?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let item = tx
            .query_opt(
                "SELECT id, (SELECT COUNT(*) FROM grades WHERE grades.item_id = gradebook_items.id
                             AND (grades.points IS NOT NULL OR grades.feedback <> '')) AS graded
                 FROM gradebook_items WHERE module_id = $1",
                &[id.into()],
            )
            .await?;
        match (&item, c.graded) {
            (None, true) => self.add_forum_item(&mut tx, view, id, &c).await?,
            (Some(_), true) => {
                tx.execute(
                    "UPDATE gradebook_items SET title = $2, max_points = $3 WHERE module_id = $1",
                    &[id.into(), c.title.as_str().into(), c.max_points.into()],
                )
                .await?;
            }
            (Some(row), false) => {
                if row.get::<i64>("graded")? > 0 {
                    return Err(LmsError::field(
                        "graded",
                        "students have grades on this forum: clear them in its grading table first",
                    ));
                }
                tx.execute(
                    "DELETE FROM gradebook_items WHERE module_id = $1",
                    &[id.into()],
                )
                .await?;
            }
            (None, false) => {}
        }
        tx.execute(
            "UPDATE modules SET section_id = $2, title = $3, updated_at = $4 WHERE id = $1",
            &[
                id.into(),
                c.section_id.into(),
                c.title.as_str().into(),
                Value::Time(self.now()),
            ],
        )
        .await?;
        tx.execute(
            "UPDATE forums SET graded = $2, max_points = $3 WHERE module_id = $1",
            &[id.into(), c.graded.into(), c.max_points.into()],
        )
        .await?;
        let unused_keys = self
            .save_text(&mut tx, id, Slot::PageBody, &input.description_text(), edit)
            .await?;
        tx.commit().await?;
        Ok(Saved {
            value: self.forum(view, id).await?,
            unused_keys,
        })
    }

    async fn add_forum_item(
        &self,
        tx: &mut impl Executor,
        view: &CourseView,
        id: i64,
        c: &CleanForum,
    ) -> Result<(), LmsError> {
        tx.execute(
            "INSERT INTO gradebook_items (course_id, module_id, title, max_points, weight, position, created_at)
             VALUES ($1, $2, $3, $4, 1, (SELECT COALESCE(MAX(position) + 1, 0) FROM gradebook_items WHERE course_id = $1), $5)",
            &[view.course().id.into(), id.into(), c.title.as_str().into(), c.max_points.into(), Value::Time(self.now())],
        )
        .await?;
        Ok(())
    }
}

fn forum_from_row(module: Module, row: &Row) -> Result<Forum, LmsError> {
    Ok(Forum {
        module,
        graded: row.get("graded")?,
        max_points: row.get("max_points")?,
    })
}

/// Whether `actor` may still edit `post` at `now`: its author, within the edit window, and
/// not deleted.
pub fn can_edit(post: &Post, actor: &User, now: DateTime<Utc>) -> bool {
    post.author_id == Some(actor.id)
        && post.deleted_at.is_none()
        && now < post.created_at + edit_window()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_forum_needs_a_title_and_sane_points() {
        let input = ForumInput {
            section_id: "1".into(),
            title: "Questions".into(),
            graded: Some("true".into()),
            max_points: String::new(),
            ..ForumInput::default()
        };
        let c = clean_forum(&input, &[1]).unwrap();
        assert!(c.graded);
        assert_eq!(c.max_points, DEFAULT_POINTS);
        let bad = ForumInput {
            title: " ".into(),
            max_points: "-3".into(),
            ..input
        };
        let Err(LmsError::Invalid(errors)) = clean_forum(&bad, &[1]) else {
            panic!("accepted");
        };
        assert!(errors.get("title").is_some() && errors.get("max_points").is_some());
    }

    #[test]
    fn the_edit_window_is_half_open() {
        let at = |m: u32| Utc.with_ymd_and_hms(2026, 3, 1, 9, m, 0).unwrap();
        let author = User {
            id: 7,
            email: "a@example.org".into(),
            display_name: "A".into(),
            role: crate::lms::SystemRole::Student,
            disabled: false,
            created_at: at(0),
            time_zone: None,
        };
        let post = Post::for_test(7, at(0));
        assert!(can_edit(&post, &author, at(29)));
        assert!(!can_edit(&post, &author, at(30)));
        let other = User { id: 8, ..author };
        assert!(!can_edit(&post, &other, at(1)));
    }
}
