//! Database URLs: which engine a URL names, and its redacted form for logs and errors.

use std::{
    fmt,
    path::{Path, PathBuf},
};

use super::DbError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Postgres,
    Sqlite,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::Sqlite => "sqlite",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A database URL. `Debug` and `Display` never show the password; `expose` does, for the driver.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    raw: String,
    sqlite_path: Option<PathBuf>,
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, DbError> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(DatabaseUrl {
                raw: raw.to_string(),
                sqlite_path: None,
            });
        }
        if let Some(rest) = raw.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() {
                return Err(DbError::Url("the SQLite URL names no file".into()));
            }
            return Ok(Self::sqlite_file(Path::new(path)));
        }
        let scheme = raw.split("://").next().filter(|_| raw.contains("://"));
        Err(DbError::Url(format!(
            "unsupported database URL {}",
            match scheme {
                Some(s) => format!("scheme `{s}`"),
                None => format!("`{}`", redact(raw)),
            }
        )))
    }

    pub fn sqlite_file(path: &Path) -> Self {
        DatabaseUrl {
            raw: format!("sqlite://{}", path.display()),
            sqlite_path: Some(path.to_path_buf()),
        }
    }

    pub fn engine(&self) -> super::Engine {
        if self.sqlite_path.is_some() {
            Engine::Sqlite
        } else {
            Engine::Postgres
        }
    }

    /// The SQLite file; only meaningful for SQLite URLs.
    pub fn sqlite_path(&self) -> &Path {
        self.sqlite_path.as_deref().unwrap_or(Path::new(""))
    }

    /// The URL with its password, for handing to the driver only.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// The same server with another database name (tests and scratch restores use it).
    pub fn with_database(&self, name: &str) -> Result<Self, DbError> {
        let mut url = ::url::Url::parse(&self.raw).map_err(|e| DbError::Url(e.to_string()))?;
        url.set_path(&format!("/{name}"));
        Self::parse(url.as_str())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.raw))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// Replaces the password of a URL (in the user-info part or a `password=` query parameter)
/// with `***`. Text that is not a URL comes back with nothing after a `:` in its user info.
pub fn redact(raw: &str) -> String {
    let Ok(mut url) = ::url::Url::parse(raw) else {
        return match raw.find('@') {
            Some(at) => format!("***{}", &raw[at..]),
            None => raw.to_string(),
        };
    };
    if url.password().is_some() {
        let _ = url.set_password(Some("***"));
    }
    if url.query_pairs().any(|(k, _)| k == "password") {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "password" {
                    "***".into()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        let url = DatabaseUrl::parse("postgres://admin:s3cret@db.example:5432/lms").unwrap();
        assert_eq!(url.to_string(), "postgres://admin:***@db.example:5432/lms");
        assert!(!format!("{url:?}").contains("s3cret"));
        let url = DatabaseUrl::parse("postgresql://db/lms?user=a&password=s3cret").unwrap();
        assert!(!url.to_string().contains("s3cret"));
        assert!(url.to_string().contains("user=a"));
    }

    #[test]
    fn engines_come_from_the_scheme() {
        assert_eq!(
            DatabaseUrl::parse("postgresql://x/y").unwrap().engine(),
            Engine::Postgres
        );
        let lite = DatabaseUrl::parse("sqlite:///var/lib/paideia/paideia.db").unwrap();
        assert_eq!(lite.engine(), Engine::Sqlite);
        assert_eq!(lite.sqlite_path(), Path::new("/var/lib/paideia/paideia.db"));
        assert_eq!(
            DatabaseUrl::parse("sqlite:data/p.db")
                .unwrap()
                .sqlite_path(),
            Path::new("data/p.db")
        );
        let err = DatabaseUrl::parse("mysql://root:pw@h/db")
            .unwrap_err()
            .to_string();
        assert!(err.contains("scheme `mysql`") && !err.contains("pw"));
    }
}
