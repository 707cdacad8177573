//! Accounts: creating them (self-registration and by an administrator), listing, roles,
//! disabling and passwords. Emails are stored trimmed and lower-cased, unique regardless of
//! case. The first account on an empty site becomes its administrator.

use chrono::{DateTime, Utc};

use super::{FieldErrors, LineError, Lms, LmsError, SystemRole, Zone, passwords, validate};
use crate::db::{Engine, Executor, Row, Value};

/// A page of accounts from `find_users`.
#[derive(Clone, Debug)]
pub struct UserPage {
    pub users: Vec<User>,
    /// Accounts matching the search, on every page.
    pub total: i64,
    /// This page (1-based) and how many there are.
    pub page: i64,
    pub pages: i64,
}

/// An account made by a CSV import, with the password made up for it (shown once).
#[derive(Clone, Debug)]
pub struct Imported {
    pub user: User,
    pub password: Option<String>,
}

/// A checked line of an accounts CSV file.
struct AccountRow {
    line: usize,
    email: String,
    display_name: String,
    role: SystemRole,
    password: String,
    /// The password was made up here.
    generated: bool,
}

/// Accounts files hold at most this many lines.
pub const MAX_IMPORT_LINES: usize = 5000;

/// Reads `email,name,role,password` lines (a header line, blank lines and a byte-order mark
/// are skipped; names may be quoted to hold commas). Returns the good lines and every bad
/// one, each with all of its problems.
fn parse_accounts_csv(text: &str) -> (Vec<AccountRow>, Vec<LineError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    for record in reader.records() {
        let (record, line) = match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                (r, line)
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(LineError {
                    line,
                    message: format!("not readable as CSV: {e}"),
                });
                continue;
            }
        };
        if rows.len() + errors.len() >= MAX_IMPORT_LINES {
            errors.push(LineError {
                line,
                message: format!("a file holds at most {MAX_IMPORT_LINES} accounts"),
            });
            break;
        }
        let fields: Vec<&str> = record.iter().collect();
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        if rows.is_empty() && errors.is_empty() && fields[0].eq_ignore_ascii_case("email") {
            continue;
        }
        if !(2..=4).contains(&fields.len()) {
            errors.push(LineError {
                line,
                message: format!(
                    "expected `email,name,role,password`, found {} field(s)",
                    fields.len()
                ),
            });
            continue;
        }
        let mut field_errors = FieldErrors::default();
        let email = validate::email(&mut field_errors, "email", fields[0]);
        let name = validate::text(&mut field_errors, "name", fields[1], 120);
        let role_text = fields.get(2).copied().unwrap_or("");
        let role = match role_text {
            "" => Some(SystemRole::Student),
            text => SystemRole::parse(&text.to_lowercase()),
        };
        let given = fields.get(3).copied().unwrap_or("");
        if !given.is_empty() {
            validate::new_password(&mut field_errors, "password", given);
        }
        let mut messages: Vec<String> = field_errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        if role.is_none() {
            messages.push(format!(
                "unknown role {role_text:?}; use admin, instructor or student"
            ));
        }
        if field_errors.get("email").is_none() && !seen.insert(email.clone()) {
            messages.push(format!("{email} appears more than once"));
        }
        match role {
            Some(role) if messages.is_empty() => rows.push(AccountRow {
                line,
                email,
                display_name: name,
                role,
                password: if given.is_empty() {
                    made_up_password()
                } else {
                    given.to_string()
                },
                generated: given.is_empty(),
            }),
            _ => errors.push(LineError {
                line,
                message: messages.join("; "),
            }),
        }
    }
    (rows, errors)
}

/// Four groups of four letters and digits without look-alikes (`k7mp-x3rt-…`): 80 bits.
fn made_up_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The email and name of a new account as they will be stored, or every field's problem.
fn checked_account(input: &NewAccount) -> Result<(String, String), LmsError> {
    let mut errors = FieldErrors::default();
    let email = validate::email(&mut errors, "email", &input.email);
    let name = validate::text(&mut errors, "display_name", &input.display_name, 120);
    validate::new_password(&mut errors, "password", &input.password);
    errors.into_result()?;
    Ok((email, name))
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: SystemRole,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    /// The person's own time zone (an IANA name); none: the site's.
    pub time_zone: Option<String>,
}

/// What a new account needs, as typed.
#[derive(Clone, Debug, Default)]
pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    pub password: String,
}

pub(crate) const USER_COLUMNS: &str = "users.id, users.email, users.display_name, users.role, users.disabled_at, users.created_at, users.time_zone";

impl User {
    pub(crate) fn from_row(row: &Row) -> Result<User, LmsError> {
        Ok(User {
            id: row.get("id")?,
            email: row.get("email")?,
            display_name: row.get("display_name")?,
            role: row.get("role")?,
            disabled: row.get::<Option<DateTime<Utc>>>("disabled_at")?.is_some(),
            created_at: row.get("created_at")?,
            time_zone: row.get("time_zone")?,
        })
    }
}

impl Lms {
    /// Self-registration: the first account becomes admin; later ones are students, and only
    /// while the site's `registration_open` setting is on. The role is decided and the account
    /// written in one transaction that registrations take in turn (SQLite's write lock; on
    /// PostgreSQL a table lock that lets reads through), so of several people registering on
    /// an empty site at once exactly one becomes the administrator.
    pub async fn register(&self, input: &NewAccount) -> Result<User, LmsError> {
        let (email, name) = checked_account(input)?;
        let open = self.site_settings().await?.registration_open;
        let hash = passwords::hash(&input.password).await?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        if self.db.engine() == Engine::Postgres {
            tx.batch_execute("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
                .await?;
        }
        let users: i64 = tx
            .query_one("SELECT count(*) AS n FROM users", &[])
            .await?
            .get("n")?;
        let role = match (users, open) {
            (0, _) => SystemRole::Admin,
            (_, true) => SystemRole::Student,
            (_, false) => return Err(LmsError::RegistrationClosed),
        };
        let user = self.insert_user(&mut tx, email, name, hash, role).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Creates an account with `role`, whatever the registration setting (admins, the CLI).
    pub async fn create_user(
        &self,
        input: &NewAccount,
        role: SystemRole,
    ) -> Result<User, LmsError> {
        let (email, name) = checked_account(input)?;
        let hash = passwords::hash(&input.password).await?;
        let mut conn = self.db.conn().await?;
        self.insert_user(&mut conn, email, name, hash, role).await
    }

    async fn insert_user(
        &self,
        db: &mut impl Executor,
        email: String,
        name: String,
        hash: String,
        role: SystemRole,
    ) -> Result<User, LmsError> {
        let now = Value::Time(self.now());
        let row = db
            .query_one(
                &format!(
                    "INSERT INTO users (email, display_name, password_hash, role, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $5) RETURNING {USER_COLUMNS}"
                ),
                &[email.into(), name.into(), hash.into(), role.into(), now],
            )
            .await
            .map_err(|e| {
                if e.is_unique_violation() {
                    LmsError::field("email", "an account with this email already exists")
                } else {
                    e.into()
                }
            })?;
        User::from_row(&row)
    }

    pub async fn user_count(&self) -> Result<i64, LmsError> {
        let row = self
            .db
            .query_one("SELECT count(*) AS n FROM users", &[])
            .await?;
        Ok(row.get("n")?)
    }

    /// One page of the accounts whose email or name contains `query` (any case), by name.
    pub async fn find_users(
        &self,
        query: &str,
        page: i64,
        per_page: i64,
    ) -> Result<UserPage, LmsError> {
        let query = query.trim().to_lowercase();
        let pattern = format!(
            "%{}%",
            query
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let filter = "($1 = '' OR lower(users.email) LIKE $2 ESCAPE '\\'
                       OR lower(users.display_name) LIKE $2 ESCAPE '\\')";
        let total: i64 = self
            .db
            .query_one(
                &format!("SELECT count(*) AS n FROM users WHERE {filter}"),
                &[query.clone().into(), pattern.clone().into()],
            )
            .await?
            .get("n")?;
        let per_page = per_page.clamp(1, 500);
        let pages = (total + per_page - 1) / per_page;
        let page = page.clamp(1, pages.max(1));
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE {filter}
             ORDER BY lower(users.display_name), users.id LIMIT $3 OFFSET $4"
        );
        let rows = self
            .db
            .query(
                &sql,
                &[
                    query.into(),
                    pattern.into(),
                    per_page.into(),
                    ((page - 1) * per_page).into(),
                ],
            )
            .await?;
        Ok(UserPage {
            users: rows.iter().map(User::from_row).collect::<Result<_, _>>()?,
            total,
            page,
            pages: pages.max(1),
        })
    }

    /// Creates every account of a CSV file (`email,name,role,password`; role and password may
    /// be empty: a student, and a password made up here and returned once), or none when any
    /// line is wrong, listing every wrong line.
    pub async fn import_users_csv(&self, text: &str) -> Result<Vec<Imported>, LmsError> {
        let (rows, mut errors) = parse_accounts_csv(text);
        if rows.is_empty() && errors.is_empty() {
            return Err(LmsError::field(
                "file",
                "the file has no `email,name,role,password` lines",
            ));
        }
        for row in &rows {
            match self.user_by_email(&row.email).await {
                Ok(_) => errors.push(LineError {
                    line: row.line,
                    message: format!("an account with the email {} exists already", row.email),
                }),
                Err(LmsError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(LmsError::Csv(errors));
        }
        let mut hashed = Vec::with_capacity(rows.len());
        for row in &rows {
            hashed.push(passwords::hash(&row.password).await?);
        }
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let mut created = Vec::with_capacity(rows.len());
        for (row, hash) in rows.into_iter().zip(hashed) {
            let user = self
                .insert_user(&mut tx, row.email, row.display_name, hash, row.role)
                .await?;
            created.push(Imported {
                user,
                password: row.generated.then_some(row.password),
            });
        }
        tx.commit().await?;
        Ok(created)
    }

    /// Every account, oldest first.
    pub async fn users(&self) -> Result<Vec<User>, LmsError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY id");
        let rows = self.db.query(&sql, &[]).await?;
        rows.iter().map(User::from_row).collect()
    }

    pub async fn user(&self, id: i64) -> Result<User, LmsError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row = self.db.query_opt(&sql, &[id.into()]).await?;
        User::from_row(&row.ok_or(LmsError::NotFound)?)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<User, LmsError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE lower(email) = $1");
        let row = self
            .db
            .query_opt(&sql, &[email.trim().to_lowercase().into()])
            .await?;
        User::from_row(&row.ok_or(LmsError::NotFound)?)
    }

    pub async fn set_role(&self, id: i64, role: SystemRole) -> Result<User, LmsError> {
        let user = self.user(id).await?;
        if role != SystemRole::Admin {
            self.keep_an_admin(&user, "role").await?;
        }
        self.update_user(id, "role = $2", role.into()).await
    }

    /// Disables or re-enables an account; disabling also ends its sessions.
    pub async fn set_disabled(&self, id: i64, disabled: bool) -> Result<User, LmsError> {
        let user = self.user(id).await?;
        if disabled {
            self.keep_an_admin(&user, "disabled").await?;
            self.end_sessions_of(id, None).await?;
        }
        let when = Value::from(disabled.then(|| self.now()));
        self.update_user(id, "disabled_at = $2", when).await
    }

    /// An administrator sets a new password; the account's sessions end.
    pub async fn reset_password(&self, id: i64, new: &str) -> Result<User, LmsError> {
        let mut errors = FieldErrors::default();
        validate::new_password(&mut errors, "password", new);
        errors.into_result()?;
        self.user(id).await?;
        let hash = passwords::hash(new).await?;
        self.end_sessions_of(id, None).await?;
        self.revoke_tokens_of(id).await?;
        self.update_user(id, "password_hash = $2", hash.into())
            .await
    }

    /// The account holder changes their own password; their other sessions end and their API
    /// tokens are revoked (a token made by whoever knew the old password must stop too).
    pub async fn change_password(
        &self,
        me: &super::SessionUser,
        current: &str,
        new: &str,
    ) -> Result<User, LmsError> {
        let mut errors = FieldErrors::default();
        if !passwords::verify(current, self.password_hash(me.user.id).await?).await {
            errors.add("current_password", "this is not your current password");
        }
        validate::new_password(&mut errors, "new_password", new);
        errors.into_result()?;
        let hash = passwords::hash(new).await?;
        self.end_sessions_of(me.user.id, Some(&me.session_id))
            .await?;
        self.revoke_tokens_of(me.user.id).await?;
        self.update_user(me.user.id, "password_hash = $2", hash.into())
            .await
    }

    /// Sets (or, with `None` or an empty name, clears) the account's own time zone.
    pub async fn set_time_zone(&self, id: i64, zone: Option<&str>) -> Result<User, LmsError> {
        let zone = zone.map(str::trim).filter(|z| !z.is_empty());
        let value = match zone {
            None => Value::Null,
            Some(name) => match Zone::parse(name) {
                Some(zone) => zone.name().into(),
                None => {
                    return Err(LmsError::field(
                        "time_zone",
                        "choose a time zone from the list, like Europe/Berlin",
                    ));
                }
            },
        };
        self.update_user(id, "time_zone = $2", value).await
    }

    /// The zone `user` reads and types times in: their own, else the site's.
    pub async fn zone_of(&self, user: &User) -> Result<Zone, LmsError> {
        match user.time_zone.as_deref().and_then(Zone::parse) {
            Some(zone) => Ok(zone),
            None => Ok(self.site_settings().await?.zone(self.default_zone)),
        }
    }

    /// Revokes every API token of an account.
    async fn revoke_tokens_of(&self, user_id: i64) -> Result<(), LmsError> {
        self.db
            .execute(
                "DELETE FROM api_tokens WHERE user_id = $1",
                &[user_id.into()],
            )
            .await?;
        Ok(())
    }

    pub(crate) async fn password_hash(&self, id: i64) -> Result<Option<String>, LmsError> {
        let row = self
            .db
            .query_opt(
                "SELECT password_hash FROM users WHERE id = $1",
                &[id.into()],
            )
            .await?;
        Ok(row.map(|r| r.get("password_hash")).transpose()?)
    }

    async fn update_user(&self, id: i64, set: &str, value: Value) -> Result<User, LmsError> {
        let sql = format!(
            "UPDATE users SET {set}, updated_at = $3 WHERE id = $1 RETURNING {USER_COLUMNS}"
        );
        let row = self
            .db
            .query_opt(&sql, &[id.into(), value, Value::Time(self.now())])
            .await?;
        User::from_row(&row.ok_or(LmsError::NotFound)?)
    }

    /// Refuses a change that would leave the site without an active administrator.
    async fn keep_an_admin(&self, user: &User, field: &'static str) -> Result<(), LmsError> {
        if user.role != SystemRole::Admin || user.disabled {
            return Ok(());
        }
        let row = self
            .db
            .query_one(
                "SELECT count(*) AS n FROM users
                 WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1",
                &[user.id.into()],
            )
            .await?;
        match row.get::<i64>("n")? {
            0 => Err(LmsError::field(
                field,
                "this is the last active administrator; make someone else an administrator first",
            )),
            _ => Ok(()),
        }
    }
}

impl Lms {
    /// Whether the registration page is open: on an empty site, or when the setting says so.
    pub async fn registration_allowed(&self) -> Result<bool, LmsError> {
        Ok(self.user_count().await? == 0 || self.site_settings().await?.registration_open)
    }
}
