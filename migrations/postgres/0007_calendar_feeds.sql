-- paideia: kind=expand transaction=true
-- Each person's iCalendar feed (issue 15): the secret of its URL is kept only as its SHA-256,
-- like API tokens; one feed per person, replaced by a new secret or deleted to revoke it.
CREATE TABLE calendar_feeds (
    user_id      BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash   BYTEA NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);
