-- The id Kafka gave the topic a position was taken on. A topic deleted and created again, or the same name on a
-- rebuilt or failed-over cluster, has another id and offsets that start again from 0: a position of the old topic
-- means nothing there, and trusting it would pass the new records by as if they had been applied. A consumer refuses
-- such a partition until an operator accepts the topic as it is now (docs/eventing.md).
--
-- Rows written before this column existed keep NULL: the id of their topic was never known here. Such a row is
-- still refused when its position is beyond the partition's log end; otherwise the next batch stores the topic's
-- current id with it.
ALTER TABLE consumer_positions ADD COLUMN topic_id TEXT;
