//! A course's trash: deleting a section or a module marks it (and, for a section, what lies
//! in it) with `deleted_at`, so nobody sees it but staff on the trash page, who may restore it
//! for `TRASH_DAYS` days. Then, or when staff delete it for good, it is purged: rows go, and
//! the storage keys of its files are handed back for the caller to remove (what fails to be
//! removed is an orphan for `paideia storage gc`). `serve` purges expired items hourly.

use chrono::{DateTime, Duration, Utc};

use super::{
    Lms, LmsError,
    courses::CourseView,
    modules::ModuleKind,
    permissions,
    sections::{Section, is_within},
};
use crate::db::{Executor, Value};

/// How long a deleted section or module stays in the trash.
pub const TRASH_DAYS: i64 = 30;

/// What a trash entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trashed {
    Section,
    Module(ModuleKind),
}

impl Trashed {
    /// The table the entry's row is in, which is also the word the trash's paths use.
    pub fn table(self) -> &'static str {
        match self {
            Trashed::Section => "sections",
            Trashed::Module(_) => "modules",
        }
    }

    /// The entry kind a path names (`sections` or `modules`).
    pub fn from_table(table: &str) -> Option<Trashed> {
        match table {
            "sections" => Some(Trashed::Section),
            "modules" => Some(Trashed::Module(ModuleKind::Page)),
            _ => None,
        }
    }
}

/// An entry of a course's trash: something deleted on its own (not along with a section).
#[derive(Clone, Debug, PartialEq)]
pub struct TrashItem {
    pub what: Trashed,
    pub id: i64,
    pub title: String,
    pub deleted_at: DateTime<Utc>,
    /// For a section: the modules that went with it.
    pub modules: i64,
}

impl TrashItem {
    /// When the entry is purged unless restored.
    pub fn purge_at(&self) -> DateTime<Utc> {
        self.deleted_at + Duration::days(TRASH_DAYS)
    }
}

/// Every section of the course, in the trash or not, as (section, deleted).
async fn all_sections(
    db: &mut impl Executor,
    course_id: i64,
) -> Result<Vec<(Section, bool)>, LmsError> {
    let rows = db
        .query(
            "SELECT id, parent_id, title, position, deleted_at FROM sections WHERE course_id = $1",
            &[course_id.into()],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let deleted: Option<DateTime<Utc>> = row.get("deleted_at")?;
            Ok((
                Section {
                    id: row.get("id")?,
                    parent_id: row.get("parent_id")?,
                    title: row.get("title")?,
                    position: row.get("position")?,
                },
                deleted.is_some(),
            ))
        })
        .collect()
}

/// The ids of section `id` and every section below it.
fn subtree(all: &[(Section, bool)], id: i64) -> Vec<i64> {
    let sections: Vec<Section> = all.iter().map(|(s, _)| s.clone()).collect();
    sections
        .iter()
        .filter(|s| is_within(&sections, id, s.id))
        .map(|s| s.id)
        .collect()
}

fn in_list(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    ids.join(", ")
}

impl Lms {
    /// Moves module `id` to the trash.
    pub async fn delete_module(&self, view: &CourseView, id: i64) -> Result<(), LmsError> {
        view.require(permissions::can_edit_content)?;
        self.module(view, id).await?;
        self.db
            .execute(
                "UPDATE modules SET deleted_at = $2, deleted_with = NULL WHERE id = $1",
                &[id.into(), Value::Time(self.now())],
            )
            .await?;
        Ok(())
    }

    /// Moves section `id` to the trash with the sections and modules inside it. A course keeps
    /// at least one top-level section.
    pub async fn delete_section(&self, view: &CourseView, id: i64) -> Result<(), LmsError> {
        view.require(permissions::can_edit_content)?;
        let live = self.sections(view).await?;
        let section = live.iter().find(|s| s.id == id).ok_or(LmsError::NotFound)?;
        if section.parent_id.is_none() && live.iter().filter(|s| s.parent_id.is_none()).count() == 1
        {
            return Err(LmsError::field(
                "section",
                "a course keeps at least one top-level section: add another one first",
            ));
        }
        let live: Vec<(Section, bool)> = live.into_iter().map(|s| (s, false)).collect();
        let below: Vec<i64> = subtree(&live, id)
            .into_iter()
            .filter(|&s| s != id)
            .collect();
        let now = Value::Time(self.now());
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        tx.execute(
            "UPDATE sections SET deleted_at = $2, deleted_with = NULL WHERE id = $1",
            &[id.into(), now.clone()],
        )
        .await?;
        if !below.is_empty() {
            tx.execute(
                &format!(
                    "UPDATE sections SET deleted_at = $2, deleted_with = $1
                     WHERE id IN ({}) AND deleted_at IS NULL",
                    in_list(&below)
                ),
                &[id.into(), now.clone()],
            )
            .await?;
        }
        let mut all = below;
        all.push(id);
        tx.execute(
            &format!(
                "UPDATE modules SET deleted_at = $2, deleted_with = $1
                 WHERE section_id IN ({}) AND deleted_at IS NULL",
                in_list(&all)
            ),
            &[id.into(), now],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The course's trash, newest first, for staff.
    pub async fn trash(&self, view: &CourseView) -> Result<Vec<TrashItem>, LmsError> {
        view.require(permissions::can_edit_content)?;
        let course = view.course().id;
        let mut items = Vec::new();
        let sections = self
            .db
            .query(
                "SELECT id, title, deleted_at,
                        (SELECT COUNT(*) FROM modules WHERE modules.deleted_with = sections.id) AS n
                 FROM sections
                 WHERE course_id = $1 AND deleted_at IS NOT NULL AND deleted_with IS NULL",
                &[course.into()],
            )
            .await?;
        for row in &sections {
            items.push(TrashItem {
                what: Trashed::Section,
                id: row.get("id")?,
                title: row.get("title")?,
                deleted_at: row.get("deleted_at")?,
                modules: row.get("n")?,
            });
        }
        let modules = self
            .db
            .query(
                &format!(
                    "SELECT id, {}, title, deleted_at FROM modules
                 WHERE course_id = $1 AND deleted_at IS NOT NULL AND deleted_with IS NULL",
                    super::modules::KIND_SQL
                ),
                &[course.into()],
            )
            .await?;
        for row in &modules {
            items.push(TrashItem {
                what: Trashed::Module(row.get("kind")?),
                id: row.get("id")?,
                title: row.get("title")?,
                deleted_at: row.get("deleted_at")?,
                modules: 0,
            });
        }
        items.sort_by(|a, b| b.deleted_at.cmp(&a.deleted_at).then(b.id.cmp(&a.id)));
        Ok(items)
    }

    /// The trash entry `what` `id` of the course; `NotFound` for anything else.
    async fn trash_item(
        &self,
        view: &CourseView,
        what: Trashed,
        id: i64,
    ) -> Result<TrashItem, LmsError> {
        self.trash(view)
            .await?
            .into_iter()
            .find(|i| i.id == id && i.what.table() == what.table())
            .ok_or(LmsError::NotFound)
    }

    /// Brings a trashed module back at the end of its section, or, when its section is in the
    /// trash too, at the end of the course's first section.
    pub async fn restore_module(&self, view: &CourseView, id: i64) -> Result<(), LmsError> {
        self.trash_item(view, Trashed::Module(ModuleKind::Page), id)
            .await?;
        let live = self.sections(view).await?;
        let row = self
            .db
            .query_one("SELECT section_id FROM modules WHERE id = $1", &[id.into()])
            .await?;
        let mut section: i64 = row.get("section_id")?;
        if !live.iter().any(|s| s.id == section) {
            section = super::sections::tree(&live, None)
                .first()
                .map(|n| n.section.id)
                .ok_or(LmsError::NotFound)?;
        }
        self.db
            .execute(
                "UPDATE modules SET deleted_at = NULL, deleted_with = NULL, section_id = $2,
                     position = (SELECT COALESCE(MAX(position) + 1, 0) FROM modules
                                 WHERE section_id = $2 AND deleted_at IS NULL)
                 WHERE id = $1",
                &[id.into(), section.into()],
            )
            .await?;
        Ok(())
    }

    /// Brings a trashed section back with what went with it, at the end of its parent's
    /// sections (at the top level when its parent is in the trash).
    pub async fn restore_section(&self, view: &CourseView, id: i64) -> Result<(), LmsError> {
        self.trash_item(view, Trashed::Section, id).await?;
        let live = self.sections(view).await?;
        let row = self
            .db
            .query_one("SELECT parent_id FROM sections WHERE id = $1", &[id.into()])
            .await?;
        let parent: Option<i64> = row
            .get::<Option<i64>>("parent_id")?
            .filter(|p| live.iter().any(|s| s.id == *p));
        let position = super::sections::tree(&live, parent)
            .last()
            .map_or(0, |n| n.section.position + 1);
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        tx.execute(
            "UPDATE sections SET deleted_at = NULL, deleted_with = NULL, parent_id = $2, position = $3
             WHERE id = $1",
            &[id.into(), parent.into(), position.into()],
        )
        .await?;
        for table in ["sections", "modules"] {
            tx.execute(
                &format!("UPDATE {table} SET deleted_at = NULL, deleted_with = NULL WHERE deleted_with = $1"),
                &[id.into()],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a trash entry for good; returns the storage keys of its files, for the caller
    /// to remove after the commit.
    pub async fn purge_trashed(
        &self,
        view: &CourseView,
        what: Trashed,
        id: i64,
    ) -> Result<Vec<String>, LmsError> {
        let item = self.trash_item(view, what, id).await?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let keys = self.purge(&mut tx, view.course().id, item.what, id).await?;
        tx.commit().await?;
        Ok(keys)
    }

    /// Purges one entry inside `tx`.
    async fn purge(
        &self,
        tx: &mut impl Executor,
        course_id: i64,
        what: Trashed,
        id: i64,
    ) -> Result<Vec<String>, LmsError> {
        match what {
            Trashed::Module(_) => self.purge_module(tx, id).await,
            Trashed::Section => {
                let all = all_sections(tx, course_id).await?;
                let ids = subtree(&all, id);
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let modules = tx
                    .query(
                        &format!(
                            "SELECT id FROM modules WHERE section_id IN ({})",
                            in_list(&ids)
                        ),
                        &[],
                    )
                    .await?;
                let mut keys = Vec::new();
                for row in &modules {
                    keys.extend(self.purge_module(tx, row.get("id")?).await?);
                }
                tx.execute(
                    &format!("DELETE FROM sections WHERE id IN ({})", in_list(&ids)),
                    &[],
                )
                .await?;
                Ok(keys)
            }
        }
    }

    /// Purges every trash entry of every course deleted more than `TRASH_DAYS` days ago;
    /// returns how many entries went and the storage keys of their files.
    pub async fn purge_expired_trash(&self) -> Result<(usize, Vec<String>), LmsError> {
        let cutoff = Value::Time(self.now() - Duration::days(TRASH_DAYS));
        let mut entries = Vec::new();
        for what in [Trashed::Section, Trashed::Module(ModuleKind::Page)] {
            let table = what.table();
            let rows = self
                .db
                .query(
                    &format!(
                        "SELECT id, course_id FROM {table}
                         WHERE deleted_at IS NOT NULL AND deleted_with IS NULL AND deleted_at <= $1"
                    ),
                    std::slice::from_ref(&cutoff),
                )
                .await?;
            for row in &rows {
                entries.push((what, row.get::<i64>("id")?, row.get::<i64>("course_id")?));
            }
        }
        let mut keys = Vec::new();
        let mut conn = self.db.conn().await?;
        for &(what, id, course_id) in &entries {
            let mut tx = conn.transaction().await?;
            keys.extend(self.purge(&mut tx, course_id, what, id).await?);
            tx.commit().await?;
        }
        Ok((entries.len(), keys))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(id: i64, parent_id: Option<i64>) -> (Section, bool) {
        (
            Section {
                id,
                parent_id,
                title: format!("s{id}"),
                position: 0,
            },
            false,
        )
    }

    #[test]
    fn a_subtree_is_the_section_and_everything_below() {
        let all = [s(1, None), s(2, Some(1)), s(3, Some(2)), s(4, None)];
        let mut ids = subtree(&all, 1);
        ids.sort();
        assert_eq!(ids, vec![1, 2, 3]);
        assert_eq!(subtree(&all, 4), vec![4]);
    }
}
