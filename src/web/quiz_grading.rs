//! A quiz's essay grading table over HTTP (staff): the table, and saving every mark and
//! comment in it with one submit, or showing it again with each problem by its field and
//! everything typed kept (422).

use std::collections::{BTreeMap, HashMap};

use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Response},
};

use super::{
    AppState, WebError,
    respond::{invalid, see_other},
    routes::Routes,
    views::{self, quiz_grading::EssayForm},
    visitor::Me,
};
use crate::lms::{
    permissions,
    quizzes::essays::{EssayErrors, EssayInput},
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/courses/{slug}/quizzes/{id}/grading", table)
        .post("/courses/{slug}/quizzes/{id}/grading", save)
}

/// Where quiz `id`'s essay grading table is.
pub fn grading_path(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/quizzes/{id}/grading")
}

async fn table(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    let sheet = s.lms.essay_sheet(&view, id).await?;
    let form = EssayForm {
        typed: None,
        errors: &EssayErrors::default(),
    };
    Ok(views::quiz_grading::table(&me.visitor, &view, &sheet, &form).into_response())
}

/// The essays of a table as sent: `mark-ATTEMPT-SLOT` and `comment-ATTEMPT-SLOT`.
fn inputs(fields: &[(String, String)]) -> Result<Vec<EssayInput>, WebError> {
    let mut out: BTreeMap<(i64, i64), EssayInput> = BTreeMap::new();
    for (name, value) in fields {
        let Some((kind, rest)) = name.split_once('-') else {
            continue;
        };
        if kind != "mark" && kind != "comment" {
            continue;
        }
        let key = rest
            .split_once('-')
            .and_then(|(a, s)| Some((a.parse::<i64>().ok()?, s.parse::<i64>().ok()?)))
            .ok_or_else(|| WebError::BadRequest(format!("unknown field {name}")))?;
        let input = out.entry(key).or_insert_with(|| EssayInput {
            attempt_id: key.0,
            slot: key.1,
            ..EssayInput::default()
        });
        if kind == "mark" {
            input.mark = value.clone();
        } else {
            input.comment = value.clone();
        }
    }
    Ok(out.into_values().collect())
}

async fn save(
    State(s): State<AppState>,
    me: Me,
    Path((slug, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = s.lms.course_view(&me.user, &slug).await?;
    view.require(permissions::can_grade)?;
    let inputs = inputs(&fields)?;
    match s.lms.save_essay_marks(&view, &me.user, id, &inputs).await? {
        Ok(changed) => Ok(see_other(
            &me.visitor,
            &grading_path(&slug, id),
            &format!("{changed} mark(s) saved."),
        )),
        Err(errors) => {
            let sheet = s.lms.essay_sheet(&view, id).await?;
            let typed: HashMap<(i64, i64), EssayInput> = inputs
                .into_iter()
                .map(|i| ((i.attempt_id, i.slot), i))
                .collect();
            let form = EssayForm {
                typed: Some(&typed),
                errors: &errors,
            };
            Ok(invalid(views::quiz_grading::table(
                &me.visitor,
                &view,
                &sheet,
                &form,
            )))
        }
    }
}
