-- +goose Up
-- Imports above the sync limit run as jobs. Each uploaded row is one item,
-- in upload order (seq is the row number); payload is the row as checked
-- at the edge, and the outcome is written in the transaction of its batch.
CREATE TABLE import_jobs (
    id          uuid NOT NULL PRIMARY KEY,
    status      text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    resource    text NOT NULL CHECK (resource IN ('contacts', 'accounts', 'organizations')),
    mode        text NOT NULL CHECK (mode IN ('create', 'upsert')),
    dry_run     boolean NOT NULL DEFAULT false,
    actor       text NOT NULL,
    total       integer NOT NULL,
    processed   integer NOT NULL DEFAULT 0,
    created     integer NOT NULL DEFAULT 0,
    updated     integer NOT NULL DEFAULT 0,
    unchanged   integer NOT NULL DEFAULT 0,
    failed      integer NOT NULL DEFAULT 0,
    error       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    finished_at timestamptz
);

CREATE TABLE import_job_items (
    job_id       uuid NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    seq          integer NOT NULL,
    status       text NOT NULL CHECK (status IN ('pending', 'created', 'updated', 'unchanged', 'failed')),
    payload      text NOT NULL DEFAULT '',
    record_id    uuid,
    error_code   text NOT NULL DEFAULT '',
    error_detail text NOT NULL DEFAULT '',
    error_fields jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX import_job_items_pending ON import_job_items (job_id, seq) WHERE status = 'pending';

-- +goose Down
DROP TABLE import_job_items;
DROP TABLE import_jobs;
