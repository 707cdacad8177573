-- paideia: kind=expand transaction=true
-- Every upgrade and rollback of the binary (issue 18): when, from which version to which, the
-- dump taken first and whether it verified, the outcome, the error and the state it left.
-- Written by `paideia upgrade`, read by `upgrade --history`, `doctor` and the System page.
CREATE TABLE upgrade_runs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL CHECK (kind IN ('upgrade', 'rollback')),
    started_at      DATETIME NOT NULL,
    finished_at     DATETIME NOT NULL,
    from_version    TEXT NOT NULL,
    to_version      TEXT NOT NULL,
    backup          TEXT NOT NULL DEFAULT '',
    backup_verified BOOLEAN,
    succeeded       BOOLEAN NOT NULL,
    error           TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX upgrade_runs_finished_idx ON upgrade_runs (finished_at);
