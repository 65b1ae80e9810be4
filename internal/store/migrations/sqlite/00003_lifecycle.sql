-- +goose Up
-- Single-use tokens for activation links and password resets; only the
-- SHA-256 of a token is stored.
CREATE TABLE user_tokens (
    id          text NOT NULL PRIMARY KEY,
    person_id   text NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('activation', 'password_reset')),
    token_hash  text NOT NULL UNIQUE,
    expires_at  datetime NOT NULL,
    used_at     datetime,
    revoked_at  datetime,
    created_at  datetime NOT NULL
);
CREATE INDEX user_tokens_person ON user_tokens (person_id, purpose);

-- Sign-in sessions; only the SHA-256 of a token is stored.
CREATE TABLE sessions (
    id          text NOT NULL PRIMARY KEY,
    person_id   text NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    token_hash  text NOT NULL UNIQUE,
    expires_at  datetime NOT NULL,
    created_at  datetime NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);

-- Mail written in the same transaction as the change that causes it and
-- delivered after commit by the outbox worker.
CREATE TABLE outbox_emails (
    id              text NOT NULL PRIMARY KEY,
    recipient       text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at datetime NOT NULL,
    lease_until     datetime,
    sent_at         datetime,
    failed_at       datetime,
    last_error      text NOT NULL DEFAULT '',
    created_at      datetime NOT NULL
);
CREATE INDEX outbox_emails_due ON outbox_emails (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

CREATE TABLE audit_events (
    id              text NOT NULL PRIMARY KEY,
    occurred_at     datetime NOT NULL,
    actor           text NOT NULL,
    action          text NOT NULL,
    subject_type    text NOT NULL,
    subject_id      text NOT NULL,
    organization_id text,
    details         text NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_subject ON audit_events (subject_id, id);
CREATE INDEX audit_events_actor ON audit_events (actor, id);
CREATE INDEX audit_events_action ON audit_events (action, id);

-- Custom field mappings used when an organization is created from an account.
-- An organization field takes at most one source.
CREATE TABLE field_mappings (
    id                 text NOT NULL PRIMARY KEY,
    account_field      text NOT NULL,
    organization_field text NOT NULL UNIQUE,
    version            integer NOT NULL DEFAULT 1,
    created_at         datetime NOT NULL,
    updated_at         datetime NOT NULL
);

-- +goose Down
DROP TABLE field_mappings;
DROP TABLE audit_events;
DROP TABLE outbox_emails;
DROP TABLE sessions;
DROP TABLE user_tokens;
