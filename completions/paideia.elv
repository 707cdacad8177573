
use builtin;
use str;

set edit:completion:arg-completer[paideia] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'paideia'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'paideia'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -V 'Print the version, git commit, build target and schema version, then exit'
            cand --version 'Print the version, git commit, build target and schema version, then exit'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand serve 'Run the web server [changes data: applies pending migrations at start]'
            cand migrate 'Inspect and apply database migrations [read-only or changes data, per subcommand]'
            cand dump 'Write a consistent, verifiable dump of the database [read-only]'
            cand restore 'Restore a dump into an empty database, or replace one with --clean [destructive]'
            cand verify-backup 'Prove that a dump can be restored: hashes, then a trial restore [read-only]'
            cand backup 'Run, list, prune, verify and restore scheduled backup sets (database + media) [changes data]'
            cand upgrade 'Replace this binary with a newer verified release, or roll back [changes the binary]'
            cand user 'Manage user accounts [read-only or changes data, per subcommand]'
            cand doctor 'Check configuration, database, migrations, storage, files, disk, permissions, clock and backups [read-only]'
            cand storage 'Maintain the file storage (the files folder or the S3 bucket) [changes data, per subcommand]'
            cand mail 'Send mail through the configured SMTP server [read-only]'
            cand seed 'Fill an empty database with realistic demo data [changes data]'
            cand import 'Bring a school over from another platform [changes data; reads the source only]'
            cand service 'Print systemd units for the server and the daily backup [read-only]'
            cand man 'Print the man page, or write every page into a directory [read-only]'
            cand completions 'Print shell completions [read-only]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;serve'= {
            cand --bind 'Address to listen on [env: PAIDEIA_BIND] [default: 127.0.0.1:3000]'
            cand --trusted-proxy 'A reverse proxy (address or CIDR range) whose X-Forwarded-For and X-Forwarded-Proto are believed; repeat for several [env: PAIDEIA_TRUSTED_PROXIES] [default: loopback]'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;migrate'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand status 'Show applied, pending and unknown migrations [read-only]'
            cand up 'Apply pending migrations [changes data]'
            cand verify 'Check checksums and compatibility; the exit code says the result [read-only]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;migrate;status'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;migrate;up'= {
            cand --lock-timeout 'Seconds to wait for another process''s migration lock [env: PAIDEIA_MIGRATION_LOCK_TIMEOUT] [default: 120]'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --dry-run 'Print the SQL that would run and the locks it takes; change nothing'
            cand --contract 'Also apply contract migrations, which older binaries cannot run against [destructive]'
            cand -y 'Do not ask for confirmation (for scripts)'
            cand --yes 'Do not ask for confirmation (for scripts)'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;migrate;verify'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;migrate;help'= {
            cand status 'Show applied, pending and unknown migrations [read-only]'
            cand up 'Apply pending migrations [changes data]'
            cand verify 'Check checksums and compatibility; the exit code says the result [read-only]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;migrate;help;status'= {
        }
        &'paideia;migrate;help;up'= {
        }
        &'paideia;migrate;help;verify'= {
        }
        &'paideia;migrate;help;help'= {
        }
        &'paideia;dump'= {
            cand -o 'File to write (`-` for stdout); `.zst` names are zstd-compressed [default: paideia-dump-DATE-TIME.sql.zst]'
            cand --output 'File to write (`-` for stdout); `.zst` names are zstd-compressed [default: paideia-dump-DATE-TIME.sql.zst]'
            cand --compress 'Compression, overriding the file name''s extension'
            cand --level 'zstd compression level (1 fastest … 19 smallest)'
            cand --jobs 'PostgreSQL connections copying tables at once'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --force 'Replace the output file if it exists'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'paideia;restore'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --clean 'Drop everything in the target database first [destructive]'
            cand --allow-empty 'With --clean, accept a dump that holds no data (it would leave the database empty)'
            cand -y 'Do not ask for confirmation (for scripts)'
            cand --yes 'Do not ask for confirmation (for scripts)'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;verify-backup'= {
            cand --scratch-dir 'Folder for the scratch SQLite database of the trial restore [env: PAIDEIA_BACKUP_SCRATCH_DIR] [default: DATA_DIR, else the dump''s folder]'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --quick 'Check structure and hashes only; skip the trial restore'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;backup'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand run 'Write a backup set: dump, new media files, manifest; then copy it off-site and prune [changes data]'
            cand list 'List the sets: age, size, paideia and schema version, verified or not [read-only]'
            cand prune 'Remove sets the retention policy does not keep, and media no set refers to [destructive]'
            cand verify 'Prove sets restorable (trial restore, media hashes) [read-only: writes only the result]'
            cand restore 'Restore a set: the database (into an empty one, or replace with --clean) and its media [destructive]'
            cand schedule 'Print a crontab line, or a systemd service and timer, that runs `backup run` nightly [read-only]'
            cand key 'The keys that authenticate sets: make a new one (the first signs, all verify), list them [read-only or changes data, per subcommand]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;backup;run'= {
            cand --dir 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]'
            cand --to 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]'
            cand --key-file 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]'
            cand --keep-daily 'Keep the newest set of each of the last N days that have one [env: PAIDEIA_BACKUP_KEEP_DAILY]'
            cand --keep-weekly 'Keep the newest set of each of the last N weeks [env: PAIDEIA_BACKUP_KEEP_WEEKLY]'
            cand --keep-monthly 'Keep the newest set of each of the last N months [env: PAIDEIA_BACKUP_KEEP_MONTHLY]'
            cand --recipient 'Encrypt the set to this age public key (age1…); repeat for several [env: PAIDEIA_BACKUP_AGE_RECIPIENTS]'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;backup;list'= {
            cand --dir 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]'
            cand --to 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]'
            cand --key-file 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --remote 'List the off-site sets (--to) instead of the local ones'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;backup;prune'= {
            cand --dir 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]'
            cand --to 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]'
            cand --key-file 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]'
            cand --keep-daily 'Keep the newest set of each of the last N days that have one [env: PAIDEIA_BACKUP_KEEP_DAILY]'
            cand --keep-weekly 'Keep the newest set of each of the last N weeks [env: PAIDEIA_BACKUP_KEEP_WEEKLY]'
            cand --keep-monthly 'Keep the newest set of each of the last N months [env: PAIDEIA_BACKUP_KEEP_MONTHLY]'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --dry-run 'Show what would be removed; remove nothing'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;backup;verify'= {
            cand --dir 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]'
            cand --to 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]'
            cand --key-file 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]'
            cand --max-age 'Exit 3 when the newest successfully verified set is older than this (for monitoring)'
            cand --identity 'age identity file (secret key) for encrypted sets'
            cand --scratch-dir 'Folder for the scratch SQLite database of the trial restores [env: PAIDEIA_BACKUP_SCRATCH_DIR] [default: a folder in the backup directory]'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --latest 'Verify the newest set (the default)'
            cand --all 'Verify every set'
            cand --remote 'Verify the off-site sets (--to) instead of the local ones'
            cand --trust-unauthenticated 'Verify sets whose manifest carries no valid MAC from a backup key anyway (prints a warning)'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;backup;restore'= {
            cand --dir 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]'
            cand --to 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]'
            cand --key-file 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]'
            cand --identity 'age identity file (secret key) for an encrypted set'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --remote 'Restore from the off-site copy (--to) instead of the local one'
            cand --trust-unauthenticated 'Restore a set whose manifest carries no valid MAC from a backup key (prints a warning) [dangerous]'
            cand --clean 'Drop everything in the target database first [destructive]'
            cand -y 'Do not ask for confirmation (for scripts)'
            cand --yes 'Do not ask for confirmation (for scripts)'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;backup;schedule'= {
            cand --print 'What to print [default: the crontab line, with how to get the systemd units]'
            cand --user 'The system user the backup runs as (systemd)'
            cand --binary 'Where the binary is installed [default: this executable]'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'paideia;backup;key'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand new 'Add a new signing key at the top of the key file (created mode 0600); older keys keep verifying [changes data]'
            cand list 'List the ids of the keys in the key file; the first signs [read-only]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;backup;key;new'= {
            cand --key-file 'The key file [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;backup;key;list'= {
            cand --key-file 'The key file [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;backup;key;help'= {
            cand new 'Add a new signing key at the top of the key file (created mode 0600); older keys keep verifying [changes data]'
            cand list 'List the ids of the keys in the key file; the first signs [read-only]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;backup;key;help;new'= {
        }
        &'paideia;backup;key;help;list'= {
        }
        &'paideia;backup;key;help;help'= {
        }
        &'paideia;backup;help'= {
            cand run 'Write a backup set: dump, new media files, manifest; then copy it off-site and prune [changes data]'
            cand list 'List the sets: age, size, paideia and schema version, verified or not [read-only]'
            cand prune 'Remove sets the retention policy does not keep, and media no set refers to [destructive]'
            cand verify 'Prove sets restorable (trial restore, media hashes) [read-only: writes only the result]'
            cand restore 'Restore a set: the database (into an empty one, or replace with --clean) and its media [destructive]'
            cand schedule 'Print a crontab line, or a systemd service and timer, that runs `backup run` nightly [read-only]'
            cand key 'The keys that authenticate sets: make a new one (the first signs, all verify), list them [read-only or changes data, per subcommand]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;backup;help;run'= {
        }
        &'paideia;backup;help;list'= {
        }
        &'paideia;backup;help;prune'= {
        }
        &'paideia;backup;help;verify'= {
        }
        &'paideia;backup;help;restore'= {
        }
        &'paideia;backup;help;schedule'= {
        }
        &'paideia;backup;help;key'= {
            cand new 'Add a new signing key at the top of the key file (created mode 0600); older keys keep verifying [changes data]'
            cand list 'List the ids of the keys in the key file; the first signs [read-only]'
        }
        &'paideia;backup;help;key;new'= {
        }
        &'paideia;backup;help;key;list'= {
        }
        &'paideia;backup;help;help'= {
        }
        &'paideia;upgrade'= {
            cand --to 'Upgrade to this version instead of the newest in the current major series'
            cand --repo 'Take releases from this GitHub repository instead of the built-in one'
            cand --from-file 'Install this binary instead of downloading one (needs --signature)'
            cand --signature 'The minisign signature of the --from-file binary'
            cand --scratch-url 'Put the rehearsal''s scratch database on this PostgreSQL server instead of the configured one'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --check 'Only say whether a newer release exists (exit 6 when one does) and show the notes of every release on the way [read-only]'
            cand --history 'List the upgrades and rollbacks recorded in the database, newest first (`--json`) [read-only]'
            cand --allow-major 'Allow moving to another major series (its breaking changes are shown and confirmed)'
            cand --pre 'Consider pre-releases'
            cand --allow-downgrade 'Allow moving to an older version (never one the database''s compatibility record refuses)'
            cand --no-backup 'Skip the verified dump of the database before the swap [unsafe]'
            cand --restart 'Restart the systemd unit afterwards without asking'
            cand --rollback 'Put the previous binary back and say whether the pre-upgrade dump must be restored'
            cand --rehearse 'Rehearse the upgrade on a scratch copy of this site''s data (the newest verified backup set, or a dump taken now with --fresh): the new binary migrates the copy, the current one reads it; prints each migration''s time and lock and a verdict; installs nothing. Exit 0 safe, 8 safe with downtime, 3 not safe, 7 could not rehearse [read-only]'
            cand --rehearse-first 'Rehearse first, then upgrade unless the rehearsal says "not safe" (for unattended upgrades)'
            cand --fresh 'Rehearse on a dump of the database taken now instead of the newest verified backup set'
            cand -y 'Do not ask for confirmation (for scripts)'
            cand --yes 'Do not ask for confirmation (for scripts)'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;user'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand create 'Create an account; asks for its password on a terminal [changes data]'
            cand list 'List every account [read-only]'
            cand set-role 'Change an account''s site role [changes data]'
            cand reset-password 'Set a new password for an account, end its sessions and revoke its API tokens [changes data]'
            cand disable 'Disable an account and end its sessions [changes data]'
            cand enable 'Allow a disabled account to sign in again [changes data]'
            cand token 'Personal access tokens for the JSON API at /api/v1 [read-only or changes data, per subcommand]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;user;create'= {
            cand --email 'Email address, used to sign in'
            cand --name 'The name shown to other people'
            cand --role 'Site role'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --password-stdin 'Read the password from the first line of stdin instead of asking (for scripts)'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;user;list'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;user;set-role'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;user;reset-password'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --password-stdin 'Read the password from the first line of stdin instead of asking (for scripts)'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;user;disable'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;user;enable'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;user;token'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand create 'Make a token for an account and print it once on stdout [changes data]'
            cand list 'List an account''s tokens (never the tokens themselves) [read-only]'
            cand revoke 'Revoke one of an account''s tokens; scripts using it get 401 [destructive]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;user;token;create'= {
            cand --email 'The account the token acts for'
            cand --name 'What the token is for'
            cand --expires-in-days 'Days until the token stops working (1 to 3650) [default: never]'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;user;token;list'= {
            cand --email 'The account''s email'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;user;token;revoke'= {
            cand --email 'The account''s email'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand -y 'Do not ask for confirmation (for scripts)'
            cand --yes 'Do not ask for confirmation (for scripts)'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;user;token;help'= {
            cand create 'Make a token for an account and print it once on stdout [changes data]'
            cand list 'List an account''s tokens (never the tokens themselves) [read-only]'
            cand revoke 'Revoke one of an account''s tokens; scripts using it get 401 [destructive]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;user;token;help;create'= {
        }
        &'paideia;user;token;help;list'= {
        }
        &'paideia;user;token;help;revoke'= {
        }
        &'paideia;user;token;help;help'= {
        }
        &'paideia;user;help'= {
            cand create 'Create an account; asks for its password on a terminal [changes data]'
            cand list 'List every account [read-only]'
            cand set-role 'Change an account''s site role [changes data]'
            cand reset-password 'Set a new password for an account, end its sessions and revoke its API tokens [changes data]'
            cand disable 'Disable an account and end its sessions [changes data]'
            cand enable 'Allow a disabled account to sign in again [changes data]'
            cand token 'Personal access tokens for the JSON API at /api/v1 [read-only or changes data, per subcommand]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;user;help;create'= {
        }
        &'paideia;user;help;list'= {
        }
        &'paideia;user;help;set-role'= {
        }
        &'paideia;user;help;reset-password'= {
        }
        &'paideia;user;help;disable'= {
        }
        &'paideia;user;help;enable'= {
        }
        &'paideia;user;help;token'= {
            cand create 'Make a token for an account and print it once on stdout [changes data]'
            cand list 'List an account''s tokens (never the tokens themselves) [read-only]'
            cand revoke 'Revoke one of an account''s tokens; scripts using it get 401 [destructive]'
        }
        &'paideia;user;help;token;create'= {
        }
        &'paideia;user;help;token;list'= {
        }
        &'paideia;user;help;token;revoke'= {
        }
        &'paideia;user;help;help'= {
        }
        &'paideia;doctor'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --full 'Check that every file the database refers to is stored (default: a random sample of 200), and list stored files no database row refers to'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;storage'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand gc 'Remove what killed uploads and dumps left (temporary files older than an hour, unfinished S3 uploads) and files no database row refers to (older than a day) [destructive]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;storage;gc'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --dry-run 'List what would be removed; remove nothing'
            cand -y 'Do not ask for confirmation (for scripts)'
            cand --yes 'Do not ask for confirmation (for scripts)'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;storage;help'= {
            cand gc 'Remove what killed uploads and dumps left (temporary files older than an hour, unfinished S3 uploads) and files no database row refers to (older than a day) [destructive]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;storage;help;gc'= {
        }
        &'paideia;storage;help;help'= {
        }
        &'paideia;mail'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand test 'Send one test message straight through the SMTP server (not through the outbox) [read-only]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;mail;test'= {
            cand --to 'The address to send the test message to'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;mail;help'= {
            cand test 'Send one test message straight through the SMTP server (not through the outbox) [read-only]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;mail;help;test'= {
        }
        &'paideia;mail;help;help'= {
        }
        &'paideia;seed'= {
            cand --scale 'How much data: about 1,000 rows per unit (100 students, 5 teachers, 4 courses of 25-45)'
            cand --seed 'Random seed; the same seed and scale give the same data'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --force 'Add to a database that already has users'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;import'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand paideia-lms 'Import a Paideia LMS (0.7.x) school: accounts with their passwords, courses, content, files, submissions, grades, discussions [changes data]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;import;paideia-lms'= {
            cand --from 'Paideia LMS''s PostgreSQL database (its DATABASE_URL)'
            cand --files 'A folder holding Paideia LMS''s objects by key, instead of its S3 bucket'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --dry-run 'Read everything and report what would be carried over; write nothing'
            cand --merge 'Import into a site that already has data: accounts with the same email are reused, nothing existing is changed, and a course whose address is taken gets `-2`'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;import;help'= {
            cand paideia-lms 'Import a Paideia LMS (0.7.x) school: accounts with their passwords, courses, content, files, submissions, grades, discussions [changes data]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;import;help;paideia-lms'= {
        }
        &'paideia;import;help;help'= {
        }
        &'paideia;service'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand print 'Print a hardened systemd unit [read-only]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;service;print'= {
            cand --unit 'Which unit to print [default: the server''s and the socket unit it requires]'
            cand --user 'The system user the service runs as'
            cand --binary 'Where the binary is installed [default: this executable]'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'paideia;service;help'= {
            cand print 'Print a hardened systemd unit [read-only]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;service;help;print'= {
        }
        &'paideia;service;help;help'= {
        }
        &'paideia;man'= {
            cand --dir 'Write paideia.1 and one page per subcommand into this directory'
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;completions'= {
            cand --data-dir 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]'
            cand --database-url 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]'
            cand --config 'TOML configuration file [env: PAIDEIA_CONFIG]'
            cand --log-format 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]'
            cand --json 'Print machine-readable JSON on stdout instead of text'
            cand -q 'Log less (-q: warnings, -qq: errors only)'
            cand --quiet 'Log less (-q: warnings, -qq: errors only)'
            cand -v 'Log more (-v: debug, -vv: trace)'
            cand --verbose 'Log more (-v: debug, -vv: trace)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paideia;help'= {
            cand serve 'Run the web server [changes data: applies pending migrations at start]'
            cand migrate 'Inspect and apply database migrations [read-only or changes data, per subcommand]'
            cand dump 'Write a consistent, verifiable dump of the database [read-only]'
            cand restore 'Restore a dump into an empty database, or replace one with --clean [destructive]'
            cand verify-backup 'Prove that a dump can be restored: hashes, then a trial restore [read-only]'
            cand backup 'Run, list, prune, verify and restore scheduled backup sets (database + media) [changes data]'
            cand upgrade 'Replace this binary with a newer verified release, or roll back [changes the binary]'
            cand user 'Manage user accounts [read-only or changes data, per subcommand]'
            cand doctor 'Check configuration, database, migrations, storage, files, disk, permissions, clock and backups [read-only]'
            cand storage 'Maintain the file storage (the files folder or the S3 bucket) [changes data, per subcommand]'
            cand mail 'Send mail through the configured SMTP server [read-only]'
            cand seed 'Fill an empty database with realistic demo data [changes data]'
            cand import 'Bring a school over from another platform [changes data; reads the source only]'
            cand service 'Print systemd units for the server and the daily backup [read-only]'
            cand man 'Print the man page, or write every page into a directory [read-only]'
            cand completions 'Print shell completions [read-only]'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paideia;help;serve'= {
        }
        &'paideia;help;migrate'= {
            cand status 'Show applied, pending and unknown migrations [read-only]'
            cand up 'Apply pending migrations [changes data]'
            cand verify 'Check checksums and compatibility; the exit code says the result [read-only]'
        }
        &'paideia;help;migrate;status'= {
        }
        &'paideia;help;migrate;up'= {
        }
        &'paideia;help;migrate;verify'= {
        }
        &'paideia;help;dump'= {
        }
        &'paideia;help;restore'= {
        }
        &'paideia;help;verify-backup'= {
        }
        &'paideia;help;backup'= {
            cand run 'Write a backup set: dump, new media files, manifest; then copy it off-site and prune [changes data]'
            cand list 'List the sets: age, size, paideia and schema version, verified or not [read-only]'
            cand prune 'Remove sets the retention policy does not keep, and media no set refers to [destructive]'
            cand verify 'Prove sets restorable (trial restore, media hashes) [read-only: writes only the result]'
            cand restore 'Restore a set: the database (into an empty one, or replace with --clean) and its media [destructive]'
            cand schedule 'Print a crontab line, or a systemd service and timer, that runs `backup run` nightly [read-only]'
            cand key 'The keys that authenticate sets: make a new one (the first signs, all verify), list them [read-only or changes data, per subcommand]'
        }
        &'paideia;help;backup;run'= {
        }
        &'paideia;help;backup;list'= {
        }
        &'paideia;help;backup;prune'= {
        }
        &'paideia;help;backup;verify'= {
        }
        &'paideia;help;backup;restore'= {
        }
        &'paideia;help;backup;schedule'= {
        }
        &'paideia;help;backup;key'= {
            cand new 'Add a new signing key at the top of the key file (created mode 0600); older keys keep verifying [changes data]'
            cand list 'List the ids of the keys in the key file; the first signs [read-only]'
        }
        &'paideia;help;backup;key;new'= {
        }
        &'paideia;help;backup;key;list'= {
        }
        &'paideia;help;upgrade'= {
        }
        &'paideia;help;user'= {
            cand create 'Create an account; asks for its password on a terminal [changes data]'
            cand list 'List every account [read-only]'
            cand set-role 'Change an account''s site role [changes data]'
            cand reset-password 'Set a new password for an account, end its sessions and revoke its API tokens [changes data]'
            cand disable 'Disable an account and end its sessions [changes data]'
            cand enable 'Allow a disabled account to sign in again [changes data]'
            cand token 'Personal access tokens for the JSON API at /api/v1 [read-only or changes data, per subcommand]'
        }
        &'paideia;help;user;create'= {
        }
        &'paideia;help;user;list'= {
        }
        &'paideia;help;user;set-role'= {
        }
        &'paideia;help;user;reset-password'= {
        }
        &'paideia;help;user;disable'= {
        }
        &'paideia;help;user;enable'= {
        }
        &'paideia;help;user;token'= {
            cand create 'Make a token for an account and print it once on stdout [changes data]'
            cand list 'List an account''s tokens (never the tokens themselves) [read-only]'
            cand revoke 'Revoke one of an account''s tokens; scripts using it get 401 [destructive]'
        }
        &'paideia;help;user;token;create'= {
        }
        &'paideia;help;user;token;list'= {
        }
        &'paideia;help;user;token;revoke'= {
        }
        &'paideia;help;doctor'= {
        }
        &'paideia;help;storage'= {
            cand gc 'Remove what killed uploads and dumps left (temporary files older than an hour, unfinished S3 uploads) and files no database row refers to (older than a day) [destructive]'
        }
        &'paideia;help;storage;gc'= {
        }
        &'paideia;help;mail'= {
            cand test 'Send one test message straight through the SMTP server (not through the outbox) [read-only]'
        }
        &'paideia;help;mail;test'= {
        }
        &'paideia;help;seed'= {
        }
        &'paideia;help;import'= {
            cand paideia-lms 'Import a Paideia LMS (0.7.x) school: accounts with their passwords, courses, content, files, submissions, grades, discussions [changes data]'
        }
        &'paideia;help;import;paideia-lms'= {
        }
        &'paideia;help;service'= {
            cand print 'Print a hardened systemd unit [read-only]'
        }
        &'paideia;help;service;print'= {
        }
        &'paideia;help;man'= {
        }
        &'paideia;help;completions'= {
        }
        &'paideia;help;help'= {
        }
    ]
    $completions[$command]
}
