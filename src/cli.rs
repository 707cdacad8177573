//! The command-line interface: clap types only (the command tree, flags and help text).
//! Turning them into settings and actions is `commands`' job.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::settings::{BackupFlags, Flags, LogFormat, Retention};

#[derive(Debug, Parser)]
#[command(
    name = "paideia",
    about = "A learning management system in one binary, with its own operations toolkit",
    long_about = "paideia runs a learning management system (`paideia serve`) and keeps it safe: \
                  migrations, dumps, restores, backups and verified self-upgrades.\n\n\
                  With no configuration it uses SQLite and a files folder under ./paideia-data.",
    disable_version_flag = true,
    arg_required_else_help = true,
    after_help = "Settings: defaults < --config file < environment (PAIDEIA_*) < flags. See docs/cli.md."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    /// Print the version, git commit, build target and schema version, then exit.
    #[arg(short = 'V', long)]
    pub version: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,

    /// TOML configuration file [env: PAIDEIA_CONFIG]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Log format [env: PAIDEIA_LOG_FORMAT] [default: text]
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormatArg>,

    /// Print machine-readable JSON on stdout instead of text
    #[arg(long, global = true)]
    pub json: bool,

    /// Log less (-q: warnings, -qq: errors only)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "verbose")]
    pub quiet: u8,

    /// Log more (-v: debug, -vv: trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LogFormatArg {
    Text,
    Json,
}

impl GlobalArgs {
    pub fn flags(&self) -> Flags {
        Flags {
            config: self.config.clone(),
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            log_format: self.log_format.map(|f| match f {
                LogFormatArg::Text => LogFormat::Text,
                LogFormatArg::Json => LogFormat::Json,
            }),
            bind: None,
            trusted_proxies: Vec::new(),
            backup: Default::default(),
        }
    }

    pub fn verbosity(&self) -> i8 {
        self.verbose.min(10) as i8 - self.quiet.min(10) as i8
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server [changes data: applies pending migrations at start]
    #[command(after_help = "Example:\n  paideia serve --bind 0.0.0.0:3000")]
    Serve(ServeArgs),

    /// Inspect and apply database migrations [read-only or changes data, per subcommand]
    #[command(
        subcommand,
        after_help = "Examples:\n  paideia migrate status\n  paideia migrate up --dry-run"
    )]
    Migrate(MigrateCommand),

    /// Write a consistent, verifiable dump of the database [read-only]
    ///
    /// A dump holds the database only, not uploaded files: `paideia backup run` makes a backup
    /// set of database and files together.
    #[command(
        after_help = "Examples:\n  paideia dump --output backup-$(date +%Y%m%d).sql\n  paideia dump -o backup.sql.zst\n  paideia dump -o - | ssh backup-host 'cat > paideia.sql'"
    )]
    Dump(DumpArgs),
    /// Restore a dump into an empty database, or replace one with --clean [destructive]
    #[command(
        after_help = "Examples:\n  paideia restore backup.sql.zst\n  paideia restore backup.sql --database-url postgres://db/paideia --clean --yes"
    )]
    Restore(RestoreArgs),
    /// Prove that a dump can be restored: hashes, then a trial restore [read-only]
    #[command(
        after_help = "Exit codes: 0 the backup is proven restorable, 3 it is not, 7 it could not be checked (scratch space or database).\nExample:\n  paideia verify-backup backup.sql.zst --json"
    )]
    VerifyBackup(VerifyBackupArgs),
    /// Run, list, prune, verify and restore scheduled backup sets (database + media) [changes data]
    #[command(
        subcommand,
        after_help = "Examples:\n  paideia backup run --keep-daily 7 --keep-weekly 4 --keep-monthly 12\n  paideia backup list\n  paideia backup verify --latest --max-age 26h\n  paideia backup schedule --print cron"
    )]
    Backup(BackupCommand),
    /// Replace this binary with a newer verified release, or roll back [changes the binary]
    #[command(
        after_help = "Verifies SHA256SUMS and its minisign signature against keys compiled into this binary, tries the new binary, dumps the database (verified) and then swaps atomically, keeping the old binary as paideia.previous.\nExit codes with --check: 0 up to date, 6 an update is available.\nExamples:\n  paideia upgrade --check\n  paideia upgrade --yes --restart\n  paideia upgrade --to 1.4.2\n  paideia upgrade --rollback"
    )]
    Upgrade(UpgradeArgs),
    /// Manage user accounts [read-only or changes data, per subcommand]
    #[command(
        subcommand,
        after_help = "Examples:\n  paideia user list\n  paideia user create --email ada@example.org --name 'Ada Lovelace' --role instructor"
    )]
    User(UserCommand),
    /// Check configuration, database, migrations, storage, files, disk, permissions, clock and backups [read-only]
    #[command(
        after_help = "Exit codes: 0 all checks pass, 5 warnings, 3 a check failed.\nExamples:\n  paideia doctor --json\n  paideia doctor --full"
    )]
    Doctor(DoctorArgs),
    /// Maintain the file storage (the files folder or the S3 bucket) [changes data, per subcommand]
    #[command(
        subcommand,
        after_help = "Examples:\n  paideia storage gc --dry-run\n  paideia storage gc --yes"
    )]
    Storage(StorageCommand),
    /// Send mail through the configured SMTP server [read-only]
    #[command(
        subcommand,
        after_help = "Example:\n  paideia mail test --to you@school.org"
    )]
    Mail(MailCommand),
    /// Fill an empty database with realistic demo data [changes data]
    #[command(after_help = "Example:\n  paideia seed --scale 10")]
    Seed(SeedArgs),
    /// Bring a school over from another platform [changes data; reads the source only]
    #[command(
        subcommand,
        after_help = "Examples:\n  S3_BUCKET=paideia S3_ENDPOINT_URL=http://minio:9000 S3_ACCESS_KEY=… S3_SECRET_KEY=… \\\n    paideia import paideia-lms --from postgres://paideia@old-db/paideia --dry-run\n  paideia import paideia-lms --from postgres://paideia@old-db/paideia --files /srv/paideia-lms-bucket"
    )]
    Import(ImportCommand),

    /// Print systemd units for the server and the daily backup [read-only]
    #[command(
        subcommand,
        after_help = "Example:\n  paideia service print > /etc/systemd/system/paideia.service"
    )]
    Service(ServiceCommand),

    /// Print the man page, or write every page into a directory [read-only]
    #[command(after_help = "Example:\n  paideia man --dir /usr/local/share/man/man1")]
    Man(ManArgs),

    /// Print shell completions [read-only]
    #[command(after_help = "Example:\n  paideia completions bash > /etc/bash_completion.d/paideia")]
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; asks for its password on a terminal [changes data]
    #[command(
        after_help = "Examples:\n  paideia user create --email ada@example.org --name 'Ada Lovelace' --role admin\n  printf '%s\\n' \"$PASSWORD\" | paideia user create --email bot@example.org --name Bot --password-stdin"
    )]
    Create(UserCreateArgs),
    /// List every account [read-only]
    #[command(after_help = "Example:\n  paideia user list --json")]
    List,
    /// Change an account's site role [changes data]
    #[command(after_help = "Example:\n  paideia user set-role ada@example.org instructor")]
    SetRole {
        /// The account's email
        email: String,
        /// The new role
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Set a new password for an account, end its sessions and revoke its API tokens [changes data]
    #[command(
        after_help = "Example:\n  printf '%s\\n' \"$NEW_PASSWORD\" | paideia user reset-password ada@example.org --password-stdin"
    )]
    ResetPassword {
        /// The account's email
        email: String,
        #[command(flatten)]
        password: PasswordArgs,
    },
    /// Disable an account and end its sessions [changes data]
    #[command(after_help = "Example:\n  paideia user disable former.student@example.org")]
    Disable {
        /// The account's email
        email: String,
    },
    /// Allow a disabled account to sign in again [changes data]
    #[command(after_help = "Example:\n  paideia user enable returning.student@example.org")]
    Enable {
        /// The account's email
        email: String,
    },
    /// Personal access tokens for the JSON API at /api/v1 [read-only or changes data, per subcommand]
    #[command(
        subcommand,
        after_help = "Examples:\n  paideia user token create --email ada@example.org --name nightly-export\n  paideia user token list --email ada@example.org"
    )]
    Token(TokenCommand),
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a token for an account and print it once on stdout [changes data]
    #[command(
        after_help = "The token is printed once and stored only as a hash; send it as\n`Authorization: Bearer <token>`.\nExample:\n  TOKEN=$(paideia user token create --email ada@example.org --name nightly-export --expires-in-days 90)"
    )]
    Create {
        /// The account the token acts for
        #[arg(long)]
        email: String,
        /// What the token is for
        #[arg(long)]
        name: String,
        /// Days until the token stops working (1 to 3650) [default: never]
        #[arg(long, value_name = "DAYS")]
        expires_in_days: Option<i64>,
    },
    /// List an account's tokens (never the tokens themselves) [read-only]
    #[command(after_help = "Example:\n  paideia user token list --email ada@example.org --json")]
    List {
        /// The account's email
        #[arg(long)]
        email: String,
    },
    /// Revoke one of an account's tokens; scripts using it get 401 [destructive]
    #[command(after_help = "Example:\n  paideia user token revoke --email ada@example.org 3 --yes")]
    Revoke {
        /// The account's email
        #[arg(long)]
        email: String,
        /// The token's id, from `paideia user token list`
        id: i64,
        /// Do not ask for confirmation (for scripts)
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

/// A site role.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
    Admin,
    Instructor,
    Student,
}

#[derive(Debug, Args)]
pub struct UserCreateArgs {
    /// Email address, used to sign in
    #[arg(long)]
    pub email: String,
    /// The name shown to other people
    #[arg(long)]
    pub name: String,
    /// Site role
    #[arg(long, value_enum, default_value = "student")]
    pub role: RoleArg,
    #[command(flatten)]
    pub password: PasswordArgs,
}

#[derive(Debug, Args)]
pub struct PasswordArgs {
    /// Read the password from the first line of stdin instead of asking (for scripts)
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [env: PAIDEIA_BIND] [default: 127.0.0.1:3000]
    #[arg(long, value_name = "HOST:PORT")]
    pub bind: Option<SocketAddr>,
    /// A reverse proxy (address or CIDR range) whose X-Forwarded-For and X-Forwarded-Proto
    /// are believed; repeat for several [env: PAIDEIA_TRUSTED_PROXIES] [default: loopback]
    #[arg(long = "trusted-proxy", value_name = "CIDR")]
    pub trusted_proxies: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Show applied, pending and unknown migrations [read-only]
    #[command(after_help = "Example:\n  paideia migrate status --json")]
    Status,
    /// Apply pending migrations [changes data]
    #[command(
        after_help = "Examples:\n  paideia migrate up --dry-run\n  paideia migrate up --contract --yes"
    )]
    Up(MigrateUpArgs),
    /// Check checksums and compatibility; the exit code says the result [read-only]
    #[command(
        after_help = "Exit codes: 0 the binary can run against the database, 3 it cannot.\nExample:\n  paideia migrate verify || echo 'do not start this binary'"
    )]
    Verify,
}

#[derive(Debug, Args)]
pub struct MigrateUpArgs {
    /// Print the SQL that would run and the locks it takes; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Also apply contract migrations, which older binaries cannot run against [destructive]
    #[arg(long)]
    pub contract: bool,
    /// Do not ask for confirmation (for scripts)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Seconds to wait for another process's migration lock [env: PAIDEIA_MIGRATION_LOCK_TIMEOUT] [default: 120]
    #[arg(long, value_name = "SECONDS")]
    pub lock_timeout: Option<u64>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CompressArg {
    Zstd,
    None,
}

#[derive(Debug, Args)]
pub struct DumpArgs {
    /// File to write (`-` for stdout); `.zst` names are zstd-compressed [default: paideia-dump-DATE-TIME.sql.zst]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Compression, overriding the file name's extension
    #[arg(long, value_enum)]
    pub compress: Option<CompressArg>,
    /// zstd compression level (1 fastest … 19 smallest)
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..=19))]
    pub level: Option<i32>,
    /// Replace the output file if it exists
    #[arg(long)]
    pub force: bool,
    /// PostgreSQL connections copying tables at once
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The dump to restore (.sql or .sql.zst)
    pub file: PathBuf,
    /// Drop everything in the target database first [destructive]
    #[arg(long)]
    pub clean: bool,
    /// With --clean, accept a dump that holds no data (it would leave the database empty)
    #[arg(long)]
    pub allow_empty: bool,
    /// Do not ask for confirmation (for scripts)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct VerifyBackupArgs {
    /// The dump to verify
    pub file: PathBuf,
    /// Check structure and hashes only; skip the trial restore
    #[arg(long)]
    pub quick: bool,
    /// Folder for the scratch SQLite database of the trial restore [env: PAIDEIA_BACKUP_SCRATCH_DIR] [default: DATA_DIR, else the dump's folder]
    #[arg(long, value_name = "DIR")]
    pub scratch_dir: Option<PathBuf>,
}

impl BackupCommand {
    /// The settings this subcommand's flags give (the rest come from the environment and file).
    pub fn flags(&self) -> BackupFlags {
        let (place, retention, recipients) = match self {
            BackupCommand::Run(a) => (Some(&a.place), Some(&a.retention), a.recipients.clone()),
            BackupCommand::List(a) => (Some(&a.place), None, Vec::new()),
            BackupCommand::Prune(a) => (Some(&a.place), Some(&a.retention), Vec::new()),
            BackupCommand::Verify(a) => (Some(&a.place), None, Vec::new()),
            BackupCommand::Restore(a) => (Some(&a.place), None, Vec::new()),
            BackupCommand::Schedule(_) => (None, None, Vec::new()),
            BackupCommand::Key(_) => (None, None, Vec::new()),
        };
        let key_file = match self {
            BackupCommand::Key(BackupKeyCommand::New(a) | BackupKeyCommand::List(a)) => {
                a.key_file.clone()
            }
            _ => place.and_then(|p| p.key_file.clone()),
        };
        let scratch_dir = match self {
            BackupCommand::Verify(a) => a.scratch_dir.clone(),
            _ => None,
        };
        BackupFlags {
            dir: place.and_then(|p| p.dir.clone()),
            to: place.and_then(|p| p.to.clone()),
            retention: retention.map_or_else(Retention::default, |r| Retention {
                daily: r.keep_daily,
                weekly: r.keep_weekly,
                monthly: r.keep_monthly,
            }),
            age_recipients: recipients,
            key_file,
            scratch_dir,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Write a backup set: dump, new media files, manifest; then copy it off-site and prune [changes data]
    #[command(
        after_help = "Prints one summary line (none with --quiet); exits non-zero on any failure, and when the\noff-site copy fails the local set stays.\nExamples:\n  paideia backup run --quiet\n  paideia backup run --to s3://backups/paideia --keep-daily 7 --keep-weekly 4 --keep-monthly 12"
    )]
    Run(BackupRunArgs),
    /// List the sets: age, size, paideia and schema version, verified or not [read-only]
    #[command(
        after_help = "Examples:\n  paideia backup list\n  paideia backup list --remote --json"
    )]
    List(BackupListArgs),
    /// Remove sets the retention policy does not keep, and media no set refers to [destructive]
    #[command(
        after_help = "Never removes the newest good set.\nExample:\n  paideia backup prune --keep-daily 7 --keep-weekly 4 --dry-run"
    )]
    Prune(BackupPruneArgs),
    /// Prove sets restorable (trial restore, media hashes) [read-only: writes only the result]
    #[command(
        after_help = "Exit codes: 0 verified, 3 a set failed (or is not authenticated) or the newest verified set is older than --max-age, 7 a set could not be checked.\nExamples:\n  paideia backup verify --latest\n  paideia backup verify --all --identity /root/paideia-backup.key\n  paideia backup verify --latest --max-age 26h"
    )]
    Verify(BackupVerifyArgs),
    /// Restore a set: the database (into an empty one, or replace with --clean) and its media [destructive]
    #[command(
        after_help = "Example:\n  paideia backup restore 20261126T023000Z --clean --yes --identity /root/paideia-backup.key"
    )]
    Restore(BackupRestoreArgs),
    /// Print a crontab line, or a systemd service and timer, that runs `backup run` nightly [read-only]
    #[command(
        after_help = "Examples:\n  paideia backup schedule --print cron | crontab -\n  paideia backup schedule --print systemd"
    )]
    Schedule(BackupScheduleArgs),
    /// The keys that authenticate sets: make a new one (the first signs, all verify), list them [read-only or changes data, per subcommand]
    #[command(
        subcommand,
        after_help = "Examples:\n  paideia backup key new\n  paideia backup key list --key-file /root/paideia-backup.key"
    )]
    Key(BackupKeyCommand),
}

#[derive(Debug, Subcommand)]
pub enum BackupKeyCommand {
    /// Add a new signing key at the top of the key file (created mode 0600); older keys keep verifying [changes data]
    #[command(
        after_help = "Copy the key file somewhere safe: without it, sets restore only with --trust-unauthenticated.\nExample:\n  paideia backup key new --key-file /etc/paideia/backup.key"
    )]
    New(BackupKeyArgs),
    /// List the ids of the keys in the key file; the first signs [read-only]
    #[command(after_help = "Example:\n  paideia backup key list")]
    List(BackupKeyArgs),
}

#[derive(Debug, Args)]
pub struct BackupKeyArgs {
    /// The key file [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

/// Where sets are kept.
#[derive(Debug, Args)]
pub struct BackupPlaceArgs {
    /// Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]
    #[arg(long, value_name = "s3://BUCKET/PREFIX")]
    pub to: Option<String>,
    /// File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

/// The retention policy.
#[derive(Debug, Args)]
pub struct RetentionArgs {
    /// Keep the newest set of each of the last N days that have one [env: PAIDEIA_BACKUP_KEEP_DAILY]
    #[arg(long, value_name = "N")]
    pub keep_daily: Option<u32>,
    /// Keep the newest set of each of the last N weeks [env: PAIDEIA_BACKUP_KEEP_WEEKLY]
    #[arg(long, value_name = "N")]
    pub keep_weekly: Option<u32>,
    /// Keep the newest set of each of the last N months [env: PAIDEIA_BACKUP_KEEP_MONTHLY]
    #[arg(long, value_name = "N")]
    pub keep_monthly: Option<u32>,
}

#[derive(Debug, Args)]
pub struct BackupRunArgs {
    #[command(flatten)]
    pub place: BackupPlaceArgs,
    #[command(flatten)]
    pub retention: RetentionArgs,
    /// Encrypt the set to this age public key (age1…); repeat for several [env: PAIDEIA_BACKUP_AGE_RECIPIENTS]
    #[arg(long = "recipient", value_name = "AGE_PUBLIC_KEY")]
    pub recipients: Vec<String>,
}

#[derive(Debug, Args)]
pub struct BackupListArgs {
    #[command(flatten)]
    pub place: BackupPlaceArgs,
    /// List the off-site sets (--to) instead of the local ones
    #[arg(long)]
    pub remote: bool,
}

#[derive(Debug, Args)]
pub struct BackupPruneArgs {
    #[command(flatten)]
    pub place: BackupPlaceArgs,
    #[command(flatten)]
    pub retention: RetentionArgs,
    /// Show what would be removed; remove nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct BackupVerifyArgs {
    #[command(flatten)]
    pub place: BackupPlaceArgs,
    /// Verify the newest set (the default)
    #[arg(long, conflicts_with = "all")]
    pub latest: bool,
    /// Verify every set
    #[arg(long)]
    pub all: bool,
    /// Exit 3 when the newest successfully verified set is older than this (for monitoring)
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub max_age: Option<std::time::Duration>,
    /// age identity file (secret key) for encrypted sets
    #[arg(long, value_name = "FILE")]
    pub identity: Option<PathBuf>,
    /// Verify the off-site sets (--to) instead of the local ones
    #[arg(long)]
    pub remote: bool,
    /// Verify sets whose manifest carries no valid MAC from a backup key anyway (prints a warning)
    #[arg(long)]
    pub trust_unauthenticated: bool,
    /// Folder for the scratch SQLite database of the trial restores [env: PAIDEIA_BACKUP_SCRATCH_DIR] [default: a folder in the backup directory]
    #[arg(long, value_name = "DIR")]
    pub scratch_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BackupRestoreArgs {
    /// The set's id, as `paideia backup list` shows it
    pub id: String,
    #[command(flatten)]
    pub place: BackupPlaceArgs,
    /// age identity file (secret key) for an encrypted set
    #[arg(long, value_name = "FILE")]
    pub identity: Option<PathBuf>,
    /// Restore from the off-site copy (--to) instead of the local one
    #[arg(long)]
    pub remote: bool,
    /// Restore a set whose manifest carries no valid MAC from a backup key (prints a warning) [dangerous]
    #[arg(long)]
    pub trust_unauthenticated: bool,
    /// Drop everything in the target database first [destructive]
    #[arg(long)]
    pub clean: bool,
    /// Do not ask for confirmation (for scripts)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ScheduleFormat {
    /// One crontab line
    Cron,
    /// paideia-backup.service and paideia-backup.timer
    Systemd,
}

#[derive(Debug, Args)]
pub struct BackupScheduleArgs {
    /// What to print [default: the crontab line, with how to get the systemd units]
    #[arg(long, value_enum)]
    pub print: Option<ScheduleFormat>,
    /// The system user the backup runs as (systemd)
    #[arg(long, default_value = "paideia")]
    pub user: String,
    /// Where the binary is installed [default: this executable]
    #[arg(long, value_name = "PATH")]
    pub binary: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// Only say whether a newer release exists (exit 6 when one does) and show the notes of every release on the way [read-only]
    #[arg(long, conflicts_with_all = ["rollback", "from_file"])]
    pub check: bool,
    /// List the upgrades and rollbacks recorded in the database, newest first (`--json`) [read-only]
    #[arg(long, conflicts_with_all = ["check", "rollback", "from_file", "to"])]
    pub history: bool,
    /// Upgrade to this version instead of the newest in the current major series
    #[arg(long, value_name = "VERSION")]
    pub to: Option<String>,
    /// Allow moving to another major series (its breaking changes are shown and confirmed)
    #[arg(long)]
    pub allow_major: bool,
    /// Consider pre-releases
    #[arg(long)]
    pub pre: bool,
    /// Allow moving to an older version (never one the database's compatibility record refuses)
    #[arg(long)]
    pub allow_downgrade: bool,
    /// Take releases from this GitHub repository instead of the built-in one
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// Install this binary instead of downloading one (needs --signature)
    #[arg(long, value_name = "BINARY", requires = "signature")]
    pub from_file: Option<PathBuf>,
    /// The minisign signature of the --from-file binary
    #[arg(long, value_name = "FILE", requires = "from_file")]
    pub signature: Option<PathBuf>,
    /// Skip the verified dump of the database before the swap [unsafe]
    #[arg(long)]
    pub no_backup: bool,
    /// Restart the systemd unit afterwards without asking
    #[arg(long)]
    pub restart: bool,
    /// Put the previous binary back and say whether the pre-upgrade dump must be restored
    #[arg(long, conflicts_with_all = ["to", "from_file", "allow_major", "pre"])]
    pub rollback: bool,
    /// Rehearse the upgrade on a scratch copy of this site's data (the newest verified backup
    /// set, or a dump taken now with --fresh): the new binary migrates the copy, the current one
    /// reads it; prints each migration's time and lock and a verdict; installs nothing. Exit 0
    /// safe, 8 safe with downtime, 3 not safe, 7 could not rehearse [read-only]
    #[arg(long, conflicts_with_all = ["check", "history", "rollback", "rehearse_first", "restart"])]
    pub rehearse: bool,
    /// Rehearse first, then upgrade unless the rehearsal says "not safe" (for unattended upgrades)
    #[arg(long, conflicts_with_all = ["check", "history", "rollback"])]
    pub rehearse_first: bool,
    /// Rehearse on a dump of the database taken now instead of the newest verified backup set
    #[arg(long)]
    pub fresh: bool,
    /// Put the rehearsal's scratch database on this PostgreSQL server instead of the configured one
    #[arg(long, value_name = "URL")]
    pub scratch_url: Option<String>,
    /// Do not ask for confirmation (for scripts)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// How much data: about 1,000 rows per unit (100 students, 5 teachers, 4 courses of 25-45)
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub scale: u32,
    /// Random seed; the same seed and scale give the same data
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Add to a database that already has users
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Check that every file the database refers to is stored (default: a random sample of
    /// 200), and list stored files no database row refers to
    #[arg(long)]
    pub full: bool,
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Send one test message straight through the SMTP server (not through the outbox) [read-only]
    #[command(
        after_help = "Exits 1 with a hint when the server refuses, does not answer or rejects the sign-in.\nExample:\n  paideia mail test --to you@school.org"
    )]
    Test(MailTestArgs),
}

#[derive(Debug, Args)]
pub struct MailTestArgs {
    /// The address to send the test message to
    #[arg(long, value_name = "ADDRESS")]
    pub to: String,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import a Paideia LMS (0.7.x) school: accounts with their passwords, courses, content, files, submissions, grades, discussions [changes data]
    #[command(
        after_help = "The source is only read: one read-only snapshot of its database, and its objects from the bucket named by Paideia LMS's own S3_ENDPOINT_URL, S3_ACCESS_KEY, S3_SECRET_KEY, S3_BUCKET and S3_REGION (or --files). This site's own database and storage come from --database-url/PAIDEIA_DATABASE_URL and PAIDEIA_S3_*; DATABASE_URL and S3_* are not read as this site's settings by this command.\nFiles are copied first, then everything is written in one transaction: a failure leaves the site as it was, and a re-run reuses the copied files.\nExamples:\n  paideia import paideia-lms --from postgres://paideia@old-db/paideia --dry-run\n  paideia import paideia-lms --from postgres://paideia@old-db/paideia --json"
    )]
    PaideiaLms(PaideiaLmsArgs),
}

#[derive(Debug, Args)]
pub struct PaideiaLmsArgs {
    /// Paideia LMS's PostgreSQL database (its DATABASE_URL)
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// A folder holding Paideia LMS's objects by key, instead of its S3 bucket
    #[arg(long, value_name = "DIR")]
    pub files: Option<std::path::PathBuf>,
    /// Read everything and report what would be carried over; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import into a site that already has data: accounts with the same email are reused,
    /// nothing existing is changed, and a course whose address is taken gets `-2`
    #[arg(long)]
    pub merge: bool,
}

#[derive(Debug, Subcommand)]
pub enum StorageCommand {
    /// Remove what killed uploads and dumps left (temporary files older than an hour, unfinished S3 uploads) and files no database row refers to (older than a day) [destructive]
    #[command(
        after_help = "Asks before removing files unless --yes; temporary files and unfinished uploads go without asking.\nExamples:\n  paideia storage gc --dry-run\n  paideia storage gc --yes --json"
    )]
    Gc(StorageGcArgs),
}

#[derive(Debug, Args)]
pub struct StorageGcArgs {
    /// List what would be removed; remove nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (for scripts)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write paideia.1 and one page per subcommand into this directory
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ServiceCommand {
    /// Print a hardened systemd unit [read-only]
    #[command(
        after_help = "Examples:\n  paideia service print > /etc/systemd/system/paideia.service\n  paideia service print --unit socket > /etc/systemd/system/paideia.socket\n  paideia service print --unit backup-timer > /etc/systemd/system/paideia-backup.timer"
    )]
    Print(ServicePrintArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum UnitArg {
    /// paideia.service: the web server
    Server,
    /// paideia.socket: the listening socket, kept open across restarts
    Socket,
    /// paideia-backup.service: one `paideia backup run`
    BackupService,
    /// paideia-backup.timer: runs the backup nightly
    BackupTimer,
}

#[derive(Debug, Args)]
pub struct ServicePrintArgs {
    /// Which unit to print [default: the server's and the socket unit it requires]
    #[arg(long, value_enum)]
    pub unit: Option<UnitArg>,
    /// The system user the service runs as
    #[arg(long, default_value = "paideia")]
    pub user: String,
    /// Where the binary is installed [default: this executable]
    #[arg(long, value_name = "PATH")]
    pub binary: Option<PathBuf>,
}
