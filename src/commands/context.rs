//! What every command gets: the resolved settings, the output mode, and a way to open the
//! database.

use crate::{
    db::{Db, Engine, Limits},
    exit::CommandError,
    paths,
    settings::{Settings, create_private_dir},
};

pub struct Context {
    pub settings: Settings,
    /// `--json`: machine-readable output on stdout.
    pub json: bool,
    /// `-q`/`--quiet`: no summary line on success (errors are still printed).
    pub quiet: bool,
}

/// Whether opening the database may create it (an empty SQLite file).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Open {
    CreateIfMissing,
    MustExist,
}

impl Context {
    pub fn new(settings: Settings, json: bool) -> Self {
        Context {
            settings,
            json,
            quiet: false,
        }
    }

    pub async fn connect(&self, open: Open) -> anyhow::Result<Db> {
        self.connect_with(open, Limits::default()).await
    }

    /// `connect` with timeouts and a reserve on the pooled connections (`serve`).
    pub async fn connect_with(&self, open: Open, limits: Limits) -> anyhow::Result<Db> {
        let url = &self.settings.database_url;
        if url.engine() == Engine::Sqlite {
            let path = url.sqlite_path();
            match paths::check_file("database", path, true) {
                Ok(()) => {}
                Err(e) if e.is_missing() && open == Open::CreateIfMissing => {}
                Err(e) if e.is_missing() => {
                    return Err(CommandError::new(format!("no database at {}", path.display()))
                        .hint("start the server once (`paideia serve`) or run `paideia migrate up` to create it, or point --database-url at your database")
                        .into());
                }
                // Not allowed, or not a directory on the way: never reported as missing.
                Err(e) => return Err(CommandError::new(e.to_string()).hint(e.hint()).into()),
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                create_private_dir(dir).map_err(|e| {
                    let problem = paths::classify(&e, dir);
                    let failed = paths::PathError {
                        what: "cannot create the database's directory",
                        path: dir.to_path_buf(),
                        problem,
                    };
                    CommandError::new(failed.to_string()).hint(failed.hint())
                })?;
            }
        }
        Ok(Db::connect_with(url, self.settings.db_max_connections, limits).await?)
    }
}
