-- +goose Up
-- Receivers of webhook events. Secrets are sealed (AES-256-GCM) by the
-- service before they reach the database; a rotation keeps the previous
-- secret signing until previous_until. failing_since is the first failed
-- attempt since the last success: an endpoint failing for days is disabled.
CREATE TABLE webhook_endpoints (
    id              uuid NOT NULL PRIMARY KEY,
    url             text NOT NULL,
    description     text NOT NULL DEFAULT '',
    enabled         boolean NOT NULL,
    disabled_reason text NOT NULL DEFAULT '',
    secret          text NOT NULL,
    previous_secret text NOT NULL DEFAULT '',
    previous_until  timestamptz,
    failing_since   timestamptz,
    version         bigint NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- One row per subscribed event type ('*': every type). Emitting an event
-- reads this index alone when no endpoint wants it.
CREATE TABLE webhook_subscriptions (
    endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_type  text NOT NULL,
    PRIMARY KEY (endpoint_id, event_type)
);
CREATE INDEX webhook_subscriptions_type ON webhook_subscriptions (event_type, endpoint_id);

-- One row per event and endpoint; its River job (webhook_delivery) is
-- inserted in the transaction of the change. message_id is the webhook-id
-- header, the same on every attempt.
CREATE TABLE webhook_deliveries (
    id               uuid NOT NULL PRIMARY KEY,
    endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    message_id       text NOT NULL,
    event_type       text NOT NULL,
    payload          text NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    last_status      integer,
    last_latency_ms  integer,
    last_error       text NOT NULL DEFAULT '',
    response_excerpt text NOT NULL DEFAULT '',
    next_attempt_at  timestamptz,
    created_at       timestamptz NOT NULL,
    finished_at      timestamptz
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE status <> 'pending';

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
DROP TABLE webhook_endpoints;
