//! Assignments: a module with instructions, an opening time, a due date, a cut-off date, a
//! maximum number of attempts, the file types and size accepted, text and/or file answers and
//! the points it is out of. Each has a gradebook item. `window` is the deadline rule.

use chrono::{DateTime, Utc};

use super::{
    FieldErrors, Lms, LmsError, Zone,
    attachments::{Saved, Slot, TextEdit},
    courses::CourseView,
    media,
    modules::{Module, ModuleKind, NewModule, check_placement, sanitize_html},
    permissions,
    richtext::{Format, MAX_TEXT_BYTES, RichText, Stored},
};
use crate::db::{Executor, Row, Value};

/// The largest file an assignment may accept.
pub const MAX_FILE_MIB: i64 = 100;
const MIB: i64 = 1024 * 1024;

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Assignment {
    pub module: Module,
    pub instructions_html: String,
    /// The instructions' source format (`None`: HTML from before the editor).
    pub instructions_format: Option<Format>,
    /// The instructions' Markdown source.
    pub instructions_source: Option<String>,
    #[serde(skip)]
    pub instructions_source_digest: Option<String>,
    pub opens_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub cutoff_at: Option<DateTime<Utc>>,
    pub max_attempts: Option<i64>,
    /// Lower-case extensions without the dot; empty: any type.
    pub allowed_file_types: Vec<String>,
    pub max_file_bytes: i64,
    pub accepts_text: bool,
    pub accepts_files: bool,
    pub max_points: f64,
}

/// An assignment form as typed: times as `<input type="datetime-local">` sends them
/// (`YYYY-MM-DDTHH:MM`, read in `zone`) or RFC 3339 with an offset (the API).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AssignmentInput {
    /// The zone the person typed the times in (theirs, else the site's); not a form field.
    #[serde(skip)]
    pub zone: Zone,
    pub section_id: String,
    pub title: String,
    pub instructions: String,
    /// `markdown` or `html` (also when empty, as before the editor).
    pub instructions_format: String,
    pub opens_at: String,
    pub due_at: String,
    pub cutoff_at: String,
    pub max_attempts: String,
    pub allowed_file_types: String,
    pub max_file_mib: String,
    pub accepts_text: Option<String>,
    pub accepts_files: Option<String>,
    pub max_points: String,
}

/// Whether work can be handed in at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    NotOpen,
    Open { late: bool },
    Closed,
}

/// The deadline rule: nothing before `opens_at`; after `due_at` work is late; after
/// `cutoff_at` nothing more is accepted. Each bound belongs to the earlier state (work handed
/// in exactly at the due time is on time).
pub fn window(a: &Assignment, now: DateTime<Utc>) -> Window {
    if a.opens_at.is_some_and(|opens| now < opens) {
        Window::NotOpen
    } else if a.cutoff_at.is_some_and(|cutoff| now > cutoff) {
        Window::Closed
    } else {
        Window::Open {
            late: a.due_at.is_some_and(|due| now > due),
        }
    }
}

impl Assignment {
    /// `Err(message)` when a file of this name may not be handed in.
    pub fn check_file_name(&self, file_name: &str) -> Result<(), String> {
        if self.allowed_file_types.is_empty() {
            return Ok(());
        }
        match media::extension(file_name) {
            Some(ext) if self.allowed_file_types.contains(&ext) => Ok(()),
            _ => Err(format!(
                "{file_name}: only {} files are accepted",
                self.allowed_file_types.join(", ")
            )),
        }
    }

    fn from_row(module: Module, row: &Row) -> Result<Assignment, LmsError> {
        let types: String = row.get("allowed_file_types")?;
        Ok(Assignment {
            module,
            instructions_html: row.get("instructions_html")?,
            instructions_format: row.get("instructions_format")?,
            instructions_source: row.get("instructions_source")?,
            instructions_source_digest: row.get("instructions_source_digest")?,
            opens_at: row.get("opens_at")?,
            due_at: row.get("due_at")?,
            cutoff_at: row.get("cutoff_at")?,
            max_attempts: row.get("max_attempts")?,
            allowed_file_types: types
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            max_file_bytes: row.get("max_file_bytes")?,
            accepts_text: row.get("accepts_text")?,
            accepts_files: row.get("accepts_files")?,
            max_points: row.get("max_points")?,
        })
    }
}

impl Assignment {
    /// The instructions as the editor opens them.
    pub fn instructions_text(&self) -> RichText {
        Stored::from_columns(
            self.instructions_html.clone(),
            self.instructions_format,
            self.instructions_source.clone(),
            self.instructions_source_digest.clone(),
        )
        .editable()
    }
}

impl AssignmentInput {
    /// The instructions as typed.
    pub fn instructions_text(&self) -> RichText {
        RichText::from_form(&self.instructions_format, &self.instructions)
    }

    /// The form filled in with an assignment's values, its times in `zone`.
    pub fn from_assignment(a: &Assignment, zone: Zone) -> AssignmentInput {
        let time = |t: Option<DateTime<Utc>>| t.map(|t| zone.input_value(t)).unwrap_or_default();
        let text = a.instructions_text();
        AssignmentInput {
            zone,
            section_id: a.module.section_id.to_string(),
            title: a.module.title.clone(),
            instructions: text.source,
            instructions_format: text.format.as_str().into(),
            opens_at: time(a.opens_at),
            due_at: time(a.due_at),
            cutoff_at: time(a.cutoff_at),
            max_attempts: a.max_attempts.map(|n| n.to_string()).unwrap_or_default(),
            allowed_file_types: a.allowed_file_types.join(", "),
            max_file_mib: (a.max_file_bytes / MIB).to_string(),
            accepts_text: a.accepts_text.then(|| "true".into()),
            accepts_files: a.accepts_files.then(|| "true".into()),
            max_points: a.max_points.to_string(),
        }
    }
}

/// The checked values of an assignment form.
struct Clean {
    section_id: i64,
    title: String,
    instructions_html: String,
    opens_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
    cutoff_at: Option<DateTime<Utc>>,
    max_attempts: Option<i64>,
    allowed_file_types: String,
    max_file_bytes: i64,
    accepts_text: bool,
    accepts_files: bool,
    max_points: f64,
}

/// A time typed in `zone` (empty: none), or its error recorded on `field`.
pub(super) fn time(
    errors: &mut FieldErrors,
    field: &'static str,
    text: &str,
    zone: Zone,
) -> Option<DateTime<Utc>> {
    if text.trim().is_empty() {
        return None;
    }
    zone.read(text)
        .map_err(|e| errors.add(field, e.to_string()))
        .ok()
}

fn file_types(errors: &mut FieldErrors, text: &str) -> String {
    let types: Vec<String> = text
        .split([',', ' ', ';'])
        .map(|t| t.trim().trim_start_matches('.').to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    errors.check(
        types
            .iter()
            .all(|t| t.len() <= 10 && t.chars().all(|c| c.is_ascii_alphanumeric())),
        "allowed_file_types",
        "list extensions like pdf, docx, png",
    );
    types.join(",")
}

fn clean(input: &AssignmentInput, section_ids: &[i64]) -> Result<Clean, LmsError> {
    let mut errors = FieldErrors::default();
    let (section_id, title) =
        check_placement(&mut errors, section_ids, &input.section_id, &input.title);
    let opens_at = time(&mut errors, "opens_at", &input.opens_at, input.zone);
    let due_at = time(&mut errors, "due_at", &input.due_at, input.zone);
    let cutoff_at = time(&mut errors, "cutoff_at", &input.cutoff_at, input.zone);
    if let (Some(opens), Some(due)) = (opens_at, due_at) {
        errors.check(
            due >= opens,
            "due_at",
            "the due date must come after the opening time",
        );
    }
    if let (Some(due), Some(cutoff)) = (due_at.or(opens_at), cutoff_at) {
        errors.check(
            cutoff >= due,
            "cutoff_at",
            "the cut-off date must come after the due date",
        );
    }
    let max_attempts = match input.max_attempts.trim() {
        "" => None,
        text => {
            let n = text.parse::<i64>().ok().filter(|n| (1..=100).contains(n));
            errors.check(
                n.is_some(),
                "max_attempts",
                "enter a whole number from 1 to 100, or leave it empty for no limit",
            );
            n
        }
    };
    let allowed_file_types = file_types(&mut errors, &input.allowed_file_types);
    let mib = match input.max_file_mib.trim() {
        "" => Some(10),
        text => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_FILE_MIB).contains(n)),
    };
    errors.check(
        mib.is_some(),
        "max_file_mib",
        format!("enter a whole number of MiB from 1 to {MAX_FILE_MIB}"),
    );
    let max_points = input
        .max_points
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|p| p.is_finite() && *p > 0.0 && *p <= 100_000.0);
    errors.check(
        max_points.is_some(),
        "max_points",
        "enter the points the assignment is out of, more than 0",
    );
    let (accepts_text, accepts_files) =
        (input.accepts_text.is_some(), input.accepts_files.is_some());
    errors.check(
        accepts_text || accepts_files,
        "accepts_text",
        "accept text, files or both",
    );
    errors.check(
        input.instructions.len() <= MAX_TEXT_BYTES,
        "instructions",
        format!("use at most {MAX_TEXT_BYTES} bytes of text"),
    );
    errors.into_result()?;
    Ok(Clean {
        section_id,
        title,
        // The row never holds uncleaned text; `save_text` renders it fully in the same transaction.
        instructions_html: sanitize_html(&input.instructions),
        opens_at,
        due_at,
        cutoff_at,
        max_attempts,
        allowed_file_types,
        max_file_bytes: mib.unwrap_or(10) * MIB,
        accepts_text,
        accepts_files,
        max_points: max_points.unwrap_or(100.0),
    })
}

impl Clean {
    fn values(&self, module_id: i64) -> Vec<Value> {
        vec![
            module_id.into(),
            self.instructions_html.as_str().into(),
            self.opens_at.into(),
            self.due_at.into(),
            self.cutoff_at.into(),
            self.max_attempts.into(),
            self.allowed_file_types.as_str().into(),
            self.max_file_bytes.into(),
            self.accepts_text.into(),
            self.accepts_files.into(),
            self.max_points.into(),
        ]
    }
}

impl Lms {
    /// The assignment behind module `id` of the course.
    pub async fn assignment(&self, view: &CourseView, id: i64) -> Result<Assignment, LmsError> {
        let module = self.module(view, id).await?;
        if module.kind != ModuleKind::Assignment {
            return Err(LmsError::NotFound);
        }
        let row = self
            .db
            .query_one(
                "SELECT * FROM assignments WHERE module_id = $1",
                &[id.into()],
            )
            .await?;
        Assignment::from_row(module, &row)
    }

    /// Adds an assignment and its gradebook item.
    pub async fn add_assignment(
        &self,
        view: &CourseView,
        input: &AssignmentInput,
    ) -> Result<Assignment, LmsError> {
        Ok(self
            .add_assignment_with(view, input, &TextEdit::default())
            .await?
            .value)
    }

    /// Adds an assignment whose instructions may name the files `edit` attaches to it.
    pub async fn add_assignment_with(
        &self,
        view: &CourseView,
        input: &AssignmentInput,
        edit: &TextEdit<'_>,
    ) -> Result<Saved<Assignment>, LmsError> {
        view.require(permissions::can_edit_content)?;
        let c = clean(input, &self.section_ids(view).await?)?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let id = self
            .insert_module(
                &mut tx,
                view,
                NewModule {
                    section_id: c.section_id,
                    kind: ModuleKind::Assignment,
                    title: &c.title,
                    body_html: None,
                    media_id: None,
                },
            )
            .await?;
        tx.execute(
            "INSERT INTO assignments (module_id, instructions_html, opens_at, due_at, cutoff_at, max_attempts,
                 allowed_file_types, max_file_bytes, accepts_text, accepts_files, max_points)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &c.values(id),
        )
        .await?;
        tx.execute(
            "INSERT INTO gradebook_items (course_id, module_id, title, max_points, weight, position, created_at)
             VALUES ($1, $2, $3, $4, 1, (SELECT COALESCE(MAX(position) + 1, 0) FROM gradebook_items WHERE course_id = $1), $5)",
            &[view.course().id.into(), id.into(), c.title.as_str().into(), c.max_points.into(), Value::Time(self.now())],
        )
        .await?;
        let text = input.instructions_text();
        let unused_keys = self
            .save_text(&mut tx, id, Slot::Instructions, &text, edit)
            .await?;
        tx.commit().await?;
        Ok(Saved {
            value: self.assignment(view, id).await?,
            unused_keys,
        })
    }

    /// Saves an assignment; its gradebook item follows its title and points.
    pub async fn update_assignment(
        &self,
        view: &CourseView,
        id: i64,
        input: &AssignmentInput,
    ) -> Result<Assignment, LmsError> {
        Ok(self
            .update_assignment_with(view, id, input, &TextEdit::default())
            .await?
            .value)
    }

    /// Saves an assignment, changing its instructions' attachments by `edit`.
    pub async fn update_assignment_with(
        &self,
        view: &CourseView,
        id: i64,
        input: &AssignmentInput,
        edit: &TextEdit<'_>,
    ) -> Result<Saved<Assignment>, LmsError> {
        view.require(permissions::can_edit_content)?;
        self.assignment(view, id).await?;
        let c = clean(input, &self.section_ids(view).await?)?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
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
            "UPDATE assignments SET instructions_html = $2, opens_at = $3, due_at = $4, cutoff_at = $5,
                 max_attempts = $6, allowed_file_types = $7, max_file_bytes = $8, accepts_text = $9,
                 accepts_files = $10, max_points = $11
             WHERE module_id = $1",
            &c.values(id),
        )
        .await?;
        tx.execute(
            "UPDATE gradebook_items SET title = $2, max_points = $3 WHERE module_id = $1",
            &[id.into(), c.title.as_str().into(), c.max_points.into()],
        )
        .await?;
        let text = input.instructions_text();
        let unused_keys = self
            .save_text(&mut tx, id, Slot::Instructions, &text, edit)
            .await?;
        tx.commit().await?;
        Ok(Saved {
            value: self.assignment(view, id).await?,
            unused_keys,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, h, m, 0).unwrap()
    }

    fn input() -> AssignmentInput {
        AssignmentInput {
            section_id: "1".into(),
            title: "Essay".into(),
            opens_at: "2026-03-01T08:00".into(),
            due_at: "2026-03-01T12:00".into(),
            cutoff_at: "2026-03-01T14:00".into(),
            max_points: "20".into(),
            allowed_file_types: ".PDF, docx".into(),
            accepts_files: Some("true".into()),
            ..AssignmentInput::default()
        }
    }

    #[test]
    fn forms_are_checked_and_times_are_utc() {
        let c = clean(&input(), &[1]).unwrap();
        assert_eq!(
            (c.opens_at, c.due_at, c.cutoff_at),
            (Some(at(8, 0)), Some(at(12, 0)), Some(at(14, 0)))
        );
        assert_eq!(c.allowed_file_types, "pdf,docx");
        assert_eq!(c.max_file_bytes, 10 * MIB);
        let in_new_york = AssignmentInput {
            zone: Zone::parse("America/New_York").unwrap(),
            ..input()
        };
        let c = clean(&in_new_york, &[1]).unwrap();
        assert_eq!(c.due_at, Some(at(17, 0)), "12:00 EST is 17:00 UTC");
        let bad = AssignmentInput {
            cutoff_at: "2026-03-01T11:00".into(),
            max_attempts: "0".into(),
            max_points: "-1".into(),
            accepts_files: None,
            due_at: "tomorrow".into(),
            ..input()
        };
        let Err(LmsError::Invalid(errors)) = clean(&bad, &[1]) else {
            panic!("accepted")
        };
        for field in ["due_at", "max_attempts", "max_points", "accepts_text"] {
            assert!(errors.get(field).is_some(), "{field}: {errors}");
        }
    }

    fn assignment() -> Assignment {
        let c = clean(&input(), &[1]).unwrap();
        Assignment {
            module: Module {
                id: 1,
                section_id: 1,
                kind: ModuleKind::Assignment,
                title: c.title,
                position: 0,
                body_html: None,
                body_format: None,
                body_source: None,
                body_source_digest: None,
                media: None,
                hidden: false,
                visible_from: None,
                visible_until: None,
            },
            instructions_html: c.instructions_html,
            instructions_format: None,
            instructions_source: None,
            instructions_source_digest: None,
            opens_at: c.opens_at,
            due_at: c.due_at,
            cutoff_at: c.cutoff_at,
            max_attempts: c.max_attempts,
            allowed_file_types: vec!["pdf".into(), "docx".into()],
            max_file_bytes: c.max_file_bytes,
            accepts_text: c.accepts_text,
            accepts_files: c.accepts_files,
            max_points: c.max_points,
        }
    }

    #[test]
    fn the_deadline_rule() {
        let a = assignment();
        assert_eq!(window(&a, at(7, 59)), Window::NotOpen);
        assert_eq!(window(&a, at(8, 0)), Window::Open { late: false });
        assert_eq!(window(&a, at(12, 0)), Window::Open { late: false });
        assert_eq!(window(&a, at(12, 1)), Window::Open { late: true });
        assert_eq!(window(&a, at(14, 0)), Window::Open { late: true });
        assert_eq!(window(&a, at(14, 1)), Window::Closed);
        let open = Assignment {
            opens_at: None,
            due_at: None,
            cutoff_at: None,
            ..a
        };
        assert_eq!(window(&open, at(23, 0)), Window::Open { late: false });
        assert!(open.check_file_name("essay.PDF").is_ok());
        assert!(open.check_file_name("essay.exe").is_err());
        assert!(open.check_file_name("pdf").is_err());
    }
}
