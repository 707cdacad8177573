//! Site settings kept in `site_settings` (key → text): the site name, whether anyone may
//! register, maintenance mode, the time zone and whether students may make API tokens. Missing keys take their defaults.

use super::{Lms, LmsError, Zone, validate};
use crate::db::{Executor, Row, Value};

const SITE_NAME: &str = "site_name";
const REGISTRATION_OPEN: &str = "registration_open";
const MAINTENANCE_MODE: &str = "maintenance_mode";
const TIME_ZONE: &str = "time_zone";
const STUDENT_API_TOKENS: &str = "student_api_tokens";

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SiteSettings {
    pub site_name: String,
    /// Whether people may create their own accounts (the very first account always may).
    pub registration_open: bool,
    /// While on, only administrators can use the site.
    pub maintenance_mode: bool,
    /// Whether people with a student account may make their own API tokens.
    pub student_api_tokens: bool,
    /// The site's time zone as an administrator chose it (none: `PAIDEIA_TIME_ZONE`, else
    /// the server's zone).
    pub time_zone: Option<String>,
}

impl SiteSettings {
    /// The site's zone: the one chosen, else `default`.
    pub fn zone(&self, default: Zone) -> Zone {
        self.time_zone
            .as_deref()
            .and_then(Zone::parse)
            .unwrap_or(default)
    }
}

/// Every setting as a column of one row (`SELECT` them alone, or beside other columns, as
/// the visitor's one statement does), each named `site_` and its key (so none can clash
/// with a column beside it, such as `users.time_zone`).
pub(crate) fn settings_columns() -> &'static str {
    static COLUMNS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        [
            SITE_NAME,
            REGISTRATION_OPEN,
            MAINTENANCE_MODE,
            STUDENT_API_TOKENS,
            TIME_ZONE,
        ]
        .map(|key| format!("(SELECT value FROM site_settings WHERE key = '{key}') AS site_{key}"))
        .join(", ")
    });
    &COLUMNS
}

impl SiteSettings {
    /// The settings from a row holding `settings_columns()`; missing keys take their defaults.
    pub(crate) fn from_row(row: &Row) -> Result<SiteSettings, LmsError> {
        let text = |key: &str| row.get::<Option<String>>(&format!("site_{key}"));
        let defaults = SiteSettings::default();
        let flag = |key: &str, default: bool| {
            Ok::<_, LmsError>(text(key)?.map_or(default, |v| v == "true"))
        };
        Ok(SiteSettings {
            site_name: text(SITE_NAME)?.unwrap_or(defaults.site_name),
            registration_open: flag(REGISTRATION_OPEN, defaults.registration_open)?,
            maintenance_mode: flag(MAINTENANCE_MODE, defaults.maintenance_mode)?,
            student_api_tokens: flag(STUDENT_API_TOKENS, defaults.student_api_tokens)?,
            time_zone: text(TIME_ZONE)?.filter(|v| !v.is_empty()),
        })
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            site_name: "paideia".to_string(),
            registration_open: false,
            maintenance_mode: false,
            student_api_tokens: false,
            time_zone: None,
        }
    }
}

impl Lms {
    pub async fn site_settings(&self) -> Result<SiteSettings, LmsError> {
        let row = self
            .db
            .query_one(&format!("SELECT {}", settings_columns()), &[])
            .await?;
        SiteSettings::from_row(&row)
    }

    /// Checks and stores all settings at once.
    pub async fn save_site_settings(&self, input: &SiteSettings) -> Result<SiteSettings, LmsError> {
        let mut errors = super::FieldErrors::default();
        let site_name = validate::text(&mut errors, "site_name", &input.site_name, 80);
        let time_zone = match input.time_zone.as_deref().map(str::trim) {
            None | Some("") => String::new(),
            Some(name) => match Zone::parse(name) {
                Some(zone) => zone.name().to_string(),
                None => {
                    errors.add(
                        "time_zone",
                        "choose a time zone from the list, like Europe/Berlin",
                    );
                    String::new()
                }
            },
        };
        errors.into_result()?;
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        for (key, value) in [
            (SITE_NAME, site_name),
            (REGISTRATION_OPEN, input.registration_open.to_string()),
            (MAINTENANCE_MODE, input.maintenance_mode.to_string()),
            (TIME_ZONE, time_zone),
            (STUDENT_API_TOKENS, input.student_api_tokens.to_string()),
        ] {
            tx.execute(
                "INSERT INTO site_settings (key, value, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                &[key.into(), value.into(), Value::Time(now)],
            )
            .await?;
        }
        tx.commit().await?;
        self.site_settings().await
    }
}
