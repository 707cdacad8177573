//! A course's modules over HTTP: the forms to add a page, a file, an assignment or a forum to a
//! section, editing pages and assignments (their text with the editor's attachments and
//! preview), reordering, deleting, a module's own page, the download of a file module and of
//! a text's attachment.

use axum::{
    Form,
    extract::{Multipart, Path, Query, Request, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError, download,
    editor::EditorForm,
    respond::{self, invalid, see_other},
    routes::Routes,
    upload::{self, FileRule},
    views::{
        self,
        modules::{Editor, ModuleForm},
        trash::Confirm,
    },
    visitor::Me,
};
use crate::lms::{
    FieldErrors, LmsError, User,
    assignments::{AssignmentInput, MAX_FILE_MIB},
    courses::CourseView,
    discussions::ForumInput,
    modules::{ModuleKind, PageInput},
    permissions,
    quizzes::quiz::QuizInput,
    richtext::{Format, RichText},
    visibility::VisibilityInput,
};

/// The largest upload a module or submission form accepts: the largest file plus its fields.
pub const MAX_UPLOAD_BODY_BYTES: usize = (MAX_FILE_MIB as usize + 1) * 1024 * 1024;

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/modules/new", new_page)
        .post_upload(
            "/courses/{slug}/modules/pages",
            add_page,
            MAX_UPLOAD_BODY_BYTES,
        )
        .post_upload(
            "/courses/{slug}/modules/files",
            add_file,
            MAX_UPLOAD_BODY_BYTES,
        )
        .post_upload(
            "/courses/{slug}/modules/assignments",
            add_assignment,
            MAX_UPLOAD_BODY_BYTES,
        )
        .post_upload(
            "/courses/{slug}/modules/forums",
            add_forum,
            MAX_UPLOAD_BODY_BYTES,
        )
        .post_upload(
            "/courses/{slug}/modules/quizzes",
            add_quiz,
            MAX_UPLOAD_BODY_BYTES,
        )
        .get("/courses/{slug}/modules/{id}", show)
        .get("/courses/{slug}/modules/{id}/edit", edit_page)
        .post_upload(
            "/courses/{slug}/modules/{id}/edit",
            update,
            MAX_UPLOAD_BODY_BYTES,
        )
        .post("/courses/{slug}/modules/{id}/move", move_module)
        .get("/courses/{slug}/modules/{id}/visibility", visibility_page)
        .post("/courses/{slug}/modules/{id}/visibility", set_visibility)
        .get("/courses/{slug}/modules/{id}/delete", confirm_delete)
        .post("/courses/{slug}/modules/{id}/delete", delete)
        .get("/courses/{slug}/modules/{id}/download", download_file)
        .get("/attachments/{id}/{name}", attachment)
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
    form_with_preview(s, me, view, form, errors, None).await
}

/// A module form, below the preview of its text when there is one.
async fn form_with_preview(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    form: ModuleForm<'_>,
    errors: &FieldErrors,
    preview: Option<&str>,
) -> Result<Response, WebError> {
    let sections = s.lms.sections(view).await?;
    let attachments = match form {
        ModuleForm::Page(Some(id), _)
        | ModuleForm::Assignment(Some(id), _)
        | ModuleForm::Forum(Some(id), _)
        | ModuleForm::Quiz(Some(id), _) => s.lms.attachments(view, id).await?,
        _ => Vec::new(),
    };
    let editor = Editor {
        v: &me.visitor,
        view,
        sections: &sections,
        errors,
        attachments: &attachments,
        preview,
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
                body_format: Format::Markdown.as_str().into(),
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
                instructions_format: Format::Markdown.as_str().into(),
                ..AssignmentInput::default()
            },
        ),
        Some(ModuleKind::Forum) => ModuleForm::Forum(
            None,
            &ForumInput {
                section_id: q.section.clone(),
                description_format: Format::Markdown.as_str().into(),
                max_points: "10".into(),
                ..ForumInput::default()
            },
        ),
        Some(ModuleKind::Quiz) => ModuleForm::Quiz(None, &QuizInput::new_in(&q.section)),
        None => return Err(WebError::NotFound),
    };
    form_page(&s, &me, &view, form, &none).await
}

fn module_path(view: &CourseView, id: i64) -> String {
    format!("/courses/{}/modules/{id}", view.course().slug)
}

/// The form again with its text rendered as it would be saved; nothing is stored.
async fn preview(
    s: &AppState,
    me: &Me,
    view: &CourseView,
    form: &EditorForm,
    (id, text): (Option<i64>, RichText),
    module_form: ModuleForm<'_>,
) -> Result<Response, WebError> {
    form.discard(s).await;
    let html = s.lms.preview_text(view, id, &text).await?;
    let none = FieldErrors::default();
    form_with_preview(s, me, view, module_form, &none, Some(&html)).await
}

fn page_text(input: &PageInput) -> RichText {
    RichText::from_form(&input.body_format, &input.body)
}

async fn add_page(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let form = EditorForm::read(&s, request).await?;
    let input: PageInput = form.input()?;
    if form.preview() {
        let text = (None, page_text(&input));
        return preview(&s, &me, &view, &form, text, ModuleForm::Page(None, &input)).await;
    }
    let result = match form.edit(me.user.id) {
        Ok(edit) => s.lms.add_page_with(&view, &input, &edit).await,
        Err(e) => Err(e),
    };
    match form.settle(&s, result).await? {
        Ok(m) => Ok(see_other(
            &me.visitor,
            &module_path(&view, m.id),
            "Page added.",
        )),
        Err(errors) => form_page(&s, &me, &view, ModuleForm::Page(None, &input), &errors).await,
    }
}

async fn add_assignment(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let form = EditorForm::read(&s, request).await?;
    let mut input: AssignmentInput = form.input()?;
    input.zone = me.visitor.zone;
    let module_form = ModuleForm::Assignment(None, &input);
    if form.preview() {
        let text = (None, input.instructions_text());
        return preview(&s, &me, &view, &form, text, module_form).await;
    }
    let result = match form.edit(me.user.id) {
        Ok(edit) => s.lms.add_assignment_with(&view, &input, &edit).await,
        Err(e) => Err(e),
    };
    match form.settle(&s, result).await? {
        Ok(a) => Ok(see_other(
            &me.visitor,
            &module_path(&view, a.module.id),
            "Assignment added.",
        )),
        Err(errors) => form_page(&s, &me, &view, module_form, &errors).await,
    }
}

async fn add_forum(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let form = EditorForm::read(&s, request).await?;
    let input: ForumInput = form.input()?;
    let module_form = ModuleForm::Forum(None, &input);
    if form.preview() {
        let text = (None, input.description_text());
        return preview(&s, &me, &view, &form, text, module_form).await;
    }
    let result = match form.edit(me.user.id) {
        Ok(edit) => s.lms.add_forum_with(&view, &input, &edit).await,
        Err(e) => Err(e),
    };
    match form.settle(&s, result).await? {
        Ok(f) => Ok(see_other(
            &me.visitor,
            &super::discussions::forum_path(&slug, f.module.id),
            "Forum added.",
        )),
        Err(errors) => form_page(&s, &me, &view, module_form, &errors).await,
    }
}

async fn add_quiz(
    State(s): State<AppState>,
    me: Me,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let form = EditorForm::read(&s, request).await?;
    let mut input: QuizInput = form.input()?;
    input.zone = me.visitor.zone;
    let module_form = ModuleForm::Quiz(None, &input);
    if form.preview() {
        let text = (None, input.description_text());
        return preview(&s, &me, &view, &form, text, module_form).await;
    }
    let result = match form.edit(me.user.id) {
        Ok(edit) => s.lms.add_quiz_with(&view, &input, &edit).await,
        Err(e) => Err(e),
    };
    match form.settle(&s, result).await? {
        Ok(q) => Ok(see_other(
            &me.visitor,
            &format!(
                "{}/questions",
                super::quizzes::quiz_path(&slug, q.module.id)
            ),
            "Quiz added: now give it questions.",
        )),
        Err(errors) => form_page(&s, &me, &view, module_form, &errors).await,
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
    if module.kind == ModuleKind::Forum {
        return Ok(Redirect::to(&super::discussions::forum_path(&slug, id)).into_response());
    }
    if module.kind == ModuleKind::Quiz {
        return Ok(Redirect::to(&super::quizzes::quiz_path(&slug, id)).into_response());
    }
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
    let attachments = s.lms.attachments(&view, id).await?;
    let now = s.lms.now();
    Ok(views::modules::show(&me.visitor, &view, &module, &attachments, now).into_response())
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
            let text = module.body_text();
            let input = PageInput {
                section_id: module.section_id.to_string(),
                title: module.title.clone(),
                body: text.source,
                body_format: text.format.as_str().into(),
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
        ModuleKind::Forum => {
            let forum = s.lms.forum(&view, id).await?;
            let input = ForumInput::from_forum(&forum);
            form_page(&s, &me, &view, ModuleForm::Forum(Some(id), &input), &none).await
        }
        ModuleKind::Quiz => {
            let quiz = s.lms.quiz(&view, id).await?;
            let input = QuizInput::from_quiz(&quiz, me.visitor.zone);
            form_page(&s, &me, &view, ModuleForm::Quiz(Some(id), &input), &none).await
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
    body_format: String,
    description: String,
    description_format: String,
    graded: Option<String>,
}

/// Saves a page or an assignment, or previews its text.
async fn update(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    request: Request,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let module = s.lms.module(&view, id).await?;
    if module.kind == ModuleKind::File {
        return Err(WebError::NotFound);
    }
    let form = EditorForm::read(&s, request).await?;
    let done = || see_other(&me.visitor, &module_path(&view, id), "Saved.");
    if module.kind == ModuleKind::Quiz {
        let mut input: QuizInput = form.input()?;
        input.zone = me.visitor.zone;
        let module_form = ModuleForm::Quiz(Some(id), &input);
        if form.preview() {
            let text = (Some(id), input.description_text());
            return preview(&s, &me, &view, &form, text, module_form).await;
        }
        let result = match form.edit(me.user.id) {
            Ok(edit) => s.lms.update_quiz_with(&view, id, &input, &edit).await,
            Err(e) => Err(e),
        };
        return match form.settle(&s, result).await? {
            Ok(_) => Ok(done()),
            Err(errors) => form_page(&s, &me, &view, module_form, &errors).await,
        };
    }
    let fields: EditForm = form.input()?;
    let edit = form.edit(me.user.id);
    if module.kind == ModuleKind::Forum {
        let input = ForumInput {
            section_id: fields.assignment.section_id,
            title: fields.assignment.title,
            description: fields.description,
            description_format: fields.description_format,
            graded: fields.graded,
            max_points: fields.assignment.max_points,
        };
        let module_form = ModuleForm::Forum(Some(id), &input);
        if form.preview() {
            let text = (Some(id), input.description_text());
            return preview(&s, &me, &view, &form, text, module_form).await;
        }
        let result = match edit {
            Ok(edit) => s.lms.update_forum_with(&view, id, &input, &edit).await,
            Err(e) => Err(e),
        };
        return match form.settle(&s, result).await? {
            Ok(_) => Ok(done()),
            Err(errors) => form_page(&s, &me, &view, module_form, &errors).await,
        };
    }
    if module.kind == ModuleKind::Page {
        let input = PageInput {
            section_id: fields.assignment.section_id,
            title: fields.assignment.title,
            body: fields.body,
            body_format: fields.body_format,
        };
        let module_form = ModuleForm::Page(Some(id), &input);
        if form.preview() {
            let text = (Some(id), page_text(&input));
            return preview(&s, &me, &view, &form, text, module_form).await;
        }
        let result = match edit {
            Ok(edit) => s.lms.update_page_with(&view, id, &input, &edit).await,
            Err(e) => Err(e),
        };
        return match form.settle(&s, result).await? {
            Ok(_) => Ok(done()),
            Err(errors) => form_page(&s, &me, &view, module_form, &errors).await,
        };
    }
    let input = AssignmentInput {
        zone: me.visitor.zone,
        ..fields.assignment
    };
    let module_form = ModuleForm::Assignment(Some(id), &input);
    if form.preview() {
        let text = (Some(id), input.instructions_text());
        return preview(&s, &me, &view, &form, text, module_form).await;
    }
    let result = match edit {
        Ok(edit) => s.lms.update_assignment_with(&view, id, &input, &edit).await,
        Err(e) => Err(e),
    };
    match form.settle(&s, result).await? {
        Ok(_) => Ok(done()),
        Err(errors) => form_page(&s, &me, &view, module_form, &errors).await,
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
    s.lms.delete_module(&view, id).await?;
    Ok(see_other(
        &me.visitor,
        &format!("/courses/{slug}"),
        "Moved to the trash.",
    ))
}

/// Asks before a module goes to the trash.
async fn confirm_delete(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let module = s.lms.module(&view, id).await?;
    let what = module.kind.label().to_lowercase();
    let detail = (module.kind == ModuleKind::Assignment)
        .then(|| "Its submissions and grades go with it, and come back if it is restored.".into());
    let confirm = Confirm {
        what: &what,
        title: &module.title,
        detail,
        action: format!("{}/delete", module_path(&view, id)),
        back: format!("/courses/{slug}"),
        errors: &FieldErrors::default(),
    };
    Ok(views::trash::confirm(&me.visitor, &confirm).into_response())
}

async fn visibility_page(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let module = s.lms.module(&view, id).await?;
    let input = VisibilityInput::from_module(&module, me.visitor.zone);
    let none = FieldErrors::default();
    let now = s.lms.now();
    Ok(
        views::modules::visibility_form(&me.visitor, &view, &module, &input, &none, now)
            .into_response(),
    )
}

async fn set_visibility(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(input): Form<VisibilityInput>,
) -> Result<Response, WebError> {
    let view = editable(&s, &me, &slug).await?;
    let input = VisibilityInput {
        zone: me.visitor.zone,
        ..input
    };
    match s.lms.set_visibility(&view, id, &input).await {
        Ok(_) => Ok(see_other(
            &me.visitor,
            &format!("/courses/{slug}"),
            "Visibility saved.",
        )),
        Err(LmsError::Invalid(errors)) => {
            let module = s.lms.module(&view, id).await?;
            let now = s.lms.now();
            Ok(invalid(views::modules::visibility_form(
                &me.visitor,
                &view,
                &module,
                &input,
                &errors,
                now,
            )))
        }
        Err(e) => Err(e.into()),
    }
}

async fn download_file(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    send_module_file(&s, &me.user, &slug, id, &headers).await
}

/// A text's attachment, for anyone who may see its module; 404 for everyone else.
async fn attachment(
    State(s): State<AppState>,
    me: Me,
    Path((id, name)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let media = s.lms.attachment(&me.user, id, &name).await?;
    download::send(&s.storage, &media, &headers).await
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
