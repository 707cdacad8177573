//! Copying a course into a new term: a new draft course with the same sections, modules
//! (pages, files, assignments, forums without their threads, with their visibility),
//! attachments and gradebook set-up, every date moved by a number of days, and no people but
//! the one copying, its teacher; no submissions, posts or grades. Files get their own objects (the caller copies the bytes to new
//! keys first, see `copy_sources`), so deleting either course never breaks the other.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::{
    CourseInput, Lms, LmsError, User,
    attachments::{Slot, TextEdit, path},
    courses::{Course, CourseView, clean, insert_course},
    media::{self, Media, StoredFile},
    modules::ModuleKind,
    permissions,
    richtext::RichText,
    sections::{SectionNode, tree},
};
use crate::db::{Executor, Value};

/// The most days a copy moves dates, either way (about ten years).
pub const MAX_SHIFT_DAYS: i64 = 3660;

/// A copy form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CopyInput {
    pub title: String,
    pub slug: String,
    /// Whole days to move every date by (negative: earlier); empty means 0.
    pub shift_days: String,
}

impl CopyInput {
    /// The form as first shown: the course's title and address marked as a copy.
    pub fn for_course(course: &Course) -> CopyInput {
        CopyInput {
            title: format!("{} (copy)", course.title),
            slug: format!("{}-copy", course.slug),
            shift_days: "0".into(),
        }
    }
}

/// The checked form: the new course and the shift.
struct Clean {
    course: super::courses::CleanCourse,
    shift: Duration,
}

fn check(input: &CopyInput, description: &str) -> Result<Clean, LmsError> {
    let course_input = CourseInput {
        title: input.title.clone(),
        slug: input.slug.clone(),
        description: description.to_string(),
        status: "draft".into(),
    };
    let course = clean(&course_input);
    let days = match input.shift_days.trim() {
        "" => Some(0),
        text => text
            .trim_start_matches('+')
            .parse::<i64>()
            .ok()
            .filter(|d| d.abs() <= MAX_SHIFT_DAYS),
    };
    match (course, days) {
        (Ok(course), Some(days)) => Ok(Clean {
            course,
            shift: Duration::days(days),
        }),
        (course, days) => {
            let mut errors = match course {
                Err(LmsError::Invalid(errors)) => errors,
                Err(e) => return Err(e),
                Ok(_) => Default::default(),
            };
            if days.is_none() {
                errors.add(
                    "shift_days",
                    format!(
                        "enter a whole number of days from -{MAX_SHIFT_DAYS} to {MAX_SHIFT_DAYS}"
                    ),
                );
            }
            Err(LmsError::Invalid(errors))
        }
    }
}

fn shifted(t: Option<DateTime<Utc>>, by: Duration) -> Option<DateTime<Utc>> {
    t.map(|t| t + by)
}

/// The text with every attachment path of `moved` (old media, new media id) pointing at the
/// copy, so HTML texts (which name attachments by path) follow; Markdown names them by file
/// name and is rendered again against the copy's attachments.
fn relinked(text: RichText, moved: &[(Media, i64)]) -> RichText {
    let mut source = text.source;
    for (old, new) in moved {
        source = source.replace(&path(old.id, &old.file_name), &path(*new, &old.file_name));
    }
    RichText {
        format: text.format,
        source,
    }
}

impl Lms {
    /// Checks a copy form before any file is copied (what `copy_course` will check again).
    pub fn check_copy(&self, view: &CourseView, input: &CopyInput) -> Result<(), LmsError> {
        view.require(permissions::can_copy_course)?;
        check(input, &view.course().description).map(|_| ())
    }

    /// The files a copy needs: those of file modules and the attachments of every module not
    /// in the trash. The caller stores a copy of each under a new key for `copy_course`.
    pub async fn copy_sources(&self, view: &CourseView) -> Result<Vec<Media>, LmsError> {
        view.require(permissions::can_copy_course)?;
        let mut files = Vec::new();
        for m in self.modules(view).await? {
            files.extend(m.media.clone());
            files.extend(self.attachments(view, m.id).await?);
        }
        Ok(files)
    }

    /// Copies the course as `actor`, its teacher, into a new draft course; `copies` maps each
    /// media id of `copy_sources` to its stored copy. On an error the caller removes the copies.
    pub async fn copy_course(
        &self,
        view: &CourseView,
        actor: &User,
        input: &CopyInput,
        copies: &HashMap<i64, StoredFile>,
    ) -> Result<Course, LmsError> {
        view.require(permissions::can_copy_course)?;
        let c = check(input, &view.course().description)?;
        let sections = self.sections(view).await?;
        let modules = self.modules(view).await?;
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let course = insert_course(&mut tx, actor, &c.course, now).await?;
        let mut section_ids = HashMap::new();
        copy_sections(
            &mut tx,
            course.id,
            &tree(&sections, None),
            None,
            now,
            &mut section_ids,
        )
        .await?;
        let mut module_ids = HashMap::new();
        for m in &modules {
            let Some(&section) = section_ids.get(&m.section_id) else {
                continue;
            };
            let media_id = match &m.media {
                Some(file) => Some(self.record_copy(&mut tx, copies, file, actor, now).await?),
                None => None,
            };
            let row = tx
                .query_one(
                    "INSERT INTO modules (course_id, section_id, kind, title, position, body_html, media_id,
                         hidden, visible_from, visible_until, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
                    &[
                        course.id.into(),
                        section.into(),
                        m.kind.stored().into(),
                        m.title.as_str().into(),
                        m.position.into(),
                        m.body_html.as_deref().map(|_| "").into(),
                        media_id.into(),
                        m.hidden.into(),
                        shifted(m.visible_from, c.shift).into(),
                        shifted(m.visible_until, c.shift).into(),
                        Value::Time(now),
                    ],
                )
                .await?;
            let id: i64 = row.get("id")?;
            module_ids.insert(m.id, id);
            let mut moved = Vec::new();
            for a in self.attachments(view, m.id).await? {
                let new = self.record_copy(&mut tx, copies, &a, actor, now).await?;
                tx.execute(
                    "INSERT INTO module_attachments (module_id, media_id) VALUES ($1, $2)",
                    &[id.into(), new.into()],
                )
                .await?;
                moved.push((a, new));
            }
            let none = TextEdit::default();
            match m.kind {
                ModuleKind::Page => {
                    let text = relinked(m.body_text(), &moved);
                    self.save_text(&mut tx, id, Slot::PageBody, &text, &none)
                        .await?;
                }
                ModuleKind::Assignment => {
                    let a = self.assignment(view, m.id).await?;
                    tx.execute(
                        "INSERT INTO assignments (module_id, instructions_html, opens_at, due_at, cutoff_at,
                             max_attempts, allowed_file_types, max_file_bytes, accepts_text, accepts_files, max_points)
                         VALUES ($1, '', $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                        &[
                            id.into(),
                            shifted(a.opens_at, c.shift).into(),
                            shifted(a.due_at, c.shift).into(),
                            shifted(a.cutoff_at, c.shift).into(),
                            a.max_attempts.into(),
                            a.allowed_file_types.join(",").into(),
                            a.max_file_bytes.into(),
                            a.accepts_text.into(),
                            a.accepts_files.into(),
                            a.max_points.into(),
                        ],
                    )
                    .await?;
                    let text = relinked(a.instructions_text(), &moved);
                    self.save_text(&mut tx, id, Slot::Instructions, &text, &none)
                        .await?;
                }
                ModuleKind::Forum => {
                    // The forum's settings and description; its threads are last term's.
                    tx.execute(
                        "INSERT INTO forums (module_id, graded, max_points)
                         SELECT $1, graded, max_points FROM forums WHERE module_id = $2",
                        &[id.into(), m.id.into()],
                    )
                    .await?;
                    let text = relinked(m.body_text(), &moved);
                    self.save_text(&mut tx, id, Slot::PageBody, &text, &none)
                        .await?;
                }
                ModuleKind::File => {}
            }
        }
        let position = |i: usize| i as i64;
        for (i, item) in self.gradebook_items(view).await?.iter().enumerate() {
            let module = match item.module_id {
                Some(old) => match module_ids.get(&old) {
                    Some(&new) => Some(new),
                    None => continue,
                },
                None => None,
            };
            tx.execute(
                "INSERT INTO gradebook_items (course_id, module_id, title, max_points, weight, position, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    course.id.into(),
                    module.into(),
                    item.title.as_str().into(),
                    item.max_points.into(),
                    item.weight.into(),
                    position(i).into(),
                    Value::Time(now),
                ],
            )
            .await?;
        }
        tx.execute(
            "INSERT INTO letter_grades (course_id, letter, min_percent)
             SELECT $1, letter, min_percent FROM letter_grades WHERE course_id = $2",
            &[course.id.into(), view.course().id.into()],
        )
        .await?;
        tx.commit().await?;
        Ok(course)
    }

    /// Records the stored copy of `file` as a new media row; returns its id.
    async fn record_copy(
        &self,
        tx: &mut impl Executor,
        copies: &HashMap<i64, StoredFile>,
        file: &Media,
        actor: &User,
        now: DateTime<Utc>,
    ) -> Result<i64, LmsError> {
        let copy = copies.get(&file.id).ok_or_else(|| {
            LmsError::field(
                "title",
                "the course's files changed while it was copied: try again",
            )
        })?;
        media::insert(tx, copy, actor.id, now).await
    }
}

/// Inserts `nodes` (and their children) under `parent` of course `course_id`, recording each
/// old section id's new id.
async fn copy_sections(
    tx: &mut impl Executor,
    course_id: i64,
    nodes: &[SectionNode],
    parent: Option<i64>,
    now: DateTime<Utc>,
    ids: &mut HashMap<i64, i64>,
) -> Result<(), LmsError> {
    for node in nodes {
        let row = tx
            .query_one(
                "INSERT INTO sections (course_id, parent_id, title, position, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[
                    course_id.into(),
                    parent.into(),
                    node.section.title.as_str().into(),
                    node.section.position.into(),
                    Value::Time(now),
                ],
            )
            .await?;
        let id: i64 = row.get("id")?;
        ids.insert(node.section.id, id);
        Box::pin(copy_sections(
            tx,
            course_id,
            &node.children,
            Some(id),
            now,
            ids,
        ))
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lms::richtext::Format;

    #[test]
    fn the_form_is_checked_before_anything_is_copied() {
        let input = CopyInput {
            title: " ".into(),
            slug: "Bad Slug".into(),
            shift_days: "a week".into(),
        };
        let Err(LmsError::Invalid(errors)) = check(&input, "") else {
            panic!("accepted");
        };
        for field in ["title", "slug", "shift_days"] {
            assert!(errors.get(field).is_some(), "{field}: {errors}");
        }
        let ok = CopyInput {
            title: "Bio 2027".into(),
            slug: "bio-2027".into(),
            shift_days: "+364".into(),
        };
        assert_eq!(check(&ok, "").unwrap().shift, Duration::days(364));
        let far = CopyInput {
            shift_days: "-4000".into(),
            ..ok
        };
        assert!(check(&far, "").is_err());
    }

    #[test]
    fn html_texts_follow_their_copied_attachments() {
        let old = Media {
            id: 7,
            storage_key: "media/x".into(),
            file_name: "cell.png".into(),
            content_type: "image/png".into(),
            size_bytes: 1,
        };
        let text = RichText::new(Format::Html, r#"<img src="/attachments/7/cell.png">"#);
        let moved = relinked(text, &[(old, 12)]);
        assert_eq!(moved.source, r#"<img src="/attachments/12/cell.png">"#);
    }
}
