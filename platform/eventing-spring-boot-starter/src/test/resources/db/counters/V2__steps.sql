-- The order in which a batch's steps ran: the beforeEachBatch step and each application of an event.
CREATE SEQUENCE steps;
ALTER TABLE applied ADD COLUMN step BIGINT NOT NULL DEFAULT nextval('steps');

CREATE TABLE batch_starts (
    tx_id  BIGINT NOT NULL,
    events INT    NOT NULL,
    step   BIGINT NOT NULL DEFAULT nextval('steps')
);
