//! A module's own files: the images and documents pasted, dropped or picked into a page's text
//! or an assignment's instructions. Each is a `media` row tied to its module by
//! `module_attachments`, so it is dumped and backed up like every upload, served only to those
//! who may see the module, and deleted with it. Saving a text (`save_text`) changes its
//! attachments and renders it in one transaction; storing and removing bytes is the caller's.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::{
    Lms, LmsError, User,
    courses::CourseView,
    media::{self, MEDIA_COLUMNS, Media, StoredFile},
    permissions,
    richtext::{Links, MAX_TEXT_BYTES, RichText, render},
};
use crate::db::Executor;

/// Characters escaped in a file name used as one path segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'(')
    .add(b')');

/// The path an attachment is served at (`/attachments/{id}/{name}`): without the course's
/// slug, which teachers may change, so saved texts keep working.
pub fn path(media_id: i64, file_name: &str) -> String {
    format!(
        "/attachments/{media_id}/{}",
        utf8_percent_encode(file_name, SEGMENT)
    )
}

/// What a save does to the text's attachments: files just stored (a file named like an
/// attachment replaces it) and attachments (media ids) to remove.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextEdit<'a> {
    pub actor_id: i64,
    pub files: &'a [StoredFile],
    pub remove: &'a [i64],
}

/// A saved value and the storage keys nothing refers to any more (replaced or removed
/// attachments), for the caller to delete once the transaction has committed.
#[derive(Debug)]
pub struct Saved<T> {
    pub value: T,
    pub unused_keys: Vec<String>,
}

/// Where a module's text is kept.
#[derive(Clone, Copy, Debug)]
pub(super) enum Slot {
    PageBody,
    Instructions,
}

impl Slot {
    /// The form field the text is typed in.
    fn field(self) -> &'static str {
        match self {
            Slot::PageBody => "body",
            Slot::Instructions => "instructions",
        }
    }

    fn update_sql(self) -> &'static str {
        match self {
            Slot::PageBody => {
                "UPDATE modules SET body_html = $2, body_format = $3, body_source = $4,
                     body_source_digest = $5 WHERE id = $1"
            }
            Slot::Instructions => {
                "UPDATE assignments SET instructions_html = $2, instructions_format = $3,
                     instructions_source = $4, instructions_source_digest = $5 WHERE module_id = $1"
            }
        }
    }
}

/// The module's attachments by file name.
async fn list(db: &mut impl Executor, module_id: i64) -> Result<Vec<Media>, LmsError> {
    let sql = format!(
        "SELECT {MEDIA_COLUMNS} FROM module_attachments
         JOIN media ON media.id = module_attachments.media_id
         WHERE module_attachments.module_id = $1 ORDER BY media.file_name, media.id"
    );
    let rows = db.query(&sql, &[module_id.into()]).await?;
    rows.iter()
        .map(|row| Media::from_row(row)?.ok_or(LmsError::NotFound))
        .collect()
}

fn links(attachments: &[Media]) -> Links {
    Links::new(
        attachments
            .iter()
            .map(|m| (m.file_name.clone(), path(m.id, &m.file_name))),
    )
}

/// Deletes the module's attachments with these media ids (others are ignored); returns their
/// storage keys.
async fn remove(
    tx: &mut impl Executor,
    module_id: i64,
    media_ids: &[i64],
) -> Result<Vec<String>, LmsError> {
    let mut keys = Vec::new();
    for &media_id in media_ids {
        let row = tx
            .query_opt(
                "SELECT media.storage_key FROM module_attachments
                 JOIN media ON media.id = module_attachments.media_id
                 WHERE module_attachments.module_id = $1 AND module_attachments.media_id = $2",
                &[module_id.into(), media_id.into()],
            )
            .await?;
        if let Some(row) = row {
            keys.push(row.get("storage_key")?);
            tx.execute("DELETE FROM media WHERE id = $1", &[media_id.into()])
                .await?;
        }
    }
    Ok(keys)
}

/// Records stored files as the module's attachments, each replacing an attachment of the same
/// name; returns the replaced files' storage keys.
async fn attach(
    tx: &mut impl Executor,
    module_id: i64,
    edit: &TextEdit<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<String>, LmsError> {
    let mut names = std::collections::HashSet::new();
    if let Some(twice) = edit.files.iter().find(|f| !names.insert(&f.file_name)) {
        let message = format!("two files are named {}: rename one", twice.file_name);
        return Err(LmsError::field("attachments", message));
    }
    let mut replaced = Vec::new();
    for file in edit.files {
        let same: Vec<i64> = list(tx, module_id)
            .await?
            .into_iter()
            .filter(|m| m.file_name == file.file_name)
            .map(|m| m.id)
            .collect();
        replaced.extend(remove(tx, module_id, &same).await?);
        let media_id = media::insert(tx, file, edit.actor_id, now).await?;
        tx.execute(
            "INSERT INTO module_attachments (module_id, media_id) VALUES ($1, $2)",
            &[module_id.into(), media_id.into()],
        )
        .await?;
    }
    Ok(replaced)
}

impl Lms {
    /// Saves module `module_id`'s text in `slot` inside `tx`, after applying `edit` to its
    /// attachments, so names in the text point at the attachments as they now are. Returns the
    /// storage keys of the attachments replaced or removed.
    pub(super) async fn save_text(
        &self,
        tx: &mut impl Executor,
        module_id: i64,
        slot: Slot,
        text: &RichText,
        edit: &TextEdit<'_>,
    ) -> Result<Vec<String>, LmsError> {
        let mut unused = remove(tx, module_id, edit.remove).await?;
        unused.extend(attach(tx, module_id, edit, self.now()).await?);
        let stored = text.store(&links(&list(tx, module_id).await?));
        if stored.html.len() > MAX_TEXT_BYTES {
            return Err(LmsError::field(
                slot.field(),
                format!("use at most {MAX_TEXT_BYTES} bytes of text"),
            ));
        }
        tx.execute(
            slot.update_sql(),
            &[
                module_id.into(),
                stored.html.into(),
                stored.format.into(),
                stored.source.into(),
                stored.digest.into(),
            ],
        )
        .await?;
        Ok(unused)
    }

    /// The attachments of a module the viewer sees.
    pub async fn attachments(
        &self,
        view: &CourseView,
        module_id: i64,
    ) -> Result<Vec<Media>, LmsError> {
        self.module(view, module_id).await?;
        let mut conn = self.db.conn().await?;
        list(&mut conn, module_id).await
    }

    /// Attachment `media_id` of module `module_id`, for a viewer who sees the module.
    pub async fn module_attachment(
        &self,
        view: &CourseView,
        module_id: i64,
        media_id: i64,
    ) -> Result<Media, LmsError> {
        self.attachments(view, module_id)
            .await?
            .into_iter()
            .find(|m| m.id == media_id)
            .ok_or(LmsError::NotFound)
    }

    /// A text rendered as it would be saved (staff's preview), with names resolved against the
    /// attachments module `module_id` already has.
    pub async fn preview_text(
        &self,
        view: &CourseView,
        module_id: Option<i64>,
        text: &RichText,
    ) -> Result<String, LmsError> {
        view.require(permissions::can_edit_content)?;
        let attachments = match module_id {
            Some(id) => self.attachments(view, id).await?,
            None => Vec::new(),
        };
        Ok(render(text.format, &text.source, &links(&attachments)))
    }

    /// Attachment `media_id` under `file_name`, for `user` if they may see its module:
    /// `NotFound` otherwise, exactly as for a missing one.
    pub async fn attachment(
        &self,
        user: &User,
        media_id: i64,
        file_name: &str,
    ) -> Result<Media, LmsError> {
        let sql = format!(
            "SELECT courses.slug, module_attachments.module_id, {MEDIA_COLUMNS}
             FROM module_attachments
             JOIN media ON media.id = module_attachments.media_id
             JOIN modules ON modules.id = module_attachments.module_id
             JOIN courses ON courses.id = modules.course_id
             WHERE module_attachments.media_id = $1"
        );
        let row = self
            .db
            .query_opt(&sql, &[media_id.into()])
            .await?
            .ok_or(LmsError::NotFound)?;
        let slug: String = row.get("slug")?;
        let view = self.course_view(user, &slug).await?;
        self.module(&view, row.get("module_id")?).await?;
        let media = Media::from_row(&row)?.ok_or(LmsError::NotFound)?;
        if media.file_name != file_name {
            return Err(LmsError::NotFound);
        }
        Ok(media)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_carry_the_name_as_one_segment() {
        assert_eq!(path(7, "cell.png"), "/attachments/7/cell.png");
        assert_eq!(
            path(8, "lab notes (v2)/final?.pdf"),
            "/attachments/8/lab%20notes%20%28v2%29%2Ffinal%3F.pdf"
        );
        assert_eq!(path(9, "Résumé.pdf"), "/attachments/9/R%C3%A9sum%C3%A9.pdf");
    }
}
