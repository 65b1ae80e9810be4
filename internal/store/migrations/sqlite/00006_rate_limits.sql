-- +goose Up
-- Rate limit counters shared by every Portico process: one row per limited
-- key (a hash of the limit's name and the client address, email or token).
-- A window starts with the key's first request and lasts a minute;
-- window_start is Unix milliseconds, so both databases compare plain
-- integers. Expired windows are purged by the requests themselves.
CREATE TABLE rate_limit_counters (
    key          text NOT NULL PRIMARY KEY,
    window_start integer NOT NULL,
    hits         integer NOT NULL
);
CREATE INDEX rate_limit_counters_window ON rate_limit_counters (window_start);

-- +goose Down
DROP TABLE rate_limit_counters;
