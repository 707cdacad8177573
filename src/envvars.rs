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
/// Seconds a statement of `serve` may run on PostgreSQL before it is cancelled (default 20).
pub const DB_STATEMENT_TIMEOUT: &str = "PAIDEIA_DB_STATEMENT_TIMEOUT";
/// Seconds a statement of `serve` waits for a lock, or a request for a free connection
/// (default 5).
pub const DB_LOCK_TIMEOUT: &str = "PAIDEIA_DB_LOCK_TIMEOUT";
/// Seconds `serve` and `migrate up` wait for another process's migration lock (default 120).
pub const MIGRATION_LOCK_TIMEOUT: &str = "PAIDEIA_MIGRATION_LOCK_TIMEOUT";
/// Address `serve` listens on (default 127.0.0.1:3000).
pub const BIND: &str = "PAIDEIA_BIND";
/// Seconds `serve` lets in-flight requests finish after SIGTERM (default 30).
pub const DRAIN_TIMEOUT: &str = "PAIDEIA_DRAIN_TIMEOUT";
/// Reverse proxies believed about X-Forwarded-For/-Proto: addresses and CIDR ranges,
/// comma-separated, or `none` (default: loopback).
pub const TRUSTED_PROXIES: &str = "PAIDEIA_TRUSTED_PROXIES";
/// Seconds a client may take to send a request's headers (default 10).
pub const HEADER_TIMEOUT: &str = "PAIDEIA_HEADER_TIMEOUT";
/// Seconds an idle keep-alive connection stays open (default 75).
pub const IDLE_TIMEOUT: &str = "PAIDEIA_IDLE_TIMEOUT";
/// Open connections `serve` accepts at most (default 4096, lowered to fit the file limit).
pub const MAX_CONNECTIONS: &str = "PAIDEIA_MAX_CONNECTIONS";
/// Seconds a request may take before `serve` answers 503 (default 30).
pub const REQUEST_TIMEOUT: &str = "PAIDEIA_REQUEST_TIMEOUT";
/// The site's time zone until an administrator chooses one (an IANA name such as
/// Europe/Berlin; default: the server's zone).
pub const TIME_ZONE: &str = "PAIDEIA_TIME_ZONE";
/// Log line format: text or json.
pub const LOG_FORMAT: &str = "PAIDEIA_LOG_FORMAT";
/// Log filter in tracing's syntax (for example `info,paideia=debug`); overrides -q and -v.
pub const LOG: &str = "PAIDEIA_LOG";

/// S3-compatible endpoint, for example http://127.0.0.1:9000 (default: AWS itself).
pub const S3_ENDPOINT_URL: &str = "PAIDEIA_S3_ENDPOINT_URL";
/// S3 region (default us-east-1).
pub const S3_REGION: &str = "PAIDEIA_S3_REGION";
/// S3 bucket for uploaded files; setting it selects S3 instead of the local folder.
pub const S3_BUCKET: &str = "PAIDEIA_S3_BUCKET";
/// S3 access key ID (also `_FILE`).
pub const S3_ACCESS_KEY: &str = "PAIDEIA_S3_ACCESS_KEY";
/// S3 secret access key (also `_FILE`).
pub const S3_SECRET_KEY: &str = "PAIDEIA_S3_SECRET_KEY";
/// Path-style S3 URLs, true or false (default true when an endpoint is set).
pub const S3_PATH_STYLE: &str = "PAIDEIA_S3_PATH_STYLE";
/// Seconds an S3 request may wait for the server (and the time its retries may take); default 30.
pub const S3_TIMEOUT: &str = "PAIDEIA_S3_TIMEOUT";
/// Paideia LMS's names for the S3 settings, used when ours are not set.
pub const COMPAT_S3_ENDPOINT_URL: &str = "S3_ENDPOINT_URL";
pub const COMPAT_S3_REGION: &str = "S3_REGION";
pub const COMPAT_S3_BUCKET: &str = "S3_BUCKET";
pub const COMPAT_S3_ACCESS_KEY: &str = "S3_ACCESS_KEY";
pub const COMPAT_S3_SECRET_KEY: &str = "S3_SECRET_KEY";

/// The site's address as people reach it, for links in mails (default http://BIND).
pub const PUBLIC_URL: &str = "PAIDEIA_PUBLIC_URL";
/// SMTP server for outgoing mail; without one mail is not configured and nothing is queued.
pub const SMTP_HOST: &str = "PAIDEIA_SMTP_HOST";
/// SMTP port (default by TLS mode: 587 starttls, 465 tls, 25 none).
pub const SMTP_PORT: &str = "PAIDEIA_SMTP_PORT";
/// SMTP connection protection: none, starttls or tls (default starttls).
pub const SMTP_TLS: &str = "PAIDEIA_SMTP_TLS";
/// SMTP user name.
pub const SMTP_USER: &str = "PAIDEIA_SMTP_USER";
/// SMTP password (also `_FILE`).
pub const SMTP_PASSWORD: &str = "PAIDEIA_SMTP_PASSWORD";
/// Sender address of every mail.
pub const SMTP_FROM: &str = "PAIDEIA_SMTP_FROM";
/// Sender name shown beside the address.
pub const SMTP_FROM_NAME: &str = "PAIDEIA_SMTP_FROM_NAME";
/// Seconds connecting and each SMTP step may take (default 30).
pub const SMTP_TIMEOUT: &str = "PAIDEIA_SMTP_TIMEOUT";
/// Attempts at a message before it is given up on (default 8).
pub const MAIL_MAX_ATTEMPTS: &str = "PAIDEIA_MAIL_MAX_ATTEMPTS";
/// Seconds before a mail's first retry, doubling after each (default 60).
pub const MAIL_RETRY: &str = "PAIDEIA_MAIL_RETRY";
/// Paideia LMS's names for the mail settings, used when ours are not set.
pub const COMPAT_SMTP_HOST: &str = "SMTP_HOST";
pub const COMPAT_SMTP_USER: &str = "SMTP_USER";
pub const COMPAT_SMTP_PASSWORD: &str = "SMTP_PASS";
pub const COMPAT_EMAIL_FROM_ADDRESS: &str = "EMAIL_FROM_ADDRESS";
pub const COMPAT_EMAIL_FROM_NAME: &str = "EMAIL_FROM_NAME";

/// Directory of local backup sets (default DATA_DIR/backups).
pub const BACKUP_DIR: &str = "PAIDEIA_BACKUP_DIR";
/// Off-site copy of every backup set: s3://BUCKET/PREFIX (endpoint and keys from PAIDEIA_S3_*).
pub const BACKUP_TO: &str = "PAIDEIA_BACKUP_TO";
/// Retention: newest set of each of the last N days / weeks / months.
pub const BACKUP_KEEP_DAILY: &str = "PAIDEIA_BACKUP_KEEP_DAILY";
pub const BACKUP_KEEP_WEEKLY: &str = "PAIDEIA_BACKUP_KEEP_WEEKLY";
pub const BACKUP_KEEP_MONTHLY: &str = "PAIDEIA_BACKUP_KEEP_MONTHLY";
/// age public keys (age1…, comma-separated) that backup sets are encrypted to.
pub const BACKUP_AGE_RECIPIENTS: &str = "PAIDEIA_BACKUP_AGE_RECIPIENTS";
/// The keys that authenticate backup sets, one 64-hex-digit key a line, the first signs (also
/// `_FILE`, the usual way; default: the file DATA_DIR/backup.key).
pub const BACKUP_KEY: &str = "PAIDEIA_BACKUP_KEY";
/// Folder for the scratch database of `verify-backup` and `backup verify` (default: DATA_DIR).
pub const BACKUP_SCRATCH_DIR: &str = "PAIDEIA_BACKUP_SCRATCH_DIR";
/// Deprecated name of `BACKUP_SCRATCH_DIR` (see `deprecations`), still read.
pub const SCRATCH_DIR: &str = "PAIDEIA_SCRATCH_DIR";
/// A mirror of the GitHub Releases API (`…/releases`) for `upgrade` and install.sh.
pub const RELEASES_URL: &str = "PAIDEIA_RELEASES_URL";
/// A GitHub token for `upgrade`'s API requests (also read: GH_TOKEN, GITHUB_TOKEN).
pub const GITHUB_TOKEN: &str = "PAIDEIA_GITHUB_TOKEN";

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
    (
        DB_STATEMENT_TIMEOUT,
        "seconds a statement of serve may run on PostgreSQL (default 20)",
    ),
    (
        DB_LOCK_TIMEOUT,
        "seconds a statement of serve waits for a lock or a free connection (default 5)",
    ),
    (
        MIGRATION_LOCK_TIMEOUT,
        "seconds to wait for another process's migration lock (default 120)",
    ),
    (BIND, "address serve listens on (default 127.0.0.1:3000)"),
    (
        DRAIN_TIMEOUT,
        "seconds serve waits for in-flight requests on shutdown (default 30)",
    ),
    (
        TRUSTED_PROXIES,
        "reverse proxies believed about the client address (default loopback)",
    ),
    (
        HEADER_TIMEOUT,
        "seconds a client may take to send request headers (default 10)",
    ),
    (
        IDLE_TIMEOUT,
        "seconds an idle keep-alive connection stays open (default 75)",
    ),
    (
        MAX_CONNECTIONS,
        "open connections serve accepts at most (default 4096)",
    ),
    (
        REQUEST_TIMEOUT,
        "seconds a request may take before serve answers 503 (default 30)",
    ),
    (
        TIME_ZONE,
        "the site's time zone, like Europe/Berlin (default: the server's zone)",
    ),
    (LOG_FORMAT, "log format: text or json (default text)"),
    (LOG, "log filter, for example info,paideia=debug"),
    (S3_ENDPOINT_URL, "S3-compatible endpoint URL (default: AWS)"),
    (S3_REGION, "S3 region (default us-east-1)"),
    (
        S3_BUCKET,
        "S3 bucket for uploaded files; selects S3 over the local folder",
    ),
    (
        S3_ACCESS_KEY,
        "S3 access key ID (also PAIDEIA_S3_ACCESS_KEY_FILE)",
    ),
    (
        S3_SECRET_KEY,
        "S3 secret access key (also PAIDEIA_S3_SECRET_KEY_FILE)",
    ),
    (
        S3_PATH_STYLE,
        "path-style S3 URLs, true or false (default true with an endpoint)",
    ),
    (
        S3_TIMEOUT,
        "seconds an S3 request waits for the server, and its retries take at most (default 30)",
    ),
    (
        COMPAT_S3_ENDPOINT_URL,
        "Paideia LMS's name for the S3 endpoint",
    ),
    (COMPAT_S3_REGION, "Paideia LMS's name for the S3 region"),
    (COMPAT_S3_BUCKET, "Paideia LMS's name for the S3 bucket"),
    (
        COMPAT_S3_ACCESS_KEY,
        "Paideia LMS's name for the S3 access key (also S3_ACCESS_KEY_FILE)",
    ),
    (
        COMPAT_S3_SECRET_KEY,
        "Paideia LMS's name for the S3 secret key (also S3_SECRET_KEY_FILE)",
    ),
    (
        PUBLIC_URL,
        "the site's address for links in mails (default http://BIND)",
    ),
    (
        SMTP_HOST,
        "SMTP server for outgoing mail; none: mail is not configured",
    ),
    (
        SMTP_PORT,
        "SMTP port (default 587 for starttls, 465 for tls, 25 for none)",
    ),
    (
        SMTP_TLS,
        "SMTP connection: none, starttls or tls (default starttls)",
    ),
    (SMTP_USER, "SMTP user name"),
    (
        SMTP_PASSWORD,
        "SMTP password (also PAIDEIA_SMTP_PASSWORD_FILE)",
    ),
    (SMTP_FROM, "sender address of mails"),
    (SMTP_FROM_NAME, "sender name of mails"),
    (
        SMTP_TIMEOUT,
        "seconds connecting and each SMTP step may take (default 30)",
    ),
    (
        MAIL_MAX_ATTEMPTS,
        "attempts at a mail before it is given up on (default 8)",
    ),
    (
        MAIL_RETRY,
        "seconds before a mail's first retry, doubling after each (default 60)",
    ),
    (
        COMPAT_SMTP_HOST,
        "Paideia LMS's name for the SMTP server (port 587)",
    ),
    (COMPAT_SMTP_USER, "Paideia LMS's name for the SMTP user"),
    (
        COMPAT_SMTP_PASSWORD,
        "Paideia LMS's name for the SMTP password (also SMTP_PASS_FILE)",
    ),
    (
        COMPAT_EMAIL_FROM_ADDRESS,
        "Paideia LMS's name for the sender address",
    ),
    (
        COMPAT_EMAIL_FROM_NAME,
        "Paideia LMS's name for the sender name",
    ),
    (
        BACKUP_DIR,
        "directory of local backup sets (default DATA_DIR/backups)",
    ),
    (
        BACKUP_TO,
        "off-site copy of backup sets, s3://BUCKET/PREFIX",
    ),
    (
        BACKUP_KEEP_DAILY,
        "retention: keep the newest set of each of the last N days",
    ),
    (
        BACKUP_KEEP_WEEKLY,
        "retention: keep the newest set of each of the last N weeks",
    ),
    (
        BACKUP_KEEP_MONTHLY,
        "retention: keep the newest set of each of the last N months",
    ),
    (
        BACKUP_AGE_RECIPIENTS,
        "age public keys (comma-separated) backup sets are encrypted to",
    ),
    (
        BACKUP_KEY,
        "keys that authenticate backup sets (usually PAIDEIA_BACKUP_KEY_FILE; default DATA_DIR/backup.key)",
    ),
    (
        BACKUP_SCRATCH_DIR,
        "folder for verification's scratch database (default DATA_DIR)",
    ),
    (
        SCRATCH_DIR,
        "deprecated name of PAIDEIA_BACKUP_SCRATCH_DIR (removed in 0.2.0)",
    ),
    (
        RELEASES_URL,
        "releases API URL for upgrade and install.sh (a GitHub Releases API mirror)",
    ),
    (
        GITHUB_TOKEN,
        "GitHub token for upgrade's API requests (GH_TOKEN, GITHUB_TOKEN also read)",
    ),
];
