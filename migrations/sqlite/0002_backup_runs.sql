-- paideia: kind=expand transaction=true
-- A log of backup work (restores now; scheduled backups and verifications later), read by the
-- admin system page and `paideia doctor`.
CREATE TABLE backup_runs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL CHECK (kind IN ('backup', 'verify', 'restore')),
    started_at      DATETIME NOT NULL,
    finished_at     DATETIME NOT NULL,
    succeeded       BOOLEAN NOT NULL,
    location        TEXT NOT NULL DEFAULT '',
    bytes           INTEGER,
    detail          TEXT NOT NULL DEFAULT '',
    paideia_version TEXT NOT NULL
);
CREATE INDEX backup_runs_kind_finished_idx ON backup_runs (kind, finished_at);
