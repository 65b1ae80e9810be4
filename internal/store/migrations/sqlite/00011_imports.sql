-- +goose Up
-- Imports above the sync limit run as jobs. The upload is stored in
-- chunks of up to 2,000 rows, directory.ImportBatchSize (payload: the rows as checked at the edge, a
-- JSON array); a run takes the first chunk, writes its rows and their
-- outcomes in one transaction and drops the chunk. Each row's outcome is
-- one item (seq is the row number), which fences a row against being
-- written twice by two attempts.
CREATE TABLE import_jobs (
    id          text NOT NULL PRIMARY KEY,
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
    created_at  datetime NOT NULL,
    updated_at  datetime NOT NULL,
    finished_at datetime
);

CREATE TABLE import_job_chunks (
    job_id    text NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    seq       integer NOT NULL,
    first_row integer NOT NULL,
    last_row  integer NOT NULL,
    payload   text NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE import_job_items (
    job_id       text NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    seq          integer NOT NULL,
    status       text NOT NULL CHECK (status IN ('created', 'updated', 'unchanged', 'failed')),
    record_id    text,
    error_code   text NOT NULL DEFAULT '',
    error_detail text NOT NULL DEFAULT '',
    error_fields text NOT NULL DEFAULT '[]',
    PRIMARY KEY (job_id, seq)
);

-- +goose Down
DROP TABLE import_job_items;
DROP TABLE import_job_chunks;
DROP TABLE import_jobs;
