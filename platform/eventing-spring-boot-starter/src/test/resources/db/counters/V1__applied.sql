-- What the test handler did: one row per application of an event, deliberately without a unique key so that a
-- duplicate application would show.
CREATE TABLE applied (
    counter_id TEXT   NOT NULL,
    sequence   INT    NOT NULL,
    event_id   UUID   NOT NULL,
    tx_id      BIGINT NOT NULL
);
