-- +goose Up
-- Background work runs on River, whose tables rivermigrate keeps. An outbox
-- row stays the record of one message (its Message-ID, attempts, last error,
-- when it was sent or given up); a River send_email job delivers it, so the
-- row's own schedule and lease go, and so does the jobs' lease. Messages and
-- jobs still open at this migration are handed to River at the next start:
-- adopt marks them.
DROP INDEX outbox_emails_due;
ALTER TABLE outbox_emails DROP COLUMN lease_until;
ALTER TABLE outbox_emails DROP COLUMN next_attempt_at;
ALTER TABLE outbox_emails ADD COLUMN adopt boolean NOT NULL DEFAULT false;
UPDATE outbox_emails SET adopt = true WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_emails_adopt ON outbox_emails (id) WHERE adopt;
CREATE INDEX outbox_emails_done ON outbox_emails (created_at) WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL;

DROP INDEX promotion_jobs_open;
ALTER TABLE promotion_jobs DROP COLUMN lease_until;
ALTER TABLE promotion_jobs ADD COLUMN adopt boolean NOT NULL DEFAULT false;
UPDATE promotion_jobs SET adopt = true WHERE status IN ('queued', 'running');
CREATE INDEX promotion_jobs_adopt ON promotion_jobs (id) WHERE adopt;

-- The periodic purge finds what expired through these.
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX user_tokens_expiry ON user_tokens (expires_at);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- +goose Down
DROP INDEX idempotency_keys_expiry;
DROP INDEX user_tokens_expiry;
DROP INDEX sessions_expiry;
DROP INDEX promotion_jobs_adopt;
ALTER TABLE promotion_jobs DROP COLUMN adopt;
ALTER TABLE promotion_jobs ADD COLUMN lease_until timestamptz;
CREATE INDEX promotion_jobs_open ON promotion_jobs (created_at) WHERE status IN ('queued', 'running');

DROP INDEX outbox_emails_done;
DROP INDEX outbox_emails_adopt;
ALTER TABLE outbox_emails DROP COLUMN adopt;
ALTER TABLE outbox_emails ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE outbox_emails ADD COLUMN lease_until timestamptz;
CREATE INDEX outbox_emails_due ON outbox_emails (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
