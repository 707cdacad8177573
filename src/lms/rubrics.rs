//! Rubrics: an assignment's criteria, each with levels worth points, written as text (one
//! criterion a line: `Argument | Weak 0 | Fair 5 | Strong 10`) and parsed by a pure function;
//! a rubric-graded grade keeps the level chosen per criterion and its points are their sum
//! (checked and stored by `grading`).

use std::collections::HashMap;

use super::{FieldErrors, Lms, LmsError, courses::CourseView, gradebook::number, permissions};
use crate::db::Executor;

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Level {
    pub id: i64,
    pub title: String,
    pub points: f64,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Criterion {
    pub id: i64,
    pub title: String,
    pub levels: Vec<Level>,
}

/// An assignment's rubric; empty when it is graded by points alone.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Rubric {
    pub criteria: Vec<Criterion>,
}

impl Rubric {
    pub fn is_empty(&self) -> bool {
        self.criteria.is_empty()
    }

    /// The most points the rubric gives: the best level of every criterion.
    pub fn max_points(&self) -> f64 {
        self.criteria
            .iter()
            .map(|c| c.levels.iter().map(|l| l.points).fold(0.0, f64::max))
            .sum()
    }

    /// The rubric as the editor writes it.
    pub fn text(&self) -> String {
        self.criteria
            .iter()
            .map(|c| {
                let mut line = c.title.clone();
                for l in &c.levels {
                    line.push_str(&format!(" | {} {}", l.title, number(l.points)));
                }
                line
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The level `level_id` of criterion `criterion_id`.
    pub fn level(&self, criterion_id: i64, level_id: i64) -> Option<&Level> {
        self.criteria
            .iter()
            .find(|c| c.id == criterion_id)?
            .levels
            .iter()
            .find(|l| l.id == level_id)
    }
}

/// A criterion as parsed: its title and (level title, points) pairs.
pub type ParsedCriterion = (String, Vec<(String, f64)>);

/// Reads rubric text: one criterion a line, `Title | Level points | Level points ...`, at
/// least two levels each; blank lines are skipped; empty text is no rubric.
pub fn parse_rubric(text: &str) -> Result<Vec<ParsedCriterion>, LmsError> {
    let mut errors = FieldErrors::default();
    let mut out = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let mut parts = line.split('|').map(str::trim);
        let title = parts.next().unwrap_or_default().to_string();
        let levels: Option<Vec<(String, f64)>> = parts
            .map(|p| {
                let (name, points) = p.rsplit_once(' ')?;
                let points = points
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)?;
                let name = name.trim();
                (!name.is_empty() && name.chars().count() <= 200)
                    .then(|| (name.to_string(), points))
            })
            .collect();
        match levels {
            Some(levels)
                if levels.len() >= 2 && !title.is_empty() && title.chars().count() <= 200 =>
            {
                out.push((title, levels))
            }
            _ => errors.add(
                "rubric",
                format!(
                    "line {}: write a criterion and at least two levels with points, like “Argument | Weak 0 | Strong 10”",
                    n + 1
                ),
            ),
        }
    }
    errors.check(out.len() <= 50, "rubric", "use at most 50 criteria");
    errors.into_result()?;
    Ok(out)
}

impl Lms {
    /// Assignment `module_id`'s rubric (empty when it has none).
    pub async fn rubric(&self, view: &CourseView, module_id: i64) -> Result<Rubric, LmsError> {
        self.assignment(view, module_id).await?;
        self.rubric_of(module_id).await
    }

    /// The rubric of an assignment already checked to be one of the course's.
    pub(crate) async fn rubric_of(&self, module_id: i64) -> Result<Rubric, LmsError> {
        let rows = self
            .db
            .query(
                "SELECT rubric_criteria.id AS criterion_id, rubric_criteria.title AS criterion,
                        rubric_levels.id AS level_id, rubric_levels.title AS level, rubric_levels.points
                 FROM rubric_criteria JOIN rubric_levels ON rubric_levels.criterion_id = rubric_criteria.id
                 WHERE rubric_criteria.assignment_id = $1
                 ORDER BY rubric_criteria.position, rubric_criteria.id, rubric_levels.position, rubric_levels.id",
                &[module_id.into()],
            )
            .await?;
        let mut rubric = Rubric::default();
        for row in &rows {
            let id: i64 = row.get("criterion_id")?;
            if rubric.criteria.last().is_none_or(|c| c.id != id) {
                rubric.criteria.push(Criterion {
                    id,
                    title: row.get("criterion")?,
                    levels: Vec::new(),
                });
            }
            if let Some(c) = rubric.criteria.last_mut() {
                c.levels.push(Level {
                    id: row.get("level_id")?,
                    title: row.get("level")?,
                    points: row.get("points")?,
                });
            }
        }
        Ok(rubric)
    }

    /// Replaces assignment `module_id`'s rubric with the one in `text` (empty removes it, and
    /// with it the levels chosen in grades). Its best levels may add up to at most the
    /// assignment's points.
    pub async fn set_rubric(
        &self,
        view: &CourseView,
        module_id: i64,
        text: &str,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_edit_content)?;
        let assignment = self.assignment(view, module_id).await?;
        let parsed = parse_rubric(text)?;
        let best: f64 = parsed
            .iter()
            .map(|(_, levels)| levels.iter().map(|l| l.1).fold(0.0, f64::max))
            .sum();
        if best > assignment.max_points + 1e-9 {
            return Err(LmsError::field(
                "rubric",
                format!(
                    "the best levels add up to {}, more than the assignment's {} points",
                    number(best),
                    number(assignment.max_points)
                ),
            ));
        }
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        tx.execute(
            "DELETE FROM rubric_criteria WHERE assignment_id = $1",
            &[module_id.into()],
        )
        .await?;
        for (position, (title, levels)) in parsed.iter().enumerate() {
            let id: i64 = tx
                .query_one(
                    "INSERT INTO rubric_criteria (assignment_id, position, title) VALUES ($1, $2, $3) RETURNING id",
                    &[module_id.into(), (position as i64).into(), title.as_str().into()],
                )
                .await?
                .get("id")?;
            for (at, (name, points)) in levels.iter().enumerate() {
                tx.execute(
                    "INSERT INTO rubric_levels (criterion_id, position, title, points) VALUES ($1, $2, $3, $4)",
                    &[id.into(), (at as i64).into(), name.as_str().into(), (*points).into()],
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The levels chosen in the grades of `item_id` (by student, then criterion), for one
    /// student or all.
    pub(crate) async fn chosen_levels(
        &self,
        item_id: i64,
        student: Option<i64>,
    ) -> Result<HashMap<i64, HashMap<i64, i64>>, LmsError> {
        let mut params = vec![item_id.into()];
        let only = match student {
            Some(id) => {
                params.push(id.into());
                "AND student_id = $2"
            }
            None => "",
        };
        let rows = self
            .db
            .query(
                &format!(
                    "SELECT student_id, criterion_id, level_id FROM grade_rubric_levels WHERE item_id = $1 {only}"
                ),
                &params,
            )
            .await?;
        let mut out: HashMap<i64, HashMap<i64, i64>> = HashMap::new();
        for row in &rows {
            out.entry(row.get("student_id")?)
                .or_default()
                .insert(row.get("criterion_id")?, row.get("level_id")?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rubric_lines_have_a_title_and_two_levels_or_more() {
        let parsed =
            parse_rubric("Argument | Weak 0 | Fair 5 | Strong 10\n\nSources|None 0|Some 2.5")
                .unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].0, "Argument");
        assert_eq!(parsed[0].1[2], ("Strong".to_string(), 10.0));
        assert_eq!(parsed[1].1[1], ("Some".to_string(), 2.5));
        assert!(parse_rubric("").unwrap().is_empty());
        for bad in [
            "Argument",
            "Argument | Weak 0",
            "| Weak 0 | Good 1",
            "A | Weak x | Good 1",
            "A | Weak -1 | Good 1",
        ] {
            assert!(parse_rubric(bad).is_err(), "{bad}");
        }
    }
}
