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
    id                uuid NOT NULL PRIMARY KEY,
    user_id           uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organization_id   uuid,
    token_id          uuid REFERENCES user_tokens (id) ON DELETE SET NULL,
    email_id          uuid REFERENCES outbox_emails (id) ON DELETE SET NULL,
    status            text NOT NULL CHECK (status IN ('pending', 'accepted', 'expired', 'revoked', 'superseded')),
    locale            text NOT NULL,
    message           text NOT NULL DEFAULT '',
    expires_at        timestamptz NOT NULL,
    sent_at           timestamptz,
    accepted_at       timestamptz,
    revoked_at        timestamptz,
    delivery_status   text NOT NULL DEFAULT 'queued' CHECK (delivery_status IN ('queued', 'sent', 'failed')),
    delivery_attempts integer NOT NULL DEFAULT 0,
    delivery_error    text NOT NULL DEFAULT '',
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL
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
    id          uuid NOT NULL PRIMARY KEY,
    status      text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    options     jsonb NOT NULL DEFAULT '{}',
    actor       text NOT NULL,
    total       integer NOT NULL,
    processed   integer NOT NULL DEFAULT 0,
    resent      integer NOT NULL DEFAULT 0,
    failed      integer NOT NULL DEFAULT 0,
    error       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    finished_at timestamptz
);

CREATE TABLE invitation_job_items (
    job_id            uuid NOT NULL REFERENCES invitation_jobs (id) ON DELETE CASCADE,
    seq               integer NOT NULL,
    invitation_id     uuid NOT NULL,
    status            text NOT NULL CHECK (status IN ('pending', 'resent', 'failed')),
    new_invitation_id uuid,
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
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (kind, locale)
);

-- +goose Down
DROP TABLE email_templates;
DROP TABLE invitation_job_items;
DROP TABLE invitation_jobs;
DROP TABLE invitations;
ALTER TABLE outbox_emails DROP COLUMN html;
ALTER TABLE people DROP COLUMN locale;
