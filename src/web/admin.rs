//! Administration: accounts (create, change role, reset password, disable), site settings, and
//! the system page (build, schema, database, storage, backups).
//! To anyone but an administrator these pages do not exist.

use axum::{
    Form,
    extract::{Multipart, Path, Query, State},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppState, WebError,
    respond::{invalid, outcome, see_other},
    routes::Routes,
    views,
    views::admin::{Problem, UserForm, UserSearch},
    visitor::{Admin, Me},
};

/// An accounts file may be up to 2 MiB.
const IMPORT_BODY_BYTES: usize = 2 * 1024 * 1024;
use crate::{
    backup::history::{self, Run},
    lms::{FieldErrors, LineError, LmsError, NewAccount, SiteSettings, SystemRole, User},
    migrate::Migrator,
    version::BuildInfo,
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/users", users)
        .post("/admin/users", create_user)
        .post_upload("/admin/users/import", import_users, IMPORT_BODY_BYTES)
        .post("/admin/users/{id}/role", set_role)
        .post("/admin/users/{id}/password", reset_password)
        .post("/admin/users/{id}/disable", set_disabled)
        .get("/admin/settings", settings)
        .post("/admin/settings", save_settings)
        .get("/admin/system", system)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    pub role: String,
    pub password: String,
    pub disabled: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub site_name: String,
    pub registration_open: Option<String>,
    pub maintenance_mode: Option<String>,
    pub student_api_tokens: Option<String>,
    #[serde(default)]
    pub time_zone: String,
}

/// Accounts shown on one page of the users list.
const USERS_PER_PAGE: i64 = 50;

async fn users_page(
    s: &AppState,
    me: &Me,
    search: &UserSearch,
    problem: Problem,
) -> Result<Response, WebError> {
    let found = s
        .lms
        .find_users(&search.q, search.page.max(1), USERS_PER_PAGE)
        .await?;
    let ok = matches!(problem, Problem::None);
    let markup = views::admin::users(&me.visitor, search, &found, &problem);
    Ok(if ok {
        markup.into_response()
    } else {
        invalid(markup)
    })
}

async fn users(
    State(s): State<AppState>,
    Admin(me): Admin,
    Query(search): Query<UserSearch>,
) -> Result<Response, WebError> {
    users_page(&s, &me, &search, Problem::None).await
}

/// Creates the accounts of an uploaded CSV file, all or none; the page that follows lists
/// them with the passwords made up for them, shown this once.
async fn import_users(
    State(s): State<AppState>,
    Admin(me): Admin,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let result = match super::people::csv_text(multipart).await? {
        Some(text) => s.lms.import_users_csv(&text).await,
        None => Err(LmsError::field("file", "choose a CSV file in UTF-8 text")),
    };
    match result {
        Ok(created) => Ok(views::admin::imported(&me.visitor, &created).into_response()),
        Err(LmsError::Csv(lines)) => {
            users_page(&s, &me, &UserSearch::default(), Problem::Import(lines)).await
        }
        Err(LmsError::Invalid(errors)) => {
            let lines = errors
                .iter()
                .map(|e| LineError {
                    line: 0,
                    message: e.message.clone(),
                })
                .collect();
            users_page(&s, &me, &UserSearch::default(), Problem::Import(lines)).await
        }
        Err(e) => Err(e.into()),
    }
}

fn parse_role(text: &str) -> Result<SystemRole, WebError> {
    SystemRole::parse(text).ok_or_else(|| WebError::BadRequest(format!("unknown role {text:?}")))
}

async fn create_user(
    State(s): State<AppState>,
    Admin(me): Admin,
    Form(form): Form<UserForm>,
) -> Result<Response, WebError> {
    let account = NewAccount {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        password: form.password.clone(),
    };
    match s.lms.create_user(&account, parse_role(&form.role)?).await {
        Ok(user) => Ok(see_other(
            &me.visitor,
            "/admin/users",
            &format!("Account created for {}.", user.email),
        )),
        Err(LmsError::Invalid(errors)) => {
            let problem = Problem::Create(form, errors);
            users_page(&s, &me, &UserSearch::default(), problem).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Applies one change to account `id` and reports it, or shows the page with the problem.
async fn change(
    s: &AppState,
    me: &Me,
    id: i64,
    result: Result<User, LmsError>,
    done: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(user) => Ok(see_other(
            &me.visitor,
            "/admin/users",
            &format!("{}: {done}.", user.email),
        )),
        Err(LmsError::Invalid(errors)) => {
            users_page(s, me, &UserSearch::default(), Problem::Change(id, errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_role(
    State(s): State<AppState>,
    Admin(me): Admin,
    Path(id): Path<i64>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, WebError> {
    let role = parse_role(&form.role)?;
    let result = s.lms.set_role(id, role).await;
    change(
        &s,
        &me,
        id,
        result,
        &format!("role is now {}", role.label().to_lowercase()),
    )
    .await
}

async fn reset_password(
    State(s): State<AppState>,
    Admin(me): Admin,
    Path(id): Path<i64>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, WebError> {
    let result = s.lms.reset_password(id, &form.password).await;
    change(
        &s,
        &me,
        id,
        result,
        "password reset; their sessions are ended and their API tokens revoked",
    )
    .await
}

async fn set_disabled(
    State(s): State<AppState>,
    Admin(me): Admin,
    Path(id): Path<i64>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, WebError> {
    let disabled = form.disabled == "true";
    let result = s.lms.set_disabled(id, disabled).await;
    change(
        &s,
        &me,
        id,
        result,
        if disabled { "disabled" } else { "enabled" },
    )
    .await
}

async fn settings(Admin(me): Admin) -> Result<Response, WebError> {
    // The visitor middleware read this request's site settings already.
    let current = &me.visitor.site;
    Ok(views::admin::settings(&me.visitor, current, &FieldErrors::default()).into_response())
}

async fn save_settings(
    State(s): State<AppState>,
    Admin(me): Admin,
    Form(form): Form<SettingsForm>,
) -> Result<Response, WebError> {
    let wanted = SiteSettings {
        site_name: form.site_name,
        registration_open: form.registration_open.as_deref() == Some("true"),
        maintenance_mode: form.maintenance_mode.as_deref() == Some("true"),
        student_api_tokens: form.student_api_tokens.as_deref() == Some("true"),
        time_zone: Some(form.time_zone).filter(|z| !z.is_empty()),
    };
    outcome(
        s.lms.save_site_settings(&wanted).await,
        |_| see_other(&me.visitor, "/admin/settings", "Settings saved."),
        |errors| views::admin::settings(&me.visitor, &wanted, errors),
    )
}

/// What the system page shows.
pub struct SystemFacts {
    pub build: BuildInfo,
    /// The highest migration applied to the database.
    pub database_schema: i64,
    pub engine: &'static str,
    pub storage_backend: &'static str,
    /// Where the storage keeps files (a folder or a bucket), as `doctor` prints it.
    pub storage: String,
    /// Per kind (backup, verify, restore): the newest run, and the newest successful one.
    pub runs: Vec<(&'static str, Option<Run>, Option<Run>)>,
    /// The newest upgrades and rollbacks of the binary, newest first.
    pub upgrades: Vec<crate::upgrade::history::UpgradeRun>,
    /// The last `upgrade --rehearse` and its verdict.
    pub rehearsal: Option<crate::upgrade::rehearsal::record::Rehearsal>,
    /// Whether SMTP is configured (mail is queued and sent), and the outbox's counts.
    pub mail_configured: bool,
    pub outbox: crate::lms::outbox::delivery::OutboxStats,
}

async fn system(State(s): State<AppState>, Admin(me): Admin) -> Result<Response, WebError> {
    let internal = |e: &dyn std::fmt::Display| WebError::Internal(e.to_string());
    let status = Migrator::embedded(&s.db)
        .status()
        .await
        .map_err(|e| internal(&e))?;
    let mut runs = Vec::new();
    for kind in history::KINDS {
        let last = history::latest(&s.db, kind)
            .await
            .map_err(|e| internal(&e))?;
        let good = history::latest_success(&s.db, kind)
            .await
            .map_err(|e| internal(&e))?;
        runs.push((kind, last, good));
    }
    let facts = SystemFacts {
        build: BuildInfo::current(),
        database_schema: status.database_schema_version,
        engine: s.db.engine().as_str(),
        storage_backend: s.storage.backend(),
        storage: s.storage.to_string(),
        runs,
        // A database an older binary migrated may not have the history yet: shown as none.
        upgrades: crate::upgrade::history::list(&s.db, 5)
            .await
            .unwrap_or_default(),
        rehearsal: crate::upgrade::rehearsal::record::latest(&s.db).await,
        mail_configured: s.lms.mail_site().is_some(),
        outbox: s.lms.outbox_stats().await?,
    };
    Ok(views::admin::system(&me.visitor, &facts).into_response())
}
