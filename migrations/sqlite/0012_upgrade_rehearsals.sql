-- paideia: kind=expand transaction=true
-- Every `paideia upgrade --rehearse` (issue 22): the release rehearsed on a scratch copy of
-- this school's data, the copy it used, the verdict (safe, safe with downtime, not safe) with
-- its reason, and the whole report as JSON. Read by `upgrade --history` and the System page.
CREATE TABLE upgrade_rehearsals (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at   DATETIME NOT NULL,
    finished_at  DATETIME NOT NULL,
    from_version TEXT NOT NULL,
    to_version   TEXT NOT NULL,
    source       TEXT NOT NULL DEFAULT '',
    verdict      TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    report       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX upgrade_rehearsals_finished_idx ON upgrade_rehearsals (finished_at);
