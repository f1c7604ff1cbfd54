-- Rows the relay can never publish (larger than their topic takes, refused by the broker for good), moved out of
-- the outbox with the reason. Their aggregates' later rows wait in the outbox behind them until an operator puts
-- the row back (it keeps its id, so its place in its aggregate) or deletes it: see docs/eventing.md.
CREATE TABLE outbox_parked (
    id                BIGINT      PRIMARY KEY,
    topic             TEXT        NOT NULL,
    aggregate_id      TEXT        NOT NULL,
    event_id          UUID        NOT NULL UNIQUE,
    event_type        TEXT        NOT NULL,
    correlation_id    TEXT        NOT NULL,
    causation_id      UUID,
    occurred_at       TIMESTAMPTZ NOT NULL,
    producer          TEXT        NOT NULL,
    traceparent       TEXT        NOT NULL,
    aggregate_version BIGINT,
    payload           BYTEA       NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    parked_at         TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    reason            TEXT        NOT NULL
);

-- The relay's claim leaves out every aggregate that has a parked row.
CREATE INDEX outbox_parked_aggregate_idx ON outbox_parked (aggregate_id);
