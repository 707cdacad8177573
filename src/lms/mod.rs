//! The LMS itself: accounts, sessions, sign-in throttling, site settings, courses, sections,
//! enrollments, modules (pages, files, assignments, forums) with their rich text and attachments,
//! discussions (threads and posts), submissions, the gradebook, personal
//! access tokens, the to-do and calendar of each person (with their calendar feeds) and the
//! permission rules over them. Free of HTTP and of SQL dialects; the web
//! handlers and the `paideia user` command call the same functions on one `Lms`.

pub mod accounts;
pub mod agenda;
pub mod announcements;
pub mod assignments;
pub mod attachments;
pub mod clock;
pub mod copy;
pub mod courses;
pub mod discussions;
pub mod enrollments;
pub mod error;
pub mod feeds;
pub mod gradebook;
pub mod grading;
pub mod media;
pub mod modules;
pub mod notifications;
pub mod notify_mail;
pub mod outbox;
pub mod password_resets;
pub mod passwords;
pub mod permissions;
pub mod quizzes;
pub mod richtext;
pub mod rubrics;
pub mod sections;
pub mod sessions;
pub mod settings;
pub mod submissions;
mod text_enum;
mod throttle;
pub mod time;
pub mod tokens;
pub mod trash;
pub mod validate;
pub mod visibility;

use std::sync::Arc;

pub use accounts::{NewAccount, User};
pub use clock::{Clock, ManualClock, SystemClock};
pub use courses::{Course, CourseInput, CourseStatus};
pub use error::{FieldErrors, LineError, LmsError};
pub use outbox::{MailKind, NewMail};
pub use permissions::{CourseRole, SystemRole};
pub use sessions::{ClientInfo, NewSession, SessionUser};
pub use settings::SiteSettings;
pub use time::{TimeError, Zone};

use crate::db::Db;

/// The LMS over one database and one clock. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Lms {
    db: Db,
    clock: Arc<dyn Clock>,
    /// The site's zone until an administrator chooses one (`PAIDEIA_TIME_ZONE`, else the
    /// server's zone).
    default_zone: Zone,
    /// Set once the site is seen to have an account (accounts are never deleted), so the
    /// sign-in page does not count them on every visit.
    has_accounts: Arc<std::sync::atomic::AtomicBool>,
    /// How mail is sent (`with_mail`); none: mail is not configured and nothing is queued.
    mail: Option<outbox::MailSite>,
}

impl Lms {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Lms {
            db,
            clock,
            default_zone: Zone::server(),
            has_accounts: Arc::default(),
            mail: None,
        }
    }

    /// This LMS with `zone` as the site's zone until an administrator chooses one.
    pub fn with_default_zone(mut self, zone: Zone) -> Self {
        self.default_zone = zone;
        self
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Runs `work` with its reads on one pooled connection (`Db::pipeline`): on PostgreSQL a
    /// page's independent reads, joined with `tokio::try_join!`, cost one round trip.
    pub async fn together<T>(
        &self,
        work: impl std::future::Future<Output = Result<T, LmsError>>,
    ) -> Result<T, LmsError> {
        self.db.pipeline(work).await?
    }

    /// Whether the site has no account yet (it then opens on creating its administrator).
    pub async fn is_empty_site(&self) -> Result<bool, LmsError> {
        use std::sync::atomic::Ordering;
        if self.has_accounts.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let empty = self.user_count().await? == 0;
        if !empty {
            self.has_accounts.store(true, Ordering::Relaxed);
        }
        Ok(empty)
    }

    /// The zone of the site until an administrator chooses one.
    pub fn default_zone(&self) -> Zone {
        self.default_zone
    }

    /// The site's zone: the one an administrator chose, else the default.
    pub async fn site_zone(&self) -> Result<Zone, LmsError> {
        Ok(self.site_settings().await?.zone(self.default_zone))
    }

    /// The current time on this LMS's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
