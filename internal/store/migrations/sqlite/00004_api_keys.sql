-- +goose Up
-- API keys for integrators; only the SHA-256 of a key is stored.
CREATE TABLE api_keys (
    id           text NOT NULL PRIMARY KEY,
    name         text NOT NULL UNIQUE,
    role         text NOT NULL CHECK (role IN ('admin', 'readonly')),
    key_hash     text NOT NULL UNIQUE,
    last_used_at datetime,
    revoked_at   datetime,
    created_at   datetime NOT NULL
);

-- +goose Down
DROP TABLE api_keys;
