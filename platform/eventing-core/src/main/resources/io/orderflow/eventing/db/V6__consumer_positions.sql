-- Where each consumer goes on from, per partition: written in the transaction of each batch with its inbox rows, so
-- that a group whose committed offsets expire or are reset in Kafka does not apply its history again once the inbox
-- has forgotten it. Kafka's committed offsets stay (lag monitoring reads them); on assignment a consumer moves
-- forward to the position kept here when Kafka's is behind it.
CREATE TABLE consumer_positions (
    consumer    TEXT        NOT NULL,
    topic       TEXT        NOT NULL,
    partition   INT         NOT NULL,
    next_offset BIGINT      NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, topic, partition)
);
