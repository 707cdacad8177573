//! Copying a course over HTTP: the form (new title, address and how many days to move dates),
//! and the copy itself. Every file's bytes are copied to a new storage key first; the copy is
//! then recorded in one transaction, and on any failure the new objects are removed.

use std::collections::HashMap;

use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Response},
};

use super::{
    AppState, WebError,
    respond::{invalid, see_other},
    routes::Routes,
    upload, views,
    visitor::Me,
};
use crate::{
    lms::{
        FieldErrors, LmsError,
        copy::CopyInput,
        courses::CourseView,
        media::{Media, StoredFile},
        permissions,
    },
    storage::{Storage, StorageError},
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/copy", form_page)
        .post("/courses/{slug}/copy", copy)
}

async fn copyable(s: &AppState, me: &Me, slug: &str) -> Result<CourseView, WebError> {
    let view = s.lms.course_view(&me.user, slug).await?;
    view.require(permissions::can_copy_course)?;
    Ok(view)
}

async fn form_page(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let view = copyable(&s, &me, &slug).await?;
    let input = CopyInput::for_course(view.course());
    let none = FieldErrors::default();
    Ok(views::courses::copy_form(&me.visitor, &view, &input, &none).into_response())
}

/// Stores a copy of `file`'s object under a new key.
async fn copy_object(s: &AppState, file: &Media) -> Result<StoredFile, StorageError> {
    let key = Storage::new_key("media", s.lms.now())?;
    let download = s.storage.get(&file.storage_key, None).await?;
    let body =
        futures_util::StreamExt::map(download.body, |chunk| chunk.map_err(std::io::Error::other));
    let info = s.storage.put_stream(&key, body, u64::MAX).await?;
    Ok(StoredFile {
        key,
        file_name: file.file_name.clone(),
        info,
    })
}

async fn copy(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    Form(input): Form<CopyInput>,
) -> Result<Response, WebError> {
    let view = copyable(&s, &me, &slug).await?;
    let result = match s.lms.check_copy(&view, &input) {
        Ok(()) => copy_with_files(&s, &me, &view, &input).await?,
        Err(LmsError::Invalid(errors)) => Err(errors),
        Err(e) => return Err(e.into()),
    };
    match result {
        Ok(course) => Ok(see_other(
            &me.visitor,
            &format!("/courses/{course}"),
            "Course copied. It is a draft: publish it when it is ready.",
        )),
        Err(errors) => Ok(invalid(views::courses::copy_form(
            &me.visitor,
            &view,
            &input,
            &errors,
        ))),
    }
}

/// Copies the files, then the course; returns the copy's slug, or the form's errors. On an
/// error no copied object stays.
async fn copy_with_files(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    input: &CopyInput,
) -> Result<Result<String, FieldErrors>, WebError> {
    let mut copies: HashMap<i64, StoredFile> = HashMap::new();
    let mut failure = None;
    for file in s.lms.copy_sources(view).await? {
        match copy_object(s, &file).await {
            Ok(stored) => {
                copies.insert(file.id, stored);
            }
            Err(e) => {
                failure = Some(WebError::Internal(format!(
                    "cannot copy the file {}: {e}",
                    file.file_name
                )));
                break;
            }
        }
    }
    let result = match failure {
        Some(e) => Err(e),
        None => match s.lms.copy_course(view, &me.user, input, &copies).await {
            Ok(course) => Ok(Ok(course.slug)),
            Err(LmsError::Invalid(errors)) => Ok(Err(errors)),
            Err(e) => Err(e.into()),
        },
    };
    if !matches!(result, Ok(Ok(_))) {
        let files: Vec<StoredFile> = copies.into_values().collect();
        upload::discard(&s.storage, &files).await;
    }
    result
}
