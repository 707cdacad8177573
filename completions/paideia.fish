# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_paideia_global_optspecs
    string join \n data-dir= database-url= config= log-format= json q/quiet v/verbose V/version h/help
end

function __fish_paideia_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_paideia_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_paideia_using_subcommand
    set -l cmd (__fish_paideia_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c paideia -n "__fish_paideia_needs_command" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_needs_command" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_needs_command" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_needs_command" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_needs_command" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_needs_command" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_needs_command" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_needs_command" -s V -l version -d 'Print the version, git commit, build target and schema version, then exit'
complete -c paideia -n "__fish_paideia_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "serve" -d 'Run the web server [changes data: applies pending migrations at start]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "migrate" -d 'Inspect and apply database migrations [read-only or changes data, per subcommand]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "dump" -d 'Write a consistent, verifiable dump of the database [read-only]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "restore" -d 'Restore a dump into an empty database, or replace one with --clean [destructive]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "verify-backup" -d 'Prove that a dump can be restored: hashes, then a trial restore [read-only]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "backup" -d 'Run, list, prune, verify and restore scheduled backup sets (database + media) [changes data]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "upgrade" -d 'Replace this binary with a newer verified release, or roll back [changes the binary]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "user" -d 'Manage user accounts [read-only or changes data, per subcommand]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "doctor" -d 'Check configuration, database, migrations, storage, files, disk, permissions, clock and backups [read-only]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "storage" -d 'Maintain the file storage (the files folder or the S3 bucket) [changes data, per subcommand]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "mail" -d 'Send mail through the configured SMTP server [read-only]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "seed" -d 'Fill an empty database with realistic demo data [changes data]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "import" -d 'Bring a school over from another platform [changes data; reads the source only]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "service" -d 'Print systemd units for the server and the daily backup [read-only]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "man" -d 'Print the man page, or write every page into a directory [read-only]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "completions" -d 'Print shell completions [read-only]'
complete -c paideia -n "__fish_paideia_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand serve" -l bind -d 'Address to listen on [env: PAIDEIA_BIND] [default: 127.0.0.1:3000]' -r
complete -c paideia -n "__fish_paideia_using_subcommand serve" -l trusted-proxy -d 'A reverse proxy (address or CIDR range) whose X-Forwarded-For and X-Forwarded-Proto are believed; repeat for several [env: PAIDEIA_TRUSTED_PROXIES] [default: loopback]' -r
complete -c paideia -n "__fish_paideia_using_subcommand serve" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand serve" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand serve" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand serve" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand serve" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand serve" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand serve" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand serve" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and not __fish_seen_subcommand_from status up verify help" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and not __fish_seen_subcommand_from status up verify help" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and not __fish_seen_subcommand_from status up verify help" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and not __fish_seen_subcommand_from status up verify help" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and not __fish_seen_subcommand_from status up verify help" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and not __fish_seen_subcommand_from status up verify help" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and not __fish_seen_subcommand_from status up verify help" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and not __fish_seen_subcommand_from status up verify help" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and not __fish_seen_subcommand_from status up verify help" -f -a "status" -d 'Show applied, pending and unknown migrations [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and not __fish_seen_subcommand_from status up verify help" -f -a "up" -d 'Apply pending migrations [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and not __fish_seen_subcommand_from status up verify help" -f -a "verify" -d 'Check checksums and compatibility; the exit code says the result [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and not __fish_seen_subcommand_from status up verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from status" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from status" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from status" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from status" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from status" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from up" -l lock-timeout -d 'Seconds to wait for another process\'s migration lock [env: PAIDEIA_MIGRATION_LOCK_TIMEOUT] [default: 120]' -r
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from up" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from up" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from up" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from up" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from up" -l dry-run -d 'Print the SQL that would run and the locks it takes; change nothing'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from up" -l contract -d 'Also apply contract migrations, which older binaries cannot run against [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from up" -s y -l yes -d 'Do not ask for confirmation (for scripts)'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from up" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from up" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from up" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from up" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from verify" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from verify" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from verify" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from verify" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from verify" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show applied, pending and unknown migrations [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "up" -d 'Apply pending migrations [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check checksums and compatibility; the exit code says the result [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand dump" -s o -l output -d 'File to write (`-` for stdout); `.zst` names are zstd-compressed [default: paideia-dump-DATE-TIME.sql.zst]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand dump" -l compress -d 'Compression, overriding the file name\'s extension' -r -f -a "zstd\t''
none\t''"
complete -c paideia -n "__fish_paideia_using_subcommand dump" -l level -d 'zstd compression level (1 fastest … 19 smallest)' -r
complete -c paideia -n "__fish_paideia_using_subcommand dump" -l jobs -d 'PostgreSQL connections copying tables at once' -r
complete -c paideia -n "__fish_paideia_using_subcommand dump" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand dump" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand dump" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand dump" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand dump" -l force -d 'Replace the output file if it exists'
complete -c paideia -n "__fish_paideia_using_subcommand dump" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand dump" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand dump" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand dump" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paideia -n "__fish_paideia_using_subcommand restore" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand restore" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand restore" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand restore" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand restore" -l clean -d 'Drop everything in the target database first [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand restore" -l allow-empty -d 'With --clean, accept a dump that holds no data (it would leave the database empty)'
complete -c paideia -n "__fish_paideia_using_subcommand restore" -s y -l yes -d 'Do not ask for confirmation (for scripts)'
complete -c paideia -n "__fish_paideia_using_subcommand restore" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand restore" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand restore" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand restore" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand verify-backup" -l scratch-dir -d 'Folder for the scratch SQLite database of the trial restore [env: PAIDEIA_BACKUP_SCRATCH_DIR] [default: DATA_DIR, else the dump\'s folder]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand verify-backup" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand verify-backup" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand verify-backup" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand verify-backup" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand verify-backup" -l quick -d 'Check structure and hashes only; skip the trial restore'
complete -c paideia -n "__fish_paideia_using_subcommand verify-backup" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand verify-backup" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand verify-backup" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand verify-backup" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -f -a "run" -d 'Write a backup set: dump, new media files, manifest; then copy it off-site and prune [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -f -a "list" -d 'List the sets: age, size, paideia and schema version, verified or not [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -f -a "prune" -d 'Remove sets the retention policy does not keep, and media no set refers to [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -f -a "verify" -d 'Prove sets restorable (trial restore, media hashes) [read-only: writes only the result]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -f -a "restore" -d 'Restore a set: the database (into an empty one, or replace with --clean) and its media [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -f -a "schedule" -d 'Print a crontab line, or a systemd service and timer, that runs `backup run` nightly [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -f -a "key" -d 'The keys that authenticate sets: make a new one (the first signs, all verify), list them [read-only or changes data, per subcommand]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and not __fish_seen_subcommand_from run list prune verify restore schedule key help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -l dir -d 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -l to -d 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -l key-file -d 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -l keep-daily -d 'Keep the newest set of each of the last N days that have one [env: PAIDEIA_BACKUP_KEEP_DAILY]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -l keep-weekly -d 'Keep the newest set of each of the last N weeks [env: PAIDEIA_BACKUP_KEEP_WEEKLY]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -l keep-monthly -d 'Keep the newest set of each of the last N months [env: PAIDEIA_BACKUP_KEEP_MONTHLY]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -l recipient -d 'Encrypt the set to this age public key (age1…); repeat for several [env: PAIDEIA_BACKUP_AGE_RECIPIENTS]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from list" -l dir -d 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from list" -l to -d 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from list" -l key-file -d 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from list" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from list" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from list" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from list" -l remote -d 'List the off-site sets (--to) instead of the local ones'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from list" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -l dir -d 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -l to -d 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -l key-file -d 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -l keep-daily -d 'Keep the newest set of each of the last N days that have one [env: PAIDEIA_BACKUP_KEEP_DAILY]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -l keep-weekly -d 'Keep the newest set of each of the last N weeks [env: PAIDEIA_BACKUP_KEEP_WEEKLY]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -l keep-monthly -d 'Keep the newest set of each of the last N months [env: PAIDEIA_BACKUP_KEEP_MONTHLY]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -l dry-run -d 'Show what would be removed; remove nothing'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l dir -d 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l to -d 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l key-file -d 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l max-age -d 'Exit 3 when the newest successfully verified set is older than this (for monitoring)' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l identity -d 'age identity file (secret key) for encrypted sets' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l scratch-dir -d 'Folder for the scratch SQLite database of the trial restores [env: PAIDEIA_BACKUP_SCRATCH_DIR] [default: a folder in the backup directory]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l latest -d 'Verify the newest set (the default)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l all -d 'Verify every set'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l remote -d 'Verify the off-site sets (--to) instead of the local ones'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l trust-unauthenticated -d 'Verify sets whose manifest carries no valid MAC from a backup key anyway (prints a warning)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -l dir -d 'Folder of local sets [env: PAIDEIA_BACKUP_DIR] [default: DATA_DIR/backups]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -l to -d 'Off-site copy in an S3 bucket other than the media bucket [env: PAIDEIA_BACKUP_TO]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -l key-file -d 'File of the keys that authenticate sets, never kept with them [env: PAIDEIA_BACKUP_KEY_FILE] [default: DATA_DIR/backup.key]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -l identity -d 'age identity file (secret key) for an encrypted set' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -l remote -d 'Restore from the off-site copy (--to) instead of the local one'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -l trust-unauthenticated -d 'Restore a set whose manifest carries no valid MAC from a backup key (prints a warning) [dangerous]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -l clean -d 'Drop everything in the target database first [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -s y -l yes -d 'Do not ask for confirmation (for scripts)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from restore" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from schedule" -l print -d 'What to print [default: the crontab line, with how to get the systemd units]' -r -f -a "cron\t'One crontab line'
systemd\t'paideia-backup.service and paideia-backup.timer'"
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from schedule" -l user -d 'The system user the backup runs as (systemd)' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from schedule" -l binary -d 'Where the binary is installed [default: this executable]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from schedule" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from schedule" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from schedule" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from schedule" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from schedule" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from schedule" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from schedule" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from schedule" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from key" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from key" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from key" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from key" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from key" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from key" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from key" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from key" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from key" -f -a "new" -d 'Add a new signing key at the top of the key file (created mode 0600); older keys keep verifying [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from key" -f -a "list" -d 'List the ids of the keys in the key file; the first signs [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from key" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "run" -d 'Write a backup set: dump, new media files, manifest; then copy it off-site and prune [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the sets: age, size, paideia and schema version, verified or not [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove sets the retention policy does not keep, and media no set refers to [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Prove sets restorable (trial restore, media hashes) [read-only: writes only the result]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "restore" -d 'Restore a set: the database (into an empty one, or replace with --clean) and its media [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "schedule" -d 'Print a crontab line, or a systemd service and timer, that runs `backup run` nightly [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "key" -d 'The keys that authenticate sets: make a new one (the first signs, all verify), list them [read-only or changes data, per subcommand]'
complete -c paideia -n "__fish_paideia_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l to -d 'Upgrade to this version instead of the newest in the current major series' -r
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l repo -d 'Take releases from this GitHub repository instead of the built-in one' -r
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l from-file -d 'Install this binary instead of downloading one (needs --signature)' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l signature -d 'The minisign signature of the --from-file binary' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l scratch-url -d 'Put the rehearsal\'s scratch database on this PostgreSQL server instead of the configured one' -r
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l check -d 'Only say whether a newer release exists (exit 6 when one does) and show the notes of every release on the way [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l history -d 'List the upgrades and rollbacks recorded in the database, newest first (`--json`) [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l allow-major -d 'Allow moving to another major series (its breaking changes are shown and confirmed)'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l pre -d 'Consider pre-releases'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l allow-downgrade -d 'Allow moving to an older version (never one the database\'s compatibility record refuses)'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l no-backup -d 'Skip the verified dump of the database before the swap [unsafe]'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l restart -d 'Restart the systemd unit afterwards without asking'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l rollback -d 'Put the previous binary back and say whether the pre-upgrade dump must be restored'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l rehearse -d 'Rehearse the upgrade on a scratch copy of this site\'s data (the newest verified backup set, or a dump taken now with --fresh): the new binary migrates the copy, the current one reads it; prints each migration\'s time and lock and a verdict; installs nothing. Exit 0 safe, 8 safe with downtime, 3 not safe, 7 could not rehearse [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l rehearse-first -d 'Rehearse first, then upgrade unless the rehearsal says "not safe" (for unattended upgrades)'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l fresh -d 'Rehearse on a dump of the database taken now instead of the newest verified backup set'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -s y -l yes -d 'Do not ask for confirmation (for scripts)'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand upgrade" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -f -a "create" -d 'Create an account; asks for its password on a terminal [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -f -a "list" -d 'List every account [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -f -a "set-role" -d 'Change an account\'s site role [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -f -a "reset-password" -d 'Set a new password for an account, end its sessions and revoke its API tokens [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -f -a "disable" -d 'Disable an account and end its sessions [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -f -a "enable" -d 'Allow a disabled account to sign in again [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -f -a "token" -d 'Personal access tokens for the JSON API at /api/v1 [read-only or changes data, per subcommand]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and not __fish_seen_subcommand_from create list set-role reset-password disable enable token help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from create" -l email -d 'Email address, used to sign in' -r
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from create" -l name -d 'The name shown to other people' -r
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from create" -l role -d 'Site role' -r -f -a "admin\t''
instructor\t''
student\t''"
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from create" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from create" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from create" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from create" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from create" -l password-stdin -d 'Read the password from the first line of stdin instead of asking (for scripts)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from create" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from list" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from list" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from list" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from list" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from set-role" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from set-role" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from set-role" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from set-role" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from set-role" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from set-role" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from set-role" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from set-role" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from reset-password" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from reset-password" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from reset-password" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from reset-password" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from reset-password" -l password-stdin -d 'Read the password from the first line of stdin instead of asking (for scripts)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from reset-password" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from reset-password" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from reset-password" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from reset-password" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from disable" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from disable" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from disable" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from disable" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from disable" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from enable" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from enable" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from enable" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from enable" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from enable" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from enable" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from token" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from token" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from token" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from token" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from token" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from token" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from token" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from token" -f -a "create" -d 'Make a token for an account and print it once on stdout [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from token" -f -a "list" -d 'List an account\'s tokens (never the tokens themselves) [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from token" -f -a "revoke" -d 'Revoke one of an account\'s tokens; scripts using it get 401 [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from token" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create an account; asks for its password on a terminal [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every account [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "set-role" -d 'Change an account\'s site role [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "reset-password" -d 'Set a new password for an account, end its sessions and revoke its API tokens [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable an account and end its sessions [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Allow a disabled account to sign in again [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "token" -d 'Personal access tokens for the JSON API at /api/v1 [read-only or changes data, per subcommand]'
complete -c paideia -n "__fish_paideia_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand doctor" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand doctor" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand doctor" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand doctor" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand doctor" -l full -d 'Check that every file the database refers to is stored (default: a random sample of 200), and list stored files no database row refers to'
complete -c paideia -n "__fish_paideia_using_subcommand doctor" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand doctor" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand doctor" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and not __fish_seen_subcommand_from gc help" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand storage; and not __fish_seen_subcommand_from gc help" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand storage; and not __fish_seen_subcommand_from gc help" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand storage; and not __fish_seen_subcommand_from gc help" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand storage; and not __fish_seen_subcommand_from gc help" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and not __fish_seen_subcommand_from gc help" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and not __fish_seen_subcommand_from gc help" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and not __fish_seen_subcommand_from gc help" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and not __fish_seen_subcommand_from gc help" -f -a "gc" -d 'Remove what killed uploads and dumps left (temporary files older than an hour, unfinished S3 uploads) and files no database row refers to (older than a day) [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and not __fish_seen_subcommand_from gc help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and __fish_seen_subcommand_from gc" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand storage; and __fish_seen_subcommand_from gc" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand storage; and __fish_seen_subcommand_from gc" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand storage; and __fish_seen_subcommand_from gc" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand storage; and __fish_seen_subcommand_from gc" -l dry-run -d 'List what would be removed; remove nothing'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and __fish_seen_subcommand_from gc" -s y -l yes -d 'Do not ask for confirmation (for scripts)'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and __fish_seen_subcommand_from gc" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and __fish_seen_subcommand_from gc" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and __fish_seen_subcommand_from gc" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and __fish_seen_subcommand_from gc" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and __fish_seen_subcommand_from help" -f -a "gc" -d 'Remove what killed uploads and dumps left (temporary files older than an hour, unfinished S3 uploads) and files no database row refers to (older than a day) [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand storage; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand mail; and not __fish_seen_subcommand_from test help" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand mail; and not __fish_seen_subcommand_from test help" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand mail; and not __fish_seen_subcommand_from test help" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand mail; and not __fish_seen_subcommand_from test help" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand mail; and not __fish_seen_subcommand_from test help" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand mail; and not __fish_seen_subcommand_from test help" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand mail; and not __fish_seen_subcommand_from test help" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand mail; and not __fish_seen_subcommand_from test help" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand mail; and not __fish_seen_subcommand_from test help" -f -a "test" -d 'Send one test message straight through the SMTP server (not through the outbox) [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand mail; and not __fish_seen_subcommand_from test help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand mail; and __fish_seen_subcommand_from test" -l to -d 'The address to send the test message to' -r
complete -c paideia -n "__fish_paideia_using_subcommand mail; and __fish_seen_subcommand_from test" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand mail; and __fish_seen_subcommand_from test" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand mail; and __fish_seen_subcommand_from test" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand mail; and __fish_seen_subcommand_from test" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand mail; and __fish_seen_subcommand_from test" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand mail; and __fish_seen_subcommand_from test" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand mail; and __fish_seen_subcommand_from test" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand mail; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand mail; and __fish_seen_subcommand_from help" -f -a "test" -d 'Send one test message straight through the SMTP server (not through the outbox) [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand mail; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand seed" -l scale -d 'How much data: about 1,000 rows per unit (100 students, 5 teachers, 4 courses of 25-45)' -r
complete -c paideia -n "__fish_paideia_using_subcommand seed" -l seed -d 'Random seed; the same seed and scale give the same data' -r
complete -c paideia -n "__fish_paideia_using_subcommand seed" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand seed" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand seed" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand seed" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand seed" -l force -d 'Add to a database that already has users'
complete -c paideia -n "__fish_paideia_using_subcommand seed" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand seed" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand seed" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand seed" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand import; and not __fish_seen_subcommand_from paideia-lms help" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand import; and not __fish_seen_subcommand_from paideia-lms help" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand import; and not __fish_seen_subcommand_from paideia-lms help" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand import; and not __fish_seen_subcommand_from paideia-lms help" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand import; and not __fish_seen_subcommand_from paideia-lms help" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand import; and not __fish_seen_subcommand_from paideia-lms help" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand import; and not __fish_seen_subcommand_from paideia-lms help" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand import; and not __fish_seen_subcommand_from paideia-lms help" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand import; and not __fish_seen_subcommand_from paideia-lms help" -f -a "paideia-lms" -d 'Import a Paideia LMS (0.7.x) school: accounts with their passwords, courses, content, files, submissions, grades, discussions [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand import; and not __fish_seen_subcommand_from paideia-lms help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from paideia-lms" -l from -d 'Paideia LMS\'s PostgreSQL database (its DATABASE_URL)' -r
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from paideia-lms" -l files -d 'A folder holding Paideia LMS\'s objects by key, instead of its S3 bucket' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from paideia-lms" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from paideia-lms" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from paideia-lms" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from paideia-lms" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from paideia-lms" -l dry-run -d 'Read everything and report what would be carried over; write nothing'
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from paideia-lms" -l merge -d 'Import into a site that already has data: accounts with the same email are reused, nothing existing is changed, and a course whose address is taken gets `-2`'
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from paideia-lms" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from paideia-lms" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from paideia-lms" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from paideia-lms" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "paideia-lms" -d 'Import a Paideia LMS (0.7.x) school: accounts with their passwords, courses, content, files, submissions, grades, discussions [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand service; and not __fish_seen_subcommand_from print help" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand service; and not __fish_seen_subcommand_from print help" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand service; and not __fish_seen_subcommand_from print help" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand service; and not __fish_seen_subcommand_from print help" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand service; and not __fish_seen_subcommand_from print help" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand service; and not __fish_seen_subcommand_from print help" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand service; and not __fish_seen_subcommand_from print help" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand service; and not __fish_seen_subcommand_from print help" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand service; and not __fish_seen_subcommand_from print help" -f -a "print" -d 'Print a hardened systemd unit [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand service; and not __fish_seen_subcommand_from print help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from print" -l unit -d 'Which unit to print [default: the server\'s and the socket unit it requires]' -r -f -a "server\t'paideia.service: the web server'
socket\t'paideia.socket: the listening socket, kept open across restarts'
backup-service\t'paideia-backup.service: one `paideia backup run`'
backup-timer\t'paideia-backup.timer: runs the backup nightly'"
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from print" -l user -d 'The system user the service runs as' -r
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from print" -l binary -d 'Where the binary is installed [default: this executable]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from print" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from print" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from print" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from print" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from print" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from print" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from print" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from print" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "print" -d 'Print a hardened systemd unit [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand man" -l dir -d 'Write paideia.1 and one page per subcommand into this directory' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand man" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand man" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand man" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand man" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand man" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand man" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand man" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand man" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand completions" -l data-dir -d 'Data directory for the SQLite database and uploaded files [env: PAIDEIA_DATA_DIR] [default: ./paideia-data]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand completions" -l database-url -d 'Database URL, postgres://… or sqlite://… [env: PAIDEIA_DATABASE_URL or DATABASE_URL]' -r
complete -c paideia -n "__fish_paideia_using_subcommand completions" -l config -d 'TOML configuration file [env: PAIDEIA_CONFIG]' -r -F
complete -c paideia -n "__fish_paideia_using_subcommand completions" -l log-format -d 'Log format [env: PAIDEIA_LOG_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c paideia -n "__fish_paideia_using_subcommand completions" -l json -d 'Print machine-readable JSON on stdout instead of text'
complete -c paideia -n "__fish_paideia_using_subcommand completions" -s q -l quiet -d 'Log less (-q: warnings, -qq: errors only)'
complete -c paideia -n "__fish_paideia_using_subcommand completions" -s v -l verbose -d 'Log more (-v: debug, -vv: trace)'
complete -c paideia -n "__fish_paideia_using_subcommand completions" -s h -l help -d 'Print help'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "serve" -d 'Run the web server [changes data: applies pending migrations at start]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "migrate" -d 'Inspect and apply database migrations [read-only or changes data, per subcommand]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "dump" -d 'Write a consistent, verifiable dump of the database [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "restore" -d 'Restore a dump into an empty database, or replace one with --clean [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "verify-backup" -d 'Prove that a dump can be restored: hashes, then a trial restore [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "backup" -d 'Run, list, prune, verify and restore scheduled backup sets (database + media) [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "upgrade" -d 'Replace this binary with a newer verified release, or roll back [changes the binary]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "user" -d 'Manage user accounts [read-only or changes data, per subcommand]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "doctor" -d 'Check configuration, database, migrations, storage, files, disk, permissions, clock and backups [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "storage" -d 'Maintain the file storage (the files folder or the S3 bucket) [changes data, per subcommand]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "mail" -d 'Send mail through the configured SMTP server [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "seed" -d 'Fill an empty database with realistic demo data [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "import" -d 'Bring a school over from another platform [changes data; reads the source only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "service" -d 'Print systemd units for the server and the daily backup [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "man" -d 'Print the man page, or write every page into a directory [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "completions" -d 'Print shell completions [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and not __fish_seen_subcommand_from serve migrate dump restore verify-backup backup upgrade user doctor storage mail seed import service man completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "status" -d 'Show applied, pending and unknown migrations [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "up" -d 'Apply pending migrations [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "verify" -d 'Check checksums and compatibility; the exit code says the result [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "run" -d 'Write a backup set: dump, new media files, manifest; then copy it off-site and prune [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "list" -d 'List the sets: age, size, paideia and schema version, verified or not [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "prune" -d 'Remove sets the retention policy does not keep, and media no set refers to [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "verify" -d 'Prove sets restorable (trial restore, media hashes) [read-only: writes only the result]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "restore" -d 'Restore a set: the database (into an empty one, or replace with --clean) and its media [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "schedule" -d 'Print a crontab line, or a systemd service and timer, that runs `backup run` nightly [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "key" -d 'The keys that authenticate sets: make a new one (the first signs, all verify), list them [read-only or changes data, per subcommand]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "create" -d 'Create an account; asks for its password on a terminal [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "list" -d 'List every account [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "set-role" -d 'Change an account\'s site role [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "reset-password" -d 'Set a new password for an account, end its sessions and revoke its API tokens [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "disable" -d 'Disable an account and end its sessions [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "enable" -d 'Allow a disabled account to sign in again [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "token" -d 'Personal access tokens for the JSON API at /api/v1 [read-only or changes data, per subcommand]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from storage" -f -a "gc" -d 'Remove what killed uploads and dumps left (temporary files older than an hour, unfinished S3 uploads) and files no database row refers to (older than a day) [destructive]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from mail" -f -a "test" -d 'Send one test message straight through the SMTP server (not through the outbox) [read-only]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from import" -f -a "paideia-lms" -d 'Import a Paideia LMS (0.7.x) school: accounts with their passwords, courses, content, files, submissions, grades, discussions [changes data]'
complete -c paideia -n "__fish_paideia_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "print" -d 'Print a hardened systemd unit [read-only]'
