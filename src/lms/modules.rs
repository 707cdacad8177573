//! A course's modules: pages (rich text with attachments, see `richtext` and `attachments`),
//! files (a stored object), assignments (see `assignments`) and forums (see `discussions`),
//! each in one section and ordered there by position. Staff add, edit, reorder and delete them (into the course's
//! trash, see `trash`); students see those `visibility` shows them, staff see all.

use chrono::{DateTime, Utc};

use super::{
    FieldErrors, Lms, LmsError,
    attachments::{Saved, Slot, TextEdit},
    courses::CourseView,
    media::{self, MEDIA_COLUMNS, Media, StoredFile},
    permissions,
    richtext::{self, Format, MAX_TEXT_BYTES, RichText, Stored},
    sections::reordered,
    text_enum::text_enum,
    validate, visibility,
};
use crate::db::{Executor, Row, Value};

text_enum!(
    /// What a module is.
    ModuleKind {
        Page => "page", "Page",
        File => "file", "File",
        Assignment => "assignment", "Assignment",
        Forum => "forum", "Forum",
        Quiz => "quiz", "Quiz",
    }
);

impl ModuleKind {
    /// The text written to `modules.kind`: a forum is stored as a page with a `forums` row
    /// (the column's CHECK from 0001 can only be widened by a contract migration), and read
    /// back as a forum through `KIND_SQL`.
    pub(super) fn stored(self) -> &'static str {
        match self {
            ModuleKind::Forum | ModuleKind::Quiz => ModuleKind::Page.as_str(),
            kind => kind.as_str(),
        }
    }
}

/// The SQL that reads a module's kind (`AS kind`), a forum being a page with a `forums` row
/// and a quiz a page with a `quizzes` row.
pub(super) const KIND_SQL: &str =
    "CASE WHEN EXISTS (SELECT 1 FROM forums WHERE forums.module_id = modules.id) THEN 'forum'
          WHEN EXISTS (SELECT 1 FROM quizzes WHERE quizzes.module_id = modules.id) THEN 'quiz'
          ELSE modules.kind END AS kind";

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Module {
    pub id: i64,
    pub section_id: i64,
    pub kind: ModuleKind,
    pub title: String,
    pub position: i64,
    /// A page's cleaned HTML, what everyone is shown.
    pub body_html: Option<String>,
    /// A page's source format (`None`: HTML from before the editor, or not a page).
    pub body_format: Option<Format>,
    /// A page's Markdown source.
    pub body_source: Option<String>,
    /// The SHA-256 of the HTML `body_source` produced (see `richtext::Stored::editable`).
    #[serde(skip)]
    pub body_source_digest: Option<String>,
    /// A file module's file.
    pub media: Option<Media>,
    /// Hidden from students whatever the dates say.
    pub hidden: bool,
    /// Shown to students only from this instant on (`None`: no start).
    pub visible_from: Option<DateTime<Utc>>,
    /// Shown to students only before this instant (`None`: no end).
    pub visible_until: Option<DateTime<Utc>>,
}

/// What a new module row holds.
pub(super) struct NewModule<'a> {
    pub section_id: i64,
    pub kind: ModuleKind,
    pub title: &'a str,
    pub body_html: Option<&'a str>,
    pub media_id: Option<i64>,
}

/// A page form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PageInput {
    pub section_id: String,
    pub title: String,
    pub body: String,
    /// `markdown` or `html` (also when empty, as before the editor).
    pub body_format: String,
}

fn select_modules(filter: &str) -> String {
    format!(
        "SELECT modules.id, modules.section_id, {KIND_SQL}, modules.title, modules.position,
                modules.body_html, modules.body_format, modules.body_source,
                modules.body_source_digest, modules.hidden, modules.visible_from,
                modules.visible_until, {MEDIA_COLUMNS}
         FROM modules LEFT JOIN media ON media.id = modules.media_id
         WHERE modules.course_id = $1 AND modules.deleted_at IS NULL {filter}
         ORDER BY modules.section_id, modules.position, modules.id"
    )
}

impl Module {
    fn from_row(row: &Row) -> Result<Module, LmsError> {
        Ok(Module {
            id: row.get("id")?,
            section_id: row.get("section_id")?,
            kind: row.get("kind")?,
            title: row.get("title")?,
            position: row.get("position")?,
            body_html: row.get("body_html")?,
            body_format: row.get("body_format")?,
            body_source: row.get("body_source")?,
            body_source_digest: row.get("body_source_digest")?,
            media: Media::from_row(row)?,
            hidden: row.get("hidden")?,
            visible_from: row.get("visible_from")?,
            visible_until: row.get("visible_until")?,
        })
    }

    /// A page's text as the editor opens it.
    pub fn body_text(&self) -> RichText {
        Stored::from_columns(
            self.body_html.clone().unwrap_or_default(),
            self.body_format,
            self.body_source.clone(),
            self.body_source_digest.clone(),
        )
        .editable()
    }
}

/// Rich text as it may be shown (see `richtext::render`).
pub fn sanitize_html(html: &str) -> String {
    richtext::sanitize_html(html)
}

/// Checks a title and a section (which must belong to the course) shared by every kind.
pub(super) fn check_placement(
    errors: &mut FieldErrors,
    section_ids: &[i64],
    section_id: &str,
    title: &str,
) -> (i64, String) {
    let title = validate::text(errors, "title", title, 200);
    let section = section_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| section_ids.contains(id));
    errors.check(
        section.is_some(),
        "section_id",
        "choose a section of this course",
    );
    (section.unwrap_or_default(), title)
}

fn clean_page(input: &PageInput, section_ids: &[i64]) -> Result<(i64, String, RichText), LmsError> {
    let mut errors = FieldErrors::default();
    let (section, title) =
        check_placement(&mut errors, section_ids, &input.section_id, &input.title);
    errors.check(
        input.body.len() <= MAX_TEXT_BYTES,
        "body",
        format!("use at most {MAX_TEXT_BYTES} bytes of text"),
    );
    errors.into_result()?;
    let text = RichText::from_form(&input.body_format, &input.body);
    Ok((section, title, text))
}

impl Lms {
    /// Every module of the course the viewer may see (students: those shown now; staff: all
    /// but the trash), by section and position.
    pub async fn modules(&self, view: &CourseView) -> Result<Vec<Module>, LmsError> {
        let rows = self
            .db
            .query(&select_modules(""), &[view.course().id.into()])
            .await?;
        let now = self.now();
        let mut modules = Vec::new();
        for row in &rows {
            let module = Module::from_row(row)?;
            if visibility::sees(view.access(), &module, now) {
                modules.push(module);
            }
        }
        Ok(modules)
    }

    /// One module of the course; `NotFound` for a module of another course, one in the trash
    /// or one the viewer may not see (a hidden or scheduled one, for students).
    pub async fn module(&self, view: &CourseView, id: i64) -> Result<Module, LmsError> {
        let row = self
            .db
            .query_opt(
                &select_modules("AND modules.id = $2"),
                &[view.course().id.into(), id.into()],
            )
            .await?
            .ok_or(LmsError::NotFound)?;
        let module = Module::from_row(&row)?;
        if !visibility::sees(view.access(), &module, self.now()) {
            return Err(LmsError::NotFound);
        }
        Ok(module)
    }

    /// The ids of the course's sections, for checking a chosen section.
    pub(super) async fn section_ids(&self, view: &CourseView) -> Result<Vec<i64>, LmsError> {
        Ok(self.sections(view).await?.iter().map(|s| s.id).collect())
    }

    /// Inserts a module at the end of its section and returns its id.
    pub(super) async fn insert_module(
        &self,
        tx: &mut impl Executor,
        view: &CourseView,
        new: NewModule<'_>,
    ) -> Result<i64, LmsError> {
        let now = Value::Time(self.now());
        let row = tx
            .query_one(
                "INSERT INTO modules (course_id, section_id, kind, title, position, body_html, media_id, created_at, updated_at)
                 VALUES ($1, $2, $3, $4,
                         (SELECT COALESCE(MAX(position) + 1, 0) FROM modules WHERE section_id = $2),
                         $5, $6, $7, $7)
                 RETURNING id",
                &[
                    view.course().id.into(),
                    new.section_id.into(),
                    new.kind.stored().into(),
                    new.title.into(),
                    new.body_html.into(),
                    new.media_id.into(),
                    now,
                ],
            )
            .await?;
        Ok(row.get("id")?)
    }

    pub async fn add_page(&self, view: &CourseView, input: &PageInput) -> Result<Module, LmsError> {
        Ok(self
            .add_page_with(view, input, &TextEdit::default())
            .await?
            .value)
    }

    /// Adds a page whose text may name the files `edit` attaches to it.
    pub async fn add_page_with(
        &self,
        view: &CourseView,
        input: &PageInput,
        edit: &TextEdit<'_>,
    ) -> Result<Saved<Module>, LmsError> {
        view.require(permissions::can_edit_content)?;
        let (section, title, text) = clean_page(input, &self.section_ids(view).await?)?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let new = NewModule {
            section_id: section,
            kind: ModuleKind::Page,
            title: &title,
            body_html: Some(""),
            media_id: None,
        };
        let id = self.insert_module(&mut tx, view, new).await?;
        let unused_keys = self
            .save_text(&mut tx, id, Slot::PageBody, &text, edit)
            .await?;
        tx.commit().await?;
        Ok(Saved {
            value: self.module(view, id).await?,
            unused_keys,
        })
    }

    /// Saves a page's title, section and text.
    pub async fn update_page(
        &self,
        view: &CourseView,
        id: i64,
        input: &PageInput,
    ) -> Result<Module, LmsError> {
        Ok(self
            .update_page_with(view, id, input, &TextEdit::default())
            .await?
            .value)
    }

    /// Saves a page's title, section and text, changing its attachments by `edit`.
    pub async fn update_page_with(
        &self,
        view: &CourseView,
        id: i64,
        input: &PageInput,
        edit: &TextEdit<'_>,
    ) -> Result<Saved<Module>, LmsError> {
        view.require(permissions::can_edit_content)?;
        let module = self.module(view, id).await?;
        if module.kind != ModuleKind::Page {
            return Err(LmsError::NotFound);
        }
        let (section, title, text) = clean_page(input, &self.section_ids(view).await?)?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        tx.execute(
            "UPDATE modules SET section_id = $2, title = $3, updated_at = $4 WHERE id = $1",
            &[
                id.into(),
                section.into(),
                title.into(),
                Value::Time(self.now()),
            ],
        )
        .await?;
        let unused_keys = self
            .save_text(&mut tx, id, Slot::PageBody, &text, edit)
            .await?;
        tx.commit().await?;
        Ok(Saved {
            value: self.module(view, id).await?,
            unused_keys,
        })
    }

    /// Adds a file module for an object already stored by `actor`. On an error the caller
    /// removes the object, which nothing then refers to.
    pub async fn add_file(
        &self,
        view: &CourseView,
        actor_id: i64,
        section_id: &str,
        title: &str,
        file: &StoredFile,
    ) -> Result<Module, LmsError> {
        view.require(permissions::can_edit_content)?;
        let mut errors = FieldErrors::default();
        let (section, title) = check_placement(
            &mut errors,
            &self.section_ids(view).await?,
            section_id,
            title,
        );
        errors.into_result()?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let media_id = media::insert(&mut tx, file, actor_id, self.now()).await?;
        let id = self
            .insert_module(
                &mut tx,
                view,
                NewModule {
                    section_id: section,
                    kind: ModuleKind::File,
                    title: &title,
                    body_html: None,
                    media_id: Some(media_id),
                },
            )
            .await?;
        tx.commit().await?;
        self.module(view, id).await
    }

    /// Moves a module to 1-based `position` within its section.
    pub async fn move_module(
        &self,
        view: &CourseView,
        id: i64,
        position: usize,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_edit_content)?;
        let module = self.module(view, id).await?;
        let siblings: Vec<i64> = self
            .modules(view)
            .await?
            .iter()
            .filter(|m| m.section_id == module.section_id)
            .map(|m| m.id)
            .collect();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        for (sibling, position) in reordered(&siblings, id, position) {
            tx.execute(
                "UPDATE modules SET position = $2 WHERE id = $1",
                &[sibling.into(), position.into()],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Removes module `id` for good inside `tx`, with its submissions, grades and attachments;
    /// returns the storage keys of the files that belonged only to it, for the caller to
    /// remove after the commit (what is left becomes an orphan for `paideia storage gc`).
    pub(super) async fn purge_module(
        &self,
        tx: &mut impl Executor,
        id: i64,
    ) -> Result<Vec<String>, LmsError> {
        let owned = "SELECT media_id FROM modules WHERE id = $1 AND media_id IS NOT NULL
                     UNION SELECT submission_files.media_id FROM submission_files
                     JOIN submissions ON submissions.id = submission_files.submission_id
                     WHERE submissions.assignment_id = $1
                     UNION SELECT media_id FROM module_attachments WHERE module_id = $1
                     UNION SELECT discussion_post_files.media_id FROM discussion_post_files
                     JOIN discussion_posts ON discussion_posts.id = discussion_post_files.post_id
                     JOIN discussion_threads ON discussion_threads.id = discussion_posts.thread_id
                     WHERE discussion_threads.forum_id = $1
                     UNION SELECT grade_files.media_id FROM grade_files
                     JOIN gradebook_items ON gradebook_items.id = grade_files.item_id
                     WHERE gradebook_items.module_id = $1";
        let keys = tx
            .query(
                &format!("SELECT storage_key FROM media WHERE id IN ({owned})"),
                &[id.into()],
            )
            .await?
            .iter()
            .map(|r| r.get("storage_key"))
            .collect::<Result<Vec<String>, _>>()?;
        let media_ids: Vec<i64> = tx
            .query(owned, &[id.into()])
            .await?
            .iter()
            .map(|r| r.get("media_id"))
            .collect::<Result<_, _>>()?;
        tx.execute("DELETE FROM modules WHERE id = $1", &[id.into()])
            .await?;
        for media_id in media_ids {
            tx.execute("DELETE FROM media WHERE id = $1", &[media_id.into()])
                .await?;
        }
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_lose_scripts_but_keep_formatting() {
        let dirty = r#"<h2>Week 1</h2><p onclick="steal()">Read <a href="javascript:alert(1)">this</a> and <a href="https://example.org/">that</a>.</p><script>alert(1)</script><img src=x onerror=alert(1)>"#;
        let clean = sanitize_html(dirty);
        assert!(clean.contains("<h2>Week 1</h2>"), "{clean}");
        assert!(clean.contains(r#"href="https://example.org/""#), "{clean}");
        for bad in ["<script", "onclick", "javascript:", "onerror"] {
            assert!(!clean.contains(bad), "{bad} survived: {clean}");
        }
    }

    #[test]
    fn a_page_needs_a_title_and_a_section_of_the_course() {
        let input = PageInput {
            section_id: "99".into(),
            title: " ".into(),
            body: "<p>x</p>".into(),
            body_format: String::new(),
        };
        let Err(LmsError::Invalid(errors)) = clean_page(&input, &[1, 2]) else {
            panic!("accepted");
        };
        assert!(errors.get("title").is_some() && errors.get("section_id").is_some());
        let ok = PageInput {
            section_id: "2".into(),
            ..input
        };
        let ok = PageInput {
            title: "Intro".into(),
            ..ok
        };
        assert_eq!(
            clean_page(&ok, &[1, 2]).unwrap(),
            (2, "Intro".into(), RichText::new(Format::Html, "<p>x</p>"))
        );
    }
}
