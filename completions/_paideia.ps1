
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'paideia' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'paideia'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'paideia' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print the version, git commit, build target and schema version, then exit')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print the version, git commit, build target and schema version, then exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the web server [changes data: applies pending migrations at start]')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Inspect and apply database migrations [read-only or changes data, per subcommand]')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Write a consistent, verifiable dump of the database [read-only]')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a dump into an empty database, or replace one with --clean [destructive]')
            [CompletionResult]::new('verify-backup', 'verify-backup', [CompletionResultType]::ParameterValue, 'Prove that a dump can be restored: hashes, then a trial restore [read-only]')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Run, list, prune, verify and restore scheduled backup sets (database + media) [changes data]')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Replace this binary with a newer verified release, or roll back [changes the binary]')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Manage user accounts [read-only or changes data, per subcommand]')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check configuration, database, migrations, storage, files, disk, permissions, clock and backups [read-only]')
            [CompletionResult]::new('storage', 'storage', [CompletionResultType]::ParameterValue, 'Maintain the file storage (the files folder or the S3 bucket) [changes data, per subcommand]')
            [CompletionResult]::new('mail', 'mail', [CompletionResultType]::ParameterValue, 'Send mail through the configured SMTP server [read-only]')
            [CompletionResult]::new('seed', 'seed', [CompletionResultType]::ParameterValue, 'Fill an empty database with realistic demo data [changes data]')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Bring a school over from another platform [changes data; reads the source only]')
            [CompletionResult]::new('service', 'service', [CompletionResultType]::ParameterValue, 'Print systemd units for the server and the daily backup [read-only]')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page, or write every page into a directory [read-only]')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions [read-only]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;serve' {
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address to listen on [env: PAIDEIA_BIND] [default: 127.0.0.1:3000]')
            [CompletionResult]::new('--trusted-proxy', '--trusted-proxy', [CompletionResultType]::ParameterName, 'A reverse proxy (address or CIDR range) whose X-Forwarded-For and X-Forwarded-Proto are believed; repeat for several [env: PAIDEIA_TRUSTED_PROXIES] [default: loopback]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;migrate' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show applied, pending and unknown migrations [read-only]')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Apply pending migrations [changes data]')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check checksums and compatibility; the exit code says the result [read-only]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;migrate;status' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;migrate;up' {
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another process''s migration lock [env: PAIDEIA_MIGRATION_LOCK_TIMEOUT] [default: 120]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the SQL that would run and the locks it takes; change nothing')
            [CompletionResult]::new('--contract', '--contract', [CompletionResultType]::ParameterName, 'Also apply contract migrations, which older binaries cannot run against [destructive]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (for scripts)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (for scripts)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;migrate;verify' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;migrate;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show applied, pending and unknown migrations [read-only]')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Apply pending migrations [changes data]')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check checksums and compatibility; the exit code says the result [read-only]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;migrate;help;status' {
            break
        }
        'paideia;migrate;help;up' {
            break
        }
        'paideia;migrate;help;verify' {
            break
        }
        'paideia;migrate;help;help' {
            break
        }
        'paideia;dump' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'File to write (`-` for stdout); `.zst` names are zstd-compressed [default: paideia-dump-DATE-TIME.sql.zst]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'File to write (`-` for stdout); `.zst` names are zstd-compressed [default: paideia-dump-DATE-TIME.sql.zst]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compression, overriding the file name''s extension')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'zstd compression level (1 fastest … 19 smallest)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'PostgreSQL connections copying tables at once')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the output file if it exists')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'paideia;restore' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--clean', '--clean', [CompletionResultType]::ParameterName, 'Drop everything in the target database first [destructive]')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'With --clean, accept a dump that holds no data (it would leave the database empty)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (for scripts)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (for scripts)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;verify-backup' {
            [CompletionResult]::new('--scratch-dir', '--scratch-dir', [CompletionResultType]::ParameterName, 'Folder for the scratch SQLite database of the trial restore [env: PAIDEIA_BACKUP_SCRATCH_DIR] [default: DATA_DIR, else the dump''s folder]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--quick', '--quick', [CompletionResultType]::ParameterName, 'Check structure and hashes only; skip the trial restore')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;backup' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Write a backup set: dump, new media files, manifest; then copy it off-site and prune [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the sets: age, size, paideia and schema version, verified or not [read-only]')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove sets the retention policy does not keep, and media no set refers to [destructive]')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Prove sets restorable (trial restore, media hashes) [read-only: writes only the result]')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a set: the database (into an empty one, or replace with --clean) and its media [destructive]')
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Print a crontab line, or a systemd service and timer, that runs `backup run` nightly [read-only]')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'The keys that authenticate sets: make a new one (the first signs, all verify), list them [read-only or changes data, per subcommand]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;backup;run' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]')
            [CompletionResult]::new('--keep-daily', '--keep-daily', [CompletionResultType]::ParameterName, 'Keep the newest set of each of the last N days that have one [env: PAIDEIA_BACKUP_KEEP_DAILY]')
            [CompletionResult]::new('--keep-weekly', '--keep-weekly', [CompletionResultType]::ParameterName, 'Keep the newest set of each of the last N weeks [env: PAIDEIA_BACKUP_KEEP_WEEKLY]')
            [CompletionResult]::new('--keep-monthly', '--keep-monthly', [CompletionResultType]::ParameterName, 'Keep the newest set of each of the last N months [env: PAIDEIA_BACKUP_KEEP_MONTHLY]')
            [CompletionResult]::new('--recipient', '--recipient', [CompletionResultType]::ParameterName, 'Encrypt the set to this age public key (age1…); repeat for several [env: PAIDEIA_BACKUP_AGE_RECIPIENTS]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;backup;list' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'List the off-site sets (--to) instead of the local ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;backup;prune' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]')
            [CompletionResult]::new('--keep-daily', '--keep-daily', [CompletionResultType]::ParameterName, 'Keep the newest set of each of the last N days that have one [env: PAIDEIA_BACKUP_KEEP_DAILY]')
            [CompletionResult]::new('--keep-weekly', '--keep-weekly', [CompletionResultType]::ParameterName, 'Keep the newest set of each of the last N weeks [env: PAIDEIA_BACKUP_KEEP_WEEKLY]')
            [CompletionResult]::new('--keep-monthly', '--keep-monthly', [CompletionResultType]::ParameterName, 'Keep the newest set of each of the last N months [env: PAIDEIA_BACKUP_KEEP_MONTHLY]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be removed; remove nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;backup;verify' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Exit 3 when the newest successfully verified set is older than this (for monitoring)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (secret key) for encrypted sets')
            [CompletionResult]::new('--scratch-dir', '--scratch-dir', [CompletionResultType]::ParameterName, 'Folder for the scratch SQLite database of the trial restores [env: PAIDEIA_BACKUP_SCRATCH_DIR] [default: a folder in the backup directory]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--latest', '--latest', [CompletionResultType]::ParameterName, 'Verify the newest set (the default)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Verify every set')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Verify the off-site sets (--to) instead of the local ones')
            [CompletionResult]::new('--trust-unauthenticated', '--trust-unauthenticated', [CompletionResultType]::ParameterName, 'Verify sets whose manifest carries no valid MAC from a backup key anyway (prints a warning)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;backup;restore' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (secret key) for an encrypted set')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Restore from the off-site copy (--to) instead of the local one')
            [CompletionResult]::new('--trust-unauthenticated', '--trust-unauthenticated', [CompletionResultType]::ParameterName, 'Restore a set whose manifest carries no valid MAC from a backup key (prints a warning) [dangerous]')
            [CompletionResult]::new('--clean', '--clean', [CompletionResultType]::ParameterName, 'Drop everything in the target database first [destructive]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (for scripts)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (for scripts)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;backup;schedule' {
            [CompletionResult]::new('--print', '--print', [CompletionResultType]::ParameterName, 'What to print [default: the crontab line, with how to get the systemd units]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The system user the backup runs as (systemd)')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'Where the binary is installed [default: this executable]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'paideia;backup;key' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Add a new signing key at the top of the key file (created mode 0600); older keys keep verifying [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the ids of the keys in the key file; the first signs [read-only]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;backup;key;new' {
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The key file [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;backup;key;list' {
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The key file [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;backup;key;help' {
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Add a new signing key at the top of the key file (created mode 0600); older keys keep verifying [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the ids of the keys in the key file; the first signs [read-only]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;backup;key;help;new' {
            break
        }
        'paideia;backup;key;help;list' {
            break
        }
        'paideia;backup;key;help;help' {
            break
        }
        'paideia;backup;help' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Write a backup set: dump, new media files, manifest; then copy it off-site and prune [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the sets: age, size, paideia and schema version, verified or not [read-only]')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove sets the retention policy does not keep, and media no set refers to [destructive]')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Prove sets restorable (trial restore, media hashes) [read-only: writes only the result]')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a set: the database (into an empty one, or replace with --clean) and its media [destructive]')
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Print a crontab line, or a systemd service and timer, that runs `backup run` nightly [read-only]')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'The keys that authenticate sets: make a new one (the first signs, all verify), list them [read-only or changes data, per subcommand]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;backup;help;run' {
            break
        }
        'paideia;backup;help;list' {
            break
        }
        'paideia;backup;help;prune' {
            break
        }
        'paideia;backup;help;verify' {
            break
        }
        'paideia;backup;help;restore' {
            break
        }
        'paideia;backup;help;schedule' {
            break
        }
        'paideia;backup;help;key' {
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Add a new signing key at the top of the key file (created mode 0600); older keys keep verifying [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the ids of the keys in the key file; the first signs [read-only]')
            break
        }
        'paideia;backup;help;key;new' {
            break
        }
        'paideia;backup;help;key;list' {
            break
        }
        'paideia;backup;help;help' {
            break
        }
        'paideia;upgrade' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Upgrade to this version instead of the newest in the current major series')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Take releases from this GitHub repository instead of the built-in one')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Install this binary instead of downloading one (needs --signature)')
            [CompletionResult]::new('--signature', '--signature', [CompletionResultType]::ParameterName, 'The minisign signature of the --from-file binary')
            [CompletionResult]::new('--scratch-url', '--scratch-url', [CompletionResultType]::ParameterName, 'Put the rehearsal''s scratch database on this PostgreSQL server instead of the configured one')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Only say whether a newer release exists (exit 6 when one does) and show the notes of every release on the way [read-only]')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'List the upgrades and rollbacks recorded in the database, newest first (`--json`) [read-only]')
            [CompletionResult]::new('--allow-major', '--allow-major', [CompletionResultType]::ParameterName, 'Allow moving to another major series (its breaking changes are shown and confirmed)')
            [CompletionResult]::new('--pre', '--pre', [CompletionResultType]::ParameterName, 'Consider pre-releases')
            [CompletionResult]::new('--allow-downgrade', '--allow-downgrade', [CompletionResultType]::ParameterName, 'Allow moving to an older version (never one the database''s compatibility record refuses)')
            [CompletionResult]::new('--no-backup', '--no-backup', [CompletionResultType]::ParameterName, 'Skip the verified dump of the database before the swap [unsafe]')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'Restart the systemd unit afterwards without asking')
            [CompletionResult]::new('--rollback', '--rollback', [CompletionResultType]::ParameterName, 'Put the previous binary back and say whether the pre-upgrade dump must be restored')
            [CompletionResult]::new('--rehearse', '--rehearse', [CompletionResultType]::ParameterName, 'Rehearse the upgrade on a scratch copy of this site''s data (the newest verified backup set, or a dump taken now with --fresh): the new binary migrates the copy, the current one reads it; prints each migration''s time and lock and a verdict; installs nothing. Exit 0 safe, 8 safe with downtime, 3 not safe, 7 could not rehearse [read-only]')
            [CompletionResult]::new('--rehearse-first', '--rehearse-first', [CompletionResultType]::ParameterName, 'Rehearse first, then upgrade unless the rehearsal says "not safe" (for unattended upgrades)')
            [CompletionResult]::new('--fresh', '--fresh', [CompletionResultType]::ParameterName, 'Rehearse on a dump of the database taken now instead of the newest verified backup set')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (for scripts)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (for scripts)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;user' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an account; asks for its password on a terminal [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every account [read-only]')
            [CompletionResult]::new('set-role', 'set-role', [CompletionResultType]::ParameterValue, 'Change an account''s site role [changes data]')
            [CompletionResult]::new('reset-password', 'reset-password', [CompletionResultType]::ParameterValue, 'Set a new password for an account, end its sessions and revoke its API tokens [changes data]')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable an account and end its sessions [changes data]')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Allow a disabled account to sign in again [changes data]')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Personal access tokens for the JSON API at /api/v1 [read-only or changes data, per subcommand]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;user;create' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Email address, used to sign in')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The name shown to other people')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Site role')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of stdin instead of asking (for scripts)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;user;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;user;set-role' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;user;reset-password' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of stdin instead of asking (for scripts)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;user;disable' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;user;enable' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;user;token' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a token for an account and print it once on stdout [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List an account''s tokens (never the tokens themselves) [read-only]')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke one of an account''s tokens; scripts using it get 401 [destructive]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;user;token;create' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'The account the token acts for')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'What the token is for')
            [CompletionResult]::new('--expires-in-days', '--expires-in-days', [CompletionResultType]::ParameterName, 'Days until the token stops working (1 to 3650) [default: never]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;user;token;list' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'The account''s email')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;user;token;revoke' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'The account''s email')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (for scripts)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (for scripts)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;user;token;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a token for an account and print it once on stdout [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List an account''s tokens (never the tokens themselves) [read-only]')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke one of an account''s tokens; scripts using it get 401 [destructive]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;user;token;help;create' {
            break
        }
        'paideia;user;token;help;list' {
            break
        }
        'paideia;user;token;help;revoke' {
            break
        }
        'paideia;user;token;help;help' {
            break
        }
        'paideia;user;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an account; asks for its password on a terminal [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every account [read-only]')
            [CompletionResult]::new('set-role', 'set-role', [CompletionResultType]::ParameterValue, 'Change an account''s site role [changes data]')
            [CompletionResult]::new('reset-password', 'reset-password', [CompletionResultType]::ParameterValue, 'Set a new password for an account, end its sessions and revoke its API tokens [changes data]')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable an account and end its sessions [changes data]')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Allow a disabled account to sign in again [changes data]')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Personal access tokens for the JSON API at /api/v1 [read-only or changes data, per subcommand]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;user;help;create' {
            break
        }
        'paideia;user;help;list' {
            break
        }
        'paideia;user;help;set-role' {
            break
        }
        'paideia;user;help;reset-password' {
            break
        }
        'paideia;user;help;disable' {
            break
        }
        'paideia;user;help;enable' {
            break
        }
        'paideia;user;help;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a token for an account and print it once on stdout [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List an account''s tokens (never the tokens themselves) [read-only]')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke one of an account''s tokens; scripts using it get 401 [destructive]')
            break
        }
        'paideia;user;help;token;create' {
            break
        }
        'paideia;user;help;token;list' {
            break
        }
        'paideia;user;help;token;revoke' {
            break
        }
        'paideia;user;help;help' {
            break
        }
        'paideia;doctor' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'Check that every file the database refers to is stored (default: a random sample of 200), and list stored files no database row refers to')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;storage' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Remove what killed uploads and dumps left (temporary files older than an hour, unfinished S3 uploads) and files no database row refers to (older than a day) [destructive]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;storage;gc' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List what would be removed; remove nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (for scripts)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (for scripts)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;storage;help' {
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Remove what killed uploads and dumps left (temporary files older than an hour, unfinished S3 uploads) and files no database row refers to (older than a day) [destructive]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;storage;help;gc' {
            break
        }
        'paideia;storage;help;help' {
            break
        }
        'paideia;mail' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send one test message straight through the SMTP server (not through the outbox) [read-only]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;mail;test' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The address to send the test message to')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;mail;help' {
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send one test message straight through the SMTP server (not through the outbox) [read-only]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;mail;help;test' {
            break
        }
        'paideia;mail;help;help' {
            break
        }
        'paideia;seed' {
            [CompletionResult]::new('--scale', '--scale', [CompletionResultType]::ParameterName, 'How much data: about 1,000 rows per unit (100 students, 5 teachers, 4 courses of 25-45)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Random seed; the same seed and scale give the same data')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Add to a database that already has users')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;import' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('paideia-lms', 'paideia-lms', [CompletionResultType]::ParameterValue, 'Import a Paideia LMS (0.7.x) school: accounts with their passwords, courses, content, files, submissions, grades, discussions [changes data]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;import;paideia-lms' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Paideia LMS''s PostgreSQL database (its DATABASE_URL)')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'A folder holding Paideia LMS''s objects by key, instead of its S3 bucket')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read everything and report what would be carried over; write nothing')
            [CompletionResult]::new('--merge', '--merge', [CompletionResultType]::ParameterName, 'Import into a site that already has data: accounts with the same email are reused, nothing existing is changed, and a course whose address is taken gets `-2`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;import;help' {
            [CompletionResult]::new('paideia-lms', 'paideia-lms', [CompletionResultType]::ParameterValue, 'Import a Paideia LMS (0.7.x) school: accounts with their passwords, courses, content, files, submissions, grades, discussions [changes data]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;import;help;paideia-lms' {
            break
        }
        'paideia;import;help;help' {
            break
        }
        'paideia;service' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('print', 'print', [CompletionResultType]::ParameterValue, 'Print a hardened systemd unit [read-only]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;service;print' {
            [CompletionResult]::new('--unit', '--unit', [CompletionResultType]::ParameterName, 'Which unit to print [default: the server''s and the socket unit it requires]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The system user the service runs as')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'Where the binary is installed [default: this executable]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'paideia;service;help' {
            [CompletionResult]::new('print', 'print', [CompletionResultType]::ParameterValue, 'Print a hardened systemd unit [read-only]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;service;help;print' {
            break
        }
        'paideia;service;help;help' {
            break
        }
        'paideia;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write paideia.1 and one page per subcommand into this directory')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;completions' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML configuration file [env: PAIDEIA_CONFIG]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Log less (-q: warnings, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (-v: debug, -vv: trace)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paideia;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the web server [changes data: applies pending migrations at start]')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Inspect and apply database migrations [read-only or changes data, per subcommand]')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Write a consistent, verifiable dump of the database [read-only]')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a dump into an empty database, or replace one with --clean [destructive]')
            [CompletionResult]::new('verify-backup', 'verify-backup', [CompletionResultType]::ParameterValue, 'Prove that a dump can be restored: hashes, then a trial restore [read-only]')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Run, list, prune, verify and restore scheduled backup sets (database + media) [changes data]')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Replace this binary with a newer verified release, or roll back [changes the binary]')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Manage user accounts [read-only or changes data, per subcommand]')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check configuration, database, migrations, storage, files, disk, permissions, clock and backups [read-only]')
            [CompletionResult]::new('storage', 'storage', [CompletionResultType]::ParameterValue, 'Maintain the file storage (the files folder or the S3 bucket) [changes data, per subcommand]')
            [CompletionResult]::new('mail', 'mail', [CompletionResultType]::ParameterValue, 'Send mail through the configured SMTP server [read-only]')
            [CompletionResult]::new('seed', 'seed', [CompletionResultType]::ParameterValue, 'Fill an empty database with realistic demo data [changes data]')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Bring a school over from another platform [changes data; reads the source only]')
            [CompletionResult]::new('service', 'service', [CompletionResultType]::ParameterValue, 'Print systemd units for the server and the daily backup [read-only]')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page, or write every page into a directory [read-only]')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions [read-only]')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paideia;help;serve' {
            break
        }
        'paideia;help;migrate' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show applied, pending and unknown migrations [read-only]')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Apply pending migrations [changes data]')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check checksums and compatibility; the exit code says the result [read-only]')
            break
        }
        'paideia;help;migrate;status' {
            break
        }
        'paideia;help;migrate;up' {
            break
        }
        'paideia;help;migrate;verify' {
            break
        }
        'paideia;help;dump' {
            break
        }
        'paideia;help;restore' {
            break
        }
        'paideia;help;verify-backup' {
            break
        }
        'paideia;help;backup' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Write a backup set: dump, new media files, manifest; then copy it off-site and prune [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the sets: age, size, paideia and schema version, verified or not [read-only]')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove sets the retention policy does not keep, and media no set refers to [destructive]')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Prove sets restorable (trial restore, media hashes) [read-only: writes only the result]')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a set: the database (into an empty one, or replace with --clean) and its media [destructive]')
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Print a crontab line, or a systemd service and timer, that runs `backup run` nightly [read-only]')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'The keys that authenticate sets: make a new one (the first signs, all verify), list them [read-only or changes data, per subcommand]')
            break
        }
        'paideia;help;backup;run' {
            break
        }
        'paideia;help;backup;list' {
            break
        }
        'paideia;help;backup;prune' {
            break
        }
        'paideia;help;backup;verify' {
            break
        }
        'paideia;help;backup;restore' {
            break
        }
        'paideia;help;backup;schedule' {
            break
        }
        'paideia;help;backup;key' {
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Add a new signing key at the top of the key file (created mode 0600); older keys keep verifying [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the ids of the keys in the key file; the first signs [read-only]')
            break
        }
        'paideia;help;backup;key;new' {
            break
        }
        'paideia;help;backup;key;list' {
            break
        }
        'paideia;help;upgrade' {
            break
        }
        'paideia;help;user' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an account; asks for its password on a terminal [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every account [read-only]')
            [CompletionResult]::new('set-role', 'set-role', [CompletionResultType]::ParameterValue, 'Change an account''s site role [changes data]')
            [CompletionResult]::new('reset-password', 'reset-password', [CompletionResultType]::ParameterValue, 'Set a new password for an account, end its sessions and revoke its API tokens [changes data]')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable an account and end its sessions [changes data]')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Allow a disabled account to sign in again [changes data]')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Personal access tokens for the JSON API at /api/v1 [read-only or changes data, per subcommand]')
            break
        }
        'paideia;help;user;create' {
            break
        }
        'paideia;help;user;list' {
            break
        }
        'paideia;help;user;set-role' {
            break
        }
        'paideia;help;user;reset-password' {
            break
        }
        'paideia;help;user;disable' {
            break
        }
        'paideia;help;user;enable' {
            break
        }
        'paideia;help;user;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a token for an account and print it once on stdout [changes data]')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List an account''s tokens (never the tokens themselves) [read-only]')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke one of an account''s tokens; scripts using it get 401 [destructive]')
            break
        }
        'paideia;help;user;token;create' {
            break
        }
        'paideia;help;user;token;list' {
            break
        }
        'paideia;help;user;token;revoke' {
            break
        }
        'paideia;help;doctor' {
            break
        }
        'paideia;help;storage' {
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Remove what killed uploads and dumps left (temporary files older than an hour, unfinished S3 uploads) and files no database row refers to (older than a day) [destructive]')
            break
        }
        'paideia;help;storage;gc' {
            break
        }
        'paideia;help;mail' {
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send one test message straight through the SMTP server (not through the outbox) [read-only]')
            break
        }
        'paideia;help;mail;test' {
            break
        }
        'paideia;help;seed' {
            break
        }
        'paideia;help;import' {
            [CompletionResult]::new('paideia-lms', 'paideia-lms', [CompletionResultType]::ParameterValue, 'Import a Paideia LMS (0.7.x) school: accounts with their passwords, courses, content, files, submissions, grades, discussions [changes data]')
            break
        }
        'paideia;help;import;paideia-lms' {
            break
        }
        'paideia;help;service' {
            [CompletionResult]::new('print', 'print', [CompletionResultType]::ParameterValue, 'Print a hardened systemd unit [read-only]')
            break
        }
        'paideia;help;service;print' {
            break
        }
        'paideia;help;man' {
            break
        }
        'paideia;help;completions' {
            break
        }
        'paideia;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
