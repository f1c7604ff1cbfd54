-- The version an event gave its aggregate, for writers that keep an event store; published as a header so that a
-- read side can tell a client whether it has caught up with that client's write.
ALTER TABLE outbox ADD COLUMN aggregate_version BIGINT;
