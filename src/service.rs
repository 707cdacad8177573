//! systemd units for running paideia as a service: the server, hardened (its own user, a
//! read-only system except the data directory, a restart policy, a drain-sized stop timeout),
//! and the nightly `paideia backup run` as a systemd service and timer or as a crontab line.
//! `service print` and `backup schedule --print` both print from here.

use std::path::Path;

/// Which unit file to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Server,
    Socket,
    BackupService,
    BackupTimer,
}

pub struct UnitOptions<'a> {
    pub binary: &'a Path,
    pub user: &'a str,
    pub data_dir: &'a Path,
    /// Where backup sets are written (often inside the data directory).
    pub backup_dir: &'a Path,
    /// The configuration file, when one is used (cron passes it on the command line).
    pub config: Option<&'a Path>,
    /// Seconds `serve` drains requests on stop; systemd waits a little longer.
    pub drain_secs: u64,
    /// The address the socket unit listens on.
    pub bind: std::net::SocketAddr,
}

const HARDENING: &str = "NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
CapabilityBoundingSet=
UMask=0077";

/// `StateDirectory=` lines when the data directory is under /var/lib, so systemd creates it
/// (mode 0700, owned by the service user); elsewhere the admin creates it.
fn state_directory(data_dir: &Path) -> String {
    match data_dir.strip_prefix("/var/lib") {
        Ok(rest) if !rest.as_os_str().is_empty() => {
            format!(
                "StateDirectory={}\nStateDirectoryMode=0700\n",
                rest.display()
            )
        }
        _ => String::new(),
    }
}

/// When the nightly backup runs: 02:30 (systemd adds up to 15 minutes at random).
const BACKUP_HOUR: u32 = 2;
const BACKUP_MINUTE: u32 = 30;

/// The directories a backup writes to, for `ReadWritePaths=`.
fn backup_paths(o: &UnitOptions<'_>) -> String {
    if o.backup_dir.starts_with(o.data_dir) {
        o.data_dir.display().to_string()
    } else {
        format!("{} {}", o.data_dir.display(), o.backup_dir.display())
    }
}

/// `--config FILE ` when a configuration file is used.
fn config_arg(o: &UnitOptions<'_>) -> String {
    o.config
        .map(|c| format!("--config {} ", c.display()))
        .unwrap_or_default()
}

/// A crontab line (for the paideia user's crontab) running the nightly backup. Cron's
/// environment is nearly empty, so the data directory and configuration file are passed as
/// flags.
pub fn cron_line(o: &UnitOptions<'_>) -> String {
    format!(
        "# paideia nightly backup; install with `crontab -u {user} -e`. Cron passes no environment:\n\
         # keep settings (database URL, PAIDEIA_BACKUP_*) in the configuration file.\n\
         {BACKUP_MINUTE} {BACKUP_HOUR} * * * {bin} --data-dir {data} {config}backup run --quiet\n",
        user = o.user,
        bin = o.binary.display(),
        data = o.data_dir.display(),
        config = config_arg(o),
    )
}

pub fn render(unit: Unit, o: &UnitOptions<'_>) -> String {
    let (bin, data, user) = (o.binary.display(), o.data_dir.display(), o.user);
    let state = state_directory(o.data_dir);
    match unit {
        Unit::Server => format!(
            "# /etc/systemd/system/paideia.service
[Unit]
Description=paideia learning management system
Documentation=man:paideia-serve(1)
After=network-online.target postgresql.service paideia.socket
Wants=network-online.target
# The listening socket belongs to paideia.socket, so `systemctl restart paideia` never
# closes it: connections that arrive while the new process starts wait in its backlog.
Requires=paideia.socket

[Service]
Type=exec
User={user}
Group={user}
Environment=PAIDEIA_DATA_DIR={data}
EnvironmentFile=-/etc/paideia/paideia.env
WorkingDirectory={data}
ExecStart={bin} serve
{state}Restart=on-failure
RestartSec=5
KillSignal=SIGTERM
TimeoutStopSec={stop}
# Each open connection is a file descriptor; serve also caps connections below this limit
# (PAIDEIA_MAX_CONNECTIONS), so a flood waits in the backlog instead of failing accept.
LimitNOFILE=65536
ReadWritePaths={data}
{HARDENING}

[Install]
WantedBy=multi-user.target
",
            stop = o.drain_secs + 15
        ),
        Unit::Socket => format!(
            "# /etc/systemd/system/paideia.socket
[Unit]
Description=paideia listening socket (kept open across restarts)

[Socket]
ListenStream={bind}
BindIPv6Only=both
NoDelay=true
Backlog=1024

[Install]
WantedBy=sockets.target
",
            bind = o.bind
        ),
        Unit::BackupService => format!(
            "# /etc/systemd/system/paideia-backup.service
[Unit]
Description=paideia nightly backup (database and media)
Documentation=man:paideia-backup-run(1)
After=network-online.target postgresql.service

[Service]
Type=oneshot
User={user}
Group={user}
Environment=PAIDEIA_DATA_DIR={data}
EnvironmentFile=-/etc/paideia/paideia.env
WorkingDirectory={data}
{state}ExecStart={bin} {config}backup run --quiet
ReadWritePaths={paths}
{HARDENING}
",
            config = config_arg(o),
            paths = backup_paths(o),
        ),
        Unit::BackupTimer => format!(
            "# /etc/systemd/system/paideia-backup.timer
[Unit]
Description=Run the paideia backup every night

[Timer]
OnCalendar=*-*-* {BACKUP_HOUR:02}:{BACKUP_MINUTE:02}:00
RandomizedDelaySec=15m
Persistent=true

[Install]
WantedBy=timers.target
"
        ),
    }
}
