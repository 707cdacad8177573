//! Every environment variable paideia reads, in one place. `docs/cli.md` lists the same names,
//! and a test keeps the two in step.

/// Path of the TOML configuration file.
pub const CONFIG: &str = "PAIDEIA_CONFIG";
/// Directory for the SQLite database, uploaded files and backups (default ./paideia-data).
pub const DATA_DIR: &str = "PAIDEIA_DATA_DIR";
/// Database URL: postgres://… or sqlite://… (default: SQLite in the data directory).
pub const DATABASE_URL: &str = "PAIDEIA_DATABASE_URL";
/// Paideia LMS's name for the database URL, accepted when PAIDEIA_DATABASE_URL is not set.
pub const COMPAT_DATABASE_URL: &str = "DATABASE_URL";
/// Maximum connections in the database pool (default 16).
pub const DB_MAX_CONNECTIONS: &str = "PAIDEIA_DB_MAX_CONNECTIONS";
/// Address `serve` listens on (default 127.0.0.1:3000).
pub const BIND: &str = "PAIDEIA_BIND";
/// Seconds `serve` lets in-flight requests finish after SIGTERM (default 30).
pub const DRAIN_TIMEOUT: &str = "PAIDEIA_DRAIN_TIMEOUT";
/// Log line format: text or json.
pub const LOG_FORMAT: &str = "PAIDEIA_LOG_FORMAT";
/// Log filter in tracing's syntax (for example `info,paideia=debug`); overrides -q and -v.
pub const LOG: &str = "PAIDEIA_LOG";

/// Suffix of the variant that names a file holding a secret (`PAIDEIA_DATABASE_URL_FILE`).
pub const FILE_SUFFIX: &str = "_FILE";

/// (name, what it does) for every variable, in the order the docs list them.
pub const ALL: &[(&str, &str)] = &[
    (CONFIG, "path of the TOML configuration file"),
    (DATA_DIR, "data directory (default ./paideia-data)"),
    (
        DATABASE_URL,
        "database URL, postgres://… or sqlite://… (also PAIDEIA_DATABASE_URL_FILE)",
    ),
    (
        COMPAT_DATABASE_URL,
        "Paideia LMS's name for the database URL (also DATABASE_URL_FILE)",
    ),
    (
        DB_MAX_CONNECTIONS,
        "maximum connections in the database pool (default 16)",
    ),
    (BIND, "address serve listens on (default 127.0.0.1:3000)"),
    (
        DRAIN_TIMEOUT,
        "seconds serve waits for in-flight requests on shutdown (default 30)",
    ),
    (LOG_FORMAT, "log format: text or json (default text)"),
    (LOG, "log filter, for example info,paideia=debug"),
];
