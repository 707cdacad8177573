//! Uploaded files as the LMS records them: one `media` row per stored object, holding
//! paideia's storage key, the person's file name (metadata only, never part of the key), a
//! content type guessed from that name, the size and the SHA-256. Storing the bytes is the
//! web layer's job through `storage`; this module only records and finds them.

use chrono::{DateTime, Utc};

use super::LmsError;
use crate::{
    db::{Db, Executor, Row, Value},
    storage::{PutInfo, reconcile::Reference},
};

/// The longest file name kept, in characters.
const MAX_FILE_NAME_CHARS: usize = 200;

/// A stored file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Media {
    pub id: i64,
    #[serde(skip)]
    pub storage_key: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// An object just written to storage, not yet recorded.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub key: String,
    pub file_name: String,
    pub info: PutInfo,
}

/// The columns `Media::from_row` reads, from a `media` table joined as `media`.
pub const MEDIA_COLUMNS: &str = "media.id AS media_id, media.storage_key, media.file_name, media.content_type, media.size_bytes";

impl Media {
    /// The media columns of a row (see `MEDIA_COLUMNS`); `None` when the join found none.
    pub fn from_row(row: &Row) -> Result<Option<Media>, LmsError> {
        let Some(id) = row.get::<Option<i64>>("media_id")? else {
            return Ok(None);
        };
        Ok(Some(Media {
            id,
            storage_key: row.get("storage_key")?,
            file_name: row.get("file_name")?,
            content_type: row.get("content_type")?,
            size_bytes: row.get("size_bytes")?,
        }))
    }
}

/// The name a person's file is shown and downloaded under: the last path segment a browser
/// sent, without control characters, at most 200 characters; `file` when nothing is left.
pub fn clean_file_name(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    let name = name.trim();
    if name.is_empty() || name == "." || name == ".." {
        "file".to_string()
    } else {
        name.to_string()
    }
}

/// The lower-case extension of a file name (`report.PDF` → `pdf`), if any.
pub fn extension(file_name: &str) -> Option<String> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// The content type for a file name, from its extension; never what the browser claimed, so
/// an upload cannot choose how it is served.
pub fn content_type_for(file_name: &str) -> String {
    mime_guess::from_path(file_name)
        .first_or_octet_stream()
        .essence_str()
        .to_string()
}

/// Records `file` as uploaded by `by` and returns its id.
pub async fn insert(
    tx: &mut impl Executor,
    file: &StoredFile,
    by: i64,
    now: DateTime<Utc>,
) -> Result<i64, LmsError> {
    let row = tx
        .query_one(
            "INSERT INTO media (storage_key, file_name, content_type, size_bytes, sha256, uploaded_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                file.key.as_str().into(),
                file.file_name.as_str().into(),
                content_type_for(&file.file_name).into(),
                (file.info.size as i64).into(),
                file.info.sha256.to_vec().into(),
                by.into(),
                Value::Time(now),
            ],
        )
        .await?;
    Ok(row.get("id")?)
}

/// How many `media` rows there are.
pub async fn count(db: &Db) -> Result<u64, LmsError> {
    let row = db.query_one("SELECT count(*) AS n FROM media", &[]).await?;
    Ok(row.get::<i64>("n")?.max(0) as u64)
}

/// The objects the `media` rows refer to: all of them, or `sample` rows chosen at random.
pub async fn references(db: &Db, sample: Option<u64>) -> Result<Vec<Reference>, LmsError> {
    let rows = match sample {
        None => {
            db.query("SELECT storage_key, size_bytes FROM media", &[])
                .await?
        }
        Some(n) => {
            db.query(
                "SELECT storage_key, size_bytes FROM media ORDER BY random() LIMIT $1",
                &[(n.min(i64::MAX as u64) as i64).into()],
            )
            .await?
        }
    };
    rows.iter()
        .map(|row| {
            Ok(Reference {
                key: row.get("storage_key")?,
                size: row.get::<i64>("size_bytes")?.max(0) as u64,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_metadata_cleaned_of_paths() {
        assert_eq!(clean_file_name(r"C:\Users\ada\essay.pdf"), "essay.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b\n.txt"), "ab.txt");
        assert_eq!(clean_file_name(".."), "file");
        assert_eq!(clean_file_name(""), "file");
        assert_eq!(extension("Report.PDF").as_deref(), Some("pdf"));
        assert_eq!(extension(".bashrc"), None);
        assert_eq!(extension("README"), None);
    }

    #[test]
    fn content_types_come_from_the_name() {
        assert_eq!(content_type_for("notes.pdf"), "application/pdf");
        assert_eq!(content_type_for("page.html"), "text/html");
        assert_eq!(
            content_type_for("data.unknownext"),
            "application/octet-stream"
        );
    }
}
