//! The question bank on `Lms`, permission-checked: a course's categories (a tree with question
//! counts), its questions (the newest version of each, soft deletion), adding and editing
//! (always a new version through `bank::new_version`), moving, and the GIFT / Moodle XML
//! import (all or nothing, in one transaction) and export. Only those who edit the course's
//! content reach it; everyone else gets `NotFound`. Attempts use `bank::load_version` and are
//! untouched by anything here.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{
    Export, Import, Limits, Question, ToExport,
    bank::{self, version_from_row},
    gift, moodle_xml,
};
use crate::{
    db::{DbError, Executor, Row},
    lms::{FieldErrors, LineError, Lms, LmsError, User, courses::CourseView, permissions},
};

/// The longest category name, in characters.
pub const MAX_CATEGORY_NAME: usize = 255;

/// A category of the bank, in tree order (`depth` 0 at the top).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub depth: usize,
    /// The names from the top down to this one.
    pub path: Vec<String>,
    /// Questions directly in it (deleted ones not counted).
    pub questions: i64,
}

/// A question as the bank lists it: its newest version's name and type.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuestionEntry {
    pub id: i64,
    pub category_id: i64,
    pub name: String,
    /// The type in words (`multiple choice`).
    pub kind: String,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
    /// Attempt questions that were given one of its versions.
    pub attempts: i64,
}

/// One version of a stored question, with what the pages show around it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BankQuestion {
    pub id: i64,
    pub category_id: i64,
    pub version: i32,
    pub version_id: i64,
    /// Every version number, oldest first.
    pub versions: Vec<i32>,
    pub attempts: i64,
    pub question: Question,
}

impl BankQuestion {
    pub fn latest(&self) -> i32 {
        self.versions.last().copied().unwrap_or(self.version)
    }
}

/// The two file formats of the bank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BankFormat {
    Gift,
    MoodleXml,
}

impl BankFormat {
    /// `gift`, or `xml` / `moodle_xml`.
    pub fn parse(text: &str) -> Option<BankFormat> {
        match text.trim().to_ascii_lowercase().as_str() {
            "gift" => Some(BankFormat::Gift),
            "xml" | "moodle_xml" | "moodlexml" => Some(BankFormat::MoodleXml),
            _ => None,
        }
    }

    /// The format of an uploaded file: by its extension, else by its first characters (XML
    /// opens with `<`).
    pub fn guess(file_name: &str, bytes: &[u8]) -> BankFormat {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".xml") {
            return BankFormat::MoodleXml;
        }
        if lower.ends_with(".gift") || lower.ends_with(".txt") {
            return BankFormat::Gift;
        }
        let start = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        match start.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'<') => BankFormat::MoodleXml,
            _ => BankFormat::Gift,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BankFormat::Gift => "gift",
            BankFormat::MoodleXml => "xml",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BankFormat::Gift => "GIFT",
            BankFormat::MoodleXml => "Moodle XML",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            BankFormat::Gift => "gift",
            BankFormat::MoodleXml => "xml",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            BankFormat::Gift => "text/plain; charset=utf-8",
            BankFormat::MoodleXml => "application/xml; charset=utf-8",
        }
    }

    /// Reads a file in this format.
    pub fn import(self, bytes: &[u8], limits: &Limits) -> Import {
        match self {
            BankFormat::Gift => gift::import(bytes, limits),
            BankFormat::MoodleXml => moodle_xml::import(bytes, limits),
        }
    }
}

/// What an import did, or would do once confirmed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ImportReport {
    pub format: Option<BankFormat>,
    /// Questions the file holds that are fine.
    pub valid: usize,
    /// Every problem, with its line (0: the file as a whole).
    pub problems: Vec<LineError>,
    /// Questions stored: all the valid ones, or none while problems wait for a confirmation.
    pub imported: usize,
    /// Categories made for the file's `$CATEGORY` / category entries.
    pub categories_created: usize,
}

/// An export's file and the questions it left out (name and why).
#[derive(Clone, Debug, PartialEq)]
pub struct ExportFile {
    pub file_name: String,
    pub text: String,
    pub skipped: Vec<(String, String)>,
}

impl Lms {
    /// The course's categories in tree order (siblings by name), each with its question count.
    pub async fn question_categories(&self, view: &CourseView) -> Result<Vec<Category>, LmsError> {
        view.require(permissions::can_manage_question_bank)?;
        let course = view.course().id;
        let rows = self
            .db
            .query(
                "SELECT c.id, c.parent_id, c.name,
                        (SELECT COUNT(*) FROM questions q
                         WHERE q.category_id = c.id AND q.deleted_at IS NULL) AS questions
                 FROM question_categories c WHERE c.course_id = $1
                 ORDER BY lower(c.name), c.id",
                &[course.into()],
            )
            .await?;
        let mut flat = Vec::with_capacity(rows.len());
        for row in &rows {
            flat.push(Category {
                id: row.get("id")?,
                parent_id: row.get("parent_id")?,
                name: row.get("name")?,
                depth: 0,
                path: Vec::new(),
                questions: row.get("questions")?,
            });
        }
        Ok(tree_order(flat))
    }

    /// One category of the course.
    pub async fn question_category(
        &self,
        view: &CourseView,
        id: i64,
    ) -> Result<Category, LmsError> {
        self.question_categories(view)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(LmsError::NotFound)
    }

    /// Adds a category named `name` under `parent` (`None`: at the top); its id.
    pub async fn add_question_category(
        &self,
        view: &CourseView,
        parent: Option<i64>,
        name: &str,
    ) -> Result<i64, LmsError> {
        let categories = self.question_categories(view).await?;
        if let Some(p) = parent
            && !categories.iter().any(|c| c.id == p)
        {
            return Err(LmsError::NotFound);
        }
        let name = clean_category_name(name, &categories, parent, None)?;
        let mut conn = self.db.conn().await?;
        bank::ensure_category(&mut conn, view.course().id, parent, &name, self.now()).await
    }

    /// Renames category `id`.
    pub async fn rename_question_category(
        &self,
        view: &CourseView,
        id: i64,
        name: &str,
    ) -> Result<(), LmsError> {
        let categories = self.question_categories(view).await?;
        let category = categories
            .iter()
            .find(|c| c.id == id)
            .ok_or(LmsError::NotFound)?;
        let name = clean_category_name(name, &categories, category.parent_id, Some(id))?;
        self.db
            .execute(
                "UPDATE question_categories SET name = $2 WHERE id = $1",
                &[id.into(), name.as_str().into()],
            )
            .await?;
        Ok(())
    }

    /// Deletes category `id`. One with questions or subcategories is deleted only with
    /// `move_to_parent`, which moves them to its parent first (a top-level category has none:
    /// it must be emptied by hand). Deleted questions (which attempts may still use) always
    /// move to the parent, or to the course's "Default" category at the top.
    pub async fn delete_question_category(
        &self,
        view: &CourseView,
        id: i64,
        move_to_parent: bool,
    ) -> Result<(), LmsError> {
        let categories = self.question_categories(view).await?;
        let category = categories
            .iter()
            .find(|c| c.id == id)
            .ok_or(LmsError::NotFound)?;
        let children = categories
            .iter()
            .filter(|c| c.parent_id == Some(id))
            .count();
        let full = category.questions > 0 || children > 0;
        if full && !move_to_parent {
            return Err(LmsError::field(
                "move",
                format!(
                    "“{}” holds {} question(s) and {} subcategor{}: tick “move them to the parent” to delete it",
                    category.name,
                    category.questions,
                    children,
                    if children == 1 { "y" } else { "ies" }
                ),
            ));
        }
        if full && category.parent_id.is_none() {
            return Err(LmsError::field(
                "move",
                format!(
                    "“{}” is at the top and has no parent to take its questions: move them or delete them first",
                    category.name
                ),
            ));
        }
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let heir = match category.parent_id {
            Some(parent) => Some(parent),
            None => {
                let deleted = tx
                    .query_one(
                        "SELECT COUNT(*) AS n FROM questions WHERE category_id = $1",
                        &[id.into()],
                    )
                    .await?
                    .get::<i64>("n")?;
                if deleted == 0 {
                    None
                } else if category.name == "Default" {
                    return Err(LmsError::field(
                        "move",
                        "deleted questions that attempts may still use are kept in “Default”: it stays",
                    ));
                } else {
                    Some(
                        bank::ensure_category(
                            &mut tx,
                            view.course().id,
                            None,
                            "Default",
                            self.now(),
                        )
                        .await?,
                    )
                }
            }
        };
        if let Some(heir) = heir {
            tx.execute(
                "UPDATE questions SET category_id = $2 WHERE category_id = $1",
                &[id.into(), heir.into()],
            )
            .await?;
            tx.execute(
                "UPDATE question_categories SET parent_id = $2 WHERE parent_id = $1",
                &[id.into(), heir.into()],
            )
            .await?;
        }
        tx.execute(
            "DELETE FROM question_categories WHERE id = $1 AND course_id = $2",
            &[id.into(), view.course().id.into()],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The questions of category `category_id` (not deleted), by name, each at its newest
    /// version, with how many attempt questions used any of its versions.
    pub async fn bank_questions(
        &self,
        view: &CourseView,
        category_id: i64,
    ) -> Result<Vec<QuestionEntry>, LmsError> {
        self.question_category(view, category_id).await?;
        let rows = self
            .db
            .query(
                "SELECT q.id, q.category_id, v.name, v.kind, v.version, v.created_at,
                        (SELECT COUNT(*) FROM quiz_attempt_questions a
                         JOIN question_versions av ON av.id = a.question_version_id
                         WHERE av.question_id = q.id) AS attempts
                 FROM questions q
                 JOIN question_versions v ON v.question_id = q.id AND v.version =
                      (SELECT MAX(m.version) FROM question_versions m WHERE m.question_id = q.id)
                 WHERE q.course_id = $1 AND q.category_id = $2 AND q.deleted_at IS NULL
                 ORDER BY lower(v.name), q.id",
                &[view.course().id.into(), category_id.into()],
            )
            .await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// Question `id` of the course at `version` (`None`: its newest); deleted ones are gone.
    pub async fn bank_question(
        &self,
        view: &CourseView,
        id: i64,
        version: Option<i32>,
    ) -> Result<BankQuestion, LmsError> {
        view.require(permissions::can_manage_question_bank)?;
        let row = self
            .db
            .query_opt(
                "SELECT category_id,
                        (SELECT COUNT(*) FROM quiz_attempt_questions a
                         JOIN question_versions av ON av.id = a.question_version_id
                         WHERE av.question_id = questions.id) AS attempts
                 FROM questions WHERE id = $1 AND course_id = $2 AND deleted_at IS NULL",
                &[id.into(), view.course().id.into()],
            )
            .await?
            .ok_or(LmsError::NotFound)?;
        let versions: Vec<i32> = self
            .db
            .query(
                "SELECT version FROM question_versions WHERE question_id = $1 ORDER BY version",
                &[id.into()],
            )
            .await?
            .iter()
            .map(|r| r.get::<i64>("version").map(|v| v as i32))
            .collect::<Result<_, _>>()?;
        let mut conn = self.db.conn().await?;
        let stored = match version {
            None => bank::latest_version(&mut conn, id).await?,
            Some(n) => {
                let row = conn
                    .query_opt(
                        "SELECT id, question_id, version, body FROM question_versions
                         WHERE question_id = $1 AND version = $2",
                        &[id.into(), i64::from(n).into()],
                    )
                    .await?
                    .ok_or(LmsError::NotFound)?;
                version_from_row(&row)?
            }
        };
        Ok(BankQuestion {
            id,
            category_id: row.get("category_id")?,
            version: stored.version,
            version_id: stored.id,
            versions,
            attempts: row.get("attempts")?,
            question: stored.question,
        })
    }

    /// Adds `question` to category `category_id`; its id.
    pub async fn add_bank_question(
        &self,
        view: &CourseView,
        actor: &User,
        category_id: i64,
        question: &Question,
    ) -> Result<i64, LmsError> {
        self.question_category(view, category_id).await?;
        check_question(question)?;
        let mut conn = self.db.conn().await?;
        let version = bank::add_question(
            &mut conn,
            view.course().id,
            category_id,
            question,
            Some(actor.id),
            self.now(),
        )
        .await?;
        Ok(version.question_id)
    }

    /// Saves `question` as the next version of question `id`; the new version's number.
    /// Attempts keep the versions they were given.
    pub async fn edit_bank_question(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
        question: &Question,
    ) -> Result<i32, LmsError> {
        let current = self.bank_question(view, id, None).await?;
        check_question(question)?;
        if current.question == *question {
            return Ok(current.version);
        }
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let version = bank::new_version(&mut tx, id, question, Some(actor.id), self.now()).await?;
        tx.commit().await?;
        Ok(version.version)
    }

    /// Moves question `id` to category `category_id` of the same course.
    pub async fn move_bank_question(
        &self,
        view: &CourseView,
        id: i64,
        category_id: i64,
    ) -> Result<(), LmsError> {
        self.bank_question(view, id, None).await?;
        self.question_category(view, category_id).await?;
        self.db
            .execute(
                "UPDATE questions SET category_id = $2 WHERE id = $1",
                &[id.into(), category_id.into()],
            )
            .await?;
        Ok(())
    }

    /// Deletes question `id` softly: gone from the bank's lists and pages, while attempts that
    /// were given one of its versions keep working.
    pub async fn delete_bank_question(&self, view: &CourseView, id: i64) -> Result<(), LmsError> {
        self.bank_question(view, id, None).await?;
        self.db
            .execute(
                "UPDATE questions SET deleted_at = $2 WHERE id = $1",
                &[id.into(), self.now().into()],
            )
            .await?;
        Ok(())
    }

    /// Reads a GIFT or Moodle XML file into category `target` (`None`: the top of the bank;
    /// the file's own categories are made below it). With problems and without `confirm`,
    /// nothing is stored and the report lists them; otherwise every valid question is stored
    /// in one transaction (all or nothing).
    pub async fn import_questions(
        &self,
        view: &CourseView,
        actor: &User,
        target: Option<i64>,
        format: BankFormat,
        bytes: Vec<u8>,
        confirm: bool,
    ) -> Result<ImportReport, LmsError> {
        let categories = self.question_categories(view).await?;
        if let Some(t) = target
            && !categories.iter().any(|c| c.id == t)
        {
            return Err(LmsError::NotFound);
        }
        let import = tokio::task::spawn_blocking(move || format.import(&bytes, &Limits::DEFAULT))
            .await
            .map_err(|e| LmsError::Db(DbError::Decode(format!("the import stopped: {e}"))))?;
        let mut report = ImportReport {
            format: Some(format),
            valid: import.questions.len(),
            problems: import.problems,
            ..ImportReport::default()
        };
        if (!report.problems.is_empty() && !confirm) || import.questions.is_empty() {
            return Ok(report);
        }
        let course = view.course().id;
        let now = self.now();
        let before = categories.len();
        let mut made: HashMap<Vec<String>, i64> = HashMap::new();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        for item in &import.questions {
            let category = match made.get(&item.category) {
                Some(id) => *id,
                None => {
                    let id = match target {
                        None => {
                            bank::ensure_category_path(&mut tx, course, &item.category, now).await?
                        }
                        Some(t) => ensure_below(&mut tx, course, t, &item.category, now).await?,
                    };
                    made.insert(item.category.clone(), id);
                    id
                }
            };
            bank::add_question(
                &mut tx,
                course,
                category,
                &item.question,
                Some(actor.id),
                now,
            )
            .await?;
        }
        let after = tx
            .query_one(
                "SELECT COUNT(*) AS n FROM question_categories WHERE course_id = $1",
                &[course.into()],
            )
            .await?
            .get::<i64>("n")?;
        tx.commit().await?;
        report.imported = import.questions.len();
        report.categories_created = (after as usize).saturating_sub(before);
        Ok(report)
    }

    /// Category `category_id` with its subcategories as a file: each question at its newest
    /// version under its full category path. GIFT leaves out what it cannot hold (listed).
    pub async fn export_questions(
        &self,
        view: &CourseView,
        category_id: i64,
        format: BankFormat,
    ) -> Result<ExportFile, LmsError> {
        let categories = self.question_categories(view).await?;
        let root = categories
            .iter()
            .find(|c| c.id == category_id)
            .ok_or(LmsError::NotFound)?;
        let mut ids = vec![category_id];
        let mut i = 0;
        while i < ids.len() {
            let parent = ids[i];
            ids.extend(
                categories
                    .iter()
                    .filter(|c| c.parent_id == Some(parent))
                    .map(|c| c.id),
            );
            i += 1;
        }
        let rows = self
            .db
            .query(
                "SELECT v.id, v.question_id, v.version, v.body, q.category_id
                 FROM questions q
                 JOIN question_versions v ON v.question_id = q.id AND v.version =
                      (SELECT MAX(m.version) FROM question_versions m WHERE m.question_id = q.id)
                 WHERE q.course_id = $1 AND q.deleted_at IS NULL
                 ORDER BY q.category_id, q.id",
                &[view.course().id.into()],
            )
            .await?;
        let mut stored: Vec<(Vec<String>, Question)> = Vec::new();
        // In tree order, so each category's questions come together.
        for id in categories.iter().map(|c| c.id).filter(|c| ids.contains(c)) {
            let path = &categories.iter().find(|c| c.id == id).expect("listed").path;
            for row in rows
                .iter()
                .filter(|r| r.get::<i64>("category_id").ok() == Some(id))
            {
                stored.push((path.clone(), version_from_row(row)?.question));
            }
        }
        let items: Vec<ToExport<'_>> = stored
            .iter()
            .map(|(category, question)| ToExport { category, question })
            .collect();
        let Export { text, skipped } = match format {
            BankFormat::Gift => gift::export(&items),
            BankFormat::MoodleXml => moodle_xml::export(&items),
        };
        let skipped = skipped
            .into_iter()
            .map(|(i, why)| (stored[i].1.name.clone(), why))
            .collect();
        Ok(ExportFile {
            file_name: format!("{}.{}", file_stem(&root.name), format.extension()),
            text,
            skipped,
        })
    }
}

/// The category at `path` below category `top`, made as needed.
async fn ensure_below(
    exec: &mut impl Executor,
    course: i64,
    top: i64,
    path: &[String],
    now: DateTime<Utc>,
) -> Result<i64, LmsError> {
    let mut parent = top;
    for name in path {
        parent = bank::ensure_category(exec, course, Some(parent), name, now).await?;
    }
    Ok(parent)
}

/// A name for a download: letters, digits, `-` and `_`; `questions` when nothing is left.
fn file_stem(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            stem.push(c);
        } else if !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_matches('-').to_string();
    if stem.is_empty() {
        "questions".into()
    } else {
        stem
    }
}

fn clean_category_name(
    name: &str,
    categories: &[Category],
    parent: Option<i64>,
    except: Option<i64>,
) -> Result<String, LmsError> {
    let name = name.trim();
    let mut errors = FieldErrors::default();
    errors.check(!name.is_empty(), "name", "give the category a name");
    errors.check(
        name.chars().count() <= MAX_CATEGORY_NAME,
        "name",
        format!("use at most {MAX_CATEGORY_NAME} characters"),
    );
    errors.check(
        !categories
            .iter()
            .any(|c| c.parent_id == parent && c.name == name && Some(c.id) != except),
        "name",
        format!("there is already a category “{name}” there"),
    );
    errors.into_result()?;
    Ok(name.to_string())
}

/// The question's problems as a validation error on the field `question`.
fn check_question(question: &Question) -> Result<(), LmsError> {
    let mut errors = FieldErrors::default();
    for p in question.problems(&Limits::DEFAULT) {
        errors.add("question", p);
    }
    errors.into_result()
}

fn entry_from_row(row: &Row) -> Result<QuestionEntry, LmsError> {
    Ok(QuestionEntry {
        id: row.get("id")?,
        category_id: row.get("category_id")?,
        name: row.get("name")?,
        kind: row.get("kind")?,
        version: row.get::<i64>("version")? as i32,
        updated_at: row.get("created_at")?,
        attempts: row.get("attempts")?,
    })
}

/// `flat` (siblings already in order) as a depth-first tree with depths and paths; a
/// category whose parent is missing is shown at the top.
fn tree_order(flat: Vec<Category>) -> Vec<Category> {
    let ids: Vec<i64> = flat.iter().map(|c| c.id).collect();
    let mut out = Vec::with_capacity(flat.len());
    let mut stack: Vec<(Category, usize, Vec<String>)> = flat
        .iter()
        .filter(|c| c.parent_id.is_none_or(|p| !ids.contains(&p)))
        .rev()
        .map(|c| (c.clone(), 0, Vec::new()))
        .collect();
    while let Some((mut c, depth, mut path)) = stack.pop() {
        if out.len() > flat.len() {
            break; // a cycle: never made here, but never loop on one
        }
        path.push(c.name.clone());
        c.depth = depth;
        c.path = path.clone();
        for child in flat.iter().filter(|x| x.parent_id == Some(c.id)).rev() {
            stack.push((child.clone(), depth + 1, path.clone()));
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(id: i64, parent: Option<i64>, name: &str) -> Category {
        Category {
            id,
            parent_id: parent,
            name: name.into(),
            depth: 0,
            path: Vec::new(),
            questions: 0,
        }
    }

    #[test]
    fn categories_come_in_tree_order() {
        let flat = vec![
            cat(3, Some(1), "Cells"),
            cat(1, None, "Biology"),
            cat(4, Some(1), "Genetics"),
            cat(2, None, "Chemistry"),
            cat(5, Some(3), "Membranes"),
        ];
        let tree = tree_order(flat);
        let names: Vec<(&str, usize)> = tree.iter().map(|c| (c.name.as_str(), c.depth)).collect();
        assert_eq!(
            names,
            [
                ("Biology", 0),
                ("Cells", 1),
                ("Membranes", 2),
                ("Genetics", 1),
                ("Chemistry", 0)
            ]
        );
        assert_eq!(tree[2].path, ["Biology", "Cells", "Membranes"]);
    }

    #[test]
    fn formats_are_guessed_by_name_then_content() {
        assert_eq!(BankFormat::guess("a.XML", b"::x"), BankFormat::MoodleXml);
        assert_eq!(BankFormat::guess("a.gift", b"<quiz>"), BankFormat::Gift);
        assert_eq!(
            BankFormat::guess("upload", b"\xef\xbb\xbf  <?xml"),
            BankFormat::MoodleXml
        );
        assert_eq!(
            BankFormat::guess("upload", b"::Q:: x {T}"),
            BankFormat::Gift
        );
        assert_eq!(file_stem("Cells & tissues"), "Cells-tissues");
        assert_eq!(file_stem("&&"), "questions");
    }
}
