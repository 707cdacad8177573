//! The command-line interface: clap types only (the command tree, flags and help text).
//! Turning them into settings and actions is `commands`' job.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::settings::{Flags, LogFormat};

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
        after_help = "Exit codes: 0 the backup is proven restorable, 3 it is not.\nExample:\n  paideia verify-backup backup.sql.zst --json"
    )]
    VerifyBackup(VerifyBackupArgs),
    /// Run, list, prune and verify scheduled backups [changes data]
    Backup(Unavailable),
    /// Replace this binary with a newer verified release [changes the binary]
    Upgrade(Unavailable),
    /// Manage user accounts [read-only or changes data, per subcommand]
    #[command(
        subcommand,
        after_help = "Examples:\n  paideia user list\n  paideia user create --email ada@example.org --name 'Ada Lovelace' --role instructor"
    )]
    User(UserCommand),
    /// Check configuration, database, migrations, storage, disk, permissions, clock and backups [read-only]
    #[command(
        after_help = "Exit codes: 0 all checks pass, 5 warnings, 3 a check failed.\nExample:\n  paideia doctor --json"
    )]
    Doctor(DoctorArgs),
    /// Fill an empty database with realistic demo data [changes data]
    #[command(after_help = "Example:\n  paideia seed --scale 10")]
    Seed(SeedArgs),

    /// Print systemd units for the server and the daily dump [read-only]
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

/// Arguments of a command that is not in this release yet; accepted so that the message says
/// exactly that instead of a usage error.
#[derive(Debug, Args)]
pub struct Unavailable {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub args: Vec<String>,
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
    /// Set a new password for an account and end its sessions [changes data]
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
pub struct DoctorArgs {}

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
    /// paideia-backup.service: one dump into DATA_DIR/backups
    BackupService,
    /// paideia-backup.timer: runs the dump nightly
    BackupTimer,
}

#[derive(Debug, Args)]
pub struct ServicePrintArgs {
    /// Which unit to print
    #[arg(long, value_enum, default_value = "server")]
    pub unit: UnitArg,
    /// The system user the service runs as
    #[arg(long, default_value = "paideia")]
    pub user: String,
    /// Where the binary is installed [default: this executable]
    #[arg(long, value_name = "PATH")]
    pub binary: Option<PathBuf>,
}
