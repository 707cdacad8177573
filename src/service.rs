//! systemd units for running paideia as a service: the server, hardened (its own user, a
//! read-only system except the data directory, a restart policy, a drain-sized stop timeout),
//! and a daily dump with its timer.

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
Description=paideia daily dump
Documentation=man:paideia-dump(1)
After=network-online.target postgresql.service

[Service]
Type=oneshot
User={user}
Group={user}
Environment=PAIDEIA_DATA_DIR={data}
EnvironmentFile=-/etc/paideia/paideia.env
WorkingDirectory={data}/backups
{state}ExecStartPre=/bin/mkdir -p {data}/backups
ExecStart={bin} dump
ReadWritePaths={data}
{HARDENING}
"
        ),
        Unit::BackupTimer => "# /etc/systemd/system/paideia-backup.timer
[Unit]
Description=Run the paideia dump every night

[Timer]
OnCalendar=*-*-* 02:30:00
RandomizedDelaySec=15m
Persistent=true

[Install]
WantedBy=timers.target
"
        .to_string(),
    }
}
