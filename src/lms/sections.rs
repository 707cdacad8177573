//! A course's sections: a tree (any depth) ordered by position among siblings. Staff add,
//! rename, move under another parent and reorder them; moves that would make a cycle are
//! refused. The tree shape and the reordering are pure functions.

use super::{FieldErrors, Lms, LmsError, courses::CourseView, permissions, validate};
use crate::db::{Executor, Row, Value};

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub title: String,
    pub position: i64,
}

/// A section with its children, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionNode {
    pub section: Section,
    pub children: Vec<SectionNode>,
}

/// A change to one section as typed: a new title, parent (`None`: top level) and 1-based
/// position among its new siblings.
#[derive(Clone, Debug)]
pub struct SectionChange {
    pub title: String,
    pub parent_id: Option<i64>,
    pub position: usize,
}

impl Section {
    fn from_row(row: &Row) -> Result<Section, LmsError> {
        Ok(Section {
            id: row.get("id")?,
            parent_id: row.get("parent_id")?,
            title: row.get("title")?,
            position: row.get("position")?,
        })
    }
}

/// Builds the tree under `parent` from a flat list, siblings by (position, id).
pub fn tree(sections: &[Section], parent: Option<i64>) -> Vec<SectionNode> {
    let mut children: Vec<&Section> = sections.iter().filter(|s| s.parent_id == parent).collect();
    children.sort_by_key(|s| (s.position, s.id));
    children
        .into_iter()
        .map(|s| SectionNode {
            section: s.clone(),
            children: tree(sections, Some(s.id)),
        })
        .collect()
}

/// True when `candidate` is `id` or lies below it (so it cannot become `id`'s parent).
pub fn is_within(sections: &[Section], id: i64, candidate: i64) -> bool {
    let mut current = Some(candidate);
    while let Some(c) = current {
        if c == id {
            return true;
        }
        current = sections
            .iter()
            .find(|s| s.id == c)
            .and_then(|s| s.parent_id);
    }
    false
}

/// New positions for the siblings under `parent` once `id` is placed at 1-based `position`.
pub fn placed(
    sections: &[Section],
    id: i64,
    parent: Option<i64>,
    position: usize,
) -> Vec<(i64, i64)> {
    let order: Vec<i64> = tree(sections, parent)
        .into_iter()
        .map(|n| n.section.id)
        .collect();
    reordered(&order, id, position)
}

/// Positions for the ids of `order` (and `id`, when new) once `id` is placed at 1-based
/// `position`; a position past the end means last.
pub fn reordered(order: &[i64], id: i64, position: usize) -> Vec<(i64, i64)> {
    let mut order: Vec<i64> = order.iter().copied().filter(|&s| s != id).collect();
    order.insert(position.saturating_sub(1).min(order.len()), id);
    order.into_iter().zip(0..).collect()
}

impl Lms {
    /// All sections of the course as a flat list (see `tree`).
    pub async fn sections(&self, view: &CourseView) -> Result<Vec<Section>, LmsError> {
        let rows = self
            .db
            .query(
                "SELECT id, parent_id, title, position FROM sections
                 WHERE course_id = $1 AND deleted_at IS NULL ORDER BY position, id",
                &[view.course().id.into()],
            )
            .await?;
        rows.iter().map(Section::from_row).collect()
    }

    /// Adds a section at the end of `parent`'s children.
    pub async fn add_section(
        &self,
        view: &CourseView,
        title: &str,
        parent_id: Option<i64>,
    ) -> Result<Section, LmsError> {
        view.require(permissions::can_edit_content)?;
        let sections = self.sections(view).await?;
        let mut errors = FieldErrors::default();
        let title = validate::text(&mut errors, "title", title, 200);
        check_parent(&mut errors, &sections, parent_id, None);
        errors.into_result()?;
        let position = tree(&sections, parent_id)
            .last()
            .map_or(0, |n| n.section.position + 1);
        let row = self
            .db
            .query_one(
                "INSERT INTO sections (course_id, parent_id, title, position, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id, parent_id, title, position",
                &[
                    view.course().id.into(),
                    parent_id.into(),
                    title.into(),
                    position.into(),
                    Value::Time(self.now()),
                ],
            )
            .await?;
        Section::from_row(&row)
    }

    /// Renames, moves and reorders one section in one transaction.
    pub async fn update_section(
        &self,
        view: &CourseView,
        id: i64,
        change: &SectionChange,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_edit_content)?;
        let sections = self.sections(view).await?;
        if !sections.iter().any(|s| s.id == id) {
            return Err(LmsError::NotFound);
        }
        let mut errors = FieldErrors::default();
        let title = validate::text(&mut errors, "title", &change.title, 200);
        check_parent(&mut errors, &sections, change.parent_id, Some(id));
        errors.into_result()?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        tx.execute(
            "UPDATE sections SET title = $2, parent_id = $3 WHERE id = $1",
            &[id.into(), title.into(), change.parent_id.into()],
        )
        .await?;
        for (sibling, position) in placed(&sections, id, change.parent_id, change.position) {
            tx.execute(
                "UPDATE sections SET position = $2 WHERE id = $1",
                &[sibling.into(), position.into()],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The parent must be a section of this course and not the section itself or below it.
fn check_parent(
    errors: &mut FieldErrors,
    sections: &[Section],
    parent: Option<i64>,
    moving: Option<i64>,
) {
    let Some(parent) = parent else { return };
    if !sections.iter().any(|s| s.id == parent) {
        errors.add("parent_id", "choose a section of this course");
    } else if moving.is_some_and(|id| is_within(sections, id, parent)) {
        errors.add("parent_id", "a section cannot move inside itself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(id: i64, parent_id: Option<i64>, position: i64) -> Section {
        Section {
            id,
            parent_id,
            title: format!("s{id}"),
            position,
        }
    }

    #[test]
    fn tree_orders_and_nests() {
        let all = [
            s(1, None, 0),
            s(2, Some(1), 1),
            s(3, Some(1), 0),
            s(4, Some(3), 0),
        ];
        let t = tree(&all, None);
        assert_eq!(t.len(), 1);
        let ids: Vec<i64> = t[0].children.iter().map(|n| n.section.id).collect();
        assert_eq!(ids, [3, 2]);
        assert_eq!(t[0].children[0].children[0].section.id, 4);
        assert!(is_within(&all, 1, 4));
        assert!(!is_within(&all, 2, 4));
    }

    #[test]
    fn placing_renumbers_siblings() {
        let all = [
            s(1, None, 0),
            s(2, Some(1), 0),
            s(3, Some(1), 1),
            s(4, Some(1), 2),
        ];
        assert_eq!(placed(&all, 4, Some(1), 1), [(4, 0), (2, 1), (3, 2)]);
        assert_eq!(placed(&all, 2, Some(1), 99), [(3, 0), (4, 1), (2, 2)]);
        assert_eq!(placed(&all, 3, None, 1), [(3, 0), (1, 1)]);
    }
}
