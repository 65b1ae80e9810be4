-- +goose Up
-- The language of a person's emails and pages (a BCP 47 tag; '' follows
-- PORTICO_DEFAULT_LOCALE).
ALTER TABLE people ADD COLUMN locale text NOT NULL DEFAULT '';

-- Mail is text with an optional HTML alternative.
ALTER TABLE outbox_emails ADD COLUMN html text NOT NULL DEFAULT '';

-- One row per invitation sent (promotion, resend, bulk resend): its link's
-- token, its email, and where it is. The status machine is the domain's;
-- the partial unique index keeps at most one pending invitation per user,
-- so a race between two resends ends in a clean conflict. Delivery state is
-- copied from the outbox row by the mail job, which outlives its purge.
CREATE TABLE invitations (
    id                text NOT NULL PRIMARY KEY,
    user_id           text NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organization_id   text,
    token_id          text REFERENCES user_tokens (id) ON DELETE SET NULL,
    email_id          text REFERENCES outbox_emails (id) ON DELETE SET NULL,
    status            text NOT NULL CHECK (status IN ('pending', 'accepted', 'expired', 'revoked', 'superseded')),
    locale            text NOT NULL,
    message           text NOT NULL DEFAULT '',
    expires_at        datetime NOT NULL,
    sent_at           datetime,
    accepted_at       datetime,
    revoked_at        datetime,
    delivery_status   text NOT NULL DEFAULT 'queued' CHECK (delivery_status IN ('queued', 'sent', 'failed')),
    delivery_attempts integer NOT NULL DEFAULT 0,
    delivery_error    text NOT NULL DEFAULT '',
    created_by        text NOT NULL,
    created_at        datetime NOT NULL
);
CREATE UNIQUE INDEX invitations_one_pending ON invitations (user_id) WHERE status = 'pending';
CREATE INDEX invitations_user ON invitations (user_id, created_at);
CREATE INDEX invitations_organization ON invitations (organization_id, id);
CREATE INDEX invitations_status ON invitations (status, id);
CREATE INDEX invitations_due ON invitations (expires_at) WHERE status = 'pending';
CREATE INDEX invitations_token ON invitations (token_id);
CREATE INDEX invitations_email ON invitations (email_id);

-- Bulk resends above the sync limit run as jobs; each item's result is
-- written in the transaction of its batch.
CREATE TABLE invitation_jobs (
    id          text NOT NULL PRIMARY KEY,
    status      text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    options     text NOT NULL DEFAULT '{}',
    actor       text NOT NULL,
    total       integer NOT NULL,
    processed   integer NOT NULL DEFAULT 0,
    resent      integer NOT NULL DEFAULT 0,
    failed      integer NOT NULL DEFAULT 0,
    error       text NOT NULL DEFAULT '',
    created_at  datetime NOT NULL,
    updated_at  datetime NOT NULL,
    finished_at datetime
);

CREATE TABLE invitation_job_items (
    job_id            text NOT NULL REFERENCES invitation_jobs (id) ON DELETE CASCADE,
    seq               integer NOT NULL,
    invitation_id     text NOT NULL,
    status            text NOT NULL CHECK (status IN ('pending', 'resent', 'failed')),
    new_invitation_id text,
    error_code        text NOT NULL DEFAULT '',
    error_detail      text NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX invitation_job_items_pending ON invitation_job_items (job_id, seq) WHERE status = 'pending';

-- Administrators' overrides of the built-in emails, per kind and locale.
CREATE TABLE email_templates (
    kind       text NOT NULL CHECK (kind IN ('invitation', 'password_reset')),
    locale     text NOT NULL,
    subject    text NOT NULL,
    text_body  text NOT NULL,
    html_body  text NOT NULL,
    updated_by text NOT NULL,
    updated_at datetime NOT NULL,
    PRIMARY KEY (kind, locale)
);

-- +goose Down
DROP TABLE email_templates;
DROP TABLE invitation_job_items;
DROP TABLE invitation_jobs;
DROP TABLE invitations;
ALTER TABLE outbox_emails DROP COLUMN html;
ALTER TABLE people DROP COLUMN locale;
