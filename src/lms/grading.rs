//! Grading an assignment as a class: the grading sheet (every student with their latest
//! attempt, late and missing markers and their grade with its release state) and saving the
//! whole sheet at once, in one transaction and only when every row is valid. The per-grade
//! arithmetic and release live in `gradebook`.

use std::collections::{BTreeMap, HashMap};

use super::{
    FieldErrors, Lms, LmsError, User,
    assignments::{Assignment, Window, window},
    courses::CourseView,
    gradebook::{self, Grade, Item},
    media::{self, MEDIA_COLUMNS, Media, StoredFile},
    permissions,
    rubrics::Rubric,
    submissions::Submission,
};
use crate::db::{Executor, Value};

/// The longest feedback, in characters (as `Lms::grade`).
pub const MAX_FEEDBACK_CHARS: usize = 20_000;

/// One student's line of the sheet.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SheetRow {
    pub student: User,
    /// Their latest attempt, if any.
    pub latest: Option<Submission>,
    /// How many attempts they made.
    pub attempts: usize,
    /// Nothing handed in and the cut-off has passed.
    pub missing: bool,
    pub grade: Option<Grade>,
    /// Files attached to the grade (marked-up work), shown to the student once released.
    pub feedback_files: Vec<Media>,
    /// The rubric level chosen per criterion (criterion id → level id).
    pub levels: HashMap<i64, i64>,
}

impl SheetRow {
    /// `released`, `not released` (graded, not yet visible) or `not graded`.
    pub fn release_state(&self) -> ReleaseState {
        match &self.grade {
            Some(g) if g.released_at.is_some() => ReleaseState::Released,
            Some(g) if g.points.is_some() || !g.feedback.is_empty() => ReleaseState::NotReleased,
            _ => ReleaseState::NotGraded,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseState {
    Released,
    NotReleased,
    NotGraded,
}

/// An assignment's grading sheet: its gradebook item and a row per student, by name.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Sheet {
    pub assignment: Assignment,
    pub item: Item,
    /// Empty when the assignment is graded by points alone.
    pub rubric: Rubric,
    pub rows: Vec<SheetRow>,
}

/// One row of a sheet as typed: points (empty clears them), feedback, feedback files stored
/// for it and the files refused on the way in (too large), with the reason.
#[derive(Clone, Debug, Default)]
pub struct RowInput {
    pub student_id: i64,
    pub points: String,
    pub feedback: String,
    pub files: Vec<StoredFile>,
    pub refused_files: Vec<String>,
    /// For a rubric: (criterion id, level id as sent; empty for none).
    pub levels: Vec<(i64, String)>,
}

/// The problems of a sheet that was not saved, per student id.
#[derive(Debug, Default)]
pub struct SheetErrors(pub BTreeMap<i64, FieldErrors>);

impl SheetErrors {
    pub fn row(&self, student_id: i64) -> Option<&FieldErrors> {
        self.0.get(&student_id)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many rows have a problem.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    fn add(&mut self, student_id: i64, field: &'static str, message: impl Into<String>) {
        self.0.entry(student_id).or_default().add(field, message);
    }
}

/// A row checked: what to store.
pub(super) struct Clean {
    pub(super) student_id: i64,
    pub(super) points: Option<f64>,
    pub(super) feedback: String,
    /// (criterion id, level id) for a rubric-graded row.
    pub(super) levels: HashMap<i64, i64>,
}

/// A rubric row's levels and points: none chosen clears the grade's points, every criterion
/// chosen gives their sum, anything between is an error.
fn rubric_points(
    rubric: &Rubric,
    row: &RowInput,
) -> Result<(Option<f64>, HashMap<i64, i64>), &'static str> {
    let mut levels = HashMap::new();
    for (criterion, level) in &row.levels {
        if level.trim().is_empty() {
            continue;
        }
        let level = level
            .trim()
            .parse::<i64>()
            .map_err(|_| "choose one of the levels")?;
        if rubric.level(*criterion, level).is_none() {
            return Err("choose one of the levels");
        }
        levels.insert(*criterion, level);
    }
    if levels.is_empty() {
        return Ok((None, levels));
    }
    let mut sum = 0.0;
    for c in &rubric.criteria {
        match levels.get(&c.id).and_then(|l| rubric.level(c.id, *l)) {
            Some(level) => sum += level.points,
            None => return Err("choose a level for every criterion"),
        }
    }
    Ok((Some(sum), levels))
}

/// Checks every row against the item (and its rubric, whose levels then give the points);
/// all problems at once.
pub(super) fn check_rows(
    item: &Item,
    rubric: &Rubric,
    rows: &[RowInput],
) -> Result<Vec<Clean>, SheetErrors> {
    let mut errors = SheetErrors::default();
    let mut clean = Vec::with_capacity(rows.len());
    for row in rows {
        let mut levels = HashMap::new();
        let points = if !rubric.is_empty() {
            match rubric_points(rubric, row) {
                Ok((points, chosen)) => {
                    levels = chosen;
                    points
                }
                Err(message) => {
                    errors.add(row.student_id, "rubric", message);
                    None
                }
            }
        } else {
            match gradebook::points(&row.points, item.max_points) {
                Ok(p) => p,
                Err(_) => {
                    errors.add(
                        row.student_id,
                        "points",
                        format!(
                            "enter points from 0 to {}",
                            gradebook::number(item.max_points)
                        ),
                    );
                    None
                }
            }
        };
        for reason in &row.refused_files {
            errors.add(row.student_id, "file", reason.clone());
        }
        let feedback = row.feedback.trim().to_string();
        if feedback.chars().count() > MAX_FEEDBACK_CHARS {
            errors.add(
                row.student_id,
                "feedback",
                format!("use at most {MAX_FEEDBACK_CHARS} characters"),
            );
        }
        clean.push(Clean {
            student_id: row.student_id,
            points,
            feedback,
            levels,
        });
    }
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(errors)
    }
}

/// The files attached to grades of `item_id`, by student.
async fn feedback_files(
    db: &crate::db::Db,
    item_id: i64,
    student: Option<i64>,
) -> Result<HashMap<i64, Vec<Media>>, LmsError> {
    let mut params = vec![Value::from(item_id)];
    let only = match student {
        Some(id) => {
            params.push(id.into());
            "AND grade_files.student_id = $2"
        }
        None => "",
    };
    let rows = db
        .query(
            &format!(
                "SELECT grade_files.student_id, {MEDIA_COLUMNS} FROM grade_files
                 JOIN media ON media.id = grade_files.media_id
                 WHERE grade_files.item_id = $1 {only} ORDER BY media.id"
            ),
            &params,
        )
        .await?;
    let mut out: HashMap<i64, Vec<Media>> = HashMap::new();
    for row in &rows {
        if let Some(m) = Media::from_row(row)? {
            out.entry(row.get("student_id")?).or_default().push(m);
        }
    }
    Ok(out)
}

/// Whether storing `row` changes anything: an untouched empty row or an unchanged grade is
/// left as it is (so its grader and time stay).
pub(super) fn changes(row: &Clean, old: Option<&Grade>, old_levels: &HashMap<i64, i64>) -> bool {
    row.levels != *old_levels
        || match old {
            None => row.points.is_some() || !row.feedback.is_empty(),
            Some(g) => g.points != row.points || g.feedback != row.feedback,
        }
}

/// The name of an attempt's file in an assignment's zip: `student-name_attempt_file`, with
/// runs of spaces as `-` and anything but letters, digits, `.`, `-` and `_` left out, so the
/// name is one plain path segment on every system (no folders, no leading dot).
pub fn archive_name(student: &str, attempt: i64, file: &str) -> String {
    let student = match plain_name(student, false) {
        s if s.is_empty() => "student".to_string(),
        s => s,
    };
    let file = match plain_name(file, true) {
        f if f.is_empty() => "file".to_string(),
        f => f,
    };
    format!("{student}_{attempt}_{file}")
}

/// `text` as a plain name: words joined by `-`, only letters, digits, `-`, `_` (and `.` when
/// `keep_dots`), no leading dot or dash, at most 100 characters; may be empty.
pub fn plain_name(text: &str, keep_dots: bool) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        let word: String = word
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_') || (keep_dots && *c == '.'))
            .collect();
        if !word.is_empty() {
            if !out.is_empty() {
                out.push('-');
            }
            out.push_str(&word);
        }
    }
    out.trim_start_matches(['.', '-'])
        .chars()
        .take(100)
        .collect()
}

/// `names` made unique in order: a repeated name gets `-2`, `-3`... before its extension.
pub fn unique_names(names: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|name| {
            let mut candidate = name.clone();
            let mut n = 1;
            while !seen.insert(candidate.clone()) {
                n += 1;
                candidate = match name.rsplit_once('.') {
                    Some((stem, ext)) if !stem.is_empty() => format!("{stem}-{n}.{ext}"),
                    _ => format!("{name}-{n}"),
                };
            }
            candidate
        })
        .collect()
}

impl Lms {
    /// The grading sheet of assignment `module_id`, for staff.
    pub async fn grading_sheet(
        &self,
        view: &CourseView,
        module_id: i64,
    ) -> Result<Sheet, LmsError> {
        view.require(permissions::can_grade)?;
        // The assignment is checked once; every read after it is independent of the others,
        // so they go together (pipelined on PostgreSQL).
        let (assignment, item, column, submissions, mut files, rubric, mut levels) = self
            .together(async {
                // This item's column only: the whole gradebook (every item's grades) grew
                // with the course's items.
                let (assignment, item) = tokio::try_join!(
                    self.assignment(view, module_id),
                    self.assignment_item(view, module_id)
                )?;
                let (column, submissions, files, rubric, levels) = tokio::try_join!(
                    self.item_grades(view, &item),
                    self.submissions_where(module_id, None),
                    feedback_files(&self.db, item.id, None),
                    self.rubric_of(module_id),
                    self.chosen_levels(item.id, None),
                )?;
                Ok((assignment, item, column, submissions, files, rubric, levels))
            })
            .await?;
        let mut by_student: HashMap<i64, Vec<Submission>> = HashMap::new();
        for s in submissions {
            by_student.entry(s.student_id).or_default().push(s);
        }
        let closed = window(&assignment, self.now()) == Window::Closed;
        let rows = column
            .into_iter()
            .map(|(student, grade)| {
                let mut theirs = by_student.remove(&student.id).unwrap_or_default();
                let attempts = theirs.len();
                SheetRow {
                    latest: theirs.pop(),
                    attempts,
                    missing: attempts == 0 && closed,
                    grade,
                    feedback_files: files.remove(&student.id).unwrap_or_default(),
                    levels: levels.remove(&student.id).unwrap_or_default(),
                    student,
                }
            })
            .collect();
        Ok(Sheet {
            assignment,
            item,
            rubric,
            rows,
        })
    }

    /// Saves the rows of an assignment's sheet together: nothing is saved unless every row
    /// is valid (`Ok(Err(..))` then, with each row's problems). A row of someone who is not a
    /// student of the course is `NotFound`. Returns how many grades changed; released grades
    /// stay released.
    pub async fn save_sheet(
        &self,
        view: &CourseView,
        grader: &User,
        module_id: i64,
        rows: &[RowInput],
    ) -> Result<Result<usize, SheetErrors>, LmsError> {
        let sheet = self.grading_sheet(view, module_id).await?;
        let old: HashMap<i64, (Option<&Grade>, &HashMap<i64, i64>)> = sheet
            .rows
            .iter()
            .map(|r| (r.student.id, (r.grade.as_ref(), &r.levels)))
            .collect();
        if rows.iter().any(|r| !old.contains_key(&r.student_id)) {
            return Err(LmsError::NotFound);
        }
        let clean = match check_rows(&sheet.item, &sheet.rubric, rows) {
            Ok(clean) => clean,
            Err(errors) => return Ok(Err(errors)),
        };
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let mut changed = 0;
        for (row, input) in clean.iter().zip(rows) {
            for file in &input.files {
                let media_id = media::insert(&mut tx, file, grader.id, now).await?;
                tx.execute(
                    "INSERT INTO grade_files (item_id, student_id, media_id) VALUES ($1, $2, $3)",
                    &[sheet.item.id.into(), row.student_id.into(), media_id.into()],
                )
                .await?;
            }
            let (old_grade, old_levels) = old[&row.student_id];
            if !changes(row, old_grade, old_levels) {
                changed += input.files.len();
                continue;
            }
            if !sheet.rubric.is_empty() {
                tx.execute(
                    "DELETE FROM grade_rubric_levels WHERE item_id = $1 AND student_id = $2",
                    &[sheet.item.id.into(), row.student_id.into()],
                )
                .await?;
                for (criterion, level) in &row.levels {
                    tx.execute(
                        "INSERT INTO grade_rubric_levels (item_id, student_id, criterion_id, level_id)
                         VALUES ($1, $2, $3, $4)",
                        &[sheet.item.id.into(), row.student_id.into(), (*criterion).into(), (*level).into()],
                    )
                    .await?;
                }
            }
            tx.execute(
                "INSERT INTO grades (item_id, student_id, points, feedback, graded_by, graded_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (item_id, student_id) DO UPDATE SET points = excluded.points,
                     feedback = excluded.feedback, graded_by = excluded.graded_by, graded_at = excluded.graded_at",
                &[
                    sheet.item.id.into(),
                    row.student_id.into(),
                    row.points.into(),
                    row.feedback.as_str().into(),
                    grader.id.into(),
                    Value::Time(now),
                ],
            )
            .await?;
            changed += 1;
        }
        tx.commit().await?;
        Ok(Ok(changed))
    }

    /// The feedback files of `actor`'s own grade on assignment `module_id`, once released;
    /// empty before.
    pub async fn my_feedback_files(
        &self,
        view: &CourseView,
        actor: &User,
        module_id: i64,
    ) -> Result<Vec<Media>, LmsError> {
        let item = self.assignment_item(view, module_id).await?;
        if !self.grade_released(item.id, actor.id).await? {
            return Ok(Vec::new());
        }
        let mut files = feedback_files(&self.db, item.id, Some(actor.id)).await?;
        Ok(files.remove(&actor.id).unwrap_or_default())
    }

    /// The rubric with the levels chosen in `actor`'s own grade, once released; `None`
    /// before, or when the assignment has no rubric.
    pub async fn my_rubric(
        &self,
        view: &CourseView,
        actor: &User,
        module_id: i64,
    ) -> Result<Option<(Rubric, HashMap<i64, i64>)>, LmsError> {
        let item = self.assignment_item(view, module_id).await?;
        let rubric = self.rubric(view, module_id).await?;
        if rubric.is_empty() || !self.grade_released(item.id, actor.id).await? {
            return Ok(None);
        }
        let mut chosen = self.chosen_levels(item.id, Some(actor.id)).await?;
        Ok(Some((rubric, chosen.remove(&actor.id).unwrap_or_default())))
    }

    async fn grade_released(&self, item_id: i64, student_id: i64) -> Result<bool, LmsError> {
        let row = self
            .db
            .query_opt(
                "SELECT released_at FROM grades WHERE item_id = $1 AND student_id = $2",
                &[item_id.into(), student_id.into()],
            )
            .await?;
        Ok(match row {
            Some(row) => row
                .get::<Option<chrono::DateTime<chrono::Utc>>>("released_at")?
                .is_some(),
            None => false,
        })
    }

    /// A feedback file of the course: for staff, and for its student once the grade is
    /// released; `NotFound` for anyone else and before.
    pub async fn feedback_file(
        &self,
        view: &CourseView,
        actor: &User,
        item_id: i64,
        media_id: i64,
    ) -> Result<Media, LmsError> {
        let item = self.gradebook_item(view, item_id).await?;
        let row = self
            .db
            .query_opt(
                &format!(
                    "SELECT grade_files.student_id, {MEDIA_COLUMNS} FROM grade_files
                     JOIN media ON media.id = grade_files.media_id
                     WHERE grade_files.item_id = $1 AND grade_files.media_id = $2"
                ),
                &[item.id.into(), media_id.into()],
            )
            .await?
            .ok_or(LmsError::NotFound)?;
        let owner: i64 = row.get("student_id")?;
        let allowed = permissions::can_grade(view.access())
            || (owner == actor.id && self.grade_released(item.id, owner).await?);
        if !allowed {
            return Err(LmsError::NotFound);
        }
        Media::from_row(&row)?.ok_or(LmsError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> Item {
        Item {
            id: 1,
            module_id: Some(2),
            title: "Essay".into(),
            max_points: 20.0,
            weight: 1.0,
        }
    }

    fn row(student_id: i64, points: &str, feedback: &str) -> RowInput {
        RowInput {
            student_id,
            points: points.into(),
            feedback: feedback.into(),
            ..RowInput::default()
        }
    }

    #[test]
    fn every_bad_row_is_named_and_good_rows_pass() {
        let errors = check_rows(
            &item(),
            &Rubric::default(),
            &[row(1, "12", "ok"), row(2, "21", ""), row(3, "x", "")],
        )
        .err()
        .unwrap();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors.row(2).unwrap().get("points"),
            Some("enter points from 0 to 20")
        );
        assert!(errors.row(1).is_none() && errors.row(3).is_some());
        let clean = check_rows(
            &item(),
            &Rubric::default(),
            &[row(1, " 12.5 ", " good "), row(2, "", "")],
        )
        .unwrap();
        assert_eq!(clean[0].points, Some(12.5));
        assert_eq!(clean[0].feedback, "good");
        assert_eq!(clean[1].points, None);
    }

    #[test]
    fn archive_names_are_one_plain_segment() {
        assert_eq!(
            archive_name("Ada  Lovelace", 2, "essay final.pdf"),
            "Ada-Lovelace_2_essay-final.pdf"
        );
        assert_eq!(
            archive_name("Zoë O'Brien", 1, "a.txt"),
            "Zoë-OBrien_1_a.txt"
        );
        assert_eq!(
            archive_name("../..", 1, "../../etc/passwd"),
            "student_1_etcpasswd"
        );
        assert_eq!(archive_name("Bob", 3, ".hidden"), "Bob_3_hidden");
        assert_eq!(archive_name("Bob", 3, "/\\:*?"), "Bob_3_file");
        assert_eq!(
            unique_names(vec![
                "a_1_x.pdf".into(),
                "a_1_x.pdf".into(),
                "b".into(),
                "b".into()
            ]),
            ["a_1_x.pdf", "a_1_x-2.pdf", "b", "b-2"]
        );
    }

    #[test]
    fn untouched_rows_change_nothing() {
        let none = HashMap::new();
        let empty = Clean {
            student_id: 1,
            points: None,
            feedback: String::new(),
            levels: HashMap::new(),
        };
        assert!(!changes(&empty, None, &none));
        let g = Grade {
            item_id: 1,
            student_id: 1,
            points: Some(3.0),
            feedback: "fine".into(),
            graded_at: None,
            released_at: None,
        };
        let same = Clean {
            student_id: 1,
            points: Some(3.0),
            feedback: "fine".into(),
            levels: HashMap::new(),
        };
        assert!(!changes(&same, Some(&g), &none));
        assert!(
            changes(&empty, Some(&g), &none),
            "clearing a grade is a change"
        );
    }
}
