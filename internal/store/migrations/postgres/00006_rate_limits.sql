-- +goose Up
-- Rate limit counters shared by every Portico process: one row per limited
-- key (a hash of the limit's name and the client address, email or token).
-- A window starts with the key's first request and lasts a minute;
-- window_start is Unix milliseconds, so both databases compare plain
-- integers. Expired windows are purged by the requests themselves.
-- UNLOGGED: counting writes no WAL, so a sign-in does not wait for a disk
-- flush; a crash or a failover empties the table, which only forgives the
-- current minute's attempts.
CREATE UNLOGGED TABLE rate_limit_counters (
    key          text NOT NULL PRIMARY KEY,
    window_start bigint NOT NULL,
    hits         integer NOT NULL
);
CREATE INDEX rate_limit_counters_window ON rate_limit_counters (window_start);

-- +goose Down
DROP TABLE rate_limit_counters;
