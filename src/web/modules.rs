//! A course's modules over HTTP: the forms to add a page, a file or an assignment to a
//! section, editing pages and assignments, reordering, deleting, a module's own page, and the
//! download of a file module.

use axum::{
    Form,
    extract::{Multipart, Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError, download,
    respond::{self, invalid, see_other},
    routes::Routes,
    upload::{self, FileRule},
    views::{
        self,
        modules::{Editor, ModuleForm},
    },
    visitor::Me,
};
use crate::lms::{
    FieldErrors, LmsError, User,
    assignments::{AssignmentInput, MAX_FILE_MIB},
    courses::CourseView,
    modules::{ModuleKind, PageInput},
    permissions,
};

/// The largest upload a module or submission form accepts: the largest file plus its fields.
pub const MAX_UPLOAD_BODY_BYTES: usize = (MAX_FILE_MIB as usize + 1) * 1024 * 1024;

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/modules/new", new_page)
        .post("/courses/{slug}/modules/pages", add_page)
        .post_upload(
            "/courses/{slug}/modules/files",
            add_file,
            MAX_UPLOAD_BODY_BYTES,
        )
        .post("/courses/{slug}/modules/assignments", add_assignment)
        .get("/courses/{slug}/modules/{id}", show)
        .get("/courses/{slug}/modules/{id}/edit", edit_page)
        .post("/courses/{slug}/modules/{id}/edit", update)
        .post("/courses/{slug}/modules/{id}/move", move_module)
        .post("/courses/{slug}/modules/{id}/delete", delete)
        .get("/courses/{slug}/modules/{id}/download", download_file)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewQuery {
    kind: String,
    section: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MoveForm {
    position: String,
}

pub async fn editable(s: &AppState, me: &Me, slug: &str) -> Result<CourseView, WebError> {
    let view = s.lms.course_view(&me.user, slug).await?;
    view.require(permissions::can_edit_content)?;
    Ok(view)
}

/// Shows a module form, with a 422 status when it carries errors.
async fn form_page(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    form: ModuleForm<'_>,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let sections = s.lms.sections(view).await?;
    let editor = Editor {
        v: &me.visitor,
        view,
        sections: &sections,
        errors,
    };
    let markup = views::modules::form(&editor, form);
    Ok(if errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn new_page(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let none = FieldErrors::default();
    let form = match ModuleKind::parse(&q.kind) {
        Some(ModuleKind::Page) => ModuleForm::Page(
            None,
            &PageInput {
                section_id: q.section,
                ..PageInput::default()
            },
        ),
        Some(ModuleKind::File) => ModuleForm::File {
            section_id: &q.section,
            title: "",
        },
        Some(ModuleKind::Assignment) => ModuleForm::Assignment(
            None,
            &AssignmentInput {
                section_id: q.section.clone(),
                max_points: "100".into(),
                max_file_mib: "10".into(),
                accepts_text: Some("true".into()),
                accepts_files: Some("true".into()),
                ..AssignmentInput::default()
            },
        ),
        None => return Err(WebError::NotFound),
    };
    form_page(&s, &me, &view, form, &none).await
}

fn module_path(view: &CourseView, id: i64) -> String {
    format!("/courses/{}/modules/{id}", view.course().slug)
}

async fn add_page(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    Form(input): Form<PageInput>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    match s.lms.add_page(&view, &input).await {
        Ok(m) => Ok(see_other(
            &me.visitor,
            &module_path(&view, m.id),
            "Page added.",
        )),
        Err(LmsError::Invalid(errors)) => {
            form_page(&s, &me, &view, ModuleForm::Page(None, &input), &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_assignment(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    Form(mut input): Form<AssignmentInput>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    input.zone = me.visitor.zone;
    match s.lms.add_assignment(&view, &input).await {
        Ok(a) => Ok(see_other(
            &me.visitor,
            &module_path(&view, a.module.id),
            "Assignment added.",
        )),
        Err(LmsError::Invalid(errors)) => {
            form_page(
                &s,
                &me,
                &view,
                ModuleForm::Assignment(None, &input),
                &errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_file(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let rule = FileRule {
        name: "file",
        max_bytes: MAX_FILE_MIB as u64 * 1024 * 1024,
        check_name: &|_| Ok(()),
    };
    let upload = upload::receive(&s.storage, multipart, &rule, s.lms.now()).await?;
    let (section_id, title) = (upload.field("section_id"), upload.field("title"));
    let mut result = match (upload.files.as_slice(), upload.refused.first()) {
        ([file], None) => {
            s.lms
                .add_file(&view, me.user.id, &section_id, &title, file)
                .await
        }
        (_, Some(reason)) => Err(LmsError::field("file", reason.clone())),
        ([], None) => Err(LmsError::field("file", "choose a file")),
        _ => Err(LmsError::field("file", "choose one file")),
    };
    if let Err(LmsError::Invalid(errors)) = &mut result
        && title.trim().is_empty()
        && errors.get("title").is_none()
    {
        errors.add("title", "this field is required");
    }
    match result {
        Ok(m) => Ok(see_other(
            &me.visitor,
            &module_path(&view, m.id),
            "File added.",
        )),
        Err(e) => {
            upload::discard(&s.storage, &upload.files).await;
            match e {
                LmsError::Invalid(errors) => {
                    let form = ModuleForm::File {
                        section_id: &section_id,
                        title: &title,
                    };
                    form_page(&s, &me, &view, form, &errors).await
                }
                e => Err(e.into()),
            }
        }
    }
}

async fn show(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let module = s.lms.module(&view, id).await?;
    if module.kind == ModuleKind::Assignment {
        return super::submissions::assignment_page(
            &s,
            &me,
            &view,
            id,
            "",
            &FieldErrors::default(),
        )
        .await;
    }
    Ok(views::modules::show(&me.visitor, &view, &module).into_response())
}

async fn edit_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let module = s.lms.module(&view, id).await?;
    let none = FieldErrors::default();
    match module.kind {
        ModuleKind::Page => {
            let input = PageInput {
                section_id: module.section_id.to_string(),
                title: module.title.clone(),
                body: module.body_html.clone().unwrap_or_default(),
            };
            form_page(&s, &me, &view, ModuleForm::Page(Some(id), &input), &none).await
        }
        ModuleKind::Assignment => {
            let assignment = s.lms.assignment(&view, id).await?;
            let input = AssignmentInput::from_assignment(&assignment, me.visitor.zone);
            form_page(
                &s,
                &me,
                &view,
                ModuleForm::Assignment(Some(id), &input),
                &none,
            )
            .await
        }
        ModuleKind::File => Err(WebError::NotFound),
    }
}

/// The edit form of a page or an assignment: the page's text, or the assignment's fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EditForm {
    #[serde(flatten)]
    assignment: AssignmentInput,
    body: String,
}

/// Saves a page or an assignment.
async fn update(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<EditForm>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let module = s.lms.module(&view, id).await?;
    let done = || see_other(&me.visitor, &module_path(&view, id), "Saved.");
    match module.kind {
        ModuleKind::Page => {
            let input = PageInput {
                section_id: form.assignment.section_id,
                title: form.assignment.title,
                body: form.body,
            };
            match s.lms.update_page(&view, id, &input).await {
                Err(LmsError::Invalid(errors)) => {
                    form_page(&s, &me, &view, ModuleForm::Page(Some(id), &input), &errors).await
                }
                result => result.map(|_| done()).map_err(Into::into),
            }
        }
        ModuleKind::Assignment => {
            let input = AssignmentInput {
                zone: me.visitor.zone,
                ..form.assignment
            };
            match s.lms.update_assignment(&view, id, &input).await {
                Err(LmsError::Invalid(errors)) => {
                    let form = ModuleForm::Assignment(Some(id), &input);
                    form_page(&s, &me, &view, form, &errors).await
                }
                result => result.map(|_| done()).map_err(Into::into),
            }
        }
        ModuleKind::File => Err(WebError::NotFound),
    }
}

async fn move_module(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    s.lms
        .move_module(&view, id, respond::position(&form.position)?)
        .await?;
    Ok(see_other(
        &me.visitor,
        &format!("/courses/{slug}"),
        "Module moved.",
    ))
}

async fn delete(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let keys = s.lms.delete_module(&view, id).await?;
    upload::discard_keys(&s.storage, &keys).await;
    Ok(see_other(
        &me.visitor,
        &format!("/courses/{slug}"),
        "Module deleted.",
    ))
}

async fn download_file(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    send_module_file(&s, &me.user, &slug, id, &headers).await
}

/// The file of a file module, for anyone who may see the module (page and API).
pub async fn send_module_file(
    s: &AppState,
    user: &User,
    slug: &str,
    id: i64,
    headers: &HeaderMap,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(user, slug).await?;
    let module = s.lms.module(&view, id).await?;
    let media = module.media.ok_or(WebError::NotFound)?;
    download::send(&s.storage, &media, headers).await
}
