//! The editor's forms as handlers receive them. A page or assignment form comes as a multipart
//! form (the editor's: `attachments` files streamed into storage by `upload`, CSRF field first)
//! or URL-encoded (older clients, no files); either way the handler gets the text fields, the
//! stored files, the attachments ticked for removal and whether Preview was pressed.

use std::collections::HashMap;

use axum::{
    Form, RequestExt,
    extract::{Multipart, Request},
    http::header,
};
use serde::de::DeserializeOwned;

use super::{
    AppState, WebError,
    upload::{self, FileRule},
    views::editor::{FILE_FIELD, REMOVE_PREFIX},
};
use crate::lms::{
    FieldErrors, LmsError,
    assignments::MAX_FILE_MIB,
    attachments::{Saved, TextEdit},
    media::StoredFile,
};

/// A received editor form. Its stored files must be used or discarded (`discard`).
#[derive(Debug, Default)]
pub struct EditorForm {
    fields: HashMap<String, String>,
    pub files: Vec<StoredFile>,
    /// Files not stored (too large), with the reason.
    pub refused: Vec<String>,
    remove: Vec<i64>,
}

impl EditorForm {
    /// Reads the body of an editor form; call it only once the person may save the form, since
    /// a multipart body's files are stored as they arrive.
    pub async fn read(s: &AppState, request: Request) -> Result<EditorForm, WebError> {
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let mut form = if multipart {
            let multipart = request.extract::<Multipart, _>().await.map_err(|e| {
                WebError::BadRequest(format!("cannot read the form: {}", e.body_text()))
            })?;
            let rule = FileRule {
                name: FILE_FIELD,
                max_bytes: MAX_FILE_MIB as u64 * 1024 * 1024,
                check_name: &|_| Ok(()),
            };
            let upload = upload::receive(&s.storage, multipart, &rule, s.lms.now()).await?;
            EditorForm {
                fields: upload.fields,
                files: upload.files,
                refused: upload.refused,
                remove: Vec::new(),
            }
        } else {
            let Form(pairs) = request
                .extract::<Form<Vec<(String, String)>>, _>()
                .await
                .map_err(|e| WebError::BadRequest(format!("cannot read the form: {e}")))?;
            EditorForm {
                fields: pairs.into_iter().collect(),
                ..EditorForm::default()
            }
        };
        form.remove = form
            .fields
            .keys()
            .filter_map(|k| k.strip_prefix(REMOVE_PREFIX)?.parse().ok())
            .collect();
        Ok(form)
    }

    /// The text fields as the handler's input type (every field a string or an optional one).
    pub fn input<T: DeserializeOwned>(&self) -> Result<T, WebError> {
        let map: serde_json::Map<String, serde_json::Value> = self
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        serde_json::from_value(serde_json::Value::Object(map))
            .map_err(|e| WebError::BadRequest(format!("cannot read the form: {e}")))
    }

    /// Whether the Preview button sent the form (`preview=true`).
    pub fn preview(&self) -> bool {
        self.fields.get("preview").is_some_and(|a| a == "true")
    }

    /// The attachment changes to save with the text, or the reason a file was refused.
    pub fn edit(&self, actor_id: i64) -> Result<TextEdit<'_>, LmsError> {
        if let Some(reason) = self.refused.first() {
            return Err(LmsError::field(FILE_FIELD, reason.clone()));
        }
        Ok(TextEdit {
            actor_id,
            files: &self.files,
            remove: &self.remove,
        })
    }

    /// Removes the files this form stored (a preview, or a save that failed).
    pub async fn discard(&self, s: &AppState) {
        upload::discard(&s.storage, &self.files).await;
    }

    /// After a save of this form: deletes what the save left unused, or, when it failed, the
    /// files the form stored; hands back validation errors for the form to be shown again.
    pub async fn settle<T>(
        &self,
        s: &AppState,
        result: Result<Saved<T>, LmsError>,
    ) -> Result<Result<T, FieldErrors>, WebError> {
        match result {
            Ok(saved) => {
                upload::discard_keys(&s.storage, &saved.unused_keys).await;
                Ok(Ok(saved.value))
            }
            Err(e) => {
                self.discard(s).await;
                match e {
                    LmsError::Invalid(errors) => Ok(Err(errors)),
                    e => Err(e.into()),
                }
            }
        }
    }
}
