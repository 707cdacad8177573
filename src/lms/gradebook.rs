//! The gradebook of a course: one item per assignment plus manual items, each out of its own
//! points and with a weight; grades per student and item, with feedback, visible to the
//! student once released; a weighted final percentage, a letter grade, and a CSV export.
//! The arithmetic (`final_percent`, `letter_for`, `csv`) is pure.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{
    CourseRole, FieldErrors, Lms, LmsError, SystemRole, User, courses::CourseView, permissions,
    validate,
};
use crate::db::{DbError, Executor, Field, Row, Value, field};

/// Letter grades when a course has set none: (letter, minimum percentage).
pub const DEFAULT_LETTERS: &[(&str, f64)] = &[
    ("A", 90.0),
    ("B", 80.0),
    ("C", 70.0),
    ("D", 60.0),
    ("F", 0.0),
];

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Item {
    pub id: i64,
    /// The assignment this item grades; `None` for a manual item.
    pub module_id: Option<i64>,
    pub title: String,
    pub max_points: f64,
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Grade {
    pub item_id: i64,
    pub student_id: i64,
    pub points: Option<f64>,
    pub feedback: String,
    pub graded_at: Option<DateTime<Utc>>,
    pub released_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Letter {
    pub letter: String,
    pub min_percent: f64,
}

/// One student's line: a grade (or none) per item in item order, the final percentage over
/// the graded items and its letter.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StudentLine {
    pub student: User,
    pub grades: Vec<Option<Grade>>,
    pub final_percent: Option<f64>,
    pub letter: Option<String>,
}

/// A gradebook as one person may see it: staff see every student and every grade; a student
/// sees one line holding only released grades.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Report {
    pub items: Vec<Item>,
    pub letters: Vec<Letter>,
    pub lines: Vec<StudentLine>,
}

impl Report {
    /// Item `id` of this gradebook; `NotFound` when the course has none (as `gradebook_item`).
    pub fn item(&self, id: i64) -> Result<&Item, LmsError> {
        self.items
            .iter()
            .find(|i| i.id == id)
            .ok_or(LmsError::NotFound)
    }

    /// The position of the item grading assignment `module_id` (as `assignment_item`).
    pub fn assignment_column(&self, module_id: i64) -> Result<usize, LmsError> {
        self.items
            .iter()
            .position(|i| i.module_id == Some(module_id))
            .ok_or(LmsError::NotFound)
    }
}

/// A gradebook item form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ItemInput {
    pub title: String,
    pub max_points: String,
    pub weight: String,
}

/// The weighted mean of the graded items' fractions (points / max points), as a percentage.
/// Items without points and items of weight 0 do not count; `None` when nothing counts.
pub fn final_percent(items: &[Item], grades: &[Option<Grade>]) -> Option<f64> {
    let (mut sum, mut weights) = (0.0, 0.0);
    for (item, grade) in items.iter().zip(grades) {
        if let Some(points) = grade.as_ref().and_then(|g| g.points)
            && item.weight > 0.0
        {
            sum += item.weight * points / item.max_points;
            weights += item.weight;
        }
    }
    (weights > 0.0).then(|| 100.0 * sum / weights)
}

/// The letter of the highest bound `percent` reaches.
pub fn letter_for(percent: f64, letters: &[Letter]) -> Option<String> {
    letters
        .iter()
        .filter(|l| percent + 1e-9 >= l.min_percent)
        .max_by(|a, b| a.min_percent.total_cmp(&b.min_percent))
        .map(|l| l.letter.clone())
}

/// Reads letter grade lines like `A 90` or `B+, 87.5`; every line must parse.
pub fn parse_letters(text: &str) -> Result<Vec<Letter>, LmsError> {
    let mut errors = FieldErrors::default();
    let mut letters: Vec<Letter> = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let mut parts = line.split([' ', ',', '\t']).filter(|p| !p.is_empty());
        let parsed = match (parts.next(), parts.next(), parts.next()) {
            (Some(letter), Some(min), None) if is_letter(letter) => min
                .trim_end_matches('%')
                .parse::<f64>()
                .ok()
                .filter(|m| (0.0..=100.0).contains(m))
                .map(|min_percent| Letter {
                    letter: letter.to_string(),
                    min_percent,
                }),
            _ => None,
        };
        match parsed {
            Some(l) if letters.iter().all(|o| o.letter != l.letter) => letters.push(l),
            _ => errors.add(
                "letters",
                format!(
                    "line {}: write a letter and a minimum percentage from 0 to 100, like “B 80”",
                    n + 1
                ),
            ),
        }
    }
    errors.check(
        !letters.is_empty(),
        "letters",
        "give at least one letter, like “F 0”",
    );
    errors.into_result()?;
    letters.sort_by(|a, b| b.min_percent.total_cmp(&a.min_percent));
    Ok(letters)
}

/// Whether `text` is a sane letter grade: up to 5 characters, starting with a letter or digit,
/// then letters, digits, `+`, `-` or `*` (`A`, `B+`, `1-`, `Sehr`). Anything else (`=2+5`)
/// could be read as a formula by a spreadsheet or is not a grade.
fn is_letter(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(char::is_alphanumeric)
        && text.chars().count() <= 5
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '+' | '-' | '*'))
}

/// The gradebook as CSV: a header, then one line per student with each item's points, the
/// final percentage (two decimals) and the letter. Every cell passes through `inert`.
pub fn csv(report: &Report) -> Result<String, LmsError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["email".to_string(), "name".to_string()];
    header.extend(
        report
            .items
            .iter()
            .map(|i| format!("{} (/{})", i.title, number(i.max_points))),
    );
    header.extend(["final percent".to_string(), "letter".to_string()]);
    let mut rows = vec![header];
    for line in &report.lines {
        let mut row = vec![
            line.student.email.clone(),
            line.student.display_name.clone(),
        ];
        row.extend(line.grades.iter().map(|g| {
            g.as_ref()
                .and_then(|g| g.points)
                .map(number)
                .unwrap_or_default()
        }));
        row.push(
            line.final_percent
                .map(|p| format!("{p:.2}"))
                .unwrap_or_default(),
        );
        row.push(line.letter.clone().unwrap_or_default());
        rows.push(row);
    }
    for row in rows {
        out.write_record(row.iter().map(|cell| inert(cell)))
            .map_err(|e| LmsError::Export(e.to_string()))?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| LmsError::Export(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| LmsError::Export(e.to_string()))
}

/// Text a spreadsheet will not run as a formula: a leading `=`, `+`, `-`, `@`, tab or
/// carriage return gets a `'` in front (names and titles are typed by people).
pub(crate) fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A number without a needless fraction: `20`, `17.5`.
pub fn number(n: f64) -> String {
    let mut out = String::new();
    write_number(&mut out, n);
    out
}

/// `number(n)` written at the end of `out` (the gradebook writes one per cell).
pub fn write_number(out: &mut String, n: f64) {
    use std::fmt::Write as _;
    if n.fract() == 0.0 {
        // Whole numbers (nearly every grade) as integers: `{:.0}` takes the float
        // formatter's exact mode, a few percent of a large gradebook's time. Same text.
        if n.abs() < 1e15 && !(n == 0.0 && n.is_sign_negative()) {
            let _ = write!(out, "{}", n as i64);
        } else {
            let _ = write!(out, "{n:.0}");
        }
    } else {
        let _ = write!(out, "{n}");
    }
}

/// A percentage as `{:.2}%` writes it (`78.75%`), at the end of `out`. `{:.2}` takes the
/// float formatter's exact mode (Grisu, then Dragon: 3 % of the gradebook page); away from a
/// tie the rounded hundredths give the same digits, so only a value within a millionth of a
/// hundredth's half goes through it.
pub fn write_percent(out: &mut String, p: f64) {
    use std::fmt::Write as _;
    let hundredths = p * 100.0;
    let off_tie = (hundredths - hundredths.floor() - 0.5).abs() > 1e-6;
    // Below 1e9 hundredths the product's own rounding error is far below that margin.
    if p.is_finite() && p.is_sign_positive() && hundredths < 1e9 && off_tie {
        let h = hundredths.round() as u64;
        let _ = write!(out, "{}.{:02}%", h / 100, h % 100);
    } else {
        let _ = write!(out, "{p:.2}%");
    }
}

fn item_from_row(row: &Row) -> Result<Item, LmsError> {
    Ok(Item {
        id: row.get("id")?,
        module_id: row.get("module_id")?,
        title: row.get("title")?,
        max_points: row.get("max_points")?,
        weight: row.get("weight")?,
    })
}

/// What a report reads of each grade.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// Everything (the CSV export, an item's grading page).
    Full,
    /// Points alone (the staff table).
    Points,
    /// Everything, of released grades only (a student's own line).
    Released,
}

/// A grade's columns, in the order `grade_from_fields` reads them.
const GRADE_COLUMNS: &str = "grades.item_id, grades.student_id, grades.points, grades.feedback, grades.graded_at, grades.released_at";

/// How a grade is read from the fields of a row (`Db::query_map`).
type ReadGrade = fn(&[Field<'_>]) -> Result<Grade, DbError>;

/// A grade's points alone (the staff table), in the order `points_from_fields` reads them: the
/// covering index `grades_item_student_points_idx` (0014) holds all three.
const POINTS_COLUMNS: &str = "grades.item_id, grades.student_id, grades.points";

/// A grade with its points alone, from the columns `POINTS_COLUMNS` selects.
fn points_from_fields(f: &[Field<'_>]) -> Result<Grade, DbError> {
    Ok(Grade {
        item_id: field(f, 0)?,
        student_id: field(f, 1)?,
        points: field(f, 2)?,
        feedback: String::new(),
        graded_at: None,
        released_at: None,
    })
}

/// A grade from the columns `GRADE_COLUMNS` selects, in that order.
fn grade_from_fields(f: &[Field<'_>]) -> Result<Grade, DbError> {
    Ok(Grade {
        item_id: field(f, 0)?,
        student_id: field(f, 1)?,
        points: field(f, 2)?,
        feedback: field(f, 3)?,
        graded_at: field(f, 4)?,
        released_at: field(f, 5)?,
    })
}

fn clean_item(input: &ItemInput) -> Result<(String, f64, f64), LmsError> {
    let mut errors = FieldErrors::default();
    let title = validate::text(&mut errors, "title", &input.title, 200);
    let max = input
        .max_points
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|p| p.is_finite() && *p > 0.0);
    errors.check(
        max.is_some(),
        "max_points",
        "enter the points the item is out of, more than 0",
    );
    let weight = weight(&mut errors, &input.weight);
    errors.into_result()?;
    Ok((title, max.unwrap_or(1.0), weight))
}

fn weight(errors: &mut FieldErrors, text: &str) -> f64 {
    let weight = text
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|w| w.is_finite() && (0.0..=1000.0).contains(w));
    errors.check(weight.is_some(), "weight", "enter a weight from 0 to 1000");
    weight.unwrap_or(1.0)
}

/// Points out of `max`, as typed; empty clears the grade.
pub(crate) fn points(text: &str, max: f64) -> Result<Option<f64>, LmsError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(p) if p.is_finite() && (0.0..=max).contains(&p) => Ok(Some(p)),
        _ => Err(LmsError::field(
            "points",
            format!("enter points from 0 to {}", number(max)),
        )),
    }
}

impl Lms {
    /// The course's items in order; students do not see the items of assignments hidden
    /// from them.
    pub async fn gradebook_items(&self, view: &CourseView) -> Result<Vec<Item>, LmsError> {
        let rows = self
            .db
            .query(
                "SELECT id, module_id, title, max_points, weight FROM gradebook_items
                 WHERE course_id = $1 AND (module_id IS NULL OR module_id NOT IN
                     (SELECT id FROM modules WHERE course_id = $1 AND deleted_at IS NOT NULL))
                 ORDER BY position, id",
                &[view.course().id.into()],
            )
            .await?;
        let items: Vec<Item> = rows.iter().map(item_from_row).collect::<Result<_, _>>()?;
        if permissions::can_edit_content(view.access()) {
            return Ok(items);
        }
        let shown: Vec<i64> = self.modules(view).await?.iter().map(|m| m.id).collect();
        Ok(items
            .into_iter()
            .filter(|i| i.module_id.is_none_or(|m| shown.contains(&m)))
            .collect())
    }

    /// The item of one of the course's items; `NotFound` for another course's.
    pub async fn gradebook_item(&self, view: &CourseView, id: i64) -> Result<Item, LmsError> {
        let items = self.gradebook_items(view).await?;
        items
            .into_iter()
            .find(|i| i.id == id)
            .ok_or(LmsError::NotFound)
    }

    /// The item that grades assignment `module_id`.
    pub async fn assignment_item(
        &self,
        view: &CourseView,
        module_id: i64,
    ) -> Result<Item, LmsError> {
        let items = self.gradebook_items(view).await?;
        items
            .into_iter()
            .find(|i| i.module_id == Some(module_id))
            .ok_or(LmsError::NotFound)
    }

    /// The course's letter grades, highest first (the defaults when it has set none).
    pub async fn letters(&self, view: &CourseView) -> Result<Vec<Letter>, LmsError> {
        let rows = self
            .db
            .query(
                "SELECT letter, min_percent FROM letter_grades WHERE course_id = $1 ORDER BY min_percent DESC",
                &[view.course().id.into()],
            )
            .await?;
        if rows.is_empty() {
            return Ok(DEFAULT_LETTERS
                .iter()
                .map(|(letter, min)| Letter {
                    letter: letter.to_string(),
                    min_percent: *min,
                })
                .collect());
        }
        rows.iter()
            .map(|r| {
                Ok(Letter {
                    letter: r.get("letter")?,
                    min_percent: r.get("min_percent")?,
                })
            })
            .collect()
    }

    /// Replaces the course's letter grades with those in `text` (one `LETTER MIN%` a line).
    pub async fn set_letters(&self, view: &CourseView, text: &str) -> Result<(), LmsError> {
        view.require(permissions::can_set_up_gradebook)?;
        let letters = parse_letters(text)?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let course = view.course().id;
        tx.execute(
            "DELETE FROM letter_grades WHERE course_id = $1",
            &[course.into()],
        )
        .await?;
        for l in letters {
            tx.execute(
                "INSERT INTO letter_grades (course_id, letter, min_percent) VALUES ($1, $2, $3)",
                &[course.into(), l.letter.into(), l.min_percent.into()],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Adds a manual item (an exam, participation) at the end.
    pub async fn add_item(&self, view: &CourseView, input: &ItemInput) -> Result<Item, LmsError> {
        view.require(permissions::can_set_up_gradebook)?;
        let (title, max, weight) = clean_item(input)?;
        let row = self
            .db
            .query_one(
                "INSERT INTO gradebook_items (course_id, module_id, title, max_points, weight, position, created_at)
                 VALUES ($1, NULL, $2, $3, $4, (SELECT COALESCE(MAX(position) + 1, 0) FROM gradebook_items WHERE course_id = $1), $5)
                 RETURNING id, module_id, title, max_points, weight",
                &[view.course().id.into(), title.into(), max.into(), weight.into(), Value::Time(self.now())],
            )
            .await?;
        item_from_row(&row)
    }

    /// Changes an item's weight and, for a manual item, its title and points (an
    /// assignment's item follows the assignment).
    pub async fn update_item(
        &self,
        view: &CourseView,
        id: i64,
        input: &ItemInput,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_set_up_gradebook)?;
        let item = self.gradebook_item(view, id).await?;
        let (title, max, weight) = if item.module_id.is_some() {
            let mut errors = FieldErrors::default();
            let weight = weight(&mut errors, &input.weight);
            errors.into_result()?;
            (item.title, item.max_points, weight)
        } else {
            clean_item(input)?
        };
        self.db
            .execute(
                "UPDATE gradebook_items SET title = $2, max_points = $3, weight = $4 WHERE id = $1",
                &[id.into(), title.into(), max.into(), weight.into()],
            )
            .await?;
        Ok(())
    }

    /// Grades one student of the course on one item: points out of the item's maximum (empty
    /// clears them) and feedback. A released grade stays released.
    pub async fn grade(
        &self,
        view: &CourseView,
        grader: &User,
        item_id: i64,
        student_id: i64,
        points_text: &str,
        feedback: &str,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_grade)?;
        let item = self.gradebook_item(view, item_id).await?;
        if !self
            .students(view)
            .await?
            .iter()
            .any(|s| s.id == student_id)
        {
            return Err(LmsError::NotFound);
        }
        let points = points(points_text, item.max_points)?;
        let feedback = feedback.trim();
        if feedback.chars().count() > 20_000 {
            return Err(LmsError::field("feedback", "use at most 20000 characters"));
        }
        self.db
            .execute(
                "INSERT INTO grades (item_id, student_id, points, feedback, graded_by, graded_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (item_id, student_id) DO UPDATE SET points = excluded.points,
                     feedback = excluded.feedback, graded_by = excluded.graded_by, graded_at = excluded.graded_at",
                &[item_id.into(), student_id.into(), points.into(), feedback.into(), grader.id.into(), Value::Time(self.now())],
            )
            .await?;
        Ok(())
    }

    /// Makes every grade of the item that has points visible to its student; returns how
    /// many were newly released.
    pub async fn release_grades(&self, view: &CourseView, item_id: i64) -> Result<u64, LmsError> {
        view.require(permissions::can_grade)?;
        let item = self.gradebook_item(view, item_id).await?;
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let released = tx
            .execute(
                "UPDATE grades SET released_at = $2 WHERE item_id = $1 AND released_at IS NULL AND points IS NOT NULL",
                &[item_id.into(), Value::Time(now)],
            )
            .await?;
        if released > 0 {
            let course = view.course();
            let link = match item.module_id {
                Some(m) => format!("/courses/{}/modules/{m}", course.slug),
                None => format!("/courses/{}/grades", course.slug),
            };
            let note = super::notifications::Note {
                kind: super::MailKind::GradeReleased,
                course_id: Some(course.id),
                course_title: course.title.clone(),
                title: format!("Grade released: {}", item.title),
                body: "Your grade and feedback can now be seen.".into(),
                html: None,
                link,
                dedupe_key: None,
            };
            // Those whose grade this release made visible (`released_at` is this instant).
            super::notifications::fan_out(
                &mut tx,
                self.mail_site(),
                now,
                &note,
                "SELECT student_id FROM grades WHERE item_id = $1 AND released_at = $2",
                &[item_id.into(), Value::Time(now)],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(released)
    }

    /// The course's students, by name.
    pub async fn students(&self, view: &CourseView) -> Result<Vec<User>, LmsError> {
        let sql = format!(
            "SELECT {} FROM enrollments JOIN users ON users.id = enrollments.user_id
             WHERE enrollments.course_id = $1 AND enrollments.role = $2 ORDER BY users.display_name, users.id",
            super::accounts::USER_COLUMNS
        );
        let rows = self
            .db
            .query(&sql, &[view.course().id.into(), CourseRole::Student.into()])
            .await?;
        rows.iter().map(User::from_row).collect()
    }

    /// The whole gradebook, for staff.
    pub async fn gradebook(&self, view: &CourseView) -> Result<Report, LmsError> {
        view.require(permissions::can_grade)?;
        self.class_report(view, Detail::Full).await
    }

    /// The gradebook with each grade's points alone (feedback empty, no times) and each
    /// student's id, name and address alone (`roster`). The staff table shows nothing else,
    /// and reading a class's feedback and parsing its times was a tenth of that page's work.
    pub async fn gradebook_points(&self, view: &CourseView) -> Result<Report, LmsError> {
        view.require(permissions::can_grade)?;
        self.class_report(view, Detail::Points).await
    }

    /// The whole class's report: its four reads pipelined (`Lms::together`).
    async fn class_report(&self, view: &CourseView, detail: Detail) -> Result<Report, LmsError> {
        let students = async {
            match detail {
                Detail::Points => self.roster(view).await,
                Detail::Full | Detail::Released => self.students(view).await,
            }
        };
        let (students, parts) = self
            .together(async { tokio::try_join!(students, self.report_parts(view, detail)) })
            .await?;
        Ok(report(students, parts, detail))
    }

    /// The course's students by name, as `students`, each with their id, name and address
    /// alone (other fields empty): what the staff's tables (the gradebook, the grading table)
    /// show. Reading and parsing every person's other columns (role, times, time zone) was a
    /// tenth of the gradebook's work.
    async fn roster(&self, view: &CourseView) -> Result<Vec<User>, LmsError> {
        let students = self
            .db
            .query_map(
                "SELECT users.id, users.display_name, users.email FROM enrollments JOIN users ON users.id = enrollments.user_id
                 WHERE enrollments.course_id = $1 AND enrollments.role = $2 ORDER BY users.display_name, users.id",
                &[view.course().id.into(), CourseRole::Student.into()],
                |f| {
                    Ok(User {
                        id: field(f, 0)?,
                        display_name: field(f, 1)?,
                        email: field(f, 2)?,
                        role: SystemRole::Student,
                        disabled: false,
                        created_at: DateTime::UNIX_EPOCH,
                        time_zone: None,
                    })
                },
            )
            .await?;
        Ok(students)
    }

    /// Each student's grade on `item` alone, in the gradebook's order (the grading table's
    /// column): the other items' grades are not read. Students as `roster` reads them.
    pub async fn item_grades(
        &self,
        view: &CourseView,
        item: &Item,
    ) -> Result<Vec<(User, Option<Grade>)>, LmsError> {
        view.require(permissions::can_grade)?;
        let grades = async {
            let sql = format!("SELECT {GRADE_COLUMNS} FROM grades WHERE item_id = $1");
            let grades = (self.db)
                .query_map(&sql, &[item.id.into()], grade_from_fields)
                .await?;
            Ok(grades)
        };
        let (students, grades) = tokio::try_join!(self.roster(view), grades)?;
        let mut grades: HashMap<i64, Grade> =
            grades.into_iter().map(|g| (g.student_id, g)).collect();
        Ok(students
            .into_iter()
            .map(|s| {
                let grade = grades.remove(&s.id);
                (s, grade)
            })
            .collect())
    }

    /// `actor`'s own line, with released grades only.
    pub async fn my_grades(&self, view: &CourseView, actor: &User) -> Result<Report, LmsError> {
        view.require(permissions::can_submit)?;
        // Quiz grades shown "after the close" are released when it has passed.
        self.release_closed_quiz_grades().await?;
        let parts = self
            .together(self.report_parts(view, Detail::Released))
            .await?;
        Ok(report(vec![actor.clone()], parts, Detail::Released))
    }

    /// A report's items, letters and grade rows, read concurrently (pipelined inside
    /// `Lms::together`).
    async fn report_parts(
        &self,
        view: &CourseView,
        detail: Detail,
    ) -> Result<(Vec<Item>, Vec<Letter>, Vec<Grade>), LmsError> {
        let course = [view.course().id.into()];
        let (columns, read): (&str, ReadGrade) = match detail {
            Detail::Points => (POINTS_COLUMNS, points_from_fields),
            Detail::Full | Detail::Released => (GRADE_COLUMNS, grade_from_fields),
        };
        let sql = format!(
            "SELECT {columns}
             FROM grades JOIN gradebook_items ON gradebook_items.id = grades.item_id
             WHERE gradebook_items.course_id = $1"
        );
        let grades = async { Ok(self.db.query_map(&sql, &course, read).await?) };
        tokio::try_join!(self.gradebook_items(view), self.letters(view), grades)
    }
}

/// The report of `students` from its parts, each grade in its cell.
fn report(
    students: Vec<User>,
    (items, letters, grades): (Vec<Item>, Vec<Letter>, Vec<Grade>),
    detail: Detail,
) -> Report {
    // Each grade goes straight to its cell: a student's row and an item's column are
    // looked up once each, nothing is moved twice (this loop runs per grade of the class).
    // Sorted ids searched by halves: hashing them (SipHash) was 1.6 % of the gradebook.
    fn index(ids: impl Iterator<Item = i64>) -> Vec<(i64, usize)> {
        let mut sorted: Vec<(i64, usize)> = ids.zip(0..).collect();
        sorted.sort_unstable();
        sorted
    }
    fn find(sorted: &[(i64, usize)], id: i64) -> Option<usize> {
        let at = sorted.binary_search_by_key(&id, |&(id, _)| id).ok()?;
        Some(sorted[at].1)
    }
    let row_of = index(students.iter().map(|s| s.id));
    let column_of = index(items.iter().map(|i| i.id));
    let mut cells: Vec<Vec<Option<Grade>>> = vec![vec![None; items.len()]; students.len()];
    for g in grades {
        if detail == Detail::Released && g.released_at.is_none() {
            continue;
        }
        if let (Some(r), Some(c)) = (find(&row_of, g.student_id), find(&column_of, g.item_id)) {
            cells[r][c] = Some(g);
        }
    }
    let lines = students
        .into_iter()
        .zip(cells)
        .map(|(student, line)| {
            let final_percent = final_percent(&items, &line);
            StudentLine {
                letter: final_percent.and_then(|p| letter_for(p, &letters)),
                student,
                grades: line,
                final_percent,
            }
        })
        .collect();
    Report {
        items,
        letters,
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, max_points: f64, weight: f64) -> Item {
        Item {
            id,
            module_id: None,
            title: format!("item {id}"),
            max_points,
            weight,
        }
    }

    fn grade(item_id: i64, points: Option<f64>) -> Option<Grade> {
        Some(Grade {
            item_id,
            student_id: 1,
            points,
            feedback: String::new(),
            graded_at: None,
            released_at: None,
        })
    }

    #[test]
    fn percentages_read_as_the_float_formatter_writes_them() {
        let mut values = vec![
            0.0,
            -0.0,
            78.75,
            78.125,
            78.135,
            78.145,
            99.995,
            99.994999,
            100.0,
            12.005,
            0.005,
            0.015,
            1e7,
            1e9,
            -3.5,
            33.333333333333336,
            66.66666666666667,
        ];
        // Every hundredth and the halves between them up to 1000 %, and sums of grades.
        values.extend((0..200_000).map(|i| f64::from(i) / 200.0));
        values.extend((1..2_000).map(|i| f64::from(i) * 100.0 / 7.0));
        for p in values {
            let mut out = String::new();
            write_percent(&mut out, p);
            assert_eq!(out, format!("{p:.2}%"), "{p}");
        }
    }

    #[test]
    fn whole_numbers_read_as_the_float_formatter_writes_them() {
        for n in [
            0.0, -0.0, 1.0, 10.0, 20.0, 100.0, 12345.0, 1e14, 1e15, 1e20, -3.0,
        ] {
            assert_eq!(number(n), format!("{n:.0}"), "{n}");
        }
        assert_eq!(number(7.5), "7.5");
    }

    #[test]
    fn the_final_grade_is_a_weighted_mean_of_graded_items() {
        let items = [
            item(1, 20.0, 1.0),
            item(2, 50.0, 3.0),
            item(3, 10.0, 2.0),
            item(4, 10.0, 0.0),
        ];
        // 15/20 = 75% (weight 1), 40/50 = 80% (weight 3), item 3 ungraded, item 4 weight 0.
        let grades = [
            grade(1, Some(15.0)),
            grade(2, Some(40.0)),
            grade(3, None),
            grade(4, Some(0.0)),
        ];
        let p = final_percent(&items, &grades).unwrap();
        assert!((p - 78.75).abs() < 1e-9, "{p}");
        assert_eq!(final_percent(&items, &[None, None, None, None]), None);
    }

    #[test]
    fn letters_take_the_highest_bound_reached() {
        let letters = parse_letters("A 90\nB+, 87.5%\nB 80\n\nF 0").unwrap();
        assert_eq!(letters[0].letter, "A");
        assert_eq!(letter_for(90.0, &letters).as_deref(), Some("A"));
        assert_eq!(letter_for(88.0, &letters).as_deref(), Some("B+"));
        assert_eq!(letter_for(78.75, &letters).as_deref(), Some("F"));
        assert!(parse_letters("A ninety").is_err());
        assert!(parse_letters("A 90\nA 80").is_err());
        assert!(parse_letters("A 120").is_err());
        for formula in ["=2+5", "+1", "-A", "@A", "A=B", "\"A\"", "A;B"] {
            assert!(
                parse_letters(&format!("{formula} 90")).is_err(),
                "{formula}"
            );
        }
        assert!(parse_letters("A- 90\n1* 50\nSehr 80").is_ok());
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("Ada"), "Ada");
        assert_eq!(inert("-3"), "'-3");
    }

    #[test]
    fn every_csv_cell_is_inert() {
        let student = |email: &str, name: &str| crate::lms::User {
            id: 1,
            email: email.into(),
            display_name: name.into(),
            role: crate::lms::SystemRole::Student,
            disabled: false,
            created_at: chrono::DateTime::UNIX_EPOCH,
            time_zone: None,
        };
        let report = Report {
            items: vec![],
            lines: vec![StudentLine {
                student: student("=a@b.org", "@Ada"),
                grades: vec![],
                final_percent: None,
                letter: Some("=2+5".into()),
            }],
            letters: vec![],
        };
        let text = csv(&report).unwrap();
        let row = text.lines().nth(1).unwrap();
        assert_eq!(row, "'=a@b.org,'@Ada,,'=2+5");
    }

    #[test]
    fn points_stay_within_the_maximum() {
        assert_eq!(points(" 17.5 ", 20.0).unwrap(), Some(17.5));
        assert_eq!(points("", 20.0).unwrap(), None);
        assert!(points("21", 20.0).is_err());
        assert!(points("-1", 20.0).is_err());
        assert!(points("NaN", 20.0).is_err());
        assert_eq!(
            (number(20.0), number(17.5)),
            ("20".to_string(), "17.5".to_string())
        );
    }
}
