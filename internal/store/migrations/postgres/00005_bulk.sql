-- +goose Up
-- Bulk promotion jobs. Workers lease a job (lease_until, worker) and fence
-- every batch on that lease, so a job resumes after a crash and two
-- processes never work one job at once.
CREATE TABLE promotion_jobs (
    id          uuid NOT NULL PRIMARY KEY,
    status      text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    dry_run     boolean NOT NULL DEFAULT false,
    options     jsonb NOT NULL DEFAULT '{}',
    actor       text NOT NULL,
    total       integer NOT NULL,
    processed   integer NOT NULL DEFAULT 0,
    promoted    integer NOT NULL DEFAULT 0,
    failed      integer NOT NULL DEFAULT 0,
    worker      text NOT NULL DEFAULT '',
    lease_until timestamptz,
    error       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    finished_at timestamptz
);
CREATE INDEX promotion_jobs_open ON promotion_jobs (created_at) WHERE status IN ('queued', 'running');

-- One row per selected contact, in selection order; its result is written
-- in the same transaction as the promotion itself.
CREATE TABLE promotion_job_items (
    job_id           uuid NOT NULL REFERENCES promotion_jobs (id) ON DELETE CASCADE,
    seq              integer NOT NULL,
    contact_id       uuid NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'promoted', 'failed', 'would_promote')),
    user_id          uuid,
    error_code       text NOT NULL DEFAULT '',
    error_detail     text NOT NULL DEFAULT '',
    error_resolution text NOT NULL DEFAULT '',
    warnings         jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX promotion_job_items_pending ON promotion_job_items (job_id, seq) WHERE status = 'pending';

-- Idempotency-Key: the first answer to a key is kept for 24 hours and
-- replayed to retries with the same request.
CREATE TABLE idempotency_keys (
    key           text NOT NULL PRIMARY KEY,
    request_hash  text NOT NULL,
    status        integer NOT NULL DEFAULT 0,
    body          text NOT NULL DEFAULT '',
    location      text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE promotion_job_items;
DROP TABLE promotion_jobs;
