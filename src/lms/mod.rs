//! The LMS itself: accounts, sessions, sign-in throttling, site settings, courses, sections,
//! enrollments, modules (pages, files, assignments) with their rich text and attachments, submissions, the gradebook, personal
//! access tokens and the permission rules over them. Free of HTTP and of SQL dialects; the web
//! handlers and the `paideia user` command call the same functions on one `Lms`.

pub mod accounts;
pub mod assignments;
pub mod attachments;
pub mod clock;
pub mod courses;
pub mod enrollments;
pub mod error;
pub mod gradebook;
pub mod media;
pub mod modules;
mod passwords;
pub mod permissions;
pub mod richtext;
pub mod sections;
pub mod sessions;
pub mod settings;
pub mod submissions;
mod text_enum;
mod throttle;
pub mod tokens;
pub mod validate;

use std::sync::Arc;

pub use accounts::{NewAccount, User};
pub use clock::{Clock, ManualClock, SystemClock};
pub use courses::{Course, CourseInput, CourseStatus};
pub use error::{FieldErrors, LineError, LmsError};
pub use permissions::{CourseRole, SystemRole};
pub use sessions::{ClientInfo, NewSession, SessionUser};
pub use settings::SiteSettings;

use crate::db::Db;

/// The LMS over one database and one clock. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Lms {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl Lms {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Lms { db, clock }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The current time on this LMS's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
