//! The question bank over HTTP: the category tree (add, rename, delete), a category's
//! questions, a question's preview and versions, the editor (new question, edit = new
//! version), moving and deleting, importing a GIFT or Moodle XML file (problems listed by
//! line; a confirmation imports the valid ones, re-reading the text it was given back) and
//! exporting a category, and regrading the attempts given an older version (what changes,
//! then confirm). Everything is for those who edit the course's content; others get 404.

use std::collections::HashMap;

use axum::{
    Form,
    extract::{Multipart, Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError,
    respond::{invalid, see_other},
    routes::Routes,
    views::{
        self,
        question_bank::{EditorPage, ImportPage, Pending},
    },
    visitor::Me,
};
use crate::lms::{
    FieldErrors, LmsError,
    courses::CourseView,
    permissions,
    quizzes::{
        Limits,
        bank_form::QuestionForm,
        bank_lms::{BankFormat, ImportReport},
        regrade::attempts_text,
    },
};

/// The largest import request: the file, or its text carried back to confirm (whose line
/// ends a browser sends as CRLF, so up to twice as long), and a little more for the other
/// fields.
pub const MAX_IMPORT_BODY_BYTES: usize = 2 * Limits::DEFAULT.max_file_bytes + 64 * 1024;

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/bank", index)
        .post("/courses/{slug}/bank/categories", add_category)
        .get("/courses/{slug}/bank/categories/{id}", category_page)
        .post(
            "/courses/{slug}/bank/categories/{id}/rename",
            rename_category,
        )
        .post(
            "/courses/{slug}/bank/categories/{id}/delete",
            delete_category,
        )
        .get("/courses/{slug}/bank/categories/{id}/new", new_page)
        .post("/courses/{slug}/bank/categories/{id}/questions", create)
        .get("/courses/{slug}/bank/categories/{id}/export", export_page)
        .get(
            "/courses/{slug}/bank/categories/{id}/export/{format}",
            export_file,
        )
        .get("/courses/{slug}/bank/questions/{id}", question_page)
        .get("/courses/{slug}/bank/questions/{id}/edit", edit_page)
        .post("/courses/{slug}/bank/questions/{id}/edit", save_edit)
        .post("/courses/{slug}/bank/questions/{id}/move", move_question)
        .post(
            "/courses/{slug}/bank/questions/{id}/delete",
            delete_question,
        )
        .get("/courses/{slug}/bank/questions/{id}/regrade", regrade_page)
        .post("/courses/{slug}/bank/questions/{id}/regrade", regrade)
        .get("/courses/{slug}/bank/import", import_page)
        .post_upload("/courses/{slug}/bank/import", import, MAX_IMPORT_BODY_BYTES)
}

fn bank_path(slug: &str) -> String {
    format!("/courses/{slug}/bank")
}

fn category_path(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/bank/categories/{id}")
}

fn question_path(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/bank/questions/{id}")
}

/// The course, for those who manage its bank.
async fn bank_view(s: &AppState, me: &Me, slug: &str) -> Result<CourseView, WebError> {
    let view = s.lms.course_view(&me.user, slug).await?;
    view.require(permissions::can_manage_question_bank)?;
    Ok(view)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CategoryForm {
    name: String,
    /// Empty: at the top.
    parent_id: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeleteCategoryForm {
    /// A checkbox: move the questions and subcategories to the parent.
    #[serde(rename = "move")]
    move_to_parent: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MoveForm {
    category_id: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct KindQuery {
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VersionQuery {
    version: Option<i32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ImportQuery {
    category: Option<i64>,
}

async fn index(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    show_index(&s, &me, &view, "", "", &FieldErrors::default()).await
}

async fn show_index(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    name: &str,
    parent: &str,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let categories = s.lms.question_categories(view).await?;
    let markup = views::question_bank::index(&me.visitor, view, &categories, name, parent, errors);
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

fn optional_id(text: &str) -> Result<Option<i64>, WebError> {
    super::respond::optional_id(text)
}

async fn add_category(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    Form(form): Form<CategoryForm>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let parent = optional_id(&form.parent_id)?;
    match s.lms.add_question_category(&view, parent, &form.name).await {
        Ok(id) => Ok(see_other(
            &me.visitor,
            &category_path(&slug, id),
            "Category added.",
        )),
        Err(LmsError::Invalid(errors)) => {
            show_index(&s, &me, &view, &form.name, &form.parent_id, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn category_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    show_category(&s, &me, &view, id, None, &FieldErrors::default()).await
}

async fn show_category(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    id: i64,
    typed_name: Option<&str>,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let categories = s.lms.question_categories(view).await?;
    let category = categories
        .iter()
        .find(|c| c.id == id)
        .ok_or(WebError::NotFound)?;
    let questions = s.lms.bank_questions(view, id).await?;
    let name = typed_name.unwrap_or(&category.name);
    let markup = views::question_bank::category(
        &me.visitor,
        view,
        &categories,
        category,
        &questions,
        name,
        errors,
    );
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn rename_category(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<CategoryForm>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    match s.lms.rename_question_category(&view, id, &form.name).await {
        Ok(()) => Ok(see_other(
            &me.visitor,
            &category_path(&slug, id),
            "Category renamed.",
        )),
        Err(LmsError::Invalid(errors)) => {
            show_category(&s, &me, &view, id, Some(&form.name), &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn delete_category(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<DeleteCategoryForm>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let moving = form.move_to_parent.is_some();
    match s.lms.delete_question_category(&view, id, moving).await {
        Ok(()) => Ok(see_other(
            &me.visitor,
            &bank_path(&slug),
            "Category deleted.",
        )),
        Err(LmsError::Invalid(errors)) => show_category(&s, &me, &view, id, None, &errors).await,
        Err(e) => Err(e.into()),
    }
}

async fn new_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<KindQuery>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let form = QuestionForm::blank(&q.kind);
    show_new(&s, &me, &view, id, &form, &FieldErrors::default()).await
}

async fn show_new(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    category_id: i64,
    form: &QuestionForm,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let category = s.lms.question_category(view, category_id).await?;
    let page = EditorPage {
        category: &category,
        question: None,
        form,
        errors,
    };
    let markup = views::question_bank::editor(&me.visitor, view, &page);
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

/// Whether the editor was sent with "More answer rows" rather than "Save".
fn wants_rows(pairs: &[(String, String)]) -> bool {
    pairs.iter().any(|(k, v)| k == "rows" && v == "more")
}

async fn create(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let form = QuestionForm::from_pairs(&pairs);
    if wants_rows(&pairs) {
        let form = form.with_spare_rows();
        return show_new(&s, &me, &view, id, &form, &FieldErrors::default()).await;
    }
    let result = match form.to_question(None) {
        Ok(question) => {
            s.lms
                .add_bank_question(&view, &me.user, id, &question)
                .await
        }
        Err(errors) => Err(LmsError::Invalid(errors)),
    };
    match result {
        Ok(question) => Ok(see_other(
            &me.visitor,
            &question_path(&slug, question),
            "Question added (version 1).",
        )),
        Err(LmsError::Invalid(errors)) => show_new(&s, &me, &view, id, &form, &errors).await,
        Err(e) => Err(e.into()),
    }
}

async fn question_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let question = s.lms.bank_question(&view, id, q.version).await?;
    let categories = s.lms.question_categories(&view).await?;
    // Only after an edit, and only for those who may regrade.
    let pending = if question.versions.len() > 1
        && question.attempts > 0
        && permissions::can_grade(view.access())
    {
        let p = s.lms.regrade_preview(&view, id).await?;
        Pending {
            regradable: p.regradable(),
            incompatible: p.incompatible.len(),
        }
    } else {
        Pending::default()
    };
    let markup =
        views::question_bank::question(&me.visitor, &view, &categories, &question, pending);
    Ok(markup.into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RegradeForm {
    /// The newest version the page showed (empty: whatever is newest).
    version: String,
}

async fn regrade_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    show_regrade(&s, &me, &view, id, None).await
}

async fn show_regrade(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    id: i64,
    error: Option<&str>,
) -> Result<Response, WebError> {
    let question = s.lms.bank_question(view, id, None).await?;
    let preview = s.lms.regrade_preview(view, id).await?;
    let markup = views::question_bank::regrade(&me.visitor, view, &question, &preview, error);
    Ok(match error {
        None => markup.into_response(),
        Some(_) => invalid(markup),
    })
}

async fn regrade(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<RegradeForm>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let expected = match form.version.trim() {
        "" => None,
        text => Some(text.parse::<i32>().map_err(|_| {
            WebError::from(LmsError::field(
                "version",
                "send the version the page showed",
            ))
        })?),
    };
    match s.lms.regrade_apply(&view, id, expected).await {
        Ok(done) => {
            let mut flash = format!("{} regraded.", attempts_text(done.regraded));
            if done.regraded > 0 {
                flash.push_str(&format!(
                    " Marks changed in {}.",
                    attempts_text(done.changed)
                ));
            }
            if done.incompatible > 0 {
                flash.push_str(&format!(
                    " {} could not be regraded and keep their version.",
                    attempts_text(done.incompatible)
                ));
            }
            Ok(see_other(&me.visitor, &question_path(&slug, id), &flash))
        }
        Err(LmsError::Invalid(errors)) => {
            let message = errors
                .get("version")
                .unwrap_or("check the changes and confirm again");
            show_regrade(&s, &me, &view, id, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let question = s.lms.bank_question(&view, id, None).await?;
    let form = QuestionForm::from_question(&question.question);
    show_edit(&s, &me, &view, id, &form, &FieldErrors::default()).await
}

async fn show_edit(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    id: i64,
    form: &QuestionForm,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let question = s.lms.bank_question(view, id, None).await?;
    let category = s.lms.question_category(view, question.category_id).await?;
    let page = EditorPage {
        category: &category,
        question: Some(&question),
        form,
        errors,
    };
    let markup = views::question_bank::editor(&me.visitor, view, &page);
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn save_edit(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let current = s.lms.bank_question(&view, id, None).await?;
    let form = QuestionForm::from_pairs(&pairs);
    if wants_rows(&pairs) {
        let form = form.with_spare_rows();
        return show_edit(&s, &me, &view, id, &form, &FieldErrors::default()).await;
    }
    let result = match form.to_question(Some(&current.question)) {
        Ok(question) => {
            s.lms
                .edit_bank_question(&view, &me.user, id, &question)
                .await
        }
        Err(errors) => Err(LmsError::Invalid(errors)),
    };
    match result {
        Ok(version) => {
            let flash = if version == current.version {
                "Nothing changed; no new version.".to_string()
            } else {
                format!(
                    "Saved as version {version}; attempts made before keep the version they were given."
                )
            };
            Ok(see_other(&me.visitor, &question_path(&slug, id), &flash))
        }
        Err(LmsError::Invalid(errors)) => show_edit(&s, &me, &view, id, &form, &errors).await,
        Err(e) => Err(e.into()),
    }
}

async fn move_question(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let target = optional_id(&form.category_id)?
        .ok_or_else(|| WebError::BadRequest("choose a category".into()))?;
    s.lms.move_bank_question(&view, id, target).await?;
    Ok(see_other(
        &me.visitor,
        &question_path(&slug, id),
        "Question moved.",
    ))
}

async fn delete_question(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let question = s.lms.bank_question(&view, id, None).await?;
    s.lms.delete_bank_question(&view, id).await?;
    Ok(see_other(
        &me.visitor,
        &category_path(&slug, question.category_id),
        "Question deleted; attempts that used it keep it.",
    ))
}

async fn import_page(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    Query(q): Query<ImportQuery>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let categories = s.lms.question_categories(&view).await?;
    let target = q.category.map(|c| c.to_string()).unwrap_or_default();
    let page = ImportPage {
        categories: &categories,
        target: &target,
        format: "",
        report: None,
        text: "",
        errors: &FieldErrors::default(),
    };
    Ok(views::question_bank::import(&me.visitor, &view, &page).into_response())
}

/// An import form as received: the file (or the text carried back to confirm) and fields.
pub struct ImportUpload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub fields: HashMap<String, String>,
}

impl ImportUpload {
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// The format chosen, else guessed from the file's name and first characters.
    pub fn format(&self) -> Result<BankFormat, LmsError> {
        match self.field("format").trim() {
            "" | "auto" => Ok(BankFormat::guess(&self.file_name, &self.bytes)),
            text => BankFormat::parse(text)
                .ok_or_else(|| LmsError::field("format", "choose GIFT or Moodle XML")),
        }
    }

    pub fn confirmed(&self) -> bool {
        matches!(self.field("confirm"), "true" | "1" | "yes")
    }
}

/// Reads an import form: the `file` field (or, to confirm, the `text` field carrying the file
/// back) up to the import limit, each other field up to 1 KiB. Memory stays within the limit
/// whatever is sent.
pub async fn read_import(mut multipart: Multipart) -> Result<ImportUpload, WebError> {
    let max = Limits::DEFAULT.max_file_bytes;
    let mut upload = ImportUpload {
        file_name: String::new(),
        bytes: Vec::new(),
        fields: HashMap::new(),
    };
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge
        } else {
            WebError::BadRequest(e.body_text())
        }
    };
    let mut from_text = false;
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = name == "file" || name == "text";
        // The carried text comes back with CRLF line ends: up to twice the file's size.
        let cap = match name.as_str() {
            "file" => max,
            "text" => 2 * max,
            _ => 1024,
        };
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            if file_name.is_empty() {
                continue; // no file chosen
            }
            upload.file_name = file_name;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            if bytes.len() + chunk.len() > cap {
                return Err(if is_file {
                    WebError::BadRequest(format!(
                        "the file is larger than the import limit of {}",
                        super::upload::size_text(max as u64)
                    ))
                } else {
                    WebError::TooLarge
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "file" => {
                upload.bytes = bytes;
                from_text = false;
            }
            "text" if upload.file_name.is_empty() || from_text => {
                upload.bytes = crlf_to_lf(bytes);
                from_text = true;
                if upload.file_name.is_empty() {
                    upload.file_name = "confirmed".into();
                }
            }
            "text" => {}
            _ => {
                upload
                    .fields
                    .insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    Ok(upload)
}

async fn import(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let upload = read_import(multipart).await?;
    let target_text = upload.field("category_id").to_string();
    let target = optional_id(&target_text)?;
    let categories = s.lms.question_categories(&view).await?;
    let mut errors = FieldErrors::default();
    if upload.file_name.is_empty() {
        errors.add("file", "choose a GIFT or Moodle XML file to import");
    }
    let format = match upload.format() {
        Ok(f) => Some(f),
        Err(LmsError::Invalid(e)) => {
            errors = e;
            None
        }
        Err(e) => return Err(e.into()),
    };
    let show = |report: Option<&ImportReport>, text: &str, errors: &FieldErrors| {
        let page = ImportPage {
            categories: &categories,
            target: &target_text,
            format: upload.field("format"),
            report,
            text,
            errors,
        };
        views::question_bank::import(&me.visitor, &view, &page)
    };
    let Some(format) = format.filter(|_| errors.is_empty()) else {
        return Ok(invalid(show(None, "", &errors)));
    };
    let text = String::from_utf8_lossy(&upload.bytes).into_owned();
    let report = s
        .lms
        .import_questions(
            &view,
            &me.user,
            target,
            format,
            upload.bytes.clone(),
            upload.confirmed(),
        )
        .await?;
    if report.imported > 0 {
        let to = match target {
            Some(id) => category_path(&slug, id),
            None => bank_path(&slug),
        };
        let made = match report.categories_created {
            0 => String::new(),
            1 => " 1 category made.".into(),
            n => format!(" {n} categories made."),
        };
        return Ok(see_other(
            &me.visitor,
            &to,
            &format!("{} question(s) imported.{made}", report.imported),
        ));
    }
    // Nothing stored: the problems, and the way to import the valid questions.
    let carried = if report.valid > 0 { text.as_str() } else { "" };
    Ok(invalid(show(
        Some(&report),
        carried,
        &FieldErrors::default(),
    )))
}

async fn export_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let category = s.lms.question_category(&view, id).await?;
    let gift = s.lms.export_questions(&view, id, BankFormat::Gift).await?;
    Ok(views::question_bank::export(&me.visitor, &view, &category, &gift.skipped).into_response())
}

async fn export_file(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id, format)): Path<(String, i64, String)>,
) -> Result<Response, WebError> {
    let view = bank_view(&s, &me, &slug).await?;
    let format = BankFormat::parse(&format).ok_or(WebError::NotFound)?;
    let file = s.lms.export_questions(&view, id, format).await?;
    Ok(export_response(format, &file))
}

/// A file download of an export; `X-Skipped-Questions` counts what the format could not hold.
pub fn export_response(
    format: BankFormat,
    file: &crate::lms::quizzes::bank_lms::ExportFile,
) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", file.file_name);
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::HeaderName::from_static("x-skipped-questions"),
                file.skipped.len().to_string(),
            ),
        ],
        file.text.clone(),
    )
        .into_response()
}

/// `bytes` with each CRLF as LF (how the file was before a browser sent it back).
fn crlf_to_lf(bytes: Vec<u8>) -> Vec<u8> {
    if !bytes.windows(2).any(|w| w == b"\r\n") {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn carried_text_gets_its_line_ends_back() {
        assert_eq!(super::crlf_to_lf(b"a\r\nb\rc\n".to_vec()), b"a\nb\rc\n");
        assert_eq!(super::crlf_to_lf(b"abc".to_vec()), b"abc");
    }
}
