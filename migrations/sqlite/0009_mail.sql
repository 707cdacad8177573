-- paideia: kind=expand transaction=true
-- Mail (issue 16). `outbox`: every outgoing message, written in the same transaction as the
-- event that causes it and sent by the worker inside `serve`; `message_id` is fixed when the
-- row is written, so a resend after a crash carries the same Message-ID. A worker claims due
-- rows (`claimed_by`, `claimed_until`: a lease, so a killed sender's rows come back) and
-- records the outcome; `extra_headers` is a JSON object of further headers (In-Reply-To...).
-- `password_resets`: single-use sign-in links, kept as the SHA-256 of their secret.
-- `mail_opt_outs`: the kinds of mail a person turned off (one-click unsubscribe).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      TEXT NOT NULL UNIQUE,
    user_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    to_address      TEXT NOT NULL,
    kind            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT,
    unsubscribe_url TEXT,
    extra_headers   TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    created_at      DATETIME NOT NULL,
    next_attempt_at DATETIME NOT NULL,
    expires_at      DATETIME,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_attempt_at DATETIME,
    last_error      TEXT NOT NULL DEFAULT '',
    sent_at         DATETIME,
    claimed_by      TEXT,
    claimed_until   DATETIME
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_sent_idx ON outbox (sent_at) WHERE status = 'sent';
CREATE INDEX outbox_failed_idx ON outbox (last_attempt_at) WHERE status = 'failed';
CREATE INDEX outbox_user_idx ON outbox (user_id);

CREATE TABLE password_resets (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);

CREATE TABLE mail_opt_outs (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (user_id, kind)
);
