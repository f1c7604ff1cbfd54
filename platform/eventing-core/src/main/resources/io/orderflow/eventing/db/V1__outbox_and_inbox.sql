-- Tables of the eventing library, created in the service's own schema.

-- Transactional outbox: a row is written in the same transaction as the state change it reports.
CREATE TABLE outbox (
    id             BIGSERIAL PRIMARY KEY,
    topic          TEXT        NOT NULL,
    aggregate_id   TEXT        NOT NULL,
    event_id       UUID        NOT NULL UNIQUE,
    event_type     TEXT        NOT NULL,
    correlation_id TEXT        NOT NULL,
    causation_id   UUID,
    occurred_at    TIMESTAMPTZ NOT NULL,
    producer       TEXT        NOT NULL,
    traceparent    TEXT        NOT NULL,
    payload        BYTEA       NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

-- The relay checks, per aggregate, that no older row is held elsewhere before it publishes.
CREATE INDEX outbox_aggregate_idx ON outbox (aggregate_id, id);

-- A wake-up hint for the relay; delivered at commit, so the relay never sees an uncommitted row through it.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_notify
    AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Inbox: an event id recorded here, in the handler's transaction, has had its effects applied exactly once.
CREATE TABLE processed_events (
    consumer     TEXT        NOT NULL,
    event_id     UUID        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
