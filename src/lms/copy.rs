//! Copying a course into a new term: a new draft course with the same sections, modules
//! (pages, files, assignments, forums without their threads, quizzes without their attempts,
//! with their visibility), the question bank (each question's newest version),
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
        let bank = copy_bank(&mut tx, view.course().id, course.id, actor.id, now).await?;
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
                ModuleKind::Quiz => {
                    // Its settings (dates moved) and questions, from the copied bank.
                    let q = self.quiz(view, m.id).await?;
                    tx.execute(
                        "INSERT INTO quizzes (module_id, opens_at, closes_at, time_limit_seconds, max_attempts,
                             grading_method, shuffle_questions, shuffle_answers, questions_per_page, navigation,
                             password, review_marks, review_answers, review_feedback, max_points)
                         SELECT $1, $2, $3, time_limit_seconds, max_attempts, grading_method,
                             shuffle_questions, shuffle_answers, questions_per_page, navigation, password,
                             review_marks, review_answers, review_feedback, max_points
                         FROM quizzes WHERE module_id = $4",
                        &[
                            id.into(),
                            shifted(q.opens_at, c.shift).into(),
                            shifted(q.closes_at, c.shift).into(),
                            m.id.into(),
                        ],
                    )
                    .await?;
                    let slots = tx
                        .query(
                            "SELECT position, question_id, random_category_id, include_subcategories, mark
                             FROM quiz_slots WHERE quiz_id = $1 ORDER BY position, id",
                            &[m.id.into()],
                        )
                        .await?;
                    for s in &slots {
                        let question = s
                            .get::<Option<i64>>("question_id")?
                            .map(|q| bank.questions.get(&q).copied());
                        let category = s
                            .get::<Option<i64>>("random_category_id")?
                            .map(|c| bank.categories.get(&c).copied());
                        // A slot whose question or category was not copied (deleted) is left out.
                        let kept = |o: Option<Option<i64>>| match o {
                            None => Some(None),
                            Some(mapped) => mapped.map(Some),
                        };
                        let (Some(question), Some(category)) = (kept(question), kept(category))
                        else {
                            continue;
                        };
                        tx.execute(
                            "INSERT INTO quiz_slots (quiz_id, position, question_id, random_category_id,
                                 include_subcategories, mark)
                             VALUES ($1, $2, $3, $4, $5, $6)",
                            &[
                                id.into(),
                                s.get::<i64>("position")?.into(),
                                question.into(),
                                category.into(),
                                s.get::<bool>("include_subcategories")?.into(),
                                s.get::<String>("mark")?.into(),
                            ],
                        )
                        .await?;
                    }
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

/// The old ids of a copied question bank and their new ones.
struct BankCopy {
    categories: HashMap<i64, i64>,
    questions: HashMap<i64, i64>,
}

/// Copies course `from`'s question bank into course `to`: its categories (parents first) and
/// each question that is not deleted as its newest version (a new question's version 1).
async fn copy_bank(
    tx: &mut impl Executor,
    from: i64,
    to: i64,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<BankCopy, LmsError> {
    let rows = tx
        .query(
            "SELECT id, parent_id, name FROM question_categories WHERE course_id = $1 ORDER BY id",
            &[from.into()],
        )
        .await?;
    let mut pending: Vec<(i64, Option<i64>, String)> = rows
        .iter()
        .map(|r| Ok((r.get("id")?, r.get("parent_id")?, r.get("name")?)))
        .collect::<Result<_, LmsError>>()?;
    let mut categories = HashMap::new();
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|(_, parent, _)| parent.is_none_or(|p| categories.contains_key(&p)));
        // A category whose parent is missing (cannot happen with the foreign key) goes on top.
        let (id, parent, name) = pending.remove(ready.unwrap_or(0));
        let parent = parent.and_then(|p| categories.get(&p).copied());
        let row = tx
            .query_one(
                "INSERT INTO question_categories (course_id, parent_id, name, created_at)
                 VALUES ($1, $2, $3, $4) RETURNING id",
                &[to.into(), parent.into(), name.into(), Value::Time(now)],
            )
            .await?;
        categories.insert(id, row.get::<i64>("id")?);
    }
    let rows = tx
        .query(
            "SELECT q.id, q.category_id, v.body FROM questions q
             JOIN question_versions v ON v.question_id = q.id
             WHERE q.course_id = $1 AND q.deleted_at IS NULL
               AND v.version = (SELECT MAX(w.version) FROM question_versions w WHERE w.question_id = q.id)
             ORDER BY q.id",
            &[from.into()],
        )
        .await?;
    let mut questions = HashMap::new();
    for r in &rows {
        let body: String = r.get("body")?;
        let question: crate::lms::quizzes::Question = serde_json::from_str(&body).map_err(|e| {
            crate::db::DbError::Decode(format!("a stored question does not parse: {e}"))
        })?;
        let Some(&category) = categories.get(&r.get::<i64>("category_id")?) else {
            continue;
        };
        let v =
            crate::lms::quizzes::bank::add_question(tx, to, category, &question, Some(actor), now)
                .await?;
        questions.insert(r.get::<i64>("id")?, v.question_id);
    }
    Ok(BankCopy {
        categories,
        questions,
    })
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
