-- The inbox retention deletes the oldest rows in small batches; this finds them without reading the whole table.
CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at);
